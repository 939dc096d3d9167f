"""Which code block of an answer a row of its passage shows.

A passage never ends inside a code fence (see `answer_text`), so each code block is drawn whole
in one passage. Rich's Markdown draws the blocks of a passage one under the other, so the
passage's Markdown up to the end of a code block draws exactly the rows down to that block's
last: drawing the Markdown before the fence and up to its end gives the rows the block takes.
Done when asked (a key pressed over the answer), never while drawing.
"""

from __future__ import annotations

from thinkchat.ui.code_blocks import code_blocks
from thinkchat.ui.renderer.answer_text import AnswerText, Passage, RenderMarkdown


def code_block_at(
    answer: AnswerText, passage: Passage, row: int, width: int, render: RenderMarkdown
) -> int | None:
    """The number in the whole answer (from 1) of the code block drawn at `row` of `passage`
    (drawn at `width` by `render`), or None when that row shows no code block. The blank row
    above a block counts as the block's."""
    index = answer.passages.index(passage)
    before = sum(len(code_blocks(earlier.text)) for earlier in answer.passages[:index])
    lines = passage.text.splitlines(keepends=True)
    for block in code_blocks(passage.text):
        top = len(render("".join(lines[: block.first]), width))
        if row < top:
            return None
        if row < len(render("".join(lines[: block.end]), width)):
            return before + block.number
    return None
