"""Every stream shape the guide allows is split into reasoning and answer right, on both
transports: the guide's own chunks (reasoning then answer; thinking on but no reasoning;
thinking off) and the `<think>` tag forms of servers that have no reasoning field."""

from __future__ import annotations

import pytest

from tests.streams import FIELD_STREAMS, TAG_STREAMS, collect, request, texts
from thinkchat.chat.events import AnswerDelta, ReasoningDelta, ReasoningWasAnswer
from thinkchat.simulator import Script
from thinkchat.transports.think_tags import ThinkTagSplitter

REASONING = "Okay, the user asked who I am."
ANSWER = "I am Qwen, a large language model."

TAG_FORMS = [form for _, form in TAG_STREAMS]


def kinds(events) -> list[str]:
    return [type(event).__name__ for event in events][:-2]  # without Usage and Finished


@pytest.mark.parametrize(("transport", "field"), FIELD_STREAMS)
async def test_reasoning_then_answer(simulator, endpoint, transport, field):
    simulator.state.enqueue(Script(reasoning=REASONING, answer=ANSWER, reasoning_field=field))
    events = await collect(transport, endpoint, request())
    assert texts(events) == (REASONING, ANSWER)
    found = kinds(events)
    assert found == sorted(found, key=["ReasoningDelta", "AnswerDelta"].index)


@pytest.mark.parametrize(("transport", "field"), FIELD_STREAMS)
async def test_thinking_on_but_no_reasoning_is_all_answer_once(
    simulator, endpoint, transport, field
):
    simulator.state.enqueue(Script(reasoning="", answer=ANSWER, reasoning_field=field))
    events = await collect(transport, endpoint, request(enable_thinking=True))
    assert simulator.state.requests[-1].outcome == "completed"
    # No text goes by way of the reasoning: not even provisionally.
    assert set(kinds(events)) == {"AnswerDelta"}
    assert texts(events) == ("", ANSWER)


@pytest.mark.parametrize(("transport", "field"), FIELD_STREAMS)
async def test_thinking_off(simulator, endpoint, transport, field):
    simulator.state.enqueue(Script(reasoning=REASONING, answer=ANSWER, reasoning_field=field))
    events = await collect(transport, endpoint, request(enable_thinking=False))
    assert set(kinds(events)) == {"AnswerDelta"}
    assert texts(events) == ("", ANSWER)


@pytest.mark.parametrize("form", TAG_FORMS)
async def test_tags_reasoning_then_answer(simulator, endpoint, form):
    simulator.state.enqueue(Script(reasoning=REASONING, answer=ANSWER, reasoning_field=form))
    events = await collect("openai", endpoint, request())
    assert texts(events) == (REASONING, ANSWER)
    assert not any(isinstance(event, ReasoningWasAnswer) for event in events)


@pytest.mark.parametrize("form", TAG_FORMS)
async def test_tags_thinking_on_but_no_reasoning_is_taken_back(simulator, endpoint, form):
    simulator.state.enqueue(Script(reasoning="", answer=ANSWER, reasoning_field=form))
    events = await collect("openai", endpoint, request(enable_thinking=True))
    # Untagged text looks like reasoning whose opening tag was in the prompt, until the stream
    # ends without `</think>`: then it is taken back, and sent once more as the answer.
    found = kinds(events)
    retracted = found.index("ReasoningWasAnswer")
    assert set(found[:retracted]) == {"ReasoningDelta"}
    assert found[retracted + 1 :] == ["AnswerDelta"]
    shown = "".join(e.text for e in events[:retracted] if isinstance(e, ReasoningDelta))
    assert ANSWER.startswith(shown) and shown
    assert texts(events) == ("", ANSWER)


@pytest.mark.parametrize("form", TAG_FORMS)
async def test_tags_thinking_off(simulator, endpoint, form):
    simulator.state.enqueue(Script(reasoning=REASONING, answer=ANSWER, reasoning_field=form))
    events = await collect("openai", endpoint, request(enable_thinking=False))
    assert set(kinds(events)) == {"AnswerDelta"}
    assert texts(events) == ("", ANSWER)


class TestFieldStreamContent:
    """In a field stream `content` is the answer; a tag counts only where it opens."""

    def test_an_opening_tag_at_the_start_of_content_is_honoured(self):
        splitter = ThinkTagSplitter(expect_reasoning=True)
        assert splitter.expect_answer() == []
        events = [
            *splitter.feed("\n<thi"),
            *splitter.feed("nk>hmm</think>\n\nyes"),
            *splitter.finish(),
        ]
        assert events == [ReasoningDelta("hmm"), AnswerDelta("yes")]

    def test_tags_anywhere_else_are_answer_text(self):
        splitter = ThinkTagSplitter(expect_reasoning=True)
        splitter.expect_answer()
        events = [*splitter.feed("see </think> and <think>"), *splitter.finish()]
        assert texts(events) == ("", "see </think> and <think>")
        assert splitter.content_is_answer

    def test_content_taken_for_reasoning_before_the_field_showed_is_taken_back(self):
        splitter = ThinkTagSplitter(expect_reasoning=True)
        assert splitter.feed("Hello") == [ReasoningDelta("Hello")]
        assert splitter.expect_answer() == [ReasoningWasAnswer(), AnswerDelta("Hello")]
        assert splitter.feed(" world") == [AnswerDelta(" world")]
        assert splitter.finish() == []

    def test_a_partial_closing_tag_held_back_becomes_answer(self):
        splitter = ThinkTagSplitter(expect_reasoning=True)
        assert splitter.feed("</thi") == []
        assert splitter.expect_answer() == []
        assert [*splitter.feed("s"), *splitter.finish()] == [AnswerDelta("</this")]
