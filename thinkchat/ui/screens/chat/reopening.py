"""Reopening a stored conversation: the history screen (ctrl+l), --continue and --resume.

Every turn is loaded, since the model needs the whole conversation; the view draws the latest
ones only. The conversation goes on with the settings of its last turn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from thinkchat.chat.session import ChatSession
from thinkchat.history.errors import StoreError
from thinkchat.ui.recorder import HistoryRecorder
from thinkchat.ui.renderer.conversation import ConversationView
from thinkchat.ui.screens.chat.cut_answers import CutAnswers
from thinkchat.ui.screens.chat.edit_again import PromptEditing
from thinkchat.ui.screens.chat.settings_keys import SettingsKeys
from thinkchat.ui.widgets.reasoning_panel import ReasoningPanel


class Reopening:
    """What the history key does, and how a stored conversation is shown to go on with."""

    def __init__(
        self,
        app: App[Any],
        session: ChatSession,
        recorder: HistoryRecorder,
        view: ConversationView,
        panel: ReasoningPanel,
        *,
        settings: SettingsKeys,
        editing: PromptEditing,
        cut_answers: CutAnswers,
        streaming: Callable[[], bool],
        say: Callable[[str, str], None],
    ) -> None:
        """`streaming()`: whether a turn is streaming; `say(message, severity)` notifies."""
        self._app = app
        self._session = session
        self._recorder = recorder
        self._view = view
        self._panel = panel
        self._settings = settings
        self._editing = editing
        self._cut_answers = cut_answers
        self._streaming = streaming
        self._say = say

    def browse(self) -> None:
        """Open the history screen; the conversation chosen there is reopened."""
        if self._recorder.store is None:
            self._say("The history is not available in this session.", "warning")
            return
        from thinkchat.ui.screens.history import HistoryScreen  # loads when first opened

        self._app.push_screen(HistoryScreen(self._recorder.store), self._chosen)

    async def _chosen(self, conversation_id: int | None) -> None:
        if conversation_id is not None:
            await self.open(conversation_id)

    async def open(self, conversation_id: int) -> bool:
        """Show a stored conversation (its latest turns) and continue it; False if it failed."""
        store = self._recorder.store
        if store is None:
            return False
        if self._streaming():
            self._say("Stop the answer being streamed first (escape).", "warning")
            return False
        try:
            stored = store.load_conversation(conversation_id)
        except StoreError as problem:
            self._say(str(problem), "error")
            return False
        conversation = stored.conversation
        self._session.conversation = conversation
        self._editing.end()
        last = conversation.turns[-1].settings if conversation.turns else None
        self._settings.apply(
            model=last.model if last else stored.model,
            region=last.region if last else stored.region,
            transport=last.transport if last else stored.transport,
        )
        self._view.show_turns(conversation.turns)
        self._cut_answers.offer()
        entries = self._view.entries
        if entries:
            self._view.choose(entries[-1])
        else:
            self._panel.show_turn(None, "no reasoning yet", follow=True)
        self._say(f"Reopened: {conversation.title or 'untitled conversation'}", "information")
        return True
