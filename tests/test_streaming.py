"""How a streaming turn reaches the screen: frames on the trailing edge, keys drawn first."""

from __future__ import annotations

import asyncio
import itertools
import math
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.tui import make_app
from thinkchat.chat.events import AnswerDelta, ReasoningDelta
from thinkchat.chat.turn import Turn, TurnSettings
from thinkchat.ui.screens.chat.frame_pacer import (
    ANSWER_WORK_SECONDS,
    DRAWING_SHARE,
    FRAME_SECONDS,
    FRAME_SHOWN_TIMEOUT,
    INPUT_QUIET_SECONDS,
    MOST_INPUT_DELAY_SECONDS,
    POURING_DELTAS,
    POURING_SHARE,
    FramePacer,
)
from thinkchat.ui.screens.chat.streaming import TurnStreamer


@dataclass
class _Clock:
    now: float = 100.0
    step: float = 0.0  # how far it moves each time it is read
    last_key: float = -math.inf  # when the test last pressed a key

    def __call__(self) -> float:
        self.now += self.step
        return self.now

    def press_key(self) -> None:
        self.last_key = self.now


@dataclass
class _PendingFrame:
    delay: float
    due: float
    callback: Callable[[], Any]
    stopped: bool = False

    def stop(self) -> None:
        self.stopped = True


@dataclass
class _Frames:
    """Stands in for `App.set_timer`: frames run when the test says so, on a clock it moves."""

    clock: _Clock
    pending: list[_PendingFrame] = field(default_factory=list)

    def __call__(self, delay: float, callback: Callable[[], Any]) -> _PendingFrame:
        frame = _PendingFrame(delay, self.clock.now + delay, callback)
        self.pending.append(frame)
        return frame

    async def run_next(self) -> float:
        """Wait for the next frame and run it; returns how long it was scheduled to wait."""
        self.pending = [frame for frame in self.pending if not frame.stopped]
        frame = min(self.pending, key=lambda pending: pending.due)  # the first of equals
        self.pending.remove(frame)
        self.clock.now = max(self.clock.now, frame.due)
        await frame.callback()
        return frame.delay


def _pacer(app: Any, clock: _Clock, frames: _Frames) -> FramePacer:
    """A pacer whose frames the test runs, on its own clock."""
    return FramePacer(
        schedule=frames,
        batch_update=app.batch_update,
        after_screen_update=app.call_after_refresh,
        last_input=lambda: clock.last_key,
        clock=clock,
    )


@asynccontextmanager
async def _streaming(
    tmp_path: Path, on_frame: Callable[[TurnStreamer], None] = lambda _: None
) -> AsyncIterator[tuple[TurnStreamer, _Clock, _Frames]]:
    """A streamer for a turn in a running app, its frames run by the test on its own clock."""
    app = make_app(None, tmp_path)
    async with app.run_test() as pilot:
        settings = TurnSettings(model="qwen-plus", region="singapore", transport="openai")
        entry = app.chat_screen.conversation_view.add_turn(Turn.restored("hello", settings, "", ""))
        clock = _Clock()
        frames = _Frames(clock)
        yield (
            TurnStreamer(
                app.chat_screen.conversation_view,
                entry,
                app.chat_screen.panel,
                pacer=_pacer(app, clock, frames),
                on_frame=on_frame,
                stop_key="escape",
            ),
            clock,
            frames,
        )
        await pilot.pause()


@dataclass
class _Drawing:
    """A turn with something to draw at every frame (`frame_pacer.Drawn`)."""

    frames: int = 0

    def draw(self, enough: Callable[[], bool]) -> bool:
        self.frames += 1
        return False


async def test_a_turns_first_words_are_drawn_at_once_and_the_rest_at_the_pace(tmp_path):
    async with _streaming(tmp_path) as (streamer, _clock, frames):
        streamer.feed(ReasoningDelta("Let me see."))
        assert [frame.delay for frame in frames.pending] == [0]  # not after the interval
        await frames.run_next()
        assert streamer.entry.live_reasoning_tokens > 0  # drawn: the frame showed its count

        streamer.feed(ReasoningDelta(" More."))
        streamer.feed(AnswerDelta("Hello."))  # the answer's first words: still the pace
        assert [frame.delay for frame in frames.pending] == [FRAME_SECONDS]
        await frames.run_next()
        assert streamer.entry.answer.source == "Hello."


