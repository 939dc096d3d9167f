"""The history store: round trips, listing, search, partial loads, migrations and crashes."""

from __future__ import annotations

import itertools
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from thinkchat.catalog import SoftSwitch, Thinking
from thinkchat.chat.conversation import title_from_prompt
from thinkchat.chat.errors import ChatError, ErrorKind
from thinkchat.chat.events import AnswerDelta, Finished, ReasoningDelta, StreamError, Usage
from thinkchat.chat.turn import Timings, Turn, TurnSettings, TurnStatus
from thinkchat.history import store as store_module
from thinkchat.history.errors import StoreError, UnknownConversation
from thinkchat.history.store import HistoryStore, default_data_dir

SETTINGS = TurnSettings("qwen-plus", "singapore", "openai")


def ticking(start: float = 1_700_000_000.0, step: float = 10.0) -> Callable[[], float]:
    """A clock that moves `step` seconds each time it is read."""
    return itertools.count(start, step).__next__


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "history.sqlite3"


@pytest.fixture
def store(path: Path) -> Iterator[HistoryStore]:
    with HistoryStore(path, clock=ticking()) as opened:
        yield opened


def new_conversation(store: HistoryStore, **fields: str) -> int:
    return store.create_conversation(
        model="qwen-plus", region="singapore", transport="openai", **fields
    )


def finished_turn(prompt: str, answer: str = "an answer", reasoning: str = "") -> Turn:
    turn = Turn(prompt, SETTINGS)
    if reasoning:
        turn.apply(ReasoningDelta(reasoning))
    turn.apply(AnswerDelta(answer))
    turn.apply(Finished("stop"))
    return turn


def add_finished(store: HistoryStore, conversation_id: int, prompt: str, **text: str) -> Turn:
    turn = finished_turn(prompt, **text)
    store.add_turn(conversation_id, turn)
    store.save_turn(turn)
    return turn


def test_a_full_turn_round_trips_every_field(path):
    settings = TurnSettings(
        "qwen3-8b",
        "singapore",
        "dashscope",
        thinking=Thinking.ON,
        budget=500,
        enable_thinking=True,
        thinking_budget=500,
        expect_reasoning=True,
        soft_switch=SoftSwitch.THINK,
    )
    # Clock readings: the start, one per event, and the end.
    readings = iter([100.0, 100.5, 101.0, 102.25, 102.5, 102.75, 102.9, 103.0])
    turn = Turn("think hard /think", settings, timings=Timings(clock=lambda: next(readings)))
    with HistoryStore(path) as store:
        conversation_id = new_conversation(store, system_prompt="Be brief.")
        store.add_turn(conversation_id, turn)
        for event in (
            ReasoningDelta("step one, "),
            ReasoningDelta("step two"),
            AnswerDelta("The answer "),
            AnswerDelta("is 4."),
            Usage(input_tokens=12, output_tokens=40, reasoning_tokens=30, cached_tokens=8),
            Finished("stop"),
        ):
            turn.apply(event)
            store.save_turn(turn)

    with HistoryStore(path) as reopened:
        stored = reopened.load_conversation(conversation_id)
    assert (stored.model, stored.region, stored.transport) == ("qwen-plus", "singapore", "openai")
    assert stored.conversation.system_prompt == "Be brief."
    assert stored.conversation.id == conversation_id
    (loaded,) = stored.conversation.turns
    assert loaded.id == turn.id is not None
    assert loaded.prompt == "think hard /think"
    assert loaded.settings == settings
    assert (loaded.reasoning, loaded.answer) == ("step one, step two", "The answer is 4.")
    assert loaded.status is TurnStatus.DONE
    assert loaded.usage == Usage(12, 40, 30, 8)
    assert loaded.finish_reason == "stop"
    assert loaded.error is None
    assert loaded.timings.time_to_first_reasoning == pytest.approx(0.5)
    assert loaded.timings.thinking_duration == pytest.approx(1.75)
    assert loaded.timings.time_to_first_answer == pytest.approx(2.25)
    assert loaded.timings.total == pytest.approx(3.0)


