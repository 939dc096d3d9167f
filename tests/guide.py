"""The Model Studio guide's facts about its models, typed by hand from the guide.

This is the tests' own truth: nothing here comes from thinkchat. `test_catalog` holds the
catalog to it name by name, and `test_simulator` holds the simulator's own table to it, so a
rule broken in either meets a table that disagrees.
"""

from __future__ import annotations

from dataclasses import dataclass

HYBRID_OFF = "hybrid-thinking mode, disabled by default"
HYBRID_ON = "hybrid-thinking mode, enabled by default"
THINKING_ONLY = "thinking-only mode"

BUDGET_WORDS = (
    "The thinking_budget parameter is supported by Qwen3 (in thinking mode) and Kimi models."
)
SOFT_SWITCH_WORDS = (
    "the hybrid-thinking models of the open-source Qwen3 edition, qwen-plus-2025-04-28, and "
    "qwen-turbo-2025-04-28 provide a method to dynamically control the thinking mode using "
    "prompts. When enable_thinking is true, add /no_think to the prompt to disable thinking "
    "mode. [...] The model follows the most recent /think or /no_think instruction."
)
THINKING_ONLY_WORDS = (
    "Thinking-only mode: The model always thinks before responding, and this behavior cannot "
    "be disabled."
)


@dataclass(frozen=True)
class GuideFamily:
    """One line of the guide's "Supported models" list.

    `names`: every name the line lists. `implied`: names the line covers without listing them
    ("and later snapshot models", "deepseek-r1 distilled model", and the families README
    promises as patterns). `budget`: Qwen3 or Kimi (BUDGET_WORDS). `soft_switch`: the names
    SOFT_SWITCH_WORDS covers. `regions`: the regions the guide names (None: it names none).
    """

    words: str
    mode: str
    names: tuple[str, ...]
    budget: bool
    regions: tuple[str, ...] | None = None
    soft_switch: tuple[str, ...] = ()
    implied: tuple[str, ...] = ()


OPEN_SOURCE_HYBRIDS = (
    "qwen3-235b-a22b",
    "qwen3-32b",
    "qwen3-30b-a3b",
    "qwen3-14b",
    "qwen3-8b",
    "qwen3-4b",
    "qwen3-1.7b",
    "qwen3-0.6b",
)

GUIDE: tuple[GuideFamily, ...] = (
    GuideFamily(
        "Qwen-Max series (hybrid-thinking mode, disabled by default): qwen3-max, "
        "qwen3-max-2026-01-23, qwen3-max-preview",
        HYBRID_OFF,
        ("qwen3-max", "qwen3-max-2026-01-23", "qwen3-max-preview"),
        budget=True,
    ),
    GuideFamily(
        "Qwen-Plus series (hybrid-thinking mode, disabled by default): qwen-plus, "
        "qwen-plus-latest, qwen-plus-2025-04-28, and later snapshot models",
        HYBRID_OFF,
        ("qwen-plus", "qwen-plus-latest", "qwen-plus-2025-04-28"),
        budget=True,
        soft_switch=("qwen-plus-2025-04-28",),
        implied=("qwen-plus-2025-07-14", "qwen-plus-2025-09-11", "qwen-plus-2025-12-01"),
    ),
    GuideFamily(
        "Qwen-Flash series (hybrid-thinking mode, disabled by default): qwen-flash, "
        "qwen-flash-2025-07-28, and later snapshot models",
        HYBRID_OFF,
        ("qwen-flash", "qwen-flash-2025-07-28"),
        budget=True,
        implied=("qwen-flash-2025-09-01",),
    ),
    GuideFamily(
        "Qwen-Turbo series (hybrid-thinking mode, disabled by default): qwen-turbo, "
        "qwen-turbo-latest, qwen-turbo-2025-04-28, and later snapshot models",
        HYBRID_OFF,
        ("qwen-turbo", "qwen-turbo-latest", "qwen-turbo-2025-04-28"),
        budget=True,
        soft_switch=("qwen-turbo-2025-04-28",),
        implied=("qwen-turbo-2025-07-15",),
    ),
    GuideFamily(
        "Open-source edition. Hybrid-thinking mode, enabled by default: qwen3-235b-a22b, "
        "qwen3-32b, qwen3-30b-a3b, qwen3-14b, qwen3-8b, qwen3-4b, qwen3-1.7b, qwen3-0.6b",
        HYBRID_ON,
        OPEN_SOURCE_HYBRIDS,
        budget=True,
        soft_switch=OPEN_SOURCE_HYBRIDS,
    ),
    GuideFamily(
        "Open-source edition. Thinking-only mode: qwen3-next-80b-a3b-thinking, "
        "qwen3-235b-a22b-thinking-2507, qwen3-30b-a3b-thinking-2507",
        THINKING_ONLY,
        (
            "qwen3-next-80b-a3b-thinking",
            "qwen3-235b-a22b-thinking-2507",
            "qwen3-30b-a3b-thinking-2507",
        ),
        budget=True,
        implied=("qwen3-4b-thinking-2507", "qwen3-next-80b-a3b-thinking-2509"),
    ),
    GuideFamily(
        "QwQ (based on Qwen2.5). Thinking-only mode: qwq-plus, qwq-plus-latest, "
        "qwq-plus-2025-03-05, qwq-32b",
        THINKING_ONLY,
        ("qwq-plus", "qwq-plus-latest", "qwq-plus-2025-03-05", "qwq-32b"),
        budget=False,
        implied=("qwq-plus-2025-12-01", "qwq-32b-preview"),
    ),
    GuideFamily(
        "DeepSeek (Beijing region). Hybrid-thinking mode, disabled by default: deepseek-v3.2, "
        "deepseek-v3.2-exp, deepseek-v3.1",
        HYBRID_OFF,
        ("deepseek-v3.2", "deepseek-v3.2-exp", "deepseek-v3.1"),
        budget=False,
        regions=("beijing",),
    ),
    GuideFamily(
        "DeepSeek (Beijing region). Thinking-only mode: deepseek-r1, deepseek-r1-0528, "
        "deepseek-r1 distilled model",
        THINKING_ONLY,
        ("deepseek-r1", "deepseek-r1-0528"),
        budget=False,
        regions=("beijing",),
        implied=(
            "deepseek-r1-0120",
            "deepseek-r1-distill-qwen-7b",
            "deepseek-r1-distill-llama-70b",
        ),
    ),
    GuideFamily(
        "Kimi (Beijing region). Thinking-only mode: kimi-k2-thinking",
        THINKING_ONLY,
        ("kimi-k2-thinking",),
        budget=True,
        regions=("beijing",),
    ),
)


@dataclass(frozen=True)
class GuideModel:
    """One model name and what the guide says of it."""

    name: str
    mode: str
    budget: bool
    soft_switch: bool
    regions: tuple[str, ...] | None
    listed: bool  # named in the guide, not only implied by its family
    words: str

    def __str__(self) -> str:
        return self.name


def guide_models(*, implied: bool = True) -> list[GuideModel]:
    """Every model the guide lists, family by family (and, with `implied`, those it implies)."""
    return [
        GuideModel(
            name,
            family.mode,
            family.budget,
            name in family.soft_switch,
            family.regions,
            name in family.names,
            family.words,
        )
        for family in GUIDE
        for name in (*family.names, *(family.implied if implied else ()))
    ]
