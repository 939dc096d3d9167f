"""The engine: turns, the conversation history, and sessions over both transports."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from thinkchat.catalog import SoftSwitch, Thinking
from thinkchat.chat.conversation import Conversation
from thinkchat.chat.errors import ChatError, ErrorKind
from thinkchat.chat.events import (
    AnswerDelta,
    Finished,
    ReasoningDelta,
    ReasoningWasAnswer,
    StreamError,
    Usage,
)
from thinkchat.chat.session import ChatSession, ChatSettings, SettingsError
from thinkchat.chat.turn import Timings, Turn, TurnSettings, TurnStatus
from thinkchat.config.errors import MissingApiKey
from thinkchat.simulator import Fault, Script

TRANSPORTS = ["openai", "dashscope"]


def session_for(endpoint, **settings) -> ChatSession:
    return ChatSession(ChatSettings(**settings), lambda region: endpoint)


async def run_turn(session: ChatSession, prompt: str) -> Turn:
    turn = session.begin(prompt)
    async for _ in session.run(turn):
        pass
    return turn


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_multi_turn_history_never_carries_reasoning(simulator, endpoint, transport):
    session = session_for(endpoint, transport=transport, thinking=Thinking.ON)
    session.conversation.system_prompt = "Be brief."
    first = await run_turn(session, "first question")
    second = await run_turn(session, "second question")
    await session.aclose()
    assert first.status is second.status is TurnStatus.DONE
    assert first.reasoning and second.reasoning
    sent = simulator.state.requests[-1].body
    messages = sent["messages"] if transport == "openai" else sent["input"]["messages"]
    assert messages == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "first question"},
        {"role": "assistant", "content": first.answer},
        {"role": "user", "content": "second question"},
    ]
    wire = str(sent)
    assert first.reasoning not in wire and "reasoning_content" not in wire


async def test_a_turn_records_text_usage_and_timings(simulator, endpoint):
    simulator.state.enqueue(Script(reasoning="r1 r2 r3", answer="a1 a2", delay=0.01))
    session = session_for(endpoint, thinking=Thinking.ON, budget=3)
    turn = await run_turn(session, "hi")
    await session.aclose()
    assert (turn.reasoning, turn.answer) == ("r1 r2 r3", "a1 a2")
    assert turn.usage == Usage(input_tokens=1, output_tokens=5, reasoning_tokens=3, cached_tokens=0)
    assert turn.finish_reason == "stop"
    assert turn.budget_reached
    timings = turn.timings
    assert 0 < timings.time_to_first_reasoning < timings.time_to_first_answer < timings.total
    assert timings.thinking_duration == pytest.approx(
        timings.time_to_first_answer - timings.time_to_first_reasoning
    )


def test_reasoning_that_was_the_answer_leaves_the_reasoning_and_its_timings():
    ticks = itertools.count()  # each reading of the clock is a second later
    timings = Timings(clock=lambda: float(next(ticks)))
    turn = Turn("hi", TurnSettings("qwen3-8b", "singapore", "openai"), timings=timings)
    for event in (ReasoningDelta("Hello"), ReasoningDelta(" there"), ReasoningWasAnswer()):
        turn.apply(event)
    turn.apply(AnswerDelta("Hello there"))
    turn.apply(Finished("stop"))
    assert (turn.reasoning, turn.answer) == ("", "Hello there")
    # The answer's text began to arrive with the first of it, taken for reasoning then.
    assert (timings.time_to_first_answer, timings.last_answer) == (1.0, 4.0)
    assert timings.first_reasoning is None and timings.thinking_duration is None


@pytest.mark.parametrize("form", ["think_tags", "think_close_only"])
async def test_a_turn_keeps_an_answer_taken_for_reasoning_once(simulator, endpoint, form):
    simulator.state.enqueue(Script(reasoning="", answer="just the answer", reasoning_field=form))
    session = session_for(endpoint, model="qwen3-8b", thinking=Thinking.ON)
    turn = await run_turn(session, "hi")
    await session.aclose()
    assert turn.status is TurnStatus.DONE
    assert (turn.reasoning, turn.answer) == ("", "just the answer")


async def test_failed_turn_keeps_its_text_and_error(simulator, endpoint):
    simulator.state.enqueue(
        Script(reasoning="r1 r2", answer="a1 a2 a3", fault=Fault("drop", after=2))
    )
    session = session_for(endpoint, thinking=Thinking.ON)
    turn = await run_turn(session, "hi")
    await session.aclose()
    assert turn.status is TurnStatus.FAILED
    assert (turn.reasoning, turn.answer) == ("r1 r2", "a1 a2")
    assert turn.error is not None and turn.error.kind is ErrorKind.INTERRUPTED


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_cancelling_keeps_what_arrived(simulator, endpoint, transport):
    simulator.state.enqueue(Script(reasoning="r1 r2", answer_tokens=400, delay=0.01))
    session = session_for(endpoint, transport=transport, thinking=Thinking.ON)
    turn = session.begin("hi")
    answering = asyncio.Event()

    async def consume() -> None:
        async for event in session.run(turn):
            if isinstance(event, AnswerDelta):
                answering.set()

    task = asyncio.create_task(consume())
    await answering.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await session.aclose()
    assert turn.status is TurnStatus.CANCELLED
    assert turn.reasoning == "r1 r2"
    assert turn.answer and "## Answer".startswith(turn.answer[:9])
    assert turn.timings.ended is not None


async def test_a_consumer_that_stops_reading_cancels_the_turn(simulator, endpoint):
    simulator.state.enqueue(Script(answer_tokens=300, delay=0.005))
    session = session_for(endpoint)
    turn = session.begin("hi")
    stream = session.run(turn)
    async for event in stream:
        if isinstance(event, AnswerDelta):
            break
    await stream.aclose()
    await session.aclose()
    assert turn.status is TurnStatus.CANCELLED


def test_history_skips_turns_without_an_answer():
    settings = TurnSettings("qwen-plus", "singapore", "openai")
    done = Turn("q1", settings)
    done.apply(AnswerDelta("a1"))
    done.apply(Finished("stop"))
    failed = Turn("q2", settings)
    failed.apply(ReasoningDelta("thinking…"))
    failed.apply(StreamError(ChatError(ErrorKind.SERVER, "boom", status=500)))
    stopped = Turn("q3", settings)
    stopped.apply(AnswerDelta("partial"))
    stopped.cancel()
    conversation = Conversation(turns=[done, failed, stopped])
    roles = [(m.role, m.content) for m in conversation.history("q4")]
    assert roles == [
        ("user", "q1"),
        ("assistant", "a1"),
        ("user", "q3"),
        ("assistant", "partial"),
        ("user", "q4"),
    ]
    assert [m.content for m in conversation.history("retry", before=failed)] == [
        "q1",
        "a1",
        "retry",
    ]


def test_totals_add_up_every_turn():
    settings = TurnSettings("qwen-plus", "singapore", "openai")
    turns = []
    for usage in (Usage(10, 20, 5, 0), Usage(30, 40, 0, 10)):
        turn = Turn("q", settings)
        turn.apply(usage)
        turns.append(turn)
    assert Conversation(turns=turns).totals == Usage(40, 60, 5, 10)


async def test_soft_switch_applies_across_turns(simulator, endpoint):
    session = session_for(endpoint, model="qwen3-8b")
    first = await run_turn(session, "quick one /no_think")
    assert first.settings.soft_switch is SoftSwitch.NO_THINK and not first.reasoning
    second = await run_turn(session, "and another")
    assert not second.settings.expect_reasoning and not second.reasoning
    third = await run_turn(session, "now think /think")
    await session.aclose()
    assert third.settings.expect_reasoning and third.reasoning


def test_begin_refuses_what_cannot_be_sent(endpoint):
    session = session_for(endpoint, model="deepseek-r1", region="singapore")
    with pytest.raises(SettingsError, match="served in Beijing only"):
        session.begin("hi")
    with pytest.raises(SettingsError, match="empty"):
        session_for(endpoint).begin("   \n")
    assert session.conversation.turns == []

    def no_key(region: str):
        raise MissingApiKey(f"No API key for {region}")

    keyless = ChatSession(ChatSettings(), no_key)
    with pytest.raises(MissingApiKey):
        keyless.begin("hi")
    assert keyless.conversation.turns == []


@pytest.mark.parametrize(("field", "value"), [("region", "mars"), ("transport", "carrier-pigeon")])
def test_settings_refuse_unknown_names(field, value):
    with pytest.raises(SettingsError, match=value):
        ChatSettings(**{field: value})


async def test_keys_stay_with_their_region(simulator):
    from thinkchat.chat.api_key import ApiKey
    from thinkchat.chat.request import Endpoint

    keys = {"singapore": "sk-simulator-0000", "beijing": "sk-beijing-1111"}
    seen = []

    def endpoints(region: str) -> Endpoint:
        seen.append(region)
        return Endpoint(simulator.url, ApiKey(keys[region]), region)

    session = ChatSession(ChatSettings(region="singapore"), endpoints)
    await run_turn(session, "one")
    session.settings = session.settings.with_changes(region="beijing")
    await run_turn(session, "two")
    await session.aclose()
    sent = [r.headers["Authorization"] for r in simulator.state.requests]
    assert sent == ["Bearer sk-simulator-0000", "Bearer sk-beijing-1111"]
    assert seen == ["singapore", "beijing"]
