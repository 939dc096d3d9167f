"""What the engine hands a transport: the messages, the thinking and model parameters, and
where to send them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from thinkchat.catalog import compatible_base_url, native_base_url
from thinkchat.chat.api_key import ApiKey


@dataclass(frozen=True, slots=True)
class Message:
    """One message of the history sent to the model. Reasoning never appears here."""

    role: str
    content: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True, slots=True)
class ModelParameters:
    """Sampling and length settings of a request; a None is not sent (the service decides).

    Each transport sends them the way its SDK takes them (see `sent`).
    """

    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    presence_penalty: float | None = None
    max_tokens: int | None = None
    seed: int | None = None

    def sent(self) -> dict[str, float | int]:
        """The parameters that are set, by their wire names."""
        return {
            name: value for name in PARAMETER_NAMES if (value := getattr(self, name)) is not None
        }

    def over(self, base: ModelParameters) -> ModelParameters:
        """These parameters where they are set, `base`'s where they are not."""
        return replace(base, **self.sent())


PARAMETER_NAMES = ("temperature", "top_p", "top_k", "presence_penalty", "max_tokens", "seed")


NO_PARAMETERS = ModelParameters()


@dataclass(frozen=True, slots=True)
class ModeParameters:
    """Model parameters for requests that think and for those that do not: models are tuned
    differently for each (the Qwen3 model cards recommend other sampling per mode)."""

    thinking: ModelParameters = NO_PARAMETERS
    plain: ModelParameters = NO_PARAMETERS

    def for_mode(self, thinking: bool) -> ModelParameters:
        """The parameters of a request that thinks (`thinking`) or does not."""
        return self.thinking if thinking else self.plain

    def with_changes(self, **changes: float | int | None) -> ModeParameters:
        """Both modes' parameters with `changes` (e.g. `max_tokens=8000`)."""
        return ModeParameters(replace(self.thinking, **changes), replace(self.plain, **changes))

    def over(self, base: ModeParameters) -> ModeParameters:
        """Each mode's parameters where they are set, `base`'s where they are not."""
        return ModeParameters(self.thinking.over(base.thinking), self.plain.over(base.plain))


NO_MODE_PARAMETERS = ModeParameters()


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
    parameters: ModelParameters = NO_PARAMETERS

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
