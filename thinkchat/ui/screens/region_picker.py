"""The region picker; a region that does not serve the current model offers one it does.

Typing moves to a region: `b` to Beijing, `s` to Singapore; more letters narrow it (`si`), and
the same letter again moves on to the next region it begins, as lists of files do.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from thinkchat.catalog import REGIONS, lookup, region_label, suggest_model_for


@dataclass(frozen=True)
class RegionChoice:
    """The region chosen, and the model to switch to (None: keep the current model)."""

    region: str
    model: str | None = None


class RegionPicker(ModalScreen[RegionChoice | None]):
    DEFAULT_CSS = """
    RegionPicker {
        align: center middle;
        & > Vertical {
            width: 90;
            max-width: 100%;
            height: auto;
            border: round $primary;
            background: $surface;
            padding: 1 2;
        }
        & .title { text-style: bold; margin-bottom: 1; }
        & OptionList { height: auto; border: none; }
        & #offer { display: none; height: auto; margin-top: 1; }
        & #offer.-shown { display: block; }
        & #offer Static { color: $warning; }
        & #offer Horizontal { height: auto; margin-top: 1; }
        & #offer Button { margin-right: 2; }
        & .help { color: $text-muted; margin-top: 1; }
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current_region: str, model: str, endpoint: str | None = None) -> None:
        super().__init__()
        self._current = current_region
        self._model = model
        self._endpoint = endpoint
        self._pending: RegionChoice | None = None
        self._typed = ""  # what was typed to find a region

    def compose(self) -> ComposeResult:
        info = lookup(self._model)
        options = []
        width = max(len(self._endpoint or region.host) for region in REGIONS.values())
        for region in REGIONS.values():
            serves = "" if info.served_in(region.name) else f"  no {info.name} here"
            marker = "● " if region.name == self._current else "  "
            host = self._endpoint or region.host
            label = Content.assemble(
                marker,
                (f"{region.label:<10}", "bold"),
                (f"{host:<{width}}", "$text-muted"),
                (serves, "$warning"),
            )
            options.append(Option(label, id=region.name))
        with Vertical():
            yield Static(Content("Choose a region"), classes="title")
            yield OptionList(*options)
            with Vertical(id="offer"):
                yield Static(id="offer-text")
                with Horizontal():
                    yield Button("Switch both", id="switch", variant="primary")
                    yield Button("Cancel", id="cancel")
            override = (
                f" Every region goes to {self._endpoint} (endpoint override)."
                if self._endpoint
                else ""
            )
            yield Static(
                Content(
                    "type a letter or ↑↓ to move · enter choose · escape cancel\n"
                    f"API keys are per region: each region needs its own key.{override}"
                ),
                classes="help",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = list(REGIONS).index(self._current)
        options.focus()

    def on_key(self, event: events.Key) -> None:
        character = (event.character or "").lower()
        if not character.isalpha():
            return
        event.stop()
        options = self.query_one(OptionList)
        labels = [region.label.lower() for region in REGIONS.values()]
        current = options.highlighted or 0
        typed = self._typed + character
        # The region that begins with all that was typed, from the one highlighted on; the
        # same letter again moves on to the next region it begins; else a new search.
        found = _first_from(labels, current, typed)
        if found is None and typed == character * len(typed):
            found = _first_from(labels, current + 1, character)
        if found is None:
            typed = character
            found = _first_from(labels, current + 1, character)
        self._typed = typed if found is not None else ""
        if found is not None:
            options.highlighted = found
            # A pending offer was for the region chosen before: back to the list.
            self.query_one("#offer").remove_class("-shown")
            options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        region = event.option.id or self._current
        info = lookup(self._model)
        if info.served_in(region):
            self.dismiss(RegionChoice(region))
            return
        suggestion = suggest_model_for(region, self._model)
        self._pending = RegionChoice(region, suggestion)
        self.query_one("#offer-text", Static).update(
            Content(
                f"{info.name} is not served in {region_label(region)} "
                f"(only in {', '.join(map(region_label, info.regions))}). "
                f"Switch to {region_label(region)} with {suggestion} "
                f"({lookup(suggestion).kind.value})?"
            )
        )
        self.query_one("#offer").add_class("-shown")
        self.query_one("#switch", Button).focus()

    @on(Button.Pressed, "#switch")
    def _switch(self) -> None:
        self.dismiss(self._pending)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _first_from(labels: list[str], start: int, prefix: str) -> int | None:
    """The first label from `start` on (going round) that begins with `prefix`."""
    for step in range(len(labels)):
        index = (start + step) % len(labels)
        if labels[index].startswith(prefix):
            return index
    return None
