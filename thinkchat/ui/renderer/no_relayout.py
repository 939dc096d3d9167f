"""Widgets resized by a layout need no second layout for having been resized.

Textual's `virtual_size` asks for a layout whenever it changes, and a layout sets it on every
widget whose size it changed. So a layout that resizes a widget is followed, at the next screen
update, by a second layout of the whole screen that changes nothing: each time the reasoning
panel opened or closed, the panel, its title and the conversation's scroll bar were resized and
paid for one (benchmarks/RESULTS.md, "Figures moved out of the code"). A widget that does not
scroll its own children reads its virtual size from no one: a new one needs a repaint, not
another layout.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget


class NoRelayoutOnResize(Widget):
    """Mixed into a widget that does not scroll, so that being resized lays nothing out again."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
