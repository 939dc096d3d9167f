"""The simulated service's models: the guide's facts, in a table of the simulator's own.

This never comes from `thinkchat.catalog`: the tests need a stand-in whose rules are not the
code under test, so a wrong catalog meets a service that disagrees with it. What the guide
does not say (which regions serve the Qwen models, snapshots older than the first one it
lists), the simulator does not pretend to know: Qwen models are served in every region, and a
name the guide does not cover is not found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REGION_NAMES = ("singapore", "virginia", "beijing")

HYBRID_OFF = "hybrid-thinking mode, disabled by default"
HYBRID_ON = "hybrid-thinking mode, enabled by default"
THINKING_ONLY = "thinking-only mode"


@dataclass(frozen=True)
class ServedModel:
    """How the service treats one model."""

    mode: str
    budget: bool  # "supported by Qwen3 (in thinking mode) and Kimi models"
    soft_switch: bool
    beijing_only: bool  # "DeepSeek (Beijing region)", "Kimi (Beijing region)"

    @property
    def thinks_by_default(self) -> bool:
        return self.mode != HYBRID_OFF

    def served_in(self, region: str) -> bool:
        return region == "beijing" or not self.beijing_only


@dataclass(frozen=True)
class _Family:
    """One line of the guide's "Supported models" list.

    `names` are the models it lists; `later_snapshots` (for "and later snapshot models") is
    the date of the first snapshot, which later ones follow; `others` matches the rest of a
    family the guide names as a whole ("deepseek-r1 distilled model").
    """

    mode: str
    names: tuple[str, ...]
    budget: bool = False
    beijing_only: bool = False
    later_snapshots: str | None = None
    others: str | None = None
    # "The hybrid-thinking models of the open-source Qwen3 edition, qwen-plus-2025-04-28, and
    # qwen-turbo-2025-04-28 provide a method to dynamically control the thinking mode"
    # (True: every model of the family).
    soft_switch: bool | tuple[str, ...] = ()

    def has(self, name: str) -> bool:
        if name in self.names:
            return True
        if self.others is not None and re.fullmatch(self.others, name):
            return True
        snapshot = _SNAPSHOT.fullmatch(name)
        return bool(
            self.later_snapshots
            and snapshot
            and snapshot[1] == self.names[0]
            and snapshot[2] >= self.later_snapshots
        )

    def switches(self, name: str) -> bool:
        return self.soft_switch is True or name in (self.soft_switch or ())


_SNAPSHOT = re.compile(r"(.+)-(\d{4}-\d{2}-\d{2})")

_GUIDE = (
    _Family(HYBRID_OFF, ("qwen3-max", "qwen3-max-2026-01-23", "qwen3-max-preview"), budget=True),
    _Family(
        HYBRID_OFF,
        ("qwen-plus", "qwen-plus-latest", "qwen-plus-2025-04-28"),
        budget=True,
        later_snapshots="2025-04-28",
        soft_switch=("qwen-plus-2025-04-28",),
    ),
    _Family(
        HYBRID_OFF,
        ("qwen-flash", "qwen-flash-2025-07-28"),
        budget=True,
        later_snapshots="2025-07-28",
    ),
    _Family(
        HYBRID_OFF,
        ("qwen-turbo", "qwen-turbo-latest", "qwen-turbo-2025-04-28"),
        budget=True,
        later_snapshots="2025-04-28",
        soft_switch=("qwen-turbo-2025-04-28",),
    ),
    _Family(
        HYBRID_ON,
        (
            "qwen3-235b-a22b",
            "qwen3-32b",
            "qwen3-30b-a3b",
            "qwen3-14b",
            "qwen3-8b",
            "qwen3-4b",
            "qwen3-1.7b",
            "qwen3-0.6b",
        ),
        budget=True,
        soft_switch=True,
    ),
    _Family(
        THINKING_ONLY,
        (
            "qwen3-next-80b-a3b-thinking",
            "qwen3-235b-a22b-thinking-2507",
            "qwen3-30b-a3b-thinking-2507",
        ),
        budget=True,
        others=r"qwen3-.+-thinking(-.+)?",
    ),
    # QwQ is "based on Qwen2.5": no thinking budget.
    _Family(
        THINKING_ONLY,
        ("qwq-plus", "qwq-plus-latest", "qwq-plus-2025-03-05", "qwq-32b"),
        others="qwq-.+",
    ),
    _Family(HYBRID_OFF, ("deepseek-v3.2", "deepseek-v3.2-exp", "deepseek-v3.1"), beijing_only=True),
    _Family(
        THINKING_ONLY,
        ("deepseek-r1", "deepseek-r1-0528"),
        beijing_only=True,
        others="deepseek-r1-.+",
    ),
    _Family(THINKING_ONLY, ("kimi-k2-thinking",), budget=True, beijing_only=True),
)


def served_model(name: str) -> ServedModel | None:
    """The model the service serves under `name` (exactly as sent), or None: not found."""
    for family in _GUIDE:
        if family.has(name):
            return ServedModel(
                family.mode, family.budget, family.switches(name), family.beijing_only
            )
    return None


_SWITCH = re.compile(r"(?<![\w/])/(think|no_think)(?![\w])")


def follows_switch(user_messages: list[str]) -> bool | None:
    """ "The model follows the most recent /think or /no_think instruction": True to think,
    False not to, None when no message has one."""
    for text in reversed(user_messages):
        found = _SWITCH.findall(text)
        if found:
            return found[-1] == "think"
    return None