async def test_a_turns_first_words_do_not_wait_for_a_frame_another_turn_wanted(tmp_path):
    async with _streaming(tmp_path) as (streamer, _clock, frames):
        other = _Drawing()
        streamer._pacer.want(other)  # another turn on the screen, streaming at the pace
        assert [frame.delay for frame in frames.pending] == [FRAME_SECONDS]
        streamer.feed(AnswerDelta("Hi."))
        waiting = [frame for frame in frames.pending if not frame.stopped]
        assert [frame.delay for frame in waiting] == [0]  # brought forward, for both
        await frames.run_next()
        assert streamer.entry.answer.source == "Hi."
        assert other.frames == 1


async def test_a_turns_first_words_are_not_held_back_by_the_key_that_sent_it(tmp_path):
    async with _streaming(tmp_path) as (streamer, clock, frames):
        clock.press_key()  # enter: the turn was sent
        clock.now += 0.005  # its first words came back at once
        assert clock.now - clock.last_key < INPUT_QUIET_SECONDS
        streamer.feed(ReasoningDelta("Let me see."))
        await frames.run_next()
        assert streamer.entry.live_reasoning_tokens > 0  # drawn, not put off for the key
        assert frames.pending == []


async def test_a_screen_held_for_a_turn_just_sent_shows_it_with_its_first_words(tmp_path):
    async with _streaming(tmp_path) as (streamer, _clock, frames):
        app = streamer.conversation.app
        streamer._pacer.hold(FRAME_SECONDS)
        assert app._batch_count == 1  # the screen is not updated meanwhile
        assert streamer.feed(ReasoningDelta("Let me see."))  # the first words
        assert not streamer.feed(ReasoningDelta(" More."))
        await frames.run_next()
        assert app._batch_count == 0  # updated once, with the words
        assert all(frame.stopped for frame in frames.pending)  # the hold's end is called off


async def test_a_screen_held_for_a_turn_just_sent_is_updated_when_no_words_come(tmp_path):
    async with _streaming(tmp_path) as (streamer, _clock, frames):
        app = streamer.conversation.app
        streamer._pacer.hold(FRAME_SECONDS)
        streamer._pacer.hold(FRAME_SECONDS)  # held once, however often asked
        assert app._batch_count == 1
        assert await frames.run_next() == FRAME_SECONDS
        assert app._batch_count == 0
        await streamer.finish(None)  # a turn that ends without words draws nothing held
        assert app._batch_count == 0


async def test_a_frame_waits_for_a_key_pressed_just_before_it(tmp_path):
    async with _streaming(tmp_path) as (streamer, clock, frames):
        answer = streamer.entry.answer
        streamer.feed(AnswerDelta("Well, "))  # the first words: drawn at once
        await frames.run_next()

        streamer.feed(AnswerDelta("hello "))
        streamer.feed(AnswerDelta("there."))
        assert len(frames.pending) == 1  # one frame for both: deltas are coalesced
        assert frames.pending[0].delay == FRAME_SECONDS
        clock.now += FRAME_SECONDS - 0.01
        clock.press_key()  # a key, just before the frame is due
        await frames.run_next()
        assert answer.source == "Well, "  # the key is drawn first, on a frame of its own
        waited = await frames.run_next()
        assert 0 < waited <= INPUT_QUIET_SECONDS
        assert answer.source == "Well, hello there."  # the trailing edge: nothing dropped


async def test_typing_without_pause_never_holds_the_stream_back_for_long(tmp_path):
    async with _streaming(tmp_path) as (streamer, clock, frames):
        answer = streamer.entry.answer

        started = clock.now
        streamer.feed(AnswerDelta("More text."))
        for _ in range(100):
            if answer.source:
                break
            clock.now = frames.pending[0].due - 0.005
            clock.press_key()  # another key just before every frame
            await frames.run_next()
        assert clock.now - started <= FRAME_SECONDS + MOST_INPUT_DELAY_SECONDS + 1e-9
        assert answer.source == "More text."


