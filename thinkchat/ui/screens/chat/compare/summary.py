"""The comparison's summary: a row for each variant, a column for each figure, the better marked.

The figures and what "better" means are the engine's (`comparison_summary`), the same as
`ask --compare` prints; here they are a table under the columns, redrawn only when a figure
reads differently.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
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
        if not self._cells:
            return
        widths = [
            max(len(line) for line in (*header.splitlines(), *(f[column] for f in self._cells)))
            for column, header in enumerate(self._headers)
        ]
        # Figures are never cut: the variants' names are, when the table is too wide.
        room = self.content_region.width - sum(widths) - GAP * len(widths)
        longest = max(len(label) for label in (*self._labels, "variant"))
        table = Table(box=None, padding=(0, GAP, 0, 0), show_edge=False, header_style="bold")
        table.add_column(
            "variant",
            no_wrap=True,
            overflow="ellipsis",
            width=max(min(longest, LABEL_WIDTH, room if room > 0 else LABEL_WIDTH), 4),
        )
        for header, width in zip(self._headers, widths, strict=True):
            table.add_column(header, no_wrap=True, width=width)
        for label, figures in zip(self._labels, self._cells, strict=True):
            table.add_row(
                Text(safe_for_terminal(label)),
                *(
                    Text(figure, style="bold" if figure.endswith(BEST_MARK) else "")
                    for figure in figures
                ),
            )
        table.caption = f"{BEST_MARK} better: {BETTER_MEANS}"
        table.caption_justify = "left"
        self.update(table)
