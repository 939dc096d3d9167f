"""The actions on stored conversations: browse them, reopen one, export one."""

from __future__ import annotations

import re
from pathlib import Path

from thinkchat.history.errors import StoreError
from thinkchat.ui.app_parts import AppParts


class HistoryActions(AppParts):
    """Mixed into the app: the history screen (ctrl+l), reopening, export."""

    def action_history(self) -> None:
        if self.recorder.store is None:
            self.say("The history is not available in this session.", "warning")
            return
        from thinkchat.ui.screens.history import HistoryScreen  # loads when first opened

        self.push_screen(HistoryScreen(self.recorder.store), self._history_chosen)

    async def _history_chosen(self, conversation_id: int | None) -> None:
        if conversation_id is not None:
            await self.open_conversation(conversation_id)

    async def open_conversation(self, conversation_id: int) -> bool:
        """Show a stored conversation (its latest turns) and continue it; False if it failed."""
        store = self.recorder.store
        if store is None:
            return False
        if self.streaming:
            self.say("Stop the answer being streamed first (escape).", "warning")
            return False
        try:
            # Every turn is loaded (the model needs the whole history); the view mounts
            # widgets for the latest ones only.
            stored = store.load_conversation(conversation_id)
        except StoreError as problem:
            self.say(str(problem), "error")
            return False
        conversation = stored.conversation
        self.session.conversation = conversation
        last = conversation.turns[-1].settings if conversation.turns else None
        self.apply_settings(
            model=last.model if last else stored.model,
            region=last.region if last else stored.region,
            transport=last.transport if last else stored.transport,
        )
        self.conversation_view.show_turns(conversation.turns)
        entries = self.conversation_view.entries
        if entries:
            self.conversation_view.choose(entries[-1])
        else:
            self.panel.show_turn(None, "no reasoning yet", follow=True)
        self.say(f"Reopened: {conversation.title or 'untitled conversation'}")
        return True

    def export_conversation(self, format: str) -> Path | None:
        """Write the current conversation to a file in the working directory."""
        store = self.recorder.store
        conversation = self.session.conversation
        if store is None or conversation.id is None:
            self.say("Nothing to export yet: send a prompt first.", "warning")
            return None
        try:
            stored = store.load_conversation(conversation.id)
        except StoreError as problem:
            self.say(str(problem), "error")
            return None
        from thinkchat.history.export import to_json, to_markdown

        text = to_markdown(stored) if format == "md" else to_json(stored)
        title = stored.conversation.title or "conversation"
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower())
        path = Path.cwd() / f"thinkchat-{conversation.id}-{slug.strip('-')[:40]}.{format}"
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as problem:
            self.say(f"Export failed: {problem}", "error")
            return None
        self.say(f"Exported to {path}")
        return path