def test_a_failed_turn_round_trips_its_error(store):
    settings = TurnSettings("qwq-plus", "beijing", "openai", thinking=Thinking.OFF)
    readings = iter([0.0, 1.0, 4.0, 4.5, 5.0])
    turn = Turn("q", settings, timings=Timings(clock=lambda: next(readings)))
    conversation_id = new_conversation(store)
    store.add_turn(conversation_id, turn)
    turn.apply(ReasoningDelta("hmm"))
    turn.apply(ReasoningDelta(" more"))
    error = ChatError(ErrorKind.RATE_LIMIT, "slow down", 429, "Throttling", "req-123", 2.0)
    turn.apply(StreamError(error))
    store.save_turn(turn)

    (loaded,) = store.load_conversation(conversation_id).conversation.turns
    assert loaded.status is TurnStatus.FAILED
    assert loaded.reasoning == "hmm more" and loaded.answer == ""
    assert loaded.usage is None and loaded.finish_reason is None
    assert loaded.settings == settings
    assert loaded.settings.enable_thinking is None and loaded.settings.soft_switch is None
    restored = loaded.error
    assert restored is not None
    assert (restored.kind, restored.message, restored.status, restored.code) == (
        ErrorKind.RATE_LIMIT,
        "slow down",
        429,
        "Throttling",
    )
    assert restored.request_id == "req-123"
    # Thinking never reached an answer: it lasted until the last reasoning.
    assert loaded.timings.time_to_first_reasoning == pytest.approx(1.0)
    assert loaded.timings.thinking_duration == pytest.approx(3.0)
    assert loaded.timings.time_to_first_answer is None
    assert loaded.timings.total == pytest.approx(5.0)


def test_enable_thinking_false_is_not_confused_with_none(store):
    settings = TurnSettings("qwen-plus", "singapore", "openai", enable_thinking=False)
    conversation_id = new_conversation(store)
    store.add_turn(conversation_id, Turn("q", settings))
    (loaded,) = store.load_conversation(conversation_id).conversation.turns
    assert loaded.settings.enable_thinking is False


def test_turns_come_back_in_order_with_their_ids(store):
    conversation_id = new_conversation(store)
    added = [add_finished(store, conversation_id, f"q{n}", answer=f"a{n}") for n in range(5)]
    loaded = store.load_conversation(conversation_id).conversation.turns
    assert [turn.prompt for turn in loaded] == [f"q{n}" for n in range(5)]
    assert [turn.answer for turn in loaded] == [f"a{n}" for n in range(5)]
    assert [turn.id for turn in loaded] == [turn.id for turn in added]
    assert len({turn.id for turn in loaded}) == 5


def test_the_first_prompt_titles_the_conversation(store):
    conversation_id = new_conversation(store)
    add_finished(store, conversation_id, "\n  What   is the\tboiling point  \nof water?")
    add_finished(store, conversation_id, "and at altitude?")
    assert store.load_conversation(conversation_id).conversation.title == (
        "What is the boiling point"
    )
    titled = new_conversation(store, title="Chosen")
    add_finished(store, titled, "a prompt")
    assert store.load_conversation(titled).conversation.title == "Chosen"


def test_long_titles_are_cut_with_an_ellipsis():
    title = title_from_prompt("word " * 40)
    assert title is not None and len(title) == 60 and title.endswith("…")
    assert title_from_prompt("short") == "short"
    assert title_from_prompt("x" * 60) == "x" * 60
    assert title_from_prompt("   \n  ") is None


def test_conversations_list_newest_first(store):
    first = new_conversation(store)
    second = new_conversation(store)
    third = new_conversation(store)
    assert [summary.id for summary in store.list_conversations()] == [third, second, first]
    add_finished(store, first, "back to the first one")
    add_finished(store, first, "again")
    summaries = store.list_conversations()
    assert [summary.id for summary in summaries] == [first, third, second]
    assert summaries[0].turn_count == 2 and summaries[1].turn_count == 0
    assert summaries[0].title == "back to the first one"
    assert summaries[0].model == "qwen-plus" and summaries[0].transport == "openai"
    assert summaries[0].updated_at > summaries[0].created_at
    assert [summary.id for summary in store.list_conversations(limit=2)] == [first, third]
    assert store.latest_conversation_id() == first


def test_an_empty_history(store):
    assert store.list_conversations() == []
    assert store.latest_conversation_id() is None
    assert store.search("anything") == []


