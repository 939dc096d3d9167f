"""What a turn cost, in money: an amount in a currency, and totals that never mix currencies.

Costs come from `billing.cost_of`; this module only holds and words them. No exchange rate is
ever applied: a total over turns in two currencies is two amounts ("$0.012 + ¥0.05").
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

# The currency an account pays in unless the config's `[prices]` says another (the
# international site's).
DEFAULT_CURRENCY = "USD"
# How each currency is written before its amount; any other is written as its code.
SYMBOLS = {"USD": "$", "CNY": "¥"}
# Amounts are shown to two significant digits below one unit, and never to more decimals.
MOST_DECIMALS = 8


def money(amount: float, currency: str) -> str:
    """`amount` as a person reads it: "$0.0017", "¥1.20", "EUR 0.35".

    Turns cost fractions of a cent, so small amounts keep two significant digits instead of
    rounding to "$0.00".
    """
    decimals = 0
    if amount > 0:
        decimals = min(MOST_DECIMALS, max(2, 1 - math.floor(math.log10(amount))))
    number = f"{amount:,.{decimals}f}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{currency} {number}"


@dataclass(frozen=True)
class Cost:
    """The cost of one turn. `estimate`: from thinkchat's own token estimates while the turn
    streams, not yet from the service's counts (shown with a `~`, like the live token counts)."""

    amount: float
    currency: str
    estimate: bool = False

    def text(self) -> str:
        """The amount as shown: "$0.0017", or "~$0.0017" for an estimate."""
        return ("~" if self.estimate else "") + money(self.amount, self.currency)

    def as_dict(self) -> dict[str, object]:
        """The amount and currency, as `ask --json`, the JSON export and the history name them.
        The amount is rounded to where a float's noise begins (prices have a few decimals)."""
        return {"cost": round(self.amount, 12), "currency": self.currency}


@dataclass(frozen=True)
class CostTotal:
    """What several turns cost: one amount per currency (in the order first met), and how many
    turns the service counted but no price was known for."""

    amounts: tuple[tuple[str, float], ...] = ()
    unpriced: int = 0

    @classmethod
    def of(cls, costs: Iterable[Cost | None]) -> CostTotal:
        """The total of `costs`; each None is a counted turn without a price."""
        amounts: dict[str, float] = {}
        unpriced = 0
        for cost in costs:
            if cost is None:
                unpriced += 1
            else:
                amounts[cost.currency] = amounts.get(cost.currency, 0.0) + cost.amount
        return cls(tuple(amounts.items()), unpriced)

    def text(self) -> str:
        """The total as shown: "$0.012", "$0.012 + ¥0.05", "$0.012 (1 turn without a
        price)"; "" when no turn had a price (tokens only, then)."""
        if not self.amounts:
            return ""
        text = " + ".join(money(amount, currency) for currency, amount in self.amounts)
        if self.unpriced:
            turns = "1 turn" if self.unpriced == 1 else f"{self.unpriced:,} turns"
            text += f" ({turns} without a price)"
        return text
