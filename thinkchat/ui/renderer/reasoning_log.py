"""A scrolling, word-wrapped view of plain text that grows at the end, cheaply.

Reasoning arrives a few characters at a time and can run to tens of thousands of tokens in one
paragraph. This widget wraps only the unfinished last row on each append (greedy wrapping never
changes the rows before it), renders only visible rows, and never re-parses what it already
holds, so an append costs the same at the first token and the forty-thousandth.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.ui.renderer.finished_lines import FinishedLines
from thinkchat.ui.renderer.scroll_bar import DirectVerticalScrollBar


def _fit(text: str, start: int, width: int, ascii_only: bool) -> int:
    """The end of the longest run of `text` from `start` that fits in `width` cells."""
    if ascii_only:
        return min(len(text), start + width)
    used = 0
    for index in range(start, len(text)):
        used += cell_len(text[index])
        if used > width:
            return index
    return len(text)


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap into rows of at most `width` cells; the last row is the unfinished one.

    Rows break at the last space that fits (the space is dropped), or mid-word when a word is
    longer than a row. One pass over the text, however long it is.
    """
    width = max(width, 1)
    ascii_only = text.isascii()
    rows: list[str] = []
    start = 0
    while True:
        cut = _fit(text, start, width, ascii_only)
        if cut >= len(text):
            break
        cut = max(cut, start + 1)
        space = text.rfind(" ", start, cut + 1)
        if space > start:
            rows.append(text[start:space])
            start = space + 1
        else:
            rows.append(text[start:cut])
            start = cut
    rows.append(text[start:])
    return rows


class ReasoningLog(ScrollView, DirectVerticalScrollBar, can_focus=True):
    """Plain text, word-wrapped to the widget's width, that follows its end while at the end."""

    DEFAULT_CSS = """
    ReasoningLog {
        background: $reasoning-background;
        color: $reasoning-foreground;
        text-style: italic;
        scrollbar-size-vertical: 1;
        /* Rows are wrapped to the width: none is wider but for the moment the vertical bar
           takes a column, and a horizontal bar shown for that moment cost two layouts. */
        overflow-x: hidden;
        padding: 0 1;
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self._paragraphs: list[str] = []  # finished logical lines
        self._last: list[str] = []  # the fragments of the paragraph still growing
        self._rows: list[str] = []  # finished wrapped rows
        self._tail = ""  # the last wrapped row, still growing
        self._wrap_width = 0
        self._cache: LRUCache[int, Strip] = LRUCache(256)
        self._finished = FinishedLines()
        # Textual works `rich_style` out from the styles at every read, which added up over
        # a frame's rows: kept, like the rows' lines, until the styles change.
        self._style: Style | None = None

    @property
    def text(self) -> str:
        return "\n".join([*self._paragraphs, "".join(self._last)])

    @property
    def row_count(self) -> int:
        return len(self._rows) + (1 if self._tail else 0)

    def on_mount(self) -> None:
        self.anchor()

    def set_text(self, text: str, *, follow: bool) -> None:
        """Replace everything shown; `follow` keeps the view at the end as text grows."""
        self._paragraphs.clear()
        self._last.clear()
        self._rows.clear()
        self._tail = ""
        self._cache.clear()
        self.append(text)
        self._resize()
        if follow:
            self.anchor()
        else:
            self.anchor(False)
            self.scroll_home(animate=False, immediate=True)

    def append(self, text: str) -> None:
        """Add text at the end, wrapping only what changed."""
        if not text:
            return
        text = safe_for_terminal(text.expandtabs(4))
        width = self.scrollable_content_region.width
        if width <= 0:
            # Hidden (the panel is collapsed): keep the text, and wrap it once it is shown.
            self._keep(text)
            return
        if width != self._wrap_width:
            self._rewrap(width)
        first_changed = len(self._rows)
        fragments = text.split("\n")
        for index, fragment in enumerate(fragments):
            if index:
                self._paragraphs.append("".join(self._last))
                self._last = []
                self._rows.append(self._tail)
                self._tail = ""
            self._last.append(fragment)
            *finished, self._tail = wrap(self._tail + fragment, width)
            self._rows.extend(finished)
        for y in range(first_changed, self.row_count + 1):
            self._cache.discard(y)
        self._resize()

    def _keep(self, text: str) -> None:
        *finished, last = text.split("\n")
        if finished:
            self._paragraphs.append("".join(self._last) + finished[0])
            self._paragraphs.extend(finished[1:])
            self._last = []
        self._last.append(last)
        self._wrap_width = 0  # the rows are out of date

    def _rewrap(self, width: int) -> None:
        self._wrap_width = width
        self._rows = []
        for paragraph in self._paragraphs:
            self._rows.extend(wrap(paragraph, width))
        *finished, self._tail = wrap("".join(self._last), width)
        self._rows.extend(finished)
        self._cache.clear()

    def _resize(self) -> None:
        size = Size(self._wrap_width, self.row_count)
        old = self.virtual_size
        if self.show_vertical_scrollbar and size.width == old.width and size.height >= old.height:
            # Only taller, under the scroll bar it already shows: update the bar and follow
            # the end here. Setting `virtual_size` would lay out the whole screen, which is
            # most of what a frame costs while the reasoning streams.
            following = self.is_anchored and self.scroll_y >= self.max_scroll_y
            self.set_reactive(ReasoningLog.virtual_size, size)
            self.vertical_scrollbar.window_virtual_size = size.height
            if following:
                self.scroll_target_y = self.scroll_y = self.max_scroll_y
        else:
            self.virtual_size = size
        self.refresh()

    def on_resize(self) -> None:
        self._fit_width()

    def watch_show_vertical_scrollbar(self) -> None:
        # The scroll bar takes a column from the text: wrap it again, narrower.
        self.call_after_refresh(self._fit_width)
        # Textual's anchoring leaves the bar where the end was while the text was shorter than
        # the view (a negative position: a sliver for a thumb), and a view opened at the top
        # does not move it.
        self.place_thumb()

    def _fit_width(self) -> None:
        width = self.scrollable_content_region.width
        if width > 0 and width != self._wrap_width:
            self._rewrap(width)
            self._resize()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Called whenever the panel opens too: keep the rows drawn while they look the same.
        if self._style is None or self.rich_style != self._style:
            self._cache.clear()
            self._style = None

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = self._finished.render_lines(self, crop, self._line_at())
        return super().render_lines(crop) if lines is None else lines

    def render_line(self, y: int) -> Strip:
        return self._line_at()(y)

    def _line_at(self) -> Callable[[int], Strip]:
        """Line `y` of the view, with what all the lines of one drawing share read once
        (Textual works the view's region out anew at each reading)."""
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if self._style is None:
            self._style = self.rich_style
        style = self._style

        def line_at(y: int) -> Strip:
            row = scroll_y + y
            line = self._cache.get(row)
            if line is None:
                if row < len(self._rows):
                    text = self._rows[row]
                elif row == len(self._rows):
                    text = self._tail
                else:
                    return Strip.blank(width, style)
                line = Strip([Segment(text, style)])
                self._cache[row] = line
            return line.crop_extend(scroll_x, scroll_x + width, style).apply_style(style)

        return line_at
