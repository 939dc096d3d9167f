"""Exporting the conversation from the app: to a file the user names, with or without the
reasoning, as Markdown or JSON (the formats are the history's: `history.export`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App

from thinkchat.chat.session import ChatSession
from thinkchat.history.errors import StoreError
from thinkchat.ui.recorder import HistoryRecorder

if TYPE_CHECKING:  # the store (and SQLite) loads after the first frame
    from thinkchat.history.store import StoredConversation

FORMAT_NAMES = {"md": "Markdown", "json": "JSON"}


class Exporting:
    """Writes the conversation on screen, as stored in the history, to a file."""

    def __init__(
        self,
        app: App[Any],
        session: ChatSession,
        recorder: HistoryRecorder,
        *,
        say: Callable[[str, str], None],
    ) -> None:
        self._app = app
        self._session = session
        self._recorder = recorder
        self._say = say

    def _stored(self) -> StoredConversation | None:
        """The conversation as stored, or None (and why, said)."""
        store, conversation_id = self._recorder.store, self._session.conversation.id
        if store is None or conversation_id is None:
            self._say("Nothing to export yet: send a prompt first.", "warning")
            return None
        try:
            return store.load_conversation(conversation_id)
        except StoreError as problem:
            self._say(str(problem), "error")
            return None

    def ask(self, format: str) -> None:
        """Ask where to write the conversation in `format` ("md" or "json"), and whether
        with its reasoning; write it there."""
        stored = self._stored()
        if stored is None:
            return
        from thinkchat.history.export import export_file_name
        from thinkchat.ui.screens.export_dialog import ExportDialog

        folder = Path.cwd()

        def write(typed: str, reasoning: bool) -> str | None:
            if not typed.strip():
                return "Not exported: type a file name."
            path = folder / Path(typed.strip()).expanduser()
            return self._write(stored, format, path, reasoning)

        title = f"Export this conversation as {FORMAT_NAMES[format]}"
        self._app.push_screen(ExportDialog(title, export_file_name(stored, format), folder, write))

    def export(self, format: str) -> Path | None:
        """Write the conversation in `format`, reasoning included, to a file named after it in
        the current folder; returns where, or None when it was not written (and why, said)."""
        stored = self._stored()
        if stored is None:
            return None
        from thinkchat.history.export import export_file_name

        path = Path.cwd() / export_file_name(stored, format)
        problem = self._write(stored, format, path, reasoning=True)
        if problem is not None:
            self._say(problem, "error")
            return None
        return path

    def _write(
        self, stored: StoredConversation, format: str, path: Path, reasoning: bool
    ) -> str | None:
        """Write; the problem, or None once written (and where, said)."""
        from thinkchat.history.export import write_export

        if path.is_dir():
            return f"Not exported: {path} is a folder; add a file name to the path."
        try:
            write_export(stored, format, path, reasoning=reasoning)
        except OSError as problem:
            reason = problem.strerror or str(problem)
            return f"Not exported: {path} cannot be written ({reason}). Choose another path."
        left_out = "" if reasoning else ", without the reasoning"
        self._say(f"Exported to {path}{left_out}", "information")
        return None
