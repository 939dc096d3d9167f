"""When thinking eats the answer: the plain words for each way a turn is cut short, the ways
offered to send it again, and the resend itself against the simulator."""

from __future__ import annotations

import json

import pytest

from tests.process import thinkchat
from thinkchat.catalog import Thinking
from thinkchat.chat.cut_short import Remedy, RemedyKind, cut_short
from thinkchat.chat.events import Usage
from thinkchat.chat.request import ModelParameters, ModeParameters
from thinkchat.chat.session import ChatSession, ChatSettings
from thinkchat.chat.turn import Turn, TurnSettings, TurnStatus
from thinkchat.simulator import Script


def ended(
    model: str,
    usage: Usage,
    *,
    finish: str = "stop",
    answer: str = "an answer",
    max_tokens: int | None = None,
    budget: int | None = None,
) -> Turn:
    settings = TurnSettings(
        model,
        "singapore",
        "openai",
        thinking=Thinking.ON,
        budget=budget,
        enable_thinking=True,
        thinking_budget=budget,
        expect_reasoning=True,
        parameters=ModelParameters(max_tokens=max_tokens),
    )
    reasoning = "thinking…" if usage.reasoning_tokens else ""
    return Turn.restored(
        "q", settings, reasoning, answer, status=TurnStatus.DONE, usage=usage, finish_reason=finish
    )


MORE_ROOM = Remedy(
    RemedyKind.MAX_TOKENS, 8000, "twice the limit: as much again is left for the answer"
)
HALF_BUDGET = Remedy(
    RemedyKind.BUDGET, 2000, "half the limit: the other half is left for the answer"
)
OFF = Remedy(RemedyKind.THINKING_OFF, None, "the whole output goes to the answer")

CASES = [
    (
        "thinking used most of the user's output limit",
        ended("qwen-plus", Usage(10, 4000, 3980), finish="length", max_tokens=4000),
        "thinking used 3,980 of 4,000 output tokens; the answer was cut",
        (MORE_ROOM, HALF_BUDGET, OFF),
    ),
    (
        "thinking used all of it",
        ended("qwen-plus", Usage(10, 4000, 4000), finish="length", answer="", max_tokens=4000),
        "thinking used all 4,000 output tokens; no answer came",
        (MORE_ROOM, HALF_BUDGET, OFF),
    ),
    (
        "the model's own limit: it cannot be raised",
        ended("qwen-plus", Usage(10, 32768, 32000), finish="length"),
        "thinking used 32,000 of the 32,768 output tokens the model may write; the answer was cut",
        (
            Remedy(
                RemedyKind.BUDGET,
                16300,
                "half the limit: the other half is left for the answer",
            ),
            OFF,
        ),
    ),
    (
        "a thinking-only model: thinking cannot be turned off",
        ended("qwq-plus", Usage(10, 4000, 3990), finish="length", max_tokens=4000),
        "thinking used 3,990 of 4,000 output tokens; the answer was cut",
        # qwq-plus takes no thinking budget either.
        (MORE_ROOM,),
    ),
    (
        "a budget already smaller than half the limit is not offered again",
        ended("qwen-plus", Usage(10, 4000, 1000), finish="length", max_tokens=4000, budget=1000),
        "thinking used 1,000 of 4,000 output tokens; the answer was cut",
        (MORE_ROOM, OFF),
    ),
    (
        "no thinking: the answer alone was too long",
        ended("qwen-plus", Usage(10, 4000, 0), finish="length", max_tokens=4000),
        "the answer was cut at the output limit (4,000 tokens)",
        (MORE_ROOM,),
    ),
    (
        "the budget was reached and no answer came",
        ended("qwen3-8b", Usage(10, 500, 500), answer="", budget=500),
        "thinking stopped at its budget of 500 tokens and no answer came",
        (
            Remedy(RemedyKind.BUDGET, 1000, "twice the budget: thinking was stopped unfinished"),
            OFF,
        ),
    ),
    (
        "the budget was reached and the answer is a few words",
        ended("qwen3-8b", Usage(10, 505, 500), answer="It is 4.", budget=500),
        "thinking stopped at its budget of 500 tokens and the answer is only 5 tokens",
        (
            Remedy(RemedyKind.BUDGET, 1000, "twice the budget: thinking was stopped unfinished"),
            OFF,
        ),
    ),
]


