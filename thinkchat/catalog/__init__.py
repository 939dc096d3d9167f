"""Models, regions and the thinking rules of Model Studio.

Everything here comes from the Model Studio "deep thinking models" guide: which models think,
whether thinking can be switched, where `thinking_budget` and the `/think` / `/no_think` soft
switches apply, and which regions serve which model (`models.RULES`, one table of name
patterns). `plan_thinking` turns what the user wants into the exact request parameters, so no
other module needs to know these rules.
"""

from thinkchat.catalog.models import (
    DEFAULT_MODEL,
    FAMILIES,
    RULES,
    Family,
    ModelInfo,
    Rule,
    ThinkingKind,
    listed_models,
    lookup,
    models_served_in,
    suggest_model_for,
)
from thinkchat.catalog.regions import (
    ALL_REGIONS,
    REGIONS,
    Region,
    compatible_base_url,
    native_base_url,
    region_label,
)
from thinkchat.catalog.thinking import (
    InvalidBudget,
    SoftSwitch,
    Thinking,
    ThinkingPlan,
    last_soft_switch,
    latest_soft_switch,
    parse_budget,
    plan_thinking,
)

__all__ = [
    "ALL_REGIONS",
    "DEFAULT_MODEL",
    "FAMILIES",
    "REGIONS",
    "RULES",
    "Family",
    "InvalidBudget",
    "ModelInfo",
    "Region",
    "Rule",
    "SoftSwitch",
    "Thinking",
    "ThinkingKind",
    "ThinkingPlan",
    "compatible_base_url",
    "last_soft_switch",
    "latest_soft_switch",
    "listed_models",
    "lookup",
    "models_served_in",
    "native_base_url",
    "parse_budget",
    "plan_thinking",
    "region_label",
    "suggest_model_for",
]
