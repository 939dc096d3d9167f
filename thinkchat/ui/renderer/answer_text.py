"""An answer's Markdown, kept in passages that are each rendered once per width.

Rendering Markdown costs time in proportion to the text, so a long answer re-rendered whole
on every token would get slower to draw with every token. The answer is therefore kept in
passages: once the passage being written has `PASSAGE_CHARS`, it ends at the next paragraph
boundary (a blank line outside a code fence), or, in a paragraph that runs on past
`RUN_ON_CHARS`, at the end of the next sentence (at a space if no sentence ends within
`SENTENCE_CHARS`), the continuation drawn flush against it: it starts a line, as after a line
break, not in the middle of a sentence. Only the last passage is rendered again as it grows.

A finished passage keeps its rendered lines for the widths it was drawn at (the reasoning
panel opening and closing goes back and forth between two). At a width it was never drawn at,
its height is estimated until it comes near the screen (see `ConversationView`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from textual.strip import Strip

PASSAGE_CHARS = 1000
RUN_ON_CHARS = 1000
SENTENCE_CHARS = 500  # how much longer a run-on paragraph may grow waiting for a sentence end
WIDTHS_KEPT = 2  # a passage's lines are kept for this many widths
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
# The end of a sentence: a full stop, question or exclamation mark (and a closing quote or
# bracket) before a space; in Chinese and Japanese, where no space follows, the mark itself.
_SENTENCE_END = re.compile(r"""[.!?]["'”’)\]]*(?= )|[。！？]["'”’）」』]*""")

RenderMarkdown = Callable[[str, int], list[Strip]]


def _fence_open(text: str) -> bool:
    """Whether `text` ends inside a fenced code block."""
    return len(_FENCE.findall(text)) % 2 == 1


@dataclass(eq=False)
class Passage:
    """One stretch of the answer's Markdown and its rendered lines, by width."""

    text: str = ""
    runs_on: bool = False  # the next passage continues this one's last paragraph
    finished: bool = False
    rendered: dict[int, list[Strip]] = field(default_factory=dict)

    def lines(self, width: int, render: RenderMarkdown) -> list[Strip]:
        lines = self.rendered.get(width)
        if lines is None:
            lines = render(self.text, width)
            if len(self.rendered) >= WIDTHS_KEPT:
                del self.rendered[next(iter(self.rendered))]
            self.rendered[width] = lines
        return lines

    def height(self, width: int) -> int:
        """Its height at `width`: exact once rendered there, estimated until then."""
        lines = self.rendered.get(width)
        if lines is not None:
            return len(lines)
        for other, drawn in self.rendered.items():
            return max(1, math.ceil(len(drawn) * other / max(width, 1)))
        rows = sum(max(1, math.ceil(len(line) / max(width, 1))) for line in self.text.split("\n"))
        return max(1, rows)

    def add(self, text: str) -> None:
        self.text += text
        self.rendered.clear()


class AnswerText:
    """The model's answer as Markdown passages; only the last one changes as it streams."""

    def __init__(self, text: str = "") -> None:
        self.passages: list[Passage] = [Passage()]
        self.append(text)

    @property
    def source(self) -> str:
        """The whole answer added so far."""
        return "".join(passage.text for passage in self.passages)

    def append(self, fragment: str, *, on_passage: Callable[[], bool] | None = None) -> str:
        """Add a fragment (already made safe for the terminal) at the end.

        `on_passage()` is called after each passage that this append finishes; when it returns
        True the append stops there and what was not appended is returned.
        """
        rest = fragment
        while rest:
            head, tail, runs_on = self._split(rest)
            if head:
                self.passages[-1].add(head)
            if tail is None:
                return ""
            current = self.passages[-1]
            current.finished = True
            current.runs_on = runs_on
            self.passages.append(Passage())
            rest = tail
            if on_passage is not None and on_passage():
                break
        return rest

    def _split(self, fragment: str) -> tuple[str, str | None, bool]:
        """Where `fragment` moves on to a new passage: (head, rest or None, runs on)."""
        written = self.passages[-1].text
        full_at = max(PASSAGE_CHARS - len(written), 0)  # where in `fragment` it is full
        if full_at >= len(fragment):
            return fragment, None, False
        boundary = fragment.find("\n\n", max(full_at - 1, 0))
        while boundary >= 0:
            cut = boundary + 2
            if not _fence_open(written + fragment[:cut]):
                return fragment[:cut], fragment[cut:], False
            boundary = fragment.find("\n\n", cut)
        # No paragraph boundary: cut a paragraph run on for `RUN_ON_CHARS` at a sentence end.
        text = written + fragment
        found = text.rfind("\n\n", 0, len(written) + full_at)
        paragraph_start = found + 2 if found >= 0 else 0
        run_on_at = max(full_at, paragraph_start + RUN_ON_CHARS - len(written), 1)
        sentence = _SENTENCE_END.search(fragment, run_on_at)
        if sentence:
            cut = sentence.end()
        else:
            too_long_at = paragraph_start + RUN_ON_CHARS + SENTENCE_CHARS - len(written)
            cut = fragment.find(" ", max(run_on_at, too_long_at))
        if cut > 0 and not _fence_open(written + fragment[:cut]):
            return fragment[:cut], fragment[cut:], True
        return fragment, None, False
