"""The models of Model Studio's deep-thinking guide, as one table of name patterns.

`RULES` reads like the guide's "Supported models" list: each family with the guide's words
beside it, then its rows, a name pattern each. The first row whose pattern matches a name
decides how that model thinks. A row says where it goes beyond the guide (`assumed`): the
guide names no region for the Qwen models, and says nothing of snapshots older than the first
one it lists. thinkchat never refuses a request on an assumption, so an assumed region list is
always every region; only what the guide states (DeepSeek and Kimi are served in Beijing) can
stop a request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from thinkchat.catalog.regions import ALL_REGIONS


class ThinkingKind(str, Enum):
    """How a model thinks, as the guide classifies it."""

    HYBRID_OFF = "hybrid, off by default"
    HYBRID_ON = "hybrid, on by default"
    THINKING_ONLY = "thinking only"
    # Assumed: a snapshot older than the first one the guide lists as thinking.
    NONE = "no thinking"


HYBRID_OFF, HYBRID_ON, THINKING_ONLY, NONE = ThinkingKind


@dataclass(frozen=True)
class Regions:
    """The regions that serve a model, and whether the guide says so (`stated`)."""

    names: tuple[str, ...]
    stated: bool

    def __post_init__(self) -> None:
        if not self.stated and self.names != ALL_REGIONS:
            # Leaving a region out would refuse requests there on a guess.
            raise ValueError("an assumed list of regions must hold every region")


# The guide's samples use all three regions with qwen-plus, and name none for the Qwen models.
EVERY_REGION = Regions(ALL_REGIONS, stated=False)
BEIJING = Regions(("beijing",), stated=True)


@dataclass(frozen=True)
class Family:
    """A family of the guide's list: its title here, the guide's words, the names it lists."""

    key: str
    title: str
    guide: str
    listed: tuple[str, ...]


# Pattern syntax: `*` is any run of letters, digits, dots and dashes; `{date}` a snapshot's
# YYYY-MM-DD; `{size}` an open-source model's parameter count (`8b`, `1.7b`, `235b-a22b`).
_PLACEHOLDERS = {
    r"\*": r"[a-z0-9.\-]*",
    r"\{date\}": r"(?P<date>\d{4}-\d{2}-\d{2})",
    r"\{size\}": r"\d+(?:\.\d+)?b(?:-a\d+(?:\.\d+)?b)?",
}


@dataclass(frozen=True)
class Rule:
    """One row of the table: the models whose names match `pattern`, and how they think.

    `since` / `before` limit a `{date}` pattern to snapshots dated on or after / before a day.
    `assumed` says what the row states that the guide does not (None: all of it is the guide's).
    """

    pattern: str
    family: Family
    kind: ThinkingKind
    budget: bool = False
    soft_switch: bool = False
    regions: Regions = EVERY_REGION
    since: str | None = None
    before: str | None = None
    assumed: str | None = None

    # The pattern as a regular expression (None for a plain name), made once per row.
    _regex: str | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        if "*" in self.pattern or "{" in self.pattern:
            regex = re.escape(self.pattern)
            for placeholder, replacement in _PLACEHOLDERS.items():
                regex = regex.replace(placeholder, replacement)
            object.__setattr__(self, "_regex", regex)

    def matches(self, name: str) -> bool:
        """Whether `name` (lower case, trimmed) is one of this row's models."""
        regex = self._regex
        if regex is None:
            return name == self.pattern
        # `re` keeps the compiled pattern: rows are compiled when first needed, not at start-up.
        found = re.fullmatch(regex, name)
        if found is None:
            return False
        date = found.groupdict().get("date")
        if date is not None:
            if self.since is not None and date < self.since:
                return False
            if self.before is not None and date >= self.before:
                return False
        return True


# The guide, "Supported models", family by family in its order. Quoted beside each family;
# budgets from "The thinking_budget parameter is supported by Qwen3 (in thinking mode) and
# Kimi models"; soft switches from "the hybrid-thinking models of the open-source Qwen3
# edition, qwen-plus-2025-04-28, and qwen-turbo-2025-04-28 provide a method to dynamically
# control the thinking mode using prompts".
QWEN_MAX = Family(
    "qwen-max",
    "Qwen-Max (Qwen3 commercial)",
    "Qwen-Max series (hybrid-thinking mode, disabled by default): qwen3-max, "
    "qwen3-max-2026-01-23, qwen3-max-preview",
    ("qwen3-max", "qwen3-max-2026-01-23", "qwen3-max-preview"),
)
QWEN_PLUS = Family(
    "qwen-plus",
    "Qwen-Plus (Qwen3 commercial)",
    "Qwen-Plus series (hybrid-thinking mode, disabled by default): qwen-plus, "
    "qwen-plus-latest, qwen-plus-2025-04-28, and later snapshot models",
    ("qwen-plus", "qwen-plus-latest", "qwen-plus-2025-04-28"),
)
QWEN_FLASH = Family(
    "qwen-flash",
    "Qwen-Flash (Qwen3 commercial)",
    "Qwen-Flash series (hybrid-thinking mode, disabled by default): qwen-flash, "
    "qwen-flash-2025-07-28, and later snapshot models",
    ("qwen-flash", "qwen-flash-2025-07-28"),
)
QWEN_TURBO = Family(
    "qwen-turbo",
    "Qwen-Turbo (Qwen3 commercial)",
    "Qwen-Turbo series (hybrid-thinking mode, disabled by default): qwen-turbo, "
    "qwen-turbo-latest, qwen-turbo-2025-04-28, and later snapshot models",
    ("qwen-turbo", "qwen-turbo-latest", "qwen-turbo-2025-04-28"),
)
QWEN3_HYBRID = Family(
    "qwen3-open",
    "Qwen3 open source (hybrid)",
    "Open-source edition. Hybrid-thinking mode, enabled by default: qwen3-235b-a22b, "
    "qwen3-32b, qwen3-30b-a3b, qwen3-14b, qwen3-8b, qwen3-4b, qwen3-1.7b, qwen3-0.6b",
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
)
QWEN3_THINKING = Family(
    "qwen3-thinking",
    "Qwen3 open source (thinking only)",
    "Open-source edition. Thinking-only mode: qwen3-next-80b-a3b-thinking, "
    "qwen3-235b-a22b-thinking-2507, qwen3-30b-a3b-thinking-2507",
    ("qwen3-next-80b-a3b-thinking", "qwen3-235b-a22b-thinking-2507", "qwen3-30b-a3b-thinking-2507"),
)
QWQ = Family(
    "qwq",
    "QwQ (Qwen2.5 based)",
    "QwQ (based on Qwen2.5). Thinking-only mode: qwq-plus, qwq-plus-latest, "
    "qwq-plus-2025-03-05, qwq-32b",
    ("qwq-plus", "qwq-plus-latest", "qwq-plus-2025-03-05", "qwq-32b"),
)
DEEPSEEK_V3 = Family(
    "deepseek-v3",
    "DeepSeek V3 (hybrid)",
    "DeepSeek (Beijing region). Hybrid-thinking mode, disabled by default: deepseek-v3.2, "
    "deepseek-v3.2-exp, deepseek-v3.1",
    ("deepseek-v3.2", "deepseek-v3.2-exp", "deepseek-v3.1"),
)
DEEPSEEK_R1 = Family(
    "deepseek-r1",
    "DeepSeek R1 (thinking only)",
    "DeepSeek (Beijing region). Thinking-only mode: deepseek-r1, deepseek-r1-0528, "
    "deepseek-r1 distilled model",
    (
        "deepseek-r1",
        "deepseek-r1-0528",
        # "deepseek-r1 distilled model": the distilled models Model Studio serves.
        "deepseek-r1-distill-qwen-1.5b",
        "deepseek-r1-distill-qwen-7b",
        "deepseek-r1-distill-qwen-14b",
        "deepseek-r1-distill-qwen-32b",
        "deepseek-r1-distill-llama-8b",
        "deepseek-r1-distill-llama-70b",
    ),
)
KIMI = Family(
    "kimi",
    "Kimi",
    "Kimi (Beijing region). Thinking-only mode: kimi-k2-thinking",
    ("kimi-k2-thinking",),
)
FAMILIES: tuple[Family, ...] = (
    QWEN_MAX,
    QWEN_PLUS,
    QWEN_FLASH,
    QWEN_TURBO,
    QWEN3_HYBRID,
    QWEN3_THINKING,
    QWQ,
    DEEPSEEK_V3,
    DEEPSEEK_R1,
    KIMI,
)

_OLDER_SNAPSHOT = "a snapshot older than the first one the guide lists cannot think"

RULES: tuple[Rule, ...] = (
    # In the guide's order; the first row whose pattern matches a name decides.
    Rule("qwen3-max", QWEN_MAX, HYBRID_OFF, budget=True),
    Rule("qwen3-max-preview", QWEN_MAX, HYBRID_OFF, budget=True),
    Rule("qwen3-max-2026-01-23", QWEN_MAX, HYBRID_OFF, budget=True),
    Rule(
        "qwen3-max-{date}",
        QWEN_MAX,
        HYBRID_OFF,
        budget=True,
        since="2026-01-23",
        assumed="later snapshots think as qwen3-max-2026-01-23 does (the guide lists no others)",
    ),
    Rule("qwen3-max-{date}", QWEN_MAX, NONE, before="2026-01-23", assumed=_OLDER_SNAPSHOT),
    Rule("qwen-plus", QWEN_PLUS, HYBRID_OFF, budget=True),
    Rule("qwen-plus-latest", QWEN_PLUS, HYBRID_OFF, budget=True),
    Rule("qwen-plus-2025-04-28", QWEN_PLUS, HYBRID_OFF, budget=True, soft_switch=True),
    Rule("qwen-plus-{date}", QWEN_PLUS, HYBRID_OFF, budget=True, since="2025-04-28"),
    Rule("qwen-plus-{date}", QWEN_PLUS, NONE, before="2025-04-28", assumed=_OLDER_SNAPSHOT),
    Rule("qwen-flash", QWEN_FLASH, HYBRID_OFF, budget=True),
    Rule("qwen-flash-{date}", QWEN_FLASH, HYBRID_OFF, budget=True, since="2025-07-28"),
    Rule("qwen-flash-{date}", QWEN_FLASH, NONE, before="2025-07-28", assumed=_OLDER_SNAPSHOT),
    Rule("qwen-turbo", QWEN_TURBO, HYBRID_OFF, budget=True),
    Rule("qwen-turbo-latest", QWEN_TURBO, HYBRID_OFF, budget=True),
    Rule("qwen-turbo-2025-04-28", QWEN_TURBO, HYBRID_OFF, budget=True, soft_switch=True),
    Rule("qwen-turbo-{date}", QWEN_TURBO, HYBRID_OFF, budget=True, since="2025-04-28"),
    Rule("qwen-turbo-{date}", QWEN_TURBO, NONE, before="2025-04-28", assumed=_OLDER_SNAPSHOT),
    Rule("qwen3-{size}", QWEN3_HYBRID, HYBRID_ON, budget=True, soft_switch=True),
    Rule("qwen3-*-thinking*", QWEN3_THINKING, THINKING_ONLY, budget=True),
    Rule("qwq-*", QWQ, THINKING_ONLY),
    Rule("deepseek-v3.2", DEEPSEEK_V3, HYBRID_OFF, regions=BEIJING),
    Rule("deepseek-v3.2-exp", DEEPSEEK_V3, HYBRID_OFF, regions=BEIJING),
    Rule("deepseek-v3.1", DEEPSEEK_V3, HYBRID_OFF, regions=BEIJING),
    Rule("deepseek-r1*", DEEPSEEK_R1, THINKING_ONLY, regions=BEIJING),
    Rule("kimi-k2-thinking*", KIMI, THINKING_ONLY, budget=True, regions=BEIJING),
)

DEFAULT_MODEL = "qwen-plus"


@dataclass(frozen=True)
class ModelInfo:
    """What thinkchat knows of one model name: the row that matched it, if any."""

    name: str
    rule: Rule | None

    @property
    def known(self) -> bool:
        return self.rule is not None

    @property
    def family(self) -> Family | None:
        return self.rule.family if self.rule else None

    @property
    def family_title(self) -> str:
        return self.rule.family.title if self.rule else "Other"

    @property
    def kind(self) -> ThinkingKind:
        # A name no row covers is taken for a hybrid, off by default.
        return self.rule.kind if self.rule else HYBRID_OFF

    @property
    def regions(self) -> tuple[str, ...]:
        return self.rule.regions.names if self.rule else ALL_REGIONS

    @property
    def budget(self) -> bool:
        # An unknown model gets what the user asks for.
        return self.rule.budget if self.rule else True

    @property
    def soft_switch(self) -> bool:
        return self.rule.soft_switch if self.rule else True

    @property
    def assumed(self) -> str | None:
        """What thinkchat assumes of this model beyond the guide (None: nothing)."""
        return self.rule.assumed if self.rule else None

    @property
    def thinks_by_default(self) -> bool:
        return self.kind in (HYBRID_ON, THINKING_ONLY)

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


def lookup(name: str) -> ModelInfo:
    """Resolve a model name (dated snapshots and family patterns included) to its rules.

    Unknown names are allowed: they are treated as hybrid models, off by default, served
    everywhere, with budget and soft switches passed through as the user asks.
    """
    name = name.strip()
    lowered = name.lower()
    for rule in RULES:
        if rule.matches(lowered):
            return ModelInfo(lowered, rule)
    return ModelInfo(name, None)


def listed_models() -> list[ModelInfo]:
    """Every model the guide names, family by family, in the guide's order."""
    return [lookup(name) for family in FAMILIES for name in family.listed]


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
