"""Conversation history in SQLite: every turn, written as it streams, readable after a crash.

The database lives in the data folder (`HistoryStore.default_path()`). Its schema is
versioned with `PRAGMA user_version`; `rows.MIGRATIONS` moves an older file forward, and
a file written by a newer thinkchat is refused rather than misread. API keys are never stored:
nothing in a `Turn` holds one, and no column here could.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from thinkchat.chat.conversation import Conversation, title_from_prompt
from thinkchat.chat.turn import Turn
from thinkchat.history.errors import StoreError, UnknownConversation
from thinkchat.history.rows import MIGRATIONS, settings_columns, state_values, turn_from_row

APP_NAME = "thinkchat"

_SUMMARY_COLUMNS = (
    "c.id, c.title, c.model, c.region, c.transport, c.created_at, c.updated_at, "
    "(SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id AND t.alternative_of IS NULL)"
)


def default_data_dir() -> Path:
    """The platform's data folder for thinkchat, where the history lives."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


@dataclass(frozen=True)
class ConversationSummary:
    """One line of the history list."""

    id: int
    title: str | None
    model: str
    region: str
    transport: str
    created_at: float
    updated_at: float
    turn_count: int


@dataclass
class StoredConversation:
    """A conversation as loaded, with the settings it was started with."""

    conversation: Conversation
    model: str
    region: str
    transport: str
    created_at: float
    updated_at: float


