"""One exchange: the prompt, the model's reasoning and answer, and what it cost and took."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from thinkchat.catalog import SoftSwitch, Thinking
from thinkchat.chat.cost import Cost
from thinkchat.chat.errors import ChatError
from thinkchat.chat.events import (
    AnswerDelta,
    Finished,
    ReasoningDelta,
    ReasoningWasAnswer,
    StreamError,
    StreamEvent,
    Usage,
)
from thinkchat.chat.request import NO_PARAMETERS, ModelParameters


class TurnStatus(str, Enum):
    STREAMING = "streaming"
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(frozen=True)
class TurnSettings:
    """How a turn was asked: the user's choices and what went on the wire."""

    model: str
    region: str
    transport: str
    thinking: Thinking = Thinking.AUTO
    budget: int | None = None
    enable_thinking: bool | None = None
    thinking_budget: int | None = None
    expect_reasoning: bool = False
    soft_switch: SoftSwitch | None = None
    parameters: ModelParameters = NO_PARAMETERS

    def describe(self) -> str:
        """How it was asked, in a line: "qwen-plus, thinking, budget 1,000, openai, singapore"."""
        return f"{self.short()}, {self.transport}, {self.region}"

    def short(self) -> str:
        """The model and its thinking: "qwen-plus, thinking, budget 1,000"."""
        thinking = "thinking" if self.expect_reasoning else "no thinking"
        if self.thinking_budget is not None:
            thinking += f", budget {self.thinking_budget:,}"
        return f"{self.model}, {thinking}"


@dataclass
class Timings:
    """Clock readings (seconds, monotonic) taken as the turn streams."""

    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)
    started: float = -1.0
    first_reasoning: float | None = None
    last_reasoning: float | None = None
    first_answer: float | None = None
    last_answer: float | None = None
    ended: float | None = None

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()

    def _since_start(self, moment: float | None) -> float | None:
        return None if moment is None else moment - self.started

    @property
    def time_to_first_reasoning(self) -> float | None:
        return self._since_start(self.first_reasoning)

    @property
    def time_to_first_answer(self) -> float | None:
        return self._since_start(self.first_answer)

    @property
    def time_to_first_token(self) -> float | None:
        """Until the first token of reasoning or answer, whichever came first."""
        firsts = [t for t in (self.first_reasoning, self.first_answer) if t is not None]
        return self._since_start(min(firsts)) if firsts else None

    @property
    def thinking_duration(self) -> float | None:
        """From the first reasoning token to the first answer token (or the last reasoning)."""
        if self.first_reasoning is None:
            return None
        until = self.first_answer or self.last_reasoning or self.ended
        return None if until is None else until - self.first_reasoning

    @property
    def total(self) -> float | None:
        return self._since_start(self.ended)


class _Text:
    """Text that grows by appends without copying what came before on every append."""

    __slots__ = ("_joined", "_parts")

    def __init__(self, text: str = "") -> None:
        self._parts: list[str] = [text] if text else []
        self._joined: str | None = text

    def append(self, text: str) -> None:
        self._parts.append(text)
        self._joined = None

    def __str__(self) -> str:
        if self._joined is None:
            self._joined = "".join(self._parts)
            self._parts = [self._joined]
        return self._joined


@dataclass
class Turn:
    """A prompt and everything the model sent back for it."""

    prompt: str
    settings: TurnSettings
    status: TurnStatus = TurnStatus.STREAMING
    usage: Usage | None = None
    # What the turn cost by the prices known when the service counted its tokens; kept as it
    # was then (a later change of prices does not rewrite history). None: no price known.
    cost: Cost | None = None
    finish_reason: str | None = None
    error: ChatError | None = None
    timings: Timings = field(default_factory=Timings)
    id: int | None = None
    # Other answers for this place in the conversation (asked with other settings, or for an
    # earlier wording of the prompt): kept and shown, never sent to the model.
    alternatives: list[Turn] = field(default_factory=list, repr=False)
    _reasoning: _Text = field(default_factory=_Text, repr=False)
    _answer: _Text = field(default_factory=_Text, repr=False)

    @classmethod
    def restored(
        cls, prompt: str, settings: TurnSettings, reasoning: str, answer: str, **fields: object
    ) -> Turn:
        """A turn rebuilt from storage."""
        turn = cls(prompt, settings, **fields)  # type: ignore[arg-type]
        turn._reasoning = _Text(reasoning)
        turn._answer = _Text(answer)
        return turn

    @property
    def reasoning(self) -> str:
        return str(self._reasoning)

    @property
    def answer(self) -> str:
        return str(self._answer)

    @property
    def has_text(self) -> bool:
        """Whether any reasoning or answer has arrived (cheaper than reading them)."""
        return self.timings.first_reasoning is not None or self.timings.first_answer is not None

    @property
    def finished(self) -> bool:
        return self.status is not TurnStatus.STREAMING

    @property
    def budget_reached(self) -> bool:
        """Whether thinking was cut at the thinking budget."""
        budget = self.settings.thinking_budget
        return bool(budget and self.usage and self.usage.reasoning_tokens >= budget)

    def apply(self, event: StreamEvent) -> None:
        """Record one event of the turn's stream."""
        now = self.timings.clock()
        if isinstance(event, ReasoningDelta):
            if self.timings.first_reasoning is None:
                self.timings.first_reasoning = now
            self.timings.last_reasoning = now
            self._reasoning.append(event.text)
        elif isinstance(event, AnswerDelta):
            if self.timings.first_answer is None:
                self.timings.first_answer = now
            self.timings.last_answer = now
            self._answer.append(event.text)
        elif isinstance(event, Usage):
            self.usage = event
        elif isinstance(event, Finished):
            self.finish_reason = event.reason
            self._end(TurnStatus.DONE)
        elif isinstance(event, StreamError):
            self.error = event.error
            self._end(TurnStatus.FAILED)
        elif isinstance(event, ReasoningWasAnswer):
            self._reasoning = _Text()
            # The answer began when that text did; there was no thinking.
            if self.timings.first_answer is None:
                self.timings.first_answer = self.timings.first_reasoning
            self.timings.first_reasoning = self.timings.last_reasoning = None

    def cancel(self) -> None:
        """Stop here: what arrived is kept, and the turn is marked cancelled."""
        if not self.finished:
            self._end(TurnStatus.CANCELLED)

    def _end(self, status: TurnStatus) -> None:
        self.status = status
        self.timings.ended = self.timings.clock()
