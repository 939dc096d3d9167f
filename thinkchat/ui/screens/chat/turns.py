"""A turn's life on the chat screen, once sent: streamed, recorded, and followed by the
collector's full pass once the user pauses."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import aclosing
from typing import Any

from textual.app import App

from thinkchat.chat.session import ChatSession
from thinkchat.chat.turn import Turn
from thinkchat.process.gc_pause import GcPause
from thinkchat.ui.keys import KeyMap
from thinkchat.ui.live_cost import live_cost
from thinkchat.ui.recorder import HistoryRecorder
from thinkchat.ui.renderer.conversation import ConversationView
from thinkchat.ui.renderer.turn_entry import TurnEntry
from thinkchat.ui.screens.chat.frame_pacer import FRAME_SECONDS, FramePacer
from thinkchat.ui.screens.chat.streaming import TurnStreamer
from thinkchat.ui.token_estimate import token_scale
from thinkchat.ui.widgets.chat_panes import caption
from thinkchat.ui.widgets.reasoning_panel import ReasoningPanel

# The longest the stream may hold the event loop before letting frames and keys through.
YIELD_SECONDS = 0.01
# A turn just sent is shown with its first words if they come this soon (`FramePacer.hold`):
# a frame at the fastest pace.
SENT_HOLD_SECONDS = FRAME_SECONDS
# The full collection after a turn waits until nothing was typed or clicked for this long.
IDLE_SECONDS = 1.0


class TurnRunner:
    """Streams the chat's turns, one at a time, into the conversation and the reasoning panel."""

    def __init__(
        self,
        app: App[Any],
        session: ChatSession,
        conversation: ConversationView,
        panel: ReasoningPanel,
        *,
        recorder: HistoryRecorder,
        keys: KeyMap,
        host_root: Callable[[str], str],
        gc_pause: GcPause,
        last_input: Callable[[], float],
        on_change: Callable[[], None],
    ) -> None:
        """`host_root(region)` is where requests for a region go (for hints); `last_input()`
        is when the latest key, click or paste came in; `on_change()` is called whenever what
        the status line shows may have changed."""
        self._app = app
        self._session = session
        self._conversation = conversation
        self._panel = panel
        self._recorder = recorder
        self._keys = keys
        self._host_root = host_root
        self._gc_pause = gc_pause
        self._last_input = last_input
        self._on_change = on_change
        self._streamer: TurnStreamer | None = None
        self._pacer = FramePacer.for_app(app, last_input)

    @property
    def streaming(self) -> bool:
        return self._streamer is not None

    def rates(self) -> tuple[float | None, float | None] | None:
        """The live token rates of the turn streaming (see `TurnStreamer.rates`), if any."""
        return None if self._streamer is None else self._streamer.rates()

    def sending(self) -> None:
        """A turn is about to be sent: what that changes on screen waits a moment for its
        first words, to show with them."""
        self._pacer.hold(SENT_HOLD_SECONDS)

    async def run(self, entry: TurnEntry) -> None:
        """Stream `entry`'s turn to its end (or until cancelled), then show how it ended."""
        streamer = TurnStreamer(
            self._conversation,
            entry,
            self._panel,
            pacer=self._pacer,
            on_frame=self._frame_drawn,
            stop_key=self._keys.key_for("stop"),
            token_scale=token_scale(self._session.conversation.turns),
            live_cost=live_cost(self._session, entry.turn),
        )
        self._streamer = streamer
        self._gc_pause.pause()
        try:
            await self._consume(streamer, entry)
        finally:
            self._streamer = None
            self._recorder.turn_ended(entry.turn)
            await streamer.finish(turn_hint(entry.turn, self._keys, self._host_root))
            if self._panel.shown_turn is entry.turn:
                self._panel.caption = caption(entry)
            self._on_change()
            self._collect_when_idle()

    async def _consume(self, streamer: TurnStreamer, entry: TurnEntry) -> None:
        async with aclosing(self._session.run(entry.turn)) as events:
            handed_back = time.monotonic()
            async for event in events:
                if streamer.feed(event):
                    # The turn's first words are the wait the user feels: they go on screen
                    # before the rest of the stream is read (on loopback, all of it is there).
                    await self._pacer.frame_shown()
                # An SDK reading from a full buffer never waits, so this loop would keep the
                # event loop to itself: hand it back now and then, so that frames are drawn
                # and keys handled while a fast stream pours in.
                if time.monotonic() - handed_back > YIELD_SECONDS:
                    await asyncio.sleep(0)
                    handed_back = time.monotonic()

    def _frame_drawn(self, streamer: TurnStreamer) -> None:
        self._recorder.turn_progressed(streamer.turn)
        if self._panel.shown_turn is streamer.turn:
            self._panel.caption = caption(streamer.entry)
        self._on_change()

    def _collect_when_idle(self) -> None:
        collect_when_idle(self._app, self._gc_pause, self._last_input, lambda: self.streaming)


def collect_when_idle(
    app: App[Any], gc_pause: GcPause, last_input: Callable[[], float], busy: Callable[[], bool]
) -> None:
    """The full garbage collection put off during a stream, once the user pauses: better
    while the answer is read than in the middle of typing the next prompt. Not while `busy()`
    (another stream is under way: its end collects)."""
    if busy():
        return
    quiet = time.monotonic() - last_input()
    if quiet < IDLE_SECONDS:
        app.set_timer(
            IDLE_SECONDS - quiet, lambda: collect_when_idle(app, gc_pause, last_input, busy)
        )
    else:
        gc_pause.collect()


def turn_hint(
    turn: Turn, keys: KeyMap, host_root: Callable[[str], str], retry: str | None = None
) -> str | None:
    """What to do about `turn`'s error, told with the chat's keys (None: it has none);
    `retry` says how to try again, if not with the retry key."""
    if turn.error is None:
        return None
    # Imported with the first error: start-up does not need the rules.
    from thinkchat.chat.hints import HintContext, hint_for

    settings, key_for = turn.settings, keys.key_for
    context = HintContext(
        model=settings.model,
        region=settings.region,
        endpoint=host_root(settings.region),
        change_model=key_for("choose_model"),
        change_region=key_for("choose_region"),
        change_transport=key_for("switch_transport"),
        retry=retry or f"press {key_for('retry')} to retry",
    )
    return hint_for(turn.error, context)
