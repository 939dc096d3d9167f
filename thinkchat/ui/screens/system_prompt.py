"""The system-prompt dialog: set, edit or clear the conversation's system prompt."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static, TextArea

from thinkchat.ui.screens.dialog_box import DialogBox


@dataclass(frozen=True)
class SystemPromptChoice:
    """The system prompt the user settled on (None: none is sent)."""

    text: str | None


class SystemPromptDialog(DialogBox[SystemPromptChoice | None]):
    """Edits a system prompt over several lines; None when cancelled."""

    DEFAULT_CSS = """
    SystemPromptDialog {
        & .help { color: $text-muted; margin-bottom: 1; }
        & TextArea { height: 10; }
    }
    """

    # Enter makes a new line in the text: saving has a key of its own.
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, current: str | None) -> None:
        """`current` is the conversation's system prompt now (None: none)."""
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content("System prompt"), classes="title")
            yield Static(
                Content(
                    "Sent first in every request of this conversation, from the next one on. "
                    "New conversations start with the config's system_prompt."
                ),
                classes="help",
            )
            yield TextArea(
                self._current or "",
                soft_wrap=True,
                show_line_numbers=False,
                tab_behavior="focus",
                id="system-prompt",
            )
            with Horizontal():
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Clear", id="clear")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "clear":
            self.dismiss(SystemPromptChoice(None))
        else:
            self.action_cancel()

    def action_save(self) -> None:
        # Blank lines around it are noise; a blank text is no system prompt at all.
        text = self.query_one(TextArea).text.strip()
        self.dismiss(SystemPromptChoice(text or None))

    def action_cancel(self) -> None:
        self.dismiss(None)