async def test_a_burst_is_drawn_over_several_frames_and_the_end_draws_the_rest(tmp_path):
    async with _streaming(tmp_path) as (streamer, clock, frames):
        answer = streamer.entry.answer
        burst = " ".join(f"word{n}" for n in range(3000))  # several passages' worth

        streamer.feed(AnswerDelta(burst))
        clock.step = ANSWER_WORK_SECONDS  # every passage takes a frame's whole budget
        await frames.run_next()
        drawn = answer.source
        assert drawn and len(drawn) < len(burst)  # a segment or so, not the whole burst
        assert len(frames.pending) == 1  # the rest goes to the next frame

        await streamer.finish(None)  # the turn ends before that frame
        assert answer.source == burst  # the rest is drawn, nothing is lost
        assert all(frame.stopped for frame in frames.pending)  # and no frame comes after
        streamer.feed(AnswerDelta("late"))
        assert all(frame.stopped for frame in frames.pending)


async def test_a_frame_that_comes_after_the_end_draws_nothing(tmp_path):
    # A frame's timer may fire just before the turn ends, and the frame run just after: the
    # end has drawn everything and shown how the turn ended, which that frame must not undo.
    frames_drawn: list[str] = []

    def on_frame(streamer: TurnStreamer) -> None:
        frames_drawn.append(streamer.entry.answer.source)

    async with _streaming(tmp_path, on_frame) as (streamer, _clock, frames):
        streamer.feed(AnswerDelta("All of it."))
        late_frame = frames.pending[0]
        await streamer.finish(None)
        assert frames_drawn == ["All of it."]  # the end drew it
        await late_frame.callback()
        assert frames_drawn == ["All of it."]  # and no frame came after it


async def test_what_is_left_at_the_end_is_drawn_over_several_frames(tmp_path):
    shown: list[int] = []  # how much of the answer each screen update showed

    def on_frame(streamer: TurnStreamer) -> None:
        answer = streamer.entry.answer
        streamer.conversation.app.call_after_refresh(lambda: shown.append(len(answer.source)))

    async with _streaming(tmp_path, on_frame) as (streamer, clock, _frames):
        answer = streamer.entry.answer
        burst = " ".join(f"word{n}" for n in range(3000))  # several passages' worth

        streamer.feed(AnswerDelta(burst))
        clock.step = ANSWER_WORK_SECONDS  # every passage takes a frame's whole budget
        await streamer.finish(None)  # the turn ends before the first frame
        assert answer.source == burst  # all of it, nothing lost
        assert len(shown) >= 3  # over several screen updates, a part each time
        assert shown == sorted(shown) and shown[0] < len(burst)


async def test_the_end_draws_what_is_left_in_bigger_frames_than_the_stream(tmp_path):
    # Each screen update costs tens of milliseconds however little it adds, and once the stream
    # has ended nothing else needs the time: a fast answer's rest is drawn in fewer updates.
    drawn: list[int] = []  # how many passages there were after each frame

    def on_frame(streamer: TurnStreamer) -> None:
        drawn.append(len(streamer.entry.answer.passages))

    async with _streaming(tmp_path, on_frame) as (streamer, clock, frames):
        burst = " ".join(f"word{n}" for n in range(6000))  # many passages' worth
        streamer.feed(AnswerDelta(burst))
        clock.step = ANSWER_WORK_SECONDS  # every passage takes a stream frame's whole budget
        await frames.run_next()
        await streamer.finish(None)
        await streamer.conversation.app.workers.wait_for_complete()
        assert streamer.entry.answer.source == burst
        # Passages each frame added: the stream's frame first, then the end's.
        per_frame = [after - before for before, after in itertools.pairwise([0, *drawn])]
        drained = per_frame[1:-1]  # the last frame may draw a short rest
        assert drained and min(drained) > per_frame[0]


async def test_turns_streaming_at_once_share_each_frame(tmp_path):
    frame: list[str] = []  # the turns the latest frame drew, by prompt

    def on_frame(streamer: TurnStreamer) -> None:
        frame.append(streamer.turn.prompt)

    app = make_app(None, tmp_path)
    async with app.run_test():
        view, panel = app.chat_screen.conversation_view, app.chat_screen.panel
        settings = TurnSettings(model="qwen-plus", region="singapore", transport="openai")
        clock = _Clock()
        frames = _Frames(clock)
        pacer = _pacer(app, clock, frames)
        first, second = (
            TurnStreamer(
                view,
                view.add_turn(Turn.restored(prompt, settings, "", "")),
                panel,
                pacer=pacer,
                on_frame=on_frame,
                stop_key="escape",
            )
            for prompt in ("one", "two")
        )
        first.feed(AnswerDelta("Hello. "))
        second.feed(AnswerDelta("Hi. "))
        assert len(frames.pending) == 1  # one frame for both turns
        await frames.run_next()
        assert frame == ["one", "two"]
        assert (first.entry.answer.source, second.entry.answer.source) == ("Hello. ", "Hi. ")

        # A burst in each, more than a frame's work: the turn drawn first in one frame goes
        # second in the next, so that neither waits behind the other.
        burst = " ".join(f"word{n}" for n in range(3000))
        first.feed(AnswerDelta(burst))
        second.feed(AnswerDelta(burst))
        clock.step = ANSWER_WORK_SECONDS  # every passage takes a frame's whole budget
        frame.clear()
        await frames.run_next()
        assert frame == ["one", "two"]
        frame.clear()
        await frames.run_next()
        assert frame == ["two", "one"]

        await first.finish(None)
        assert not frames.pending[-1].stopped  # the other turn's frames go on
        await second.finish(None)
        assert all(pending.stopped for pending in frames.pending)
        assert first.entry.answer.source == "Hello. " + burst
        assert second.entry.answer.source == "Hi. " + burst


