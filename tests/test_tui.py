"""The TUI, driven with Textual's pilot, talking real HTTP to the simulator."""

from __future__ import annotations

import asyncio
import gc
import re
import stat
import time

import pytest
from textual import events
from textual.screen import Screen
from textual.widgets import OptionList

from tests.tui import make_app, notifications, screen_text, send, wire_messages, wire_thinking
from thinkchat.chat.turn import Turn, TurnSettings, TurnStatus
from thinkchat.simulator import Fault, Script
from thinkchat.simulator.text import tokens
from thinkchat.ui.renderer.blocks import BlockKind
from thinkchat.ui.renderer.conversation import ConversationView
from thinkchat.ui.screens.budget import BudgetDialog
from thinkchat.ui.screens.chat.turns import IDLE_SECONDS
from thinkchat.ui.screens.first_run import FirstRunScreen
from thinkchat.ui.screens.model_picker import ModelPicker
from thinkchat.ui.screens.region_picker import RegionPicker
from thinkchat.ui.widgets.reasoning_panel import PanelTitle, ReasoningPanel

SIZE = (140, 40)


async def test_the_screen_gives_the_focus_to_the_prompt_when_nothing_has_it(tmp_path):
    # Textual would focus the first focusable widget, the conversation (as it did at start-up,
    # styling it for focus and then for its loss before the first frame).
    app = make_app(None, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.focused is app.chat_screen.prompt_input
        app.screen.set_focus(None)
        await app.push_screen(Screen())
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        assert app.focused is app.chat_screen.prompt_input


@pytest.mark.parametrize("transport", ["openai", "dashscope"])
async def test_a_multi_turn_exchange(simulator, tmp_path, transport):
    simulator.state.enqueue(
        Script(reasoning="First I think about it.", answer="**One** answer."),
        Script(reasoning="Now the second.", answer="Two."),
    )
    app = make_app(simulator, tmp_path, transport=transport, model="qwen3-8b")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "first question")
        await send(pilot, "second question")
        views = app.chat_screen.conversation_view.entries
        assert [v.turn.status for v in views] == [TurnStatus.DONE, TurnStatus.DONE]
        assert app.chat_screen.panel.log_view.text == "Now the second."
        text = screen_text(app)
        assert "One answer." in text and "Two." in text
        assert "Thought for" in text
        assert "last " in text and "conversation " in text
    assert wire_messages(simulator) == [
        {"role": "user", "content": "first question"},
        {"role": "assistant", "content": "**One** answer."},
        {"role": "user", "content": "second question"},
    ]
    assert "First I think" not in str(simulator.state.requests[-1].body)
    expected_path = "compatible-mode" if transport == "openai" else "/api/v1/"
    assert expected_path in simulator.state.requests[-1].path


async def test_reasoning_streams_live_into_the_panel(simulator, tmp_path):
    simulator.state.enqueue(
        Script(reasoning="r1 r2 r3 r4 r5 r6", answer="done", fault=Fault("stall", "reasoning", 3))
    )
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        app.chat_screen.prompt_input.insert("think")
        await pilot.press("enter")
        while app.chat_screen.panel.log_view.text != "r1 r2 r3":
            await pilot.pause(0.02)
        assert "Thinking… ~3 tokens" in screen_text(app)  # a token a delta at least
        assert "streaming" in app.chat_screen.panel.caption
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        turn = app.chat_screen.session.conversation.turns[0]
        assert turn.status is TurnStatus.CANCELLED
        assert turn.reasoning == "r1 r2 r3"
        assert "Thinking stopped after" in screen_text(app)
        assert "stopped" in app.chat_screen.panel.caption
    await asyncio.to_thread(
        simulator.state.wait_for, lambda requests: requests[-1].outcome == "client_disconnected"
    )


