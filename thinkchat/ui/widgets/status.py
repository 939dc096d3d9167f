"""The status line: what the next request will use, and what the last ones cost."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content

from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.ui.widgets.item_line import ItemLine


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


class StatusLine(ItemLine):
    """The settings, then live rates while streaming or usage afterwards; items never split."""

    DEFAULT_CSS = """
    StatusLine {
        min-height: 2;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(separator="  ", id=id)
        self.info: StatusInfo | None = None

    def show(self, info: StatusInfo) -> None:
        self.info = info
        settings: list[Content] = []
        if info.demo:
            settings.append(Content.styled("DEMO", "bold reverse $warning"))
        for label, value in (
            ("model", info.model),
            ("region", info.region),
            ("via", info.transport),
            ("thinking", info.thinking),
            ("budget", info.budget),
            ("switch", info.soft_switch),
        ):
            settings.append(
                Content.assemble((f"{label} ", "$text-muted"), (safe_for_terminal(value), "bold"))
            )
        activity: list[Content] = []
        if info.activity:
            activity.append(Content.styled(info.activity, "$accent"))
        if info.last_turn:
            activity.append(Content.assemble(("last ", "$text-muted"), info.last_turn))
        if info.totals:
            activity.append(Content.assemble(("conversation ", "$text-muted"), info.totals))
        self.set_rows(settings, activity)
