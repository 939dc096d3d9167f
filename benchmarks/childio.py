"""What driver processes use to report to the parent: kept tiny, so it costs them nothing.

Imports only `json` and `sys`: a start-up driver must not pay for anything it does not measure.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

MARKER = "@@BENCH "


def emit(report: Mapping[str, Any]) -> None:
    """For drivers: print the marker line the parent waits for, and flush it now."""
    sys.__stdout__.write(MARKER + json.dumps(dict(report)) + "\n")
    sys.__stdout__.flush()


def peak_rss() -> int:
    """This process's peak resident set size (VmHWM), in bytes."""
    return _status_field("VmHWM")


def current_rss() -> int:
    """This process's resident set size now (VmRSS), in bytes."""
    return _status_field("VmRSS")


def _status_field(name: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak_rss() -> bool:
    """Start VmHWM again from the current RSS (Linux: write 5 to clear_refs); False if refused."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return False
    return True
