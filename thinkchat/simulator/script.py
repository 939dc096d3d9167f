"""What the simulator does with the next request: the text it streams, how fast, and what breaks.

Tests queue `Script`s on the simulator; people trying the app put a directive line in the
prompt instead, e.g. `#sim reasoning=2000 delay=0.01` or `#sim fault=rate_limit retry_after=2`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

# Faults answered with an HTTP error before any event: (status, native code, native message,
# compatible-mode code, compatible-mode type, compatible-mode message).
HTTP_FAULTS: dict[str, tuple[int, str, str, str, str, str]] = {
    "auth": (
        401,
        "InvalidApiKey",
        "Invalid API-key provided.",
        "invalid_api_key",
        "invalid_request_error",
        "Incorrect API key provided.",
    ),
    "forbidden": (
        403,
        "AccessDenied",
        "Access denied.",
        "access_denied",
        "invalid_request_error",
        "Access denied.",
    ),
    "not_found": (
        404,
        "ModelNotFound",
        "Model not found!",
        "model_not_found",
        "invalid_request_error",
        "The model does not exist or you do not have access to it.",
    ),
    "invalid": (
        400,
        "InvalidParameter",
        "The request has an invalid parameter.",
        "invalid_parameter_error",
        "invalid_request_error",
        "The request has an invalid parameter.",
    ),
    "inspection": (
        400,
        "DataInspectionFailed",
        "Input data may contain inappropriate content.",
        "data_inspection_failed",
        "data_inspection_failed",
        "Input data may contain inappropriate content.",
    ),
    "arrears": (
        400,
        "Arrearage",
        "Access denied, please make sure your account is in good standing.",
        "Arrearage",
        "Arrearage",
        "Access denied, please make sure your account is in good standing.",
    ),
    "rate_limit": (
        429,
        "Throttling.RateQuota",
        "Requests rate limit exceeded, please try again later.",
        "limit_requests",
        "limit_requests",
        "Requests rate limit exceeded, please try again later.",
    ),
    "server": (
        500,
        "InternalError",
        "An internal error has occurred, please try again later.",
        "internal_error",
        "internal_error",
        "An internal error has occurred, please try again later.",
    ),
    "bad_gateway": (
        502,
        "BadGateway",
        "Bad gateway.",
        "bad_gateway",
        "internal_error",
        "Bad gateway.",
    ),
    "unavailable": (
        503,
        "ModelUnavailable",
        "Model is unavailable, please try again later.",
        "model_unavailable",
        "internal_error",
        "Model is unavailable, please try again later.",
    ),
}

# Faults in the middle of a stream.
STREAM_FAULTS = (
    "stream_error",  # an error event (native event:error, compatible data: {"error": …})
    "drop",  # the connection is cut
    "malformed",  # a data line that is not JSON
    "stall",  # nothing more is sent, the connection stays open
    "no_finish",  # the text ends without a finish reason (and without [DONE]), then close
    "no_done",  # compatible mode: everything but the final [DONE]
    "empty",  # a 200 response with no events at all
)
FAULT_KINDS = (*HTTP_FAULTS, *STREAM_FAULTS)

REASONING_FIELDS = ("reasoning_content", "reasoning", "think_tags", "think_close_only")


@dataclass(frozen=True)
class Fault:
    """Something that goes wrong. Mid-stream faults happen `after` tokens into `phase`."""

    kind: str
    phase: str = "answer"
    after: int = 3
    retry_after: float | None = None
    # For "stream_error": which service error the event carries (an HTTP_FAULTS name).
    error: str = "inspection"
    # Replaces the service's usual message for this error.
    message: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; known: {', '.join(FAULT_KINDS)}")
        if self.phase not in ("reasoning", "answer"):
            raise ValueError("a fault's phase is 'reasoning' or 'answer'")
        if self.error not in HTTP_FAULTS:
            raise ValueError(f"unknown service error {self.error!r}")

    @property
    def is_http(self) -> bool:
        return self.kind in HTTP_FAULTS


@dataclass(frozen=True)
class Script:
    """How the simulator answers one request.

    Text: `reasoning` / `answer` verbatim, or generated with `reasoning_tokens` /
    `answer_tokens` tokens (defaults: a short paragraph each). Pace: `delay` seconds between
    events, `first_delay` before the first one, `tokens_per_event` tokens in each event.
    `reasoning_field` says how compatible mode carries reasoning (Model Studio uses
    `reasoning_content`; others use `reasoning` or inline `<think>` tags). `byte_chunks`, when
    given, cuts the bytes on the wire into writes of those sizes (cycling), wherever they fall:
    inside an event, a JSON string or a multi-byte character.
    """

    reasoning: str | None = None
    answer: str | None = None
    reasoning_tokens: int | None = None
    answer_tokens: int | None = None
    delay: float = 0.0
    first_delay: float = 0.0
    tokens_per_event: int = 1
    reasoning_field: str = "reasoning_content"
    finish_reason: str = "stop"
    fault: Fault | None = None
    byte_chunks: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.reasoning_field not in REASONING_FIELDS:
            raise ValueError(f"reasoning_field is one of {', '.join(REASONING_FIELDS)}")
        if self.tokens_per_event < 1:
            raise ValueError("tokens_per_event must be at least 1")
        if any(size < 1 for size in self.byte_chunks):
            raise ValueError("byte_chunks are sizes of at least 1 byte")

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "fault"}
        data["fault"] = dict(self.fault.__dict__) if self.fault else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Script:
        data = dict(data)
        fault = data.pop("fault", None)
        data["byte_chunks"] = tuple(data.get("byte_chunks", ()))
        return cls(**data, fault=Fault(**fault) if fault else None)


DIRECTIVE = "#sim"

_NUMBER_FIELDS = {
    "reasoning": ("reasoning_tokens", int),
    "answer": ("answer_tokens", int),
    "delay": ("delay", float),
    "first_delay": ("first_delay", float),
    "per_event": ("tokens_per_event", int),
    "field": ("reasoning_field", str),
    "finish": ("finish_reason", str),
}
_FAULT_FIELDS = {
    "at": ("phase", str),
    "after": ("after", int),
    "retry_after": ("retry_after", float),
    "error": ("error", str),
}


def script_from_prompt(prompt: str, base: Script) -> Script:
    """Apply a `#sim key=value …` line of the prompt to `base`; bad directives are ignored."""
    for line in prompt.splitlines():
        words = line.strip().split()
        if not words or words[0] != DIRECTIVE:
            continue
        settings: dict[str, Any] = {}
        fault_settings: dict[str, Any] = {}
        for word in words[1:]:
            key, _, value = word.partition("=")
            try:
                if key in _NUMBER_FIELDS:
                    name, convert = _NUMBER_FIELDS[key]
                    settings[name] = convert(value)
                elif key in _FAULT_FIELDS:
                    name, convert = _FAULT_FIELDS[key]
                    fault_settings[name] = convert(value)
                elif key == "fault":
                    fault_settings["kind"] = value
            except ValueError:
                continue
        try:
            fault = Fault(**fault_settings) if "kind" in fault_settings else base.fault
            return replace(base, **settings, fault=fault)
        except (TypeError, ValueError):
            return base
    return base


@dataclass(frozen=True)
class RequestMatch:
    """Which requests a script is for, when several are in flight at once (a comparison's
    variants): each field given must equal the request's; None matches anything."""

    model: str | None = None
    enable_thinking: bool | None = None
    thinking_budget: int | None = None
    protocol: str | None = None  # "compatible" or "native"

    def matches(
        self, model: Any, enable_thinking: Any, thinking_budget: Any, protocol: str
    ) -> bool:
        wanted = (self.model, self.enable_thinking, self.thinking_budget, self.protocol)
        actual = (model, enable_thinking, thinking_budget, protocol)
        return all(want is None or want == got for want, got in zip(wanted, actual, strict=True))


@dataclass
class ScriptQueue:
    """Scripts waiting for the next requests, in order; `default` when none is queued.

    A script queued for the requests that match a `RequestMatch` goes to the first such
    request, before the scripts queued for any request.
    """

    default: Script = field(default_factory=Script)
    waiting: list[Script] = field(default_factory=list)
    matched: list[tuple[RequestMatch, Script]] = field(default_factory=list)

    def next(
        self,
        model: Any = None,
        enable_thinking: Any = None,
        thinking_budget: Any = None,
        protocol: str = "",
    ) -> Script:
        for index, (match, script) in enumerate(self.matched):
            if match.matches(model, enable_thinking, thinking_budget, protocol):
                del self.matched[index]
                return script
        return self.waiting.pop(0) if self.waiting else self.default
