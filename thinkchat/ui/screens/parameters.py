"""The model-parameters dialog: each parameter for requests that think and for those that do
not, and the Qwen3 preset that fills the ones left empty."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Static

from thinkchat.chat.parameters import PRESETS, RANGES, ParameterError, parse_parameter
from thinkchat.chat.request import NO_MODE_PARAMETERS, ModelParameters, ModeParameters
from thinkchat.ui.screens.dialog_box import DialogBox

PRESET = "qwen3"  # the one preset the dialog offers
MODES = (("thinking", "Thinking"), ("plain", "Not thinking"))


@dataclass(frozen=True)
class ParametersChoice:
    """The parameters the user settled on; `save`: also as the config's default."""

    parameters: ModeParameters
    preset: str | None
    save: bool = False


def _shown(value: float | int | None) -> str:
    return "" if value is None else str(value)


class ParametersDialog(DialogBox[ParametersChoice | None]):
    """Edits both modes' model parameters (empty: not sent) and the preset switch."""

    DEFAULT_CSS = """
    ParametersDialog {
        & > Vertical { width: 72; max-width: 100%; }
        & .help { color: $text-muted; margin-bottom: 1; }
        & Grid {
            grid-size: 3;
            grid-columns: 20 1fr 1fr;
            grid-gutter: 0 2;
            grid-rows: 1;
            height: auto;
        }
        & Grid > .heading { text-style: bold; }
        /* Compact fields have no border: a background shows where to type. */
        & Grid > Input.-textual-compact { background: $panel; }
        & Checkbox { margin-top: 1; }
        & .problem { color: $error; margin-top: 1; display: none; }
        & .problem.-shown { display: block; }
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, parameters: ModeParameters, preset: str | None) -> None:
        """`parameters`: the user's own values (the preset's are not among them)."""
        super().__init__()
        self._parameters = parameters
        self._preset = preset
        self._problem = Static(classes="problem")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content("Model parameters"), classes="title")
            yield Static(
                Content(
                    "Empty: not sent, the service decides. For this session; save as default "
                    "to keep them."
                ),
                classes="help",
            )
            with Grid():
                yield Static(classes="heading")
                for _, heading in MODES:
                    yield Static(Content(heading), classes="heading")
                for name, spec in RANGES.items():
                    yield Static(Content(spec.label))
                    for mode, _ in MODES:
                        value = getattr(getattr(self._parameters, mode), name)
                        yield Input(
                            _shown(value),
                            type="integer" if spec.whole else "number",
                            id=f"{mode}-{name}",
                            compact=True,
                        )
            yield Checkbox(
                "Qwen3 preset: the model cards' values where a field is empty",
                self._preset == PRESET,
                id="preset",
            )
            yield self._problem
            with Horizontal():
                yield Button("Apply", id="apply", variant="primary")
                yield Button("Save as default", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._show_placeholders()
        self.query_one(f"#{MODES[0][0]}-temperature", Input).focus()

    @on(Checkbox.Changed)
    def _show_placeholders(self) -> None:
        """An empty field says what it sends: the preset's value, or nothing."""
        preset = PRESETS[PRESET] if self.query_one(Checkbox).value else NO_MODE_PARAMETERS
        for mode, _ in MODES:
            for name in RANGES:
                value = getattr(getattr(preset, mode), name)
                placeholder = "not sent" if value is None else f"{value} (Qwen3)"
                self.query_one(f"#{mode}-{name}", Input).placeholder = placeholder

    @on(Input.Changed)
    def _hide_problem(self) -> None:
        self._problem.remove_class("-shown")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._finish(save=False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self._finish(save=event.button.id == "save")

    def _finish(self, *, save: bool) -> None:
        modes: dict[str, ModelParameters] = {}
        for mode, heading in MODES:
            values = {}
            for name in RANGES:
                field = self.query_one(f"#{mode}-{name}", Input)
                try:
                    values[name] = parse_parameter(name, field.value)
                except ParameterError as problem:
                    self._problem.update(Content(f"Not applied: {heading.lower()}: {problem}."))
                    self._problem.add_class("-shown")
                    field.focus()
                    return
            modes[mode] = ModelParameters(**values)  # type: ignore[arg-type]
        preset = PRESET if self.query_one(Checkbox).value else None
        self.dismiss(ParametersChoice(ModeParameters(**modes), preset, save))

    def action_cancel(self) -> None:
        self.dismiss(None)
