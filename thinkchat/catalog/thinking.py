"""The thinking parameters of a request: soft switches, budgets, and `plan_thinking`.

`plan_thinking` turns what the user wants into the exact request parameters, by the rules of
the model table (`catalog.models`), so no other module needs to know them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from thinkchat.catalog.models import ModelInfo, ThinkingKind, lookup


class SoftSwitch(str, Enum):
    """The `/think` and `/no_think` markers a user can put in a prompt."""

    THINK = "/think"
    NO_THINK = "/no_think"


_SOFT_SWITCH = re.compile(r"(?<![\w/])/(no_think|think)\b")


def last_soft_switch(text: str) -> SoftSwitch | None:
    """The last `/think` or `/no_think` in one message, if any."""
    found = _SOFT_SWITCH.findall(text)
    if not found:
        return None
    return SoftSwitch.NO_THINK if found[-1] == "no_think" else SoftSwitch.THINK


def latest_soft_switch(user_messages: Iterable[str]) -> SoftSwitch | None:
    """The most recent switch across a conversation's user messages (oldest first)."""
    latest = None
    for text in user_messages:
        latest = last_soft_switch(text) or latest
    return latest


class Thinking(str, Enum):
    """What the user asked for: on, off, or the model's own default."""

    ON = "on"
    OFF = "off"
    AUTO = "auto"


class InvalidBudget(ValueError):
    """A thinking budget that is not a positive whole number."""


def parse_budget(text: str | int | None) -> int | None:
    """Read a thinking budget: a positive whole number, or empty/None for no limit."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise InvalidBudget("the thinking budget must be a whole number of tokens")
    if isinstance(text, int):
        value = text
    else:
        stripped = text.strip().replace("_", "")
        if not stripped:
            return None
        if not stripped.lstrip("+-").isdigit():
            raise InvalidBudget(
                f"{text.strip()!r} is not a whole number of tokens (use e.g. 500, or leave it "
                "empty for no limit)"
            )
        value = int(stripped)
    if value <= 0:
        raise InvalidBudget(f"the thinking budget must be at least 1 token, not {value}")
    return value


@dataclass(frozen=True)
class ThinkingPlan:
    """The thinking parameters of one request, and what the user should know about them.

    `enable_thinking` and `thinking_budget` are exactly what goes on the wire (None: not sent).
    `thinking` is whether the model will think, soft switches included.
    """

    model: ModelInfo
    enable_thinking: bool | None
    thinking_budget: int | None
    thinking: bool
    soft_switch: SoftSwitch | None = None
    notes: tuple[str, ...] = field(default=())


def plan_thinking(
    model: str,
    thinking: Thinking = Thinking.AUTO,
    budget: int | None = None,
    user_messages: Sequence[str] = (),
) -> ThinkingPlan:
    """Turn the user's intent into the request's thinking parameters.

    `user_messages` are the conversation's user messages, oldest first, the new prompt last;
    the most recent `/think` or `/no_think` among them wins where the model honours it.
    """
    info = lookup(model)
    notes: list[str] = [info.warning] if info.warning else []
    if info.kind is ThinkingKind.THINKING_ONLY:
        if thinking is Thinking.OFF:
            notes.append(f"{info.name} always thinks; thinking cannot be turned off.")
        enable: bool | None = None
        wants_thinking = True
    elif info.kind is ThinkingKind.NONE:
        # An assumption, not the guide's word: asked to think, the model is asked to.
        enable = True if thinking is Thinking.ON else None
        wants_thinking = bool(enable)
        if enable:
            notes.append(
                f"{info.name} may not think (thinkchat assumes that {info.assumed}); "
                "enable_thinking is sent as you asked."
            )
    else:
        enable = info.thinks_by_default if thinking is Thinking.AUTO else thinking is Thinking.ON
        wants_thinking = enable

    switch = latest_soft_switch(user_messages)
    effective = wants_thinking
    applied_switch: SoftSwitch | None = None
    if switch is not None:
        if not info.soft_switch:
            notes.append(f"{info.name} ignores {switch.value}; use the thinking setting instead.")
        elif not enable:
            notes.append(f"{switch.value} only works while thinking is on; it has no effect now.")
        else:
            applied_switch = switch
            effective = switch is SoftSwitch.THINK

    send_budget = None
    if budget is not None:
        if not info.budget:
            notes.append(f"{info.name} does not take a thinking budget; it is not sent.")
        elif effective:
            send_budget = budget
    return ThinkingPlan(
        model=info,
        enable_thinking=enable,
        thinking_budget=send_budget,
        thinking=effective,
        soft_switch=applied_switch,
        notes=tuple(notes),
    )
