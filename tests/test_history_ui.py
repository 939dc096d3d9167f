"""Conversation history from the user's side: written as it streams, survives a kill,
browsed, searched, reopened, renamed, deleted, exported."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.tui import (
    TickClock,
    make_app,
    make_config,
    notifications,
    screen_text,
    send,
    wire_messages,
)
from thinkchat.chat.conversation import Conversation
from thinkchat.chat.events import AnswerDelta, Finished, ReasoningDelta
from thinkchat.chat.session import ChatSettings
from thinkchat.chat.turn import Turn, TurnSettings, TurnStatus
from thinkchat.cli.tui import _conversation_to_open
from thinkchat.history.errors import StoreError
from thinkchat.history.store import HistoryStore
from thinkchat.simulator import DEFAULT_KEY, Fault, Script
from thinkchat.ui.app import ThinkChatApp
from thinkchat.ui.recorder import HistoryRecorder
from thinkchat.ui.screens.history import HistoryScreen

SIZE = (140, 40)


def stored_turns(tmp_path: Path, conversation_id: int) -> list[Turn]:
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        return store.load_conversation(conversation_id).conversation.turns


async def test_a_turn_is_written_while_it_streams(simulator, tmp_path):
    simulator.state.enqueue(
        Script(reasoning="r1 r2 r3 r4", answer="a1 a2 a3 a4", fault=Fault("stall", "answer", 2))
    )
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        app.chat_screen.prompt_input.insert("hello")
        await pilot.press("enter")
        deadline = time.monotonic() + 10
        stored: list[Turn] = []
        while time.monotonic() < deadline:
            await pilot.pause(0.1)
            conversation_id = app.chat_screen.session.conversation.id
            if conversation_id is not None:
                stored = stored_turns(tmp_path, conversation_id)
                if stored and stored[0].answer == "a1 a2":
                    break
        assert stored[0].reasoning == "r1 r2 r3 r4"
        assert stored[0].answer == "a1 a2"
        await pilot.press("escape")
        await app.workers.wait_for_complete()
    (final,) = stored_turns(tmp_path, app.chat_screen.session.conversation.id)
    assert final.status is TurnStatus.CANCELLED
    assert final.answer == "a1 a2"


CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from tests.tui import make_app
    from thinkchat.simulator import Simulator

    class Remote:  # the simulator lives in the parent process
        url = {url!r}

    async def main():
        app = make_app(Remote(), Path({tmp!r}), thinking="on")
        async with app.run_test(size=(140, 40)) as pilot:
            app.chat_screen.prompt_input.insert("tell me everything")
            await pilot.press("enter")
            while len(app.chat_screen.session.conversation.turns[0].answer) < 40:
                await pilot.pause(0.05)
            await pilot.pause(1.0)  # at least one periodic save after that
            print("STREAMING", app.chat_screen.session.conversation.id, flush=True)
            await asyncio.sleep(60)

    asyncio.run(main())
    """
)


def test_a_turn_killed_half_way_is_kept_and_reopens_as_stopped(simulator, tmp_path):
    simulator.state.enqueue(Script(reasoning_tokens=30, answer_tokens=5000, delay=0.01))
    code = CHILD.format(
        root=str(Path(__file__).parent.parent), url=simulator.url, tmp=str(tmp_path)
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "DASHSCOPE_API_KEY": DEFAULT_KEY},
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().decode()
        assert line.startswith("STREAMING"), line
        conversation_id = int(line.split()[1])
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    (turn,) = stored_turns(tmp_path, conversation_id)
    assert turn.status is TurnStatus.CANCELLED  # it was still streaming when killed
    assert len(turn.reasoning.split()) == 30
    assert len(turn.answer) >= 40
    assert turn.prompt == "tell me everything"


async def add_conversation(store: HistoryStore, prompt: str, answer: str) -> int:
    settings = TurnSettings("qwen3-8b", "singapore", "openai")
    conversation_id = store.create_conversation(
        model="qwen3-8b", region="singapore", transport="openai"
    )
    turn = Turn(prompt, settings)
    store.add_turn(conversation_id, turn)
    turn.apply(ReasoningDelta(f"thinking about {prompt}"))
    turn.apply(AnswerDelta(answer))
    turn.apply(Finished("stop"))
    store.save_turn(turn)
    return conversation_id


