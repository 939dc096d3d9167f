"""SVG snapshots of the chat screen and its dialogs (pytest-textual-snapshot).

Regenerate after an intended change of the look with
`python -m pytest tests/test_snapshots.py --snapshot-update`, and look at the SVGs under
`tests/__snapshots__/` before committing them.

Everything that could change from run to run is pinned: timings come from `TickClock` (one
tick per stream event, so they depend on the script only), mid-stream states are reached with
`Fault("stall")` and waited for on the app's own state (never on a delay), the simulator's
request id is fixed, dialogs that show the endpoint use a fixed one instead of the simulator's
port, history dates come from a fixed clock expressed in local time, and the text cursors are
told not to blink so that a snapshot never catches one mid-blink.
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, TextArea

from tests.tui import TickClock, make_app, make_config, send
from thinkchat.chat.turn import Turn, TurnStatus
from thinkchat.history.store import HistoryStore
from thinkchat.simulator import Fault, Script
from thinkchat.simulator import server as simulator_server
from thinkchat.simulator.text import tokens
from thinkchat.ui.app import ThinkChatApp
from thinkchat.ui.renderer.turn_entry import TurnEntry
from thinkchat.ui.screens.budget import BudgetDialog
from thinkchat.ui.screens.first_run import FirstRunScreen
from thinkchat.ui.screens.history import HistoryScreen
from thinkchat.ui.screens.model_picker import ModelPicker
from thinkchat.ui.screens.region_picker import RegionPicker
from thinkchat.ui.screens.resend import ResendDialog
from thinkchat.ui.screens.system_prompt import SystemPromptDialog
from thinkchat.ui.token_estimate import TokenEstimate

SIZE = (140, 40)
NARROW = (80, 40)
# A poll that has not seen the expected state after this long fails the test instead of
# hanging it: the states are reached in milliseconds.
WAIT_LIMIT = 20.0

REASONING = (
    "The user wants to know where water boils. At sea level the answer is 100 °C, but the "
    "boiling point falls with altitude because the air pressure falls. Roughly one degree "
    "for every 300 m is a good rule of thumb. I should give a few heights as a list and a "
    "tiny function that applies the rule, and say that it is an approximation."
)
ANSWER = """\
## Boiling point and altitude

Water boils at **100 °C** at sea level, and lower the higher you go:

- at 1,000 m, about 97 °C
- at 3,000 m, about 90 °C
- on top of Everest, about 70 °C

```python
def boiling_point(altitude_m: float) -> float:
    \"\"\"Approximate boiling point of water, in °C.\"\"\"
    return 100 - altitude_m / 300
```

