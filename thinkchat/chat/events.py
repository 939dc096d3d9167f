"""The one event vocabulary every transport speaks.

A transport turns a request into an async stream of these events and nothing else: any number
of `ReasoningDelta` and `AnswerDelta` (and, rarely, a `ReasoningWasAnswer` among them), then
`Usage` and `Finished`, or a `StreamError` as the last event when something went wrong. Field
names, error shapes and cumulative text of the individual protocols never leave the transport.
"""

from __future__ import annotations

from dataclasses import dataclass

from thinkchat.chat.errors import ChatError


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    """More of the model's thinking."""

    text: str


@dataclass(frozen=True, slots=True)
class AnswerDelta:
    """More of the model's answer."""

    text: str


@dataclass(frozen=True, slots=True)
class ReasoningWasAnswer:
    """The reasoning streamed so far in this attempt was the answer: drop it from the reasoning.

    A transport that can tell reasoning from answer only by inline `<think>` tags may take
    untagged text for reasoning while it waits for a closing tag; when none comes, it sends
    this, then the same text again as `AnswerDelta`s. Every surface drops the text from the
    reasoning it shows or keeps, so the text is never kept twice.
    """


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts for one request. Reasoning tokens are part of the output tokens."""

    input_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    cached_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.reasoning_tokens + other.reasoning_tokens,
            self.cached_tokens + other.cached_tokens,
        )

    def as_dict(self) -> dict[str, int]:
        """The counts by name: the names `ask --json`, the JSON export and the history use."""
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "reasoning_tokens": self.reasoning_tokens,
            "cached_tokens": self.cached_tokens,
        }

    def summary_parts(self) -> list[str]:
        """The counts as a person reads them: ["11 in", "1,405 out (256 reasoning)", "0 cached"]."""
        return [
            f"{self.input_tokens:,} in",
            f"{self.output_tokens:,} out ({self.reasoning_tokens:,} reasoning)",
            f"{self.cached_tokens:,} cached",
        ]

    def summary(self) -> str:
        """`summary_parts` in one line."""
        return " · ".join(self.summary_parts())


@dataclass(frozen=True, slots=True)
class Finished:
    """The model finished: `reason` is the service's finish reason ("stop", "length", ...)."""

    reason: str


@dataclass(frozen=True, slots=True)
class StreamError:
    """The request or the stream failed; always the last event of a stream."""

    error: ChatError


@dataclass(frozen=True, slots=True)
class RetryWait:
    """The engine will try again in `delay` seconds: `error` ended attempt `attempt` of
    `attempts`. Only the engine emits this, never a transport."""

    error: ChatError
    attempt: int
    attempts: int
    delay: float


StreamEvent = ReasoningDelta | AnswerDelta | ReasoningWasAnswer | Usage | Finished | StreamError
TurnEvent = StreamEvent | RetryWait
