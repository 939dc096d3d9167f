"""Running `thinkchat` as a real process, the way a user or a script would."""

from __future__ import annotations

import os
import subprocess
import sys

from thinkchat.simulator import DEFAULT_KEY


def thinkchat(
    *args: str,
    stdin: bytes = b"",
    key: str | None = DEFAULT_KEY,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """`thinkchat ARGS…` with `key` as DASHSCOPE_API_KEY (None: no key at all)."""
    environment = {k: v for k, v in os.environ.items() if k != "DASHSCOPE_API_KEY"}
    if key is not None:
        environment["DASHSCOPE_API_KEY"] = key
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "thinkchat", *args],
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=60,
        check=False,
    )
