"""A long answer in the app: only the parts near the view are laid out, and nothing moves."""

from __future__ import annotations

from tests.tui import make_app, screen_text
from thinkchat.simulator import Script
from thinkchat.ui.widgets.answer import AnswerView, _Chunk


def _chunks(answer: AnswerView) -> list[_Chunk]:
    return list(answer.query_children(_Chunk))


def _settled(answer: AnswerView) -> bool:
    """Every full chunk has its height at this width (measured, not being measured again)."""
    width = answer.size.width
    return not answer.remeasuring and all(
        width in chunk.heights for chunk in _chunks(answer) if chunk.finished
    )


async def _settle(pilot, answer: AnswerView) -> None:
    for _ in range(200):
        await pilot.pause()
        if _settled(answer):
            break
    await pilot.pause()  # the layout after the last measure, and its follow-up


async def _long_answer(simulator, app, pilot) -> AnswerView:
    """Stream a long answer (about 60,000 characters, fast) and wait until it is measured."""
    simulator.state.enqueue(Script(answer_tokens=16000, tokens_per_event=20))
    app.prompt_input.insert("a very long one")
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    answer = app.conversation_view.turn_views[0].answer
    await _settle(pilot, answer)
    return answer


async def _scroll(pilot, app, *, to_top: bool) -> None:
    view = app.conversation_view
    if to_top:
        view.scroll_home(animate=False)
    else:
        view.scroll_end(animate=False)
    await pilot.pause()  # the layout at the new place, which shows the parts now near
    await pilot.pause()  # and the layout with them


async def test_parts_of_a_long_answer_far_from_view_are_not_laid_out(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        answer = await _long_answer(simulator, app, pilot)
        chunks = _chunks(answer)
        assert len(chunks) >= 3
        end_text = screen_text(app)

        hidden = [chunk for chunk in chunks if not chunk.blocks_shown]
        assert hidden and chunks[0] in hidden  # the start, far above the end on screen
        for chunk in hidden:
            assert all(not segment.display for segment in chunk.children)
            # Its place is kept: the height it was measured at, so nothing on screen moved.
            assert chunk.outer_size.height == chunk.heights[answer.size.width]
        assert chunks[-1].blocks_shown  # the end, on screen

        await _scroll(pilot, app, to_top=True)
        assert chunks[0].blocks_shown
        view = app.conversation_view
        assert not chunks[-2].blocks_shown or chunks[-2].region.overlaps(view.region)
        first_line = next(line for line in answer.source.splitlines() if line[:1].isalpha())
        assert " ".join(first_line.split()[:3]) in screen_text(app)

        await _scroll(pilot, app, to_top=False)
        assert screen_text(app) == end_text  # back at the end, the same screen


async def test_a_hidden_part_is_measured_again_at_a_new_width(simulator, tmp_path):
    app = make_app(simulator, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        answer = await _long_answer(simulator, app, pilot)
        first = _chunks(answer)[0]
        assert not first.blocks_shown
        wide = first.outer_size.height

        await pilot.press("ctrl+f")  # the panel closes: the answer is wider
        await _settle(pilot, answer)
        assert answer.size.width in first.heights
        assert first.outer_size.height == first.heights[answer.size.width] < wide
        assert not first.blocks_shown  # measured, then out of the way again

        await _scroll(pilot, app, to_top=True)
        # Shown at the new width, its blocks fill exactly the height it keeps.
        blocks = sum(segment.outer_size.height for segment in first.children)
        assert blocks == first.outer_size.height
