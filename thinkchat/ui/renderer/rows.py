"""The conversation's rows as shown: a block's line with its turn's mark and, under the mouse,
the underline of a clickable block, in the pane's base style, with the offsets a mouse selection
reads.

A frame of a stream scrolls the pane and draws every row on screen, many of them the same
lines as the frame before's: a row is drawn again only when its line or its marks changed.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.cache import FIFOCache
from textual.strip import Strip

from thinkchat.chat.turn import Turn
from thinkchat.ui.renderer.block_map import BlockMap
from thinkchat.ui.renderer.blocks import CLICKABLE, BlockKey
from thinkchat.ui.renderer.line_render import LineRenderer

GUTTER = 1  # the column left of each turn: the mark of the selected turn
ROWS_KEPT = 512


class Rows:
    """Draws rows of a `BlockMap` and keeps them, by row, width and marks, until their line
    changes (the reasoning panel toggles the pane between two widths)."""

    def __init__(self) -> None:
        # By row, width and marks: (the line drawn, the row shown).
        self._drawn: FIFOCache[tuple[int, int, bool, bool], tuple[Strip, Strip]] = FIFOCache(
            ROWS_KEPT
        )
        self._gap_line = Strip.blank(0)

    def forget(self) -> None:
        """Draw every row anew from now on (the look changed)."""
        self._drawn.clear()

    def draw(
        self,
        block_map: BlockMap,
        row: int,
        width: int,
        renderer: LineRenderer,
        style: Style,
        *,
        selected: Turn | None,
        hovered: BlockKey | None,
    ) -> Strip:
        """Row `row` as shown: `width + GUTTER` cells in `style`, marked if its turn is
        `selected`, underlined if its block is `hovered` and clickable."""
        index = block_map.index_at(row)
        if index is None:
            return Strip.blank(width + GUTTER, style)
        block = block_map.blocks[index]
        lines = block.lines(width, renderer.markdown)
        offset = row - block_map.starts[index]
        if offset < len(lines):
            line = lines[offset]
        else:  # the blank line after a passage: the same line each time, so it is kept
            if self._gap_line.cell_length != width:
                self._gap_line = Strip.blank(width)
            line = self._gap_line
        is_hovered = block.kind in CLICKABLE and block.key == hovered
        is_selected = block.turn is not None and block.turn is selected
        cached = self._drawn.get((row, width, is_selected, is_hovered))
        if cached is not None and cached[0] is line:
            return cached[1]
        look = renderer.look
        content = list(line)
        if is_hovered:
            content = list(Segment.apply_style(content, post_style=look.hover))
        mark = Segment("▌" if is_selected else " ", look.selected)
        drawn = Strip([mark, *content], line.cell_length + GUTTER)
        drawn = drawn.crop_extend(0, width + GUTTER, style).apply_offsets(0, row)
        drawn = drawn.apply_style(style)
        self._drawn[(row, width, is_selected, is_hovered)] = (line, drawn)
        return drawn
