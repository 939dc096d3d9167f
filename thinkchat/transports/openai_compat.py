"""The OpenAI-compatible transport: `AsyncOpenAI` against `<host>/compatible-mode/v1`.

Reads the reasoning from `reasoning_content` (Model Studio), `reasoning` (vLLM, Ollama,
OpenRouter) or inline `<think>…</think>` in `content`, so any OpenAI-compatible reasoning server
works. A delta that carries a reasoning field at all, even `""` or `null`, makes it a field
stream: `content` is then the answer, and a `<think>` tag counts only where `content` opens
with one. The `openai` package is imported when the first request is made, not at start-up.
"""

from __future__ import annotations

import json
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
from thinkchat.transports.think_tags import ThinkTagSplitter


class OpenAITransport(Transport):
    """Streams chat completions with the openai SDK."""

    name = "openai"
    label = "OpenAI SDK"

    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__(endpoint)
        self._http_client: Any = None  # the SDK client's, once built

    def _build_client(self) -> Any:
        import openai

        timeouts = self.endpoint.timeouts
        # The SDK's own defaults, in a client the warm-up can reach (`_open_connection`).
        self._http_client = openai.DefaultAsyncHttpxClient()
        client = openai.AsyncOpenAI(
            api_key=self.endpoint.api_key.reveal(),
            base_url=self.endpoint.compatible_base_url,
            # thinkchat decides about retries itself, so SDK attempts never multiply.
            max_retries=0,
            timeout=openai.Timeout(timeouts.read, connect=timeouts.connect),
            http_client=self._http_client,
        )
        # The SDK imports its chat resources when they are first used (about 0.1 s): here,
        # on the warm-up's thread, rather than in the first request.
        _ = client.chat.completions
        return client

    async def _open_connection(self) -> None:
        self._sdk_client()
        await open_connection(
            self._http_client, self.endpoint.compatible_base_url, self.endpoint.timeouts.connect
        )

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        client = await self._client_ready()
        extra_body: dict[str, object] = dict(request.thinking_parameters())
        sampling = request.parameters.sent()
        # `top_k` is not an OpenAI parameter: like the thinking switches, it rides in the body.
        if "top_k" in sampling:
            extra_body["top_k"] = sampling.pop("top_k")
        end = StreamEnd()
        request_id: str | None = None
        opened = False
        try:
            stream = await client.chat.completions.create(
                model=request.model,
                messages=request.wire_messages(),
                stream=True,
                stream_options={"include_usage": True},
                extra_body=extra_body or None,
                **sampling,
            )
            opened = True
            request_id = stream.response.headers.get("x-request-id")
            splitter = ThinkTagSplitter(request.expect_reasoning)
            # The delta's reasoning field, once one has shown: from then on `content` is the
            # answer, whatever the field holds (the guide's stream opens with it empty).
            field: str | None = None
            content_is_answer = False  # all content from here on is answer, as it comes
            async with stream:
                async for chunk in stream:
                    request_id = request_id or _chunk_request_id(chunk)
                    if chunk.usage is not None:
                        end.usage = _usage(chunk.usage)
                    if not chunk.choices:
                        continue
                    choice = chunk.choices[0]
                    delta = choice.delta
                    if delta is not None:
                        extra = delta.model_extra or {}
                        if field is None and extra:
                            field = _reasoning_field(extra)
                            if field is not None:
                                for event in splitter.expect_answer():
                                    yield event
                                content_is_answer = splitter.content_is_answer
                        if field is not None:
                            reasoning = extra.get(field)
                            if reasoning and isinstance(reasoning, str):
                                yield ReasoningDelta(reasoning)
                        content = delta.content
                        if content:
                            if content_is_answer:
                                yield AnswerDelta(content)
                            else:
                                for event in splitter.feed(content):
                                    yield event
                                content_is_answer = splitter.content_is_answer
                    if choice.finish_reason:
                        for event in splitter.finish():
                            yield event
                        end.finished = Finished(choice.finish_reason)
        except Exception as exc:  # every SDK failure ends the stream as a StreamError
            end.failure = self._error(exc, request_id, opened)
        for event in end.events():
            yield event

    def _error(self, exc: Exception, request_id: str | None, opened: bool) -> ChatError:
        import openai

        if isinstance(exc, openai.APIStatusError):
            body = exc.body if isinstance(exc.body, dict) else {}
            code = body.get("code") or body.get("type")
            message = body.get("message") or exc.message
            return ChatError(
                kind_for(exc.status_code, code),
                str(message),
                status=exc.status_code,
                code=str(code) if code else None,
                request_id=exc.request_id or _body_request_id(exc.response) or request_id,
                retry_after=parse_retry_after(exc.response.headers),
            )
        if isinstance(exc, openai.APITimeoutError):
            return timed_out(opened, request_id)
        if isinstance(exc, openai.APIConnectionError):
            return dropped(request_id) if opened else unreachable(self.endpoint.compatible_base_url)
        if isinstance(exc, openai.APIError):
            # A `data: {"error": …}` chunk in the middle of the stream.
            body = exc.body if isinstance(exc.body, dict) else {}
            code = body.get("code") or body.get("type")
            return ChatError(
                kind_for(None, code),
                str(body.get("message") or exc.message),
                code=str(code) if code else None,
                request_id=body.get("request_id") or request_id,
            )
        if isinstance(exc, (json.JSONDecodeError, TypeError, AttributeError, ValueError)):
            return malformed(str(exc) or type(exc).__name__, request_id)
        raise exc

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None


def _reasoning_field(extra: dict[str, Any]) -> str | None:
    """The name a delta's reasoning travels under, if it carries one at all (even empty)."""
    # Both names are extra fields to the SDK; a server that sends both sends the same text.
    if "reasoning_content" in extra:
        return "reasoning_content"
    if "reasoning" in extra:
        return "reasoning"
    return None


def _usage(usage: Any) -> Usage:
    completion_details = getattr(usage, "completion_tokens_details", None)
    prompt_details = getattr(usage, "prompt_tokens_details", None)
    return Usage(
        input_tokens=usage.prompt_tokens or 0,
        output_tokens=usage.completion_tokens or 0,
        reasoning_tokens=getattr(completion_details, "reasoning_tokens", None) or 0,
        cached_tokens=getattr(prompt_details, "cached_tokens", None) or 0,
    )


def _chunk_request_id(chunk: Any) -> str | None:
    # Model Studio names chunks "chatcmpl-<request id>".
    chunk_id = getattr(chunk, "id", None) or ""
    return chunk_id.removeprefix("chatcmpl-") or None


def _body_request_id(response: Any) -> str | None:
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    return body.get("request_id") if isinstance(body, dict) else None
