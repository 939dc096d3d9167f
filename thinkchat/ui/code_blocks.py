"""The fenced code blocks of an answer's Markdown, as the answer's renderer sees them.

They are found with markdown-it, the parser under Rich's Markdown, so that a block counted here
is a block drawn in the conversation: ``` and ~~~ fences, info strings, fences inside lists and
quotes, and a fence left open at the end (an answer still streaming) running to the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@dataclass(frozen=True)
class CodeBlock:
    """One fenced code block: its number in the answer (from 1), the language its info string
    names ("" if none), its code (without the line break that ends it), and the source lines
    of the whole fence, `first` to `end` (not included), counted from 0."""

    number: int
    language: str
    code: str
    first: int
    end: int

    @property
    def line_count(self) -> int:
        return len(self.code.splitlines())

    @property
    def details(self) -> str:
        """Its language and size: "python, 12 lines"."""
        lines = f"{self.line_count:,} line{'' if self.line_count == 1 else 's'}"
        return f"{self.language}, {lines}" if self.language else lines

    def describe(self) -> str:
        """How a notice names it: "code block 2 (python, 12 lines)"."""
        return f"code block {self.number} ({self.details})"


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # imported when first asked, not at start-up

    return MarkdownIt()


def code_blocks(markdown: str) -> list[CodeBlock]:
    """The fenced code blocks of `markdown`, in order."""
    blocks: list[CodeBlock] = []
    for token in _parser().parse(markdown):
        if token.type != "fence" or token.map is None:
            continue
        first, end = token.map
        language = token.info.strip().partition(" ")[0]
        # Without the final line break: pasted into a shell, it would run the last line.
        code = token.content.removesuffix("\n")
        blocks.append(CodeBlock(len(blocks) + 1, language, code, first, end))
    return blocks
