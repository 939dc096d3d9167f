"""SVG snapshots of comparisons: the dialog, the columns (wide) and the tabs (narrow), and the
chat once an answer was picked.

Regenerate after an intended change of the look with
`python -m pytest tests/test_compare_snapshots.py --snapshot-update`, and look at the SVGs.

The variants stream at once, so the order in which they read a shared clock is not fixed: the
app's clock stands still here (every time reads 0.0 s), the scripts are fixed text, and the
mid-stream state is reached with a stall and waited for on the app's own state.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Tab

from tests.test_snapshots import ANSWER, PROMPT, REASONING, partial, run, settle, wait_until
from tests.tui import make_config
from thinkchat.chat.turn import TurnStatus
from thinkchat.history.store import HistoryStore
from thinkchat.simulator import Fault, RequestMatch, Script
from thinkchat.simulator.text import tokens
from thinkchat.ui.app import ThinkChatApp
from thinkchat.ui.screens.chat.compare.dialog import CompareDialog
from thinkchat.ui.screens.chat.compare.screen import CompareScreen
from thinkchat.ui.token_estimate import TokenEstimate

WIDE = (140, 40)
NARROW = (90, 40)
THINKING = RequestMatch(enable_thinking=True)
PLAIN = RequestMatch(enable_thinking=False)
SHORT_ANSWER = "Lower: about **90 °C** at 3,000 m, since the air pressure is lower up there."


def still_app(simulator, tmp_path) -> ThinkChatApp:
    """The app against the simulator, its clock standing still."""
    return ThinkChatApp(
        make_config(simulator, tmp_path),
        store=HistoryStore(tmp_path / "history.sqlite3"),
        clock=lambda: 1000.0,
    )


def enqueue_pair(simulator, thinking: Script) -> None:
    simulator.state.enqueue(thinking, when=THINKING)
    simulator.state.enqueue(Script(answer=SHORT_ANSWER), when=PLAIN)


async def open_dialog(pilot: Pilot) -> None:
    pilot.app.chat_screen.prompt_input.insert(PROMPT)
    await pilot.press("f8")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CompareDialog), "the dialog")


async def compared(pilot: Pilot) -> None:
    await open_dialog(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CompareScreen), "the screen")


def ended(screen: CompareScreen, index: int) -> bool:
    """Whether the variant's end has been drawn: its tab (hidden or not) is marked last."""
    return not screen.query_one(f"#variant-{index}", Tab).label_text.endswith("…")


async def both_ended(pilot: Pilot) -> None:
    screen = pilot.app.screen
    await wait_until(pilot, lambda: ended(screen, 0) and ended(screen, 1), "both to end")


def test_snapshot_compare_dialog(snap_compare, simulator, tmp_path):
    app = still_app(simulator, tmp_path)
    assert snap_compare(app, terminal_size=WIDE, run_before=run(open_dialog))


def test_snapshot_compare_wide_one_variant_thinking_the_other_done(
    snap_compare, simulator, tmp_path
):
    stall_after = 12
    enqueue_pair(
        simulator,
        Script(reasoning=REASONING, answer=ANSWER, fault=Fault("stall", "reasoning", stall_after)),
    )
    app = still_app(simulator, tmp_path)
    shown = partial(REASONING, stall_after)
    live_count = TokenEstimate()
    for token in tokens(shown):
        live_count.add(token)

    async def stalled(pilot: Pilot) -> None:
        await compared(pilot)
        screen = app.screen
        thinking = screen.columns[0]
        await wait_until(
            pilot,
            lambda: (
                thinking.panel.reasoning == shown
                and thinking.entry.live_reasoning_tokens == live_count.tokens
                and ended(screen, 1)
            ),
            "the first variant stalled and the second done",
        )
        # Every delta has been fed: draw the summary from the state now, whichever frame last
        # drew it.
        screen.refresh_summary()
        assert screen.turns[0].status is TurnStatus.STREAMING

    assert snap_compare(app, terminal_size=WIDE, run_before=run(stalled))


def test_snapshot_compare_narrow_as_tabs(snap_compare, simulator, tmp_path):
    enqueue_pair(simulator, Script(reasoning=REASONING, answer=ANSWER))
    app = still_app(simulator, tmp_path)

    assert snap_compare(app, terminal_size=NARROW, run_before=run(compared, both_ended))


def test_snapshot_chat_after_picking_an_answer(snap_compare, simulator, tmp_path):
    enqueue_pair(simulator, Script(reasoning=REASONING, answer=ANSWER))
    app = still_app(simulator, tmp_path)

    async def picked(pilot: Pilot) -> None:
        await pilot.press("2")
        await wait_until(pilot, lambda: app.screen is app.chat_screen, "the chat")
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run(compared, both_ended, picked))
