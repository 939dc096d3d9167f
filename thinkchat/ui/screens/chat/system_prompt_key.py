"""The system-prompt key: the conversation's system prompt, edited in a dialog and kept in the
history. The config's `system_prompt` is only where a new conversation starts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App

from thinkchat.chat.session import ChatSession
from thinkchat.ui.recorder import HistoryRecorder

if TYPE_CHECKING:
    from thinkchat.ui.screens.system_prompt import SystemPromptChoice


class SystemPromptKey:
    """Opens the dialog, and puts what the user settled on in force."""

    def __init__(
        self,
        app: App[Any],
        session: ChatSession,
        recorder: HistoryRecorder,
        *,
        say: Callable[[str, str], None],
        on_change: Callable[[], None],
    ) -> None:
        """`say(text, severity)` tells the user; `on_change()` shows the settings anew."""
        self._app = app
        self._session = session
        self._recorder = recorder
        self._say = say
        self._on_change = on_change

    def edit(self) -> None:
        """The dialog, over the conversation's system prompt as it is."""
        from thinkchat.ui.screens.system_prompt import SystemPromptDialog  # when first opened

        current = self._session.conversation.system_prompt
        self._app.push_screen(SystemPromptDialog(current), self._chosen)

    def _chosen(self, choice: SystemPromptChoice | None) -> None:
        conversation = self._session.conversation
        if choice is None or choice.text == conversation.system_prompt:
            return
        conversation.system_prompt = choice.text
        self._recorder.system_prompt_changed(conversation)
        self._on_change()
        if choice.text is None:
            self._say("System prompt cleared: the next requests send none.", "information")
        else:
            self._say("System prompt set: the next requests send it first.", "information")
