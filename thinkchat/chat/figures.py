"""Numbers as people read them, the same in the chat, `ask` and the comparison's table."""

from __future__ import annotations


def seconds(value: float | None) -> str:
    """4.23 -> "4.2 s", 125 -> "2 min 05 s", None -> "–"."""
    if value is None:
        return "–"
    if value < 60:
        return f"{value:.1f} s"
    minutes, rest = divmod(int(value), 60)
    return f"{minutes} min {rest:02d} s"


def count(value: int) -> str:
    """1234 -> "1,234"."""
    return f"{value:,}"
