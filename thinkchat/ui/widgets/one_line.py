"""A line of text that changes often, without laying out the screen again each time."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


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
