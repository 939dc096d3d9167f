"""Comparing answers in the chat: the dialog, the columns (or tabs), picking, and reopening."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from textual.geometry import Offset
from textual.pilot import Pilot
from textual.widgets import Input, Tabs

from tests.tui import TickClock, make_app, make_config, screen_text
from thinkchat.chat.turn import TurnStatus
from thinkchat.history.store import HistoryStore
from thinkchat.simulator import Fault, RequestMatch, Script
from thinkchat.ui.app import ThinkChatApp
from thinkchat.ui.screens.chat.compare.dialog import CompareDialog
from thinkchat.ui.screens.chat.compare.screen import CompareScreen
from thinkchat.ui.screens.model_picker import ModelPicker

WIDE = (140, 40)
NARROW = (90, 40)
THINKING = RequestMatch(enable_thinking=True)
PLAIN = RequestMatch(enable_thinking=False)
WAIT_LIMIT = 20.0


async def wait_until(pilot: Pilot, condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.02)


def two_answers(simulator) -> None:
    simulator.state.enqueue(
        Script(reasoning="Light scatters.", answer="Rayleigh scattering, mostly."), when=THINKING
    )
    simulator.state.enqueue(Script(answer="Because of scattering."), when=PLAIN)


async def open_dialog(pilot: Pilot, prompt: str) -> CompareDialog:
    app = pilot.app
    app.chat_screen.prompt_input.insert(prompt)
    await pilot.press("f8")
    await wait_until(pilot, lambda: isinstance(app.screen, CompareDialog), "the dialog")
    return app.screen


async def compare(pilot: Pilot, prompt: str) -> CompareScreen:
    """Compare `prompt` under the default pair, and wait until every variant has ended."""
    await open_dialog(pilot, prompt)
    await pilot.press("enter")
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "the compare screen")
    screen = app.screen
    await wait_until(pilot, lambda: not screen.streaming, "every variant to end")
    await pilot.pause()
    return screen


def column_text(screen: CompareScreen, index: int) -> str:
    return "\n".join(screen.columns[index].view.lines)


async def test_the_variants_stream_side_by_side_and_the_one_picked_goes_on(simulator, tmp_path):
    two_answers(simulator)
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        dialog = await open_dialog(pilot, "Why is the sky blue?")
        text = screen_text(app)
        # A hybrid model: thinking on against off, each described as it will be asked.
        assert dialog.query_one(Input).value == "think,no-think"
        assert "1 · think: qwen-plus, thinking, openai, singapore" in text
        assert "2 · no-think: qwen-plus, no thinking, openai, singapore" in text
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "the screen")
        screen = app.screen
        await wait_until(pilot, lambda: not screen.streaming, "both variants to end")
        await pilot.pause()
        assert not screen.has_class("-tabs")  # wide enough for columns
        assert all(column.region.width > 0 for column in screen.columns)
        assert "Rayleigh scattering, mostly." in column_text(screen, 0)
        assert "Because of scattering." in column_text(screen, 1)
        assert screen.columns[0].panel.reasoning == "Light scatters."
        assert screen.columns[1].panel.reasoning == ""
        text = screen_text(app)
        assert "1 · think · qwen-plus, thinking, openai, singapore · chosen" in text
        summary = [line.split() for line in text.splitlines() if line.startswith(" 2 no-think")]
        assert summary and summary[0][-1] == "done" and "0*" in summary[0]  # no reasoning: better
        assert "* better: lower times, tokens and cost; more cached tokens" in text

        await pilot.press("2")
        await wait_until(pilot, lambda: screen is not app.screen, "the chat")
        await pilot.pause()
        conversation = app.chat_screen.session.conversation
        (chosen,) = conversation.turns
        assert chosen.answer == "Because of scattering."
        assert [other.answer for other in chosen.alternatives] == ["Rayleigh scattering, mostly."]
        text = screen_text(app)
        assert "⇄ 2 answers here · click, or f8 with an empty prompt" in text
        assert "Because of scattering." in text and "Rayleigh" not in text
        # A click on the note shows the answers again.
        rows = text.splitlines()
        y = next(y for y, row in enumerate(rows) if "⇄ 2 answers here" in row)
        await pilot.click(offset=Offset(rows[y].index("⇄") + 2, y))
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "the answers")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.chat_screen, "the chat")
        assert app.chat_screen.prompt_input.text == ""  # sent, as enter would
        # The next prompt is sent with the answer picked.
        simulator.state.enqueue(Script(answer="Sunsets are red for the same reason."))
        app.chat_screen.prompt_input.focus()  # the click went to the conversation
        app.chat_screen.prompt_input.insert("And sunsets?")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        body = simulator.state.requests[-1].body
        assert [m["content"] for m in body["messages"]][-2] == "Because of scattering."
    stored = HistoryStore(tmp_path / "history.sqlite3").load_conversation(conversation.id)
    first = stored.conversation.turns[0]
    assert (first.answer, [t.answer for t in first.alternatives]) == (
        "Because of scattering.",
        ["Rayleigh scattering, mostly."],
    )
    assert [request.body["model"] for request in simulator.state.requests] == ["qwen-plus"] * 3


async def test_a_variant_failing_shows_its_error_in_its_column_while_the_other_streams_on(
    simulator, tmp_path
):
    simulator.state.enqueue(Script(fault=Fault("rate_limit", retry_after=4)), when=THINKING)
    simulator.state.enqueue(Script(answer="Still answering. " * 40, delay=0.005), when=PLAIN)
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await compare(pilot, "hello")
        thinking, plain = screen.turns
        assert thinking.status is TurnStatus.FAILED and plain.status is TurnStatus.DONE
        # The failure came before the other's end: it went on streaming to the end.
        assert thinking.timings.ended < plain.timings.ended
        failed = column_text(screen, 0)
        assert "429" in failed and "Rate limited: wait 4 s, then send the prompt again." in failed
        assert "Still answering." in column_text(screen, 1)
        ended = [line.split() for line in screen_text(app).splitlines() if " failed (" in line]
        assert ended and ended[0][:2] == ["1", "think"]


async def test_escape_stops_every_variant_and_keeps_what_arrived(simulator, tmp_path):
    simulator.state.enqueue(
        Script(reasoning="Thinking about it", fault=Fault("stall", "reasoning", 2)), when=THINKING
    )
    simulator.state.enqueue(Script(answer="Half an", fault=Fault("stall", after=2)), when=PLAIN)
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await open_dialog(pilot, "hello")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "the screen")
        screen = app.screen
        thinking, plain = screen.turns
        await wait_until(
            pilot,
            lambda: screen.columns[0].panel.reasoning and "Half" in column_text(screen, 1),
            "both variants to stall",
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.streaming, "the stop")
        assert thinking.status is plain.status is TurnStatus.CANCELLED
        assert thinking.reasoning == "Thinking about" and plain.answer == "Half an"
        assert app.screen is screen  # stopped, still there to read and pick
        assert "stopped" in column_text(screen, 1)
        await pilot.press("escape")  # now it closes, going on with the first
        await wait_until(pilot, lambda: app.screen is app.chat_screen, "the chat")
        (turn,) = app.chat_screen.session.conversation.turns
        assert turn is thinking and turn.alternatives == [plain]


async def test_on_a_narrow_terminal_the_variants_are_tabs(simulator, tmp_path):
    two_answers(simulator)
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = await compare(pilot, "Why is the sky blue?")
        assert screen.has_class("-tabs")
        tabs = screen.query_one(Tabs)
        assert [tab.label_text for tab in tabs.query("Tab")] == ["1 think ✓", "2 no-think ✓"]
        assert screen.columns[0].region.width == NARROW[0]
        assert screen.columns[1].region.width == 0  # behind its tab
        assert "Rayleigh scattering, mostly." in screen_text(app)
        await pilot.press("tab")  # the next variant, shown
        await pilot.pause()
        assert screen.columns[1].region.width == NARROW[0]
        assert screen.columns[0].region.width == 0
        assert tabs.active == "variant-1"
        assert "Because of scattering." in screen_text(app)
        tabs.action_previous_tab()  # its tab shows it too
        await pilot.pause()
        assert screen.columns[0].region.width == NARROW[0]
        await pilot.press("shift+tab")
        await pilot.pause()
        assert screen.columns[1].region.width == NARROW[0]
        await pilot.press("enter")  # picks the variant shown
        await wait_until(pilot, lambda: app.screen is app.chat_screen, "the chat")
        (turn,) = app.chat_screen.session.conversation.turns
        assert turn.answer == "Because of scattering."


async def test_the_dialog_says_what_is_wrong_and_sends_nothing(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        dialog = await open_dialog(pilot, "hello")
        field = dialog.query_one(Input)
        field.value = "think,model=deepseek-r1"
        await pilot.pause()
        assert "variant 2 (model=deepseek-r1): deepseek-r1 is served in Beijing only" in (
            screen_text(app)
        )
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        field.value = "think,budget=-3"
        await pilot.pause()
        assert "the thinking budget must be at least 1 token, not -3" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.chat_screen
        assert app.chat_screen.prompt_input.text == "hello"  # kept, as it was not sent
    assert simulator.state.requests == []


async def test_a_model_without_a_default_pair_is_compared_with_one_the_user_picks(
    simulator, tmp_path
):
    app = make_app(simulator, tmp_path, model="qwq-plus")
    async with app.run_test(size=WIDE) as pilot:
        dialog = await open_dialog(pilot, "hello")
        field = dialog.query_one(Input)
        assert field.value == "model=qwq-plus,model="
        assert "model= needs a value" in screen_text(app)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, ModelPicker), "the picker")
        await pilot.press(*"qwen3-max", "enter")
        await wait_until(pilot, lambda: app.screen is dialog, "the dialog")
        assert field.value == "model=qwq-plus,model=qwen3-max"
        assert "2 · model=qwen3-max: qwen3-max, no thinking, openai, singapore" in screen_text(app)


async def test_a_comparison_is_reopened_from_the_history_and_another_answer_picked(
    simulator, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    two_answers(simulator)
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await compare(pilot, "Why is the sky blue?")
        await pilot.press("escape")  # goes on with the first
        await wait_until(pilot, lambda: app.screen is app.chat_screen, "the chat")
        conversation_id = app.chat_screen.session.conversation.id
    # Another run of thinkchat, reopening that conversation.
    app = ThinkChatApp(
        make_config(simulator, tmp_path),
        store=HistoryStore(tmp_path / "history.sqlite3"),
        resume=conversation_id,
        clock=TickClock(),
    )
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert "⇄ 2 answers here · click, or f8 with an empty prompt" in screen_text(app)
        await pilot.press("f8")  # the prompt is empty: the chosen turn's answers
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "the answers")
        screen = app.screen
        await pilot.pause()
        assert not screen.streaming
        assert "Rayleigh scattering, mostly." in column_text(screen, 0)
        assert "Because of scattering." in column_text(screen, 1)
        assert "1 · qwen-plus, thinking, openai, singapore · chosen" in screen_text(app)
        await pilot.press("2")
        await wait_until(pilot, lambda: app.screen is app.chat_screen, "the chat")
        await pilot.pause()
        (turn,) = app.chat_screen.session.conversation.turns
        assert turn.answer == "Because of scattering."
        assert "Because of scattering." in screen_text(app)
        assert app.chat_screen.panel.shown_turn is turn
        # Both answers go into the exports, the one picked first.
        markdown = app.chat_screen.export_conversation("md")
        document = app.chat_screen.export_conversation("json")
    text = markdown.read_text(encoding="utf-8")
    assert text.index("Because of scattering.") < text.index("1.1. Another answer")
    assert text.index("1.1. Another answer") < text.index("Rayleigh scattering, mostly.")
    (exported,) = json.loads(document.read_text(encoding="utf-8"))["turns"]
    assert exported["answer"] == "Because of scattering."
    assert [other["answer"] for other in exported["alternatives"]] == [
        "Rayleigh scattering, mostly."
    ]
    # And the history is searched in every answer.
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        assert [found.id for found in store.search("Rayleigh")] == [conversation_id]
        (turn,) = store.load_conversation(conversation_id).conversation.turns
        assert turn.answer == "Because of scattering."


async def test_with_the_prompt_empty_the_key_shows_answers_and_the_palette_offers_both(
    simulator, tmp_path
):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        assert app.screen is app.chat_screen
        (said,) = [n.message for n in app._notifications]
        assert said.startswith("No answers to compare here yet: type a prompt, then press f8")
        titles = [command.title for command in app.get_system_commands(app.chat_screen)]
        assert any(title.startswith("Compare answers: send the prompt under") for title in titles)
        assert "Show the chosen turn's answers side by side" in titles


async def test_the_compare_key_can_be_rebound(simulator, tmp_path):
    two_answers(simulator)
    app = make_app(simulator, tmp_path, bindings={"compare": "f6"})
    async with app.run_test(size=WIDE) as pilot:
        app.chat_screen.prompt_input.insert("Why?")
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareDialog), "the dialog")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "the screen")
        screen = app.screen
        await wait_until(pilot, lambda: not screen.streaming, "the end")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.chat_screen, "the chat")
        assert "click, or f6 with an empty prompt" in screen_text(app)
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "the answers")


async def test_the_summary_compares_the_cost_where_a_price_is_known(simulator, tmp_path):
    simulator.state.enqueue(Script(reasoning="long thoughts " * 40, answer="Dear."), when=THINKING)
    simulator.state.enqueue(Script(answer="Cheap."), when=PLAIN)
    app = make_app(simulator, tmp_path, model="deepseek-v3.1", region="beijing")
    async with app.run_test(size=WIDE) as pilot:
        screen = await compare(pilot, "hello")
        thinking, plain = screen.turns
        assert thinking.cost is not None and plain.cost is not None
        rows = screen_text(app).splitlines()
        header = next(row for row in rows if " variant " in row)
        at = header.index("cost")
        cells = [row[at:].split()[0] for row in rows if row.startswith((" 1 think", " 2 no-think"))]
        assert cells == [thinking.cost.text(), plain.cost.text() + "*"]
