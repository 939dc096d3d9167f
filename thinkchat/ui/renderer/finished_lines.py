"""A scrolling pane's lines finished as Textual finishes them, kept by the line drawn.

Textual finishes each line a widget draws (fits it to the content width, pads it in the
widget's background, runs the app's line filters over it) and keeps the result by its row on
screen. A pane that follows a stream scrolls at every frame, which puts every line at another
row: each frame finished every line on screen again, and again when the reasoning panel opened
or closed (benchmarks/RESULTS.md, "Figures moved out of the code"). The panes' own lines are
kept (a line that did not change is the same object as before), so `FinishedLines` keeps
finished lines by the line they came from: a line that only moved is not finished again.

It finishes only what the panes' styles need (background and side padding). A pane whose
styles ask for more (a border, a tint, padding above or below…) is left to Textual.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from textual.cache import FIFOCache, LRUCache
from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

LINES_KEPT = 256
LOOKS_KEPT = 2  # the reasoning panel toggles a pane between two widths


def _plain(widget: Widget) -> bool:
    """Whether Textual would do no more to `widget`'s lines than `FinishedLines` does."""
    styles = widget.styles
    top, _, bottom, _ = styles.padding
    hover = widget.hover_style
    return not (
        top
        or bottom
        or any(edge for edge, _ in styles.border)
        or any(edge for edge, _ in styles.outline)
        or widget.border_title is not None
        or widget.border_subtitle is not None
        or styles.tint.a
        or widget.opacity != 1.0
        or styles.text_opacity != 1.0
        or (styles.has_rule("hatch") and styles.hatch != "none")
        # Textual restyles a link under the mouse that runs an action.
        or (widget.auto_links and hover.link_id and "@click" in hover.meta)
    )


class FinishedLines:
    """Finishes a widget's lines and keeps them by the line drawn, for its latest two looks."""

    def __init__(self) -> None:
        # By look (width, padding, background, filters), then by the drawn line's id: (the
        # drawn line, the finished one).
        self._kept: LRUCache[tuple[object, ...], FIFOCache[int, tuple[Strip, Strip]]] = LRUCache(
            LOOKS_KEPT
        )

    def render_lines(
        self, widget: Widget, crop: Region, render_line: Callable[[int], Strip]
    ) -> list[Strip] | None:
        """`widget`'s lines in `crop` as Textual's style cache would give them, each line
        from `render_line(y)`; None when its styles need Textual's own finishing."""
        if not _plain(widget):
            return None
        width = widget.region.width
        content_width = widget.content_region.width
        _, pad_right, _, pad_left = widget.styles.padding
        base_background, background = widget.background_colors
        fill = Style(background=base_background + background).rich_style
        filters = tuple(widget.get_line_filters())
        look = (width, content_width, pad_left, pad_right, fill, filters, background)
        kept = self._kept.get(look)
        if kept is None:
            kept = self._kept[look] = FIFOCache(LINES_KEPT)
        left = [Segment(" " * pad_left, fill)] if pad_left else []
        right = [Segment(" " * pad_right, fill)] if pad_right else []
        lines = []
        for y in crop.line_range:
            line = render_line(y)
            entry = kept.get(id(line))
            if entry is not None and entry[0] is line:
                lines.append(entry[1])
                continue
            finished = line.adjust_cell_length(content_width, fill)
            if left or right:
                finished = Strip([*left, *finished, *right], width)
            for line_filter in filters:
                finished = finished.apply_filter(line_filter, background)
            kept[id(line)] = (line, finished)
            lines.append(finished)
        x1, x2 = crop.column_span
        if (x1, x2) != (0, width):
            lines = [line.crop(x1, x2) for line in lines]
        return lines