async def test_the_history_screen_lists_searches_opens_renames_and_deletes(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    store = app.recorder.store
    assert store is not None
    first = await add_conversation(store, "about penguins", "They live in the south.")
    await add_conversation(store, "about camels", "They store fat, not water.")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert text.index("about camels") < text.index("about penguins")  # newest first
        await pilot.press(*"SOUTH")  # searches answers, case-insensitively
        await pilot.pause()
        assert "about penguins" in screen_text(app)
        assert "about camels" not in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)
        assert app.chat_screen.session.conversation.id == first
        assert "They live in the south." in screen_text(app)
        assert app.chat_screen.panel.log_view.text == "thinking about about penguins"
        await send(pilot, "and in the north?")
        assert [m["content"] for m in wire_messages(simulator)] == [
            "about penguins",
            "They live in the south.",
            "and in the north?",
        ]

        await pilot.press("ctrl+l")
        await pilot.press("down")  # the penguins conversation is now the newest: go to camels
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"Camel facts", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Camel facts" in screen_text(app)
        await pilot.press("f8")
        await pilot.pause()
        assert "Delete this conversation" in screen_text(app)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Camel facts" not in screen_text(app)
        await pilot.press("escape")
    with HistoryStore(tmp_path / "history.sqlite3") as reopened:
        assert [summary.title for summary in reopened.list_conversations()] == ["about penguins"]


async def test_a_thousand_turn_conversation_opens_with_its_latest_turns(simulator, tmp_path):
    """Only the latest turns get widgets; scrolling to the top mounts the page before."""
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        settings = TurnSettings("qwen-plus", "singapore", "openai")
        conversation_id = store.create_conversation(
            model="qwen-plus", region="singapore", transport="openai"
        )
        for number in range(1000):
            turn = Turn(f"question {number}", settings)
            store.add_turn(conversation_id, turn)
            turn.apply(ReasoningDelta("r" * 2000))
            turn.apply(AnswerDelta(f"answer {number} " + "a" * 2000))
            turn.apply(Finished("stop"))
            store.save_turn(turn)
    app = ThinkChatApp(
        make_config(simulator, tmp_path),
        store=HistoryStore(path),
        resume=conversation_id,
        clock=TickClock(),
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        page = app.chat_screen.conversation_view.PAGE_TURNS
        views = app.chat_screen.conversation_view.entries
        assert len(views) == page
        assert views[0].number == 1001 - page and views[-1].number == 1000
        assert app.chat_screen.conversation_view.hidden_count == 1000 - page
        assert len(app.chat_screen.session.conversation.turns) == 1000
        app.chat_screen.conversation_view.scroll_home(animate=False)
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.chat_screen.conversation_view.entries) == 2 * page
        assert app.chat_screen.conversation_view.entries[0].number == 1001 - 2 * page
        await send(pilot, "one more")
    messages = wire_messages(simulator)
    assert len(messages) == 2001  # the whole history goes to the model, never the reasoning
    assert messages[0]["content"] == "question 0"
    assert "rrrr" not in json.dumps(messages)


async def test_the_history_opens_once_the_app_is_on_screen_and_keeps_every_turn(
    simulator, tmp_path
):
    opened: list[int] = []  # the conversation's width when the history was opened

    def open_history() -> HistoryStore:
        opened.append(app.chat_screen.conversation_view.size.width)
        return HistoryStore(tmp_path / "history.sqlite3")

    app = ThinkChatApp(make_config(simulator, tmp_path), open_history=open_history)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert len(opened) == 1 and opened[0] > 0  # laid out and drawn before it opened
        await send(pilot, "remember me")
        conversation_id = app.chat_screen.session.conversation.id
    assert conversation_id is not None
    assert [turn.prompt for turn in stored_turns(tmp_path, conversation_id)] == ["remember me"]


