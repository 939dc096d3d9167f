"""Rich's Markdown, drawn in the app's theme: headings on the left, code on the theme's panel.

Imported with the first answer (or by the warm-up): Rich's Markdown brings the Markdown parser
and Pygments, which the first frame does not need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from markdown_it import MarkdownIt
from rich.console import Console, ConsoleOptions, JustifyMethod, RenderResult
from rich.markdown import CodeBlock, Heading, Markdown, MarkdownElement
from rich.syntax import Syntax

if TYPE_CHECKING:
    from markdown_it.token import Token


def markdown_parser() -> MarkdownIt:
    """A parser of the Markdown Rich reads (CommonMark, strikethrough and tables), to be kept:
    building one takes longer than parsing a passage of an answer with it."""
    return MarkdownIt().enable("strikethrough").enable("table")


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
    """Markdown whose code blocks sit on `code_background` (a colour, or None), parsed with
    the caller's `parser` (`markdown_parser`)."""

    elements: ClassVar[dict[str, type[MarkdownElement]]] = {
        **Markdown.elements,
        "heading_open": _Heading,
        "fence": _CodeBlock,
        "code_block": _CodeBlock,
    }

    def __init__(
        self, markup: str, *, parser: MarkdownIt, code_theme: str, code_background: str | None
    ) -> None:
        # Not Rich's own __init__: it builds a new parser for every Markdown, and an answer is
        # drawn a passage at a time. What it sets, with its defaults (a test compares the two).
        self.markup = markup
        self.parsed = parser.parse(markup)
        self.code_theme = code_theme
        self.justify: JustifyMethod | None = None
        self.style = "none"
        self.hyperlinks = True
        self.inline_code_lexer: str | None = None
        self.inline_code_theme = code_theme
        self.code_background = code_background
