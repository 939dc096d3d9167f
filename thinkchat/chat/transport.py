"""What a transport is: the engine's port to an SDK.

The engine hands a transport a `ChatRequest` and reads back the one event vocabulary; the
transports (`thinkchat.transports`) are the adapters, one for each SDK, loaded by
`transport_registry` on first use.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

from thinkchat.chat.errors import ChatError
from thinkchat.chat.events import StreamEvent
from thinkchat.chat.request import ChatRequest, Endpoint


class Transport(ABC):
    """Turns a `ChatRequest` into the engine's event stream over one SDK.

    `stream` yields any number of `ReasoningDelta` and `AnswerDelta`, then `Usage` and
    `Finished`, or a final `StreamError` for any failure (mapped by `_error`). Cancelling the
    consuming task, or closing the stream, closes the HTTP stream.

    Each transport reads the SDK's stream in `stream` itself, not in a generator of its own
    wrapped by another: every layer of async generators costs each chunk a hand-over
    (benchmarks/RESULTS.md, "After run 19: one generator a transport").
    """

    name: ClassVar[str]
    label: ClassVar[str]
    # The SDKs' HTTP clients close a pooled connection left idle for 5 s: one idle for this
    # long may be gone, and the next request would open a new one (DNS, TCP, TLS).
    stale_after_seconds: ClassVar[float] = 4.0

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._client: Any = None
        # The client may be built on a warm-up thread while a request wants it on the loop.
        self._client_lock = threading.Lock()
        self._building: asyncio.Future[Any] | None = None  # the warm-up's thread, building it
        self._warmed = False
        self._requests = 0  # under way
        self._last_used: float | None = None  # when the pooled connection last carried one
        self._rewarming = False

    def _sdk_client(self) -> Any:
        """The SDK's client, built (and its SDK imported) on first use, from any thread."""
        with self._client_lock:
            if self._client is None:
                self._client = self._build_client()
            return self._client

    async def _client_ready(self) -> Any:
        """The SDK's client for a request: awaited, not waited for with the event loop stopped,
        while the warm-up's thread is still building it (importing the SDK takes a while)."""
        if self._building is not None:
            # Shielded: a request cancelled meanwhile does not cancel the building. Should the
            # warm-up have failed to build it, the request builds it and reports why not.
            with contextlib.suppress(Exception):
                await asyncio.shield(self._building)
        return self._sdk_client()

    @abstractmethod
    def _build_client(self) -> Any:
        """A new client of the SDK for this transport's endpoint."""

    async def warm_up(self) -> None:
        """Build the SDK client on a thread and open its connection to the host, so that the
        first request pays for neither; once in this transport's life.

        A warm-up that fails (no network, a bad endpoint) says nothing: the request reports
        the problem as it would have.
        """
        if self._warmed:
            return
        self._warmed = True
        try:
            self._building = asyncio.ensure_future(asyncio.to_thread(self._sdk_client))
            await asyncio.shield(self._building)  # a request may be waiting for it too
            await self._open_connection()
        except Exception:  # the request that follows reports any failure
            return
        self._last_used = time.monotonic()

    @contextlib.contextmanager
    def in_use(self) -> Iterator[None]:
        """Around a request (with its retries): the connection is busy, then fresh."""
        self._requests += 1
        try:
            yield
        finally:
            self._requests -= 1
            self._last_used = time.monotonic()

    def may_be_stale(self) -> bool:
        """Whether the pooled connection, once opened, may since have been closed for
        idleness (`stale_after_seconds`): no request is under way, nor a warm-up."""
        return (
            self._last_used is not None
            and not self._requests
            and not self._rewarming
            and time.monotonic() - self._last_used >= self.stale_after_seconds
        )

    async def keep_warm(self) -> None:
        """Open the connection again if it may be stale (see `may_be_stale`), as `warm_up`
        did: the user is typing the next prompt. Silent when it fails."""
        if not self.may_be_stale():
            return
        self._rewarming = True
        try:
            await self._open_connection()
        except Exception:  # the request that follows reports any failure
            pass
        finally:
            self._rewarming = False
            self._last_used = time.monotonic()

    @abstractmethod
    async def _open_connection(self) -> None:
        """Open a connection to the host in the SDK client's pool, without the API key (see
        `transports.connection_warmer`)."""

    @abstractmethod
    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """The request's events, ending with `Usage` and `Finished` or a `StreamError`; never
        raises for a failure of the service, the network or the data."""

    @abstractmethod
    def _error(self, exc: Exception, request_id: str | None, opened: bool) -> ChatError:
        """Turn what the SDK raised into a `ChatError`; `opened`: the stream had begun.

        Anything that is not a failure of the service, the network or the data is raised
        again: it is a bug, and hiding it as a service error would mislead.
        """

    @abstractmethod
    async def aclose(self) -> None:
        """Release the SDK client and its connections."""
