"""A turn's cost where it is shown outside the app: `ask` (text and JSON), the history, the
exports. The app's surfaces are in test_cost_tui.py."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.process import thinkchat
from thinkchat.chat.cost import Cost
from thinkchat.chat.events import Usage
from thinkchat.chat.turn import Turn, TurnSettings, TurnStatus
from thinkchat.history import rows
from thinkchat.history.export import to_json, to_markdown
from thinkchat.history.store import HistoryStore
from thinkchat.simulator import Script

# Made-up prices for qwen-plus, given the way a user gives them.
PRICES = """
[network]
retries = 0

[[prices.model]]
models = "qwen-plus*"
region = "singapore"
input = 1.0
output = 2.0
output_thinking = 8.0
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(PRICES, encoding="utf-8")
    return path


def ask(simulator, config: Path, *args: str):
    return thinkchat("ask", "--endpoint", simulator.url, "--config", str(config), *args)


def test_ask_shows_the_cost_in_its_usage_line(simulator, config):
    simulator.state.enqueue(Script(reasoning="a b c", answer="d e"))
    result = ask(simulator, config, "--think", "hi")
    assert result.returncode == 0, result.stderr
    # 1 input token at $1 and 5 output tokens (3 of them reasoning) at the thinking price, $8.
    assert "tokens: 1 in · 5 out (3 reasoning) · 0 cached · $0.000041 · " in result.stderr.decode()


def test_ask_json_usage_carries_cost_and_currency(simulator, config):
    simulator.state.enqueue(Script(answer="d e"))
    result = ask(simulator, config, "--json", "--no-think", "hi")
    usage = next(
        event
        for event in map(json.loads, result.stdout.decode().splitlines())
        if event["type"] == "usage"
    )
    # Thinking off: 2 output tokens at the non-thinking price, $2.
    assert usage["cost"] == pytest.approx((1 * 1.0 + 2 * 2.0) / 1e6)
    assert usage["currency"] == "USD"


def test_ask_uses_the_shipped_prices(simulator, config):
    simulator.state.enqueue(Script(reasoning="a b c", answer="d e"))
    result = ask(
        simulator,
        config,
        "--json",
        "--model",
        "deepseek-v3.1",
        "--region",
        "beijing",
        "--think",
        "hi",
    )
    usage = next(e for e in map(json.loads, result.stdout.decode().splitlines()) if "cost" in e)
    # The page gives deepseek-v3.1 one output price for both modes.
    assert usage["cost"] == pytest.approx((1 * 0.574 + 5 * 1.721) / 1e6)


def test_a_model_without_a_price_shows_tokens_only(simulator, config):
    simulator.state.enqueue(Script(answer="d e"))
    text = ask(simulator, config, "--model", "qwen3-8b", "--no-think", "hi").stderr.decode()
    assert text.splitlines()[-1] == "tokens: 1 in · 2 out (0 reasoning) · 0 cached"
    simulator.state.enqueue(Script(answer="d e"))
    result = ask(simulator, config, "--json", "--model", "qwen3-8b", "--no-think", "hi")
    usage = next(
        e for e in map(json.loads, result.stdout.decode().splitlines()) if e["type"] == "usage"
    )
    assert "cost" not in usage and "currency" not in usage


SETTINGS = TurnSettings("qwen-plus", "singapore", "openai", expect_reasoning=True)


def _priced_turn(prompt: str, cost: Cost | None) -> Turn:
    return Turn.restored(
        prompt,
        SETTINGS,
        "thought",
        "answer",
        status=TurnStatus.DONE,
        usage=Usage(1000, 2000, 1500, 0),
        cost=cost,
    )


def test_the_history_keeps_the_cost_as_it_was_when_the_turn_ended(tmp_path):
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        conversation_id = store.create_conversation(
            model="qwen-plus", region="singapore", transport="openai"
        )
        store.add_turn(conversation_id, _priced_turn("priced", Cost(0.0125, "USD")))
        store.add_turn(conversation_id, _priced_turn("no price known", None))
    with HistoryStore(path) as reopened:
        priced, unpriced = reopened.load_conversation(conversation_id).conversation.turns
    assert priced.cost == Cost(0.0125, "USD")
    assert unpriced.cost is None


def test_a_turn_from_before_costs_were_kept_opens_without_one(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as raw:
        for migration in rows.MIGRATIONS[:2]:
            for statement in migration:
                raw.execute(statement)
        raw.execute("PRAGMA user_version = 2")
        raw.execute(
            "INSERT INTO conversations (id, model, region, transport, created_at, updated_at) "
            "VALUES (1, 'deepseek-v3.1', 'beijing', 'openai', 0, 0)"
        )
        raw.execute(
            "INSERT INTO turns (conversation_id, position, prompt, answer, status, model, region,"
            " transport, thinking, expect_reasoning, input_tokens, output_tokens,"
            " reasoning_tokens, cached_tokens, started_at) "
            "VALUES (1, 0, 'old question', 'old answer', 'done', 'deepseek-v3.1', 'beijing',"
            " 'openai', 'auto', 0, 100, 100, 0, 0, 0)"
        )
    with HistoryStore(path) as opened:
        (turn,) = opened.load_conversation(1).conversation.turns
    # Not priced now by today's prices: what it cost then is not known.
    assert turn.usage == Usage(100, 100, 0, 0)
    assert turn.cost is None


def _stored(tmp_path: Path):
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        conversation_id = store.create_conversation(
            model="qwen-plus", region="singapore", transport="openai"
        )
        first = _priced_turn("first", Cost(0.0126, "USD"))
        store.add_turn(conversation_id, first)
        other = _priced_turn("first", Cost(0.0025, "USD"))
        store.add_turn(conversation_id, other, alternative_of=first)
        store.add_turn(conversation_id, _priced_turn("second", None))
        return store.load_conversation(conversation_id)


def test_the_json_export_gives_each_turns_cost_in_its_usage(tmp_path):
    document = json.loads(to_json(_stored(tmp_path)))
    first, second = document["turns"]
    assert first["usage"]["cost"] == 0.0126
    assert first["usage"]["currency"] == "USD"
    assert first["alternatives"][0]["usage"]["cost"] == 0.0025
    assert "cost" not in second["usage"] and "currency" not in second["usage"]


def test_the_markdown_export_gives_each_turns_cost_and_the_total(tmp_path):
    text = to_markdown(_stored(tmp_path))
    header = text.splitlines()[2]
    # The alternative was paid for too; the second turn had no price.
    assert header.endswith("· cost $0.015 (1 turn without a price)")
    assert "*1,000 input · 2,000 output (1,500 reasoning) · 0 cached tokens · $0.013*" in text
    assert "*1,000 input · 2,000 output (1,500 reasoning) · 0 cached tokens · $0.0025*" in text
    assert "*1,000 input · 2,000 output (1,500 reasoning) · 0 cached tokens*" in text
