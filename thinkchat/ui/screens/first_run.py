"""First run without a key: where to put one, or take it here and save it to the config."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Select, Static

from thinkchat.catalog import REGIONS, region_label


@dataclass(frozen=True)
class KeyEntry:
    """A key typed on the first-run screen, for `region`; `save` writes it to the config."""

    region: str
    # Never in its repr: Textual's crash report prints the local variables of every frame.
    key: str = field(repr=False)
    save: bool


class FirstRunScreen(Screen[KeyEntry | None]):
    """Shown instead of the chat when the current region has no API key. None: quit."""

    DEFAULT_CSS = """
    FirstRunScreen {
        align: center middle;
        & > VerticalScroll {
            width: 86;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            padding: 1 2;
            background: $surface;
        }
        & .title { text-style: bold; color: $primary; margin-bottom: 1; }
        & .explain { margin-bottom: 1; }
        & .problem { color: $error; display: none; }
        & .problem.-shown { display: block; }
        & .label { color: $text-muted; margin-top: 1; }
        & Horizontal { height: auto; margin-top: 1; }
        & Button { margin-right: 2; }
    }
    """

    BINDINGS = [Binding("escape", "quit", "Quit")]

    def __init__(self, region: str, config_path: str) -> None:
        super().__init__()
        self._region = region
        self._config_path = config_path

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            label = region_label(self._region)
            yield Static(
                Content(f"thinkchat needs a Model Studio API key for {label}"), classes="title"
            )
            yield Static(
                Content(
                    "Put it in the environment before starting thinkchat:\n"
                    "    export DASHSCOPE_API_KEY=sk-...\n"
                    f"or in the config file ({self._config_path}) under [api_keys], one per "
                    "region (a Singapore key does not work in Beijing):\n"
                    '    singapore = "sk-..."\n\n'
                    "Or enter it here. To look around without a key, run: thinkchat --demo"
                ),
                classes="explain",
            )
            yield Static(Content("Region"), classes="label")
            yield Select(
                [(region.label, region.name) for region in REGIONS.values()],
                value=self._region,
                allow_blank=False,
                id="region",
            )
            yield Static(Content("API key (not shown as you type)"), classes="label")
            yield Input(placeholder="sk-...", password=True, id="key")
            yield Static(classes="problem", id="problem")
            with Horizontal():
                yield Button("Save to config", id="save", variant="primary")
                yield Button("Use for this session", id="session")
                yield Button("Quit", id="quit")

    def on_mount(self) -> None:
        self.query_one("#key", Input).focus()

    def _entry(self, save: bool) -> None:
        key = self.query_one("#key", Input).value.strip()
        if not key:
            problem = self.query_one("#problem", Static)
            problem.update(Content("Enter a key first."))
            problem.add_class("-shown")
            return
        region = str(self.query_one("#region", Select).value)
        self.dismiss(KeyEntry(region, key, save))

    @on(Button.Pressed, "#save")
    @on(Input.Submitted, "#key")
    def _save(self) -> None:
        self._entry(save=True)

    @on(Button.Pressed, "#session")
    def _session(self) -> None:
        self._entry(save=False)

    @on(Button.Pressed, "#quit")
    def action_quit(self) -> None:
        self.dismiss(None)
