"""Models, regions and the thinking rules of Model Studio.

Everything here comes from the Model Studio "deep thinking models" guide: which models think,
whether thinking can be switched, where `thinking_budget` and the `/think` / `/no_think` soft
switches apply, and which regions serve which model. `plan_thinking` turns what the user wants
into the exact request parameters, so no other module needs to know these rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum


class ThinkingKind(str, Enum):
    """How a model thinks, as the guide classifies it."""

    HYBRID_OFF = "hybrid, off by default"
    HYBRID_ON = "hybrid, on by default"
    THINKING_ONLY = "thinking only"
    # Snapshots older than a family's first thinking snapshot answer without thinking.
    NONE = "no thinking"


@dataclass(frozen=True)
class Region:
    """A Model Studio region: its name on the command line and its host root."""

    name: str
    label: str
    host: str


REGIONS: dict[str, Region] = {
    region.name: region
    for region in (
        Region("singapore", "Singapore", "https://dashscope-intl.aliyuncs.com"),
        Region("virginia", "Virginia", "https://dashscope-us.aliyuncs.com"),
        Region("beijing", "Beijing", "https://dashscope.aliyuncs.com"),
    )
}
ALL_REGIONS: tuple[str, ...] = tuple(REGIONS)
BEIJING_ONLY: tuple[str, ...] = ("beijing",)

COMPATIBLE_PATH = "/compatible-mode/v1"
NATIVE_PATH = "/api/v1"


def compatible_base_url(host_root: str) -> str:
    """The OpenAI-compatible base URL under a host root."""
    return host_root.rstrip("/") + COMPATIBLE_PATH


def native_base_url(host_root: str) -> str:
    """The DashScope native base URL under a host root."""
    return host_root.rstrip("/") + NATIVE_PATH


@dataclass(frozen=True)
class Family:
    """A group of models that share the thinking rules.

    `names` are the models the guide lists by name; `snapshot_prefix` and `first_snapshot`
    describe "and later snapshot models": `<prefix>-YYYY-MM-DD` on or after `first_snapshot`
    belongs to the family, an earlier date is a snapshot from before the family could think.
    """

    key: str
    title: str
    kind: ThinkingKind
    names: tuple[str, ...]
    regions: tuple[str, ...] = ALL_REGIONS
    budget: bool = False
    soft_switch: bool = False
    # Models that honour /think and /no_think although the rest of their family does not.
    soft_switch_models: tuple[str, ...] = ()
    snapshot_prefix: str | None = None
    first_snapshot: str | None = None
    name_pattern: str | None = None
    default_model: str = ""

    def __post_init__(self) -> None:
        if not self.default_model:
            object.__setattr__(self, "default_model", self.names[0])


# The guide's model list, in its order. "Qwen3 ... in thinking mode" and Kimi take a budget;
# QwQ (Qwen2.5-based) and DeepSeek do not.
FAMILIES: tuple[Family, ...] = (
    Family(
        "qwen-max",
        "Qwen-Max (Qwen3 commercial)",
        ThinkingKind.HYBRID_OFF,
        ("qwen3-max", "qwen3-max-2026-01-23", "qwen3-max-preview"),
        budget=True,
        snapshot_prefix="qwen3-max",
        first_snapshot="2026-01-23",
    ),
    Family(
        "qwen-plus",
        "Qwen-Plus (Qwen3 commercial)",
        ThinkingKind.HYBRID_OFF,
        ("qwen-plus", "qwen-plus-latest", "qwen-plus-2025-04-28"),
        budget=True,
        soft_switch_models=("qwen-plus-2025-04-28",),
        snapshot_prefix="qwen-plus",
        first_snapshot="2025-04-28",
    ),
    Family(
        "qwen-flash",
        "Qwen-Flash (Qwen3 commercial)",
        ThinkingKind.HYBRID_OFF,
        ("qwen-flash", "qwen-flash-2025-07-28"),
        budget=True,
        snapshot_prefix="qwen-flash",
        first_snapshot="2025-07-28",
    ),
    Family(
        "qwen-turbo",
        "Qwen-Turbo (Qwen3 commercial)",
        ThinkingKind.HYBRID_OFF,
        ("qwen-turbo", "qwen-turbo-latest", "qwen-turbo-2025-04-28"),
        budget=True,
        soft_switch_models=("qwen-turbo-2025-04-28",),
        snapshot_prefix="qwen-turbo",
        first_snapshot="2025-04-28",
    ),
    Family(
        "qwen3-open",
        "Qwen3 open source (hybrid)",
        ThinkingKind.HYBRID_ON,
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
    Family(
        "qwen3-thinking",
        "Qwen3 open source (thinking only)",
        ThinkingKind.THINKING_ONLY,
        (
            "qwen3-next-80b-a3b-thinking",
            "qwen3-235b-a22b-thinking-2507",
            "qwen3-30b-a3b-thinking-2507",
        ),
        budget=True,
    ),
    Family(
        "qwq",
        "QwQ (Qwen2.5 based)",
        ThinkingKind.THINKING_ONLY,
        ("qwq-plus", "qwq-plus-latest", "qwq-plus-2025-03-05", "qwq-32b"),
    ),
    Family(
        "deepseek-v3",
        "DeepSeek V3 (hybrid)",
        ThinkingKind.HYBRID_OFF,
        ("deepseek-v3.2", "deepseek-v3.2-exp", "deepseek-v3.1"),
        regions=BEIJING_ONLY,
    ),
    Family(
        "deepseek-r1",
        "DeepSeek R1 (thinking only)",
        ThinkingKind.THINKING_ONLY,
        (
            "deepseek-r1",
            "deepseek-r1-0528",
            "deepseek-r1-distill-qwen-1.5b",
            "deepseek-r1-distill-qwen-7b",
            "deepseek-r1-distill-qwen-14b",
            "deepseek-r1-distill-qwen-32b",
            "deepseek-r1-distill-llama-8b",
            "deepseek-r1-distill-llama-70b",
        ),
        regions=BEIJING_ONLY,
        # "deepseek-r1 distilled model": any distilled variant, listed or not.
        name_pattern=r"deepseek-r1-distill-[a-z0-9.\-]+",
    ),
    Family(
        "kimi",
        "Kimi",
        ThinkingKind.THINKING_ONLY,
        ("kimi-k2-thinking",),
        regions=BEIJING_ONLY,
        budget=True,
    ),
)

DEFAULT_MODEL = "qwen-plus"

_SNAPSHOT_DATE = re.compile(r"^(?P<prefix>.+)-(?P<date>\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class ModelInfo:
    """What thinkchat knows of one model name."""

    name: str
    family: Family | None
    kind: ThinkingKind
    regions: tuple[str, ...]
    budget: bool
    soft_switch: bool
    known: bool = True

    @property
    def family_title(self) -> str:
        return self.family.title if self.family else "Other"

    @property
    def thinks_by_default(self) -> bool:
        return self.kind in (ThinkingKind.HYBRID_ON, ThinkingKind.THINKING_ONLY)

    @property
    def warning(self) -> str | None:
        """A one-line caution for names the catalog does not know."""
        if self.known:
            return None
        return (
            f"{self.name!r} is not in thinkchat's model list; treating it as a hybrid model "
            "(thinking off unless you turn it on)."
        )

    def served_in(self, region: str) -> bool:
        return region in self.regions


def _info(name: str, family: Family, kind: ThinkingKind | None = None) -> ModelInfo:
    kind = kind or family.kind
    thinks = kind is not ThinkingKind.NONE
    return ModelInfo(
        name=name,
        family=family,
        kind=kind,
        regions=family.regions,
        budget=family.budget and thinks,
        soft_switch=thinks and (family.soft_switch or name in family.soft_switch_models),
    )


def lookup(name: str) -> ModelInfo:
    """Resolve a model name (including dated snapshots) to its thinking rules.

    Unknown names are allowed: they are treated as hybrid models, off by default, served
    everywhere, with budget and soft switches passed through as the user asks.
    """
    name = name.strip()
    lowered = name.lower()
    for family in FAMILIES:
        if lowered in family.names:
            return _info(lowered, family)
    for family in FAMILIES:
        if family.name_pattern and re.fullmatch(family.name_pattern, lowered):
            return _info(lowered, family)
    match = _SNAPSHOT_DATE.match(lowered)
    if match:
        for family in FAMILIES:
            if family.snapshot_prefix == match["prefix"] and family.first_snapshot:
                before_thinking = match["date"] < family.first_snapshot
                return _info(lowered, family, ThinkingKind.NONE if before_thinking else None)
    return ModelInfo(
        name=name,
        family=None,
        kind=ThinkingKind.HYBRID_OFF,
        regions=ALL_REGIONS,
        budget=True,
        soft_switch=True,
        known=False,
    )


def listed_models() -> list[ModelInfo]:
    """Every model the guide names, family by family, in the guide's order."""
    return [_info(name, family) for family in FAMILIES for name in family.names]


def models_served_in(region: str) -> list[ModelInfo]:
    return [model for model in listed_models() if model.served_in(region)]


def suggest_model_for(region: str, current: str) -> str:
    """A model served in `region`, as close as possible to `current` in how it thinks."""
    info = lookup(current)
    if info.served_in(region):
        return info.name
    candidates = models_served_in(region)
    for model in candidates:
        if model.kind is info.kind:
            return model.name
    return candidates[0].name if candidates else DEFAULT_MODEL


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
        if thinking is Thinking.ON:
            notes.append(f"{info.name} is a snapshot from before thinking; it cannot think.")
        enable = None
        wants_thinking = False
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
