"""Comparisons in the engine: variants begun together, streamed at once, each ending on its own."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

import pytest

from tests.tui import wire_messages, wire_thinking
from thinkchat.catalog import Thinking
from thinkchat.chat.api_key import ApiKey
from thinkchat.chat.comparison import Comparison, VariantProblem
from thinkchat.chat.comparison_summary import LiveTokens, summary_rows
from thinkchat.chat.cost import Cost
from thinkchat.chat.errors import ErrorKind
from thinkchat.chat.events import AnswerDelta, ReasoningDelta, StreamError, Usage
from thinkchat.chat.request import Endpoint, Timeouts
from thinkchat.chat.session import ChatSession, ChatSettings
from thinkchat.chat.turn import Timings, Turn, TurnSettings, TurnStatus
from thinkchat.chat.variants import parse_variants
from thinkchat.simulator import DEFAULT_KEY, Fault, RequestMatch, Script

TRANSPORTS = ["openai", "dashscope"]
THINKING = RequestMatch(enable_thinking=True)
PLAIN = RequestMatch(enable_thinking=False)


def session_for(simulator, read_timeout: float = 10.0, **settings) -> ChatSession:
    def endpoint(region: str) -> Endpoint:
        timeouts = Timeouts(connect=5, read=read_timeout)
        return Endpoint(simulator.url, ApiKey(DEFAULT_KEY), region, timeouts)

    return ChatSession(ChatSettings(**settings), endpoint)


async def stream_all(comparison: Comparison) -> list[tuple[int, object]]:
    async with aclosing(comparison.stream()) as events:
        return [item async for item in events]


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_the_variants_are_one_turn_and_its_alternatives_asked_with_the_same_history(
    simulator, transport
):
    session = session_for(simulator, transport=transport)
    earlier = session.begin("an earlier question")
    async for _ in session.run(earlier):
        pass
    comparison = Comparison.begin(session, "which is faster?", parse_variants("think,no-think"))
    first, other = comparison.turns
    assert session.conversation.turns == [earlier, first]
    assert first.alternatives == [other]
    assert (first.settings.enable_thinking, other.settings.enable_thinking) == (True, False)

    events = await stream_all(comparison)
    await session.aclose()
    assert {index for index, _ in events} == {0, 1}
    assert first.status is other.status is TurnStatus.DONE
    assert first.reasoning and not other.reasoning
    sent = simulator.state.requests[-2:]
    by_thinking = {wire_thinking(simulator, i)["enable_thinking"]: i for i in (-2, -1)}
    assert len(sent) == 2
    expected = [
        {"role": "user", "content": "an earlier question"},
        {"role": "assistant", "content": earlier.answer},
        {"role": "user", "content": "which is faster?"},
    ]
    assert wire_messages(simulator, by_thinking[True]) == expected
    assert wire_messages(simulator, by_thinking[False]) == expected
    # Events keep each variant's own order, and each turn holds exactly its own events.
    answers = [
        "".join(e.text for i, e in events if i == n and isinstance(e, AnswerDelta)) for n in (0, 1)
    ]
    assert answers == [first.answer, other.answer]


async def test_variants_may_change_model_budget_transport_and_region(simulator):
    session = session_for(simulator, model="qwen-plus", thinking=Thinking.ON)
    variants = parse_variants("budget=50,model=qwq-plus+transport=dashscope+region=virginia")
    comparison = Comparison.begin(session, "hello", variants)
    budgeted, other = comparison.turns
    assert (budgeted.settings.model, budgeted.settings.thinking_budget) == ("qwen-plus", 50)
    assert (other.settings.model, other.settings.transport, other.settings.region) == (
        "qwq-plus",
        "dashscope",
        "virginia",
    )
    await stream_all(comparison)
    await session.aclose()
    models = sorted(request.body.get("model") for request in simulator.state.requests)
    assert models == ["qwen-plus", "qwq-plus"]
    assert session.settings.model == "qwen-plus"  # the session's own settings are untouched


async def test_a_variant_that_cannot_be_asked_stops_the_comparison_before_anything_is_sent(
    simulator,
):
    session = session_for(simulator, model="qwen-plus")
    variants = parse_variants("think,model=deepseek-r1")  # Beijing only; the session is not
    with pytest.raises(VariantProblem) as raised:
        Comparison.begin(session, "hello", variants)
    assert str(raised.value).startswith("variant 2 (model=deepseek-r1): deepseek-r1 is served in")
    assert raised.value.index == 1
    assert session.conversation.turns == []
    assert simulator.state.requests == []


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("fault", [Fault("rate_limit"), Fault("drop", after=2)])
async def test_one_variant_failing_leaves_the_others_streaming(simulator, transport, fault):
    simulator.state.enqueue(Script(fault=fault), when=PLAIN)
    simulator.state.enqueue(Script(answer_tokens=300, delay=0.002), when=THINKING)
    session = session_for(simulator, transport=transport)
    comparison = Comparison.begin(session, "hello", parse_variants("think,no-think"))
    events = await stream_all(comparison)
    await session.aclose()
    thinking, plain = comparison.turns
    assert plain.status is TurnStatus.FAILED
    assert plain.error.kind in (ErrorKind.RATE_LIMIT, ErrorKind.INTERRUPTED, ErrorKind.CONNECTION)
    assert thinking.status is TurnStatus.DONE and len(thinking.answer) > 300
    # The failure came while the other was still streaming: more of its text followed.
    failed_at = next(n for n, (i, e) in enumerate(events) if i == 1 and isinstance(e, StreamError))
    assert any(i == 0 and isinstance(e, AnswerDelta) for i, e in events[failed_at + 1 :])


async def test_a_variant_that_stalls_times_out_on_its_own(simulator):
    simulator.state.enqueue(Script(fault=Fault("stall", after=2)), when=PLAIN)
    simulator.state.enqueue(Script(answer_tokens=40), when=THINKING)
    session = session_for(simulator, read_timeout=0.5)
    comparison = Comparison.begin(session, "hello", parse_variants("think,no-think"))
    await stream_all(comparison)
    await session.aclose()
    thinking, plain = comparison.turns
    assert thinking.status is TurnStatus.DONE
    assert plain.status is TurnStatus.FAILED and plain.error.kind is ErrorKind.TIMEOUT
    assert plain.answer  # what arrived before the stall is kept


async def test_stopping_the_comparison_stops_every_variant_and_keeps_what_arrived(simulator):
    simulator.state.enqueue(Script(fault=Fault("stall", after=3)), when=PLAIN)
    simulator.state.enqueue(Script(fault=Fault("stall", phase="reasoning", after=5)), when=THINKING)
    session = session_for(simulator)
    comparison = Comparison.begin(session, "hello", parse_variants("think,no-think"))
    seen = {0: 0, 1: 0}
    async with aclosing(comparison.stream()) as events:
        async for index, event in events:
            if isinstance(event, (ReasoningDelta, AnswerDelta)):
                seen[index] += 1
            if seen[0] >= 5 and seen[1] >= 3:
                break  # both stalled: the user stops them
    await session.aclose()
    thinking, plain = comparison.turns
    assert thinking.status is plain.status is TurnStatus.CANCELLED
    assert thinking.reasoning and plain.answer
    # The simulator sees both connections closed.
    closed = await asyncio.to_thread(
        simulator.state.wait_for,
        lambda requests: all(request.outcome != "streaming" for request in requests),
    )
    assert [request.outcome for request in closed] == ["client_disconnected"] * 2


def finished_turn(
    ended: str, usage: Usage | None, first: float | None, total: float | None
) -> Turn:
    turn = Turn("q", TurnSettings("qwen-plus", "singapore", "openai"))
    turn.timings = Timings(started=0.0, first_answer=first, ended=total)
    turn.usage = usage
    turn.status = TurnStatus(ended)
    return turn


def test_the_summary_marks_the_better_figure_among_the_finished_variants():
    slow = finished_turn("done", Usage(11, 900, 700, 0), first=0.8, total=6.0)
    fast = finished_turn("done", Usage(11, 200, 0, 4), first=0.3, total=2.0)
    failed = finished_turn("failed", Usage(11, 10, 0, 8), first=0.1, total=0.2)
    rows = {row.name: row for row in summary_rows([slow, fast, failed])}
    assert rows["first token"].cells == ("0.8 s", "0.3 s", "0.1 s")
    # The failed variant was quickest and cached most, but is not a figure to judge by.
    assert rows["first token"].best == {1}
    assert rows["whole answer"].best == {1}
    assert rows["output tokens"].cells == ("900", "200", "10")
    assert rows["output tokens"].best == {1}
    assert rows["reasoning tokens"].best == {1}
    assert rows["cached tokens"].best == {1}  # more is better: billed at a lower price
    assert rows["input tokens"].best == frozenset()  # all the same: nothing is better
    assert rows["ended"].cells == ("done", "done", "failed")


def test_the_summary_estimates_what_is_still_streaming():
    done = finished_turn("done", Usage(11, 120, 100, 0), first=0.5, total=3.0)
    streaming = finished_turn("streaming", None, first=0.2, total=None)
    rows = {
        row.name: row
        for row in summary_rows([done, streaming], live=[None, LiveTokens(reasoning=40, answer=9)])
    }
    assert rows["output tokens"].cells == ("120", "~49")
    assert rows["reasoning tokens"].cells == ("100", "~40")
    assert rows["cached tokens"].cells == ("0", "–")
    assert rows["first token"].best == frozenset()  # one finished variant: nothing to compare
    assert rows["ended"].cells == ("done", "streaming…")


def test_figures_that_read_the_same_are_as_good_as_each_other():
    one = finished_turn("done", Usage(11, 100, 0, 0), first=0.71, total=2.0)
    other = finished_turn("done", Usage(11, 100, 0, 0), first=0.74, total=3.0)
    rows = {row.name: row for row in summary_rows([one, other])}
    assert rows["first token"].cells == ("0.7 s", "0.7 s")
    assert rows["first token"].best == frozenset()
    assert rows["whole answer"].best == {0}


def test_costs_are_compared_in_one_currency_only():
    cheap = finished_turn("done", Usage(11, 100, 0, 0), first=0.5, total=1.0)
    dear = finished_turn("done", Usage(11, 900, 800, 0), first=0.5, total=3.0)
    cheap.cost, dear.cost = Cost(0.0004, "USD"), Cost(0.0031, "USD")
    (row,) = [row for row in summary_rows([cheap, dear]) if row.name == "cost"]
    assert row.cells == ("$0.00040", "$0.0031") and row.best == {0}
    dear.cost = Cost(0.02, "CNY")  # another currency: no exchange rate, so no comparison
    (row,) = [row for row in summary_rows([cheap, dear]) if row.name == "cost"]
    assert row.cells == ("$0.00040", "¥0.020") and row.best == frozenset()
    dear.cost = None  # no price known: tokens only
    (row,) = [row for row in summary_rows([cheap, dear]) if row.name == "cost"]
    assert row.cells == ("$0.00040", "–") and row.best == frozenset()
