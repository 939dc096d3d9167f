"""Alternatives: other answers for one place in a conversation, kept and stored, never sent."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from thinkchat.chat.conversation import Conversation
from thinkchat.chat.events import AnswerDelta, Finished, ReasoningDelta, Usage
from thinkchat.chat.request import ModelParameters
from thinkchat.chat.turn import Turn, TurnSettings
from thinkchat.history import rows
from thinkchat.history.export import to_json, to_markdown
from thinkchat.history.store import HistoryStore

PLAIN = TurnSettings("qwen-plus", "singapore", "openai")
THINKING = TurnSettings(
    "qwen-plus", "singapore", "dashscope", enable_thinking=True, expect_reasoning=True
)


def answered(prompt: str, answer: str, settings: TurnSettings = PLAIN, **events: object) -> Turn:
    turn = Turn(prompt, settings)
    if "reasoning" in events:
        turn.apply(ReasoningDelta(str(events["reasoning"])))
    turn.apply(AnswerDelta(answer))
    if "usage" in events:
        turn.apply(events["usage"])  # type: ignore[arg-type]
    turn.apply(Finished("stop"))
    return turn


def contents(conversation: Conversation, prompt: str, before: Turn | None = None) -> list[str]:
    return [message.content for message in conversation.history(prompt, before=before)]


def test_a_turn_that_replaces_another_takes_its_place_and_keeps_it_as_an_alternative():
    first = answered("q1", "a1")
    old = answered("q2 badly put", "a2")
    conversation = Conversation(turns=[first, old])
    new = answered("q2 put better", "a2 again")
    conversation.add(new, replacing=old)
    assert conversation.turns == [first, new]
    assert new.alternatives == [old]
    # What the model is sent never holds an alternative.
    assert contents(conversation, "q3") == ["q1", "a1", "q2 put better", "a2 again", "q3"]
    # A turn replaced again brings its own alternatives along, newest wording first.
    newer = answered("q2, third try", "a2 once more")
    conversation.add(newer, replacing=new)
    assert newer.alternatives == [new, old]
    assert new.alternatives == []


def test_choosing_an_alternative_swaps_it_with_the_turn_it_stood_beside():
    first = answered("q1", "a1")
    chosen = answered("q2", "with thinking", THINKING)
    other = answered("q2", "without")
    third = answered("q2", "a third way")
    chosen.alternatives = [other, third]
    conversation = Conversation(turns=[first, chosen])
    conversation.choose(third)
    assert conversation.turns == [first, third]
    assert third.alternatives == [chosen, other]
    assert chosen.alternatives == []
    conversation.choose(third)  # already chosen: nothing moves
    assert third.alternatives == [chosen, other]
    with pytest.raises(ValueError, match="not in this conversation"):
        conversation.choose(answered("q9", "stranger"))


def test_the_history_of_an_alternative_stops_before_its_place():
    first = answered("q1", "a1")
    chosen = answered("q2", "kept")
    alternative = answered("q2", "other")
    chosen.alternatives = [alternative]
    conversation = Conversation(turns=[first, chosen])
    assert conversation.place_of(alternative) == 1
    assert contents(conversation, "q2", before=alternative) == ["q1", "a1", "q2"]
    assert conversation.place_of(answered("q", "elsewhere")) is None


def test_totals_count_what_alternatives_cost_too():
    chosen = answered("q", "a", usage=Usage(10, 20, 5, 0))
    chosen.alternatives = [answered("q", "b", usage=Usage(10, 30, 0, 2))]
    assert Conversation(turns=[chosen]).totals == Usage(20, 50, 5, 2)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore(tmp_path / "history.sqlite3") as opened:
        yield opened


def stored_pair(store: HistoryStore) -> tuple[int, Turn, Turn, Turn]:
    """A conversation: a first turn, then a turn with one alternative (its two answers)."""
    conversation_id = store.create_conversation(
        model="qwen-plus", region="singapore", transport="openai"
    )
    first, chosen = answered("q1", "a1"), answered("q2", "thought it through", THINKING)
    other = answered("q2", "answered at once", reasoning="")
    for turn in (first, chosen):
        store.add_turn(conversation_id, turn)
        store.save_turn(turn)
    store.add_turn(conversation_id, other, alternative_of=chosen)
    store.save_turn(other)
    return conversation_id, first, chosen, other


def test_alternatives_are_stored_under_their_turn(store):
    conversation_id, _, _, _ = stored_pair(store)
    loaded = store.load_conversation(conversation_id).conversation
    assert [turn.answer for turn in loaded.turns] == ["a1", "thought it through"]
    assert [turn.answer for turn in loaded.turns[1].alternatives] == ["answered at once"]
    assert loaded.turns[1].alternatives[0].settings.transport == "openai"
    (summary,) = store.list_conversations()
    assert summary.turn_count == 2  # the alternative is not a turn of its own


def test_the_choice_is_stored(store):
    conversation_id, _, chosen, other = stored_pair(store)
    conversation = store.load_conversation(conversation_id).conversation
    conversation.choose(conversation.turns[1].alternatives[0])
    store.keep_alternatives(conversation.turns[1])
    reloaded = store.load_conversation(conversation_id).conversation
    assert [turn.answer for turn in reloaded.turns] == ["a1", "answered at once"]
    assert [turn.id for turn in reloaded.turns[1].alternatives] == [chosen.id]
    assert other.id == reloaded.turns[1].id


def test_an_alternative_chosen_after_later_turns_were_added_keeps_its_place(store):
    conversation_id, first, chosen, _ = stored_pair(store)
    later = answered("q3", "a3")
    store.add_turn(conversation_id, later)
    store.save_turn(later)
    # An edited first prompt, sent again after q3: stored last, chosen for the first place.
    edited = answered("q1, put better", "a1 again")
    store.add_turn(conversation_id, edited)
    store.save_turn(edited)
    conversation = store.load_conversation(conversation_id).conversation
    conversation.add(edited, replacing=conversation.turns[0])
    store.keep_alternatives(edited)
    reloaded = store.load_conversation(conversation_id).conversation
    assert [turn.answer for turn in reloaded.turns] == ["a1 again", chosen.answer, "a3"]
    assert [turn.answer for turn in reloaded.turns[0].alternatives] == [first.answer]


def test_alternatives_are_found_by_search_and_go_with_their_conversation(store):
    conversation_id, _, _, _ = stored_pair(store)
    assert [found.id for found in store.search("at once")] == [conversation_id]
    store.delete(conversation_id)
    assert store.search("at once") == []


def test_model_parameters_round_trip(store):
    conversation_id = store.create_conversation(
        model="qwen-plus", region="singapore", transport="openai"
    )
    parameters = ModelParameters(temperature=0.6, top_p=0.95, top_k=20, max_tokens=4000, seed=7)
    settings = TurnSettings("qwen-plus", "singapore", "openai", parameters=parameters)
    turn = answered("q", "a", settings)
    store.add_turn(conversation_id, turn)
    (loaded,) = store.load_conversation(conversation_id).conversation.turns
    assert loaded.settings.parameters == parameters


def test_a_history_from_before_alternatives_opens_with_none(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as raw:
        for statement in rows.MIGRATIONS[0]:
            raw.execute(statement)
        raw.execute("PRAGMA user_version = 1")
        raw.execute(
            "INSERT INTO conversations (id, model, region, transport, created_at, updated_at) "
            "VALUES (1, 'qwen-plus', 'singapore', 'openai', 0, 0)"
        )
        raw.execute(
            "INSERT INTO turns (conversation_id, position, prompt, answer, status, model, region,"
            " transport, thinking, expect_reasoning, started_at) "
            "VALUES (1, 0, 'old question', 'old answer', 'done', 'qwen-plus', 'singapore',"
            " 'openai', 'auto', 0, 0)"
        )
    with HistoryStore(path) as opened:
        (turn,) = opened.load_conversation(1).conversation.turns
    assert (turn.answer, turn.alternatives) == ("old answer", [])
    assert turn.settings.parameters == ModelParameters()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (len(rows.MIGRATIONS),)


def test_exports_show_each_alternative_under_its_turn(store):
    conversation_id, _, _, _ = stored_pair(store)
    stored = store.load_conversation(conversation_id)
    document = json.loads(to_json(stored))
    assert [turn["answer"] for turn in document["turns"]] == ["a1", "thought it through"]
    (alternative,) = document["turns"][1]["alternatives"]
    assert alternative["answer"] == "answered at once"
    assert alternative["settings"]["transport"] == "openai"
    assert "alternatives" not in alternative
    markdown = to_markdown(stored)
    heading = "### 2.1. Another answer (qwen-plus, no thinking, openai, singapore)"
    assert heading in markdown
    assert markdown.index("thought it through") < markdown.index(heading)
    assert markdown.index(heading) < markdown.index("answered at once")


def test_an_edited_prompt_shows_how_it_was_asked_before(store):
    conversation_id = store.create_conversation(
        model="qwen-plus", region="singapore", transport="openai"
    )
    old, new = answered("first wording", "a"), answered("second wording", "b")
    for turn in (old, new):
        store.add_turn(conversation_id, turn)
    conversation = Conversation(turns=[old])
    conversation.add(new, replacing=old)
    store.keep_alternatives(new)
    markdown = to_markdown(store.load_conversation(conversation_id))
    assert "Asked as:\n\n```text\nfirst wording\n```" in markdown
