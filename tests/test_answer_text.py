"""The answer's Markdown passages: where they are cut, and what a passage keeps drawn."""

from __future__ import annotations

from textual.strip import Strip

from thinkchat.ui.renderer.answer_text import (
    PASSAGE_CHARS,
    RUN_ON_CHARS,
    SENTENCE_CHARS,
    WIDTHS_KEPT,
    AnswerText,
    Passage,
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
    return [passage.text for passage in answer.passages if passage.text]


def test_a_long_answer_is_split_into_segments_at_paragraph_boundaries():
    answer = _answer_with(paragraphs=60, words=60)
    text = _streamed(answer, 37)
    passages = _texts(text)
    assert len(passages) > 1
    assert text.source == answer
    assert "".join(passages) == answer
    for passage in passages:
        # Never cut inside a code block, never cut a block in two.
        assert passage.count("```") % 2 == 0
        assert len(passage) < PASSAGE_CHARS + 600
    for passage in passages[:-1]:
        assert passage.endswith("\n\n")
    assert not any(passage.runs_on for passage in text.passages)


def test_a_run_on_paragraph_is_cut_at_a_sentence_end_and_drawn_flush():
    sentence = "This sentence has a few words in it, more or less like prose does. "
    answer = sentence * 600  # one paragraph of ~40,000 characters
    text = _streamed(answer, 50)
    passages = text.passages
    assert len(passages) >= len(answer) // (RUN_ON_CHARS + len(sentence))
    assert text.source == answer
    # Each continuation starts a line as after a line break, not inside a sentence.
    assert all(passage.text.endswith("prose does.") for passage in passages[:-1])
    assert all(passage.runs_on and passage.finished for passage in passages[:-1])
    assert all(len(passage.text) <= RUN_ON_CHARS + len(sentence) for passage in passages)


def test_a_run_on_paragraph_without_sentence_ends_is_cut_at_a_space():
    answer = _run_on(4000)  # ~36,000 characters, no full stop
    text = _streamed(answer, 50)
    passages = _texts(text)
    assert len(passages) >= len(answer) // (RUN_ON_CHARS + SENTENCE_CHARS + 50)
    assert text.source == answer
    assert all(not passage.endswith(" ") for passage in passages)  # at a space
    assert all(len(passage) <= RUN_ON_CHARS + SENTENCE_CHARS + 50 for passage in passages)


def test_a_run_on_chinese_paragraph_is_cut_after_a_full_stop():
    answer = "这是一个很长的段落，没有换行。" * 600  # no spaces at all
    text = _streamed(answer, 50)
    assert len(_texts(text)) > 1
    assert text.source == answer
    assert all(passage.endswith("。") for passage in _texts(text))


def test_segments_stay_short_however_much_text_a_frame_brings():
    # A fast stream brings thousands of characters a frame: they are cut into passages all
    # the same, never one passage per frame.
    blocks = _answer_with(paragraphs=80, words=40)
    run_on = _run_on(6000)
    text = _streamed(blocks, 9000)
    for start in range(0, len(run_on), 7000):
        text.append(run_on[start : start + 7000])
    assert text.source == blocks + run_on
    assert "".join(_texts(text)) == blocks + run_on
    # At most: full, then a paragraph that began just before runs on, waiting for a
    # sentence end (not a frame's 7,000 or 9,000 characters).
    longest = PASSAGE_CHARS + RUN_ON_CHARS + SENTENCE_CHARS
    assert all(len(passage) < longest for passage in _texts(text))


def test_an_append_can_stop_between_segments_and_hand_back_the_rest():
    source = _run_on(3000)
    text = AnswerText()
    finished: list[str] = []

    def stop() -> bool:
        finished.append(text.passages[-2].text)
        return True

    rest = text.append(source, on_passage=stop)
    assert rest
    assert text.source + rest == source
    assert len(text.passages) == 2  # the first one full, the next one begun
    assert finished == [text.passages[0].text]  # told once the first was finished
    assert text.append(rest) == ""
    assert text.source == source


def _drawn(text: str, width: int) -> list[Strip]:
    """Stands in for the Markdown renderer: a line per `width` characters."""
    return [Strip.blank(width) for _ in range(0, max(len(text), 1), width)]


def test_a_segment_keeps_its_lines_for_the_last_widths_it_was_drawn_at():
    passage = Passage("x" * 600)
    calls: list[int] = []

    def render(text: str, width: int) -> list[Strip]:
        calls.append(width)
        return _drawn(text, width)

    for width in (60, 100, 60, 100):
        passage.lines(width, render)
    assert calls == [60, 100]  # the panel opening and closing draws nothing again
    passage.lines(80, render)
    assert len(passage.rendered) == WIDTHS_KEPT and 60 not in passage.rendered
    passage.add(" more")
    assert not passage.rendered  # new text is drawn anew


def test_a_segment_not_drawn_at_a_width_has_its_height_estimated():
    passage = Passage("x" * 600)
    assert passage.height(60) == 10  # from its text, before it was ever drawn
    passage.lines(60, _drawn)
    assert passage.height(60) == 10
    assert passage.height(120) == 5  # from the width it was drawn at
    assert 120 not in passage.rendered
