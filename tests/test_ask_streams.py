"""`thinkchat ask` on the stream shapes the guide allows: the answer is printed once, and
reasoning that turns out to be the answer is said to be so (text) or retracted (`--json`)."""

from __future__ import annotations

import json

import pytest

from tests.process import thinkchat
from tests.streams import FIELD_STREAMS, TAG_STREAMS
from thinkchat.simulator import Script

ANSWER = "I am Qwen, a large language model."


def ask(simulator, *args: str):
    return thinkchat("ask", "--endpoint", simulator.url, *args)


def json_events(result) -> list[dict]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def answer_of(events: list[dict]) -> str:
    return "".join(event["text"] for event in events if event["type"] == "answer")


REASONING = "Okay, the user asked who I am."
# (flag, the reasoning the model writes, the reasoning that stays)
CASES = {
    "reasoning then answer": ("--think", REASONING, REASONING),
    "thinking on, no reasoning": ("--think", "", ""),
    "thinking off": ("--no-think", REASONING, ""),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(("transport", "field"), FIELD_STREAMS + TAG_STREAMS)
def test_every_shape_gives_the_answer_once(simulator, transport, field, case):
    flag, written, kept = CASES[case]
    simulator.state.enqueue(Script(reasoning=written, answer=ANSWER, reasoning_field=field))
    # qwen-plus: the issue's `ask --json --model qwen-plus --think`.
    events = json_events(
        ask(simulator, "--json", "--transport", transport, "--model", "qwen-plus", flag, "hi")
    )
    reasoning: list[str] = []
    for event in events:
        if event["type"] == "reasoning":
            reasoning.append(event["text"])
        elif event["type"] == "reasoning_retracted":
            reasoning.clear()
    assert ("".join(reasoning), answer_of(events)) == (kept, ANSWER)
    retracted = any(event["type"] == "reasoning_retracted" for event in events)
    # Only a server without a reasoning field makes the answer pass for reasoning a while.
    assert retracted is (field.startswith("think") and flag == "--think" and not written)


@pytest.mark.parametrize("form", ["think_tags", "think_close_only"])
def test_json_retracts_reasoning_that_was_the_answer(simulator, form):
    simulator.state.enqueue(Script(reasoning="", answer=ANSWER, reasoning_field=form))
    events = json_events(ask(simulator, "--json", "--model", "qwen3-8b", "--think", "hi"))
    types = [event["type"] for event in events]
    retracted = types.index("reasoning_retracted")
    assert events[retracted] == {"type": "reasoning_retracted"}
    assert set(types[:retracted]) == {"reasoning"}
    assert types[retracted + 1 :] == ["answer", "usage", "finish"]
    assert answer_of(events) == ANSWER


def test_text_prints_the_answer_once_and_says_what_the_reasoning_was(simulator):
    simulator.state.enqueue(Script(reasoning="", answer=ANSWER, reasoning_field="think_tags"))
    result = ask(simulator, "--model", "qwen3-8b", "--think", "hi")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == ANSWER
    shown, note, usage = result.stderr.decode().split("\n", 2)
    assert ANSWER.startswith(shown) and shown
    assert note == "note: the text above, shown as reasoning, was the answer"
    assert usage.startswith("tokens: ") and "(0 reasoning)" in usage and "thought" not in usage


def test_hidden_reasoning_needs_no_note(simulator):
    simulator.state.enqueue(Script(reasoning="", answer=ANSWER, reasoning_field="think_tags"))
    result = ask(simulator, "--model", "qwen3-8b", "--think", "--hide-reasoning", "hi")
    assert result.stdout.decode() == ANSWER
    assert result.stderr.decode().startswith("tokens: ")


def test_help_names_the_retraction_event():
    assert b"reasoning_retracted" in thinkchat("ask", "--help").stdout
