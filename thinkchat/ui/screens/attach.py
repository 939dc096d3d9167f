"""The "Attach a file…" dialog: a path, completed from the filesystem as it is typed.

The file is read and fenced below the UI (`chat.attachments`); a refused file is said in the
dialog, which stays open, so the user can fix the path.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.suggester import Suggester
from textual.widgets import Input, Static

from thinkchat.chat.attachments import LIMIT_TEXT, Attachment, AttachmentError, read_attachment
from thinkchat.ui.screens.dialog_box import DialogBox


def complete_path(value: str) -> str | None:
    """`value` completed with the entries of its folder: the one entry that fits (a folder
    with a slash after it), else as far as all that fit agree, else the first that fits.
    Hidden entries only when the typed name starts with a dot. None: nothing fits."""
    if value == "~":
        return "~/"
    folder_text, slash, prefix = value.rpartition("/")
    folder_text += slash
    folder = Path(os.path.expanduser(folder_text)) if folder_text else Path()
    try:
        names = sorted(
            name
            for name in os.listdir(folder)
            if name.startswith(prefix) and (prefix.startswith(".") or not name.startswith("."))
        )
    except OSError:
        return None
    if not names:
        return None
    # Names in one folder, not paths: character by character is what is meant.
    common = os.path.commonprefix(names)  # noqa: RUF071
    if len(names) > 1 and len(common) > len(prefix):
        name = common
    else:
        name = names[0]
        if (folder / name).is_dir():
            name += "/"
    completed = folder_text + name
    return completed if completed != value else None


class PathSuggester(Suggester):
    """Suggests `complete_path` of what is typed, listing folders on a thread."""

    def __init__(self) -> None:
        # Paths are case-sensitive, and the folders change: nothing is cached.
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(complete_path, value)


class PathInput(Input):
    """An input whose suggestion tab accepts, as right does at the end of the text."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False)]

    def action_complete(self) -> None:
        if self.cursor_at_end:
            self.action_cursor_right()  # takes the suggestion, if there is one


class AttachDialog(DialogBox[Attachment | None]):
    """Asks for a text file to put into the prompt; None when cancelled."""

    DEFAULT_CSS = """
    AttachDialog {
        & .note { color: $text-muted; margin-bottom: 1; }
        & .problem { color: $error; margin-top: 1; display: none; }
        & .problem.-shown { display: block; }
        & .help { color: $text-muted; margin-top: 1; }
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self) -> None:
        super().__init__()
        self._problem = Static(classes="problem")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content("Attach a file"), classes="title")
            yield Static(
                Content(
                    "Its text goes into the prompt at the cursor, fenced under its name. "
                    f"Text files up to {LIMIT_TEXT}."
                ),
                classes="note",
            )
            yield PathInput(placeholder="path, e.g. ~/notes.md", suggester=PathSuggester())
            yield self._problem
            yield Static(
                Content("enter: attach · tab or →: complete · escape: cancel"), classes="help"
            )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = event.value.strip()
        if not path:
            self._refuse("Type the path of a text file first.")
            return
        self._read(path)

    @work(exclusive=True, group="attach")
    async def _read(self, path: str) -> None:
        try:
            attachment = await asyncio.to_thread(read_attachment, path)
        except AttachmentError as problem:
            self._refuse(f"Not attached: {problem}.")
            return
        self.dismiss(attachment)

    def _refuse(self, message: str) -> None:
        self._problem.update(Content(message))
        self._problem.add_class("-shown")

    @on(Input.Changed)
    def _changed(self) -> None:
        self._problem.remove_class("-shown")

    def action_cancel(self) -> None:
        self.dismiss(None)
