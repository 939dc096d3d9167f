"""Edit and send again: the last prompt back in the input, changed, and sent in its place.

The answer it replaces is kept as an alternative of the new turn (as an answer sent again with
more room is, or one picked in a comparison), so nothing the model said is lost. Only the last
prompt can be edited: an earlier one would leave the turns after it answering a question that
is no longer there.
"""

from __future__ import annotations

from collections.abc import Callable

from thinkchat.chat.session import ChatSession
from thinkchat.chat.turn import Turn
from thinkchat.ui.keys import KeyMap
from thinkchat.ui.widgets.prompt import PromptInput


class PromptEditing:
    """Whether the prompt input holds the last prompt being edited, and which turn it replaces."""

    def __init__(
        self,
        session: ChatSession,
        prompt: PromptInput,
        keys: KeyMap,
        *,
        say: Callable[[str, str], None],
        streaming: Callable[[], bool],
    ) -> None:
        """`say(text, severity)` tells the user; `streaming()`: whether a turn streams now."""
        self._session = session
        self._prompt = prompt
        self._keys = keys
        self._say = say
        self._streaming = streaming
        self._turn: Turn | None = None

    def start(self) -> None:
        """Put the last prompt in the input to be edited; refused while a turn streams, and
        while the input holds text of the user's (it would be lost)."""
        turns = self._session.conversation.turns
        stop = self._keys.key_for("stop")
        if self._streaming():
            self._say(f"Still answering: wait, or press {stop} to stop it, then edit.", "warning")
        elif not turns:
            self._say("There is no prompt to edit yet.", "information")
        elif self._turn is not None:
            self._prompt.focus()
        elif self._prompt.text.strip():
            self._say(
                "The prompt holds what you typed: send or clear it first, then edit the last "
                f"prompt with {self._keys.key_for('edit_prompt')}.",
                "warning",
            )
        else:
            self._turn = turns[-1]
            self._prompt.begin_edit(
                self._turn.prompt,
                f"Editing prompt {len(turns)}: {self._keys.key_for('send')} sends it in its "
                f"place (its answer is kept) · {stop} cancels",
            )

    @property
    def editing(self) -> bool:
        """Whether the input holds the last prompt being edited."""
        return self._turn is not None

    @property
    def replacing(self) -> Turn | None:
        """The turn a prompt sent now takes the place of (None: not editing, or the turn is
        no longer the conversation's last: another conversation was opened, say)."""
        turns = self._session.conversation.turns
        if self._turn is not None and turns and turns[-1] is self._turn:
            return self._turn
        return None

    def end(self) -> None:
        """Editing is over (the prompt was sent, or the conversation changed)."""
        self._turn = None
        self._prompt.end_edit()

    def cancel(self) -> bool:
        """Give up editing: the input is as it was before (empty). False when not editing."""
        if self._turn is None:
            return False
        self.end()
        self._prompt.clear()
        self._say("Edit cancelled: the conversation is as it was.", "information")
        return True
