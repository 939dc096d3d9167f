"""The thinking-budget dialog: a positive whole number of tokens, or empty for no limit."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from thinkchat.catalog import InvalidBudget, lookup, parse_budget


@dataclass(frozen=True)
class BudgetChoice:
    """The budget the user settled on (None: no limit)."""

    budget: int | None


class BudgetDialog(ModalScreen[BudgetChoice | None]):
    """Asks for a thinking budget; refuses anything but a positive integer, with a reason."""

    DEFAULT_CSS = """
    BudgetDialog {
        align: center middle;
        & > Vertical {
            width: 64;
            height: auto;
            border: round $primary;
            background: $surface;
            padding: 1 2;
        }
        & .title { text-style: bold; margin-bottom: 1; }
        & .note { color: $warning; margin-top: 1; }
        & .problem { color: $error; margin-top: 1; display: none; }
        & .problem.-shown { display: block; }
        & .help { color: $text-muted; margin-top: 1; }
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: int | None, model: str) -> None:
        super().__init__()
        self._current = current
        self._model = model
        self._problem = Static(classes="problem")

    def compose(self) -> ComposeResult:
        info = lookup(self._model)
        with Vertical():
            yield Static(Content("Thinking budget"), classes="title")
            yield Input(
                value="" if self._current is None else str(self._current),
                placeholder="tokens, e.g. 500 (empty: no limit)",
                id="budget",
            )
            if not info.budget:
                yield Static(
                    Content(
                        f"{info.name} ignores thinking budgets; the value is kept for models "
                        "that take one (Qwen3 and Kimi)."
                    ),
                    classes="note",
                )
            yield self._problem
            yield Static(Content("enter: set · escape: cancel"), classes="help")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            budget = parse_budget(event.value)
        except InvalidBudget as exc:
            self._problem.update(Content(f"Not set: {exc}."))
            self._problem.add_class("-shown")
            return
        self.dismiss(BudgetChoice(budget))

    def on_input_changed(self) -> None:
        self._problem.remove_class("-shown")

    def action_cancel(self) -> None:
        self.dismiss(None)
