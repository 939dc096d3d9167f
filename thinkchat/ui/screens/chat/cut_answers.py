"""When thinking eats the answer: the key that sends the last answer again with more room.

A cut answer says what happened under it (see `TurnEntry`); the last one also names this key,
which offers the ways to send it again (`chat.cut_short`) in a dialog. The answer sent again
takes the cut one's place, which is kept as its alternative.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import App

from thinkchat.chat.cut_short import Remedy, cut_short
from thinkchat.chat.session import ChatSession, ChatSettings
from thinkchat.chat.turn import Turn
from thinkchat.ui.keys import KeyMap
from thinkchat.ui.renderer.conversation import ConversationView

Send = Callable[[str, Turn, ChatSettings], Awaitable[Turn | None]]


class CutAnswers:
    """Offers the last answer, when it was cut short, to be sent again with more room."""

    def __init__(
        self,
        app: App[Any],
        session: ChatSession,
        view: ConversationView,
        keys: KeyMap,
        *,
        say: Callable[[str], None],
        send: Send,
        streaming: Callable[[], bool],
    ) -> None:
        """`send(prompt, replacing, settings)` sends a turn in another's place."""
        self._app = app
        self._session = session
        self._view = view
        self._keys = keys
        self._say = say
        self._send = send
        self._streaming = streaming

    def offer(self) -> None:
        """Name the key under the last answer, if it was cut short (and under no other)."""
        self._view.offer_resend(self._keys.key_for("resend_cut"))

    def resend(self) -> None:
        """Ask how to send the last answer again, and send it so."""
        turns = self._session.conversation.turns
        cut_turn = turns[-1] if turns and not self._streaming() else None
        cut = cut_short(cut_turn) if cut_turn is not None else None
        if cut_turn is None or cut is None:
            self._say("The last answer was not cut short: there is nothing to send again.")
            return
        if not cut.remedies:
            self._say(
                f"The last answer was cut short ({cut.said}), and no setting of "
                f"{cut_turn.settings.model} gives it more room."
            )
            return
        from thinkchat.ui.screens.resend import ResendDialog

        async def chosen(remedy: Remedy | None) -> None:
            if remedy is None or self._streaming():
                return
            settings = remedy.settings(cut_turn, self._session.settings)
            if await self._send(cut_turn.prompt, cut_turn, settings) is not None:
                self._say(f"Sent again with {remedy.words}, for this answer only.")

        self._app.push_screen(ResendDialog(cut), chosen)
