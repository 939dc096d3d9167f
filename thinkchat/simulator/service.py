"""The simulated service's decisions: who may call, which model, whether and how long it thinks."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from thinkchat.simulator.models import THINKING_ONLY, follows_switch, served_model
from thinkchat.simulator.script import DIRECTIVE, HTTP_FAULTS, Script
from thinkchat.simulator.text import answer_tokens, count_tokens, reasoning_tokens, tokens


@dataclass(frozen=True)
class ServiceFailure(Exception):
    """An error the service answers with: an `HTTP_FAULTS` entry and, optionally, a message."""

    fault: str
    message: str | None = None

    @property
    def status(self) -> int:
        return HTTP_FAULTS[self.fault][0]


@dataclass(frozen=True)
class Reply:
    """What the model will stream for one request.

    `thinking`: the model answers in thinking mode, which frames the stream as such even when
    it writes no reasoning ("a model in thinking mode" may "not output a thinking process").
    """

    thinking: bool
    reasoning: tuple[str, ...]
    answer: tuple[str, ...]
    input_tokens: int
    cached_tokens: int
    finish_reason: str


def check_key(authorization: str | None, keys: frozenset[str]) -> None:
    """Bearer authentication, as the service does it."""
    scheme, _, key = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or key.strip() not in keys:
        raise ServiceFailure("auth")


def _require_bool(name: str, value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise ServiceFailure("invalid", f"The parameter {name} must be a boolean.")


def _require_positive_int(name: str, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise ServiceFailure("invalid", f"The {name} parameter must be a positive integer.")


def _check_messages(messages: Any) -> list[dict[str, Any]]:
    if not isinstance(messages, list) or not messages:
        raise ServiceFailure("invalid", "The messages field must be a non-empty list.")
    for message in messages:
        if not isinstance(message, dict) or not isinstance(message.get("content"), str):
            raise ServiceFailure("invalid", "Each message needs a role and a string content.")
        if message.get("role") not in ("system", "user", "assistant"):
            raise ServiceFailure("invalid", f"Unknown message role {message.get('role')!r}.")
        if "reasoning_content" in message:
            raise ServiceFailure("invalid", "reasoning_content must not be sent back in messages.")
    return messages


class PrefixCache:
    """Counts cached input tokens the way context caching does: the earlier messages of a
    conversation, when a request with the same beginning was seen before."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def cached_tokens(self, messages: Sequence[dict[str, Any]]) -> int:
        cached = 0
        digest = hashlib.sha256()
        for index, message in enumerate(messages):
            digest.update(f"{message['role']}\0{message['content']}\0".encode())
            key = digest.hexdigest()
            # The new prompt itself is never cached, only what came before it.
            if key in self._seen and index < len(messages) - 1:
                cached = sum(count_tokens(m["content"]) for m in messages[: index + 1])
            self._seen.add(key)
        return cached


def plan_reply(
    *,
    model: str,
    messages: Any,
    enable_thinking: Any,
    thinking_budget: Any,
    stream: bool,
    region: str | None,
    max_tokens: Any = None,
    script: Script,
    cache: PrefixCache,
) -> Reply:
    """Apply the guide's rules to one request; raise `ServiceFailure` where the service would."""
    checked = _check_messages(messages)
    served = served_model(model) if isinstance(model, str) else None
    if served is None:
        raise ServiceFailure("not_found", f"Model not found ({model})!")
    if region is not None and not served.served_in(region):
        raise ServiceFailure("not_found", f"Model {model} is not served in {region}.")
    _require_bool("enable_thinking", enable_thinking)
    _require_positive_int("thinking_budget", thinking_budget)
    _require_positive_int("max_tokens", max_tokens)

    if served.mode == THINKING_ONLY:
        if enable_thinking is False:
            raise ServiceFailure(
                "invalid", "The value of the enable_thinking parameter is restricted to True."
            )
        thinking = True
    else:
        thinking = served.thinks_by_default if enable_thinking is None else enable_thinking
        if thinking and served.soft_switch:
            switch = follows_switch([m["content"] for m in checked if m.get("role") == "user"])
            if switch is not None:
                thinking = switch
    if thinking and not stream:
        raise ServiceFailure(
            "invalid", "This model only supports stream mode in thinking mode; enable stream."
        )

    prompt = next((m["content"] for m in reversed(checked) if m.get("role") == "user"), "")
    prompt = "\n".join(line for line in prompt.splitlines() if not line.startswith(DIRECTIVE))
    reasoning: list[str] = []
    if thinking:
        if script.reasoning is not None:
            reasoning = tokens(script.reasoning)
        else:
            reasoning = reasoning_tokens(prompt, script.reasoning_tokens)
        if thinking_budget is not None and served.budget:
            reasoning = reasoning[:thinking_budget]
    answer = (
        tokens(script.answer)
        if script.answer is not None
        else answer_tokens(prompt, script.answer_tokens)
    )
    finish_reason = script.finish_reason
    # The guide does not say what max_tokens limits; the simulator assumes what OpenAI's API
    # does: the whole output, reasoning first, so a long thought can leave the answer cut.
    if max_tokens is not None and len(reasoning) + len(answer) > max_tokens:
        reasoning = reasoning[:max_tokens]
        answer = answer[: max_tokens - len(reasoning)]
        finish_reason = "length"
    return Reply(
        thinking=thinking,
        reasoning=tuple(reasoning),
        answer=tuple(answer),
        input_tokens=sum(count_tokens(m["content"]) for m in checked),
        cached_tokens=cache.cached_tokens(checked),
        finish_reason=finish_reason,
    )
