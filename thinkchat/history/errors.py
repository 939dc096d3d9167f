"""What the history reports when it fails, apart from `store.py`.

The app catches these from its first frame on, while the store itself (and SQLite with it) is
imported only once the history is opened, after that frame.
"""

from __future__ import annotations


class StoreError(Exception):
    """The history cannot be read or written; the message says why."""


class UnknownConversation(StoreError):
    """No conversation has this id."""

    def __init__(self, conversation_id: int) -> None:
        super().__init__(f"no conversation {conversation_id}")
        self.conversation_id = conversation_id
