"""The conversation's rows as shown: a piece's line with its turn's mark and, under the mouse,
the underline of a clickable line, in the pane's base style, with the offsets a mouse selection
reads.

A frame of a stream scrolls the pane and draws every row on screen, many of them the same
lines as the frame before's: a row is drawn again only when its line or its marks changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment as RichSegment
from rich.style import Style
from textual.cache import FIFOCache
from textual.strip import Strip

from thinkchat.ui.widgets.line_map import LineMap, PieceKey
from thinkchat.ui.widgets.line_render import LineRenderer

if TYPE_CHECKING:
    from thinkchat.ui.widgets.turn_entry import TurnEntry

GUTTER = 1  # the column left of each turn: the mark of the selected turn
CLICKABLE = ("summary", "older")  # lines that do something when clicked: shown on hover
ROWS_KEPT = 512


class Rows:
    """Draws rows of a `LineMap` and keeps them, by row, width and marks, until their line
    changes (the reasoning panel toggles the pane between two widths)."""

    def __init__(self) -> None:
        # By row, width and marks: (the line drawn, the strip shown).
        self._drawn: FIFOCache[tuple[int, int, bool, bool], tuple[Strip, Strip]] = FIFOCache(
            ROWS_KEPT
        )
        self._gap_line = Strip.blank(0)

    def forget(self) -> None:
        """Draw every row anew from now on (the look changed)."""
        self._drawn.clear()

    def draw(
        self,
        line_map: LineMap,
        row: int,
        width: int,
        renderer: LineRenderer,
        style: Style,
        *,
        selected: TurnEntry | None,
        hovered: PieceKey | None,
    ) -> Strip:
        """Line `row` as shown: `width + GUTTER` cells in `style`, marked if its turn is
        `selected`, underlined if its piece is `hovered` and clickable."""
        index = line_map.index_at(row)
        if index is None:
            return Strip.blank(width + GUTTER, style)
        piece = line_map.pieces[index]
        lines = piece.lines(width, renderer.markdown)
        offset = row - line_map.starts[index]
        if offset < len(lines):
            line = lines[offset]
        else:  # the blank line after a segment: the same strip each time, so it is kept
            if self._gap_line.cell_length != width:
                self._gap_line = Strip.blank(width)
            line = self._gap_line
        is_hovered = piece.kind in CLICKABLE and piece.key == hovered
        is_selected = piece.entry is not None and piece.entry is selected
        cached = self._drawn.get((row, width, is_selected, is_hovered))
        if cached is not None and cached[0] is line:
            return cached[1]
        look = renderer.look
        content = list(line)
        if is_hovered:
            content = list(RichSegment.apply_style(content, post_style=look.hover))
        mark = RichSegment("▌" if is_selected else " ", look.selected)
        drawn = Strip([mark, *content], line.cell_length + GUTTER)
        drawn = drawn.crop_extend(0, width + GUTTER, style).apply_offsets(0, row)
        drawn = drawn.apply_style(style)
        self._drawn[(row, width, is_selected, is_hovered)] = (line, drawn)
        return drawn