@pytest.mark.parametrize(
    ("turn", "said", "remedies"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_what_happened_in_plain_words_and_the_ways_to_send_it_again(turn, said, remedies):
    cut = cut_short(turn)
    assert cut is not None
    assert cut.said == said
    assert cut.remedies == remedies


@pytest.mark.parametrize(
    "turn",
    [
        ended("qwen-plus", Usage(10, 400, 300)),
        # The budget was reached, but a real answer followed.
        ended("qwen3-8b", Usage(10, 800, 500), answer="A full answer.", budget=500),
        Turn("q", TurnSettings("qwen-plus", "singapore", "openai")),  # still streaming
    ],
    ids=["a whole answer", "a budget reached with an answer", "streaming"],
)
def test_a_turn_not_cut_short_says_nothing(turn):
    assert cut_short(turn) is None


def test_each_remedy_changes_the_cut_turns_own_settings():
    turn = ended("qwen-plus", Usage(10, 4000, 3980), finish="length", max_tokens=4000)
    current = ChatSettings(
        model="qwq-plus",  # changed since: the resend is of the cut turn
        parameters=ModeParameters(plain=ModelParameters(temperature=0.7, max_tokens=4000)),
    )
    more, smaller, off = (remedy.settings(turn, current) for remedy in cut_short(turn).remedies)
    assert (more.model, more.thinking) == ("qwen-plus", Thinking.ON)
    assert more.parameters.thinking.max_tokens == more.parameters.plain.max_tokens == 8000
    assert more.parameters.plain.temperature == 0.7
    assert smaller.budget == 2000
    assert off.thinking is Thinking.OFF


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
async def test_sent_again_with_more_room_it_replaces_the_cut_turn(simulator, endpoint, transport):
    simulator.state.enqueue(
        Script(reasoning_tokens=60, answer_tokens=30),
        Script(reasoning_tokens=60, answer_tokens=30),
    )
    limited = ModelParameters(max_tokens=64)
    session = ChatSession(
        ChatSettings(
            model="qwen-plus",
            transport=transport,
            thinking=Thinking.ON,
            parameters=ModeParameters(thinking=limited, plain=limited),
        ),
        lambda region: endpoint,
    )
    try:
        cut = session.begin("think long")
        async for _ in session.run(cut):
            pass
        found = cut_short(cut)
        assert found is not None
        assert found.said == "thinking used 60 of 64 output tokens; the answer was cut"
        more = found.remedies[0]
        assert more.kind is RemedyKind.MAX_TOKENS
        again = session.begin(
            cut.prompt, replacing=cut, settings=more.settings(cut, session.settings)
        )
        async for _ in session.run(again):
            pass
    finally:
        await session.aclose()
    sent = simulator.state.requests[-1].body
    assert (sent if transport == "openai" else sent["parameters"])["max_tokens"] == 128
    assert session.conversation.turns == [again]
    assert again.alternatives == [cut]
    assert again.finish_reason == "stop" and cut_short(again) is None
    # The session's own settings are untouched: the next prompt has the old limit again.
    assert session.settings.parameters.thinking.max_tokens == 64


def ask(simulator, *args: str):
    return thinkchat("ask", "--endpoint", simulator.url, *args)


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
def test_ask_says_what_happened_and_how_to_ask_again(simulator, transport):
    simulator.state.enqueue(Script(reasoning_tokens=60, answer_tokens=30))
    result = ask(simulator, "--transport", transport, "--max-tokens", "64", "--think", "go")
    assert result.returncode == 0, result.stderr
    sent = simulator.state.requests[-1].body
    assert (sent if transport == "openai" else sent["parameters"])["max_tokens"] == 64
    lines = result.stderr.decode().splitlines()
    assert lines[-2] == "note: thinking used 60 of 64 output tokens; the answer was cut"
    assert lines[-1] == (
        "hint: ask again with more room: --max-tokens 128 (twice the limit: as much again is "
        "left for the answer) or --no-think (the whole output goes to the answer)"
    )
    # Asked again as the hint says, the answer comes whole and nothing is said.
    simulator.state.enqueue(Script(reasoning_tokens=60, answer_tokens=30))
    again = ask(simulator, "--transport", transport, "--max-tokens", "128", "--think", "go")
    assert len(again.stdout.split()) == 30
    assert "note:" not in again.stderr.decode()


def test_ask_json_says_it_on_stderr_too(simulator):
    simulator.state.enqueue(Script(reasoning_tokens=60, answer_tokens=30))
    result = ask(simulator, "--json", "--max-tokens", "64", "--think", "go")
    events = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert events[-1] == {"type": "finish", "reason": "length"}
    assert "note: thinking used 60 of 64 output tokens" in result.stderr.decode()


@pytest.mark.parametrize("value", ["0", "-5", "many"])
def test_ask_refuses_a_max_tokens_that_is_not_a_positive_number(simulator, value):
    result = ask(simulator, "--max-tokens", value, "go")
    assert result.returncode == 2
    assert "expected a whole number of tokens above 0" in result.stderr.decode()
    assert simulator.state.requests == []
