"""Exporting from the app: the palette's commands ask for a path and whether to include the
reasoning, write the file, say where, and refuse a path that cannot be written."""

from __future__ import annotations

import json

from textual.widgets import Checkbox, Input, Static

from tests.tui import make_app, notifications, send
from thinkchat.simulator import Script
from thinkchat.ui.screens.export_dialog import ExportDialog

SIZE = (140, 40)


async def run_command(pilot, search: str) -> None:
    """Run the palette's best match for `search`."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*search)
    await pilot.pause(0.3)  # the palette searches on a timer
    await pilot.press("enter")
    await pilot.pause()


def problem_shown(app) -> str:
    problem = app.screen.query_one(".problem", Static)
    return str(problem.render()) if problem.has_class("-shown") else ""


async def test_the_palette_exports_to_the_offered_name_in_the_current_folder(
    simulator, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    simulator.state.enqueue(Script(reasoning="PRIVATE thoughts", answer="**yes**"))
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "is it exported?")
        conversation_id = app.chat_screen.session.conversation.id
        await run_command(pilot, "export markdown")
        assert isinstance(app.screen, ExportDialog)
        name = f"thinkchat-{conversation_id}-is-it-exported.md"
        assert app.screen.query_one("#path", Input).value == name
        assert app.screen.query_one("#reasoning", Checkbox).value is True
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.chat_screen
        assert notifications(app)[-1] == f"Exported to {tmp_path / name}"
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert "PRIVATE thoughts" in text and "**yes**" in text


async def test_the_reasoning_left_out_and_a_path_of_ones_own(simulator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    simulator.state.enqueue(Script(reasoning="PRIVATE thoughts", answer="**yes**"))
    app = make_app(simulator, tmp_path, thinking="on")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "is it exported?")
        await run_command(pilot, "export json")
        dialog = app.screen
        dialog.query_one("#path", Input).value = "out/mine.json"
        await pilot.press("tab", "space")  # to the checkbox, and untick it
        assert dialog.query_one("#reasoning", Checkbox).value is False
        await pilot.click("#export")
        await pilot.pause()
        assert app.screen is app.chat_screen
        written = tmp_path / "out" / "mine.json"
        assert notifications(app)[-1] == f"Exported to {written}, without the reasoning"
    document = json.loads(written.read_text(encoding="utf-8"))
    assert document["reasoning_included"] is False
    assert document["turns"][0]["reasoning"] == ""
    assert document["turns"][0]["answer"] == "**yes**"


async def test_a_path_that_cannot_be_written_is_refused_in_the_dialog(
    simulator, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    simulator.state.enqueue(Script(answer="an answer"))
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await run_command(pilot, "export markdown")
        path = app.screen.query_one("#path", Input)
        for typed, expected in (
            (
                "no-such-folder/x.md",
                f"Not exported: {tmp_path / 'no-such-folder' / 'x.md'} cannot be written "
                "(No such file or directory). Choose another path.",
            ),
            (".", f"Not exported: {tmp_path} is a folder; add a file name to the path."),
            ("  ", "Not exported: type a file name."),
        ):
            path.value = typed
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ExportDialog)  # still open: another path can be typed
            assert problem_shown(app) == expected
        assert list(tmp_path.rglob("*.md")) == []
        path.value = "fine.md"
        await pilot.pause()
        assert problem_shown(app) == ""  # gone as the path changes
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.chat_screen
    assert "an answer" in (tmp_path / "fine.md").read_text(encoding="utf-8")


async def test_escape_cancels_and_nothing_is_written(simulator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    simulator.state.enqueue(Script(answer="an answer"))
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await run_command(pilot, "export markdown")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.chat_screen
    assert [p for p in tmp_path.iterdir() if p.suffix == ".md"] == []


async def test_nothing_to_export_before_a_prompt(simulator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "export markdown")
        assert app.screen is app.chat_screen
        assert notifications(app)[-1] == "Nothing to export yet: send a prompt first."