It is a rule of thumb: weather changes the pressure too.
"""
PROMPT = "At what temperature does water boil on a mountain?"

Run = Callable[[Pilot], Awaitable[None]]


def partial(text: str, count: int) -> str:
    """The first `count` simulator tokens of `text`: what a stall after `count` shows."""
    return "".join(tokens(text)[:count])


async def wait_until(pilot: Pilot, condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.02)


async def settle(pilot: Pilot) -> None:
    """Make the screen still: no toasts, no blinking cursors, nothing left to draw."""
    app = pilot.app
    await pilot.pause()
    app.clear_notifications()
    for screen in app.screen_stack:
        # A blinking cursor is visible or not depending on when the snapshot is taken: stop
        # the blinking, so that a focused input always shows its cursor.
        for field in screen.query(Input):
            field.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False
            # TextArea caches its rendered lines by blink phase, not by `cursor_blink`: a line
            # drawn while the cursor was blinked off would be reused without a cursor.
            area.notify_style_update()
            area.refresh()
    await pilot.pause()
    await pilot.pause()


def first_turn(app: ThinkChatApp) -> tuple[Turn, TurnEntry]:
    return app.chat_screen.session.conversation.turns[0], app.chat_screen.conversation_view.entries[
        0
    ]


async def start(pilot: Pilot, text: str) -> None:
    """Type a prompt and press enter, without waiting for the answer."""
    pilot.app.chat_screen.prompt_input.insert(text)
    await pilot.press("enter")
    await wait_until(
        pilot, lambda: bool(pilot.app.chat_screen.conversation_view.entries), "the turn"
    )


def run(*steps: Run) -> Run:
    """A `run_before` that runs `steps` in order, then lets the screen settle."""

    async def run_before(pilot: Pilot) -> None:
        for step in steps:
            await step(pilot)
        await settle(pilot)

    return run_before


def finished_turn(prompt: str = PROMPT) -> Run:
    async def step(pilot: Pilot) -> None:
        await send(pilot, prompt)

    return step


def keys(*pressed: str) -> Run:
    async def step(pilot: Pilot) -> None:
        await pilot.press(*pressed)
        await pilot.pause()

    return step


def screen_is(kind: type) -> Run:
    async def step(pilot: Pilot) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)

    return step


# The chat screen ------------------------------------------------------------------------------


def test_snapshot_main_screen_empty(snap_compare, tmp_path):
    app = make_app(None, tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=run())


def test_snapshot_main_screen_mid_stream_reasoning(snap_compare, simulator, tmp_path):
    stall_after = 12
    simulator.state.enqueue(
        Script(reasoning=REASONING, answer=ANSWER, fault=Fault("stall", "reasoning", stall_after))
    )
    app = make_app(simulator, tmp_path, thinking="on")
    shown = partial(REASONING, stall_after)
    live_count = TokenEstimate()  # what the app counts from those deltas, one token each
    for token in tokens(shown):
        live_count.add(token)

    async def stalled(pilot: Pilot) -> None:
        await start(pilot, PROMPT)
        turn, view = first_turn(app)
        # The frame that draws the last token sets the panel text and the live count, then
        # the summary, caption and status, all without yielding: once these two match, the
        # whole frame is drawn.
        await wait_until(
            pilot,
            lambda: (
                app.chat_screen.panel.log_view.text == shown
                and view.live_reasoning_tokens == live_count.tokens
            ),
            "the stalled reasoning",
        )
        assert turn.status is TurnStatus.STREAMING and turn.answer == ""

    assert snap_compare(app, terminal_size=SIZE, run_before=run(stalled))


def test_snapshot_main_screen_mid_stream_answer(snap_compare, simulator, tmp_path):
    # The stall is in the middle of the list's first item ("- at 1,000"): the heading and the
    # paragraph are rendered, the list has just begun, the code block has not arrived.
    stall_after = 22
    simulator.state.enqueue(
        Script(reasoning=REASONING, answer=ANSWER, fault=Fault("stall", "answer", stall_after))
    )
    app = make_app(simulator, tmp_path, thinking="on")
    shown = partial(ANSWER, stall_after)

    async def stalled(pilot: Pilot) -> None:
        await start(pilot, PROMPT)
        turn, view = first_turn(app)
        await wait_until(
            pilot,
            lambda: turn.answer == shown and view.answer.source == shown,
            "the stalled answer",
        )
        # Every delta has been fed: the rates no longer change. Recompute the status line
        # now rather than depend on which frame drew it last.
        app.chat_screen.refresh_status()
        assert turn.status is TurnStatus.STREAMING and turn.reasoning == REASONING

    assert snap_compare(app, terminal_size=SIZE, run_before=run(stalled))


def test_snapshot_main_screen_finished_turn(snap_compare, simulator, tmp_path):
    simulator.state.enqueue(Script(reasoning=REASONING, answer=ANSWER))
    app = make_app(simulator, tmp_path, thinking="on")
    assert snap_compare(app, terminal_size=SIZE, run_before=run(finished_turn()))


def test_snapshot_main_screen_finished_turn_with_a_cost(snap_compare, simulator, tmp_path):
    # deepseek-v3.1 in Beijing is priced in thinkchat's own price file.
    simulator.state.enqueue(Script(reasoning=REASONING, answer=ANSWER))
    app = make_app(simulator, tmp_path, model="deepseek-v3.1", region="beijing", thinking="on")
    assert snap_compare(app, terminal_size=SIZE, run_before=run(finished_turn()))


def test_snapshot_main_screen_finished_turn_panel_collapsed(snap_compare, simulator, tmp_path):
    simulator.state.enqueue(Script(reasoning=REASONING, answer=ANSWER))
    app = make_app(simulator, tmp_path, thinking="on")

    async def collapsed(pilot: Pilot) -> None:
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: app.chat_screen.panel.collapsed, "the collapsed panel")

    assert snap_compare(app, terminal_size=SIZE, run_before=run(finished_turn(), collapsed))


def test_snapshot_main_screen_narrow_finished_turn(snap_compare, simulator, tmp_path):
    simulator.state.enqueue(Script(reasoning=REASONING, answer=ANSWER))
    app = make_app(simulator, tmp_path, thinking="on")
    assert snap_compare(app, terminal_size=NARROW, run_before=run(finished_turn()))


def test_snapshot_main_screen_failed_turn(snap_compare, simulator, tmp_path, monkeypatch):
    # The simulator gives every request a random id, which the error block shows: fix it at
    # its source, so the block is drawn by the app exactly as in real use.
    fixed = uuid.UUID("0badc0de-0000-4000-8000-000000000429")
    monkeypatch.setattr(simulator_server, "uuid", SimpleNamespace(uuid4=lambda: fixed))
    simulator.state.enqueue(Script(answer="never sent", fault=Fault("rate_limit", retry_after=9)))
    app = make_app(simulator, tmp_path)

    async def failed(pilot: Pilot) -> None:
        await send(pilot, "Tell me a joke about rate limits.")
        turn, _ = first_turn(app)
        assert turn.status is TurnStatus.FAILED
        assert turn.error is not None and turn.error.request_id == str(fixed)

    assert snap_compare(app, terminal_size=SIZE, run_before=run(failed))


# Dialogs ----------------------------------------------------------------------------------------


def test_snapshot_budget_dialog(snap_compare, tmp_path):
    app = make_app(None, tmp_path, model="qwen-plus", thinking="on")
    assert snap_compare(
        app, terminal_size=SIZE, run_before=run(keys("ctrl+b"), screen_is(BudgetDialog))
    )


def test_snapshot_budget_dialog_refuses_a_bad_value(snap_compare, tmp_path):
    app = make_app(None, tmp_path, model="qwen-plus", thinking="on")

    async def refused(pilot: Pilot) -> None:
        await pilot.press(*"abc", "enter")
        problem = app.screen.query_one(".problem", Static)
        await wait_until(pilot, lambda: str(problem.content), "the refusal")
        assert isinstance(app.screen, BudgetDialog)

    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=run(keys("ctrl+b"), screen_is(BudgetDialog), refused),
    )


def test_snapshot_budget_dialog_model_ignores_budgets(snap_compare, tmp_path):
    app = make_app(None, tmp_path, model="deepseek-r1", region="beijing")
    assert snap_compare(
        app, terminal_size=SIZE, run_before=run(keys("ctrl+b"), screen_is(BudgetDialog))
    )


def test_snapshot_resend_dialog_over_a_cut_answer(snap_compare, simulator, tmp_path):
    simulator.state.enqueue(Script(reasoning=REASONING, answer=ANSWER))
    app = make_app(simulator, tmp_path, thinking="on")

    async def cut(pilot: Pilot) -> None:
        session = app.chat_screen.session
        limited = session.settings.parameters.with_changes(max_tokens=80)
        session.settings = session.settings.with_changes(parameters=limited)
        await send(pilot, PROMPT)
        turn, _ = first_turn(app)
        assert turn.finish_reason == "length"

    assert snap_compare(
        app, terminal_size=SIZE, run_before=run(cut, keys("f4"), screen_is(ResendDialog))
    )


def test_snapshot_system_prompt_dialog(snap_compare, tmp_path):
    app = make_app(
        None, tmp_path, system_prompt="You are a patient tutor.\nAnswer in short paragraphs."
    )
    assert snap_compare(
        app, terminal_size=SIZE, run_before=run(keys("f9"), screen_is(SystemPromptDialog))
    )


def test_snapshot_model_picker(snap_compare, tmp_path):
    app = make_app(None, tmp_path)
    assert snap_compare(
        app, terminal_size=SIZE, run_before=run(keys("ctrl+o"), screen_is(ModelPicker))
    )


def test_snapshot_model_picker_filtered(snap_compare, tmp_path):
    app = make_app(None, tmp_path)

    def filtered() -> bool:
        options = app.screen.query_one(OptionList)
        listed = [options.get_option_at_index(i) for i in range(options.option_count)]
        return bool(listed) and all("qwq" in option.id for option in listed if option.id)

    async def typed(pilot: Pilot) -> None:
        await pilot.press(*"qwq")
        await wait_until(pilot, filtered, "the filtered list")

    assert snap_compare(
        app, terminal_size=SIZE, run_before=run(keys("ctrl+o"), screen_is(ModelPicker), typed)
    )


def test_snapshot_region_picker(snap_compare, tmp_path):
    # No simulator: the endpoint shown is the fixed http://127.0.0.1:9, not a random port.
    app = make_app(None, tmp_path, model="deepseek-r1", region="beijing")
    assert snap_compare(
        app, terminal_size=SIZE, run_before=run(keys("ctrl+r"), screen_is(RegionPicker))
    )


def test_snapshot_region_picker_offers_to_switch_both(snap_compare, tmp_path):
    app = make_app(None, tmp_path, model="deepseek-r1", region="beijing")

    async def offered(pilot: Pilot) -> None:
        await pilot.press("up", "up", "enter")  # Singapore
        await wait_until(
            pilot, lambda: app.screen.query_one("#offer").has_class("-shown"), "the offer"
        )

    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=run(keys("ctrl+r"), screen_is(RegionPicker), offered),
    )


def test_snapshot_first_run_screen(snap_compare, tmp_path, monkeypatch):
    # The screen shows the config file's path: a relative one, under a fixed working folder,
    # instead of the test's random tmp_path.
    monkeypatch.chdir(tmp_path)
    config = make_config(None, tmp_path, api_keys={})
    config = replace(config, path=Path(".config/thinkchat/config.toml"))
    app = ThinkChatApp(config, store=HistoryStore(tmp_path / "history.sqlite3"), clock=TickClock())
    assert snap_compare(app, terminal_size=SIZE, run_before=run(screen_is(FirstRunScreen)))


class LocalClock:
    """Unix times that read as 2025-06-18 09:41, 09:48, … in whatever the local time zone is.

    The history shows dates in local time; starting from a local wall-clock time (`mktime`)
    makes the screen the same in every time zone, without touching the process's TZ.
    """

    def __init__(self) -> None:
        start = time.mktime((2025, 6, 18, 9, 41, 0, 0, 0, -1))
        self._times = (start + 7 * 60 * step for step in itertools.count())

    def __call__(self) -> float:
        return next(self._times)


def test_snapshot_history_screen(snap_compare, simulator, tmp_path):
    simulator.state.enqueue(
        Script(reasoning="Short and sweet.", answer="Water boils at **100 °C** at sea level."),
        Script(reasoning="A list will do.", answer="- Tokyo\n- Osaka\n- Kyoto"),
    )
    config = make_config(simulator, tmp_path, thinking="on")
    store = HistoryStore(tmp_path / "history.sqlite3", clock=LocalClock())
    app = ThinkChatApp(config, store=store, clock=TickClock())

    async def new_conversation(pilot: Pilot) -> None:
        await pilot.press("ctrl+n")
        await wait_until(
            pilot, lambda: not app.chat_screen.conversation_view.entries, "a new conversation"
        )

    async def shown(pilot: Pilot) -> None:
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")

    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=run(
            finished_turn("At what temperature does water boil?"),
            new_conversation,
            finished_turn("Name three cities in Japan."),
            shown,
        ),
    )