async def test_live_token_counts_hold_when_a_delta_carries_many_tokens(simulator, tmp_path):
    # A fast service sends many tokens a delta: counting deltas showed a twentieth of them.
    sentence = "The model keeps thinking about the question and what it asks for. "
    shown = "".join(tokens(sentence * 20)[:100])
    stalled = Script(
        reasoning=sentence * 20,
        answer="done",
        tokens_per_event=20,
        fault=Fault("stall", "reasoning", 100),
    )
    simulator.state.enqueue(stalled, Script(reasoning=sentence * 20, answer="done"), stalled)
    app = make_app(simulator, tmp_path, thinking="on")

    async def live_count(pilot) -> int:
        app.chat_screen.prompt_input.insert("think")
        await pilot.press("enter")
        while app.chat_screen.panel.log_view.text != shown:
            await pilot.pause(0.02)
        await pilot.pause()
        found = re.search(r"Thinking… ~(\d+) tokens", screen_text(app))
        assert found, screen_text(app)
        assert f"~{found[1]} tokens · streaming" in app.chat_screen.panel.caption
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        return int(found[1])

    async with app.run_test(size=SIZE) as pilot:
        # Estimated from about 670 characters: near the simulator's 100 (a token a word).
        assert 50 <= await live_count(pilot) <= 200
        await send(pilot, "think")
        # Scaled by the turn the simulator has counted since.
        assert 95 <= await live_count(pilot) <= 105


