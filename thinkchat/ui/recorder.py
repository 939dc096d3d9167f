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

    Saves of a streaming turn are throttled on the trailing edge: text that arrives just after
    a save is written a moment later even if nothing else arrives (a stalled stream, say).
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
        self._last_save = 0.0
        self._pending: Timer | None = None

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
        def start(store: HistoryStore) -> None:
            if conversation.id is None:
                conversation.id = store.create_conversation(
                    model=settings.model,
                    region=settings.region,
                    transport=settings.transport,
                    system_prompt=conversation.system_prompt,
                )
            store.add_turn(conversation.id, turn)
            if turn.alternatives:
                # It took another turn's place (`ChatSession.begin(replacing=…)`).
                store.keep_alternatives(turn)
            # The store titles a conversation after its first prompt; keep ours the same.
            conversation.title = conversation.title or title_from_prompt(turn.prompt)

        self._guarded(start)
        self._last_save = self._clock()

    def turn_progressed(self, turn: Turn) -> None:
        if turn.id is None or self._pending is not None:
            return
        wait = self._last_save + SAVE_INTERVAL - self._clock()
        if wait <= 0:
            self._save(turn)
        else:
            self._pending = self._schedule(wait, lambda: self._save(turn))

    def _save(self, turn: Turn) -> None:
        self._pending = None
        self._last_save = self._clock()
        self._guarded(lambda store: store.save_turn(turn))

    def turn_ended(self, turn: Turn) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        if turn.id is not None:
            self._save(turn)

    def close(self) -> None:
        """Close the history if it was opened (one never needed is never opened)."""
        self._opener = None
        if self._store is not None:
            self._store.close()
            self._store = None
