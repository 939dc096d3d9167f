"""The variant syntax of a comparison: `think,no-think`, `model=qwq-plus+budget=500`, …"""

from __future__ import annotations

import pytest

from thinkchat.catalog import Thinking
from thinkchat.chat.session import ChatSettings
from thinkchat.chat.variants import (
    MAX_VARIANTS,
    SMALL_BUDGET,
    VariantError,
    default_variants,
    parse_variants,
)

CURRENT = ChatSettings(model="qwen-plus", region="singapore", transport="openai", budget=300)


def test_each_variant_is_the_current_settings_with_its_changes():
    think, no_think, other = parse_variants(
        "think, no-think ,model=qwq-plus+transport=dashscope+region=beijing+budget=none"
    )
    assert [v.label for v in (think, no_think, other)] == [
        "think",
        "no-think",
        "model=qwq-plus+transport=dashscope+region=beijing+budget=none",
    ]
    assert think.apply(CURRENT) == CURRENT.with_changes(thinking=Thinking.ON)
    assert no_think.apply(CURRENT) == CURRENT.with_changes(thinking=Thinking.OFF)
    assert other.apply(CURRENT) == ChatSettings(
        model="qwq-plus", region="beijing", transport="dashscope", budget=None
    )


def test_budgets_and_names_are_read_as_the_command_line_reads_them():
    small, large = parse_variants("budget=200,BUDGET=2_000+Think")
    assert small.changes == {"budget": 200}
    assert large.changes == {"budget": 2000, "thinking": Thinking.ON}
    (_, custom) = parse_variants("think,model=My-Model+transport=DashScope")
    assert custom.changes == {"model": "My-Model", "transport": "dashscope"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("think", "at least two variants"),
        ("think,", "an empty variant"),
        ("think,,no-think", "an empty variant"),
        ("think+,no-think", "an empty setting between the + signs"),
        ("think,fast", "unknown setting 'fast'"),
        ("think,speed=3", "unknown setting 'speed'"),
        ("think,think+no-think", "sets thinking twice"),
        ("think,budget=0", "at least 1 token"),
        ("think,budget=lots", "'lots' is not a whole number"),
        ("think,budget=", "budget= needs a value, e.g. budget=500"),
        ("think,transport=http", "unknown transport (choose one of: openai, dashscope)"),
        ("think,region=mars", "unknown region (choose one of: singapore, virginia, beijing)"),
        (",".join(["think"] * (MAX_VARIANTS + 1)), f"at most {MAX_VARIANTS} variants"),
    ],
)
def test_what_cannot_be_read_is_said_plainly(text, message):
    with pytest.raises(VariantError) as raised:
        parse_variants(text)
    assert message in str(raised.value)


def test_an_unknown_setting_is_answered_with_the_syntax():
    with pytest.raises(VariantError) as raised:
        parse_variants("think,fast")
    assert "think, no-think, budget=N, model=NAME" in str(raised.value)


@pytest.mark.parametrize(
    ("model", "pair"),
    [
        ("qwen-plus", "think,no-think"),  # hybrid, off by default
        ("qwen3-32b", "think,no-think"),  # hybrid, on by default
        ("qwen3-next-80b-a3b-thinking", f"budget=none,budget={SMALL_BUDGET}"),
        ("kimi-k2-thinking", f"budget=none,budget={SMALL_BUDGET}"),
        ("qwq-plus", None),  # thinking only, no budget: against another model
        ("deepseek-r1", None),
        ("qwen-plus-2025-01-25", None),  # an older snapshot that does not think
    ],
)
def test_the_default_pair_follows_the_model(model, pair):
    assert default_variants(model) == pair
    if pair is not None:
        assert len(parse_variants(pair)) == 2
