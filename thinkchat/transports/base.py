"""What every transport shares: the event order, the end-of-stream checks, error capture."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import ClassVar

from thinkchat.chat.errors import ChatError, ErrorKind
from thinkchat.chat.events import Finished, StreamError, StreamEvent, Usage
from thinkchat.chat.request import ChatRequest, Endpoint


@dataclass(slots=True)
class StreamEnd:
    """How one stream ended: its usage, its finish reason, or the failure that stopped it.

    A transport records them here as they arrive, in whatever order its protocol sends them,
    and yields `events()` last, so that every stream ends the one way the engine knows.
    """

    usage: Usage | None = None
    finished: Finished | None = None
    failure: ChatError | None = None

    def events(self) -> tuple[StreamEvent, ...]:
        """`Usage` then `Finished`; or, if the model never finished, one `StreamError`."""
        if self.finished is None:
            return (StreamError(self.failure or _ended_early()),)
        # A failure after the finish reason (say, a drop before the usage chunk) loses nothing.
        return (self.usage or Usage(), self.finished)


class Transport(ABC):
    """Turns a `ChatRequest` into the engine's event stream over one SDK.

    `stream` yields any number of `ReasoningDelta` and `AnswerDelta`, then `StreamEnd.events()`:
    `Usage` and `Finished`, or a final `StreamError` for any failure (mapped by `_error`).
    Cancelling the consuming task, or closing the stream, closes the HTTP stream.

    Each transport reads the SDK's stream in `stream` itself rather than in a generator of its
    own wrapped by one here: every layer of async generators costs each chunk its hand-over,
    1–2 % of a fast native stream.
    """

    name: ClassVar[str]
    label: ClassVar[str]

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint

    @abstractmethod
    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """The request's events, ending with `StreamEnd.events()`; never raises for a failure
        of the service, the network or the data."""

    @abstractmethod
    def _error(self, exc: Exception, request_id: str | None, opened: bool) -> ChatError:
        """Turn what the SDK raised into a `ChatError`; `opened`: the stream had begun.

        Anything that is not a failure of the service, the network or the data is raised
        again: it is a bug, and hiding it as a service error would mislead.
        """

    @abstractmethod
    async def aclose(self) -> None:
        """Release the SDK client and its connections."""


def _ended_early() -> ChatError:
    return ChatError(
        ErrorKind.INTERRUPTED,
        "The stream ended before the model finished (no finish reason was sent).",
        code="StreamEnded",
    )


def malformed(detail: str, request_id: str | None) -> ChatError:
    """The error for data that does not follow the protocol."""
    if len(detail) > 200:
        detail = detail[:200] + "…"
    return ChatError(
        ErrorKind.MALFORMED,
        f"The service sent malformed data: {detail}",
        code="Malformed",
        request_id=request_id,
    )


def timed_out(opened: bool, request_id: str | None) -> ChatError:
    where = "in the middle of the stream" if opened else "while connecting"
    return ChatError(
        ErrorKind.TIMEOUT,
        f"The service stopped sending {where} and the timeout ran out.",
        code="Timeout",
        request_id=request_id,
    )


def dropped(request_id: str | None) -> ChatError:
    return ChatError(
        ErrorKind.INTERRUPTED,
        "The connection dropped in the middle of the stream.",
        code="ConnectionDropped",
        request_id=request_id,
    )


def unreachable(url: str) -> ChatError:
    return ChatError(ErrorKind.CONNECTION, f"Could not connect to {url}.", code="ConnectionError")


def parse_retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds to wait from `Retry-After` (seconds or HTTP date) or `retry-after-ms`."""
    if not headers:
        return None
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(float(milliseconds) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    # Imported here: only a rate-limited request ever needs it, and start-up should not pay.
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)
