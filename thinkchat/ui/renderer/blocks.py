"""Blocks: the stretches of lines the conversation is laid out in, from top to bottom.

A block is a note of the conversation (the earlier turns not shown, the welcome text) or a
stretch of a turn: its head (label and prompt), its thinking summary, a blank line before and
after its answer, each passage of its answer, the note that it has other answers, and its tail
(error, retry countdown, usage line). A block's body is its drawn lines, or an answer passage
drawn only when it comes near the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from textual.strip import Strip

from thinkchat.chat.turn import Turn
from thinkchat.ui.renderer.answer_text import Passage, RenderMarkdown


class BlockKind(Enum):
    """What a block is: a note of the conversation's own, or which stretch of a turn."""

    OLDER = "older"  # the note above the turns shown: earlier turns, a click away
    WELCOME = "welcome"  # the note shown while there are no turns
    HEAD = "head"
    SUMMARY = "summary"
    BEFORE_ANSWER = "before answer"
    ANSWER = "answer"
    AFTER_ANSWER = "after answer"
    ALTERNATIVES = "alternatives"  # the turn has other answers: a click shows them all
    TAIL = "tail"


# Blocks that do something when clicked: underlined under the mouse.
CLICKABLE = (BlockKind.SUMMARY, BlockKind.ALTERNATIVES, BlockKind.OLDER)

# The same for a block when the blocks are built again (its lines may differ).
BlockKey = tuple[int, BlockKind, int]


@dataclass(eq=False)
class Block:
    """A stretch of the conversation's lines: drawn lines, or an answer passage."""

    turn: Turn | None  # None: a note of the conversation's own
    kind: BlockKind
    body: list[Strip] | Passage
    gap: bool = False  # a blank line after it (between answer passages)

    def height(self, width: int) -> int:
        if isinstance(self.body, Passage):
            return self.body.height(width) + self.gap
        return len(self.body)

    def exact(self, width: int) -> bool:
        """Whether its height at `width` is known (a passage's is estimated until drawn)."""
        return not isinstance(self.body, Passage) or width in self.body.rendered

    def lines(self, width: int, render: RenderMarkdown) -> list[Strip]:
        if isinstance(self.body, Passage):
            return self.body.lines(width, render)
        return self.body

    @property
    def key(self) -> BlockKey:
        body = self.body
        return id(self.turn), self.kind, id(body) if isinstance(body, Passage) else 0
