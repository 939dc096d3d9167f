"""Helpers for driving the app with Textual's pilot against the simulator."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from textual.strip import Strip

from thinkchat.catalog import REGIONS
from thinkchat.config.settings import Config, KeySource, NetworkSettings
from thinkchat.history.store import HistoryStore
from thinkchat.simulator import DEFAULT_KEY, Simulator
from thinkchat.ui.app import ThinkChatApp
from thinkchat.ui.renderer.line_render import LineRenderer


class TickClock:
    """A clock that moves 0.25 s each time it is read: timings become deterministic."""

    def __init__(self) -> None:
        self._ticks = itertools.count()

    def __call__(self) -> float:
        return 1000.0 + next(self._ticks) * 0.25


def make_config(
    simulator: Simulator | None,
    tmp_path: Path,
    *,
    endpoint: str | None = None,
    key: str = DEFAULT_KEY,
    retries: int = 0,
    read_timeout: float = 10.0,
    **settings: Any,
) -> Config:
    """A config pointing at the simulator; settings are checked as if read from a file.

    Retries are off unless a test asks: a scripted fault is then the final answer.
    """
    if endpoint is None:
        endpoint = simulator.url if simulator is not None else "http://127.0.0.1:9"
    keys = {region: KeySource(literal=key) for region in REGIONS}
    config = Config(
        path=tmp_path / "config.toml",
        endpoint=endpoint,
        api_keys=settings.pop("api_keys", keys),
        bindings=settings.pop("bindings", {}),
        network=NetworkSettings(retries=retries, read_timeout=read_timeout),
    )
    return config.with_overrides(**settings)


def make_app(simulator: Simulator | None, tmp_path: Path, **settings: Any) -> ThinkChatApp:
    """The app against the simulator, with its history in `tmp_path`."""
    store = HistoryStore(tmp_path / "history.sqlite3")
    resume = settings.pop("resume", None)
    config = make_config(simulator, tmp_path, **settings)
    return ThinkChatApp(config, store=store, resume=resume, clock=TickClock())


def notifications(app: ThinkChatApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def screen_text(app: ThinkChatApp) -> str:
    """Everything on the screen, as plain text."""
    return "\n".join(
        "".join(segment.text for segment in strip)
        for strip in app.screen._compositor.render_strips()
    )


def wire_messages(simulator: Simulator, index: int = -1) -> list[dict[str, str]]:
    body = simulator.state.requests[index].body
    return body["messages"] if "messages" in body else body["input"]["messages"]


def wire_thinking(simulator: Simulator, index: int = -1) -> dict[str, Any]:
    body = simulator.state.requests[index].body
    source = body.get("parameters", body)
    return {k: source[k] for k in ("enable_thinking", "thinking_budget") if k in source}


async def send(pilot: Any, text: str) -> None:
    """Type a prompt, press enter, and wait for the answer to finish streaming."""
    app = pilot.app
    app.chat_screen.prompt_input.insert(text)
    await pilot.press("enter")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def count_text_drawn(monkeypatch: Any) -> list[str]:
    """Each text the conversation draws with `LineRenderer.text` from now on (a turn's
    heading, summary and usage line)."""
    drawn: list[str] = []
    text = LineRenderer.text

    def counted(self: LineRenderer, shown: str, *args: Any, **options: Any) -> list[Strip]:
        drawn.append(shown)
        return text(self, shown, *args, **options)

    monkeypatch.setattr(LineRenderer, "text", counted)
    return drawn
