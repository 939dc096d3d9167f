"""A dialog of a search box over a list: typing filters, up and down move, enter chooses."""

from __future__ import annotations

from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

Result = TypeVar("Result")


class FilteredList(ModalScreen[Result]):
    """The search box keeps the focus; up and down move the list's highlight from there.

    Subclasses give the title, the placeholder and the help line, fill the list in
    `options_for(text)`, and say what an option means in `chosen(option_id)`.
    """

    DEFAULT_CSS = """
    FilteredList {
        align: center middle;
        & > Vertical {
            width: 100;
            max-width: 98%;
            height: 85%;
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
        Binding("escape", "close", "Close"),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
    ]

    TITLE_TEXT = ""
    PLACEHOLDER = ""
    HELP = "↑↓ move · enter choose · escape cancel"

    # The option highlighted when the dialog opens (None: the first one).
    initial: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.TITLE_TEXT), classes="title")
            yield Input(placeholder=self.PLACEHOLDER, id="filter")
            yield OptionList()
            yield Static(Content(self.HELP), classes="help")

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    def options_for(self, text: str) -> list[Option]:
        """The options shown for the search text."""
        raise NotImplementedError

    def chosen(self, option_id: str) -> Result:
        """What choosing the option with this id returns."""
        raise NotImplementedError

    def show_options(self, text: str, keep: str | None = None) -> None:
        """Fill the list for `text`, highlighting `keep` if listed, else the first choice."""
        options = self.options
        options.clear_options()
        options.add_options(self.options_for(text))
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        if keep is not None and keep in ids:
            options.highlighted = ids.index(keep)
            return
        for index in range(options.option_count):
            if not options.get_option_at_index(index).disabled:
                options.highlighted = index
                return

    def on_mount(self) -> None:
        self.show_options("", keep=self.initial)

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self.show_options(event.value)

    def action_move(self, step: int) -> None:
        if step > 0:
            self.options.action_cursor_down()
        else:
            self.options.action_cursor_up()

    @property
    def highlighted_id(self) -> str | None:
        options = self.options
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    @on(Input.Submitted, "#filter")
    def _submit(self) -> None:
        if self.highlighted_id:
            self.dismiss(self.chosen(self.highlighted_id))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(self.chosen(event.option.id))

    def action_close(self) -> None:
        self.dismiss(None)
