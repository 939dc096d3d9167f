"""Processes: the simulator in its own process, and timed child processes.

The simulator never shares the GIL with the client being measured: it runs as
`python -m thinkchat.simulator --port N` and is polled until it accepts connections.
Children run with their config and data folders in a temporary directory, so nothing touches
the user's files.
"""

from __future__ import annotations

import compileall
import contextlib
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.childio import MARKER

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

KEY = "sk-simulator-0000"
_SCRUBBED = ("DASHSCOPE_API_KEY", "THINKCHAT_", "TEXTUAL", "PYTHONPROFILE")


def byte_compile() -> None:
    """Compile thinkchat's and the benchmarks' modules, as pip does when it installs a package.

    A checkout run in place, on a machine that sets PYTHONDONTWRITEBYTECODE (these do), would
    otherwise compile every module from source at each launch: 100 ms or more that an
    installed thinkchat never pays, inside every start-up and `thinkchat ask` figure.
    """
    for folder in ("thinkchat", "benchmarks"):
        compileall.compile_dir(REPO / folder, quiet=1)


def thinkchat_command() -> str:
    """The `thinkchat` console script next to this Python."""
    beside = Path(PYTHON).with_name("thinkchat")
    return str(beside) if beside.exists() else "thinkchat"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def child_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment for a child: isolated folders, no thinkchat settings from the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED)}
    for name in ("config", "data", "cache", "state"):
        (folder / name).mkdir(parents=True, exist_ok=True)
        env[f"XDG_{name.upper()}_HOME"] = str(folder / name)
    env["HOME"] = str(folder)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


class SimulatorProcess:
    """`python -m thinkchat.simulator` on a free port, in its own process group."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> SimulatorProcess:
        for _attempt in range(3):
            self.port = free_port()
            log = (self.folder / "simulator.log").open("ab")
            self._process = subprocess.Popen(
                [PYTHON, "-m", "thinkchat.simulator", "--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=child_env(self.folder / "simulator"),
                cwd=REPO,
            )
            log.close()
            if self._wait_ready(timeout):
                return self
            self.stop()
        raise RuntimeError(f"the simulator did not start; see {self.folder / 'simulator.log'}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                return False
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return True
            time.sleep(0.02)
        return False

    def post(self, path: str, payload: Any = None) -> Any:
        data = json.dumps(payload if payload is not None else {}).encode()
        request = urllib.request.Request(
            self.url + path, data=data, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def reset(self) -> None:
        """Forget queued scripts and the log of requests."""
        self.post("/_sim/reset")

    def visits(self) -> list[dict[str, Any]]:
        """Every request received since the last reset, with its connection and the moment it
        arrived (`time.monotonic()`, the same clock as this process's)."""
        with urllib.request.urlopen(self.url + "/_sim/visits", timeout=10) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            stop_process(process)

    def __enter__(self) -> SimulatorProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Ask the child to end, kill it if it has not after 10 s, and reap it."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class ChildRun:
    """How a child process went: wall time, exit status, what it reported.

    Peak memory comes from the child's own VmHWM (`childio.peak_rss`), not from `wait4`: on
    Linux a child's ru_maxrss includes the memory it shared with this process between fork and
    exec, which is this process's whole RSS.
    """

    seconds: float
    returncode: int
    report: dict[str, Any] | None = None
    output: str = ""


def _reap(process: subprocess.Popen[bytes], timeout: float) -> int:
    """Wait for the child (killing it after `timeout`); its exit code.

    A blocking `wait()`: with a timeout, `Popen.wait` polls with growing sleeps (up to 50 ms),
    which would round every duration up to its schedule.
    """
    killer = threading.Timer(timeout, process.kill)
    killer.start()
    try:
        return process.wait()
    finally:
        killer.cancel()


def run_timed(
    command: Sequence[str], env: Mapping[str, str], *, timeout: float = 600.0
) -> ChildRun:
    """Run to completion with stdout and stderr to /dev/null; wall time from Popen to exit."""
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(env),
        cwd=REPO,
    )
    code = _reap(process, timeout)
    return ChildRun(time.perf_counter() - start, code)


def run_to_marker(
    command: Sequence[str], env: Mapping[str, str], *, timeout: float = 600.0
) -> ChildRun:
    """Run a driver; `seconds` runs from Popen to its `@@BENCH {json}` line reaching us.

    The driver prints the marker once its measured moment has happened, then exits by itself.
    """
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=dict(env),
        cwd=REPO,
    )
    assert process.stdout is not None
    seconds = float("nan")
    report: dict[str, Any] | None = None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    for raw in _lines(process.stdout.fileno(), deadline):
        line = raw.decode("utf-8", "replace")
        if line.startswith(MARKER) and report is None:
            seconds = time.perf_counter() - start
            report = json.loads(line[len(MARKER) :])
        else:
            lines.append(line)
    process.stdout.close()
    code = _reap(process, max(deadline - time.monotonic(), 1.0))
    return ChildRun(seconds, code, report, "\n".join(lines[-40:]))


def run_to_line(
    command: Sequence[str], env: Mapping[str, str], needle: bytes, *, timeout: float = 600.0
) -> ChildRun:
    """Run to completion; `seconds` runs from Popen to the first line of its stdout that holds
    `needle` reaching us (nan: none did). Its stderr goes to /dev/null."""
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=dict(env),
        cwd=REPO,
    )
    assert process.stdout is not None
    seconds = float("nan")
    found = False
    deadline = time.monotonic() + timeout
    for line in _lines(process.stdout.fileno(), deadline):
        if not found and needle in line:
            found = True
            seconds = time.perf_counter() - start
    process.stdout.close()
    code = _reap(process, max(deadline - time.monotonic(), 1.0))
    return ChildRun(seconds, code)


def _lines(fd: int, deadline: float) -> Iterator[bytes]:
    """Lines read from `fd` as soon as they arrive, until end of file or the deadline."""
    pending = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        pending += chunk
        *complete, pending = pending.split(b"\n")
        yield from complete
    if pending:
        yield pending
