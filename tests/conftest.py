"""Shared fixtures: a real simulator on 127.0.0.1, and endpoints that point at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from thinkchat.chat.api_key import ApiKey
from thinkchat.chat.request import Endpoint, Timeouts
from thinkchat.simulator import DEFAULT_KEY, Simulator


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    with Simulator() as running:
        yield running


@pytest.fixture
def endpoint(simulator: Simulator) -> Endpoint:
    return Endpoint(simulator.url, ApiKey(DEFAULT_KEY), "singapore", Timeouts(connect=5, read=10))


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory) -> None:
    """No test reads the developer's own config, keys or history."""
    home = tmp_path_factory.mktemp("home")
    for variable in (
        "DASHSCOPE_API_KEY",
        "THINKCHAT_CONFIG",
        "THINKCHAT_MODEL",
        "THINKCHAT_REGION",
        "THINKCHAT_TRANSPORT",
        "THINKCHAT_THINKING",
        "THINKCHAT_BUDGET",
        "THINKCHAT_ENDPOINT",
        "THINKCHAT_ALLOW_INSECURE_ENDPOINT",
    ):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))
