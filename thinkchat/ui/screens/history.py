"""The history screen: earlier conversations, newest first; search, open, rename, delete."""

from __future__ import annotations

from datetime import datetime

from textual import work
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Input
from textual.widgets.option_list import Option

from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.history.errors import StoreError
from thinkchat.history.store import ConversationSummary, HistoryStore
from thinkchat.ui.screens.dialogs import ConfirmDialog, TextPrompt
from thinkchat.ui.screens.filtered_list import FilteredList


def _when(moment: float) -> str:
    return datetime.fromtimestamp(moment).strftime("%Y-%m-%d %H:%M")


def _option(summary: ConversationSummary) -> Option:
    title = safe_for_terminal(summary.title or "(untitled)")
    if len(title) > 48:
        title = title[:47] + "…"
    turns = f"{summary.turn_count} turn" + ("" if summary.turn_count == 1 else "s")
    return Option(
        Content.assemble(
            (f"{title:<50}", "bold"),
            (f"{summary.model:<28}", "$secondary"),
            (f"{_when(summary.updated_at)}  {turns}", "$text-muted"),
        ),
        id=str(summary.id),
    )


class HistoryScreen(FilteredList[int | None]):
    """Returns the id of the conversation to open, or None."""

    DEFAULT_CSS = """
    HistoryScreen > Vertical { width: 110; }
    """

    BINDINGS = [
        # Function keys, since the search box keeps the focus and owns the ctrl+letter keys.
        Binding("f2", "rename", "Rename", priority=True),
        Binding("f8", "delete", "Delete", priority=True),
    ]

    TITLE_TEXT = "Conversations"
    PLACEHOLDER = "search prompts, answers and reasoning"
    HELP = "↑↓ move · enter open · f2 rename · f8 delete · escape close"

    def __init__(self, store: HistoryStore) -> None:
        super().__init__()
        self._store = store

    def options_for(self, text: str) -> list[Option]:
        try:
            found = self._store.search(text) if text.strip() else self._store.list_conversations()
        except StoreError as problem:
            self.notify(str(problem), severity="error", markup=False)
            found = []
        return [_option(summary) for summary in found]

    def chosen(self, option_id: str) -> int:
        return int(option_id)

    def _refresh(self, keep: str | None = None) -> None:
        self.show_options(self.query_one("#filter", Input).value, keep=keep)

    @work
    async def action_rename(self) -> None:
        selected = self.highlighted_id
        if selected is None:
            return
        title = await self.app.push_screen_wait(TextPrompt("New title for this conversation:"))
        if title is None:
            return
        try:
            self._store.rename(int(selected), title)
        except StoreError as problem:
            self.notify(str(problem), severity="error", markup=False)
        self._refresh(keep=selected)

    @work
    async def action_delete(self) -> None:
        selected = self.highlighted_id
        if selected is None:
            return
        sure = await self.app.push_screen_wait(
            ConfirmDialog("Delete this conversation and all its turns? This cannot be undone.")
        )
        if not sure:
            return
        try:
            self._store.delete(int(selected))
        except StoreError as problem:
            self.notify(str(problem), severity="error", markup=False)
        self._refresh()
