"""ctrl+c in `thinkchat ask` is never lost: it cancels the work at an await on every Python,
even when the signal comes while a finalizer runs (on Python 3.10 such an interrupt used to be
printed as "Exception ignored" and dropped, and a stalled stream was waited for forever)."""

from __future__ import annotations

import signal
import subprocess
import sys

# Most of the child's time is spent in a finalizer, where a KeyboardInterrupt raised by the
# signal would be swallowed.
_CHILD = """
import asyncio, time
from thinkchat.cli.ask import run_interruptibly

class SlowToCollect:
    def __del__(self):
        end = time.perf_counter() + 0.002
        while time.perf_counter() < end:
            pass

async def work():
    print("ready", flush=True)
    try:
        while True:
            SlowToCollect()  # collected at once
            await asyncio.sleep(0)
    finally:
        print("cleaned up", flush=True)

try:
    run_interruptibly(work())
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


def test_ctrl_c_cancels_the_work_even_while_a_finalizer_runs():
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == b"ready\n"
        child.send_signal(signal.SIGINT)
        rest, stderr = child.communicate(timeout=30)
    finally:
        child.kill()
    assert rest == b"cleaned up\ninterrupted\n", stderr.decode()
    assert child.returncode == 0