async def test_a_stored_turn_the_service_never_counted_shows_an_estimate(tmp_path):
    # Stopped while thinking, it has no usage: its reasoning is estimated, not shown as 0.
    settings = TurnSettings(model="qwen-plus", region="singapore", transport="openai")
    turn = Turn.restored("q", settings, "word " * 400, "", status=TurnStatus.CANCELLED)
    app = make_app(None, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.chat_screen.conversation_view.add_turn(turn)
        await pilot.pause()
        assert "~500 tokens so far" in screen_text(app)  # 2,000 characters


async def test_escape_keeps_a_partial_answer(simulator, tmp_path):
    simulator.state.enqueue(Script(answer="a1 a2 a3 a4 a5", fault=Fault("stall", "answer", 2)))
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.chat_screen.prompt_input.insert("go")
        await pilot.press("enter")
        turn = None
        while turn is None or turn.answer != "a1 a2":
            await pilot.pause(0.02)
            turn = app.chat_screen.session.conversation.turns[0]
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert turn.status is TurnStatus.CANCELLED
        assert "a1 a2" in screen_text(app)
        assert "stopped" in screen_text(app)
        # The app stays usable: the next prompt goes through.
        await send(pilot, "next")
        assert app.chat_screen.session.conversation.turns[-1].status is TurnStatus.DONE


async def test_empty_prompt_is_not_sent(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space", "enter")
        await pilot.pause()
        assert app.chat_screen.session.conversation.turns == []
    assert simulator.state.requests == []


async def test_ctrl_j_inserts_a_new_line_and_enter_sends_both(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "ctrl+j", "b", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert wire_messages(simulator)[-1]["content"] == "a\nb"


async def test_up_and_down_recall_earlier_prompts(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "one")
        await send(pilot, "two")
        app.chat_screen.prompt_input.insert("draft")
        await pilot.press("up")
        assert app.chat_screen.prompt_input.text == "two"
        await pilot.press("up")
        assert app.chat_screen.prompt_input.text == "one"
        await pilot.press("down", "down")
        assert app.chat_screen.prompt_input.text == "draft"


async def test_typed_keys_are_handled_in_order(simulator, tmp_path):
    """A burst of keys (as from tmux send-keys) is applied in the order typed."""
    app = make_app(simulator, tmp_path, model="qwen3-8b")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"hello", "ctrl+s", "ctrl+s", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert wire_messages(simulator)[-1]["content"] == "hello /no_think"


async def test_ctrl_t_toggles_thinking_for_the_next_request(simulator, tmp_path):
    app = make_app(simulator, tmp_path, model="qwen-plus")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "a")
        assert wire_thinking(simulator) == {"enable_thinking": False}
        await pilot.press("ctrl+t")
        assert "thinking on" in screen_text(app)
        await send(pilot, "b")
        assert wire_thinking(simulator) == {"enable_thinking": True}
        await pilot.press("ctrl+t")
        await send(pilot, "c")
        assert wire_thinking(simulator) == {"enable_thinking": False}


async def test_ctrl_t_explains_thinking_only_models(simulator, tmp_path):
    app = make_app(simulator, tmp_path, model="qwq-plus")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        assert any("always thinks" in n for n in notifications(app))
        assert "on (locked)" in screen_text(app)
        await send(pilot, "x")
    assert wire_thinking(simulator) == {}


async def test_budget_dialog_refuses_bad_values_then_sets_one(simulator, tmp_path):
    app = make_app(simulator, tmp_path, model="qwen-plus", thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+b")
        assert isinstance(app.screen, BudgetDialog)
        for bad, reason in (
            ("abc", "not a whole number"),
            ("-5", "at least 1"),
            ("0", "at least 1"),
        ):
            await pilot.press(*bad, "enter")
            assert isinstance(app.screen, BudgetDialog)
            assert reason in screen_text(app)
            for _ in bad:
                await pilot.press("backspace")
        await pilot.press(*"250", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, BudgetDialog)
        assert "budget 250 tokens" in screen_text(app)
        await send(pilot, "x")
        assert wire_thinking(simulator) == {"enable_thinking": True, "thinking_budget": 250}
        await pilot.press("ctrl+b")
        for _ in "250":
            await pilot.press("backspace")
        await pilot.press("enter")
        await pilot.pause()
        assert "budget no limit" in screen_text(app)
        await send(pilot, "y")
        assert wire_thinking(simulator) == {"enable_thinking": True}


async def test_budget_dialog_says_when_the_model_ignores_budgets(simulator, tmp_path):
    app = make_app(simulator, tmp_path, model="deepseek-r1", region="beijing")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+b")
        assert "deepseek-r1 ignores thinking budgets" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, BudgetDialog)


async def test_model_picker_filters_and_chooses(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, ModelPicker)
        text = screen_text(app)
        assert "Qwen-Plus (Qwen3 commercial)" in text and "hybrid, off by default" in text
        assert app.screen.highlighted_id == "qwen-plus"  # it opens on the current model
        await pilot.press(*"qwq 32")
        await pilot.press("enter")
        await pilot.pause()
        assert app.chat_screen.session.settings.model == "qwq-32b"
        assert "model qwq-32b" in screen_text(app)


async def test_model_picker_takes_any_other_name(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await pilot.press(*"my-own-model")
        assert "treated as hybrid" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.chat_screen.session.settings.model == "my-own-model"
        assert any("not in thinkchat's model list" in n for n in notifications(app))


async def test_region_picker_offers_a_model_the_region_serves(simulator, tmp_path):
    app = make_app(simulator, tmp_path, model="deepseek-r1", region="beijing")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, RegionPicker)
        await pilot.press("up", "up", "enter")  # Singapore
        await pilot.pause()
        assert "not served in Singapore" in screen_text(app)
        await pilot.press("enter")  # "Switch both"
        await pilot.pause()
        settings = app.chat_screen.session.settings
        assert (settings.region, settings.model) == ("singapore", "qwen3-next-80b-a3b-thinking")
        assert "region Singapore" in screen_text(app)


async def test_region_picker_switches_region_when_served(simulator, tmp_path):
    app = make_app(simulator, tmp_path, model="qwen-plus")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r", "down", "enter")
        await pilot.pause()
        assert app.chat_screen.session.settings.region == "virginia"


async def test_region_picker_moves_to_the_region_typed(simulator, tmp_path):
    app = make_app(simulator, tmp_path, model="qwen-plus")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        options = app.screen.query_one(OptionList)

        async def typed(*keys: str) -> str | None:
            await pilot.press(*keys)
            return options.get_option_at_index(options.highlighted or 0).id

        assert await typed("b") == "beijing"
        assert await typed("v") == "virginia"
        assert await typed("s", "i") == "singapore"
        assert await typed("x") == "singapore"  # no region begins with x: it stays
        assert await typed("s", "s") == "singapore"  # the only one that begins with s
        assert await typed("B") == "beijing"
        await pilot.press("enter")
        await pilot.pause()
        assert app.chat_screen.session.settings.region == "beijing"


async def test_typing_in_the_region_picker_leaves_an_offer_for_another_region(simulator, tmp_path):
    app = make_app(simulator, tmp_path, model="deepseek-r1", region="beijing")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r", "s", "enter")
        await pilot.pause()
        assert "not served in Singapore" in screen_text(app)
        await pilot.press("b")
        await pilot.pause()
        assert "not served in Singapore" not in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, RegionPicker)
        settings = app.chat_screen.session.settings
        assert (settings.region, settings.model) == ("beijing", "deepseek-r1")


async def test_ctrl_g_switches_transport_and_the_conversation_continues(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "over openai")
        await pilot.press("ctrl+g")
        assert "via DashScope SDK" in screen_text(app)
        await send(pilot, "over dashscope")
    first, second = simulator.state.requests
    assert first.protocol == "compatible" and second.protocol == "native"
    assert [m["content"] for m in wire_messages(simulator)][::2] == [
        "over openai",
        "over dashscope",
    ]


async def test_ctrl_s_cycles_the_soft_switch(simulator, tmp_path):
    app = make_app(simulator, tmp_path, model="qwen3-8b")
    async with app.run_test(size=SIZE) as pilot:
        app.chat_screen.prompt_input.insert("question")
        texts = []
        for _ in range(3):
            await pilot.press("ctrl+s")
            texts.append(app.chat_screen.prompt_input.text)
        assert texts == ["question /think", "question /no_think", "question"]
        await pilot.press("ctrl+s", "ctrl+s")
        assert "switch /no_think" in screen_text(app)


async def test_ctrl_s_on_a_model_that_ignores_switches_suggests_ctrl_t(simulator, tmp_path):
    app = make_app(simulator, tmp_path, model="qwen-plus")
    async with app.run_test(size=SIZE) as pilot:
        app.chat_screen.prompt_input.insert("question")
        await pilot.press("ctrl+s")
        assert app.chat_screen.prompt_input.text == "question"
        assert any("ignores /think" in n and "ctrl+t" in n for n in notifications(app))


async def test_ctrl_f_and_a_click_on_the_title_collapse_the_panel(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.query_one(ReasoningPanel)
        assert not panel.collapsed
        await pilot.press("ctrl+f")
        assert panel.collapsed and panel.size.height == 1
        await pilot.click(PanelTitle)
        assert not panel.collapsed
        await pilot.click(PanelTitle)
        assert panel.collapsed
    assert 'reasoning_panel = "collapsed"' in (tmp_path / "config.toml").read_text()


async def test_earlier_answers_show_their_reasoning(simulator, tmp_path):
    simulator.state.enqueue(Script(reasoning="first thoughts"), Script(reasoning="second thoughts"))
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "one")
        await send(pilot, "two")
        assert app.chat_screen.panel.log_view.text == "second thoughts"
        await pilot.press("ctrl+up")
        await pilot.press("ctrl+up")
        assert app.chat_screen.panel.log_view.text == "first thoughts"
        assert "turn 1" in app.chat_screen.panel.caption
        await pilot.press("ctrl+down")
        assert app.chat_screen.panel.log_view.text == "second thoughts"
        # A click on a turn's thinking summary opens its reasoning, even from collapsed.
        await pilot.press("ctrl+f")
        view = app.chat_screen.conversation_view
        summary_line = view.line_of(view.entries[0], BlockKind.SUMMARY)
        view.scroll_to(y=summary_line, animate=False, immediate=True)
        await pilot.pause()
        await pilot.click(ConversationView, offset=(4, summary_line - round(view.scroll_y)))
        assert app.chat_screen.panel.log_view.text == "first thoughts"
        assert not app.chat_screen.panel.collapsed


async def test_ctrl_n_starts_a_new_conversation(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "old")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.chat_screen.conversation_view.entries == []
        await send(pilot, "fresh")
    assert wire_messages(simulator) == [{"role": "user", "content": "fresh"}]


async def test_ctrl_q_quits(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (Fault("auth"), ["401 invalid_api_key", "Check the API key for Singapore"]),
        (Fault("rate_limit", retry_after=9), ["429 limit_requests", "wait 9 s"]),
        (Fault("not_found"), ["404 model_not_found", "ctrl+o"]),
        (Fault("drop", "answer", 2), ["ConnectionDropped", "f5 to retry"]),
    ],
)
async def test_errors_show_inside_the_turn_and_the_app_goes_on(
    simulator, tmp_path, fault, expected
):
    simulator.state.enqueue(Script(answer="a1 a2 a3 a4", fault=fault))
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hi")
        turn = app.chat_screen.session.conversation.turns[0]
        assert turn.status is TurnStatus.FAILED
        text = screen_text(app)
        for piece in expected:
            assert piece in text
        assert turn.error is not None and turn.error.request_id in text
        if fault.kind == "drop":
            assert turn.answer == "a1 a2" and "a1 a2" in text
        await pilot.press("f5")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.chat_screen.session.conversation.turns[-1].status is TurnStatus.DONE
        assert wire_messages(simulator)[-1]["content"] == "hi"
        assert "Traceback" not in screen_text(app)


