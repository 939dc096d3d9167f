"""The variants of a comparison: the current settings with changes, written `think+budget=500`.

A comparison sends one prompt under several variants at once. The syntax (the command line's
`--compare` and the chat's compare dialog): variants separated by commas, each one or more
changes joined by `+`: `think`, `no-think`, `budget=N` (`budget=none`: no limit),
`model=NAME`, `transport=openai|dashscope`, `region=R`. `parse_variants` is the one place that
reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from thinkchat.catalog import (
    ALL_REGIONS,
    InvalidBudget,
    Thinking,
    ThinkingKind,
    lookup,
    parse_budget,
)
from thinkchat.chat.session import ChatSettings
from thinkchat.chat.transport_registry import TRANSPORTS

MAX_VARIANTS = 4
# The default pair of a thinking-only model that takes a budget: no limit against this one,
# small enough to cut most reasoning short and large enough for some of it.
SMALL_BUDGET = 1000
NO_LIMIT = "none"
SYNTAX = (
    "variants are separated by commas, each one or more of think, no-think, budget=N, "
    "model=NAME, transport=openai|dashscope, region=R joined by +: e.g. think,no-think or "
    "model=qwen-plus+think,model=qwq-plus"
)
# What a setting's value looks like, for the message when it has none.
_EXAMPLES = {"budget": "500", "model": "qwq-plus", "transport": "dashscope", "region": "beijing"}


class VariantError(ValueError):
    """Variants that cannot be read; the message says what is wrong and how to write them."""


@dataclass(frozen=True)
class Variant:
    """One variant: what it changes in the current settings (`ChatSettings` field names),
    and its text as the syntax writes it (`label`)."""

    label: str
    changes: Mapping[str, object] = field(default_factory=dict)

    def apply(self, settings: ChatSettings) -> ChatSettings:
        """`settings` with this variant's changes; raises `SettingsError` for a region or
        transport that does not exist (checked by the parser already)."""
        return settings.with_changes(**self.changes)


def _change(word: str) -> tuple[str, object]:
    """The setting one word of a variant changes, and its new value."""
    lowered = word.lower()
    if lowered == "think":
        return "thinking", Thinking.ON
    if lowered == "no-think":
        return "thinking", Thinking.OFF
    name, equals, value = word.partition("=")
    name, value = name.strip().lower(), value.strip()
    if not equals:
        raise VariantError(f"unknown setting {word!r} ({SYNTAX})")
    if not value:
        raise VariantError(f"{name}= needs a value, e.g. {name}={_EXAMPLES.get(name, 'X')}")
    if name == "budget":
        if value.lower() == NO_LIMIT:
            return "budget", None
        try:
            return "budget", parse_budget(value)
        except InvalidBudget as problem:
            raise VariantError(f"budget={value}: {problem}") from None
    if name == "model":
        return "model", value
    if name == "transport":
        if value.lower() not in TRANSPORTS:
            raise VariantError(
                f"transport={value}: unknown transport (choose one of: {', '.join(TRANSPORTS)})"
            )
        return "transport", value.lower()
    if name == "region":
        if value.lower() not in ALL_REGIONS:
            raise VariantError(
                f"region={value}: unknown region (choose one of: {', '.join(ALL_REGIONS)})"
            )
        return "region", value.lower()
    raise VariantError(f"unknown setting {name!r} ({SYNTAX})")


def parse_variant(text: str) -> Variant:
    """One variant, e.g. `model=qwq-plus+budget=500`."""
    words = [word.strip() for word in text.split("+")]
    if not any(words):
        raise VariantError(f"an empty variant ({SYNTAX})")
    if not all(words):
        raise VariantError(f"{text.strip()!r}: an empty setting between the + signs")
    changes: dict[str, object] = {}
    for word in words:
        name, value = _change(word)
        if name in changes:
            raise VariantError(f"{text.strip()!r} sets {name} twice")
        changes[name] = value
    return Variant("+".join(words), changes)


def parse_variants(text: str) -> list[Variant]:
    """Every variant of `text`: at least two, at most `MAX_VARIANTS`."""
    variants = [parse_variant(part) for part in text.split(",")]
    if len(variants) < 2:
        raise VariantError(f"a comparison needs at least two variants ({SYNTAX})")
    if len(variants) > MAX_VARIANTS:
        raise VariantError(f"at most {MAX_VARIANTS} variants at once, not {len(variants)}")
    return variants


def default_variants(model: str) -> str | None:
    """The pair a comparison starts from for `model`: thinking on against off for a hybrid
    model; no budget against `SMALL_BUDGET` for a thinking-only model that takes a budget.
    None for the others: they are compared against another model, which the user names."""
    info = lookup(model)
    if info.kind in (ThinkingKind.HYBRID_OFF, ThinkingKind.HYBRID_ON):
        return "think,no-think"
    if info.kind is ThinkingKind.THINKING_ONLY and info.budget:
        return f"budget={NO_LIMIT},budget={SMALL_BUDGET}"
    return None
