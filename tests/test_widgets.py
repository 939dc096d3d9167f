"""The two streaming widgets: the reasoning log's wrapping, the answer's Markdown segments."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.style import Style
from textual.app import App, ComposeResult
from textual.color import Color

from thinkchat.ui.widgets.answer import (
    CHUNK_SEGMENTS,
    RUN_ON_CHARS,
    SEGMENT_CHARS,
    SENTENCE_CHARS,
    AnswerView,
    _Chunk,
    _TextualParagraph,
)
from thinkchat.ui.widgets.reasoning_log import ReasoningLog, wrap

WORDS = st.lists(
    st.sampled_from(["a", "bb", "word", "中文", "😀", " ", "  ", "x" * 30]), max_size=60
)


@given(pieces=WORDS, width=st.integers(1, 40))
def test_wrap_keeps_every_character_and_every_row_fits(pieces, width):
    text = "".join(pieces)
    rows = wrap(text, width)
    for row in rows:
        assert cell_len(row) <= width or len(row) == 1  # a wide character alone may overhang
    joined = "".join(rows)
    assert joined.replace(" ", "") == text.replace(" ", "")  # nothing but break spaces goes
    assert len(text) - len(joined) <= len(rows) - 1  # at most one space per break


def test_wrap_is_linear_in_the_text():
    rows = wrap("word " * 50_000, 10)
    assert len(rows) == 25_000


class _Holder(App[None]):
    def __init__(self, widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget

    def get_css_variables(self) -> dict[str, str]:
        variables = super().get_css_variables()
        return {
            "reasoning-background": variables["surface"],
            "reasoning-foreground": variables["foreground"],
            **variables,
        }


async def test_the_reasoning_log_waits_until_it_is_shown_to_wrap():
    log = ReasoningLog()
    async with _Holder(log).run_test(size=(40, 10)) as pilot:
        log.append("one two three four five six seven eight nine ten eleven twelve")
        wrapped = log.row_count
        assert wrapped > 1
        log.display = False
        await pilot.pause()
        log.append(" more words\nand a new paragraph")
        assert log.text.endswith("more words\nand a new paragraph")
        log.display = True
        await pilot.pause()
        assert log.row_count > wrapped
        assert log.text == (
            "one two three four five six seven eight nine ten eleven twelve"
            " more words\nand a new paragraph"
        )


def _answer_with(paragraphs: int, words: int) -> str:
    body = " ".join(f"w{n}" for n in range(words))
    parts = []
    for number in range(paragraphs):
        if number % 5 == 2:
            parts.append(f"```python\nprint({number})\n\n\nprint('still code')\n```")
        else:
            parts.append(f"Paragraph {number}: {body}.")
    return "\n\n".join(parts) + "\n"


@asynccontextmanager
async def _streamed(answer: str, piece: int) -> AsyncIterator[AnswerView]:
    """An answer view in a running app, given `answer` `piece` characters at a time."""
    view = AnswerView()
    async with _Holder(view).run_test(size=(100, 40)) as pilot:
        for start in range(0, len(answer), piece):
            await view.append_text(answer[start : start + piece])
        await pilot.pause()
        yield view


async def test_a_long_answer_is_split_into_segments_at_block_boundaries():
    answer = _answer_with(paragraphs=60, words=60)
    async with _streamed(answer, 37) as view:
        segments = view.segments
        assert len(segments) > 1
        assert view.source == answer
        assert "".join(segment.source for segment in segments) == answer
        for segment in segments:
            # Never cut inside a code block, never cut a block in two.
            assert segment.source.count("```") % 2 == 0
            assert len(segment.source) < SEGMENT_CHARS + 600
        for segment in segments[:-1]:
            assert segment.source.endswith("\n\n")


async def test_a_run_on_paragraph_is_cut_at_a_sentence_end_and_drawn_flush():
    sentence = "This sentence has a few words in it, more or less like prose does. "
    answer = sentence * 600  # one paragraph of ~40,000 characters
    async with _streamed(answer, 50) as view:
        segments = view.segments
        assert len(segments) >= len(answer) // (RUN_ON_CHARS + len(sentence))
        assert view.source == answer
        # Each continuation starts a line as after a line break, not inside a sentence.
        assert all(segment.source.endswith("prose does.") for segment in segments[:-1])
        assert all(segment.children[-1].has_class("-runs-on") for segment in segments[:-1])
        assert all(segment.children[-1].styles.margin.bottom == 0 for segment in segments[:-1])
        assert all(len(segment.source) <= RUN_ON_CHARS + len(sentence) for segment in segments)


async def test_a_run_on_paragraph_without_sentence_ends_is_cut_at_a_space():
    answer = _run_on(4000)  # ~36,000 characters, no full stop
    async with _streamed(answer, 50) as view:
        segments = view.segments
        assert len(segments) >= len(answer) // (RUN_ON_CHARS + SENTENCE_CHARS + 50)
        assert view.source == answer
        assert all(not segment.source.endswith(" ") for segment in segments)  # at a space
        assert all(
            len(segment.source) <= RUN_ON_CHARS + SENTENCE_CHARS + 50 for segment in segments
        )


async def test_a_run_on_chinese_paragraph_is_cut_after_a_full_stop():
    answer = "这是一个很长的段落，没有换行。" * 600  # no spaces at all
    async with _streamed(answer, 50) as view:
        segments = view.segments
        assert len(segments) > 1
        assert view.source == answer
        assert all(segment.source.endswith("。") for segment in segments)


def _run_on(words: int) -> str:
    return " ".join(f"word{n}" for n in range(words))


async def test_segments_stay_short_however_much_text_a_frame_brings():
    # A fast stream brings thousands of characters a frame: they are cut into segments all
    # the same, never one segment per frame.
    blocks = _answer_with(paragraphs=80, words=40)
    run_on = _run_on(6000)
    view = AnswerView()
    async with _Holder(view).run_test(size=(100, 40)) as pilot:
        for start in range(0, len(blocks), 9000):
            await view.append_text(blocks[start : start + 9000])
        for start in range(0, len(run_on), 7000):
            await view.append_text(run_on[start : start + 7000])
        await pilot.pause()
        assert view.source == blocks + run_on
        assert "".join(segment.source for segment in view.segments) == blocks + run_on
        # At most: full, then a paragraph that began just before runs on, waiting for a
        # sentence end (not a frame's 7,000 or 9,000 characters).
        longest = SEGMENT_CHARS + RUN_ON_CHARS + SENTENCE_CHARS
        assert all(len(segment.source) < longest for segment in view.segments)


async def test_segments_come_in_chunks_and_finished_parts_keep_their_height():
    view = AnswerView()
    async with _Holder(view).run_test(size=(100, 40)) as pilot:
        text = _run_on(9000)
        for start in range(0, len(text), 500):
            await view.append_text(text[start : start + 500])
        await pilot.pause()
        chunks = list(view.query_children(_Chunk))
        assert len(chunks) >= 3
        assert all(len(chunk.children) == CHUNK_SEGMENTS for chunk in chunks[:-1])
        finished = [*chunks[:-1], *view.segments[:-1]]
        wide = {part: part.outer_size.height for part in finished}
        for part, height in wide.items():
            assert part.styles.height.is_cells and part.styles.height.value == height

        await pilot.resize_terminal(60, 40)  # narrower: every finished part is measured anew,
        for _ in range(100):  # a few a frame, not all in one long frame
            await pilot.pause()
            if view.size.width < 80 and not view.remeasuring:
                break
        for part, height in wide.items():
            assert part.outer_size.height > height
            assert part.styles.height.value == part.outer_size.height

        await pilot.resize_terminal(100, 40)  # back: the heights measured before, at once
        await pilot.pause()
        for part, height in wide.items():
            assert part.styles.height.value == height
            if part.display:  # not a segment of a chunk far from the screen (not laid out)
                assert part.outer_size.height == height
        assert all(chunk.outer_size.height == wide[chunk] for chunk in chunks[:-1])


async def test_an_append_can_stop_between_segments_and_hand_back_the_rest():
    text = _run_on(3000)
    view = AnswerView()
    async with _Holder(view).run_test(size=(100, 40)):
        rest = await view.append_text(text, stop=lambda: True)
        assert rest
        assert view.source + rest == text
        assert len(view.segments) == 2  # the first one full, the next one begun
        assert await view.append_text(rest) == ""
        assert view.source == text


async def test_the_reasoning_log_follows_its_end_as_it_grows_without_waiting_for_a_layout():
    log = ReasoningLog()
    async with _Holder(log).run_test(size=(40, 10)) as pilot:
        log.append("line\n" * 30)
        await pilot.pause()
        assert log.show_vertical_scrollbar
        assert log.scroll_y == log.max_scroll_y
        log.append("more\n" * 20)
        # Right away: the size, the scroll bar and the scroll position are those of the text.
        assert log.virtual_size.height == log.row_count
        assert log.vertical_scrollbar.window_virtual_size == log.row_count
        assert (
            log.scroll_y == log.max_scroll_y == log.row_count - log.scrollable_content_region.height
        )
        log.scroll_to(y=0, animate=False)
        await pilot.pause()
        log.append("even more\n" * 5)  # scrolled up: left where the reader is
        await pilot.pause()
        assert log.scroll_y == 0


async def test_a_paragraph_is_wrapped_once_at_each_width_it_is_shown_at(monkeypatch):
    # Opening and closing the reasoning panel goes back and forth between two widths: the
    # paragraphs on screen must not be wrapped anew each time.
    wrapped: list[tuple[int, int]] = []
    wrap_paragraph = _TextualParagraph.get_content_height

    def counting(self, container, viewport, width):
        wrapped.append((id(self), width))
        return wrap_paragraph(self, container, viewport, width)

    monkeypatch.setattr(_TextualParagraph, "get_content_height", counting)
    view = AnswerView(_answer_with(paragraphs=4, words=60))
    async with _Holder(view).run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        heights = {}
        for width in (60, 100, 60, 100):
            await pilot.resize_terminal(width, 40)
            await pilot.pause()
            heights[width] = [block.outer_size.height for block in view.query(_TextualParagraph)]
        assert len(wrapped) == len(set(wrapped))  # once per paragraph and width
        assert len({width for _, width in wrapped}) == 2
        assert sum(heights[60]) > sum(heights[100])  # each width with its own heights
        before = len(wrapped)
        await view.append_text(" More words in the last paragraph." * 20)
        await pilot.pause()
        assert len(wrapped) > before  # new text is wrapped anew


async def test_the_reasoning_log_works_its_style_out_once_until_the_styles_change(monkeypatch):
    # Textual works `rich_style` out anew at every read: once a row, it was a sixth of a frame.
    reads: list[ReasoningLog] = []
    rich_style = ReasoningLog.rich_style

    def counted(self: ReasoningLog) -> Style:
        reads.append(self)
        return rich_style.fget(self)

    monkeypatch.setattr(ReasoningLog, "rich_style", property(counted))
    log = ReasoningLog()
    async with _Holder(log).run_test(size=(40, 10)) as pilot:
        log.append("line\n" * 30)
        await pilot.pause()
        log.scroll_to(y=5, animate=False)  # every row drawn again
        await pilot.pause()
        assert 1 <= len(reads) <= 2
        pilot.app.theme = "textual-light"
        await pilot.pause()
        background = Color.parse(pilot.app.get_css_variables()["surface"]).rich_color
        assert next(iter(log.render_line(0))).style.bgcolor == background
