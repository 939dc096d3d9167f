"""Textual's frame cap, which Textual reads once at import: it must be set before that."""

from __future__ import annotations

import os
import subprocess
import sys

from thinkchat.ui import FRAMES_PER_SECOND

# What `thinkchat` does on its way to the app (the parser, then the TUI's launch, then the app),
# in a fresh interpreter, since this one has imported Textual long ago.
_LAUNCH = """
import thinkchat.cli.main
import thinkchat.cli.tui
from thinkchat.ui.app import ThinkChatApp
import textual.constants
print(textual.constants.MAX_FPS)
"""


def _frame_cap(**environment: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCH],
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(done.stdout)


def test_the_app_raises_textuals_frame_cap_before_textual_loads():
    assert FRAMES_PER_SECOND > 60  # Textual's default
    assert _frame_cap() == FRAMES_PER_SECOND


def test_a_frame_cap_the_user_set_is_kept():
    assert _frame_cap(TEXTUAL_FPS="30") == 30
