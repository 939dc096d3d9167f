"""Property-based tests: any chunking of a valid stream reassembles to exactly the text sent.

The pure parsers get arbitrary cuts; the whole stack (simulator → bytes cut anywhere, even
inside a multi-byte character → SDK → transport) gets arbitrary write sizes.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.streams import collect, request, texts
from thinkchat.chat.api_key import ApiKey
from thinkchat.chat.events import AnswerDelta, ReasoningWasAnswer
from thinkchat.chat.request import Endpoint, Timeouts
from thinkchat.simulator import DEFAULT_KEY, Script, Simulator
from thinkchat.transports.dashscope_native import CumulativeText
from thinkchat.transports.think_tags import ThinkTagSplitter

# Letters, spaces, newlines, accents, CJK, emoji (4 bytes in UTF-8) and tag-like characters.
ALPHABET = st.sampled_from([*list("ab z\n\tx<>/é中文😀🧠"), "<thi", "</th", "ink>"])
TEXT = st.lists(ALPHABET, max_size=40).map("".join)


def cut(text: str, points: list[int]) -> list[str]:
    """`text` cut at `points` (positions, any order, repeats allowed)."""
    edges = sorted({0, len(text), *(p % (len(text) + 1) for p in points)})
    return [text[a:b] for a, b in itertools.pairwise(edges)]


def split_all(chunks: list[str], expect_reasoning: bool) -> tuple[str, str]:
    splitter = ThinkTagSplitter(expect_reasoning)
    events = [event for chunk in chunks for event in splitter.feed(chunk)]
    return texts([*events, *splitter.finish()])


def _clean_reasoning(text: str) -> str:
    # Removing one closing tag can join the halves of another ("</th</think>ink>").
    while "</think>" in text:
        text = text.replace("</think>", "")
    return text


@given(reasoning=TEXT, answer=TEXT, points=st.lists(st.integers(0, 10_000), max_size=20))
def test_think_tags_split_exactly_at_any_cut(reasoning, answer, points):
    reasoning = _clean_reasoning(reasoning)
    answer = answer.lstrip("\n")
    stream = f"<think>{reasoning}</think>\n\n{answer}"
    for expect in (True, False):
        assert split_all(cut(stream, points), expect) == (reasoning, answer)


@given(reasoning=TEXT, answer=TEXT, points=st.lists(st.integers(0, 10_000), max_size=20))
def test_a_stream_with_only_the_closing_tag(reasoning, answer, points):
    reasoning = _clean_reasoning(reasoning)
    if reasoning.lstrip().startswith("<think>"):
        reasoning = "x" + reasoning
    answer = answer.lstrip("\n")
    stream = f"{reasoning}</think>\n\n{answer}"
    assert split_all(cut(stream, points), expect_reasoning=True) == (reasoning, answer)


@given(answer=TEXT, points=st.lists(st.integers(0, 10_000), max_size=20))
def test_text_without_tags_is_all_answer(answer, points):
    if "<think>" in answer or "</think>" in answer or answer.lstrip().startswith("<"):
        answer = "x" + answer.replace("<", "‹")
    assert split_all(cut(answer, points), expect_reasoning=False) == ("", answer)


@given(answer=TEXT, points=st.lists(st.integers(0, 10_000), max_size=20))
def test_untagged_text_taken_for_reasoning_comes_back_once_as_the_answer(answer, points):
    if "</think>" in answer or answer.lstrip().startswith("<"):
        answer = "x" + answer.replace("<", "‹")
    splitter = ThinkTagSplitter(expect_reasoning=True)
    events = [event for chunk in cut(answer, points) for event in splitter.feed(chunk)]
    events += splitter.finish()
    assert texts(events) == ("", answer)
    taken_back = [i for i, event in enumerate(events) if isinstance(event, ReasoningWasAnswer)]
    assert len(taken_back) == (1 if answer.strip() else 0)
    # Nothing reaches the answer before the reasoning is taken back.
    assert not any(isinstance(e, AnswerDelta) for e in events[: (taken_back or [0])[0]])


@given(pieces=st.lists(TEXT, max_size=15))
def test_cumulative_text_becomes_the_deltas(pieces):
    tracker = CumulativeText()
    so_far = ""
    deltas = []
    for piece in pieces:
        so_far += piece
        deltas.append(tracker.delta(so_far))
    assert deltas == pieces


# The whole stack, against one simulator for the module (hypothesis reruns the test body).
WIRE_TEXT = st.lists(
    st.sampled_from([*list("ab z\n.é中😀🧠"), " word"]), min_size=1, max_size=30
).map("".join)


@pytest.fixture(scope="module")
def shared_simulator() -> Iterator[Simulator]:
    with Simulator() as running:
        yield running


def _endpoint(simulator: Simulator) -> Endpoint:
    return Endpoint(simulator.url, ApiKey(DEFAULT_KEY), "singapore", Timeouts(5, 10))


WIRE = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(
    ("transport", "field", "incremental"),
    [
        ("openai", "reasoning_content", True),
        ("openai", "reasoning", True),
        ("openai", "think_tags", True),
        ("openai", "think_close_only", True),
        ("dashscope", "reasoning_content", True),
        ("dashscope", "reasoning_content", False),
    ],
)
@WIRE
@given(
    reasoning=st.one_of(st.just(""), WIRE_TEXT),
    answer=WIRE_TEXT,
    sizes=st.lists(st.integers(1, 97), min_size=1, max_size=6),
    per_event=st.integers(1, 3),
)
def test_any_byte_chunking_reassembles_exactly(
    shared_simulator, transport, field, incremental, reasoning, answer, sizes, per_event
):
    if field.startswith("think"):
        answer = answer.lstrip("\n") or "x"  # a new line after </think> is not answer text
    script = Script(
        reasoning=reasoning,
        answer=answer,
        reasoning_field=field,
        tokens_per_event=per_event,
        byte_chunks=tuple(sizes),
    )
    shared_simulator.state.enqueue(script)
    options = {} if incremental else {"_incremental": False}
    events = asyncio.run(collect(transport, _endpoint(shared_simulator), request(), **options))
    assert texts(events) == (reasoning, answer)
