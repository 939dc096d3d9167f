"""The guide's billing rules as a table of cases, and the cost of a turn as the engine records it.

Every expected amount is worked out by hand from the prices below (per million tokens).
"""

from __future__ import annotations

import pytest

from thinkchat.catalog import Thinking
from thinkchat.chat.billing import cost_of
from thinkchat.chat.conversation import Conversation
from thinkchat.chat.cost import Cost, CostTotal, money
from thinkchat.chat.events import Usage
from thinkchat.chat.prices import ModelPrice, PriceTable, Tier
from thinkchat.chat.session import ChatSession, ChatSettings
from thinkchat.chat.turn import Turn, TurnSettings
from thinkchat.simulator import Script

# A hybrid model whose thinking output costs more than its plain output, and whose cached
# input has no price of its own (the cache rule's 20 % applies).
HYBRID = ModelPrice(
    ("hybrid-*",), "singapore", "USD", (Tier(input=1.0, output=2.0, output_thinking=8.0),)
)
# A thinking-only model: one output price, the thinking one; cached input priced on its own.
THINKING_ONLY = ModelPrice(
    ("thinker",),
    "beijing",
    "USD",
    (Tier(input=0.5, output=3.0, output_thinking=3.0, cached_input=0.1),),
)
# Tiered by the request's input tokens.
TIERED = ModelPrice(
    ("tiered",),
    "singapore",
    "USD",
    (
        Tier(input=1.0, output=4.0, output_thinking=4.0, up_to=32_000),
        Tier(input=2.0, output=8.0, output_thinking=8.0, up_to=128_000),
    ),
)
PRICES = PriceTable(shipped=(HYBRID, THINKING_ONLY, TIERED), implicit_cache_share=0.2)


def settings(model: str, region: str = "singapore", thinking: bool = True) -> TurnSettings:
    return TurnSettings(
        model=model,
        region=region,
        transport="openai",
        enable_thinking=thinking,
        expect_reasoning=thinking,
    )


BILLING_CASES = [
    # (case, settings, usage, expected amount in USD or None)
    (
        "thinking with reasoning: all output at the thinking price",
        settings("hybrid-max"),
        Usage(input_tokens=1_000, output_tokens=3_000, reasoning_tokens=2_000),
        (1_000 * 1.0 + 3_000 * 8.0) / 1e6,
    ),
    (
        "thinking mode without reasoning: the non-thinking price",
        settings("hybrid-max"),
        Usage(input_tokens=1_000, output_tokens=3_000, reasoning_tokens=0),
        (1_000 * 1.0 + 3_000 * 2.0) / 1e6,
    ),
    (
        "thinking off: the non-thinking price",
        settings("hybrid-max", thinking=False),
        Usage(input_tokens=1_000, output_tokens=3_000),
        (1_000 * 1.0 + 3_000 * 2.0) / 1e6,
    ),
    (
        "a thinking-only model, with reasoning",
        settings("thinker", "beijing"),
        Usage(input_tokens=2_000, output_tokens=1_000, reasoning_tokens=900),
        (2_000 * 0.5 + 1_000 * 3.0) / 1e6,
    ),
    (
        "a thinking-only model that produced no thinking: its only output price",
        settings("thinker", "beijing"),
        Usage(input_tokens=2_000, output_tokens=1_000, reasoning_tokens=0),
        (2_000 * 0.5 + 1_000 * 3.0) / 1e6,
    ),
    (
        "cached input at the model's own cached price",
        settings("thinker", "beijing"),
        Usage(input_tokens=2_000, output_tokens=1_000, reasoning_tokens=900, cached_tokens=1_500),
        (500 * 0.5 + 1_500 * 0.1 + 1_000 * 3.0) / 1e6,
    ),
    (
        "cached input at 20 % of the input price where the model gives none",
        settings("hybrid-max", thinking=False),
        Usage(input_tokens=10_000, output_tokens=100, cached_tokens=8_000),
        (2_000 * 1.0 + 8_000 * 0.2 + 100 * 2.0) / 1e6,
    ),
    (
        "a tiered input at the top of the first tier",
        settings("tiered", thinking=False),
        Usage(input_tokens=32_000, output_tokens=1_000),
        (32_000 * 1.0 + 1_000 * 4.0) / 1e6,
    ),
    (
        "a tiered input one token into the second tier: all of it at that tier's prices",
        settings("tiered", thinking=False),
        Usage(input_tokens=32_001, output_tokens=1_000),
        (32_001 * 2.0 + 1_000 * 8.0) / 1e6,
    ),
    (
        "an input beyond the last tier: no price is guessed",
        settings("tiered", thinking=False),
        Usage(input_tokens=128_001, output_tokens=1_000),
        None,
    ),
    (
        "a model without a price",
        settings("qwen-plus"),
        Usage(input_tokens=1_000, output_tokens=1_000, reasoning_tokens=500),
        None,
    ),
    (
        "a priced model in a region without a price",
        settings("thinker", "singapore"),
        Usage(input_tokens=1_000, output_tokens=1_000, reasoning_tokens=500),
        None,
    ),
]