async def test_model_output_is_shown_as_text(simulator, tmp_path):
    hostile = (
        "[bold red]not bold[/] [link=http://evil]x[/link] \x1b[31mred\x1b[0m \x1b]0;title\x07end"
    )
    simulator.state.enqueue(Script(reasoning=hostile, answer=hostile))
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "[b]prompt[/b]")
        text = screen_text(app)
        assert "[bold red]not bold[/]" in text
        assert "[link=http://evil]x[/link]" in text
        assert "[b]prompt[/b]" in text
        assert "\x1b" not in text and "\x07" not in text
        assert "[bold red]not bold[/]" in app.chat_screen.panel.log_view.text


async def test_narrow_terminals_put_the_panel_below(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        conversation = app.chat_screen.conversation_view.region
        panel = app.chat_screen.panel.region
        assert panel.y > conversation.y
        assert panel.width == conversation.width
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        assert app.chat_screen.panel.region.x > app.chat_screen.conversation_view.region.x


@pytest.mark.parametrize("width", [80, 100, 140])
async def test_the_footer_ends_with_the_palette_key_at_any_width(simulator, tmp_path, width):
    # The keys that do not fit run on under the palette key, docked at the right: no letter of
    # them may show past it.
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=(width, 40)) as pilot:
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert footer.rstrip().endswith("^p palette")


