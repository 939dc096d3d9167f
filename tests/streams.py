"""Helpers for tests that stream through a transport."""

from __future__ import annotations

from thinkchat.chat.events import (
    AnswerDelta,
    ReasoningDelta,
    ReasoningWasAnswer,
    StreamError,
    StreamEvent,
)
from thinkchat.chat.request import ChatRequest, Endpoint, Message
from thinkchat.chat.transport_registry import create_transport

# The ways reasoning can travel: (transport, how compatible mode carries it). Field streams
# carry it in a delta field; the tag forms inline in `content`, with or without `<think>`.
FIELD_STREAMS = [
    ("openai", "reasoning_content"),
    ("openai", "reasoning"),
    ("dashscope", "reasoning_content"),
]
TAG_STREAMS = [("openai", "think_tags"), ("openai", "think_close_only")]


def request(
    prompt: str = "hello",
    model: str = "qwen-plus",
    enable_thinking: bool | None = True,
    thinking_budget: int | None = None,
    expect_reasoning: bool | None = None,
) -> ChatRequest:
    return ChatRequest(
        model=model,
        messages=(Message("user", prompt),),
        enable_thinking=enable_thinking,
        thinking_budget=thinking_budget,
        expect_reasoning=bool(enable_thinking) if expect_reasoning is None else expect_reasoning,
    )


async def collect(transport_name: str, endpoint: Endpoint, chat_request: ChatRequest, **options):
    transport = create_transport(transport_name, endpoint)
    for name, value in options.items():
        setattr(transport, name, value)
    try:
        return [event async for event in transport.stream(chat_request)]
    finally:
        await transport.aclose()


def texts(events: list[StreamEvent]) -> tuple[str, str]:
    """The reasoning and the answer the events add up to (a `ReasoningWasAnswer` drops the
    reasoning before it)."""
    reasoning: list[str] = []
    answer: list[str] = []
    for event in events:
        if isinstance(event, ReasoningDelta):
            reasoning.append(event.text)
        elif isinstance(event, AnswerDelta):
            answer.append(event.text)
        elif isinstance(event, ReasoningWasAnswer):
            reasoning.clear()
    return "".join(reasoning), "".join(answer)


def error_of(events: list[StreamEvent]):
    assert isinstance(events[-1], StreamError), events[-3:]
    return events[-1].error
