"""What differs between the two protocols on the way in: where the request keeps its fields,
how errors and whole answers look, and which framing streams the reply."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from thinkchat.simulator.framing import (
    CompatibleFraming,
    NativeFraming,
    compatible_completion,
    compatible_error_body,
    native_completion,
    native_error_body,
)
from thinkchat.simulator.script import Script
from thinkchat.simulator.service import Reply, ServiceFailure


@dataclass(frozen=True)
class Ask:
    """The parts of a request the service acts on, whichever protocol carried them."""

    model: Any
    messages: Any
    enable_thinking: Any
    thinking_budget: Any
    max_tokens: Any
    stream: bool
    options: Mapping[str, Any]


class Framing(Protocol):
    """Turns a reply into the bytes of one protocol's stream."""

    def first(self) -> bytes: ...
    def event(self, phase: str, text: str, tokens: int) -> bytes: ...
    def ending(self, fault: str | None) -> list[bytes]: ...
    def error(self, fault: str, message: str | None = None) -> bytes: ...


class WireProtocol(ABC):
    """One of the two protocols the simulator serves."""

    name: str

    @abstractmethod
    def parse(self, body: Any, headers: Mapping[str, str]) -> Ask:
        """The request's fields; `ServiceFailure` for a body the service would refuse."""

    @abstractmethod
    def error_body(self, fault: str, request_id: str, message: str | None) -> dict[str, Any]: ...

    @abstractmethod
    def completion(self, ask: Ask, reply: Reply, request_id: str) -> dict[str, Any]: ...

    @abstractmethod
    def framing(self, ask: Ask, reply: Reply, script: Script, request_id: str) -> Framing: ...


class CompatibleProtocol(WireProtocol):
    """`POST /compatible-mode/v1/chat/completions`, as the OpenAI SDK speaks it."""

    name = "compatible"

    def parse(self, body: Any, headers: Mapping[str, str]) -> Ask:
        if not isinstance(body, dict):
            raise ServiceFailure("invalid", "The request body is not valid JSON.")
        return Ask(
            model=body.get("model"),
            messages=body.get("messages"),
            enable_thinking=body.get("enable_thinking"),
            thinking_budget=body.get("thinking_budget"),
            max_tokens=body.get("max_tokens"),
            stream=body.get("stream") is True,
            options={
                "include_usage": (body.get("stream_options") or {}).get("include_usage") is True
            },
        )

    def error_body(self, fault: str, request_id: str, message: str | None) -> dict[str, Any]:
        return compatible_error_body(fault, request_id, message)

    def completion(self, ask: Ask, reply: Reply, request_id: str) -> dict[str, Any]:
        return compatible_completion(ask.model, request_id, reply)

    def framing(self, ask: Ask, reply: Reply, script: Script, request_id: str) -> Framing:
        return CompatibleFraming(
            ask.model, request_id, script.reasoning_field, reply, ask.options["include_usage"]
        )


class NativeProtocol(WireProtocol):
    """`POST /api/v1/services/aigc/text-generation/generation`, as the DashScope SDK speaks it."""

    name = "native"

    def parse(self, body: Any, headers: Mapping[str, str]) -> Ask:
        if not isinstance(body, dict) or not isinstance(body.get("input"), dict):
            raise ServiceFailure("invalid", "The request body needs model and input.")
        parameters = body.get("parameters") or {}
        if not isinstance(parameters, dict):
            raise ServiceFailure("invalid", "parameters must be an object.")
        return Ask(
            model=body.get("model"),
            messages=body["input"].get("messages"),
            enable_thinking=parameters.get("enable_thinking"),
            thinking_budget=parameters.get("thinking_budget"),
            max_tokens=parameters.get("max_tokens"),
            # Streaming is asked for with a header on the native protocol.
            stream=headers.get("X-DashScope-SSE", "").lower() == "enable",
            options={"incremental": parameters.get("incremental_output") is True},
        )

    def error_body(self, fault: str, request_id: str, message: str | None) -> dict[str, Any]:
        return native_error_body(fault, request_id, message)

    def completion(self, ask: Ask, reply: Reply, request_id: str) -> dict[str, Any]:
        return native_completion(request_id, reply)

    def framing(self, ask: Ask, reply: Reply, script: Script, request_id: str) -> Framing:
        return NativeFraming(request_id, ask.options["incremental"], reply)
