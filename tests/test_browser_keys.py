"""Served to a browser, the chat says which of its keys the browser keeps, and where they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui import make_app, screen_text
from thinkchat.ui.app import ThinkChatApp
from thinkchat.ui.keys import KeyMap

NOTE = "In a browser, ctrl+t (think), ctrl+n (new) belong to the browser: ctrl+p runs them."


def test_the_browser_keeps_thinking_and_new_conversation() -> None:
    assert [spec.id for spec in KeyMap({}).browser_taken()] == [
        "toggle_thinking",
        "new_conversation",
    ]


def test_a_key_added_beside_a_browsers_key_frees_the_action() -> None:
    keymap = {"toggle_thinking": "ctrl+t,f6", "new_conversation": "ctrl+w"}
    assert [spec.id for spec in KeyMap(keymap).browser_taken()] == ["new_conversation"]


@pytest.mark.parametrize("web", [True, False])
async def test_the_welcome_names_the_browsers_keys_only_in_a_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, web: bool
) -> None:
    monkeypatch.setattr(ThinkChatApp, "is_web", property(lambda _: web))
    app = make_app(None, tmp_path)
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.pause()
        assert (NOTE in screen_text(app)) is web
