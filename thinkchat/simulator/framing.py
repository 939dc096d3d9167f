"""The bytes of both protocols, framed exactly as the Model Studio guide shows them.

Both framings answer the same questions for the server: the bytes before the text
(`first`), of each event (`event`), after the text (`ending`), and of a mid-stream error.
"""

from __future__ import annotations

import json
import time
from typing import Any

from thinkchat.simulator.script import HTTP_FAULTS
from thinkchat.simulator.service import Reply


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def compatible_error_body(fault: str, request_id: str, message: str | None = None) -> dict:
    *_, code, error_type, compatible_message = HTTP_FAULTS[fault]
    return {
        "error": {
            "code": code,
            "message": message or compatible_message,
            "param": None,
            "type": error_type,
        },
        "request_id": request_id,
    }


def native_error_body(fault: str, request_id: str, message: str | None = None) -> dict:
    _, code, native_message, *_ = HTTP_FAULTS[fault]
    return {"code": code, "message": message or native_message, "request_id": request_id}


class CompatibleFraming:
    """`data: {chunk}` events of an OpenAI-compatible stream, ending in `data: [DONE]`.

    `reasoning_field` picks how reasoning travels: Model Studio's `reasoning_content`, the
    `reasoning` field of vLLM and Ollama, or inline in `content` between `<think>` tags (with or
    without the opening tag). In thinking mode a field stream carries the field on every delta,
    as the guide's sample does, even when the model writes no reasoning: `""` on the first
    delta, `null` beside the answer. Inline, a reply without reasoning has no tags at all.
    """

    def __init__(
        self,
        model: str,
        request_id: str,
        reasoning_field: str,
        reply: Reply,
        include_usage: bool,
    ) -> None:
        self._model = model
        self._request_id = request_id
        self._id = f"chatcmpl-{request_id}"
        self._created = int(time.time())
        self._field = reasoning_field
        self._reply = reply
        self._include_usage = include_usage
        self._thinking = reply.thinking
        self._in_reasoning = False

    def _chunk(self, choices: list[dict[str, Any]], usage: Any = None) -> bytes:
        chunk = {
            "choices": choices,
            "object": "chat.completion.chunk",
            "usage": usage,
            "created": self._created,
            "system_fingerprint": None,
            "model": self._model,
            "id": self._id,
        }
        return f"data: {_dumps(chunk)}\n\n".encode()

    def _delta(self, delta: dict[str, Any], finish_reason: str | None = None) -> bytes:
        choice = {"delta": delta, "index": 0, "logprobs": None, "finish_reason": finish_reason}
        return self._chunk([choice])

    def first(self) -> bytes:
        delta: dict[str, Any] = {"content": None, "role": "assistant"}
        if self._thinking and self._field in ("reasoning_content", "reasoning"):
            delta[self._field] = ""
        return self._delta(delta)

    def reasoning(self, text: str) -> bytes:
        if self._field in ("reasoning_content", "reasoning"):
            return self._delta({"content": None, self._field: text})
        if not self._in_reasoning:
            self._in_reasoning = True
            if self._field == "think_tags":
                text = "<think>" + text
        return self._delta({"content": text})

    def answer(self, text: str) -> bytes:
        if self._in_reasoning:
            self._in_reasoning = False
            text = "</think>\n\n" + text
        if self._field in ("reasoning_content", "reasoning") and self._thinking:
            return self._delta({"content": text, self._field: None})
        return self._delta({"content": text})

    def finish(self, reason: str) -> bytes:
        delta: dict[str, Any] = {"content": ""}
        if self._field in ("reasoning_content", "reasoning") and self._thinking:
            delta[self._field] = None
        return self._delta(delta, finish_reason=reason)

    def usage(
        self, input_tokens: int, output_tokens: int, reasoning_tokens: int, cached_tokens: int
    ) -> bytes:
        usage = {
            "prompt_tokens": input_tokens,
            "completion_tokens": output_tokens,
            "total_tokens": input_tokens + output_tokens,
            "completion_tokens_details": {"reasoning_tokens": reasoning_tokens},
            "prompt_tokens_details": {"cached_tokens": cached_tokens},
        }
        return self._chunk([], usage)

    def event(self, phase: str, text: str, tokens: int) -> bytes:
        return self.reasoning(text) if phase == "reasoning" else self.answer(text)

    def ending(self, fault: str | None) -> list[bytes]:
        """The finish chunk, the usage chunk when asked for, and `[DONE]`, as faults allow."""
        if fault == "no_finish":
            return []
        reply = self._reply
        parts = [self.finish(reply.finish_reason)]
        if self._include_usage:
            output = len(reply.reasoning) + len(reply.answer)
            parts.append(
                self.usage(reply.input_tokens, output, len(reply.reasoning), reply.cached_tokens)
            )
        if fault != "no_done":
            parts.append(b"data: [DONE]\n\n")
        return parts

    def error(self, fault: str, message: str | None = None) -> bytes:
        body = compatible_error_body(fault, self._request_id, message)
        return f"data: {_dumps(body)}\n\n".encode()