class HistoryStore:
    """The conversations and turns in one SQLite file. Use from one thread."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        """Open (or create) the history at `path`; `clock` gives the unix time of each write."""
        self.path = path
        self._clock = clock
        try:
            # Conversations are private: the folder and the file are for their owner only.
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.touch(mode=0o600, exist_ok=True)
            # Autocommit mode: one UPDATE per `save_turn` commits by itself, and multi-statement
            # writes open their own transaction in `_write`.
            self._db = sqlite3.connect(path, isolation_level=None, timeout=5.0)
            self._db.row_factory = sqlite3.Row
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the history at {path}: {exc}") from None
        try:
            with self._guard():
                self._db.execute("PRAGMA journal_mode = WAL")
                # In WAL mode this still survives the app being killed; only an OS crash or
                # power loss can undo the last commits, and streaming commits often.
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except StoreError:
            self._db.close()
            raise

    @staticmethod
    def default_path() -> Path:
        """Where the history lives unless told otherwise."""
        return default_data_dir() / "history.sqlite3"

    def close(self) -> None:
        """Close the database; everything written is already committed."""
        self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _migrate(self) -> None:
        # IMMEDIATE takes the write lock before reading the version, so two thinkchats opening
        # a new file at once cannot both run the same migration.
        with self._write():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            known = len(MIGRATIONS)
            if version > known:
                raise StoreError(
                    f"the history at {self.path} was written by a newer thinkchat (schema "
                    f"version {version}; this version knows up to {known}); "
                    "upgrade thinkchat to open it"
                )
            for number in range(version + 1, known + 1):
                for statement in MIGRATIONS[number - 1]:
                    self._db.execute(statement)
                # PRAGMA does not take parameters; `number` is an int from our own range.
                self._db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Report SQLite failures (disk full, locked, corrupt) as `StoreError`."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"the history at {self.path} failed: {exc}") from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of it is committed, or none of it."""
        with self._guard():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                # COMMIT itself can fail (disk full), which also leaves the transaction open.
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def create_conversation(
        self,
        *,
        model: str,
        region: str,
        transport: str,
        system_prompt: str | None = None,
        title: str | None = None,
    ) -> int:
        """Start a conversation; returns its id."""
        now = self._clock()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO conversations (title, model, region, transport, system_prompt, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (title, model, region, transport, system_prompt, now, now),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def add_turn(self, conversation_id: int, turn: Turn, alternative_of: Turn | None = None) -> int:
        """Append `turn` to a conversation, as far as it has got; sets and returns `turn.id`.

        `alternative_of`: a stored turn this one is another answer for (see `Turn.alternatives`).
        The conversation's title, if it has none yet, becomes the turn's prompt, shortened.
        """
        now = self._clock()
        with self._write() as db:
            if not self.has_conversation(conversation_id):
                raise UnknownConversation(conversation_id)
            (position,) = db.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM turns WHERE conversation_id = ?",
                (conversation_id,),
            ).fetchone()
            values = {
                "conversation_id": conversation_id,
                "position": position,
                "prompt": turn.prompt,
                "started_at": now,
                "alternative_of": None if alternative_of is None else alternative_of.id,
                **settings_columns(turn.settings),
                **state_values(turn),
            }
            # Column names come from our own dictionaries; only the values are the user's.
            cursor = db.execute(
                f"INSERT INTO turns ({', '.join(values)}) "
                f"VALUES ({', '.join(':' + name for name in values)})",
                values,
            )
            db.execute(
                "UPDATE conversations SET updated_at = ?, title = COALESCE(title, ?) WHERE id = ?",
                (now, title_from_prompt(turn.prompt), conversation_id),
            )
        turn.id = cursor.lastrowid
        assert turn.id is not None
        return turn.id

    def keep_alternatives(self, chosen: Turn) -> None:
        """Store which turn the conversation goes on with and which are its alternatives, as
        `chosen` and `chosen.alternatives` say now (after `Conversation.choose` or `add`)."""
        turns = [chosen, *chosen.alternatives]
        if any(turn.id is None for turn in turns):
            raise StoreError("a turn was never added to the history")
        with self._write() as db:
            db.execute("UPDATE turns SET alternative_of = NULL WHERE id = ?", (chosen.id,))
            db.executemany(
                "UPDATE turns SET alternative_of = ? WHERE id = ?",
                [(chosen.id, other.id) for other in chosen.alternatives],
            )

    def save_turn(self, turn: Turn) -> None:
        """Write what `turn` holds now: text, status, usage, error and timings. Commits."""
        if turn.id is None:
            raise StoreError("this turn was never added to the history")
        values = state_values(turn)
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        with self._guard():
            cursor = self._db.execute(
                f"UPDATE turns SET {assignments} WHERE id = :id", {**values, "id": turn.id}
            )
        if cursor.rowcount == 0:
            raise StoreError(f"turn {turn.id} is not in the history (was it deleted?)")

    def list_conversations(self, limit: int = 200) -> list[ConversationSummary]:
        """The most recently updated conversations, newest first."""
        return self._summaries("", (), limit)

    def search(self, text: str, limit: int = 200) -> list[ConversationSummary]:
        """Conversations with `text` in a prompt, answer or reasoning, newest first.

        Matching ignores case for ASCII letters only (SQLite's LIKE); `%` and `_` match
        themselves.
        """
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        where = (
            "WHERE EXISTS (SELECT 1 FROM turns t WHERE t.conversation_id = c.id AND ("
            "t.prompt LIKE ? ESCAPE '\\' OR t.answer LIKE ? ESCAPE '\\' "
            "OR t.reasoning LIKE ? ESCAPE '\\'))"
        )
        return self._summaries(where, (pattern, pattern, pattern), limit)

    def _summaries(
        self, where: str, parameters: tuple[object, ...], limit: int
    ) -> list[ConversationSummary]:
        query = (
            f"SELECT {_SUMMARY_COLUMNS} FROM conversations c {where} "
            "ORDER BY c.updated_at DESC, c.id DESC LIMIT ?"
        )
        with self._guard():
            rows = self._db.execute(query, (*parameters, limit)).fetchall()
        return [ConversationSummary(*row) for row in rows]

    def latest_conversation_id(self) -> int | None:
        """The conversation updated last, if there is any."""
        with self._guard():
            row = self._db.execute(
                "SELECT id FROM conversations ORDER BY updated_at DESC, id DESC LIMIT 1"
            ).fetchone()
        return row[0] if row else None

    def load_conversation(self, conversation_id: int) -> StoredConversation:
        """A conversation with all its turns, oldest first.

        A turn that was still streaming when thinkchat stopped comes back cancelled.
        """
        with self._guard():
            found = self._db.execute(
                "SELECT * FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
            if found is None:
                raise UnknownConversation(conversation_id)
            rows = self._db.execute(
                "SELECT * FROM turns WHERE conversation_id = ? ORDER BY position",
                (conversation_id,),
            ).fetchall()
        kept: list[Turn] = []
        by_id: dict[int, Turn] = {}
        # A place in the conversation is where its earliest answer was: an alternative chosen
        # later (an edited prompt sent again) may have been added after the turns that follow.
        place: dict[int, int] = {}
        for row in rows:
            turn = by_id[row["id"]] = turn_from_row(row)
            if row["alternative_of"] is None:
                kept.append(turn)
                place.setdefault(row["id"], row["position"])
        for row in rows:
            chosen = row["alternative_of"]
            if chosen is not None:
                by_id[chosen].alternatives.append(by_id[row["id"]])
                place[chosen] = min(place[chosen], row["position"])
        kept.sort(key=lambda turn: place[turn.id or 0])
        return StoredConversation(
            conversation=Conversation(
                kept,
                found["system_prompt"],
                found["title"],
                conversation_id,
            ),
            model=found["model"],
            region=found["region"],
            transport=found["transport"],
            created_at=found["created_at"],
            updated_at=found["updated_at"],
        )

    def rename(self, conversation_id: int, title: str) -> None:
        """Give a conversation a new title; a blank one clears it."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE conversations SET title = ? WHERE id = ?",
                (title.strip() or None, conversation_id),
            )
            if cursor.rowcount == 0:
                raise UnknownConversation(conversation_id)

    def set_system_prompt(self, conversation_id: int, system_prompt: str | None) -> None:
        """Change the system prompt a conversation sends from its next turn on (None: none)."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE conversations SET system_prompt = ? WHERE id = ?",
                (system_prompt, conversation_id),
            )
            if cursor.rowcount == 0:
                raise UnknownConversation(conversation_id)

    def delete(self, conversation_id: int) -> None:
        """Delete a conversation and all its turns."""
        with self._write() as db:
            cursor = db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            if cursor.rowcount == 0:
                raise UnknownConversation(conversation_id)

    def has_conversation(self, conversation_id: int) -> bool:
        """Whether a conversation with this id is stored."""
        query = "SELECT 1 FROM conversations WHERE id = ?"
        with self._guard():
            return self._db.execute(query, (conversation_id,)).fetchone() is not None
