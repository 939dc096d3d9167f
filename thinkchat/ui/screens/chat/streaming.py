"""Feeding a streaming turn to the screen a frame at a time.

Deltas arrive far faster than a terminal can usefully redraw, so they are collected and drawn
together at most once per frame. The flush is on the trailing edge: the first delta after a
flush schedules the next one, so the last tokens before a pause are always drawn.

Frames come at most 30 times a second, less often when drawing one costs more: drawing may
take a third of the time at most, so that a fast stream is read at the speed it arrives and
keys are still answered while it pours in.

Keys come first: a key pressed just before a frame would wait for it. So a frame due within
`INPUT_QUIET_SECONDS` of a key (or click, or paste) waits until the key has been drawn on its
own, cheap frame, but never more than `MOST_INPUT_DELAY_SECONDS` in all, so that typing never
stops the stream. For the same reason a frame draws at most `ANSWER_WORK_SECONDS` worth of
answer (a passage of Markdown at a time); a burst bigger than that is drawn over the next
frames. What is left when the stream ends is drawn in frames of `DRAIN_WORK_SECONDS`: nothing
competes with them any more (a fast answer can leave most of itself to draw). A key still ends
such a frame after the passage under way.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from typing import Any

from textual.timer import Timer

from thinkchat.chat.cost import Cost
from thinkchat.chat.events import (
    AnswerDelta,
    ReasoningDelta,
    ReasoningWasAnswer,
    RetryWait,
    TurnEvent,
)
from thinkchat.chat.turn import Turn
from thinkchat.ui.renderer.conversation import ConversationView
from thinkchat.ui.renderer.turn_entry import TurnEntry
from thinkchat.ui.token_estimate import TokenEstimate
from thinkchat.ui.widgets.reasoning_panel import ReasoningPanel

FRAME_SECONDS = 1 / 30
SLOWEST_FRAME_SECONDS = 0.25
# A frame may take this share of the time between frames.
DRAWING_SHARE = 1 / 3
# A frame due this soon after a key waits for the key to be drawn; but not longer than the
# second, in all.
INPUT_QUIET_SECONDS = 0.04
MOST_INPUT_DELAY_SECONDS = 0.15
# The longest a frame spends turning answer text into widgets; the rest waits for the next.
ANSWER_WORK_SECONDS = 0.012
# The same once the stream has ended, for what is left of the answer.
DRAIN_WORK_SECONDS = 0.05


class TurnStreamer:
    """Buffers one turn's deltas and draws them into the conversation and the reasoning panel."""

    def __init__(
        self,
        conversation: ConversationView,
        entry: TurnEntry,
        panel: ReasoningPanel,
        *,
        schedule: Callable[[float, Callable[[], Awaitable[None]]], Timer],
        batch_update: Callable[[], AbstractContextManager[Any]],
        after_screen_update: Callable[..., object],
        on_frame: Callable[[TurnStreamer], None],
        stop_key: str,
        last_input: Callable[[], float],
        clock: Callable[[], float] = time.monotonic,
        token_scale: float = 1.0,
        live_cost: Callable[[int, int], Cost | None] = lambda reasoning, answer: None,
    ) -> None:
        """`entry` is the turn as `conversation` shows it. `schedule`, `batch_update` and
        `after_screen_update` are the app's `set_timer`, `batch_update` and
        `call_after_refresh`; `last_input()`: when the latest key, click or paste came in, on
        `clock`; `token_scale`: see `token_estimate.token_scale`; `live_cost(reasoning,
        answer)`: what the turn costs so far, from the estimated tokens (see `live_cost`)."""
        self.entry = entry
        self.turn: Turn = entry.turn
        self.conversation = conversation
        self._panel = panel
        self._batch_update = batch_update
        self._after_screen_update = after_screen_update
        self._schedule = schedule
        self._on_frame = on_frame
        self._stop_key = stop_key
        self._clock = clock
        self._last_input = last_input
        self._reasoning: list[str] = []
        self._reasoning_dropped = False  # the panel still shows reasoning that was the answer
        self._answer: list[str] = []
        self._timer: Timer | None = None
        self._interval = FRAME_SECONDS
        self._due: float | None = None  # when the frame being waited for was first due
        self._finished = False
        # Estimated: the service counts the tokens only at the end (see `token_estimate`).
        self.reasoning_tokens = TokenEstimate(token_scale)
        self.answer_tokens = TokenEstimate(token_scale)
        self._live_cost = live_cost

    @property
    def shows_in_panel(self) -> bool:
        return self._panel.shown_turn is self.turn

    def feed(self, event: TurnEvent) -> None:
        if isinstance(event, RetryWait):
            self.conversation.show_retry(self.entry, event, self._stop_key)
            return
        self.conversation.clear_retry(self.entry)
        if isinstance(event, ReasoningDelta):
            self._reasoning.append(event.text)
            self.reasoning_tokens.add(event.text)
        elif isinstance(event, AnswerDelta):
            self._answer.append(event.text)
            self.answer_tokens.add(event.text)
        elif isinstance(event, ReasoningWasAnswer):
            # The text comes again as answer deltas: it leaves the panel and its count.
            self._reasoning.clear()
            self._reasoning_dropped = True
            self.reasoning_tokens = TokenEstimate(self.reasoning_tokens.scale)
        else:
            return
        self._schedule_frame()

    def _schedule_frame(self) -> None:
        if self._timer is None and not self._finished:
            self._due = self._clock() + self._interval
            self._timer = self._schedule(self._interval, self._frame_due)

    async def _frame_due(self) -> None:
        now = self._clock()
        latest = (self._due or now) + MOST_INPUT_DELAY_SECONDS
        if self._input_waiting(now) and now < latest:
            quiet_at = self._last_input() + INPUT_QUIET_SECONDS
            self._timer = self._schedule(min(quiet_at, latest) - now, self._frame_due)
            return
        await self.flush()

    def _input_waiting(self, now: float | None = None) -> bool:
        """Whether a key came in too recently for a frame of the stream to go first."""
        now = self._clock() if now is None else now
        return now - self._last_input() < INPUT_QUIET_SECONDS

    def _frame_drawn(self, started: float) -> None:
        cost = self._clock() - started
        wanted = min(SLOWEST_FRAME_SECONDS, max(FRAME_SECONDS, cost / DRAWING_SHARE))
        # Smoothed, so that one slow frame does not halve the frame rate.
        self._interval += (wanted - self._interval) / 2

    async def flush(self, work_seconds: float = ANSWER_WORK_SECONDS, *, last: bool = False) -> None:
        """Draw what arrived since the last frame: the answer a passage at a time, for
        `work_seconds` at most and only until a key comes in; the rest waits for the next
        frame. Once the turn has ended only `finish` draws (`last`)."""
        self._timer = None
        self._due = None
        if self._finished and not last:
            # A frame whose timer fired just before the end: `finish` draws the rest, and
            # its last word (how the turn ended) must not be overwritten by a frame after it.
            return
        started = self._clock()
        # One screen update for the whole frame, not one for each thing it changes.
        with self._batch_update():
            self._draw(work_seconds)
        self.conversation.call_after_refresh(self._frame_drawn, started)

    def _draw(self, work_seconds: float) -> None:
        reasoning, self._reasoning = "".join(self._reasoning), []
        answer, self._answer = "".join(self._answer), []
        if self._reasoning_dropped:
            self._reasoning_dropped = False
            if self.shows_in_panel:
                self._panel.drop_reasoning()
        if reasoning and self.shows_in_panel:
            self._panel.append_reasoning(reasoning)
        self.entry.live_reasoning_tokens = self.reasoning_tokens.tokens
        self.entry.live_cost = self._live_cost(
            self.reasoning_tokens.tokens, self.answer_tokens.tokens
        )
        if answer:
            started = self._clock()

            def enough() -> bool:
                spent = self._clock() - started
                return spent > work_seconds or self._input_waiting()

            # Measured and drawn once, by `refresh_details` below.
            rest = self.conversation.append_answer(self.entry, answer, stop=enough, redraw=False)
            if rest:
                self._answer.insert(0, rest)
                self._schedule_frame()
        self.conversation.refresh_details(self.entry)
        self._on_frame(self)

    def rates(self) -> tuple[float | None, float | None]:
        """Estimated tokens per second of the reasoning and of the answer, between their
        first and latest deltas (None: not enough yet to tell)."""
        timings = self.turn.timings
        return (
            _rate(self.reasoning_tokens.tokens, timings.first_reasoning, timings.last_reasoning),
            _rate(self.answer_tokens.tokens, timings.first_answer, timings.last_answer),
        )

    async def finish(self, error_hint: str | None) -> None:
        """Draw what is left and show how the turn ended."""
        # No frame after this one; a frame under way may have left text for a next one,
        # which this flush draws.
        self._finished = True
        if self._timer is not None:
            self._timer.stop()
        self.conversation.clear_retry(self.entry)
        # What is left can be many frames' worth: it is drawn a frame's work at a time, each
        # shown before the next, so that a key pressed now does not wait for all of it.
        await self.flush(DRAIN_WORK_SECONDS, last=True)
        while self._answer and self.conversation.shows(self.entry):
            await self._screen_updated()
            await self.flush(DRAIN_WORK_SECONDS, last=True)
        self.conversation.refresh_details(self.entry, error_hint)

    async def _screen_updated(self) -> None:
        """Return once the screen has been updated (and any key waiting drawn)."""
        updated = asyncio.get_running_loop().create_future()
        # The app's, not the conversation's: one removed meanwhile would never call back.
        self._after_screen_update(updated.set_result, None)
        await updated


def _rate(tokens: int, first: float | None, latest: float | None) -> float | None:
    if first is None or latest is None or latest - first < 0.05:
        return None
    return tokens / (latest - first)