async def test_an_apps_pacer_draws_a_frame_due_now(tmp_path):
    # Textual's timers cannot wait 0 seconds (the timer's task ends without a tick): the pacer
    # made for an app draws a turn's first frame on the app's next message instead.
    app = make_app(None, tmp_path)
    async with app.run_test() as pilot:
        pacer = FramePacer.for_app(app, last_input=lambda: -math.inf)
        drawing = _Drawing()
        pacer.want(drawing, at_once=True)
        await pilot.pause()
        assert drawing.frames == 1


async def test_waiting_for_a_frame_ends_once_one_has_been_drawn_and_shown(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test() as pilot:
        pacer = FramePacer.for_app(app, last_input=lambda: -math.inf)
        shown = asyncio.ensure_future(pacer.frame_shown())
        await pilot.pause()
        assert not shown.done()  # no frame yet
        drawing = _Drawing()
        pacer.want(drawing, at_once=True)
        await asyncio.wait_for(shown, FRAME_SHOWN_TIMEOUT)
        assert drawing.frames == 1


@dataclass
class _CostlyDrawing:
    """A turn whose every frame takes `cost` seconds of `clock` to draw."""

    clock: _Clock
    cost: float

    def draw(self, enough: Callable[[], bool]) -> bool:
        self.clock.now += self.cost
        return True  # always more to draw


async def test_costly_frames_are_spaced_out_so_that_drawing_takes_its_share_of_the_time(
    tmp_path,
):
    app = make_app(None, tmp_path)
    async with app.run_test() as pilot:
        clock = _Clock()
        frames = _Frames(clock)
        pacer = _pacer(app, clock, frames)
        drawing = _CostlyDrawing(clock, cost=0.2 * DRAWING_SHARE * FRAME_SECONDS)
        pacer.want(drawing)
        for _ in range(3):
            await frames.run_next()
            await pilot.pause()  # the frame is on screen: its cost is known
        assert frames.pending[-1].delay == FRAME_SECONDS  # cheap frames: at the fastest pace

        drawing.cost = 0.030
        delays = []
        for _ in range(12):
            await frames.run_next()
            await pilot.pause()
            delays.append(frames.pending[-1].delay)
        assert delays == sorted(delays)  # smoothed: no frame halves the rate at once
        assert math.isclose(delays[-1], drawing.cost / DRAWING_SHARE, rel_tol=0.01)


async def test_a_stream_pouring_in_is_drawn_in_fewer_fuller_frames(tmp_path):
    app = make_app(None, tmp_path)
    async with app.run_test() as pilot:
        clock = _Clock()
        frames = _Frames(clock)
        pacer = _pacer(app, clock, frames)
        drawing = _CostlyDrawing(clock, cost=0.030)
        pacer.want(drawing)
        delays = []
        for _ in range(12):
            for _ in range(POURING_DELTAS):  # the deltas taken in since the last frame
                pacer.want(drawing)
            await frames.run_next()
            await pilot.pause()
            delays.append(frames.pending[-1].delay)
        assert math.isclose(delays[-1], drawing.cost / POURING_SHARE, rel_tol=0.01)

        # Slower again: the frames come back to the usual share.
        for _ in range(12):
            pacer.want(drawing)
            await frames.run_next()
            await pilot.pause()
        assert math.isclose(frames.pending[-1].delay, drawing.cost / DRAWING_SHARE, rel_tol=0.01)
