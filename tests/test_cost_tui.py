"""A turn's cost in the app: its usage line, the status line's totals, and the running estimate
while it streams."""

from __future__ import annotations

import time

import pytest

from tests.tui import make_app, screen_text, send
from thinkchat.chat.cost import Cost
from thinkchat.chat.events import Usage
from thinkchat.chat.session import ChatSession, ChatSettings
from thinkchat.chat.turn import Turn, TurnSettings, TurnStatus
from thinkchat.simulator import Fault, Script
from thinkchat.ui.widgets.status import status_info

SIZE = (140, 40)
WAIT_LIMIT = 20.0
# Priced in thinkchat's own price file: one output price for both modes.
PRICED = {"model": "deepseek-v3.1", "region": "beijing", "thinking": "on"}


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
async def test_a_finished_turn_shows_its_cost_and_the_conversation_its_total(
    simulator, tmp_path, transport
):
    simulator.state.enqueue(Script(reasoning_tokens=30, answer_tokens=20))
    simulator.state.enqueue(Script(reasoning_tokens=10, answer_tokens=5))
    app = make_app(simulator, tmp_path, transport=transport, **PRICED)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "what does it cost?")
        (first,) = app.chat_screen.session.conversation.turns
        # Its usage line: the tokens, then the cost.
        assert first.cost is not None
        assert first.cost.text() in screen_text(app)
        await send(pilot, "and this one?")
        second = app.chat_screen.session.conversation.turns[1]
        for turn in (first, second):
            usage = turn.usage
            assert usage is not None
            uncached = usage.input_tokens - usage.cached_tokens
            expected = (
                uncached * 0.574 + usage.cached_tokens * 0.115 + usage.output_tokens * 1.721
            ) / 1e6
            assert turn.cost == Cost(pytest.approx(expected), "USD")
        status = app.chat_screen.query_one("#status").info
        assert status.last_turn.endswith(second.cost.text())
        total = Cost(first.cost.amount + second.cost.amount, "USD")
        assert status.totals.endswith(f"· {total.text()}")


async def test_a_model_without_a_price_shows_tokens_only(simulator, tmp_path):
    simulator.state.enqueue(Script(reasoning_tokens=30, answer_tokens=20))
    app = make_app(simulator, tmp_path, model="qwen-plus", thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "what does it cost?")
        (turn,) = app.chat_screen.session.conversation.turns
        assert turn.usage is not None and turn.cost is None
        assert "$" not in screen_text(app)
        status = app.chat_screen.query_one("#status").info
        assert status.totals == turn.usage.summary()


async def test_a_running_estimate_is_shown_while_the_turn_streams(simulator, tmp_path):
    # The stream stops sending (but stays open) a few answer tokens in: a state that stays.
    simulator.state.enqueue(
        Script(reasoning_tokens=40, answer_tokens=40, fault=Fault("stall", "answer", 5))
    )
    app = make_app(simulator, tmp_path, **PRICED)
    async with app.run_test(size=SIZE) as pilot:
        app.chat_screen.prompt_input.insert("a long one")
        await pilot.press("enter")
        deadline = time.monotonic() + WAIT_LIMIT
        view = app.chat_screen.conversation_view
        # The frame that draws the answer's first tokens sets the estimate.
        while (
            not view.entries
            or view.entries[0].live_cost is None
            or not view.entries[0].answer.source
        ):
            assert time.monotonic() < deadline, "the stalled answer never came"
            await pilot.pause(0.02)
        await pilot.pause()
        entry = view.entries[0]
        estimate = entry.live_cost
        assert estimate is not None and estimate.estimate and estimate.currency == "USD"
        # Estimated from the text so far: no more than what was streamed could cost, with a
        # generous allowance for the estimate (the service has not counted anything yet).
        assert 0 < estimate.amount < 200 * 1.721 / 1e6
        assert estimate.text().startswith("~$")
        assert estimate.text() in screen_text(app)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # Stopped before the service counted: no cost is claimed.
        assert entry.turn.status is TurnStatus.CANCELLED and entry.turn.cost is None
        assert "~$" not in screen_text(app)


def test_the_status_lines_total_counts_alternatives_and_keeps_currencies_apart():
    session = ChatSession(ChatSettings(), lambda region: None)  # type: ignore[arg-type,return-value]
    settings = TurnSettings("qwen-plus", "singapore", "openai")
    usage = Usage(10, 10)
    first = Turn("q", settings, usage=usage, cost=Cost(0.01, "USD"))
    first.alternatives = [Turn("q", settings, usage=usage, cost=Cost(0.005, "USD"))]
    second = Turn("r", settings, usage=usage, cost=Cost(0.2, "CNY"))
    session.conversation.turns = [first, second]
    info = status_info(session, "", None, None, demo=False)
    assert info.last_turn == f"{usage.summary()} · ¥0.20"
    assert info.totals == f"{(usage + usage + usage).summary()} · $0.015 + ¥0.20"