@pytest.mark.parametrize(
    ("model_settings", "usage", "expected"),
    [case[1:] for case in BILLING_CASES],
    ids=[case[0] for case in BILLING_CASES],
)
def test_the_guides_billing_rules(model_settings, usage, expected):
    cost = cost_of(usage, model_settings, PRICES)
    if expected is None:
        assert cost is None
    else:
        assert cost == Cost(pytest.approx(expected), "USD")


def test_an_exact_name_wins_over_a_pattern_and_the_users_prices_over_the_shipped():
    exact = ModelPrice(("hybrid-max",), "singapore", "USD", (Tier(9.0, 9.0, 9.0),))
    mine = ModelPrice(("hybrid-*",), "singapore", "USD", (Tier(5.0, 5.0, 5.0),))
    usage = Usage(input_tokens=1_000_000)
    shipped = PriceTable(shipped=(HYBRID, exact))
    assert cost_of(usage, settings("hybrid-max"), shipped) == Cost(9.0, "USD")
    assert cost_of(usage, settings("hybrid-mini"), shipped) == Cost(1.0, "USD")
    with_mine = PriceTable(user=(mine,), shipped=(HYBRID, exact))
    assert cost_of(usage, settings("hybrid-max"), with_mine) == Cost(5.0, "USD")


def test_shipped_prices_apply_in_the_accounts_currency_only_and_the_users_in_any():
    usd = ModelPrice(("kimi",), "beijing", "USD", (Tier(0.5, 2.0, 2.0),))
    cny = ModelPrice(("kimi",), "beijing", "CNY", (Tier(4.0, 16.0, 16.0),))
    usage = Usage(input_tokens=1_000_000)
    beijing = settings("kimi", "beijing")
    assert cost_of(usage, beijing, PriceTable(shipped=(usd, cny))) == Cost(0.5, "USD")
    assert cost_of(usage, beijing, PriceTable(shipped=(usd, cny), currency="CNY")) == Cost(
        4.0, "CNY"
    )
    # An account in another currency gets no price from a list it does not pay by...
    assert cost_of(usage, beijing, PriceTable(shipped=(usd,), currency="CNY")) is None
    # ...but a price the user gave is theirs, whatever its currency.
    assert cost_of(usage, beijing, PriceTable(user=(usd,), currency="CNY")) == Cost(0.5, "USD")


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (0.0017234, "USD", "$0.0017"),
        (0.012, "USD", "$0.012"),
        (0.456, "CNY", "¥0.46"),
        (12.5, "USD", "$12.50"),
        (1234.5, "USD", "$1,234.50"),
        (0.35, "EUR", "EUR 0.35"),
        (0.0, "USD", "$0"),
        (0.00000005, "USD", "$0.00000005"),
    ],
)
def test_money_keeps_two_significant_digits_of_small_amounts(amount, currency, text):
    assert money(amount, currency) == text


def test_an_estimate_is_marked_like_the_live_token_counts():
    assert Cost(0.0017, "USD", estimate=True).text() == "~$0.0017"
    assert Cost(0.0017, "USD").as_dict() == {"cost": 0.0017, "currency": "USD"}


COUNTED = Usage(1, 1)


def _turn(cost: Cost | None, usage: Usage | None = COUNTED) -> Turn:
    return Turn("q", settings("hybrid-max"), usage=usage, cost=cost)


def test_a_conversations_total_keeps_currencies_apart_and_counts_alternatives():
    first = _turn(Cost(0.01, "USD"))
    first.alternatives = [_turn(Cost(0.002, "USD")), _turn(None)]
    conversation = Conversation(
        [first, _turn(Cost(0.5, "CNY")), _turn(None, usage=None)]  # the last never counted
    )
    total = conversation.cost_total
    assert total == CostTotal((("USD", pytest.approx(0.012)), ("CNY", 0.5)), unpriced=1)
    assert total.text() == "$0.012 + ¥0.50 (1 turn without a price)"
    assert Conversation([_turn(None)]).cost_total.text() == ""


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
async def test_the_session_records_each_turns_cost_when_the_service_counts(
    simulator, endpoint, transport
):
    simulator.state.enqueue(Script(reasoning_tokens=40, answer_tokens=10))
    qwen_plus = ModelPrice(("qwen-plus",), "singapore", "USD", (Tier(1.0, 2.0, 8.0),))
    session = ChatSession(
        ChatSettings(model="qwen-plus", transport=transport, thinking=Thinking.ON),
        lambda region: endpoint,
        prices=lambda: PriceTable(shipped=(qwen_plus,)),
    )
    try:
        turn = session.begin("think about it")
        async for _ in session.run(turn):
            pass
    finally:
        await session.aclose()
    usage = turn.usage
    assert usage is not None and usage.reasoning_tokens == 40
    expected = (usage.input_tokens * 1.0 + usage.output_tokens * 8.0) / 1e6
    assert turn.cost == Cost(pytest.approx(expected), "USD")
