"""Items such as "qwen-plus", "Singapore", "5 in · 170 out" as lines that change often, laid
out again only when their number of lines changes."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from thinkchat.ui.renderer.item_lines import fit_items


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
