"""What the engine hands a transport: the messages, the thinking parameters, where to send them."""

from __future__ import annotations

from dataclasses import dataclass, field

from thinkchat.catalog import compatible_base_url, native_base_url
from thinkchat.chat.api_key import ApiKey


@dataclass(frozen=True, slots=True)
class Message:
    """One message of the history sent to the model. Reasoning never appears here."""

    role: str
    content: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class ChatRequest:
    """One streamed chat request.

    `enable_thinking` and `thinking_budget` are sent only when not None. `expect_reasoning`
    tells a parser of inline `<think>` text whether the model is expected to think.
    """

    model: str
    messages: tuple[Message, ...]
    enable_thinking: bool | None = None
    thinking_budget: int | None = None
    expect_reasoning: bool = False

    def wire_messages(self) -> list[dict[str, str]]:
        return [message.as_dict() for message in self.messages]

    def thinking_parameters(self) -> dict[str, bool | int]:
        parameters: dict[str, bool | int] = {}
        if self.enable_thinking is not None:
            parameters["enable_thinking"] = self.enable_thinking
        if self.thinking_budget is not None:
            parameters["thinking_budget"] = self.thinking_budget
        return parameters


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for a connection, and for the next bytes of a stream."""

    connect: float = 10.0
    read: float = 60.0


@dataclass(frozen=True)
class Endpoint:
    """Where requests go: a host root (a region's, or an override) and the key for it."""

    host_root: str
    api_key: ApiKey
    region: str
    timeouts: Timeouts = field(default_factory=Timeouts)

    @property
    def compatible_base_url(self) -> str:
        return compatible_base_url(self.host_root)

    @property
    def native_base_url(self) -> str:
        return native_base_url(self.host_root)