def test_search_looks_in_prompts_answers_and_reasoning(store):
    in_prompt = new_conversation(store)
    add_finished(store, in_prompt, "Tell me about PLATYPUS eggs")
    in_answer = new_conversation(store)
    add_finished(store, in_answer, "an animal?", answer="The platypus lays eggs.")
    in_reasoning = new_conversation(store)
    add_finished(store, in_reasoning, "mammals", reasoning="maybe a Platypus", answer="no")
    elsewhere = new_conversation(store)
    add_finished(store, elsewhere, "something else")

    found = [summary.id for summary in store.search("platypus")]
    assert found == [in_reasoning, in_answer, in_prompt]
    assert [summary.id for summary in store.search("platypus", limit=1)] == [in_reasoning]
    assert store.search("echidna") == []


def test_search_takes_wildcards_literally(store):
    percent = new_conversation(store)
    add_finished(store, percent, "a 100% sure thing")
    underscore = new_conversation(store)
    add_finished(store, underscore, "call my_function")
    backslash = new_conversation(store)
    add_finished(store, backslash, r"C:\temp")
    plain = new_conversation(store)
    add_finished(store, plain, "a 1000 sure thing, call myxfunction, C:temp")

    assert [summary.id for summary in store.search("100%")] == [percent]
    assert [summary.id for summary in store.search("%")] == [percent]
    assert [summary.id for summary in store.search("my_f")] == [underscore]
    assert [summary.id for summary in store.search("_")] == [underscore]
    assert [summary.id for summary in store.search("\\")] == [backslash]


def test_rename_and_delete(store, path):
    conversation_id = new_conversation(store)
    add_finished(store, conversation_id, "first prompt")
    kept = new_conversation(store)
    add_finished(store, kept, "kept")
    store.rename(conversation_id, "  A better title ")
    assert store.load_conversation(conversation_id).conversation.title == "A better title"

    store.delete(conversation_id)
    assert [summary.id for summary in store.list_conversations()] == [kept]
    with sqlite3.connect(path) as raw:
        rows = raw.execute("SELECT conversation_id FROM turns").fetchall()
    assert rows == [(kept,)]


def test_a_system_prompt_set_and_cleared_survives_reopening(store, path):
    conversation_id = new_conversation(store)
    add_finished(store, conversation_id, "first prompt")
    store.set_system_prompt(conversation_id, "Answer in French.\nBe brief.")
    with HistoryStore(path) as reopened:
        stored = reopened.load_conversation(conversation_id).conversation
    assert stored.system_prompt == "Answer in French.\nBe brief."
    assert [message.role for message in stored.history("next")] == [
        "system",
        "user",
        "assistant",
        "user",
    ]
    store.set_system_prompt(conversation_id, None)
    with HistoryStore(path) as reopened:
        assert reopened.load_conversation(conversation_id).conversation.system_prompt is None


def test_unknown_ids_are_errors(store):
    missing = 404
    for attempt in (
        lambda: store.load_conversation(missing),
        lambda: store.rename(missing, "title"),
        lambda: store.set_system_prompt(missing, "Be brief."),
        lambda: store.delete(missing),
        lambda: store.add_turn(missing, Turn("q", SETTINGS)),
    ):
        with pytest.raises(UnknownConversation, match="no conversation 404"):
            attempt()
    with pytest.raises(StoreError, match="never added"):
        store.save_turn(Turn("q", SETTINGS))


def test_saving_a_turn_of_a_deleted_conversation_is_an_error(store):
    conversation_id = new_conversation(store)
    turn = Turn("q", SETTINGS)
    store.add_turn(conversation_id, turn)
    store.delete(conversation_id)
    turn.apply(AnswerDelta("late"))
    with pytest.raises(StoreError, match="not in the history"):
        store.save_turn(turn)


def test_a_thousand_turn_conversation_loads_whole_and_in_order(store):
    conversation_id = new_conversation(store)
    for n in range(1000):
        turn = Turn(f"question {n}", SETTINGS)
        turn.apply(AnswerDelta(f"answer {n}"))
        store.add_turn(conversation_id, turn)
    turns = store.load_conversation(conversation_id).conversation.turns
    assert [turn.prompt for turn in turns] == [f"question {n}" for n in range(1000)]
    assert turns[-1].answer == "answer 999"
    assert all(turn.id is not None for turn in turns)
    assert store.list_conversations()[0].turn_count == 1000


