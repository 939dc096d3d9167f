"""Where each block of the conversation is, row by row, at one width.

A block that is drawn has an exact height; an answer passage never drawn at this width has an
estimated one (see `answer_text.Passage`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from textual.strip import Strip

from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.ui.renderer.blocks import Block, BlockKey, BlockKind
from thinkchat.ui.renderer.line_render import LineRenderer
from thinkchat.ui.renderer.turn_entry import TurnEntry

# A block, and how many rows below its first row a row is (negative: above it).
Anchor = tuple[BlockKey, int]


def conversation_blocks(
    entries: list[TurnEntry], hidden: int, welcome: str, width: int, render: LineRenderer
) -> list[Block]:
    """The conversation from top to bottom: a note of the `hidden` earlier turns, the
    `welcome` text while there are no turns, then each turn's blocks."""
    blocks: list[Block] = []
    if hidden:
        note = f"▲ {hidden} earlier turns: scroll up or click to show them"
        lines = render.text(note, width, render.look.note, one_line=True)
        blocks.append(Block(None, BlockKind.OLDER, [*lines, Strip.blank(width)]))
    if not entries and welcome:
        lines = render.text(safe_for_terminal(welcome), width, render.look.note)
        blocks.append(
            Block(None, BlockKind.WELCOME, [Strip.blank(width), *lines, Strip.blank(width)])
        )
    for entry in entries:
        blocks.extend(entry.blocks(width, render))
    return blocks


class BlockMap:
    """The blocks of the conversation and the row each starts at."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.starts: list[int] = []  # the first row of each block
        self.height = 0

    def measure(self, width: int, blocks: list[Block] | None = None) -> None:
        """Take `blocks` (or keep the ones it has) and count their rows at `width`."""
        if blocks is not None:
            self.blocks = blocks
        starts: list[int] = []
        y = 0
        for block in self.blocks:
            starts.append(y)
            y += block.height(width)
        self.starts, self.height = starts, y

    def index_at(self, row: int) -> int | None:
        index = bisect_right(self.starts, row) - 1
        return index if 0 <= index < len(self.blocks) else None

    def block_at(self, row: int) -> Block | None:
        index = self.index_at(row)
        return None if index is None else self.blocks[index]

    def start_of(self, found: Callable[[Block], bool]) -> int | None:
        """The first row of the first block `found` accepts."""
        for block, start in zip(self.blocks, self.starts, strict=True):
            if found(block):
                return start
        return None

    def anchor_at(self, row: int) -> Anchor | None:
        """Where `row` is, relative to the block it is in (to a turn's first block rather than
        to a note), so that it can be found again once the blocks have been measured anew."""
        index = self.index_at(max(row, 0))
        if index is None:
            return None
        while self.blocks[index].turn is None and index + 1 < len(self.blocks):
            index += 1
        return self.blocks[index].key, row - self.starts[index]

    def row_of(self, anchor: Anchor) -> int | None:
        key, offset = anchor
        start = self.start_of(lambda block: block.key == key)
        return None if start is None else start + offset

    def between(self, first_row: int, last_row: int) -> list[Block]:
        """The blocks with rows between those rows."""
        first = max(bisect_right(self.starts, first_row) - 1, 0)
        return self.blocks[first : bisect_right(self.starts, last_row)]

    def estimated(self, first_row: int, last_row: int, width: int) -> list[Block]:
        """The blocks between those rows whose height at `width` is only an estimate."""
        return [block for block in self.between(first_row, last_row) if not block.exact(width)]