async def test_a_history_that_cannot_open_is_reported_in_the_app_and_the_chat_goes_on(
    simulator, tmp_path
):
    def open_history() -> HistoryStore:
        raise StoreError(f"cannot open the history at {tmp_path}: disk I/O error")

    app = ThinkChatApp(make_config(simulator, tmp_path), open_history=open_history)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reported = [n for n in notifications(app) if "History is not being saved" in n]
        assert len(reported) == 1
        assert f"cannot open the history at {tmp_path}: disk I/O error" in reported[0]
        assert "until you quit" in reported[0]
        await send(pilot, "still here?")
        assert app.chat_screen.session.conversation.turns[-1].status is TurnStatus.DONE
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert "The history is not available in this session." in notifications(app)
        assert len([n for n in notifications(app) if "History is not being saved" in n]) == 1


def test_a_turn_started_before_the_history_opened_opens_it(tmp_path):
    opened: list[HistoryStore] = []

    def open_history() -> HistoryStore:
        opened.append(HistoryStore(tmp_path / "history.sqlite3"))
        return opened[-1]

    recorder = HistoryRecorder(None, pytest.fail, lambda delay, callback: None, opener=open_history)
    conversation = Conversation()
    turn = Turn("first", TurnSettings(model="qwen-plus", region="singapore", transport="openai"))
    recorder.turn_started(conversation, turn, ChatSettings())
    assert len(opened) == 1 and conversation.id is not None
    recorder.close()
    assert [t.prompt for t in stored_turns(tmp_path, conversation.id)] == ["first"]


def test_continue_and_resume_pick_the_conversation(tmp_path):
    store = HistoryStore(tmp_path / "history.sqlite3")
    args = argparse.Namespace(continue_last=True, resume=None)
    with pytest.raises(ValueError, match="no conversation to continue"):
        _conversation_to_open(args, store)
    older = store.create_conversation(model="m", region="singapore", transport="openai")
    newer = store.create_conversation(model="m", region="singapore", transport="openai")
    assert _conversation_to_open(args, store) == newer
    assert (
        _conversation_to_open(argparse.Namespace(continue_last=False, resume=older), store) == older
    )
    with pytest.raises(ValueError, match="no conversation 999"):
        _conversation_to_open(argparse.Namespace(continue_last=False, resume=999), store)
    assert (
        _conversation_to_open(argparse.Namespace(continue_last=False, resume=None), store) is None
    )


def test_resume_of_an_unknown_conversation_exits_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "thinkchat", "--resume", "12345"],
        capture_output=True,
        env={**os.environ, "DASHSCOPE_API_KEY": DEFAULT_KEY},
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert b"no conversation 12345" in result.stderr


async def test_export_from_the_tui_and_the_command_line(simulator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    simulator.state.enqueue(Script(reasoning="because", answer="**yes**"))
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "is it exported?")
        markdown = app.chat_screen.export_conversation("md")
        document = app.chat_screen.export_conversation("json")
        conversation_id = app.chat_screen.session.conversation.id
    assert markdown is not None and document is not None
    assert markdown.name == f"thinkchat-{conversation_id}-is-it-exported.md"
    text = markdown.read_text(encoding="utf-8")
    assert "<details>" in text and "because" in text and "**yes**" in text
    assert json.loads(document.read_text(encoding="utf-8"))["turns"][0]["answer"] == "**yes**"
    # The same conversation through `thinkchat export`, from the default history location.
    data_home = tmp_path / "xdg-data"
    (data_home / "thinkchat").mkdir(parents=True)
    (tmp_path / "history.sqlite3").rename(data_home / "thinkchat" / "history.sqlite3")
    result = subprocess.run(  # noqa: ASYNC221 - the app has finished; nothing else runs
        [sys.executable, "-m", "thinkchat", "export", str(conversation_id), "--format", "json"],
        capture_output=True,
        env={**os.environ, "XDG_DATA_HOME": str(data_home)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["turns"][0]["reasoning"] == "because"
