"""The conversation and the reasoning panel side by side, or one above the other when narrow."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal

from thinkchat.chat.turn import TurnStatus
from thinkchat.ui.formatting import turn_caption
from thinkchat.ui.renderer.conversation import ConversationView
from thinkchat.ui.renderer.turn_entry import TurnEntry
from thinkchat.ui.widgets.reasoning_panel import ReasoningPanel


def caption(entry: TurnEntry) -> str:
    """The reasoning panel's caption for a turn as shown."""
    return turn_caption(entry.turn, entry.number, entry.live_reasoning_tokens)


class ChatPanes(Horizontal):
    """A turn chosen in the conversation (a click, a key) shows its reasoning in the panel; a
    link clicked in an answer is copied, never opened."""

    def compose(self) -> ComposeResult:
        yield ConversationView(id="conversation")
        yield ReasoningPanel(id="reasoning")

    @on(ConversationView.TurnSelected)
    def _turn_selected(self, message: ConversationView.TurnSelected) -> None:
        message.stop()
        view, panel = self.query_one(ConversationView), self.query_one(ReasoningPanel)
        entry = message.entry
        if not view.shows(entry):
            return  # a click while the app closes, or a turn just cleared away
        view.select(entry)
        live = entry.turn.status is TurnStatus.STREAMING
        if panel.shown_turn is not entry.turn:
            panel.show_turn(entry.turn, caption(entry), follow=live)
        if message.expand:
            panel.collapsed = False

    @on(ConversationView.LinkClicked)
    def _link_clicked(self, message: ConversationView.LinkClicked) -> None:
        # Links come from the model: copy them rather than open them.
        message.stop()
        self.app.copy_to_clipboard(message.href)
        self.notify(f"Link copied (not opened): {message.href}", markup=False)

    def select_relative(self, step: int) -> None:
        """Choose the turn `step` turns after the one chosen (before it, when negative)."""
        view = self.query_one(ConversationView)
        entries = view.entries
        if not entries:
            return
        current = entries.index(view.selected) if view.selected in entries else len(entries)
        view.choose(entries[max(0, min(len(entries) - 1, current + step))])
