"""Retries: before the first token only, with backoff, jitter and Retry-After, never multiplied."""

from __future__ import annotations

import asyncio

import pytest

from tests.process import thinkchat
from tests.tui import make_app, screen_text, send
from thinkchat.catalog import Thinking
from thinkchat.chat.errors import ChatError, ErrorKind
from thinkchat.chat.events import RetryWait, StreamError
from thinkchat.chat.retry import RetryPolicy
from thinkchat.chat.session import ChatSession, ChatSettings
from thinkchat.chat.turn import TurnStatus
from thinkchat.simulator import Fault, Script

FAST = RetryPolicy(retries=3, base=0.01, cap=0.05)


async def run(endpoint, policy: RetryPolicy, transport: str = "openai"):
    session = ChatSession(
        ChatSettings(transport=transport, thinking=Thinking.ON),
        lambda region: endpoint,
        retry=policy,
    )
    turn = session.begin("hello")
    events = [event async for event in session.run(turn)]
    await session.aclose()
    return turn, events


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
@pytest.mark.parametrize("fault", ["rate_limit", "server", "bad_gateway", "unavailable", "empty"])
async def test_failures_before_the_first_token_are_retried(simulator, endpoint, transport, fault):
    simulator.state.enqueue(Script(fault=Fault(fault)), Script(fault=Fault(fault)))
    turn, events = await run(endpoint, FAST, transport)
    waits = [event for event in events if isinstance(event, RetryWait)]
    assert [(w.attempt, w.attempts) for w in waits] == [(1, 4), (2, 4)]
    assert turn.status is TurnStatus.DONE
    assert turn.error is None
    assert len(simulator.state.requests) == 3


async def test_attempts_do_not_multiply(simulator, endpoint):
    simulator.state.enqueue(*[Script(fault=Fault("server"))] * 10)
    turn, events = await run(endpoint, RetryPolicy(retries=2, base=0.01))
    assert turn.status is TurnStatus.FAILED
    assert isinstance(events[-1], StreamError)
    assert len(simulator.state.requests) == 3  # one try and two retries, no SDK retries


@pytest.mark.parametrize(
    "fault", ["auth", "forbidden", "not_found", "invalid", "inspection", "arrears"]
)
async def test_failures_a_retry_cannot_fix_are_not_retried(simulator, endpoint, fault):
    simulator.state.enqueue(Script(fault=Fault(fault)))
    turn, _ = await run(endpoint, FAST)
    assert turn.status is TurnStatus.FAILED
    assert len(simulator.state.requests) == 1


@pytest.mark.parametrize("phase", ["reasoning", "answer"])
async def test_nothing_is_retried_once_text_has_arrived(simulator, endpoint, phase):
    simulator.state.enqueue(
        Script(reasoning="r1 r2 r3", answer="a1 a2 a3", fault=Fault("drop", phase, 2))
    )
    turn, events = await run(endpoint, FAST)
    assert not any(isinstance(event, RetryWait) for event in events)
    assert turn.status is TurnStatus.FAILED
    assert turn.error is not None and turn.error.retryable
    assert len(simulator.state.requests) == 1


async def test_retry_after_is_honoured(simulator, endpoint):
    simulator.state.enqueue(Script(fault=Fault("rate_limit", retry_after=0.3)))
    loop = asyncio.get_running_loop()
    started = loop.time()
    turn, events = await run(endpoint, RetryPolicy(retries=1, base=5.0))
    (wait,) = [event for event in events if isinstance(event, RetryWait)]
    assert wait.delay == 0.3
    assert loop.time() - started >= 0.3
    assert turn.status is TurnStatus.DONE


def test_backoff_grows_exponentially_with_jitter():
    error = ChatError(ErrorKind.SERVER, "boom", status=500)
    low = RetryPolicy(base=1.0, cap=30.0, jitter=0.25, random=lambda: 0.0)
    high = RetryPolicy(base=1.0, cap=30.0, jitter=0.25, random=lambda: 1.0)
    assert [low.delay(error, n) for n in (1, 2, 3, 4)] == [0.75, 1.5, 3.0, 6.0]
    assert [high.delay(error, n) for n in (1, 2, 3, 4)] == [1.25, 2.5, 5.0, 10.0]
    assert low.delay(error, 20) == 30.0 * 0.75  # capped
    limited = ChatError(ErrorKind.RATE_LIMIT, "slow down", status=429, retry_after=4000)
    assert low.delay(limited, 1) == low.max_retry_after


def test_ask_reports_retries_and_succeeds(simulator, tmp_path):
    simulator.state.enqueue(Script(fault=Fault("rate_limit", retry_after=0.2)))
    config = tmp_path / "config.toml"
    config.write_text("[network]\nretries = 2\n", encoding="utf-8")
    result = thinkchat("ask", "--config", str(config), "--endpoint", simulator.url, "--json", "hi")
    assert result.returncode == 0
    # The service's own sentence comes last, whole: its full stop is not run into ours.
    assert (
        b"thinkchat: retrying in 0.2 s (attempt 2 of 3) after 429 limit_requests: "
        b"Requests rate limit exceeded, please try again later.\n"
    ) in result.stderr
    assert b'"type": "finish"' in result.stdout
    assert b"retry" not in result.stdout  # --json keeps to its documented events


async def test_the_tui_counts_down_and_escape_cancels_the_retry(simulator, tmp_path):
    simulator.state.enqueue(Script(fault=Fault("rate_limit", retry_after=30)))
    app = make_app(simulator, tmp_path, retries=3)
    async with app.run_test(size=(140, 40)) as pilot:
        app.chat_screen.prompt_input.insert("hello")
        await pilot.press("enter")
        while "Retrying in" not in screen_text(app):
            await pilot.pause(0.05)
        text = screen_text(app)
        assert "Retrying in 30 s (attempt 2 of 4) · escape cancels" in text
        assert "429 limit_requests" in text
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        turn = app.chat_screen.session.conversation.turns[0]
        assert turn.status is TurnStatus.CANCELLED
        assert "Retrying in" not in screen_text(app)
        assert "429 limit_requests" in screen_text(app)
    assert len(simulator.state.requests) == 1


async def test_the_tui_retries_then_answers(simulator, tmp_path):
    simulator.state.enqueue(
        Script(fault=Fault("unavailable", retry_after=0.1)), Script(answer="ok!")
    )
    app = make_app(simulator, tmp_path, retries=3)
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "hello")
        turn = app.chat_screen.session.conversation.turns[0]
        assert turn.status is TurnStatus.DONE
        assert turn.answer == "ok!"
        assert "503" not in screen_text(app)  # the error went away with the success
