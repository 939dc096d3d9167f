"""Text and Markdown drawn into lines of a given width, for the conversation.

Everything here comes from the model or the user, so it is drawn as text: Rich's `Text` and
`Markdown` never read markup, and the text was made safe for the terminal before it got here.
Links are not handed to the terminal either (it would open them on a click): a link keeps its
look and carries its address as `href` metadata, which a click copies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.box import ROUNDED
from rich.console import Console, RenderableType
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from rich.theme import Theme
from textual.strip import Strip

from thinkchat.ui.renderer.look import Look

if TYPE_CHECKING:
    from thinkchat.ui.renderer.rich_markdown import MarkdownMaker


class LineRenderer:
    """Draws text and Markdown into lines `width` cells wide, one cell of padding a side."""

    def __init__(self, console: Console, look: Look) -> None:
        self.console = console
        self.look = look
        self._markdown_theme = Theme(look.markdown)
        self._make_markdown: MarkdownMaker | None = None  # made with the first answer

    def lines(
        self, renderable: RenderableType, width: int, style: Style | None = None
    ) -> list[Strip]:
        """`renderable` drawn in `width - 2` cells, padded to `width` in `style`."""
        inner = max(width - 2, 1)
        options = self.console.options.update(width=inner, height=None, highlight=False)
        rendered = self.console.render_lines(renderable, options, style=style, pad=True)
        pad = Segment(" ", style)
        return [Strip([pad, *line, pad], inner + 2) for line in rendered]

    def text(self, text: str, width: int, style: Style, *, one_line: bool = False) -> list[Strip]:
        """Plain text, word-wrapped (or cut short with an ellipsis: `one_line`)."""
        if one_line:
            shown = Text(text, style=style, no_wrap=True, overflow="ellipsis", end="")
        else:
            shown = Text(text, style=style, end="")
        return self.lines(shown, width, style)

    def error_box(self, text: str, width: int) -> list[Strip]:
        """Text in a rounded box, with a cell of margin a side."""
        style = self.look.error
        box = Panel(Text(text, style=style), box=ROUNDED, border_style=style, padding=(0, 1))
        return self.lines(box, width)

    def markdown(self, text: str, width: int) -> list[Strip]:
        """Markdown from the model; links become `href` metadata (see the module docstring)."""
        if not text:
            return []
        # Imported with the first answer (or by the warm-up), not at start-up.
        from thinkchat.ui.renderer.rich_markdown import MarkdownMaker

        if self._make_markdown is None:
            look = self.look
            self._make_markdown = MarkdownMaker(
                code_theme=look.code_theme, code_background=look.code_background
            )
        shown = self._make_markdown(text)
        with self.console.use_theme(self._markdown_theme):
            lines = self.lines(shown, width)
        return [_unlinked(line) for line in lines]


def _unlinked(line: Strip) -> Strip:
    segments = list(line)
    if not any(style is not None and style.link for _, style, _ in segments):
        return line
    kept: list[Segment] = []
    for text, style, control in segments:
        if style is not None and style.link:
            href = style.link
            style = style.update_link(None) + Style.from_meta({"href": href})
        kept.append(Segment(text, style, control))
    return Strip(kept, line.cell_length)


def highlight(line: Strip, span: tuple[int, int], style: Style) -> Strip:
    """`line` with the cells from `span[0]` to `span[1]` (-1: the end) in `style` as well."""
    length = line.cell_length
    start, end = min(span[0], length), length if span[1] == -1 else min(span[1], length)
    if start >= end:
        return line
    before, chosen, after = line.divide([start, end, length])
    marked = Strip(Segment.apply_style(chosen, post_style=style), chosen.cell_length)
    return Strip.join([before, marked, after])
