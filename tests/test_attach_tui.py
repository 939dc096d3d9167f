"""Attaching a file in the app: the palette's dialog, its path completion, its refusals, and
the fenced file at the prompt's cursor."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.tui import make_app, notifications, screen_text, send, wire_messages
from thinkchat.ui.screens.attach import AttachDialog, complete_path

SIZE = (140, 40)


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """A working folder with a few files, and the app's history outside it."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.md").write_text("# Notes\nuse ``` for code\n", encoding="utf-8")
    (work / "notes.txt").write_text("plain\n", encoding="utf-8")
    (work / "src").mkdir()
    (work / "src" / "main.py").write_text("print('hi')\n", encoding="utf-8")
    (work / ".hidden").write_text("secret\n", encoding="utf-8")
    (work / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    monkeypatch.chdir(work)
    return work


def test_paths_complete_from_the_filesystem(folder, monkeypatch):
    assert complete_path("s") == "src/"  # one entry fits: a folder gets its slash
    assert complete_path("src/m") == "src/main.py"
    assert complete_path("no") == "notes."  # as far as every entry that fits agrees
    assert complete_path("notes.") == "notes.md"  # then the first that fits
    assert complete_path("notes.md") is None  # nothing to add
    assert complete_path("x") is None
    assert complete_path("i") == "image.png"
    assert complete_path(".h") == ".hidden"  # hidden entries only when asked for
    assert complete_path("") == "image.png"
    assert complete_path(f"{folder}/sr") == f"{folder}/src/"
    monkeypatch.setenv("HOME", str(folder))
    assert complete_path("~") == "~/"
    assert complete_path("~/src/") == "~/src/main.py"
    assert complete_path("missing/x") is None


async def open_dialog(pilot) -> AttachDialog:
    pilot.app.chat_screen.attach_file()
    await pilot.pause()
    assert isinstance(pilot.app.screen, AttachDialog)
    return pilot.app.screen


async def type_path(pilot, text: str) -> None:
    await pilot.press(*text)
    await pilot.app.workers.wait_for_complete()  # the suggestion is looked up in a worker
    await pilot.pause()


async def test_the_dialog_completes_the_path_and_inserts_the_file_at_the_cursor(
    simulator, folder, tmp_path
):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        prompt = app.chat_screen.prompt_input
        prompt.insert("Explain this:\nThanks.")
        prompt.move_cursor((0, len("Explain this:")))
        dialog = await open_dialog(pilot)
        field = dialog.query_one(Input)
        await type_path(pilot, "s")
        assert "src/" in screen_text(app)  # the suggestion is shown
        await pilot.press("tab")  # tab accepts it...
        assert field.value == "src/"
        await type_path(pilot, "m")
        await pilot.press("right")  # ...and so does right, at the end
        assert field.value == "src/main.py"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, AttachDialog)
        assert prompt.text == "Explain this:\n```main.py\nprint('hi')\n```\n\nThanks."
        assert notifications(app)[-1] == "Attached main.py (1 line): edit the prompt, then send."
        await pilot.press(*"Please")  # still the user's to edit: the cursor is after the file
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert wire_messages(simulator)[-1]["content"] == (
        "Explain this:\n```main.py\nprint('hi')\n```\nPlease\nThanks."
    )


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("image.png", "Not attached: image.png looks binary (it holds NUL bytes)"),
        ("nowhere.txt", "Not attached: nowhere.txt: no such file."),
        ("src", "Not attached: src is a folder: attach the files in it one by one."),
        ("", "Type the path of a text file first."),
    ],
    ids=["binary", "missing", "folder", "empty"],
)
async def test_a_refused_file_is_said_in_the_dialog_and_nothing_changes(
    simulator, folder, tmp_path, path, said
):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.chat_screen.prompt_input.insert("draft")
        dialog = await open_dialog(pilot)
        dialog.query_one(Input).value = path
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is dialog  # still open, to fix the path
        problem = dialog.query_one(".problem", Static)
        assert str(problem.content).startswith(said)
        assert problem.display
        await type_path(pilot, "x")  # typing again hides the refusal
        assert not problem.display
        await pilot.press("escape")
        await pilot.pause()
        assert app.chat_screen.prompt_input.text == "draft"
    assert simulator.state.requests == []


async def test_a_file_over_the_limit_says_the_limit(simulator, folder, tmp_path):
    (folder / "big.log").write_bytes(b"x" * (256 * 1024 + 10))
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        dialog.query_one(Input).value = "big.log"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(dialog.query_one(".problem", Static).content)
        assert "too large (262,154 bytes; the limit is 256 KiB a file)" in text
        assert app.chat_screen.prompt_input.text == ""


async def test_the_palette_offers_it(simulator, folder, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Attach a file")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AttachDialog)
        await type_path(pilot, "notes.txt")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await send(pilot, "")
    assert wire_messages(simulator)[-1]["content"] == "```notes.txt\nplain\n```"
