"""Where each part of the conversation is, line by line, at one width.

The conversation is a list of pieces from top to bottom: a note, a turn's prompt, its summary,
each segment of its answer, its usage line. A piece that is drawn has an exact height; an
answer segment never drawn at this width has an estimated one (see `answer_text.Segment`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.strip import Strip

from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.ui.widgets.answer_text import RenderMarkdown, Segment
from thinkchat.ui.widgets.line_render import LineRenderer

if TYPE_CHECKING:
    from thinkchat.ui.widgets.turn_entry import TurnEntry

PieceKey = tuple[int, str, int]
# A piece, and how many lines below its first line a row is (negative: above it).
Anchor = tuple[PieceKey, int]


@dataclass(eq=False)
class Piece:
    """A stretch of the conversation's lines: drawn lines, or an answer segment."""

    entry: TurnEntry | None
    kind: str  # "older" or "welcome", or a turn's part (see `TurnEntry.parts`)
    block: list[Strip] | Segment
    gap: bool = False  # a blank line after it (between answer segments)

    def height(self, width: int) -> int:
        if isinstance(self.block, Segment):
            return self.block.height(width) + self.gap
        return len(self.block)

    def exact(self, width: int) -> bool:
        return not isinstance(self.block, Segment) or width in self.block.rendered

    def lines(self, width: int, render: RenderMarkdown) -> list[Strip]:
        if isinstance(self.block, Segment):
            return self.block.lines(width, render)
        return self.block

    @property
    def key(self) -> PieceKey:
        """The same for this piece when the pieces are built again (its lines may differ)."""
        return id(self.entry), self.kind, id(self.block) if isinstance(self.block, Segment) else 0


def conversation_pieces(
    entries: list[TurnEntry], hidden: int, welcome: str, width: int, render: LineRenderer
) -> list[Piece]:
    """The conversation from top to bottom: a note of the `hidden` earlier turns, the
    `welcome` text while there are no turns, then each turn's parts."""
    pieces: list[Piece] = []
    if hidden:
        note = f"▲ {hidden} earlier turns: scroll up or click to show them"
        lines = render.text(note, width, render.look.note, one_line=True)
        pieces.append(Piece(None, "older", [*lines, Strip.blank(width)]))
    if not entries and welcome:
        lines = render.text(safe_for_terminal(welcome), width, render.look.note)
        pieces.append(Piece(None, "welcome", [Strip.blank(width), *lines, Strip.blank(width)]))
    for entry in entries:
        pieces.extend(_turn_pieces(entry, width))
    return pieces


def _turn_pieces(entry: TurnEntry, width: int) -> list[Piece]:
    """A turn's parts as pieces; answer segments are set apart by a blank line unless a
    paragraph runs on from one to the next."""
    parts = entry.parts(width)
    last_answer = max((i for i, (kind, _) in enumerate(parts) if kind == "answer"), default=-1)
    pieces = []
    for index, (kind, block) in enumerate(parts):
        piece = Piece(entry, kind, block)
        if isinstance(block, Segment) and index != last_answer:
            piece.gap = not block.runs_on
        pieces.append(piece)
    return pieces


class LineMap:
    """The pieces of the conversation and the line each starts at."""

    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self.starts: list[int] = []  # the first line of each piece
        self.height = 0

    def measure(self, width: int, pieces: list[Piece] | None = None) -> None:
        """Take `pieces` (or keep the ones it has) and count their lines at `width`."""
        if pieces is not None:
            self.pieces = pieces
        starts: list[int] = []
        y = 0
        for piece in self.pieces:
            starts.append(y)
            y += piece.height(width)
        self.starts, self.height = starts, y

    def index_at(self, row: int) -> int | None:
        index = bisect_right(self.starts, row) - 1
        return index if 0 <= index < len(self.pieces) else None

    def piece_at(self, row: int) -> Piece | None:
        index = self.index_at(row)
        return None if index is None else self.pieces[index]

    def start_of(self, found: Callable[[Piece], bool]) -> int | None:
        """The first line of the first piece `found` accepts."""
        for piece, start in zip(self.pieces, self.starts, strict=True):
            if found(piece):
                return start
        return None

    def anchor_at(self, row: int) -> Anchor | None:
        """Where `row` is, relative to the piece it is in (to a turn's first piece rather than
        to a note), so that it can be found again once the pieces have been measured anew."""
        index = self.index_at(max(row, 0))
        if index is None:
            return None
        while self.pieces[index].entry is None and index + 1 < len(self.pieces):
            index += 1
        return self.pieces[index].key, row - self.starts[index]

    def row_of(self, anchor: Anchor) -> int | None:
        key, offset = anchor
        start = self.start_of(lambda piece: piece.key == key)
        return None if start is None else start + offset

    def between(self, first_row: int, last_row: int) -> list[Piece]:
        """The pieces with lines between those rows."""
        first = max(bisect_right(self.starts, first_row) - 1, 0)
        return self.pieces[first : bisect_right(self.starts, last_row)]

    def estimated(self, first_row: int, last_row: int, width: int) -> list[Piece]:
        """The pieces between those rows whose height at `width` is only an estimate."""
        return [piece for piece in self.between(first_row, last_row) if not piece.exact(width)]
