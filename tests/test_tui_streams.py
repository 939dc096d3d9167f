"""The TUI on the stream shapes the guide allows: an answer without reasoning never shows in
the reasoning panel, reasoning that turns out to be the answer leaves it, and the answer is
shown, stored and exported once."""

from __future__ import annotations

import json

import pytest

from tests.tui import make_app, screen_text, send
from thinkchat.export import to_json, to_markdown
from thinkchat.simulator import Script
from thinkchat.store import HistoryStore
from thinkchat.ui.widgets.reasoning_log import ReasoningLog

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


def stored_once(tmp_path, conversation_id: int) -> None:
    """The history and both exports keep the answer once, and no reasoning."""
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        stored = store.load_conversation(conversation_id)
    (turn,) = stored.conversation.turns
    assert (turn.reasoning, turn.answer) == ("", ANSWER)
    markdown = to_markdown(stored)
    assert markdown.count("I am Qwen") == 1 and "<details>" not in markdown
    (document,) = json.loads(to_json(stored))["turns"]
    assert (document["reasoning"], document["answer"]) == ("", ANSWER)
    assert document["timings"]["time_to_first_reasoning"] is None


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
async def test_thinking_on_without_reasoning_shows_the_answer_only(
    simulator, tmp_path, monkeypatch, transport
):
    appended = panel_appends(monkeypatch)
    simulator.state.enqueue(Script(reasoning="", answer=ANSWER))
    app = make_app(simulator, tmp_path, transport=transport, model="qwen-plus", thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "who are you")
        assert appended == []
        assert app.panel.log_view.text == ""
        text = screen_text(app)
        assert text.count("I am Qwen") == 1
        assert "No thinking" in text and "no thinking" in app.panel.caption
        conversation_id = app.session.conversation.id
    stored_once(tmp_path, conversation_id)


@pytest.mark.parametrize("form", ["think_tags", "think_close_only"])
async def test_reasoning_that_was_the_answer_leaves_the_panel(simulator, tmp_path, form):
    # Paced, so that frames draw the text while it still looks like reasoning.
    simulator.state.enqueue(Script(reasoning="", answer=ANSWER, reasoning_field=form, delay=0.05))
    app = make_app(simulator, tmp_path, model="qwen3-8b")  # thinks by default
    async with app.run_test(size=SIZE) as pilot:
        app.prompt_input.insert("who are you")
        await pilot.press("enter")
        await pilot.pause()
        turn = app.session.conversation.turns[0]
        entry = app.conversation_view.entries[0]
        while not app.panel.log_view.text and not turn.finished:
            await pilot.pause(0.02)
        shown, estimated = app.panel.log_view.text, entry.live_reasoning_tokens
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown and ANSWER.startswith(shown)  # it was in the panel while it streamed
        assert estimated > 0
        assert app.panel.log_view.text == ""
        assert entry.live_reasoning_tokens == 0
        text = screen_text(app)
        assert text.count("I am Qwen") == 1
        assert "No thinking" in text and "no thinking" in app.panel.caption
        conversation_id = app.session.conversation.id
    stored_once(tmp_path, conversation_id)