class NativeFraming:
    """`id:` / `event:result` / `:HTTP_STATUS/200` / `data:` events of the native protocol.

    Usage is cumulative on every event. With `incremental` off, every event repeats the whole
    reasoning and answer so far, as the service does without `incremental_output`.
    """

    def __init__(self, request_id: str, incremental: bool, reply: Reply) -> None:
        self._request_id = request_id
        self._incremental = incremental
        self._reply = reply
        self._input_tokens = reply.input_tokens
        self._cached_tokens = reply.cached_tokens
        self._event_id = 0
        self._output_tokens = 0
        self._reasoning_tokens = 0
        self._reasoning_so_far: list[str] = []
        self._answer_so_far: list[str] = []

    def _event(self, reasoning: str, answer: str, finish_reason: str) -> bytes:
        self._event_id += 1
        if not self._incremental:
            self._reasoning_so_far.append(reasoning)
            self._answer_so_far.append(answer)
            reasoning = "".join(self._reasoning_so_far)
            answer = "".join(self._answer_so_far)
        data = {
            "output": {
                "choices": [
                    {
                        "message": {
                            "content": answer,
                            "reasoning_content": reasoning,
                            "role": "assistant",
                        },
                        "finish_reason": finish_reason,
                    }
                ]
            },
            "usage": {
                "total_tokens": self._input_tokens + self._output_tokens,
                "input_tokens": self._input_tokens,
                "output_tokens": self._output_tokens,
                "output_tokens_details": {"reasoning_tokens": self._reasoning_tokens},
                "prompt_tokens_details": {"cached_tokens": self._cached_tokens},
            },
            "request_id": self._request_id,
        }
        return (
            f"id:{self._event_id}\nevent:result\n:HTTP_STATUS/200\ndata:{_dumps(data)}\n\n".encode()
        )

    def reasoning(self, text: str, tokens: int) -> bytes:
        self._output_tokens += tokens
        self._reasoning_tokens += tokens
        return self._event(text, "", "null")

    def answer(self, text: str, tokens: int) -> bytes:
        self._output_tokens += tokens
        return self._event("", text, "null")

    def first(self) -> bytes:
        return b""

    def event(self, phase: str, text: str, tokens: int) -> bytes:
        if phase == "reasoning":
            return self.reasoning(text, tokens)
        return self.answer(text, tokens)

    def ending(self, fault: str | None) -> list[bytes]:
        """The last event, with the finish reason (the native protocol has no [DONE])."""
        if fault == "no_finish":
            return []
        return [self._event("", "", self._reply.finish_reason)]

    def error(self, fault: str, message: str | None = None) -> bytes:
        self._event_id += 1
        status = HTTP_FAULTS[fault][0]
        body = _dumps(native_error_body(fault, self._request_id, message))
        return f"id:{self._event_id}\nevent:error\n:HTTP_STATUS/{status}\ndata:{body}\n\n".encode()


def compatible_completion(model: str, request_id: str, reply: Reply) -> dict[str, Any]:
    output = len(reply.answer)
    return {
        "choices": [
            {
                "message": {"role": "assistant", "content": "".join(reply.answer)},
                "finish_reason": reply.finish_reason,
                "index": 0,
                "logprobs": None,
            }
        ],
        "object": "chat.completion",
        "usage": {
            "prompt_tokens": reply.input_tokens,
            "completion_tokens": output,
            "total_tokens": reply.input_tokens + output,
        },
        "created": int(time.time()),
        "system_fingerprint": None,
        "model": model,
        "id": f"chatcmpl-{request_id}",
    }


def native_completion(request_id: str, reply: Reply) -> dict[str, Any]:
    output = len(reply.answer)
    return {
        "output": {
            "choices": [
                {
                    "message": {"role": "assistant", "content": "".join(reply.answer)},
                    "finish_reason": reply.finish_reason,
                }
            ]
        },
        "usage": {
            "total_tokens": reply.input_tokens + output,
            "input_tokens": reply.input_tokens,
            "output_tokens": output,
        },
        "request_id": request_id,
    }
