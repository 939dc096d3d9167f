"""The shipped price file and the config's `[prices]` table: one format, sourced, checked."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from thinkchat.chat.billing import cost_of
from thinkchat.chat.cost import Cost
from thinkchat.chat.events import Usage
from thinkchat.chat.turn import TurnSettings
from thinkchat.config.errors import ConfigError
from thinkchat.config.loading import parse_config
from thinkchat.config.prices import read_shipped
from thinkchat.config.settings import Config
from thinkchat.data import shipped

OFFICIAL_HOSTS = ("alibabacloud.com", "aliyun.com")


def _official(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return url.startswith("https://") and host.endswith(OFFICIAL_HOSTS)


def test_every_shipped_price_names_an_official_page_and_its_date():
    prices, _ = read_shipped()
    assert prices
    for price in prices:
        assert _official(price.source), price
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}|undated", price.page_updated), price
        assert price.note, price


def test_the_shipped_prices_are_the_sourced_ones_only():
    """Adding a price to the file means adding it here, with the page it was read on."""
    prices, cache_share = read_shipped()
    assert {(price.models, price.region, price.currency) for price in prices} == {
        (("deepseek-v3.1",), "beijing", "USD"),
        (("kimi-k2-thinking",), "beijing", "USD"),
        (("kimi-k2-thinking",), "beijing", "CNY"),
    }
    # The context cache page: implicit cache hits cost 20 % of the input price.
    assert cache_share == 0.2
    assert "context-cache" in shipped("prices.toml").read_text(encoding="utf-8")


def _settings(model: str, region: str = "beijing") -> TurnSettings:
    return TurnSettings(model=model, region=region, transport="openai")


def test_a_model_without_a_price_shows_tokens_only():
    table = Config(path=Path("config.toml")).price_table()
    assert cost_of(Usage(1000, 1000), _settings("qwen-plus", "singapore"), table) is None
    assert cost_of(Usage(1000, 1000), _settings("deepseek-v3.1", "singapore"), table) is None


def test_the_accounts_currency_picks_beijings_price_list(tmp_path):
    usage = Usage(input_tokens=1_000_000, output_tokens=1_000_000, reasoning_tokens=10)
    kimi = _settings("kimi-k2-thinking")
    dollars = parse_config("", tmp_path / "c.toml").price_table()
    yuan = parse_config('[prices]\ncurrency = "cny"\n', tmp_path / "c.toml").price_table()
    assert cost_of(usage, kimi, dollars) == Cost(pytest.approx(0.574 + 2.294), "USD")
    assert cost_of(usage, kimi, yuan) == Cost(pytest.approx(4 + 16), "CNY")
    # No yuan price is known for deepseek-v3.1: none is made up from the dollar one.
    assert cost_of(usage, _settings("deepseek-v3.1"), yuan) is None


def test_the_configs_prices_add_and_override(tmp_path):
    config = parse_config(
        """
[[prices.model]]
models = ["qwen-plus", "qwen-plus-*"]
region = "singapore"
input = 1.0
output = 2.0
output_thinking = 8.0

[[prices.model]]
models = "deepseek-v3.1"
region = "beijing"
input = 0.5
output = 1.5
""",
        tmp_path / "c.toml",
    )
    table = config.price_table()
    usage = Usage(input_tokens=1_000_000, output_tokens=1_000_000, reasoning_tokens=1)
    snapshot = _settings("qwen-plus-2025-12-01", "singapore")
    assert cost_of(usage, snapshot, table) == Cost(1.0 + 8.0, "USD")
    # Theirs before thinkchat's, and no cached price of its own: the cache rule's 20 %.
    cached = Usage(input_tokens=1_000_000, cached_tokens=1_000_000)
    assert cost_of(cached, _settings("deepseek-v3.1"), table) == Cost(pytest.approx(0.1), "USD")


@pytest.mark.parametrize(
    ("table", "line", "message"),
    [
        ('currency = "dollars"', 2, "currency = 'dollars': expected a code"),
        ("[[prices.model]]\nmodels = 'x'\nregion = 'mars'\ninput = 1\noutput = 1", 2, "region"),
        ("[[prices.model]]\nmodels = 'x'\nregion = 'beijing'\ninput = 1", 2, "output: missing"),
        (
            "[[prices.model]]\nmodels = 'x'\nregion = 'beijing'\ninput = 1\noutput = -1",
            2,
            "output = -1: expected a number",
        ),
        (
            "[[prices.model]]\nmodels = 'x'\nregion = 'beijing'\ninput = 1\nouput = 2",
            2,
            "unknown ouput",
        ),
        (
            "[[prices.model]]\nmodels = 'a'\nregion = 'beijing'\ninput = 1\noutput = 1\n"
            "[[prices.model]]\nmodels = 'b'\nregion = 'beijing'\n"
            "tiers = [{ up_to = 100, input = 1, output = 1 },"
            " { up_to = 50, input = 2, output = 2 }]",
            7,
            "[[prices.model]] 2, tier 2: up_to must be above the tier before it",
        ),
        (
            "[[prices.model]]\nmodels = 'x'\nregion = 'beijing'\n"
            "tiers = [{ input = 1, output = 1 }, { up_to = 50, input = 2, output = 2 }]",
            2,
            "only the last tier may leave it out",
        ),
        (
            "[[prices.model]]\nmodels = 'x'\nregion = 'beijing'\ninput = 1\n"
            "tiers = [{ input = 1, output = 1 }]",
            2,
            "input go in each tier",
        ),
    ],
)
def test_a_wrong_price_is_an_error_at_its_line(tmp_path, table, line, message):
    with pytest.raises(ConfigError) as raised:
        parse_config(f"[prices]\n{table}\n", tmp_path / "c.toml")
    assert raised.value.line == line
    assert message in str(raised.value)


def test_an_unknown_setting_in_prices_is_a_warning(tmp_path):
    config = parse_config('[prices]\ncurency = "USD"\n', tmp_path / "c.toml")
    assert config.warnings == (
        f"{tmp_path / 'c.toml'}:2: unknown setting prices.curency is ignored",
    )
