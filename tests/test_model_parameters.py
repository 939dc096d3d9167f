"""Model parameters (temperature, top_p, top_k, presence_penalty, max_tokens, seed): chosen per
mode by the session, sent the way each SDK takes them, and max_tokens honoured by the service."""

from __future__ import annotations

import re

import pytest

from tests.streams import collect, request, texts
from thinkchat.chat.events import Finished
from thinkchat.chat.request import ChatRequest, Message, ModelParameters, ModeParameters
from thinkchat.chat.session import ChatSession, ChatSettings
from thinkchat.simulator import Script

TRANSPORTS = ["openai", "dashscope"]
ALL_SET = ModelParameters(
    temperature=0.6, top_p=0.95, top_k=20, presence_penalty=1.5, max_tokens=900, seed=42
)


def count_tokens(text: str) -> int:
    return len(re.findall(r"\s*\S+", text))


def test_only_the_parameters_that_are_set_are_sent():
    assert ModelParameters().sent() == {}
    assert ModelParameters(temperature=0.0, seed=0).sent() == {"temperature": 0.0, "seed": 0}


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_every_parameter_reaches_the_wire(simulator, endpoint, transport):
    chat = ChatRequest("qwen-plus", (Message("user", "hi"),), parameters=ALL_SET)
    await collect(transport, endpoint, chat)
    body = simulator.state.requests[-1].body
    # Compatible mode takes them at the top of the body (top_k too, as the thinking switches);
    # the native protocol in its parameters.
    sent = body if transport == "openai" else body["parameters"]
    assert {name: sent[name] for name in ALL_SET.sent()} == ALL_SET.sent()


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_parameters_left_unset_are_not_sent(simulator, endpoint, transport):
    await collect(transport, endpoint, request())
    body = simulator.state.requests[-1].body
    sent = body if transport == "openai" else body["parameters"]
    assert not set(ALL_SET.sent()) & set(sent)


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_max_tokens_cuts_the_output_and_says_length(simulator, endpoint, transport):
    simulator.state.enqueue(Script(reasoning_tokens=30, answer_tokens=30))
    chat = ChatRequest(
        "qwen-plus",
        (Message("user", "hi"),),
        enable_thinking=True,
        expect_reasoning=True,
        parameters=ModelParameters(max_tokens=40),
    )
    events = await collect(transport, endpoint, chat)
    reasoning, answer = texts(events)
    # Thinking comes first and takes its share of the limit; the answer gets the rest.
    assert (count_tokens(reasoning), count_tokens(answer)) == (30, 10)
    assert events[-1] == Finished("length")


async def test_the_session_sends_each_modes_parameters(simulator, endpoint):
    thinking = ModelParameters(temperature=0.6, top_p=0.95, top_k=20)
    plain = ModelParameters(temperature=0.7, top_p=0.8, top_k=20)
    session = ChatSession(
        ChatSettings(model="qwen3-8b", parameters=ModeParameters(thinking=thinking, plain=plain)),
        lambda region: endpoint,
    )
    try:
        for prompt, expected in (("think", thinking), ("quick /no_think", plain)):
            turn = session.begin(prompt)
            async for _ in session.run(turn):
                pass
            assert turn.settings.parameters == expected
            assert simulator.state.requests[-1].body["temperature"] == expected.temperature
    finally:
        await session.aclose()
