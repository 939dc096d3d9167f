"""When thinking eats the answer, in the app: the cut answer says what happened, and one key
sends it again with more room in its place (the cut one kept as its alternative)."""

from __future__ import annotations

import pytest

from tests.tui import make_app, notifications, screen_text, send, wire_thinking
from thinkchat.chat.request import ModeParameters
from thinkchat.chat.turn import TurnStatus
from thinkchat.history.store import HistoryStore
from thinkchat.simulator import Script
from thinkchat.ui.screens.resend import ResendDialog

# Wide enough for the line that says what happened not to wrap.
SIZE = (200, 40)
CUT = "⚠ Thinking used 60 of 64 output tokens; the answer was cut."


def limit_output(app, tokens: int) -> None:
    """The output limit of the session's requests (the config's model parameters)."""
    screen = app.chat_screen
    parameters = ModeParameters().with_changes(max_tokens=tokens)
    screen.session.settings = screen.session.settings.with_changes(parameters=parameters)


def wire_max_tokens(simulator) -> int | None:
    body = simulator.state.requests[-1].body
    return body.get("max_tokens", body.get("parameters", {}).get("max_tokens"))


async def choose(pilot, downs: int = 0) -> None:
    """Press the resend key, pick the option `downs` below the first, and wait for the answer."""
    app = pilot.app
    await pilot.press("f4")
    await pilot.pause()
    assert isinstance(app.screen, ResendDialog)
    await pilot.press(*["down"] * downs, "enter")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
async def test_a_cut_answer_says_so_and_is_sent_again_with_a_larger_limit_in_its_place(
    simulator, tmp_path, transport
):
    simulator.state.enqueue(
        Script(reasoning_tokens=60, answer_tokens=30),
        Script(reasoning_tokens=60, answer_tokens=30),
    )
    app = make_app(simulator, tmp_path, transport=transport, model="qwen-plus", thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        limit_output(app, 64)
        await send(pilot, "think long")
        (cut,) = app.chat_screen.session.conversation.turns
        assert cut.finish_reason == "length"
        assert f"{CUT} f4: send it again with more room." in screen_text(app)
        await pilot.press("f4")
        await pilot.pause()
        dialog = screen_text(app)
        assert "An output limit of 128 tokens  twice the limit" in dialog
        assert "Thinking off  the whole output goes to the answer" in dialog
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert wire_max_tokens(simulator) == 128
        (again,) = app.chat_screen.session.conversation.turns
        assert again.alternatives == [cut]
        assert again.status is TurnStatus.DONE and again.finish_reason == "stop"
        assert len(again.answer.split()) == 30
        text = screen_text(app)
        assert "⚠" not in text and "You · 1" in text and "You · 2" not in text
        assert "Sent again with an output limit of 128 tokens, for this answer only." in (
            notifications(app)
        )
        # For that answer only: the session's limit is as it was.
        assert app.chat_screen.session.settings.parameters.thinking.max_tokens == 64
        conversation_id = app.chat_screen.session.conversation.id
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        (stored,) = store.load_conversation(conversation_id).conversation.turns
    assert stored.answer == again.answer
    assert [other.answer for other in stored.alternatives] == [cut.answer]


async def test_sent_again_with_thinking_off(simulator, tmp_path):
    simulator.state.enqueue(
        Script(reasoning_tokens=60, answer_tokens=30), Script(reasoning_tokens=60, answer_tokens=30)
    )
    app = make_app(simulator, tmp_path, model="qwen-plus", thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        limit_output(app, 64)
        await send(pilot, "think long")
        await choose(pilot, downs=1)
        assert wire_thinking(simulator) == {"enable_thinking": False}
        assert wire_max_tokens(simulator) == 64
        (again,) = app.chat_screen.session.conversation.turns
        assert again.reasoning == "" and len(again.answer.split()) == 30


async def test_thinking_stopped_at_its_budget_with_no_answer(simulator, tmp_path):
    simulator.state.enqueue(
        Script(reasoning_tokens=100, answer=""), Script(reasoning_tokens=100, answer="Done.")
    )
    app = make_app(simulator, tmp_path, model="qwen3-8b", thinking="on", budget=50)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "think hard")
        assert (
            "⚠ Thinking stopped at its budget of 50 tokens and no answer came. "
            "f4: send it again with more room."
        ) in screen_text(app)
        await choose(pilot)
        assert wire_thinking(simulator) == {"enable_thinking": True, "thinking_budget": 100}
        (again,) = app.chat_screen.session.conversation.turns
        assert again.answer == "Done."
        assert app.chat_screen.session.settings.budget == 50


async def test_only_the_last_answer_names_the_key_and_a_whole_answer_has_nothing_to_resend(
    simulator, tmp_path
):
    simulator.state.enqueue(
        Script(reasoning_tokens=60, answer_tokens=30), Script(reasoning="brief", answer="ok")
    )
    app = make_app(simulator, tmp_path, model="qwen-plus", thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        limit_output(app, 64)
        await send(pilot, "think long")
        await send(pilot, "something short")
        text = screen_text(app)
        # The first answer still says what happened to it; the key is for the last one only.
        assert CUT in text and "send it again" not in text
        await pilot.press("f4")
        await pilot.pause()
        assert not isinstance(app.screen, ResendDialog)
        assert "The last answer was not cut short: there is nothing to send again." in (
            notifications(app)
        )


async def test_the_key_is_rebindable_in_the_palette_and_named_again_after_a_reopen(
    simulator, tmp_path
):
    simulator.state.enqueue(Script(reasoning_tokens=60, answer_tokens=30))
    app = make_app(
        simulator, tmp_path, model="qwen-plus", thinking="on", bindings={"resend_cut": "f9"}
    )
    async with app.run_test(size=SIZE) as pilot:
        limit_output(app, 64)
        await send(pilot, "think long")
        assert f"{CUT} f9: send it again with more room." in screen_text(app)
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert any(
            title.startswith("Send the last answer again") and "(f9)" in title for title in commands
        )
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ResendDialog)
        await pilot.press("escape")
        conversation_id = app.chat_screen.session.conversation.id
    reopened = make_app(
        simulator,
        tmp_path,
        model="qwen-plus",
        resume=conversation_id,
        bindings={"resend_cut": "f9"},
    )
    async with reopened.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert f"{CUT} f9: send it again with more room." in screen_text(reopened)
