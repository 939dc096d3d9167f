"""The collapsible reasoning panel: a title bar to click, and the reasoning itself."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive

from thinkchat.chat.turn import Turn
from thinkchat.ui.renderer.no_relayout import NoRelayoutOnResize
from thinkchat.ui.renderer.reasoning_log import ReasoningLog
from thinkchat.ui.widgets.one_line import OneLine


class PanelTitle(OneLine, NoRelayoutOnResize):
    """The panel's title bar; a click collapses or expands the panel."""

    DEFAULT_CSS = """
    PanelTitle {
        background: $reasoning-title-background;
        color: $reasoning-title-foreground;
        text-style: bold;
        padding: 0 1;
        width: 1fr;
        &:hover { text-style: bold underline; }
    }
    """

    class Clicked(Message):
        """The title bar was clicked."""

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked())


class ReasoningPanel(Vertical, NoRelayoutOnResize):
    """Shows one turn's reasoning: live while it streams, or any earlier turn on request."""

    DEFAULT_CSS = """
    ReasoningPanel {
        width: 2fr;
        height: 1fr;
        border-left: vkey $reasoning-title-background;
        background: $reasoning-background;
        &.-collapsed {
            dock: bottom;
            width: 1fr;
            height: 1;
            border-left: none;
            & > ReasoningLog { display: none; }
        }
    }
    """

    collapsed: reactive[bool] = reactive(False)
    # Drawn by the title bar alone: the panel itself (and its border, the height of the screen)
    # is not drawn again each time the caption changes, as it does at every frame of a stream.
    caption: reactive[str] = reactive("no reasoning yet", repaint=False)

    class ToggleRequested(Message):
        """The user clicked the title: collapse or expand."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.toggle_key = "ctrl+f"
        self.shown_turn: Turn | None = None
        self.log_view = ReasoningLog()
        self._title = PanelTitle()

    def compose(self) -> ComposeResult:
        yield self._title
        yield self.log_view

    def show_turn(self, turn: Turn | None, caption: str, *, follow: bool) -> None:
        """Show `turn`'s reasoning; `follow` keeps the view at the end while it streams."""
        self.shown_turn = turn
        self.log_view.set_text(turn.reasoning if turn else "", follow=follow)
        self.caption = caption

    @property
    def reasoning(self) -> str:
        """The reasoning shown."""
        return self.log_view.text

    def drop_reasoning(self) -> None:
        """What was shown as the turn's reasoning was its answer: show none."""
        self.log_view.set_text("", follow=True)

    def append_reasoning(self, text: str) -> None:
        """More of the shown turn's reasoning, as it streams."""
        self.log_view.append(text)

    def _update_title(self) -> None:
        if self.collapsed:
            title = f"▸ Reasoning · {self.caption} · {self.toggle_key} to show"
        else:
            title = f"▾ Reasoning · {self.caption}"
        self._title.show(Content(title))

    def watch_collapsed(self, collapsed: bool) -> None:
        self.set_class(collapsed, "-collapsed")
        self._update_title()

    def watch_caption(self) -> None:
        self._update_title()

    def on_panel_title_clicked(self, message: PanelTitle.Clicked) -> None:
        message.stop()
        self.post_message(self.ToggleRequested())
