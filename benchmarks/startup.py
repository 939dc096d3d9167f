"""startup: from launching thinkchat to its first frame ready for input.

- In a pseudo-terminal (140×40, TERM=xterm-256color): the real `thinkchat` command against a
  minimal Textual app showing one focused Input (`drivers minimal-tty`), from `Popen` to the
  moment the first frame's text (the welcome line; the Input's placeholder) reaches the
  terminal.
- Headless: `thinkchat` through its real entry point with the app run headless, against the
  minimal app run the same way, from `Popen` to the marker line the child prints at its first
  frame ready for input (`drivers`); the child also reports which SDK modules were imported.
- `thinkchat --version` and `thinkchat ask --help` against `python -c pass`.

Every child gets fresh, empty config and data folders and a key in DASHSCOPE_API_KEY (so the
first-run dialog does not open).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
import time
from collections.abc import Sequence

from benchmarks.harness import Context, Figure, Target, interleave
from benchmarks.procs import (
    KEY,
    PYTHON,
    REPO,
    child_env,
    run_timed,
    run_to_marker,
    stop_process,
)
from benchmarks.procs import thinkchat_command as thinkchat

NAME = "startup"
TARGET = Target(1.30)
# A launch takes a third of a second, so the noise of a shared machine moves a ratio of five
# launches by ±0.1× (runs of the same code ranged 1.19–1.42×): three times the repetitions.
REPEAT_FACTOR = 3
ROWS, COLUMNS = 40, 140
THINKCHAT_FIRST_FRAME = b"Ask anything"  # the welcome line, drawn in the first frame
MINIMAL_FIRST_FRAME = b"a message"  # the Input's placeholder (its first cell holds the cursor)


def run_in_terminal(
    command: Sequence[str], env: dict[str, str], marker: bytes, timeout: float = 60.0
) -> float:
    """Seconds from `Popen` to `marker` appearing in the output of `command` run in a pty."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**env, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)},
        cwd=REPO,
        start_new_session=True,
    )
    os.close(follower)
    seen = b""
    shown: float | None = None
    try:
        deadline = start + timeout
        while shown is None and time.perf_counter() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(leader, 1 << 16)
            except OSError:  # the child closed the terminal
                break
            # Keep a tail, so a marker split across two reads is still found.
            seen = seen[-len(marker) :] + chunk
            if marker in seen:
                shown = time.perf_counter()
    finally:
        stop_process(process)
        os.close(leader)
    if shown is None:
        raise RuntimeError(f"{' '.join(command)} showed no first frame in {timeout:.0f} s")
    return shown - start


def run(ctx: Context) -> list[Figure]:
    folder = ctx.scratch(NAME)
    counter = iter(range(10**6))

    def env() -> dict[str, str]:
        """Fresh folders for every launch: each one is a first launch, as a new user's."""
        return child_env(folder / f"launch-{next(counter)}", DASHSCOPE_API_KEY=KEY)

    driver = [PYTHON, "-m", "benchmarks.drivers"]
    reports: list[dict[str, object]] = []

    def headless(mode: str) -> float:
        outcome = run_to_marker([*driver, mode], env(), timeout=120)
        if outcome.report is None:
            raise RuntimeError(f"{mode} did not report:\n{outcome.output}")
        if mode == "thinkchat-headless":
            reports.append(outcome.report)
        return outcome.seconds

    def command(argv: list[str]) -> float:
        outcome = run_timed(argv, env(), timeout=120)
        if outcome.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {outcome.returncode}")
        return outcome.seconds

    ctx.log("startup: in a pseudo-terminal")
    tty = interleave(
        [
            (
                "minimal",
                lambda: run_in_terminal([*driver, "minimal-tty"], env(), MINIMAL_FIRST_FRAME),
            ),
            ("thinkchat", lambda: run_in_terminal([thinkchat()], env(), THINKCHAT_FIRST_FRAME)),
        ],
        ctx.repeat * REPEAT_FACTOR,
        log=ctx.log,
    )
    ctx.log("startup: headless")
    quiet = interleave(
        [
            ("minimal", lambda: headless("minimal-headless")),
            ("thinkchat", lambda: headless("thinkchat-headless")),
        ],
        ctx.repeat * REPEAT_FACTOR,
        log=ctx.log,
    )
    ctx.log("startup: commands")
    cli = interleave(
        [
            ("python", lambda: command([PYTHON, "-c", "pass"])),
            ("version", lambda: command([thinkchat(), "--version"])),
            ("ask help", lambda: command([thinkchat(), "ask", "--help"])),
        ],
        ctx.repeat * REPEAT_FACTOR,
        log=ctx.log,
    )
    sdk = sorted({m for report in reports for m in report["sdk_modules"]})  # type: ignore[attr-defined]
    forbidden = [m for m in sdk if m in ("openai", "dashscope")]
    in_app = sorted(float(report["seconds_in_app"]) for report in reports)  # type: ignore[arg-type]
    return [
        Figure(
            NAME,
            "first frame, pty",
            tty["thinkchat"],
            tty["minimal"],
            baseline_name="minimal app",
            target=TARGET,
            note="Popen to the first frame's text on the terminal",
        ),
        Figure(
            NAME,
            "first frame, headless",
            quiet["thinkchat"],
            quiet["minimal"],
            baseline_name="minimal app",
            target=TARGET,
            note=(
                f"Popen to the first usable frame; inside the app (run() to that frame) "
                f"{in_app[len(in_app) // 2] * 1000:.0f} ms"
            ),
            extra={"reports": reports},
        ),
        Figure(
            NAME,
            "SDKs imported at first frame",
            [float(len(forbidden))],
            [],
            unit="",
            target=Target(0, on="value"),
            note=f"openai/dashscope in sys.modules: {forbidden or 'none'}; "
            f"HTTP libraries: {[m for m in sdk if m not in forbidden] or 'none'}",
        ),
        Figure(
            NAME,
            "thinkchat --version",
            cli["version"],
            cli["python"],
            baseline_name="python -c pass",
        ),
        Figure(
            NAME,
            "thinkchat ask --help",
            cli["ask help"],
            cli["python"],
            baseline_name="python -c pass",
        ),
    ]
