"""Feeding a streaming turn to the screen a frame at a time.

Deltas arrive far faster than a terminal can usefully redraw, so they are collected and drawn
together at most once per frame. The flush is on the trailing edge: the first delta after a
flush schedules the next one, so the last tokens before a pause are always drawn.

Frames come at most 30 times a second, less often when drawing one costs more: drawing may
take a third of the time at most, so that a fast stream is read at the speed it arrives and
keys are still answered while it pours in.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.timer import Timer

from thinkchat.chat.events import AnswerDelta, ReasoningDelta, RetryWait, TurnEvent
from thinkchat.chat.turn import Turn
from thinkchat.ui.widgets.conversation import TurnView
from thinkchat.ui.widgets.reasoning_panel import ReasoningPanel

FRAME_SECONDS = 1 / 30
SLOWEST_FRAME_SECONDS = 0.25
# A frame may take this share of the time between frames.
DRAWING_SHARE = 1 / 3


class TurnStreamer:
    """Buffers one turn's deltas and draws them into its view and the reasoning panel."""

    def __init__(
        self,
        view: TurnView,
        panel: ReasoningPanel,
        schedule: Callable[[float, Callable[[], object]], Timer],
        on_frame: Callable[[TurnStreamer], None],
        stop_key: str,
    ) -> None:
        self.view = view
        self.turn: Turn = view.turn
        self._panel = panel
        self._schedule = schedule
        self._on_frame = on_frame
        self._stop_key = stop_key
        self._reasoning: list[str] = []
        self._answer: list[str] = []
        self._timer: Timer | None = None
        self._interval = FRAME_SECONDS
        self.reasoning_deltas = 0
        self.answer_deltas = 0

    @property
    def shows_in_panel(self) -> bool:
        return self._panel.shown_turn is self.turn

    def feed(self, event: TurnEvent) -> None:
        if isinstance(event, RetryWait):
            self.view.show_retry(event, self._stop_key)
            return
        self.view.clear_retry()
        if isinstance(event, ReasoningDelta):
            self._reasoning.append(event.text)
            self.reasoning_deltas += 1
        elif isinstance(event, AnswerDelta):
            self._answer.append(event.text)
            self.answer_deltas += 1
        else:
            return
        if self._timer is None:
            self._timer = self._schedule(self._interval, self.flush)

    def _frame_drawn(self, started: float) -> None:
        cost = time.perf_counter() - started
        wanted = min(SLOWEST_FRAME_SECONDS, max(FRAME_SECONDS, cost / DRAWING_SHARE))
        # Smoothed, so that one slow frame does not halve the frame rate.
        self._interval += (wanted - self._interval) / 2

    async def flush(self) -> None:
        """Draw everything that arrived since the last frame."""
        started = time.perf_counter()
        self._timer = None
        reasoning, self._reasoning = "".join(self._reasoning), []
        answer, self._answer = "".join(self._answer), []
        if reasoning and self.shows_in_panel:
            self._panel.log_view.append(reasoning)
        self.view.live_reasoning_tokens = self.reasoning_deltas
        if answer:
            await self.view.answer.append_text(answer)
        self.view.refresh_details()
        self._on_frame(self)
        self.view.call_after_refresh(self._frame_drawn, started)

    def rates(self) -> tuple[float | None, float | None]:
        """Deltas per second of the reasoning and of the answer, between their first and
        latest deltas (None: not enough yet to tell)."""
        timings = self.turn.timings
        return (
            _rate(self.reasoning_deltas, timings.first_reasoning, timings.last_reasoning),
            _rate(self.answer_deltas, timings.first_answer, timings.last_answer),
        )

    async def finish(self, error_hint: str | None) -> None:
        """Draw what is left and show how the turn ended."""
        if self._timer is not None:
            self._timer.stop()
        self.view.clear_retry()
        await self.flush()
        await self.view.answer.finish()
        self.view.refresh_details(error_hint)


def _rate(deltas: int, first: float | None, latest: float | None) -> float | None:
    if first is None or latest is None or latest - first < 0.05:
        return None
    return deltas / (latest - first)
