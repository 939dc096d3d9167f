"""The compare dialog: which variants to send the prompt under, in the variant syntax.

It opens with the model's default pair (thinking on against off; no budget against a small
one), or, for a model without one, asking for the model to compare against (ctrl+o picks
it). Each variant is described as it will be asked while the text is typed; a problem is
said at once, and enter starts the comparison only when there is none.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from thinkchat.chat.session import SettingsError
from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.chat.variants import SYNTAX, Variant, VariantError, default_variants, parse_variants
from thinkchat.config.errors import ConfigError

# What a variant is asked with, or why it cannot be.
Describe = Callable[[Variant], str]


def starting_text(model: str) -> str:
    """The variants the dialog opens with: the model's default pair, or the model against
    another, yet to be named."""
    return default_variants(model) or f"model={model},model="


class CompareDialog(ModalScreen[list[Variant] | None]):
    """Returns the variants to compare, or None when cancelled."""

    DEFAULT_CSS = """
    CompareDialog {
        align: center middle;
        & > Vertical {
            width: 90;
            max-width: 98%;
            height: auto;
            border: round $primary;
            background: $surface;
            padding: 1 2;
        }
        & .title { text-style: bold; }
        & .prompt { color: $text-muted; margin-bottom: 1; }
        & .variants { margin-top: 1; }
        & .problem { color: $error; margin-top: 1; }
        & .help { color: $text-muted; margin-top: 1; }
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+o", "pick_model", "Add a model"),
    ]

    def __init__(self, prompt: str, model: str, describe: Describe) -> None:
        """`prompt` is what will be sent; `model` the current model; `describe(variant)` says
        how a variant would be asked (raises `SettingsError` or `ConfigError` when it cannot
        be, as `ChatSession.check` does)."""
        super().__init__()
        self._prompt = prompt
        self._model = model
        self._describe = describe
        self._variants: list[Variant] = []

    def compose(self) -> ComposeResult:
        first_line = next((line for line in self._prompt.splitlines() if line.strip()), "")
        with Vertical():
            yield Static(Content("Compare answers"), classes="title")
            yield Static(Content(safe_for_terminal(first_line)), classes="prompt")
            yield Input(value=starting_text(self._model), id="variants")
            yield Static(classes="variants")
            yield Static(classes="problem")
            yield Static(
                Content(
                    f"{SYNTAX}.\nenter: send to each at once · ctrl+o: add a model · escape: cancel"
                ),
                classes="help",
            )

    def on_mount(self) -> None:
        self._read(self.query_one(Input).value)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._read(event.value)

    def _read(self, text: str) -> None:
        """Describe each variant of `text`, or say what is wrong with it."""
        problem = ""
        lines = []
        try:
            self._variants = parse_variants(text)
        except VariantError as error:
            self._variants = []
            problem = str(error)
        for index, variant in enumerate(self._variants, start=1):
            try:
                lines.append(f"{index} · {variant.label}: {self._describe(variant)}")
            except (SettingsError, ConfigError) as error:  # a region, a key
                problem = problem or f"variant {index} ({variant.label}): {error}"
        if problem:
            self._variants = []
        self.query_one(".variants", Static).update(Content(safe_for_terminal("\n".join(lines))))
        self.query_one(".problem", Static).update(Content(safe_for_terminal(problem)))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._variants:
            self.dismiss(self._variants)

    def action_pick_model(self) -> None:
        from thinkchat.ui.screens.model_picker import ModelPicker

        self.app.push_screen(ModelPicker(self._model), self._model_picked)

    def _model_picked(self, model: str | None) -> None:
        if model is None:
            return
        entry = self.query_one(Input)
        text = entry.value.rstrip()
        if text.endswith("model="):
            text += model  # the variant waiting for its model
        else:
            text = f"{text.rstrip(',')},model={model}" if text else f"model={model}"
        entry.value = text
        entry.cursor_position = len(text)
        entry.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
