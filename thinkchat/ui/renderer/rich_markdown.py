"""Rich's Markdown, drawn in the app's theme: headings on the left, code on the theme's panel.

Imported with the first answer (or by the warm-up): Rich's Markdown brings the Markdown parser
and Pygments, which the first frame does not need.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, ClassVar

from markdown_it import MarkdownIt
from rich.console import Console, ConsoleOptions, JustifyMethod, RenderResult
from rich.markdown import CodeBlock, Heading, Markdown, MarkdownElement
from rich.syntax import Syntax

if TYPE_CHECKING:
    from markdown_it.token import Token


class _Heading(Heading):
    """Every heading on the left, as in the rest of the conversation (Rich centres `#`)."""

    LEVEL_ALIGN: ClassVar[dict[str, JustifyMethod]] = dict.fromkeys(
        ("h1", "h2", "h3", "h4", "h5", "h6"), "left"
    )


class _CodeBlock(CodeBlock):
    """A code block on the background the theme gives code, not the highlighter's own."""

    def __init__(self, lexer_name: str, theme: str, background: str | None) -> None:
        super().__init__(lexer_name, theme)
        self.background = background

    @classmethod
    def create(cls, markdown: Markdown, token: Token) -> CodeBlock:
        lexer_name = (token.info or "").partition(" ")[0]
        background = markdown.code_background if isinstance(markdown, ThemedMarkdown) else None
        return cls(lexer_name or "text", markdown.code_theme, background)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        code = str(self.text).rstrip()
        yield Syntax(
            code,
            self.lexer_name,
            theme=self.theme,
            word_wrap=True,
            padding=1,
            background_color=self.background,
        )


class ThemedMarkdown(Markdown):
    """Markdown whose code blocks sit on `code_background` (a colour, or None)."""

    elements: ClassVar[dict[str, type[MarkdownElement]]] = {
        **Markdown.elements,
        "heading_open": _Heading,
        "fence": _CodeBlock,
        "code_block": _CodeBlock,
    }

    def __init__(self, markup: str, *, code_theme: str, code_background: str | None) -> None:
        super().__init__(markup, code_theme=code_theme)
        self.code_background = code_background


class MarkdownMaker:
    """Makes the `ThemedMarkdown` of each passage of an answer, with one parser kept.

    Rich's `Markdown` builds a new parser for every instance, which takes longer than parsing
    a passage with it. Each one made here is a copy of one made by Rich's own `__init__`, so it
    holds whatever that sets, in any release of Rich, with the passage parsed as Rich would.
    """

    def __init__(self, *, code_theme: str, code_background: str | None) -> None:
        self._made = ThemedMarkdown("", code_theme=code_theme, code_background=code_background)
        self._parser = MarkdownIt().enable("strikethrough").enable("table")

    def __call__(self, markup: str) -> ThemedMarkdown:
        made = copy.copy(self._made)
        made.markup = markup
        made.parsed = self._parser.parse(markup)
        return made
