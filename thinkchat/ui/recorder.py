"""Writing the conversation to the history as it happens, so a crash loses nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.timer import Timer

from thinkchat.chat.conversation import Conversation, title_from_prompt
from thinkchat.chat.session import ChatSettings
from thinkchat.chat.turn import Turn
from thinkchat.history.errors import StoreError

if TYPE_CHECKING:
    from thinkchat.history.store import HistoryStore

# A streaming turn is written at most this often; every write commits.
SAVE_INTERVAL = 0.5

Scheduler = Callable[[float, Callable[[], object]], Timer]


class HistoryRecorder:
    """Keeps the store in step with the session. A failing store is reported once, then left.

    Saves of a streaming turn are throttled on the trailing edge, each turn on its own: text
    that arrives just after a save is written a moment later even if nothing else arrives (a
    stalled stream, say).
    """

    def __init__(
        self,
        store: HistoryStore | None,
        report: Callable[[str], None],
        schedule: Scheduler,
        clock: Callable[[], float] = time.monotonic,
        *,
        opener: Callable[[], HistoryStore] | None = None,
    ) -> None:
        """`store` is the history, open; or `opener` opens it when it is first needed (None
        for both: the history is not kept)."""
        self._store = store
        self._opener = opener
        self._report = report
        self._schedule = schedule
        self._clock = clock
        # By turn id: when each turn was last written, and its save waiting, if any.
        self._last_save: dict[int, float] = {}
        self._pending: dict[int, Timer] = {}

    @property
    def store(self) -> HistoryStore | None:
        """The history (None: not kept, or it failed), opened if it was not yet."""
        return self.open()

    def open(self) -> HistoryStore | None:
        """Open the history if it is not open yet; a failure is reported once."""
        if self._store is None and self._opener is not None:
            opener, self._opener = self._opener, None
            try:
                self._store = opener()
            except StoreError as problem:
                self._report(
                    f"History is not being saved: {problem}. This session's conversations last "
                    "until you quit; fix or move that file and start thinkchat again to keep them."
                )
        return self._store

    def _guarded(self, write: Callable[[HistoryStore], object]) -> None:
        store = self.open()
        if store is None:
            return
        try:
            write(store)
        except StoreError as problem:
            self._store = None
            self._report(f"History is not being saved: {problem}")

    def turn_started(self, conversation: Conversation, turn: Turn, settings: ChatSettings) -> None:
        """A turn was added at the end of `conversation` (which is stored with it, if new)."""

        def start(store: HistoryStore) -> None:
            if conversation.id is None:
                conversation.id = store.create_conversation(
                    model=settings.model,
                    region=settings.region,
                    transport=settings.transport,
                    system_prompt=conversation.system_prompt,
                )
            store.add_turn(conversation.id, turn)
            if turn.alternatives and all(other.id is not None for other in turn.alternatives):
                # It took the place of stored turns (`ChatSession.begin(replacing=…)`); a
                # comparison's alternatives are stored after it (`alternative_started`).
                store.keep_alternatives(turn)
            # The store titles a conversation after its first prompt; keep ours the same.
            conversation.title = conversation.title or title_from_prompt(turn.prompt)

        self._guarded(start)
        self._saved(turn)

    def system_prompt_changed(self, conversation: Conversation) -> None:
        """`conversation` has a new system prompt (or none); a conversation not stored yet
        is stored with it when its first turn begins."""
        conversation_id = conversation.id
        if conversation_id is not None:
            self._guarded(
                lambda store: store.set_system_prompt(conversation_id, conversation.system_prompt)
            )

    def alternative_started(self, conversation: Conversation, turn: Turn, of: Turn) -> None:
        """`turn` was begun as another answer for `of`'s place (see `Turn.alternatives`)."""
        conversation_id = conversation.id
        if conversation_id is None or of.id is None:
            return  # the history failed when `of` began
        self._guarded(lambda store: store.add_turn(conversation_id, turn, alternative_of=of))
        self._saved(turn)

    def choice_changed(self, chosen: Turn) -> None:
        """`chosen` now stands in its place, and the turns beside it are its alternatives."""
        if chosen.id is not None and all(other.id is not None for other in chosen.alternatives):
            self._guarded(lambda store: store.keep_alternatives(chosen))

    def turn_progressed(self, turn: Turn) -> None:
        """More of `turn` arrived: written at most every `SAVE_INTERVAL`, each turn on its own
        (a comparison's variants stream at once)."""
        if turn.id is None or turn.id in self._pending:
            return
        wait = self._last_save.get(turn.id, 0.0) + SAVE_INTERVAL - self._clock()
        if wait <= 0:
            self._save(turn)
        else:
            self._pending[turn.id] = self._schedule(wait, lambda: self._save(turn))

    def _saved(self, turn: Turn) -> None:
        if turn.id is not None:
            self._last_save[turn.id] = self._clock()

    def _save(self, turn: Turn) -> None:
        if turn.id is not None:
            self._pending.pop(turn.id, None)
        self._saved(turn)
        self._guarded(lambda store: store.save_turn(turn))

    def turn_ended(self, turn: Turn) -> None:
        """`turn` will not change any more: written now, and forgotten."""
        if turn.id is None:
            return
        pending = self._pending.pop(turn.id, None)
        if pending is not None:
            pending.stop()
        self._save(turn)
        self._last_save.pop(turn.id, None)

    def close(self) -> None:
        """Close the history if it was opened (one never needed is never opened)."""
        self._opener = None
        if self._store is not None:
            self._store.close()
            self._store = None
