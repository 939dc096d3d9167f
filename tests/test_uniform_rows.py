"""Containers that draw one row and repeat it must look exactly as if each row were drawn."""

from __future__ import annotations

from textual.geometry import Region
from textual.widget import Widget

from tests.tui import make_app
from thinkchat.simulator import Script
from thinkchat.ui.app import ThinkChatApp
from thinkchat.ui.widgets.uniform_rows import UniformRows

ANSWER = (
    "Water boils at **100 °C**.\n\n- at sea level\n- lower up a mountain\n\n"
    "```python\nprint(100)\n```\n"
)


def _differences(app: ThinkChatApp) -> dict[str, int]:
    """Per kind of container on screen: how many differ from Textual's row-by-row drawing."""
    checked: dict[str, int] = {}
    for widget in app.screen.walk_children(UniformRows):
        width, height = widget.outer_size
        if not width or height < 2:
            continue
        whole = Region(0, 0, width, height)
        widget._styles_cache.clear()  # draw every row anew, both ways
        by_rows = Widget.render_lines(widget, whole)
        repeated = widget.render_lines(whole)
        differs = [list(strip) for strip in by_rows] != [list(strip) for strip in repeated]
        name = type(widget).__name__
        checked[name] = checked.get(name, 0) + differs
    return checked


async def test_containers_drawn_by_repeating_a_row_look_as_drawn_row_by_row(simulator, tmp_path):
    simulator.state.enqueue(Script(reasoning="Short and sweet.", answer=ANSWER))
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=(100, 30)) as pilot:
        app.prompt_input.insert("When does water boil?")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        states = [_differences(app)]
        await pilot.press("ctrl+up")  # the turn selected: its left border drawn
        await pilot.pause()
        states.append(_differences(app))
        await pilot.press("ctrl+f")  # the panel collapsed, the answer wider
        await pilot.pause()
        states.append(_differences(app))
        await pilot.resize_terminal(70, 30)  # narrow: the panel below the conversation
        await pilot.pause()
        states.append(_differences(app))
    kinds = {"ConversationView", "TurnView", "AnswerView", "_Chunk", "_Segment", "ReasoningPanel"}
    assert kinds <= set().union(*states)  # each kind was checked at least once
    assert all(count == 0 for state in states for count in state.values())
