"""One variant of a comparison: its title, its reasoning (collapsible) and its answer.

The answer is drawn by the conversation's own renderer (a `ConversationView` showing the one
turn), so a column streams as fast as the chat, and shows the turn's thinking summary, its
error with the usual hint and its usage line the same way.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message

from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.chat.turn import Turn, TurnStatus
from thinkchat.ui.renderer.conversation import ConversationView
from thinkchat.ui.renderer.turn_entry import TurnEntry
from thinkchat.ui.widgets.chat_panes import caption
from thinkchat.ui.widgets.one_line import OneLine
from thinkchat.ui.widgets.reasoning_panel import ReasoningPanel


class VariantView(ConversationView, can_focus=False):
    """A variant's turn, read from the top. It never takes the focus: the compare screen's
    keys act on the variant marked current, and a change of focus would restyle and lay out
    the screen (Textual's footer shows the focused widget's keys) on every tab."""

    SITS_AT_BOTTOM = False


class VariantColumn(Vertical):
    """A variant's turn, as the chat shows a turn, under a title that says how it was asked."""

    DEFAULT_CSS = """
    VariantColumn {
        width: 1fr;
        height: 1fr;
        & > .title {
            background: $panel;
            color: $text-muted;
            padding: 0 1;
        }
        & > .title.-current { background: $primary 40%; color: $text; text-style: bold; }
        & > ReasoningPanel {
            width: 1fr;
            height: 40%;
            border-left: none;
            border-bottom: hkey $reasoning-title-background;
        }
        & > ReasoningPanel.-collapsed { dock: none; height: 1; border-bottom: none; }
        & > VariantView { width: 1fr; height: 1fr; }
    }
    """

    def __init__(self, index: int, label: str, turn: Turn, *, prompt: str, chosen: bool) -> None:
        """Variant `index` (0-based), `label` as the variant syntax writes it ("" for none);
        `prompt` is the comparison's, shown above the columns (a turn asked otherwise shows
        its own); `chosen`: the answer the conversation goes on with."""
        super().__init__()
        self.index = index
        self.label = label
        self.turn = turn
        self.chosen = chosen
        asked_otherwise = turn.prompt != prompt
        self.entry = TurnEntry(
            turn,
            index + 1,
            heading="Asked as" if asked_otherwise else "",
            show_prompt=asked_otherwise,
        )
        self.panel = ReasoningPanel()
        self.panel.log_view.can_focus = False  # as the answer: see `VariantView`
        self.view = VariantView()
        self._title = OneLine(classes="title")

    @property
    def title_text(self) -> str:
        """ "2 · no-think · qwen-plus, no thinking, openai, singapore · chosen"."""
        parts = [str(self.index + 1), self.label, self.turn.settings.describe()]
        if self.chosen:
            parts.append("chosen")
        return " · ".join(part for part in parts if part)

    def compose(self) -> ComposeResult:
        yield self._title
        yield self.panel
        yield self.view

    def on_mount(self) -> None:
        self.view.show_entry(self.entry)
        live = self.turn.status is TurnStatus.STREAMING
        self.panel.show_turn(self.turn, caption(self.entry), follow=live)
        self.show_title()

    def show_title(self) -> None:
        self._title.show(Content(safe_for_terminal(self.title_text)))

    def mark_current(self, current: bool) -> None:
        """Mark the column the keys act on (its title only: the column's own styles, and its
        answer's, stay as they are)."""
        self._title.set_class(current, "-current")

    class Clicked(Message):
        """The column was clicked: it becomes the current one."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def on_mouse_down(self) -> None:
        self.post_message(self.Clicked(self.index))

    @on(ConversationView.TurnSelected)
    def _selected(self, message: ConversationView.TurnSelected) -> None:
        # A click on the thinking summary opens the reasoning, as in the chat.
        message.stop()
        if message.expand:
            self.panel.collapsed = False

    @on(ConversationView.LinkClicked)
    def _link_clicked(self, message: ConversationView.LinkClicked) -> None:
        # Links come from the model: copied, never opened.
        message.stop()
        self.app.copy_to_clipboard(message.href)
        self.notify(f"Link copied (not opened): {message.href}", markup=False)
