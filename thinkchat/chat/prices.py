"""Prices as data: what Model Studio charges per million tokens, by model, region and currency.

A price names its models exactly or by pattern (`qwen-plus-*`), one region and one currency,
and holds one tier of prices, or several where the price depends on the request's input length.
The table is read from thinkchat's shipped price file and the config's `[prices]` table (see
`config/prices.py`); `billing.cost_of` applies the guide's billing rules to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from thinkchat.chat.cost import DEFAULT_CURRENCY

PER_TOKENS = 1_000_000  # prices are per million tokens


@dataclass(frozen=True)
class Tier:
    """Prices per million tokens for requests of at most `up_to` input tokens (None: any).

    `output` is the price of output without thinking, `output_thinking` of output in a turn
    that thought (the same where the page gives one price). `cached_input` is the price of
    input served from the implicit cache; None: the table's cache rule applies.
    """

    input: float
    output: float
    output_thinking: float
    cached_input: float | None = None
    up_to: int | None = None


@dataclass(frozen=True)
class ModelPrice:
    """One price list: for `models` (names, or patterns with `*`) in `region`, in `currency`.

    `tiers` go by ascending `up_to`; only the last may have none. `source` and `page_updated`
    say where the prices were read and the date that page shows; `note` what to know about them.
    """

    models: tuple[str, ...]
    region: str
    currency: str
    tiers: tuple[Tier, ...]
    source: str = ""
    page_updated: str = ""
    note: str = ""

    def names(self, model: str) -> bool:
        """Whether `model` is one of the names given exactly (not by a pattern)."""
        return model.lower() in (name.lower() for name in self.models)

    def matches(self, model: str) -> bool:
        """Whether `model` is named here, exactly or by a pattern."""
        return any(fnmatchcase(model.lower(), pattern.lower()) for pattern in self.models)

    def tier_for(self, input_tokens: int) -> Tier | None:
        """The tier a request of `input_tokens` is billed in; None: beyond the last tier
        (no price is guessed for it)."""
        for tier in self.tiers:
            if tier.up_to is None or input_tokens <= tier.up_to:
                return tier
        return None


@dataclass(frozen=True)
class PriceTable:
    """Every price known: the user's (`user`, from the config) before thinkchat's (`shipped`).

    `currency` is the account's: a region can be priced in two currencies (Beijing's prices are
    in US dollars on the international site and in yuan on the China site, and which one an
    account pays is not something the API tells), so shipped prices are used only in the
    account's currency. The user's prices are theirs: they apply in any currency.
    `implicit_cache_share` is the share of the input price that input served from the implicit
    cache costs, where a price gives no cached price of its own.
    """

    user: tuple[ModelPrice, ...] = ()
    shipped: tuple[ModelPrice, ...] = ()
    currency: str = DEFAULT_CURRENCY
    implicit_cache_share: float = 1.0

    def price_for(self, model: str, region: str) -> ModelPrice | None:
        """The price list of `model` in `region`, or None when no price is known.

        The user's prices come first. Among several that fit, a name given exactly wins over a
        pattern, then the account's currency, then the one listed first.
        """
        for prices, any_currency in ((self.user, True), (self.shipped, False)):
            fitting = [
                price
                for price in prices
                if price.region == region
                and price.matches(model)
                and (any_currency or price.currency == self.currency)
            ]
            if fitting:
                return min(
                    fitting,
                    key=lambda price: (not price.names(model), price.currency != self.currency),
                )
        return None


NO_PRICES = PriceTable()