def test_a_turn_left_streaming_comes_back_cancelled(store):
    conversation_id = new_conversation(store)
    turn = Turn("q", SETTINGS)
    store.add_turn(conversation_id, turn)
    turn.apply(ReasoningDelta("half a thought"))
    turn.apply(AnswerDelta("half an answer"))
    store.save_turn(turn)
    (loaded,) = store.load_conversation(conversation_id).conversation.turns
    assert loaded.status is TurnStatus.CANCELLED
    assert (loaded.reasoning, loaded.answer) == ("half a thought", "half an answer")
    assert loaded.timings.total is None


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_what_was_saved_survives_the_process_being_killed(path):
    script = textwrap.dedent(
        """
        import os, signal, sys
        from pathlib import Path
        from thinkchat.chat.events import AnswerDelta, ReasoningDelta
        from thinkchat.chat.turn import Turn, TurnSettings
        from thinkchat.history.store import HistoryStore

        store = HistoryStore(Path(sys.argv[1]))
        conversation_id = store.create_conversation(
            model="qwen-plus", region="singapore", transport="openai"
        )
        turn = Turn("why?", TurnSettings("qwen-plus", "singapore", "openai"))
        store.add_turn(conversation_id, turn)
        for n in range(3):
            turn.apply(ReasoningDelta(f"r{n} "))
            store.save_turn(turn)
        turn.apply(AnswerDelta("partial"))
        store.save_turn(turn)
        turn.apply(AnswerDelta(" never saved"))
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    finished = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, timeout=60, check=False
    )
    assert finished.returncode == -signal.SIGKILL, finished.stderr.decode()

    with HistoryStore(path) as reopened:
        conversation_id = reopened.latest_conversation_id()
        assert conversation_id is not None
        stored = reopened.load_conversation(conversation_id)
    (turn,) = stored.conversation.turns
    assert stored.conversation.title == "why?"
    assert (turn.reasoning, turn.answer) == ("r0 r1 r2 ", "partial")
    assert turn.status is TurnStatus.CANCELLED


def test_the_database_uses_wal_and_enforces_foreign_keys(store, path):
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert raw.execute("PRAGMA user_version").fetchone() == (len(store_module.MIGRATIONS),)
    conversation_id = new_conversation(store)
    add_finished(store, conversation_id, "q")
    store.delete(conversation_id)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT COUNT(*) FROM turns").fetchone() == (0,)


def test_the_default_path_is_in_the_data_folder(tmp_path):
    path = HistoryStore.default_path()
    assert path == default_data_dir() / "history.sqlite3"
    with HistoryStore(path):
        pass
    assert path.exists()


def test_an_empty_file_is_migrated_to_the_current_schema(path):
    path.touch()
    with HistoryStore(path) as opened:
        conversation_id = new_conversation(opened)
        add_finished(opened, conversation_id, "works")
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (len(store_module.MIGRATIONS),)


def test_a_new_migration_moves_an_older_database_forward(path, monkeypatch):
    current = len(store_module.MIGRATIONS)
    with HistoryStore(path) as older:
        conversation_id = new_conversation(older)
        add_finished(older, conversation_id, "from the older version")
    pinned = ("ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0",)
    monkeypatch.setattr(store_module, "MIGRATIONS", (*store_module.MIGRATIONS, pinned))

    with HistoryStore(path) as newer:
        (turn,) = newer.load_conversation(conversation_id).conversation.turns
        assert turn.prompt == "from the older version"
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (current + 1,)
        assert raw.execute("SELECT pinned FROM conversations").fetchall() == [(0,)]


def test_a_failing_migration_changes_nothing(path, monkeypatch):
    HistoryStore(path).close()
    broken = ("ALTER TABLE conversations ADD COLUMN pinned INTEGER", "NOT VALID SQL")
    monkeypatch.setattr(store_module, "MIGRATIONS", (*store_module.MIGRATIONS, broken))
    with pytest.raises(StoreError, match="syntax error"):
        HistoryStore(path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (len(store_module.MIGRATIONS) - 1,)
        columns = [row[1] for row in raw.execute("PRAGMA table_info(conversations)")]
    assert "pinned" not in columns


def test_a_database_from_a_newer_thinkchat_is_refused(path):
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 99")
    known = len(store_module.MIGRATIONS)
    with pytest.raises(
        StoreError, match=rf"newer thinkchat \(schema version 99; .* up to {known}\)"
    ):
        HistoryStore(path)


def test_a_file_that_is_not_a_database_is_a_store_error(path):
    path.write_bytes(b"this is not sqlite, just some text that is long enough" * 20)
    with pytest.raises(StoreError, match="not a database"):
        HistoryStore(path)
