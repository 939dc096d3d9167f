"""The model picker: every model of the catalog by family, type to filter, or any other name."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from thinkchat.catalog import REGIONS, ModelInfo, listed_models, lookup
from thinkchat.terminal_text import safe_for_terminal

CUSTOM_PREFIX = "custom:"


def _describe(model: ModelInfo) -> str:
    if set(model.regions) == set(REGIONS):
        regions = "all regions"
    else:
        regions = " & ".join(REGIONS[r].label for r in model.regions) + " only"
    extras = [
        name for name, has in (("budget", model.budget), ("/think", model.soft_switch)) if has
    ]
    return f"{model.kind.value:<24}{regions:<16}{', '.join(extras)}"


def model_options(filter_text: str, current: str) -> list[Option]:
    """The picker's options for `filter_text`: family headers, models, and a custom name."""
    needle = filter_text.strip().lower()
    options: list[Option] = []
    family = None
    known = set()
    for model in listed_models():
        known.add(model.name)
        haystack = f"{model.name} {model.family_title} {model.kind.value}".lower()
        if needle and not all(word in haystack for word in needle.split()):
            continue
        if model.family_title != family:
            family = model.family_title
            options.append(Option(Content.styled(family, "bold $secondary"), disabled=True))
        marker = "● " if model.name == current else "  "
        options.append(
            Option(
                Content.assemble(
                    marker,
                    (f"{model.name:<32}", "bold"),
                    (_describe(model), "$text-muted"),
                ),
                id=model.name,
            )
        )
    name = safe_for_terminal(filter_text.strip())
    if name and " " not in name and name.lower() not in known:
        info = lookup(name)
        label = (
            f"Use “{name}” ({info.family_title}, {info.kind.value})"
            if info.known
            else f"Use “{name}”: not in the list, treated as hybrid (off by default)"
        )
        custom = Option(Content(label), id=CUSTOM_PREFIX + name)
        # First only when nothing listed matches: enter should pick a real model if it can.
        if options:
            options.append(custom)
        else:
            options.insert(0, custom)
    return options


class ModelPicker(ModalScreen[str | None]):
    """Returns the chosen model name, or None when cancelled."""

    DEFAULT_CSS = """
    ModelPicker {
        align: center middle;
        & > Vertical {
            width: 100;
            max-width: 95%;
            height: 80%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
        & .title { text-style: bold; padding: 1 0 0 0; }
        & OptionList { height: 1fr; border: none; }
        & .help { color: $text-muted; }
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
    ]

    def __init__(self, current: str) -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content("Choose a model"), classes="title")
            yield Input(placeholder="type to filter, or a model name", id="filter")
            yield OptionList(*model_options("", self._current), id="models")
            yield Static(
                Content("↑↓ move · enter choose · escape cancel"),
                classes="help",
            )

    def on_mount(self) -> None:
        self._highlight_current()

    def _highlight_current(self) -> None:
        options = self.query_one(OptionList)
        for index in range(options.option_count):
            option = options.get_option_at_index(index)
            if option.id == self._current or (option.id and options.highlighted is None):
                options.highlighted = index
                if option.id == self._current:
                    break

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(model_options(event.value, self._current))
        for index in range(options.option_count):
            if not options.get_option_at_index(index).disabled:
                options.highlighted = index
                break

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    @on(Input.Submitted, "#filter")
    def _submit(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id:
            self.dismiss(option_id.removeprefix(CUSTOM_PREFIX))

    def action_cancel(self) -> None:
        self.dismiss(None)
