"""Exporting stored conversations as Markdown and JSON, and `thinkchat export`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator

import pytest
from markdown_it import MarkdownIt

from thinkchat.catalog import SoftSwitch, Thinking
from thinkchat.chat.errors import ChatError, ErrorKind
from thinkchat.chat.events import AnswerDelta, Finished, ReasoningDelta, StreamError, Usage
from thinkchat.chat.turn import Timings, Turn, TurnSettings
from thinkchat.cli.export import run_export
from thinkchat.cli.main import build_parser
from thinkchat.history.export import to_json, to_markdown
from thinkchat.history.store import HistoryStore, StoredConversation

SETTINGS = TurnSettings(
    "qwen3-8b",
    "singapore",
    "openai",
    thinking=Thinking.ON,
    budget=800,
    enable_thinking=True,
    thinking_budget=800,
    expect_reasoning=True,
    soft_switch=SoftSwitch.THINK,
)


@pytest.fixture
def store() -> Iterator[HistoryStore]:
    # The default path: conftest points the data folder at a fresh temporary directory.
    with HistoryStore(HistoryStore.default_path()) as opened:
        yield opened


def record(store: HistoryStore, conversation_id: int, turn: Turn, *events: object) -> Turn:
    store.add_turn(conversation_id, turn)
    for event in events:
        turn.apply(event)  # type: ignore[arg-type]
    store.save_turn(turn)
    return turn


def sample(store: HistoryStore, reasoning: str = "Let me add 2 and 2.") -> StoredConversation:
    """A conversation with a finished turn and a failed one."""
    conversation_id = store.create_conversation(
        model="qwen3-8b", region="singapore", transport="openai", system_prompt="Be brief."
    )
    readings = iter([0.0, 0.5, 3.0, 3.25, 3.5, 4.0])
    record(
        store,
        conversation_id,
        Turn("What is 2+2?", SETTINGS, timings=Timings(clock=lambda: next(readings))),
        ReasoningDelta(reasoning),
        AnswerDelta("It is **4**."),
        Usage(input_tokens=1200, output_tokens=50, reasoning_tokens=30, cached_tokens=1000),
        Finished("stop"),
    )
    record(
        store,
        conversation_id,
        Turn("And 3+3?", SETTINGS),
        AnswerDelta("It is"),
        StreamError(
            ChatError(ErrorKind.SERVER, "internal error", 500, "InternalError", request_id="req-42")
        ),
    )
    return store.load_conversation(conversation_id)


def test_markdown_has_a_heading_details_usage_and_the_error(store):
    markdown = to_markdown(sample(store))
    lines = markdown.splitlines()
    assert lines[0] == "# What is 2+2?"
    assert lines[2].startswith("qwen3-8b · singapore · openai · started ")
    assert "## 1. You\n\nWhat is 2+2?\n\n<details><summary>" in markdown
    assert "<summary>Reasoning (30 tokens, thought for 2.5 s)</summary>" in markdown
    assert "```text\nLet me add 2 and 2.\n```\n\n</details>\n\nIt is **4**." in markdown
    assert "*1,200 input · 50 output (30 reasoning) · 1,000 cached tokens*" in markdown
    second = markdown[markdown.index("## 2. You") :]
    # No reasoning, so no details block, and no usage arrived before the failure.
    assert "<details>" not in second and "cached tokens" not in second
    assert "**Status:** failed" in second
    assert "**Error:** 500 InternalError: internal error (request id `req-42`)" in second
    assert markdown.count("**Status:**") == 1


def test_reasoning_cannot_break_out_of_its_block(store):
    reasoning = "Think:\n```\n</details>\n\n# Injected heading\n`````\nstill thinking"
    markdown = to_markdown(sample(store, reasoning=reasoning))
    assert "``````text\n" in markdown  # one backtick longer than the longest run inside
    tokens = MarkdownIt("commonmark").parse(markdown)
    fences = [token for token in tokens if token.type == "fence"]
    assert [fence.content for fence in fences if "Think:" in fence.content] == [reasoning + "\n"]
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "Injected heading" not in headings
    assert headings == ["What is 2+2?", "1. You", "2. You"]


def test_json_is_the_documented_document(store):
    stored = sample(store)
    document = json.loads(to_json(stored))
    assert list(document) == [
        "id",
        "title",
        "model",
        "region",
        "transport",
        "created_at",
        "updated_at",
        "system_prompt",
        "reasoning_included",
        "turns",
    ]
    assert document["id"] == stored.conversation.id
    assert document["title"] == "What is 2+2?"
    assert document["system_prompt"] == "Be brief."
    assert document["created_at"].endswith("+00:00")
    done, failed = document["turns"]
    assert list(done) == [
        "prompt",
        "reasoning",
        "answer",
        "status",
        "settings",
        "usage",
        "timings",
        "finish_reason",
        "error",
        "alternatives",
    ]
    assert done["alternatives"] == []
    assert done["settings"] == {
        "model": "qwen3-8b",
        "region": "singapore",
        "transport": "openai",
        "thinking": "on",
        "budget": 800,
        "enable_thinking": True,
        "thinking_budget": 800,
        "expect_reasoning": True,
        "soft_switch": "/think",
        "parameters": {},
    }
    assert done["usage"] == {
        "input_tokens": 1200,
        "output_tokens": 50,
        "reasoning_tokens": 30,
        "cached_tokens": 1000,
    }
    assert done["timings"] == pytest.approx(
        {
            "time_to_first_reasoning": 0.5,
            "thinking_duration": 2.5,
            "time_to_first_answer": 3.0,
            "total": 4.0,
        }
    )
    assert (done["status"], done["finish_reason"], done["error"]) == ("done", "stop", None)
    assert (failed["status"], failed["usage"], failed["answer"]) == ("failed", None, "It is")
    assert failed["error"] == {
        "kind": "server",
        "message": "internal error",
        "status": 500,
        "code": "InternalError",
        "request_id": "req-42",
    }


def test_json_keeps_non_ascii_text_readable(store):
    conversation_id = store.create_conversation(model="qwen-plus", region="beijing", transport="x")
    record(store, conversation_id, Turn("天空为什么是蓝色的？", SETTINGS), AnswerDelta("因为…"))
    text = to_json(store.load_conversation(conversation_id))
    assert "天空为什么是蓝色的？" in text
    assert json.loads(text)["turns"][0]["status"] == "cancelled"


def export_arguments(*argv: str) -> argparse.Namespace:
    """`thinkchat export ARGV` as the command line reads it."""
    return build_parser().parse_args(["export", *argv])


@pytest.mark.parametrize("format", ["md", "json"])
def test_run_export_prints_the_conversation(store, capsys, format):
    stored = sample(store)
    arguments = export_arguments(str(stored.conversation.id), "--format", format)
    assert run_export(arguments) == 0
    out = capsys.readouterr().out
    expected = to_markdown(stored) if format == "md" else to_json(stored) + "\n"
    assert out == expected


def test_run_export_of_an_unknown_id_is_a_usage_error(store, capsys):
    latest = sample(store).conversation.id
    assert run_export(export_arguments("9999")) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith("thinkchat: error: no conversation 9999 ")
    assert f"the latest is {latest}" in line


def test_run_export_with_an_empty_history(capsys):
    assert run_export(export_arguments("1", "--format", "json")) == 2
    assert "no conversation 1" in capsys.readouterr().err


def test_markdown_without_the_reasoning_keeps_the_rest(store):
    stored = sample(store, reasoning="SECRET-CHAIN of thought")
    whole, bare = to_markdown(stored), to_markdown(stored, reasoning=False)
    assert "SECRET-CHAIN" in whole and "<details>" in whole
    assert "SECRET-CHAIN" not in bare and "<details>" not in bare
    assert "reasoning not included" in bare.splitlines()[2]
    # Everything else is there as it was: the answers, the usage (reasoning tokens counted),
    # the error.
    assert bare.replace(" · reasoning not included", "") == "\n\n".join(
        part
        for part in whole.split("\n\n")
        if "<details>" not in part and "SECRET-CHAIN" not in part and part != "</details>"
    )
    assert "(30 reasoning)" in bare and "**Error:** " in bare


def test_json_without_the_reasoning_says_so_and_keeps_the_shape(store):
    stored = sample(store, reasoning="SECRET-CHAIN of thought")
    whole = json.loads(to_json(stored))
    bare = json.loads(to_json(stored, reasoning=False))
    assert whole["reasoning_included"] is True and bare["reasoning_included"] is False
    assert whole["turns"][0]["reasoning"] == "SECRET-CHAIN of thought"
    assert [turn["reasoning"] for turn in bare["turns"]] == ["", ""]
    for turn in (*whole["turns"], *bare["turns"]):
        turn.pop("reasoning")
    del whole["reasoning_included"], bare["reasoning_included"]
    assert bare == whole


@pytest.mark.parametrize("format", ["md", "json"])
def test_run_export_no_reasoning(store, capsys, format):
    stored = sample(store, reasoning="SECRET-CHAIN of thought")
    arguments = export_arguments(str(stored.conversation.id), "--format", format, "--no-reasoning")
    assert run_export(arguments) == 0
    out = capsys.readouterr().out
    assert "SECRET-CHAIN" not in out
    assert "It is **4**." in out
    assert out == (
        to_markdown(stored, reasoning=False)
        if format == "md"
        else to_json(stored, reasoning=False) + "\n"
    )
