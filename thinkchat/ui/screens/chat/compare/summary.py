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
# The engine's names for the figures, shortened to keep the table narrow.
SHORT_NAMES = {
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
        self._shown: tuple[tuple[str, ...], ...] = ()

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
        if cells == self._shown:
            return  # every figure reads as it did: nothing to draw
        self._shown = cells
        table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False, header_style="bold")
        table.add_column("variant", no_wrap=True, overflow="ellipsis", max_width=30)
        for row in rows:
            table.add_column(SHORT_NAMES.get(row.name, row.name), no_wrap=True)
        for index, figures in enumerate(cells):
            label = Text(safe_for_terminal(f"{index + 1} {labels[index]}".rstrip()))
            table.add_row(
                label,
                *(
                    Text(figure, style="bold" if figure.endswith(BEST_MARK) else "")
                    for figure in figures
                ),
            )
        table.caption = f"{BEST_MARK} better: {BETTER_MEANS}"
        table.caption_justify = "left"
        self.update(table)
