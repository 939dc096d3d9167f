"""Feeding a streaming turn to the screen a frame at a time.

A `TurnStreamer` keeps what arrived of one turn since the last frame, and draws it into the
conversation (or a comparison's column) and the reasoning panel when its `FramePacer` says a
frame is due: see `frame_pacer` for when that is, and how keys come first.
"""

from __future__ import annotations

from collections.abc import Callable

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
from thinkchat.ui.screens.chat.frame_pacer import DRAIN_WORK_SECONDS, FramePacer
from thinkchat.ui.token_estimate import TokenEstimate
from thinkchat.ui.widgets.reasoning_panel import ReasoningPanel


class TurnStreamer:
    """Buffers one turn's deltas and draws them into the conversation and the reasoning panel."""

    def __init__(
        self,
        conversation: ConversationView,
        entry: TurnEntry,
        panel: ReasoningPanel,
        *,
        pacer: FramePacer,
        on_frame: Callable[[TurnStreamer], None],
        stop_key: str,
        token_scale: float = 1.0,
        live_cost: Callable[[int, int], Cost | None] = lambda reasoning, answer: None,
    ) -> None:
        """`entry` is the turn as `conversation` shows it; `pacer` says when frames are drawn
        (shared by the turns streaming on a screen); `on_frame(streamer)` is called after each
        of its frames; `token_scale`: see `token_estimate.token_scale`; `live_cost(reasoning,
        answer)`: what the turn costs so far, from the estimated tokens (see `live_cost`)."""
        self.entry = entry
        self.turn: Turn = entry.turn
        self.conversation = conversation
        self._panel = panel
        self._pacer = pacer
        self._on_frame = on_frame
        self._stop_key = stop_key
        self._reasoning: list[str] = []
        self._reasoning_dropped = False  # the panel still shows reasoning that was the answer
        self._answer: list[str] = []
        self._finished = False
        self._wanted = False  # whether a frame was wanted yet: the first is drawn at once
        # Estimated: the service counts the tokens only at the end (see `token_estimate`).
        self.reasoning_tokens = TokenEstimate(token_scale)
        self.answer_tokens = TokenEstimate(token_scale)
        self._live_cost = live_cost

    @property
    def shows_in_panel(self) -> bool:
        return self._panel.shown_turn is self.turn

    def feed(self, event: TurnEvent) -> bool:
        """Take `event` in, to be drawn at the next frame; whether it brought the turn's first
        words (their frame is due at once)."""
        if isinstance(event, RetryWait):
            self.conversation.show_retry(self.entry, event, self._stop_key)
            return False
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
            return False
        if self._finished:
            return False
        first_words = not self._wanted
        # Every delta, not only the first since a frame: the pacer counts them (a stream
        # pouring in is drawn in fewer frames).
        self._pacer.want(self, at_once=first_words)
        self._wanted = True
        return first_words

    def draw(self, enough: Callable[[], bool]) -> bool:
        """Draw what arrived since the last frame: the answer a passage at a time, until
        `enough()`; whether some is left for a next frame (never once the turn has ended:
        `finish` draws the rest)."""
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
            # Measured and drawn once, by `refresh_details` below.
            rest = self.conversation.append_answer(self.entry, answer, stop=enough, redraw=False)
            if rest:
                self._answer.insert(0, rest)
        self.conversation.refresh_details(self.entry)
        self._on_frame(self)
        return bool(self._answer) and not self._finished

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
        # No frame after this one: a frame due now would draw after the end, and its last
        # word (how the turn ended) must not be overwritten.
        self._finished = True
        self._pacer.forget(self)
        self.conversation.clear_retry(self.entry)
        # What is left can be many frames' worth: it is drawn a frame's work at a time, each
        # shown before the next, so that a key pressed now does not wait for all of it.
        self._pacer.draw([self], DRAIN_WORK_SECONDS)
        while self._answer and self.conversation.shows(self.entry):
            await self._pacer.screen_updated()
            self._pacer.draw([self], DRAIN_WORK_SECONDS)
        self.conversation.refresh_details(self.entry, error_hint)


def _rate(tokens: int, first: float | None, latest: float | None) -> float | None:
    if first is None or latest is None or latest - first < 0.05:
        return None
    return tokens / (latest - first)
