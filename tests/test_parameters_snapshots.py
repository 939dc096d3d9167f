"""Snapshots of the model-parameters dialog and of a prompt being edited to send again."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.test_snapshots import PROMPT, SIZE, finished_turn, keys, run, screen_is
from tests.tui import make_app
from thinkchat.chat.request import ModelParameters, ModeParameters
from thinkchat.simulator import Script
from thinkchat.ui.screens.parameters import ParametersDialog


def test_snapshot_parameters_dialog_with_the_preset_on(snap_compare, tmp_path):
    app = make_app(None, tmp_path, model="qwen3-8b")

    async def own_values(pilot: Pilot) -> None:
        session = app.chat_screen.session
        mine = ModeParameters(
            thinking=ModelParameters(temperature=0.5), plain=ModelParameters(max_tokens=4000)
        )
        session.settings = session.settings.with_changes(parameters=mine, preset="qwen3")

    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=run(own_values, keys("f12"), screen_is(ParametersDialog)),
    )


def test_snapshot_editing_the_last_prompt(snap_compare, simulator, tmp_path):
    simulator.state.enqueue(Script(reasoning="Short.", answer="About 90 °C at 3,000 m."))
    app = make_app(simulator, tmp_path, thinking="on")
    assert snap_compare(app, terminal_size=SIZE, run_before=run(finished_turn(PROMPT), keys("f2")))
