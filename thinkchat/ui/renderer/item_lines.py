"""Items ("qwen-plus", "Singapore", "5 in") laid out in lines, breaking only between items."""

from __future__ import annotations

from textual.content import Content


def fit_items(items: list[Content], width: int, separator: Content) -> list[Content]:
    """Lay `items` out in as few lines of `width` cells as fit, breaking only between items."""
    lines: list[Content] = []
    line: Content | None = None
    for item in items:
        candidate = item if line is None else line + separator + item
        if line is not None and candidate.cell_length > width:
            lines.append(line)
            line = item
        else:
            line = candidate
    if line is not None:
        lines.append(line)
    return lines
