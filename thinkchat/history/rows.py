"""How the history is laid out in SQLite: the schema's migrations, and turns as rows.

Kept apart from `store.py`, which holds the operations, so the column-by-column mapping of a
`Turn` has one place to change.
"""

from __future__ import annotations

import json
import sqlite3

from thinkchat.catalog import SoftSwitch, Thinking
from thinkchat.chat.cost import Cost
from thinkchat.chat.errors import ChatError, ErrorKind
from thinkchat.chat.events import Usage
from thinkchat.chat.request import ModelParameters
from thinkchat.chat.turn import Timings, Turn, TurnSettings, TurnStatus

# Migration N (1-based) takes a database from schema version N-1 to N. Append only: a released
# migration never changes, since databases out there have already run it.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            title TEXT,
            model TEXT NOT NULL, region TEXT NOT NULL, transport TEXT NOT NULL,
            system_prompt TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )""",
        "CREATE INDEX conversations_by_update ON conversations (updated_at DESC, id DESC)",
        """CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL
                REFERENCES conversations (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            prompt TEXT NOT NULL,
            reasoning TEXT NOT NULL DEFAULT '',
            answer TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            model TEXT NOT NULL, region TEXT NOT NULL, transport TEXT NOT NULL,
            thinking TEXT NOT NULL, budget INTEGER,
            enable_thinking INTEGER, thinking_budget INTEGER,
            expect_reasoning INTEGER NOT NULL, soft_switch TEXT,
            input_tokens INTEGER, output_tokens INTEGER,
            reasoning_tokens INTEGER, cached_tokens INTEGER,
            finish_reason TEXT,
            error_kind TEXT, error_message TEXT, error_status INTEGER,
            error_code TEXT, error_request_id TEXT,
            time_to_first_reasoning REAL, thinking_duration REAL,
            time_to_first_answer REAL, total_seconds REAL,
            started_at REAL NOT NULL
        )""",
        "CREATE UNIQUE INDEX turns_in_order ON turns (conversation_id, position)",
    ),
    (
        # Another answer for the place of the turn it names (compared settings, or an earlier
        # wording of an edited prompt); NULL for the turns the conversation goes on with.
        "ALTER TABLE turns ADD COLUMN alternative_of INTEGER "
        "REFERENCES turns (id) ON DELETE CASCADE",
        # The model parameters sent (temperature, max_tokens, …) as a JSON object.
        "ALTER TABLE turns ADD COLUMN parameters TEXT NOT NULL DEFAULT '{}'",
    ),
    (
        # What the turn cost by the prices known when it ended, kept as it was (NULL: no price
        # was known, or the turn is older than this column).
        "ALTER TABLE turns ADD COLUMN cost REAL",
        "ALTER TABLE turns ADD COLUMN currency TEXT",
    ),
)


def settings_record(settings: TurnSettings) -> dict[str, object]:
    """A turn's settings as plain values, named as in the database and the JSON export."""
    return {
        "model": settings.model,
        "region": settings.region,
        "transport": settings.transport,
        "thinking": settings.thinking.value,
        "budget": settings.budget,
        "enable_thinking": settings.enable_thinking,
        "thinking_budget": settings.thinking_budget,
        "expect_reasoning": settings.expect_reasoning,
        "soft_switch": settings.soft_switch.value if settings.soft_switch else None,
        "parameters": settings.parameters.sent(),
    }


def settings_columns(settings: TurnSettings) -> dict[str, object]:
    """`settings_record` as the database's columns take it."""
    record = settings_record(settings)
    record["parameters"] = json.dumps(record["parameters"])
    return record


def state_values(turn: Turn) -> dict[str, object]:
    """The columns that change while a turn streams."""
    usage, error, timings = turn.usage, turn.error, turn.timings
    return {
        "reasoning": turn.reasoning,
        "answer": turn.answer,
        "status": turn.status.value,
        # The usage's columns, empty until the service counted.
        **(usage.as_dict() if usage else dict.fromkeys(Usage().as_dict())),
        **(turn.cost.as_dict() if turn.cost else {"cost": None, "currency": None}),
        "finish_reason": turn.finish_reason,
        "error_kind": error.kind.value if error else None,
        "error_message": error.message if error else None,
        "error_status": error.status if error else None,
        "error_code": error.code if error else None,
        "error_request_id": error.request_id if error else None,
        "time_to_first_reasoning": timings.time_to_first_reasoning,
        "thinking_duration": timings.thinking_duration,
        "time_to_first_answer": timings.time_to_first_answer,
        "total_seconds": timings.total,
    }


def turn_from_row(row: sqlite3.Row) -> Turn:
    settings = TurnSettings(
        model=row["model"],
        region=row["region"],
        transport=row["transport"],
        thinking=Thinking(row["thinking"]),
        budget=row["budget"],
        enable_thinking=None if row["enable_thinking"] is None else bool(row["enable_thinking"]),
        thinking_budget=row["thinking_budget"],
        expect_reasoning=bool(row["expect_reasoning"]),
        soft_switch=SoftSwitch(row["soft_switch"]) if row["soft_switch"] else None,
        parameters=ModelParameters(**json.loads(row["parameters"])),
    )
    usage = None
    if row["input_tokens"] is not None:
        usage = Usage(
            row["input_tokens"], row["output_tokens"], row["reasoning_tokens"], row["cached_tokens"]
        )
    error = None
    if row["error_kind"] is not None:
        error = ChatError(
            ErrorKind(row["error_kind"]),
            row["error_message"],
            status=row["error_status"],
            code=row["error_code"],
            request_id=row["error_request_id"],
        )
    # A turn still streaming in the file was cut off when thinkchat stopped: it ended there.
    status = TurnStatus(row["status"])
    if status is TurnStatus.STREAMING:
        status = TurnStatus.CANCELLED
    return Turn.restored(
        row["prompt"],
        settings,
        row["reasoning"],
        row["answer"],
        status=status,
        usage=usage,
        cost=None if row["cost"] is None else Cost(row["cost"], row["currency"]),
        finish_reason=row["finish_reason"],
        error=error,
        timings=timings_from_row(row),
        id=row["id"],
    )


def timings_from_row(row: sqlite3.Row) -> Timings:
    """Clock readings, counted from 0, whose durations are the stored ones."""
    to_reasoning, thinking = row["time_to_first_reasoning"], row["thinking_duration"]
    # Thinking ends at the first answer, else at the last reasoning: setting the last reasoning
    # to where thinking ended gives the stored duration either way.
    last_reasoning = None
    if to_reasoning is not None and thinking is not None:
        last_reasoning = to_reasoning + thinking
    return Timings(
        started=0.0,
        first_reasoning=to_reasoning,
        last_reasoning=last_reasoning,
        first_answer=row["time_to_first_answer"],
        ended=row["total_seconds"],
    )
