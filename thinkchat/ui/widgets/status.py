"""The status line: what the next request will use, and what the last ones cost."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widgets import Static

from thinkchat.terminal_text import safe_for_terminal


@dataclass(frozen=True)
class StatusInfo:
    """Everything the status line shows; the app builds one whenever something changes."""

    model: str
    region: str
    transport: str
    thinking: str
    budget: str
    soft_switch: str
    demo: bool = False
    activity: str = ""
    last_turn: str = ""
    totals: str = ""


class StatusLine(Static):
    """Two rows: the settings, then live rates while streaming or usage afterwards."""

    DEFAULT_CSS = """
    StatusLine {
        height: auto;
        min-height: 2;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def show(self, info: StatusInfo) -> None:
        self.info = info
        label_style = "$text-muted"
        value_style = "bold"
        settings: list[tuple[str, str] | str] = []
        if info.demo:
            settings += [("DEMO", "bold reverse $warning"), " "]
        for label, value in (
            ("model", info.model),
            ("region", info.region),
            ("via", info.transport),
            ("thinking", info.thinking),
            ("budget", info.budget),
            ("switch", info.soft_switch),
        ):
            settings += [(f"{label} ", label_style), (safe_for_terminal(value), value_style), "  "]
        second: list[tuple[str, str] | str] = []
        if info.activity:
            second += [(info.activity, "$accent"), "  "]
        if info.last_turn:
            second += [("last ", label_style), info.last_turn, "  "]
        if info.totals:
            second += [("conversation ", label_style), info.totals]
        self.update(Content.assemble(*settings, "\n", *second))
