"""When a stream's frames are drawn: one pace for every turn streaming on a screen.

Deltas arrive far faster than a terminal can usefully redraw, so they are collected and drawn
together at most once per frame. The flush is on the trailing edge: the first delta after a
flush schedules the next one, so the last tokens before a pause are always drawn. A turn's
first delta is drawn at once, in a frame of its own: its wait is the one a user feels (so the
keys before it, the enter key that sent the turn among them, do not hold it back). The turns
streaming at once (a comparison's variants) share the frames: each frame draws what every one
of them has waiting, in one screen update.

Frames come at most 30 times a second, less often when drawing one costs more: drawing may
take a third of the time at most, so that a fast stream is read at the speed it arrives and
keys are still answered while it pours in. A stream pouring in far faster than anyone reads (a
local model, an answer the service had cached) is shown in fewer, fuller frames: drawing may
take a fifth of the time, and the stream is read that much sooner.

Keys come first: a key pressed just before a frame would wait for it. So a frame due within
`INPUT_QUIET_SECONDS` of a key (or click, or paste) waits until the key has been drawn on its
own, cheap frame, but never more than `MOST_INPUT_DELAY_SECONDS` in all, so that typing never
stops the stream. For the same reason a frame draws at most `ANSWER_WORK_SECONDS` worth of
answer, shared by the turns it draws (a passage of Markdown at a time); a burst bigger than
that is drawn over the next frames. What is left when a stream ends is drawn in frames of
`DRAIN_WORK_SECONDS`: nothing competes with them any more (a fast answer can leave most of
itself to draw). A key still ends such a frame after the passage under way.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol

from textual.app import App

FRAME_SECONDS = 1 / 30
SLOWEST_FRAME_SECONDS = 0.25
# A frame may take this share of the time between frames.
DRAWING_SHARE = 1 / 3
# The share while a stream pours in: from `POURING_DELTAS` deltas between two frames (at 30
# frames a second, 3,000 deltas a second: ten times what a hosted model streams).
POURING_SHARE = 1 / 5
POURING_DELTAS = 100
# A frame due this soon after a key waits for the key to be drawn; but not longer than the
# second, in all.
INPUT_QUIET_SECONDS = 0.04
MOST_INPUT_DELAY_SECONDS = 0.15
# The longest a frame spends turning answer text into widgets; the rest waits for the next.
ANSWER_WORK_SECONDS = 0.012
# The same once the stream has ended, for what is left of the answer.
DRAIN_WORK_SECONDS = 0.05
# `frame_shown` waits no longer for a frame, should none come (the app suspended, say).
FRAME_SHOWN_TIMEOUT = 1.0


class Drawn(Protocol):
    """What the pacer draws: a streaming turn (`TurnStreamer`)."""

    def draw(self, enough: Callable[[], bool]) -> bool:
        """Draw what has arrived until `enough()`; whether some is left for a next frame."""
        ...


class Stoppable(Protocol):
    """A frame scheduled (a Textual `Timer`, or `_FrameNow`): it can be called off."""

    def stop(self) -> None: ...


class _FrameNow:
    """A frame due now: run on the app's next message, unless stopped first. `App.set_timer`
    cannot wait 0 seconds (its timer divides by the delay, and its task ends without a tick)."""

    def __init__(self, app: App[Any], callback: Callable[[], Awaitable[None]]) -> None:
        self._stopped = False
        app.call_later(self._run, callback)

    async def _run(self, callback: Callable[[], Awaitable[None]]) -> None:
        if not self._stopped:
            await callback()

    def stop(self) -> None:
        self._stopped = True


class FramePacer:
    """Schedules the frames of the turns streaming on one screen, and draws them."""

    def __init__(
        self,
        *,
        schedule: Callable[[float, Callable[[], Awaitable[None]]], Stoppable],
        batch_update: Callable[[], AbstractContextManager[Any]],
        after_screen_update: Callable[..., object],
        last_input: Callable[[], float],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`schedule`, `batch_update` and `after_screen_update` are the app's `set_timer` (which
        must also take a delay of 0), `batch_update` and `call_after_refresh`; `last_input()`:
        when the latest key, click or paste came in, on `clock`."""
        self._schedule = schedule
        self._batch_update = batch_update
        self._after_screen_update = after_screen_update
        self._last_input = last_input
        self.clock = clock
        self._waiting: list[Drawn] = []  # those with something to draw, first come first
        self._timer: Stoppable | None = None
        self._interval = FRAME_SECONDS
        self._due: float | None = None  # when the frame being waited for was first due
        self._at_once = False  # whether that frame draws a turn's first words
        self._shown: list[asyncio.Future[None]] = []  # waiting for the next frame drawn
        self._held: AbstractContextManager[Any] | None = None  # see `hold`
        self._hold_timer: Stoppable | None = None
        # Wanted since the last frame: each delta a turn takes in wants one (`TurnStreamer.feed`).
        self._deltas = 0

    @classmethod
    def for_app(cls, app: App[Any], last_input: Callable[[], float]) -> FramePacer:
        """A pacer of `app`'s frames; `last_input()` is when the latest key, click or paste
        came in."""

        def schedule(delay: float, callback: Callable[[], Awaitable[None]]) -> Stoppable:
            return app.set_timer(delay, callback) if delay > 0 else _FrameNow(app, callback)

        return cls(
            schedule=schedule,
            batch_update=app.batch_update,
            after_screen_update=app.call_after_refresh,
            last_input=last_input,
        )

    def want(self, drawn: Drawn, *, at_once: bool = False) -> None:
        """`drawn` has something to draw: at the next frame. `at_once`: a turn's first words,
        drawn in a frame due now rather than after the pace's interval (the wait the user
        feels most); the frames after it keep the pace."""
        self._deltas += 1
        if drawn not in self._waiting:
            self._waiting.append(drawn)
        now = self.clock()
        if at_once and self._timer is not None and self._due is not None and self._due > now:
            self._timer.stop()
            self._timer = None
        if self._timer is None:
            delay = 0.0 if at_once else self._interval
            self._due = now + delay
            self._at_once = at_once
            self._timer = self._schedule(delay, self._frame_due)

    def forget(self, drawn: Drawn) -> None:
        """`drawn` draws no more frames; the next one is not scheduled for it alone."""
        if drawn in self._waiting:
            self._waiting.remove(drawn)
        if not self._waiting and self._timer is not None:
            self._timer.stop()
            self._timer = None
            self._due = None

    async def _frame_due(self) -> None:
        now = self.clock()
        latest = (self._due or now) + MOST_INPUT_DELAY_SECONDS
        if not self._at_once and self.input_waiting(now) and now < latest:
            quiet_at = self._last_input() + INPUT_QUIET_SECONDS
            self._timer = self._schedule(min(quiet_at, latest) - now, self._frame_due)
            return
        self._timer = None
        self._due = None
        at_once, self._at_once = self._at_once, False
        drawing, self._waiting = self._waiting, []
        self.draw(drawing, ANSWER_WORK_SECONDS, keys_first=not at_once)

    def input_waiting(self, now: float | None = None) -> bool:
        """Whether a key came in too recently for a frame of the stream to go first."""
        now = self.clock() if now is None else now
        return now - self._last_input() < INPUT_QUIET_SECONDS

    def draw(self, drawing: list[Drawn], work_seconds: float, *, keys_first: bool = True) -> None:
        """One frame: each of `drawing` draws what it has, in one screen update, sharing
        `work_seconds` (and stopping for a key, if `keys_first`); those with some left want
        the next frame. A screen held by `hold` is updated with this frame."""
        started = self.clock()
        deltas, self._deltas = self._deltas, 0

        def enough() -> bool:
            return self.clock() - started > work_seconds or (keys_first and self.input_waiting())

        left = []
        with self._batch_update():
            for drawn in drawing:
                if drawn.draw(enough):
                    left.append(drawn)
        self._release_hold()
        # The first turn drawn had the most time: the next frame starts with the others.
        for drawn in left[1:] + left[:1]:
            self.want(drawn)
        shown, self._shown = self._shown, []
        self._after_screen_update(self._frame_drawn, started, shown, deltas)

    def _frame_drawn(self, started: float, shown: list[asyncio.Future[None]], deltas: int) -> None:
        for waiter in shown:
            if not waiter.done():
                waiter.set_result(None)
        cost = self.clock() - started
        share = POURING_SHARE if deltas >= POURING_DELTAS else DRAWING_SHARE
        wanted = min(SLOWEST_FRAME_SECONDS, max(FRAME_SECONDS, cost / share))
        # Smoothed, so that one slow frame does not halve the frame rate.
        self._interval += (wanted - self._interval) / 2

    def hold(self, seconds: float) -> None:
        """Update the screen no more until the next frame is drawn, for `seconds` at most.

        What sending a turn changes (the new turn, the cleared prompt) then shows with the
        turn's first words when they come that soon: one screen update on the way to them
        rather than two, and drawing one costs about as much as the wait."""
        if self._held is not None:
            return
        self._held = self._batch_update()
        self._held.__enter__()
        self._hold_timer = self._schedule(seconds, self._hold_over)

    async def _hold_over(self) -> None:
        self._release_hold()

    def _release_hold(self) -> None:
        held, self._held = self._held, None
        if held is None:
            return
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        held.__exit__(None, None, None)

    async def frame_shown(self) -> None:
        """Return once the next frame has been drawn and the screen updated with it (or after
        `FRAME_SHOWN_TIMEOUT`, should no frame come)."""
        shown = asyncio.get_running_loop().create_future()
        self._shown.append(shown)
        try:
            await asyncio.wait_for(shown, FRAME_SHOWN_TIMEOUT)
        except asyncio.TimeoutError:
            if shown in self._shown:
                self._shown.remove(shown)

    async def screen_updated(self) -> None:
        """Return once the screen has been updated (and any key waiting drawn)."""
        updated = asyncio.get_running_loop().create_future()
        self._after_screen_update(updated.set_result, None)
        await updated
