"""Widgets resized by a layout need no second layout for having been resized.

Textual's `virtual_size` asks for a layout whenever it changes, and a layout sets it on every
widget whose size it changed. So a layout that resizes a widget is followed, at the next screen
update, by a second layout of the whole screen that changes nothing: each time the reasoning
panel opened or closed, the panel, its title and the conversation's scroll bar were resized and
paid for one (5 to 12 ms of the key's frame). A widget that does not scroll its own children
reads its virtual size from no one: a new one needs a repaint, not another layout.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.scrollbar import ScrollBar
from textual.widget import Widget


class SizedByLayout(Widget):
    """Mixed into a widget that does not scroll, so that being resized lays nothing out again."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class QuietScrollBar(ScrollBar, SizedByLayout):
    """A scroll bar whose resizing lays nothing out again (see the module docstring)."""


class QuietVerticalScrollBar(Widget):
    """Mixed into a scrolling widget, after Textual's class (whose CSS only the first base
    passes on): its vertical scroll bar is a `QuietScrollBar`. The conversation is one row
    shorter while the reasoning panel is collapsed, so each toggle resizes its scroll bar."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Textual's own property, with a `QuietScrollBar`. Textual offers no way to choose
        the scroll bar's class: this starts it as the property does, with Textual's private
        `_start_widget` (a control test fails if Textual stops asking for the extra layout,
        and then this can go)."""
        if self._vertical_scrollbar is None:
            scroll_bar = QuietScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical
            )
            scroll_bar.display = False
            self._vertical_scrollbar = scroll_bar
            self.app._start_widget(self, scroll_bar)
        return self._vertical_scrollbar
