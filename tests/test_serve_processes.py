"""No app process outlives its tab or its server, whatever the order in which they go.

A real `thinkchat serve --demo` runs each tab's app as a real process; tabs are websockets;
each check polls the process table until the processes it expects to end have ended.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual_serve.download_manager import DownloadManager

from tests.served import Served, Tab, app_pids, command_line, eventually, serving, wait_for
from thinkchat.web.app_process import AppProcess
from thinkchat.web.driver import SERVED_BY

# A long answer, streamed fast: the app is busy drawing when its tab or server goes (how the
# app left behind by textual-serve's own server spent a core on a screen no one saw).
LONG_STREAM = "#sim reasoning=20000 answer=20000 delay=0.002\r"


async def _open_tabs(served: Served, count: int) -> list[Tab]:
    tabs = [await Tab(served).connect() for _ in range(count)]
    for tab in tabs:
        await tab.started()
    await eventually(lambda: len(served.apps()) == count, f"{count} app processes")
    return tabs


async def test_a_closed_tab_ends_its_app_and_only_its_app(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        first, second = await _open_tabs(served, 2)
        both = served.apps()
        await first.type(LONG_STREAM)
        await first.close()
        left = await eventually(lambda: (a := served.apps()) and len(a) == 1 and a, "one app")
        assert left < both
        await second.close()
        await eventually(lambda: not served.apps(), "the second tab's app to end")
        assert served.process.poll() is None  # the server goes on for the next tab


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
async def test_the_server_stopping_ends_every_app(tmp_path: Path, signal_number: int) -> None:
    with serving(tmp_path) as served:
        tabs = await _open_tabs(served, 2)
        await tabs[0].type(LONG_STREAM)
        served.process.send_signal(signal_number)
        await eventually(lambda: served.process.poll() is not None, "the server to stop")
        assert served.process.returncode == 0
        assert not served.apps()  # ended, and waited for, before the server exits
        for tab in tabs:
            assert tab.closed_by_server.is_set()
            await tab.close()


async def test_a_killed_server_leaves_no_app_behind(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        tabs = await _open_tabs(served, 2)
        await tabs[0].type(LONG_STREAM)
        served.process.kill()
        served.process.wait()
        await eventually(lambda: not served.apps(), "the apps of a killed server to end")
        for tab in tabs:
            await tab.close()


async def test_a_tab_closed_while_its_app_starts_ends_it(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        tab = await Tab(served).connect()
        await eventually(served.apps, "the app process to exist")
        assert not tab.drawn.is_set()  # still starting: nothing drawn yet
        await tab.close()
        await eventually(lambda: not served.apps(), "the starting app to end")


async def test_a_server_killed_while_an_app_starts_leaves_nothing(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        tab = await Tab(served).connect()
        await eventually(served.apps, "the app process to exist")
        served.process.kill()
        served.process.wait()
        await eventually(lambda: not served.apps(), "the starting app to end")
        await tab.close()


async def test_keys_are_not_on_the_apps_command_line(tmp_path: Path) -> None:
    key = "sk-never-on-a-command-line-0123"
    with serving(tmp_path, "--model", "qwq-plus", env={"DASHSCOPE_API_KEY": key}) as served:
        tab = await Tab(served).connect()
        await tab.started()
        (pid,) = await eventually(served.apps, "the app process")
        argv = command_line(pid)
        assert argv[1:] == [
            "-m", "thinkchat", "--config", served.marker, "--model", "qwq-plus", "--demo"
        ]  # fmt: skip
        assert not any(key in part for part in argv)
        await tab.close()


def test_an_app_ends_when_its_input_ends(tmp_path: Path) -> None:
    """The app as serve starts it, with this test as its server, which then goes."""
    app = subprocess.Popen(
        [sys.executable, "-m", "thinkchat", "--demo", "--config", str(tmp_path / "config.toml")],
        env={
            **os.environ,
            "TEXTUAL_DRIVER": "thinkchat.web.driver:ServedDriver",
            SERVED_BY: str(os.getpid()),
        },
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert app.stdin is not None and app.stdout is not None
    assert app.stdout.readline() == b"__GANGLION__\n"  # it is up
    app.stdin.close()  # the server has gone
    app.stdout.read()  # drained to its end, so a full pipe does not hold the app
    assert app.wait(timeout=30) == 0


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")
def test_an_app_ends_with_its_server_even_while_its_input_stays_open(tmp_path: Path) -> None:
    """The kernel's signal on the server's death ends the app, EOF or not: here the test
    holds the app's stdin open and its stdout is a file, so only the signal is left."""
    read_end, write_end = os.pipe()
    screen = (tmp_path / "screen.bin").open("wb")
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT, str(tmp_path)],
        stdin=read_end,
        stdout=screen,
        stderr=subprocess.DEVNULL,
    )
    os.close(read_end)
    try:
        marker = str(tmp_path / "config.toml")
        assert len(wait_for(lambda: app_pids(marker), "the app process")) == 1
        wait_for(lambda: (tmp_path / "screen.bin").stat().st_size > 0, "the app to start")
        parent.kill()
        parent.wait()
        wait_for(lambda: not app_pids(marker), "the app to end with its parent")
    finally:
        os.close(write_end)
        screen.close()


# A stand-in server: starts the app with its own stdin and stdout, then waits to be killed.
_PARENT = """
import os, sys, time
from pathlib import Path
from typing import Any
os.environ["TEXTUAL_DRIVER"] = "thinkchat.web.driver:ServedDriver"
os.environ["THINKCHAT_SERVED_BY"] = str(os.getpid())
marker = str(Path(sys.argv[1]) / "config.toml")
import subprocess
subprocess.Popen([sys.executable, "-m", "thinkchat", "--demo", "--config", marker],
                 stderr=subprocess.DEVNULL)
time.sleep(120)
"""


async def _ignore(*_: object) -> None:
    return None


def _app_process(argv: list[str], **options: Any) -> AppProcess:
    """An AppProcess with no tab: what the app draws goes nowhere."""
    defaults = {"write_bytes": _ignore, "write_str": _ignore, "close": _ignore}
    return AppProcess(argv, download_manager=DownloadManager(), **{**defaults, **options})


async def test_an_app_deaf_to_quit_and_sigterm_is_killed() -> None:
    """Stopping escalates: an app that ignores "quit" and SIGTERM is SIGKILLed, and waited for."""
    deaf = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "sys.stdout.write('__GANGLION__\\n'); sys.stdout.flush()\n"
        "time.sleep(120)\n"
    )
    app = _app_process([sys.executable, "-c", deaf], quit_grace=0.5, term_grace=0.5)
    await app.start(80, 24)
    assert app.pid is not None
    await app.stop()
    assert app._process is not None and app._process.returncode == -signal.SIGKILL
    await app.stop()  # a second stop has nothing left to do


async def test_stopping_a_tab_before_its_app_started_starts_none() -> None:
    closed: list[bool] = []

    async def close() -> None:
        closed.append(True)

    app = _app_process([sys.executable, "-c", "raise SystemExit(3)"], close=close)
    await asyncio.gather(app.stop(), app.start(80, 24))
    assert app.pid is None and closed == [True]
