"""The system prompt in the app: set, edited and cleared from its dialog (f9, the palette),
sent first on both transports, shown while in force, kept in the history and reopened."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, TextArea

from tests.tui import make_app, notifications, screen_text, send, wire_messages
from thinkchat.history.store import HistoryStore
from thinkchat.ui.screens.history import HistoryScreen
from thinkchat.ui.screens.system_prompt import SystemPromptDialog

SIZE = (140, 40)


async def open_dialog(pilot) -> SystemPromptDialog:
    await pilot.press("f9")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, SystemPromptDialog)
    return dialog


async def write(pilot, text: str) -> None:
    """Replace the dialog's text with `text` (lines typed with enter) and save with ctrl+s."""
    dialog = await open_dialog(pilot)
    dialog.query_one(TextArea).clear()
    for number, line in enumerate(text.split("\n")):
        if number:
            await pilot.press("enter")  # a new line in the text, not a save
        await pilot.press(*line)
    assert isinstance(pilot.app.screen, SystemPromptDialog)
    await pilot.press("ctrl+s")
    await pilot.pause()


def status(app) -> str:
    return screen_text(app).splitlines()[-3]


def stored_system_prompt(tmp_path: Path, conversation_id: int) -> str | None:
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        return store.load_conversation(conversation_id).conversation.system_prompt


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
async def test_a_system_prompt_set_in_the_dialog_goes_first_on_the_wire(
    simulator, tmp_path, transport
):
    app = make_app(simulator, tmp_path, transport=transport)
    async with app.run_test(size=SIZE) as pilot:
        await write(pilot, "Answer in French.\nBe brief.")
        assert "System prompt set" in notifications(app)[-1]
        assert "system Answer in French." in status(app)
        await send(pilot, "hello")
        await send(pilot, "and again")
    assert simulator.state.requests[-1].protocol == (
        "compatible" if transport == "openai" else "native"
    )
    messages = wire_messages(simulator)
    assert [message["role"] for message in messages] == ["system", "user", "assistant", "user"]
    assert messages[0]["content"] == "Answer in French.\nBe brief."
    assert (messages[1]["content"], messages[3]["content"]) == ("hello", "and again")


async def test_edited_mid_conversation_it_is_stored_and_clearing_sends_none(simulator, tmp_path):
    app = make_app(simulator, tmp_path, system_prompt="Be brief.")
    async with app.run_test(size=SIZE) as pilot:
        assert "system Be brief." in status(app)  # the config's default is in force
        await send(pilot, "first")
        assert wire_messages(simulator)[0] == {"role": "system", "content": "Be brief."}
        conversation_id = app.chat_screen.session.conversation.id

        dialog = await open_dialog(pilot)
        assert dialog.query_one(TextArea).text == "Be brief."  # the dialog edits what is in force
        await pilot.press(*" Use lists.", "ctrl+s")
        await pilot.pause()
        assert stored_system_prompt(tmp_path, conversation_id) == "Be brief. Use lists."
        await send(pilot, "second")
        assert wire_messages(simulator)[0] == {"role": "system", "content": "Be brief. Use lists."}

        await open_dialog(pilot)
        await pilot.click("#clear")
        await pilot.pause()
        assert "System prompt cleared" in notifications(app)[-1]
        assert "system " not in status(app)
        assert stored_system_prompt(tmp_path, conversation_id) is None
        await send(pilot, "third")
        assert [m["role"] for m in wire_messages(simulator)] == ["user", "assistant"] * 2 + ["user"]

        # A new conversation starts again from the config's default.
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "system Be brief." in status(app)


async def test_cancel_and_a_blank_save(simulator, tmp_path):
    app = make_app(simulator, tmp_path, system_prompt="Be brief.")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.press(*"changed", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, SystemPromptDialog)
        assert app.chat_screen.session.conversation.system_prompt == "Be brief."

        dialog = await open_dialog(pilot)
        dialog.query_one(TextArea).text = "  \n\n "
        dialog.query_one("#save", Button).press()
        await pilot.pause()
        assert app.chat_screen.session.conversation.system_prompt is None


async def test_the_palette_opens_the_dialog(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"system prompt")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SystemPromptDialog)


async def test_a_conversation_keeps_its_system_prompt_when_reopened(simulator, tmp_path):
    app = make_app(simulator, tmp_path, system_prompt="Be brief.")
    async with app.run_test(size=SIZE) as pilot:
        await write(pilot, "Talk like a pirate.")
        await send(pilot, "ahoy")
        pirate = app.chat_screen.session.conversation.id
        await pilot.press("ctrl+n")
        await pilot.pause()
        await send(pilot, "plain")
        assert wire_messages(simulator)[0]["content"] == "Be brief."

        await pilot.press("ctrl+l")  # reopened from the history
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press(*"ahoy", "enter")
        await pilot.pause()
        assert app.chat_screen.session.conversation.id == pirate
        assert "system Talk like a pirate." in status(app)
        await send(pilot, "more")
        assert wire_messages(simulator)[0] == {"role": "system", "content": "Talk like a pirate."}

    # And on --resume / --continue, which open the app on a stored conversation.
    resumed = make_app(simulator, tmp_path, system_prompt="Be brief.", resume=pirate)
    async with resumed.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "system Talk like a pirate." in status(resumed)
        await send(pilot, "once more")
    assert wire_messages(simulator)[0] == {"role": "system", "content": "Talk like a pirate."}


async def test_a_system_prompt_set_before_the_first_turn_is_stored_with_it(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await write(pilot, "Be terse.")
        assert app.chat_screen.session.conversation.id is None  # nothing stored yet
        await send(pilot, "hi")
        conversation_id = app.chat_screen.session.conversation.id
    assert stored_system_prompt(tmp_path, conversation_id) == "Be terse."
