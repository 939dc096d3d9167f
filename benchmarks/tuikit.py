"""Building the app for a benchmark the way tests/tui.py does, and driving a turn to its end."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import events

from benchmarks.frames import FrameWatcher
from thinkchat.catalog import REGIONS
from thinkchat.config.settings import Config, KeySource
from thinkchat.history.store import HistoryStore
from thinkchat.ui.app import ThinkChatApp

KEY = "sk-simulator-0000"
SIZE = (140, 40)


def make_config(host: str, folder: Path, **settings: Any) -> Config:
    """A config pointing at `host` with a key for every region; thinking on unless told."""
    config = Config(
        path=folder / "config.toml",
        endpoint=host,
        api_keys={region: KeySource(literal=KEY) for region in REGIONS},
        bindings={},
    )
    return config.with_overrides(**{"thinking": "on", "model": "qwen-plus", **settings})


def make_app(
    host: str, folder: Path, *, history: bool = True, resume: int | None = None, **settings: Any
) -> ThinkChatApp:
    """The app against `host`, keeping its history in `folder` (as the real app does)."""
    store = HistoryStore(folder / "history.sqlite3") if history else None
    return ThinkChatApp(make_config(host, folder, **settings), store=store, resume=resume)


def press(app: ThinkChatApp, key: str, character: str | None = None) -> None:
    """Deliver a key as the terminal driver does (thread-safe), without the pilot's waits."""
    assert app._driver is not None
    app._driver.send_message(events.Key(key, character))


async def turn_workers(app: ThinkChatApp) -> list[Any]:
    """The worker streaming the turn just sent, once the app has started it."""
    while True:
        workers = [worker for worker in app.workers if worker.group == "turn"]
        if workers:
            return workers
        await asyncio.sleep(0.001)  # the app posts no message when a worker starts


@dataclass
class TurnTiming:
    """One streamed turn: from the send key to its last frame, and what ended on screen."""

    seconds: float
    worker_seconds: float
    frames: int
    reasoning_chars: int
    answer_chars: int


async def stream_turn(app: ThinkChatApp, watcher: FrameWatcher, prompt: str) -> TurnTiming:
    """Send `prompt` with the enter key and wait until the whole turn is on screen.

    On screen: the turn's worker has finished (the last deltas were drawn into the
    conversation and the panel) and what it left to draw has been drawn
    (`FrameWatcher.caught_up`). Raises when the turn
    failed or the screen does not hold the whole text.
    """
    app.chat_screen.prompt_input.text = prompt
    app.chat_screen.prompt_input.move_cursor(app.chat_screen.prompt_input.document.end)
    await watcher.settle(quiet=0.05, timeout=1.0)
    frames_before = watcher.frames
    start = time.perf_counter()
    press(app, "enter", "\r")
    await app.workers.wait_for_complete(await turn_workers(app))
    done = time.perf_counter()
    end = await watcher.caught_up(done)
    check_turn_on_screen(app)
    turn = app.chat_screen.session.conversation.turns[-1]
    return TurnTiming(
        end - start,
        done - start,
        watcher.frames - frames_before,
        len(turn.reasoning),
        len(turn.answer),
    )


def check_turn_on_screen(app: ThinkChatApp) -> None:
    """The last turn finished, and its whole text is in the conversation and the panel."""
    view = app.chat_screen.conversation_view
    entry = view.entries[-1]
    check_on_screen(view, entry, app.chat_screen.panel, entry.turn)


def check_on_screen(view: Any, entry: Any, panel: Any, turn: Any) -> None:
    """`turn` finished, and its whole text is in `view` (as `entry`) and in `panel`; the end
    of the answer is drawn, and no part of the answer was drawn with no lines."""
    from thinkchat.chat.terminal_text import safe_for_terminal
    from thinkchat.chat.turn import TurnStatus

    if turn.status is not TurnStatus.DONE:
        raise RuntimeError(f"the turn ended {turn.status.value}: {turn.error}")
    if entry.answer.source != safe_for_terminal(turn.answer):
        raise RuntimeError("the conversation does not hold the whole answer")
    passages = [passage for passage in entry.answer.passages if passage.text]
    if any(passage.height(view.text_width) == 0 for passage in passages):
        raise RuntimeError("a part of the answer has no lines: it is not on screen")
    last_lines = passages[-1].lines(view.text_width, view.renderer.markdown)
    last_word = turn.answer.split()[-1].strip("*_`")
    if last_word not in "".join(line.text for line in last_lines[-3:]):
        raise RuntimeError("the answer's last lines do not show its end")
    if len(panel.log_view.text) != len(safe_for_terminal(turn.reasoning.expandtabs(4))):
        raise RuntimeError("the reasoning panel does not hold the whole reasoning")
