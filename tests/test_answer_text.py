"""The answer's Markdown segments: where they are cut, and what a segment keeps drawn."""

from __future__ import annotations

from textual.strip import Strip

from thinkchat.ui.widgets.answer_text import (
    RUN_ON_CHARS,
    SEGMENT_CHARS,
    SENTENCE_CHARS,
    WIDTHS_KEPT,
    AnswerText,
    Segment,
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


def _run_on(words: int) -> str:
    return " ".join(f"word{n}" for n in range(words))


def _streamed(answer: str, piece: int) -> AnswerText:
    text = AnswerText()
    for start in range(0, len(answer), piece):
        assert text.append(answer[start : start + piece]) == ""
    return text


def _texts(answer: AnswerText) -> list[str]:
    return [segment.text for segment in answer.segments if segment.text]


def test_a_long_answer_is_split_into_segments_at_block_boundaries():
    answer = _answer_with(paragraphs=60, words=60)
    text = _streamed(answer, 37)
    segments = _texts(text)
    assert len(segments) > 1
    assert text.source == answer
    assert "".join(segments) == answer
    for segment in segments:
        # Never cut inside a code block, never cut a block in two.
        assert segment.count("```") % 2 == 0
        assert len(segment) < SEGMENT_CHARS + 600
    for segment in segments[:-1]:
        assert segment.endswith("\n\n")
    assert not any(segment.runs_on for segment in text.segments)


def test_a_run_on_paragraph_is_cut_at_a_sentence_end_and_drawn_flush():
    sentence = "This sentence has a few words in it, more or less like prose does. "
    answer = sentence * 600  # one paragraph of ~40,000 characters
    text = _streamed(answer, 50)
    segments = text.segments
    assert len(segments) >= len(answer) // (RUN_ON_CHARS + len(sentence))
    assert text.source == answer
    # Each continuation starts a line as after a line break, not inside a sentence.
    assert all(segment.text.endswith("prose does.") for segment in segments[:-1])
    assert all(segment.runs_on and segment.finished for segment in segments[:-1])
    assert all(len(segment.text) <= RUN_ON_CHARS + len(sentence) for segment in segments)


def test_a_run_on_paragraph_without_sentence_ends_is_cut_at_a_space():
    answer = _run_on(4000)  # ~36,000 characters, no full stop
    text = _streamed(answer, 50)
    segments = _texts(text)
    assert len(segments) >= len(answer) // (RUN_ON_CHARS + SENTENCE_CHARS + 50)
    assert text.source == answer
    assert all(not segment.endswith(" ") for segment in segments)  # at a space
    assert all(len(segment) <= RUN_ON_CHARS + SENTENCE_CHARS + 50 for segment in segments)


def test_a_run_on_chinese_paragraph_is_cut_after_a_full_stop():
    answer = "这是一个很长的段落，没有换行。" * 600  # no spaces at all
    text = _streamed(answer, 50)
    assert len(_texts(text)) > 1
    assert text.source == answer
    assert all(segment.endswith("。") for segment in _texts(text))


def test_segments_stay_short_however_much_text_a_frame_brings():
    # A fast stream brings thousands of characters a frame: they are cut into segments all
    # the same, never one segment per frame.
    blocks = _answer_with(paragraphs=80, words=40)
    run_on = _run_on(6000)
    text = _streamed(blocks, 9000)
    for start in range(0, len(run_on), 7000):
        text.append(run_on[start : start + 7000])
    assert text.source == blocks + run_on
    assert "".join(_texts(text)) == blocks + run_on
    # At most: full, then a paragraph that began just before runs on, waiting for a
    # sentence end (not a frame's 7,000 or 9,000 characters).
    longest = SEGMENT_CHARS + RUN_ON_CHARS + SENTENCE_CHARS
    assert all(len(segment) < longest for segment in _texts(text))


def test_an_append_can_stop_between_segments_and_hand_back_the_rest():
    source = _run_on(3000)
    text = AnswerText()
    finished: list[str] = []

    def stop() -> bool:
        finished.append(text.segments[-2].text)
        return True

    rest = text.append(source, on_segment=stop)
    assert rest
    assert text.source + rest == source
    assert len(text.segments) == 2  # the first one full, the next one begun
    assert finished == [text.segments[0].text]  # told once the first was finished
    assert text.append(rest) == ""
    assert text.source == source


def _drawn(text: str, width: int) -> list[Strip]:
    """Stands in for the Markdown renderer: a line per `width` characters."""
    return [Strip.blank(width) for _ in range(0, max(len(text), 1), width)]


def test_a_segment_keeps_its_lines_for_the_last_widths_it_was_drawn_at():
    segment = Segment("x" * 600)
    calls: list[int] = []

    def render(text: str, width: int) -> list[Strip]:
        calls.append(width)
        return _drawn(text, width)

    for width in (60, 100, 60, 100):
        segment.lines(width, render)
    assert calls == [60, 100]  # the panel opening and closing draws nothing again
    segment.lines(80, render)
    assert len(segment.rendered) == WIDTHS_KEPT and 60 not in segment.rendered
    segment.add(" more")
    assert not segment.rendered  # new text is drawn anew


def test_a_segment_not_drawn_at_a_width_has_its_height_estimated():
    segment = Segment("x" * 600)
    assert segment.height(60) == 10  # from its text, before it was ever drawn
    segment.lines(60, _drawn)
    assert segment.height(60) == 10
    assert segment.height(120) == 5  # from the width it was drawn at
    assert 120 not in segment.rendered
