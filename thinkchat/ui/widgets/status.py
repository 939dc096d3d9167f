"""The status line: what the next request will use, and what the last ones cost."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content

from thinkchat.catalog import SoftSwitch, region_label
from thinkchat.chat.conversation import title_from_prompt
from thinkchat.chat.figures import count
from thinkchat.chat.session import ChatSession
from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.chat.transport_registry import transport_label
from thinkchat.ui.formatting import thinking_label
from thinkchat.ui.widgets.item_line import ItemLine

# How much of the system prompt the status line shows: enough to tell which one is in force.
SYSTEM_EXCERPT = 24


@dataclass(frozen=True)
class StatusInfo:
    """Everything the status line shows; built (`status_info`) whenever something changes."""

    model: str
    region: str
    transport: str
    thinking: str
    budget: str
    soft_switch: str
    # The model parameters the next request sends ("" when none), "qwen3: " first for the preset.
    parameters: str = ""
    system: str = ""  # the start of the conversation's system prompt ("": none)
    demo: bool = False
    activity: str = ""
    last_turn: str = ""
    totals: str = ""


def status_info(
    session: ChatSession,
    prompt: str,
    soft_switch: SoftSwitch | None,
    rates: tuple[float | None, float | None] | None,
    *,
    demo: bool,
) -> StatusInfo:
    """What the status line shows for `session` with `prompt` typed: the settings the next
    request will use, the live token `rates` (reasoning, answer) while a turn streams (None:
    none streams), and the usage and cost of the last counted turn and of the conversation
    (alternatives included: they were paid for)."""
    settings = session.settings
    plan = session.plan(prompt or " ")
    budget = "no limit" if settings.budget is None else f"{count(settings.budget)} tokens"
    if settings.budget is not None and not plan.model.budget:
        budget += " (ignored)"
    activity = ""
    if rates is not None:
        reasoning_rate, answer_rate = rates
        parts = []
        if reasoning_rate is not None:
            parts.append(f"thinking ~{reasoning_rate:,.0f} tok/s")
        if answer_rate is not None:
            parts.append(f"answering ~{answer_rate:,.0f} tok/s")
        activity = " · ".join(parts) or "streaming…"
    sent = settings.parameters_in_force.for_mode(plan.thinking).sent()
    parameters = " ".join(f"{name}={value}" for name, value in sent.items())
    if parameters and settings.preset:
        parameters = f"{settings.preset}: {parameters}"
    conversation = session.conversation
    last = next((turn for turn in reversed(conversation.turns) if turn.usage is not None), None)
    last_turn = totals = ""
    if last is not None and last.usage is not None:
        last_turn = _joined(last.usage.summary(), last.cost.text() if last.cost else "")
        totals = _joined(conversation.totals.summary(), conversation.cost_total.text())
    return StatusInfo(
        model=settings.model,
        region=region_label(settings.region),
        transport=transport_label(settings.transport),
        thinking=thinking_label(settings.model, bool(plan.enable_thinking), plan),
        budget=budget,
        soft_switch=soft_switch.value if soft_switch else "none",
        parameters=parameters,
        system=title_from_prompt(conversation.system_prompt or "", SYSTEM_EXCERPT) or "",
        demo=demo,
        activity=activity,
        last_turn=last_turn,
        totals=totals,
    )


def _joined(*parts: str) -> str:
    """Tokens and cost as one item: "11 in · 405 out (256 reasoning) · 0 cached · $0.0007"."""
    return " · ".join(part for part in parts if part)


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
            ("system", info.system),
        ):
            if not value:
                continue  # no system prompt: nothing to say
            settings.append(
                Content.assemble((f"{label} ", "$text-muted"), (safe_for_terminal(value), "bold"))
            )
        if info.parameters:
            # Quiet: in force, but not a setting changed as often as the others.
            settings.append(Content.styled(f"params {info.parameters}", "$text-muted"))
        activity: list[Content] = []
        if info.activity:
            activity.append(Content.styled(info.activity, "$accent"))
        if info.last_turn:
            activity.append(Content.assemble(("last ", "$text-muted"), info.last_turn))
        if info.totals:
            activity.append(Content.assemble(("conversation ", "$text-muted"), info.totals))
        self.set_rows(settings, activity)
