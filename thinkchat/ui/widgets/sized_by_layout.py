"""Widgets that grow in a layout need no second layout for having grown.

Textual's `virtual_size` asks for a layout whenever it changes, and a layout sets it on every
widget whose size it changed. So each frame that grew the answer was followed, in the next
screen update, by a second layout of the whole screen that changed nothing: a key drawn just
after a frame paid 10-15 ms for it, and the answer's screen updates took about a fifth longer
in all. A widget that is not a `ScrollView` never sets its virtual size itself, only a layout
does, so a taller virtual size needs a repaint, not another layout. Scroll bars that appear or
disappear still ask for their layout (they have a reactive of their own).

A new width still asks for the second layout. Textual tells a container that its arrangement
is out of date only once the child that changed is idle, and the answer measures its finished
parts again at a new width over the layouts that follow: those layouts must see the parts at
the new width (see `AnswerView.on_resize`).
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget


class SizedByLayout(Widget):
    """Mixed into a widget whose virtual size is set by layouts only (not a `ScrollView`)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        if old.width != new.width:
            self.refresh(layout=True)
