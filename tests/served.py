"""Running `thinkchat serve` as a real process, and finding the app processes it starts."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import aiohttp

LINK = re.compile(r"(http://\S+):(\d+)/\?token=(\S+)")
# Polling the process table: how long an app process may take to end (its stop escalates to
# SIGKILL within 8 s; the rest is a loaded machine's slack).
PROCESS_TIMEOUT = 30.0
T = TypeVar("T")


POLL_SECONDS = 0.02


def wait_for(condition: Callable[[], T], what: str, timeout: float = PROCESS_TIMEOUT) -> T:
    """Poll `condition` until it is truthy, and return it; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(POLL_SECONDS)
    return result


async def eventually(condition: Callable[[], T], what: str, timeout: float = PROCESS_TIMEOUT) -> T:
    """`wait_for` for a test whose event loop must go on (its tabs read meanwhile)."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(POLL_SECONDS)
    return result


def app_pids(marker: str) -> set[int]:
    """Live thinkchat processes (not the server) whose command line names `marker`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # it ended while we looked
        # A zombie (ended, not yet reaped) has an empty command line: it does not count.
        if marker.encode() in argv and b"thinkchat" in argv and b"serve" not in argv:
            found.add(int(entry.name))
    return found


def command_line(pid: int) -> list[str]:
    raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    return [part.decode() for part in raw.split(b"\0") if part]


@dataclass
class Served:
    """A running `thinkchat serve`; `marker` (its config path) is on each app's command line."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    token: str
    marker: str
    stderr: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def link(self) -> str:
        return f"{self.base}/?token={self.token}"

    def apps(self) -> set[int]:
        return app_pids(self.marker)

    def stop(self, signal_number: int = signal.SIGINT) -> int:
        """Signal the server and wait for it to exit; its exit code."""
        self.process.send_signal(signal_number)
        return self.process.wait(timeout=PROCESS_TIMEOUT)


@contextmanager
def serving(tmp_path: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    """`thinkchat serve --demo --port 0 OPTIONS…`, until the block ends (then SIGKILLed if
    still running, and every app process it left is reported by the test that cares)."""
    marker = str(tmp_path / "config.toml")
    environment = {**os.environ, **(env or {})}
    command = [sys.executable, "-m", "thinkchat", "serve", "--demo", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--config", marker, *options],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=environment,
    )
    lines: list[str] = []
    found = threading.Event()

    def read_stderr() -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            lines.append(raw.decode("utf-8", "replace"))
            if LINK.search(lines[-1]):
                found.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        if not found.wait(PROCESS_TIMEOUT):
            raise AssertionError(f"serve printed no link: {''.join(lines)!r}")
        match = next(m for m in map(LINK.search, lines) if m)
        host = match.group(1).removeprefix("http://")
        yield Served(process, host, int(match.group(2)), match.group(3), marker, lines)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=5)


class Tab:
    """A browser tab as the server sees it: the secret's cookie and a websocket, no browser.

    What the app draws is read as it comes (as a browser would), so the app never waits on a
    full pipe.
    """

    def __init__(self, served: Served) -> None:
        self.served = served
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.websocket: aiohttp.ClientWebSocketResponse | None = None
        self.output = bytearray()
        self.drawn = asyncio.Event()
        self.closed_by_server = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    async def connect(self) -> Tab:
        async with self.session.get(self.served.link, allow_redirects=False) as response:
            assert response.status == 303
        self.websocket = await self.session.ws_connect(f"{self.served.base}/ws?width=100&height=30")
        self._reader = asyncio.create_task(self._read(self.websocket))
        return self

    async def _read(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        async for message in websocket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.output += message.data
                self.drawn.set()
        self.closed_by_server.set()

    async def started(self) -> None:
        """Wait for the app's first screen: it has started."""
        await asyncio.wait_for(self.drawn.wait(), PROCESS_TIMEOUT)

    async def type(self, text: str) -> None:
        assert self.websocket is not None
        await self.websocket.send_json(["stdin", text])

    async def close(self) -> None:
        if self.websocket is not None:
            await self.websocket.close()
        if self._reader is not None:
            await self._reader
        await self.session.close()
