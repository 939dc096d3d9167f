"""The TUI on the stream shapes the guide allows: an answer without reasoning never shows in
the reasoning panel, reasoning that turns out to be the answer leaves it, and the answer is
shown, stored and exported once."""

from __future__ import annotations

import json

import pytest

from tests.streams import FIELD_STREAMS, TAG_STREAMS
from tests.tui import make_app, screen_text, send
from thinkchat.history.export import to_json, to_markdown
from thinkchat.history.store import HistoryStore
from thinkchat.simulator import Script
from thinkchat.ui.renderer.reasoning_log import ReasoningLog

SIZE = (140, 40)
ANSWER = "I am Qwen, a large language model from Alibaba Cloud."


def panel_appends(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each text the reasoning panel is given from now on."""
    appended: list[str] = []
    append = ReasoningLog.append

    def recorded(self: ReasoningLog, text: str) -> None:
        if text:
            appended.append(text)
        append(self, text)

    monkeypatch.setattr(ReasoningLog, "append", recorded)
    return appended


def stored(tmp_path, conversation_id: int) -> list[tuple[str, str]]:
    """(reasoning, answer) of each turn as the history keeps it; both exports agree."""
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        conversation = store.load_conversation(conversation_id)
    kept = [(turn.reasoning, turn.answer) for turn in conversation.conversation.turns]
    exported = json.loads(to_json(conversation))["turns"]
    assert [(turn["reasoning"], turn["answer"]) for turn in exported] == kept
    markdown = to_markdown(conversation)
    assert markdown.count("<details>") == sum(1 for reasoning, _ in kept if reasoning)
    for _, answer in kept:
        assert markdown.count(answer) == 1
    return kept


REASONING = "Okay, the user asked who I am."


@pytest.mark.parametrize(("transport", "field"), FIELD_STREAMS + TAG_STREAMS)
async def test_reasoning_then_answer_no_reasoning_and_thinking_off(
    simulator, tmp_path, monkeypatch, transport, field
):
    appended = panel_appends(monkeypatch)
    answers = [f"First answer, {field}.", f"Second answer, {field}.", f"Third answer, {field}."]
    simulator.state.enqueue(
        Script(reasoning=REASONING, answer=answers[0], reasoning_field=field),
        Script(reasoning="", answer=answers[1], reasoning_field=field),
        Script(reasoning=REASONING, answer=answers[2], reasoning_field=field),
    )
    app = make_app(simulator, tmp_path, transport=transport, model="qwen-plus", thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "think, then answer")
        assert "".join(appended) == REASONING
        await send(pilot, "answer without thinking")
        assert app.chat_screen.panel.log_view.text == ""
        if not field.startswith("think"):
            # A field stream never shows answer text in the panel, not even for a moment.
            assert "".join(appended) == REASONING
        await pilot.press("ctrl+t")  # thinking off
        await send(pilot, "no thinking at all")
        assert app.chat_screen.panel.log_view.text == ""
        text = screen_text(app)
        assert all(text.count(answer) == 1 for answer in answers)
        assert text.count("No thinking") == 2 and text.count("Thought for") == 1
        conversation_id = app.chat_screen.session.conversation.id
    assert stored(tmp_path, conversation_id) == [
        (REASONING, answers[0]),
        ("", answers[1]),
        ("", answers[2]),
    ]


@pytest.mark.parametrize("form", ["think_tags", "think_close_only"])
async def test_reasoning_that_was_the_answer_leaves_the_panel(simulator, tmp_path, form):
    # Paced, so that frames draw the text while it still looks like reasoning.
    simulator.state.enqueue(Script(reasoning="", answer=ANSWER, reasoning_field=form, delay=0.05))
    app = make_app(simulator, tmp_path, model="qwen3-8b")  # thinks by default
    async with app.run_test(size=SIZE) as pilot:
        app.chat_screen.prompt_input.insert("who are you")
        await pilot.press("enter")
        await pilot.pause()
        turn = app.chat_screen.session.conversation.turns[0]
        entry = app.chat_screen.conversation_view.entries[0]
        while not app.chat_screen.panel.log_view.text and not turn.finished:
            await pilot.pause(0.02)
        shown, estimated = app.chat_screen.panel.log_view.text, entry.live_reasoning_tokens
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown and ANSWER.startswith(shown)  # it was in the panel while it streamed
        assert estimated > 0
        assert app.chat_screen.panel.log_view.text == ""
        assert entry.live_reasoning_tokens == 0
        text = screen_text(app)
        assert text.count("I am Qwen") == 1
        assert "No thinking" in text and "no thinking" in app.chat_screen.panel.caption
        conversation_id = app.chat_screen.session.conversation.id
    assert stored(tmp_path, conversation_id) == [("", ANSWER)]
