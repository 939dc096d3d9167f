"""The settings saver: writes leave the caller's thread, keep their order, and report failures."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from tests.tui import make_app, notifications
from thinkchat.config.saver import SettingsSaver
from thinkchat.config.writer import update_config_file
from thinkchat.ui.widgets.reasoning_panel import ReasoningPanel

SIZE = (140, 40)


class HeldWriter:
    """Writes as thinkchat does, but only once the test lets it; notes where and what."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.writes: list[dict[str, Any]] = []
        self.threads: set[int] = set()

    def __call__(self, path: Path, changes: dict[str, Any]) -> None:
        self.release.wait(timeout=10)
        self.threads.add(threading.get_ident())
        self.writes.append(dict(changes))
        update_config_file(path, changes)


def test_a_save_returns_before_the_disk_is_written(tmp_path):
    path = tmp_path / "config.toml"
    writer = HeldWriter()
    saver = SettingsSaver(path, on_error=lambda problem: None, write=writer)
    saver.save({"thinking": "on"})
    assert not path.exists() and writer.writes == []
    writer.release.set()
    saver.wait()
    assert writer.threads and threading.get_ident() not in writer.threads
    assert 'thinking = "on"' in path.read_text()
    saver.close()


def test_changes_made_during_a_write_are_merged_into_the_next_in_order(tmp_path):
    path = tmp_path / "config.toml"
    writer = HeldWriter()
    saver = SettingsSaver(path, on_error=lambda problem: None, write=writer)
    saver.save({"reasoning_panel": "collapsed"})
    saver.save({"reasoning_panel": "open", "thinking": "off"})
    saver.save({"reasoning_panel": "collapsed"})
    writer.release.set()
    saver.close()
    # The first write may or may not have started before the next changes came; either way
    # the last value of each setting is what the file ends with, in at most two writes.
    assert 1 <= len(writer.writes) <= 2
    assert writer.writes[-1]["reasoning_panel"] == "collapsed"
    text = path.read_text()
    assert 'reasoning_panel = "collapsed"' in text and 'thinking = "off"' in text


def test_a_failed_write_is_reported_and_leaves_the_file_alone(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("model = \n", encoding="utf-8")  # broken: the saver must not overwrite it
    problems: list[str] = []
    saver = SettingsSaver(path, on_error=problems.append)
    saver.save({"thinking": "on"})
    saver.close()
    assert len(problems) == 1 and problems[0].startswith("Settings not saved:")
    assert path.read_text() == "model = \n"


def test_changes_after_close_are_still_written(tmp_path):
    path = tmp_path / "config.toml"
    saver = SettingsSaver(path, on_error=lambda problem: None)
    saver.close()
    saver.save({"budget": 2048})
    assert "budget = 2048" in path.read_text()


async def test_the_app_warns_when_a_setting_cannot_be_saved(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        (tmp_path / "config.toml").write_text("[keys\n", encoding="utf-8")
        await pilot.press("ctrl+f")
        assert app.query_one(ReasoningPanel).collapsed
        app.settings_saver.wait()
        await pilot.pause()
        assert any(n.startswith("Settings not saved:") for n in notifications(app))
    assert (tmp_path / "config.toml").read_text() == "[keys\n"
