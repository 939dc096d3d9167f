"""The history recorder with several turns streaming at once (a comparison's variants)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from thinkchat.chat.conversation import Conversation
from thinkchat.chat.events import AnswerDelta, Finished
from thinkchat.chat.session import ChatSettings
from thinkchat.chat.turn import Turn, TurnSettings, TurnStatus
from thinkchat.history.store import HistoryStore
from thinkchat.ui.recorder import SAVE_INTERVAL, HistoryRecorder


@dataclass
class _Timer:
    due: float
    callback: Callable[[], object]
    stopped: bool = False

    def stop(self) -> None:
        self.stopped = True


@dataclass
class _Timers:
    """Stands in for `App.set_timer`, on a clock the test moves."""

    now: float = 100.0
    timers: list[_Timer] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def schedule(self, delay: float, callback: Callable[[], object]) -> _Timer:
        self.timers.append(_Timer(self.now + delay, callback))
        return self.timers[-1]

    def run_due(self) -> None:
        for timer in [t for t in self.timers if t.due <= self.now and not t.stopped]:
            self.timers.remove(timer)
            timer.callback()


def turn(prompt: str = "q", transport: str = "openai") -> Turn:
    return Turn(prompt, TurnSettings("qwen-plus", "singapore", transport))


def stored(store: HistoryStore, conversation: Conversation) -> list[tuple[str, list[str]]]:
    loaded = store.load_conversation(conversation.id).conversation
    return [(t.answer, [other.answer for other in t.alternatives]) for t in loaded.turns]


@pytest.fixture
def store(tmp_path):
    with HistoryStore(tmp_path / "history.sqlite3") as opened:
        yield opened


def test_turns_streaming_at_once_are_each_saved_on_their_own(store):
    timers = _Timers()
    recorder = HistoryRecorder(store, pytest.fail, timers.schedule, timers.clock)
    conversation = Conversation()
    first, other = turn(), turn(transport="dashscope")
    conversation.add(first)
    first.alternatives.append(other)
    recorder.turn_started(conversation, first, ChatSettings())
    recorder.alternative_started(conversation, other, of=first)
    assert stored(store, conversation) == [("", [""])]

    timers.now += SAVE_INTERVAL / 5
    first.apply(AnswerDelta("one"))
    recorder.turn_progressed(first)
    other.apply(AnswerDelta("two"))
    recorder.turn_progressed(other)  # a save of the first waits: this one is not dropped
    assert len(timers.timers) == 2
    assert stored(store, conversation) == [("", [""])]  # both wait for their interval

    timers.now += SAVE_INTERVAL
    timers.run_due()
    assert stored(store, conversation) == [("one", ["two"])]

    other.apply(AnswerDelta(" more"))
    recorder.turn_progressed(other)  # right after its save: it waits
    other.apply(Finished("stop"))
    recorder.turn_ended(other)  # the end is written at once, the wait is over
    assert all(timer.stopped for timer in timers.timers)
    assert stored(store, conversation) == [("one", ["two more"])]
    first.cancel()
    recorder.turn_ended(first)
    loaded = store.load_conversation(conversation.id).conversation.turns[0]
    assert loaded.status is TurnStatus.CANCELLED


def test_the_answer_chosen_is_stored_as_the_one_the_conversation_goes_on_with(store):
    timers = _Timers()
    recorder = HistoryRecorder(store, pytest.fail, timers.schedule, timers.clock)
    conversation = Conversation()
    first, other = turn(), turn()
    conversation.add(first)
    first.alternatives.append(other)
    recorder.turn_started(conversation, first, ChatSettings())
    recorder.alternative_started(conversation, other, of=first)
    for answered, text in ((first, "first answer"), (other, "other answer")):
        answered.apply(AnswerDelta(text))
        answered.apply(Finished("stop"))
        recorder.turn_ended(answered)
    conversation.choose(other)
    recorder.choice_changed(other)
    assert stored(store, conversation) == [("other answer", ["first answer"])]


def test_an_alternative_of_a_turn_the_history_never_kept_is_not_stored(tmp_path):
    recorder = HistoryRecorder(None, pytest.fail, _Timers().schedule)
    conversation = Conversation()
    first, other = turn(), turn()
    recorder.turn_started(conversation, first, ChatSettings())
    recorder.alternative_started(conversation, other, of=first)
    recorder.choice_changed(other)
    assert (conversation.id, first.id, other.id) == (None, None, None)