async def test_first_run_without_a_key_takes_one_and_saves_it(simulator, tmp_path):
    app = make_app(simulator, tmp_path, api_keys={})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        text = screen_text(app)
        assert "DASHSCOPE_API_KEY" in text and str(tmp_path / "config.toml") in text
        await pilot.press(*"sk-simulator-0000", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, FirstRunScreen)
        assert "sk-simulator-0000" not in screen_text(app)
        await send(pilot, "hello")
        assert app.chat_screen.session.conversation.turns[0].status is TurnStatus.DONE
    config = tmp_path / "config.toml"
    assert 'singapore = "sk-simulator-0000"' in config.read_text()
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


async def test_first_run_quit(tmp_path):
    app = make_app(None, tmp_path, api_keys={})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert not (tmp_path / "config.toml").exists()


async def test_keys_are_rebindable_from_the_config(simulator, tmp_path):
    app = make_app(
        simulator, tmp_path, bindings={"toggle_thinking": "f3", "send": "ctrl+d", "nonsense": "f9"}
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        assert app.chat_screen.session.settings.thinking.value == "on"
        await pilot.press("x", "enter")
        assert app.chat_screen.prompt_input.text == "x\n"
        await pilot.press("ctrl+d")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert any("nonsense" in n for n in notifications(app))
        assert "f3" in screen_text(app)  # the footer shows the new key
    assert wire_messages(simulator)[-1]["content"] == "x"


async def test_every_key_is_in_the_command_palette(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE):
        titles = [command.title for command in app.get_system_commands(app.screen)]
    for key in (
        "ctrl+t",
        "ctrl+b",
        "ctrl+o",
        "ctrl+r",
        "ctrl+g",
        "ctrl+s",
        "ctrl+f",
        "escape",
        "ctrl+n",
        "f5",
        "ctrl+j",
    ):
        assert any(f"({key})" in title for title in titles), key


async def test_settings_changed_in_the_app_are_saved(simulator, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('# my settings\nmodel = "qwen-plus"  # the usual\n', encoding="utf-8")
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+g", "ctrl+t")
        await pilot.press("ctrl+o", *"qwen3-max", "enter")
        await pilot.pause()
    text = config.read_text()
    assert text.startswith('# my settings\nmodel = "qwen3-max"  # the usual\n')
    assert 'transport = "dashscope"' in text and 'thinking = "on"' in text


async def test_quitting_while_an_answer_streams_is_clean(simulator, tmp_path):
    simulator.state.enqueue(Script(reasoning_tokens=3000, answer_tokens=3000, delay=0.002))
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        app.chat_screen.prompt_input.insert("go")
        await pilot.press("enter")
        while not app.chat_screen.panel.log_view.text:
            await pilot.pause(0.02)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert app._exception is None


async def test_scrolling_up_is_never_yanked_back_and_the_end_follows_again(simulator, tmp_path):
    simulator.state.enqueue(Script(answer_tokens=4000, delay=0.003))
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.chat_screen.prompt_input.insert("a long one")
        await pilot.press("enter")
        view = app.chat_screen.conversation_view
        while view.max_scroll_y < 40:
            await pilot.pause(0.02)
        assert view.scroll_y == view.max_scroll_y  # following the end
        view.scroll_to(y=5, animate=False)  # as a mouse wheel or a scroll key does
        await pilot.pause()
        grown_from = view.max_scroll_y
        while view.max_scroll_y < grown_from + 20:
            await pilot.pause(0.02)
        assert view.scroll_y == 5  # the reader stays where they are
        view.scroll_end(animate=False)
        await pilot.pause()
        at_end = view.max_scroll_y
        while view.max_scroll_y < at_end + 10:
            await pilot.pause(0.02)
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y  # back at the end: following again
        await pilot.press("escape")
        await app.workers.wait_for_complete()


async def test_the_full_collection_after_an_answer_waits_until_typing_pauses(simulator, tmp_path):
    # On a long answer a full collection is a pause of a few hundred milliseconds: it must not
    # land in the middle of typing the next prompt.
    full_collections: list[float] = []

    def on_collection(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full_collections.append(time.monotonic())

    app = make_app(simulator, tmp_path)
    gc.callbacks.append(on_collection)
    try:
        async with app.run_test() as pilot:
            simulator.state.enqueue(Script(answer_tokens=300, delay=0.003))
            app.chat_screen.prompt_input.insert("hello")
            full_collections.clear()  # any made while the app started are not the point
            # Keys as the terminal sends them: the pilot's press would wait for the stream.
            app.post_message(events.Key("enter", "\r"))
            typed_until = None
            while typed_until is None or time.monotonic() < typed_until:
                await asyncio.sleep(0.1)
                turns = app.chat_screen.session.conversation.turns
                if typed_until is None and turns and turns[-1].finished:
                    typed_until = time.monotonic() + 2 * IDLE_SECONDS
                last_key = time.monotonic()  # typing through the answer, and after it
                app.post_message(events.Key("x", "x"))
            await pilot.pause()
            assert full_collections == []
            for _ in range(100):
                await pilot.pause(0.05)
                if full_collections:
                    break
            assert len(full_collections) == 1
            assert full_collections[0] - last_key >= IDLE_SECONDS
    finally:
        gc.callbacks.remove(on_collection)


async def test_collections_start_again_once_the_app_is_drawn(simulator, tmp_path):
    # `thinkchat` starts up with the collector off (see `run_tui`); the app turns it back on.
    app = make_app(simulator, tmp_path)
    gc.disable()
    try:
        async with app.run_test() as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.enable()
