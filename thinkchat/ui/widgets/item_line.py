"""Lines of text that change often, without laying out the screen again each time."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget


def fit_items(items: list[Content], width: int, separator: Content) -> list[Content]:
    """Lay `items` out in as few lines of `width` cells as fit, breaking only between items."""
    lines: list[Content] = []
    line: Content | None = None
    for item in items:
        candidate = item if line is None else line + separator + item
        if line is not None and candidate.cell_length > width:
            lines.append(line)
            line = item
        else:
            line = candidate
    if line is not None:
        lines.append(line)
    return lines


class OneLine(Widget):
    """A single line of text (cut short if it does not fit) that changes without a layout."""

    DEFAULT_CSS = """
    OneLine { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._content = Content("")

    def show(self, content: Content) -> None:
        if content != self._content:
            self._content = content
            self.refresh()

    def render(self) -> Content:
        return self._content


class ItemLine(Widget):
    """Items such as "qwen-plus", "Singapore", "5 in · 170 out" shown as one wrapping line."""

    DEFAULT_CSS = """
    ItemLine { height: auto; }
    """

    def __init__(
        self, separator: str = " · ", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._separator = Content(separator)
        self._rows: list[list[Content]] = []

    def set_rows(self, *rows: list[Content]) -> None:
        """Show each row's items, each row starting on a new line."""
        rows_kept = [row for row in rows if row]
        if rows_kept == self._rows:
            return
        width = self.content_size.width
        lines_before = len(self._lines(width))
        self._rows = rows_kept
        # A new layout only when the number of lines changes: a layout lays out the screen.
        self.refresh(layout=len(self._lines(width)) != lines_before or not width)

    def _lines(self, width: int) -> list[Content]:
        return [line for row in self._rows for line in fit_items(row, width, self._separator)]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(len(self._lines(width)), 1)

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_size.width))
