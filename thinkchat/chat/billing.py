"""The guide's billing rules, applied to a turn's token counts and a price table.

"Billing details" in the Model Studio deep-thinking guide:

- "The thinking process is billed based on output tokens": reasoning tokens are part of the
  output tokens, and cost what output costs.
- "Some hybrid-thinking models have different prices for thinking and non-thinking modes":
  a price list may give a thinking-mode output price of its own.
- "If a model in thinking mode does not output a thinking process, it is billed at the
  non-thinking mode price."

So the thinking price applies exactly when the turn thought: the service counted reasoning
tokens. A turn in thinking mode without any, and every turn with thinking off, pay the
non-thinking price. Input served from the implicit cache costs its own price, or the context
cache page's share of the input price; the tier is the one the request's input tokens fall in.
"""

from __future__ import annotations

from thinkchat.chat.cost import Cost
from thinkchat.chat.events import Usage
from thinkchat.chat.prices import PER_TOKENS, PriceTable
from thinkchat.chat.turn import TurnSettings


def cost_of(
    usage: Usage, settings: TurnSettings, prices: PriceTable, *, estimate: bool = False
) -> Cost | None:
    """What a request with `usage`, asked with `settings` (model and region), costs by `prices`;
    None when no price is known for it. `estimate`: the counts are thinkchat's estimates."""
    price = prices.price_for(settings.model, settings.region)
    if price is None:
        return None
    tier = price.tier_for(usage.input_tokens)
    if tier is None:
        return None
    output_price = tier.output_thinking if usage.reasoning_tokens > 0 else tier.output
    cached_price = tier.cached_input
    if cached_price is None:
        cached_price = tier.input * prices.implicit_cache_share
    cached = min(usage.cached_tokens, usage.input_tokens)
    amount = (
        (usage.input_tokens - cached) * tier.input
        + cached * cached_price
        + usage.output_tokens * output_price
    ) / PER_TOKENS
    return Cost(amount, price.currency, estimate)
