"""The comparison's summary: a row for each variant, a column for each figure, the better marked.

The figures and what "better" means are the engine's (`comparison_summary`), the same as
`ask --compare` prints; here they are a table under the columns, redrawn only when a figure
reads differently.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

from thinkchat.chat.comparison_summary import BETTER_MEANS, LiveTokens, summary_rows
from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.chat.turn import Turn

BEST_MARK = "*"
GAP = 2  # cells between two columns
LABEL_WIDTH = 30  # the widest a variant's name is shown
# The engine's names for the figures, in short lines to keep the table narrow.
SHORT_NAMES = {
    "first token": "first\ntoken",
    "whole answer": "whole\nanswer",
    "input tokens": "in",
    "output tokens": "out",
    "reasoning tokens": "reasoning",
    "cached tokens": "cached",
}


class ComparisonSummary(Static):
    """The figures of every variant, side by side."""

    DEFAULT_CSS = """
    ComparisonSummary {
        height: auto;
        padding: 0 1;
        border-top: hkey $panel;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._headers: list[str] = []
        self._labels: list[str] = []
        self._cells: tuple[tuple[str, ...], ...] = ()  # each variant's figures, as shown
        self._laid_out = False

    def show(
        self,
        labels: Sequence[str],
        turns: Sequence[Turn],
        live: Sequence[LiveTokens | None] | None = None,
    ) -> None:
        """The figures of `turns` (the variants, labelled `labels`) as they are now; `live`
        estimates the tokens of those still streaming."""
        rows = summary_rows(turns, live)
        cells = tuple(
            tuple(row.cells[index] + (BEST_MARK if index in row.best else "") for row in rows)
            for index in range(len(turns))
        )
        names = [f"{index + 1} {label}".rstrip() for index, label in enumerate(labels)]
        if cells == self._cells and names == self._labels:
            return  # every figure reads as it did: nothing to draw
        self._headers = [SHORT_NAMES.get(row.name, row.name) for row in rows]
        self._labels = names
        self._cells = cells
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        """The table as lines of text in columns: drawn on every frame of the streams, so
        without a layout and without Rich's table, which costs a frame's time to render."""
        if not self._cells:
            return
        widths = [
            max(len(line) for line in (*header.splitlines(), *(f[column] for f in self._cells)))
            for column, header in enumerate(self._headers)
        ]
        # Figures are never cut: the variants' names are, when the table is too wide.
        room = self.content_region.width - sum(widths) - GAP * (len(widths) + 1)
        longest = max(len(label) for label in (*self._labels, "variant"))
        label_width = max(min(longest, LABEL_WIDTH, room if room > 0 else LABEL_WIDTH), 4)
        gap = " " * GAP
        heading = max(len(header.splitlines()) for header in self._headers)
        lines: list[Content] = []
        for line in range(heading):
            cells = [(label_width, "variant" if line == heading - 1 else "")]
            for header, width in zip(self._headers, widths, strict=True):
                parts = header.splitlines()
                cells.append(
                    (
                        width,
                        parts[line - heading + len(parts)] if line >= heading - len(parts) else "",
                    )
                )
            lines.append(
                Content.styled(gap.join(text.ljust(width) for width, text in cells), "bold")
            )
        for label, figures in zip(self._labels, self._cells, strict=True):
            name = safe_for_terminal(label)
            if len(name) > label_width:
                name = name[: label_width - 1] + "…"
            parts: list[Content | str] = [name.ljust(label_width)]
            for figure, width in zip(figures, widths, strict=True):
                shown = figure.ljust(width)
                parts += [
                    gap,
                    Content.styled(shown, "bold") if figure.endswith(BEST_MARK) else shown,
                ]
            lines.append(Content.assemble(*parts))
        lines.append(Content(f"{BEST_MARK} better: {BETTER_MEANS}"))
        # Its height is the same from one frame to the next: the screen is laid out only when
        # the table is first drawn.
        self.update(Content("\n").join(lines), layout=not self._laid_out)
        self._laid_out = True
