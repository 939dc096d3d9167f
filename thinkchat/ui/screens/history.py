"""The history screen: earlier conversations, newest first; search, open, rename, delete."""

from __future__ import annotations

from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from thinkchat.store import ConversationSummary, HistoryStore, StoreError
from thinkchat.terminal_text import safe_for_terminal
from thinkchat.ui.screens.dialogs import ConfirmDialog, TextPrompt


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


class HistoryScreen(ModalScreen[int | None]):
    """Returns the id of the conversation to open, or None."""

    DEFAULT_CSS = """
    HistoryScreen {
        align: center middle;
        & > Vertical {
            width: 110;
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
        # Function keys, since the search box keeps the focus and owns the ctrl+letter keys.
        Binding("f2", "rename", "Rename", priority=True),
        Binding("f8", "delete", "Delete", priority=True),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
    ]

    def __init__(self, store: HistoryStore) -> None:
        super().__init__()
        self._store = store

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content("Conversations"), classes="title")
            yield Input(placeholder="search prompts, answers and reasoning", id="search")
            yield OptionList(id="conversations")
            yield Static(
                Content("↑↓ move · enter open · f2 rename · f8 delete · escape close"),
                classes="help",
            )

    def on_mount(self) -> None:
        self._refresh("")

    def _refresh(self, query: str, keep: int | None = None) -> None:
        """List the conversations matching `query`, keeping the highlight on `keep` if listed."""
        try:
            found = self._store.search(query) if query.strip() else self._store.list_conversations()
        except StoreError as problem:
            self.notify(str(problem), severity="error", markup=False)
            found = []
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([_option(summary) for summary in found])
        if found:
            ids = [summary.id for summary in found]
            options.highlighted = ids.index(keep) if keep in ids else 0

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self._refresh(event.value)

    def _selected_id(self) -> int | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        option_id = options.get_option_at_index(options.highlighted).id
        return int(option_id) if option_id else None

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    @on(Input.Submitted, "#search")
    def _open_highlighted(self) -> None:
        selected = self._selected_id()
        if selected is not None:
            self.dismiss(selected)

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(int(event.option.id))

    @work
    async def action_rename(self) -> None:
        selected = self._selected_id()
        if selected is None:
            return
        title = await self.app.push_screen_wait(TextPrompt("New title for this conversation:"))
        if title is None:
            return
        try:
            self._store.rename(selected, title)
        except StoreError as problem:
            self.notify(str(problem), severity="error", markup=False)
        self._refresh(self.query_one("#search", Input).value, keep=selected)

    @work
    async def action_delete(self) -> None:
        selected = self._selected_id()
        if selected is None:
            return
        sure = await self.app.push_screen_wait(
            ConfirmDialog("Delete this conversation and all its turns? This cannot be undone.")
        )
        if not sure:
            return
        try:
            self._store.delete(selected)
        except StoreError as problem:
            self.notify(str(problem), severity="error", markup=False)
        self._refresh(self.query_one("#search", Input).value)

    def action_close(self) -> None:
        self.dismiss(None)
