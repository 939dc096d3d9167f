"""What every transport shares: the event order, the end-of-stream checks, error capture."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping
from contextlib import aclosing
from typing import ClassVar

from thinkchat.chat.errors import ChatError, ErrorKind
from thinkchat.chat.events import Finished, StreamError, StreamEvent, Usage
from thinkchat.chat.request import ChatRequest, Endpoint


class Transport(ABC):
    """Turns a `ChatRequest` into the engine's event stream over one SDK.

    Subclasses implement `_events`, yielding deltas, `Usage` and `Finished` in whatever order
    their protocol delivers them, and `_map_error`. `stream` puts the events in the one order the
    engine knows (deltas, then `Usage`, then `Finished`), and turns every failure into a final
    `StreamError`. Cancelling the consuming task closes the HTTP stream.
    """

    name: ClassVar[str]
    label: ClassVar[str]

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        usage: Usage | None = None
        finished: Finished | None = None
        failure: ChatError | None = None
        async with aclosing(self._events(request)) as events:
            try:
                async for event in events:
                    if isinstance(event, Usage):
                        usage = event
                    elif isinstance(event, Finished):
                        finished = event
                    else:
                        yield event
            except Exception as exc:  # every SDK failure ends here, mapped to one error type
                failure = exc if isinstance(exc, ChatError) else self._error(exc, None, False)
        if finished is None:
            yield StreamError(failure or _ended_early())
            return
        # A failure after the finish reason (say, a drop before the usage chunk) loses nothing.
        yield usage or Usage()
        yield finished

    @abstractmethod
    def _events(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """The protocol's events for one request; raise on failure."""

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
