"""The export dialog: where to write the conversation, and whether with its reasoning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Static

from thinkchat.ui.screens.dialog_box import DialogBox

# Writes the export to the path typed (with the reasoning or not); the problem, or None once
# it is written.
Write = Callable[[str, bool], str | None]


class ExportDialog(DialogBox[None]):
    """Asks for a path (a sensible name in the current folder to start with) and whether to
    include the reasoning; a path that cannot be written is refused here, with the reason, so
    that another can be typed."""

    DEFAULT_CSS = """
    ExportDialog {
        & .folder { color: $text-muted; margin-bottom: 1; }
        & Checkbox { margin-top: 1; }
        & .problem { color: $error; margin-top: 1; display: none; }
        & .problem.-shown { display: block; }
        & .help { color: $text-muted; margin-top: 1; }
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, name: str, folder: Path, write: Write) -> None:
        """`name`: the file name offered, in `folder` (where a relative path goes)."""
        super().__init__()
        self._title = title
        self._name = name
        self._folder = folder
        self._write = write
        self._problem = Static(classes="problem")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self._title), classes="title")
            yield Static(
                Content(f"A file name or a path (relative to {self._folder})"), classes="folder"
            )
            yield Input(value=self._name, id="path")
            yield Checkbox("Include the reasoning", value=True, id="reasoning")
            yield self._problem
            with Horizontal():
                yield Button("Export", id="export", variant="primary")
                yield Button("Cancel", id="cancel")
            yield Static(
                Content("enter: export · tab: the checkbox (space ticks it) · escape: cancel"),
                classes="help",
            )

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#export")
    def _export(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        path = self.query_one("#path", Input).value
        problem = self._write(path, self.query_one("#reasoning", Checkbox).value)
        if problem is None:
            self.dismiss(None)
            return
        self._problem.update(Content(problem))
        self._problem.add_class("-shown")

    @on(Input.Changed, "#path")
    def _changed(self) -> None:
        self._problem.remove_class("-shown")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
