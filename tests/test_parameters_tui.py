"""In the app: the model-parameters dialog (f12), and editing the last prompt to send it again
(f2), each against the simulator over real HTTP."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, Input

from tests.tui import make_app, notifications, screen_text, send, wire_messages
from thinkchat.chat.turn import TurnStatus
from thinkchat.config.loading import load_config
from thinkchat.history.store import HistoryStore
from thinkchat.simulator import Fault, Script
from thinkchat.ui.screens.parameters import ParametersDialog

SIZE = (140, 40)


def sent(simulator) -> dict:
    body = simulator.state.requests[-1].body
    carried = body.get("parameters", body)
    names = ("temperature", "top_p", "top_k", "presence_penalty", "max_tokens", "seed")
    return {name: carried[name] for name in names if name in carried}


async def open_dialog(pilot) -> ParametersDialog:
    await pilot.press("f12")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ParametersDialog)
    return dialog


async def fill(pilot, dialog: ParametersDialog, field: str, text: str) -> None:
    dialog.query_one(f"#{field}", Input).value = text
    await pilot.pause()


# Model parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
async def test_the_dialogs_values_and_preset_reach_the_wire_and_follow_thinking(
    simulator, tmp_path, transport
):
    app = make_app(simulator, tmp_path, model="qwen3-8b", transport=transport, thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await fill(pilot, dialog, "thinking-temperature", "0.3")
        await fill(pilot, dialog, "plain-top_k", "7")
        await fill(pilot, dialog, "plain-seed", "11")
        dialog.query_one(Checkbox).value = True
        await pilot.pause()
        assert dialog.query_one("#thinking-top_p", Input).placeholder == "0.95 (Qwen3)"
        await pilot.click("#apply")
        await pilot.pause()
        assert not isinstance(app.screen, ParametersDialog)
        assert "params qwen3: temperature=0.3 top_p=0.95 top_k=20" in screen_text(app)
        await send(pilot, "think about it")
        assert sent(simulator) == {"temperature": 0.3, "top_p": 0.95, "top_k": 20}
        await pilot.press("ctrl+t")  # thinking off: the other mode's values
        await pilot.pause()
        assert "params qwen3: temperature=0.7 top_p=0.8 top_k=7 seed=11" in screen_text(app)
        await send(pilot, "quick one")
        assert sent(simulator) == {"temperature": 0.7, "top_p": 0.8, "top_k": 7, "seed": 11}
        assert "Model parameters in use until you quit." in notifications(app)
        app.settings_saver.wait()
    # Applied, not saved: the config file says nothing of them.
    assert load_config(tmp_path / "config.toml").parameters.preset is None


async def test_a_value_out_of_range_is_refused_in_the_dialog(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await fill(pilot, dialog, "plain-temperature", "0.2")
        await fill(pilot, dialog, "thinking-top_p", "1.5")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        # The message wraps at "up".
        assert "Not applied: thinking: top_p = 1.5: expected a number above 0, up" in (
            screen_text(app)
        )
        assert dialog.focused is dialog.query_one("#thinking-top_p", Input)
        await pilot.press("escape")
        await pilot.pause()
        assert app.chat_screen.session.settings.parameters.plain.temperature is None
        assert "params" not in screen_text(app)


async def test_save_as_default_writes_the_config_and_empty_is_not_sent(simulator, tmp_path):
    (tmp_path / "config.toml").write_text("[parameters.plain]\nseed = 3  # old\n")
    app = make_app(simulator, tmp_path, thinking="off")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await fill(pilot, dialog, "plain-max_tokens", "900")
        await pilot.click("#save")
        await pilot.pause()
        app.settings_saver.wait()
        await send(pilot, "hi")
        assert sent(simulator) == {"max_tokens": 900}
        assert "Model parameters in use, and saved as the default." in notifications(app)
    saved = load_config(tmp_path / "config.toml").parameters
    assert saved.parameters.plain.sent() == {"max_tokens": 900}
    assert saved.preset is None


async def test_the_palette_lists_both_keys(tmp_path):
    app = make_app(None, tmp_path, bindings={"model_parameters": "f9"})
    async with app.run_test(size=SIZE) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert any(t.startswith("Model parameters") and "(f9)" in t for t in titles)
        assert any(t.startswith("Edit the last prompt") and "(f2)" in t for t in titles)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ParametersDialog)


# Edit and send again ------------------------------------------------------------------------


async def test_an_edited_prompt_takes_the_last_ones_place_and_keeps_its_answer(simulator, tmp_path):
    simulator.state.enqueue(
        Script(answer="First answer."),
        Script(answer="Old answer."),
        Script(answer="New answer."),
    )
    app = make_app(simulator, tmp_path, thinking="off")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.chat_screen
        await send(pilot, "first question")
        await send(pilot, "second qeustion")
        first, old = screen.session.conversation.turns
        await pilot.press("f2")
        await pilot.pause()
        assert screen.prompt_input.text == "second qeustion"
        assert "Editing prompt 2" in screen_text(app)
        screen.prompt_input.text = "second question"
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The request: the earlier exchange and the edited prompt, not the replaced turn.
        assert wire_messages(simulator) == [
            {"role": "user", "content": "first question"},
            {"role": "assistant", "content": "First answer."},
            {"role": "user", "content": "second question"},
        ]
        turns = screen.session.conversation.turns
        assert turns[0] is first and len(turns) == 2
        new = turns[1]
        assert (new.prompt, new.answer, new.status) == (
            "second question",
            "New answer.",
            TurnStatus.DONE,
        )
        assert new.alternatives == [old]
        text = screen_text(app)
        assert "⇄ 2 answers here" in text and "You · 3" not in text and "Editing" not in text
        assert "Sent in the place of the last prompt; its answer is kept (⇄)." in (
            notifications(app)
        )
        conversation_id = screen.session.conversation.id
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        stored = store.load_conversation(conversation_id).conversation.turns
    assert [turn.prompt for turn in stored] == ["first question", "second question"]
    assert [(other.prompt, other.answer) for other in stored[1].alternatives] == [
        ("second qeustion", "Old answer.")
    ]


async def test_escape_cancels_the_edit_and_nothing_is_sent(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.chat_screen
        await send(pilot, "a question")
        requests = len(simulator.state.requests)
        await pilot.press("f2", "x", "f8")
        await pilot.pause()
        # Comparing would send the edited prompt as a new one: it waits for the edit to end.
        assert app.screen is screen
        assert (
            "Finish the edit first: enter sends it in the last prompt's place, escape cancels it."
            in notifications(app)
        )
        await pilot.press("escape")
        await pilot.pause()
        assert screen.prompt_input.text == ""
        assert "Editing" not in screen_text(app)
        assert "Edit cancelled: the conversation is as it was." in notifications(app)
        # What is sent next is a new prompt.
        await send(pilot, "another")
        assert len(simulator.state.requests) == requests + 1
        assert [turn.prompt for turn in screen.session.conversation.turns] == [
            "a question",
            "another",
        ]


async def test_editing_is_refused_while_streaming_over_typed_text_and_with_no_prompt(
    simulator, tmp_path
):
    simulator.state.enqueue(
        Script(answer="done"),
        Script(reasoning="r1 r2 r3 r4", answer="x", fault=Fault("stall", "reasoning", 2)),
    )
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.chat_screen
        await pilot.press("f2")
        await pilot.pause()
        assert "There is no prompt to edit yet." in notifications(app)
        await send(pilot, "one")
        screen.prompt_input.insert("my draft")
        await pilot.press("f2")
        await pilot.pause()
        assert screen.prompt_input.text == "my draft"  # not lost
        assert (
            "The prompt holds what you typed: send or clear it first, then edit the last "
            "prompt with f2." in notifications(app)
        )
        await pilot.press("enter")
        while screen.panel.log_view.text != "r1 r2":
            await pilot.pause(0.02)
        await pilot.press("f2")
        await pilot.pause()
        assert "Still answering: wait, or press escape to stop it, then edit." in (
            notifications(app)
        )
        assert screen.prompt_input.text == ""
        await pilot.press("escape")
        await app.workers.wait_for_complete()
