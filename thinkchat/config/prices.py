"""Prices read from TOML: thinkchat's shipped price file, and the config's `[prices]` table.

Both hold `model` entries of one shape (documented in `thinkchat/data/prices.toml`), read by
one parser here. A mistake in a price is an error, never a warning: a price misread is money
misreported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from thinkchat.catalog import REGIONS
from thinkchat.chat.cost import DEFAULT_CURRENCY
from thinkchat.config import toml

if TYPE_CHECKING:
    # The engine's price types are imported where a price is read: a config without prices
    # (and start-up) does not need them.
    from thinkchat.chat.prices import ModelPrice, Tier

SHIPPED_FILE = "prices.toml"
_PRICE_NAMES = ("input", "output", "output_thinking", "cached_input")
_DETAILS = ("source", "page_updated", "note")
_ENTRY_NAMES = {"models", "region", "currency", "tiers", *_PRICE_NAMES, *_DETAILS}
_CURRENCY = re.compile(r"[A-Z]{3}")


class PriceError(ValueError):
    """A price that cannot be read: the message says what is wrong; `entry` is the number of
    the `model` entry it is in (None: outside any)."""

    def __init__(self, message: str, entry: int | None = None) -> None:
        super().__init__(message)
        self.entry = entry


@dataclass(frozen=True)
class PriceSettings:
    """The config's `[prices]` table: the account's currency and the user's own prices."""

    currency: str = DEFAULT_CURRENCY
    prices: tuple[ModelPrice, ...] = ()


def read_shipped() -> tuple[tuple[ModelPrice, ...], float]:
    """thinkchat's own prices, and the implicit cache's share of the input price."""
    from thinkchat.data import shipped  # the file is read when a turn is first priced

    data = toml.loads(shipped(SHIPPED_FILE).read_text(encoding="utf-8"))
    prices = _model_prices(data.get("model", []), "model", DEFAULT_CURRENCY)
    return prices, _price(data["cache"], "implicit_hit_share", "[cache]")


def parse_price_settings(table: Mapping[str, Any]) -> PriceSettings:
    """The config's `[prices]` table (its names other than `currency` and `model` are left to
    the caller to warn about); raises `PriceError` at the first mistake."""
    currency = _currency(table.get("currency", DEFAULT_CURRENCY), "[prices]")
    return PriceSettings(currency, _model_prices(table.get("model", []), "prices.model", currency))


def _model_prices(entries: Any, name: str, currency: str) -> tuple[ModelPrice, ...]:
    """The `[[name]]` entries; their currency is `currency` unless they give their own."""
    if not isinstance(entries, list):
        raise PriceError(f"{name}: expected [[{name}]] tables")
    prices = []
    for number, entry in enumerate(entries, start=1):
        try:
            prices.append(_model_price(entry, currency, f"[[{name}]] {number}"))
        except PriceError as problem:
            raise PriceError(str(problem), number) from None
    return tuple(prices)


def _model_price(entry: Any, default_currency: str, where: str) -> ModelPrice:
    from thinkchat.chat.prices import ModelPrice

    if not isinstance(entry, dict):
        raise PriceError(f"{where}: expected a table")
    unknown = sorted(set(entry) - _ENTRY_NAMES)
    if unknown:
        raise PriceError(
            f"{where}: unknown {', '.join(unknown)} (a price takes: "
            f"{', '.join(sorted(_ENTRY_NAMES))})"
        )
    models = entry.get("models")
    if isinstance(models, str):
        models = [models]
    if not models or not all(isinstance(m, str) and m.strip() for m in models):
        raise PriceError(f'{where}: models: expected a name or a list of names, e.g. ["qwen-*"]')
    region = entry.get("region")
    if region not in REGIONS:
        raise PriceError(f"{where}: region = {region!r}: expected one of {', '.join(REGIONS)}")
    tiers = _tiers(entry, where) if "tiers" in entry else (_tier(entry, where),)
    details = {}
    for name in _DETAILS:
        value = entry.get(name, "")
        if not isinstance(value, str):
            raise PriceError(f"{where}: {name}: expected a string")
        details[name] = value
    return ModelPrice(
        models=tuple(m.strip() for m in models),
        region=region,
        currency=_currency(entry.get("currency", default_currency), where),
        tiers=tiers,
        **details,
    )


def _tiers(entry: Mapping[str, Any], where: str) -> tuple[Tier, ...]:
    given = [name for name in _PRICE_NAMES if name in entry]
    if given:
        raise PriceError(f"{where}: {', '.join(given)} go in each tier when there are tiers")
    tables = entry["tiers"]
    if not isinstance(tables, list) or not tables:
        raise PriceError(
            f"{where}: tiers: expected a list of tables, e.g. [{{ up_to = 32000, … }}]"
        )
    tiers = []
    for number, table in enumerate(tables, start=1):
        here = f"{where}, tier {number}"
        if not isinstance(table, dict):
            raise PriceError(f"{here}: expected a table")
        unknown = sorted(set(table) - {"up_to", *_PRICE_NAMES})
        if unknown:
            raise PriceError(f"{here}: unknown {', '.join(unknown)}")
        up_to = table.get("up_to")
        last = number == len(tables)
        if up_to is None and not last:
            raise PriceError(f"{here}: up_to: only the last tier may leave it out")
        if up_to is not None and (
            isinstance(up_to, bool) or not isinstance(up_to, int) or up_to < 1
        ):
            raise PriceError(f"{here}: up_to = {up_to!r}: expected input tokens, e.g. 32000")
        if tiers and up_to is not None and up_to <= (tiers[-1].up_to or 0):
            raise PriceError(f"{here}: up_to must be above the tier before it")
        tiers.append(_tier(table, here, up_to))
    return tuple(tiers)


def _tier(table: Mapping[str, Any], where: str, up_to: int | None = None) -> Tier:
    from thinkchat.chat.prices import Tier

    prices = {name: _price(table, name, where) for name in _PRICE_NAMES if name in table}
    if "input" not in prices:
        raise PriceError(f"{where}: input: missing (the price of a million input tokens)")
    if "output" not in prices and "output_thinking" not in prices:
        raise PriceError(f"{where}: output: missing (the price of a million output tokens)")
    # One output price given is the other's too: a model with one price for both modes, or
    # one that only thinks.
    output = prices.get("output", prices.get("output_thinking", 0.0))
    return Tier(
        input=prices["input"],
        output=output,
        output_thinking=prices.get("output_thinking", output),
        cached_input=prices.get("cached_input"),
        up_to=up_to,
    )


def _price(table: Mapping[str, Any], name: str, where: str) -> float:
    value = table.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise PriceError(f"{where}: {name} = {value!r}: expected a number of at least 0")
    return float(value)


def _currency(value: Any, where: str) -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if not _CURRENCY.fullmatch(code):
        raise PriceError(f'{where}: currency = {value!r}: expected a code such as "USD" or "CNY"')
    return code
