"""The DashScope native transport: `dashscope.AsyncClient` against `<host>/api/v1`.

Native protocol, `result_format="message"`, incremental output. Usage is cumulative on every
event; reasoning tokens come from `output_tokens_details`. The `dashscope` package (and httpx,
which it uses) is imported when the first request is made, not at start-up.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from thinkchat.chat.errors import ChatError, kind_for
from thinkchat.chat.events import AnswerDelta, Finished, ReasoningDelta, StreamEvent, Usage
from thinkchat.chat.request import ChatRequest, Endpoint
from thinkchat.chat.transport import Transport
from thinkchat.transports.connection_warmer import open_connection
from thinkchat.transports.errors import (
    dropped,
    malformed,
    parse_retry_after,
    timed_out,
    unreachable,
)
from thinkchat.transports.stream_end import StreamEnd


class CumulativeText:
    """Turns a field that repeats the whole text so far into the newly added part."""

    def __init__(self) -> None:
        self._seen = ""

    def delta(self, text: str) -> str:
        # If the service rewrote what it had sent, show the new text rather than lose it.
        added = text[len(self._seen) :] if text.startswith(self._seen) else text
        self._seen = text
        return added


class DashScopeTransport(Transport):
    """Streams generations with the dashscope SDK's native protocol.

    `incremental=False` asks the service for cumulative text (each event repeats everything so
    far), which the transport turns back into deltas; the default is incremental output.
    """

    name = "dashscope"
    label = "DashScope SDK"

    def __init__(self, endpoint: Endpoint, *, incremental: bool = True) -> None:
        super().__init__(endpoint)
        self._incremental = incremental

    def _build_client(self) -> Any:
        import dashscope

        return dashscope.AsyncClient(
            api_key=self.endpoint.api_key.reveal(),
            base_url=self.endpoint.native_base_url,
            timeout=self.endpoint.timeouts.read,
            # thinkchat decides about retries itself, so SDK attempts never multiply.
            max_retries=0,
        )

    async def _open_connection(self) -> None:
        # The client's httpx client carries the key in its default headers: the warmer
        # sends none of them.
        await open_connection(
            self._sdk_client().transport.http_client,
            self.endpoint.native_base_url,
            self.endpoint.timeouts.connect,
        )

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        import httpx

        client = await self._client_ready()
        timeouts = self.endpoint.timeouts
        parameters: dict[str, Any] = {"result_format": "message"}
        if not self._incremental:
            parameters["incremental_output"] = False
        thinking = request.thinking_parameters()
        end = StreamEnd()
        request_id: str | None = None
        opened = False
        try:
            stream = await client.chat.completions.create(
                model=request.model,
                messages=request.wire_messages(),
                stream=True,
                enable_thinking=thinking.get("enable_thinking"),
                thinking_budget=thinking.get("thinking_budget"),
                parameters=parameters,
                **request.parameters.sent(),
                timeout=httpx.Timeout(timeouts.read, connect=timeouts.connect),
            )
            opened = True
            reasoning_text = CumulativeText()
            answer_text = CumulativeText()
            usage: Any = None
            try:
                async for chunk in stream:
                    request_id = request_id or chunk.request_id
                    usage = chunk.usage or usage
                    if not chunk.choices:
                        continue
                    choice = chunk.choices[0]
                    delta = choice.delta
                    reasoning = delta.reasoning_content
                    content = delta.content
                    if not self._incremental:
                        reasoning = reasoning_text.delta(reasoning or "")
                        content = answer_text.delta(content or "")
                    if reasoning:
                        yield ReasoningDelta(reasoning)
                    if content:
                        yield AnswerDelta(content)
                    # The native protocol says "null" (a string) until the last event.
                    if choice.finish_reason and choice.finish_reason != "null":
                        if usage is not None:
                            end.usage = _usage(usage)
                        end.finished = Finished(choice.finish_reason)
            finally:
                await stream.aclose()
        except Exception as exc:  # every SDK failure ends the stream as a StreamError
            end.failure = self._error(exc, request_id, opened)
        for event in end.events():
            yield event

    def _error(self, exc: Exception, request_id: str | None, opened: bool) -> ChatError:
        import httpx
        from dashscope.v2 import errors

        if isinstance(exc, (errors.APITimeoutError, httpx.TimeoutException)):
            return timed_out(opened, request_id)
        if isinstance(exc, errors.APIConnectionError):
            return unreachable(self.endpoint.native_base_url)
        if isinstance(exc, httpx.TransportError):
            # Raised by httpx itself while the SDK reads the stream.
            return dropped(request_id)
        if isinstance(exc, errors.DashScopeError):
            if not exc.code and exc.status_code is None:
                return malformed(exc.message, request_id)
            # An error event in the middle of a stream arrives with HTTP 200 already sent.
            status = exc.status_code if exc.status_code != 200 else None
            return ChatError(
                kind_for(status, exc.code),
                exc.message,
                status=status,
                code=exc.code,
                request_id=exc.request_id or request_id,
                retry_after=parse_retry_after(exc.headers),
            )
        if isinstance(exc, (TypeError, AttributeError, ValueError)):
            # pydantic's ValidationError is a ValueError: an event of the wrong shape.
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return malformed(detail, request_id)
        raise exc

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def _usage(usage: Any) -> Usage:
    extra = usage.model_extra or {}
    output_details = extra.get("output_tokens_details") or {}
    prompt_details = extra.get("prompt_tokens_details") or {}
    return Usage(
        input_tokens=usage.input_tokens or 0,
        output_tokens=usage.output_tokens or 0,
        reasoning_tokens=output_details.get("reasoning_tokens") or 0,
        cached_tokens=prompt_details.get("cached_tokens") or 0,
    )
