"""How the conversation looks: its CSS, and the styles read from it that its lines are drawn in.

The conversation draws its lines itself (see `line_render`), so its look is not applied by
Textual: it reads each style from a component class of its CSS, and draws again when they
change (a new theme).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.style import Style

# Each a style of the lines the conversation draws (see `read_look`).
COMPONENT_CLASSES = {
    "conversation--label",
    "conversation--prompt",
    "conversation--summary",
    "conversation--error",
    "conversation--retry",
    "conversation--meta",
    "conversation--note",
    "conversation--selected",
    "conversation--heading",
    "conversation--link",
    "conversation--code",
    "conversation--code-block",
    "conversation--bullet",
    "conversation--quote",
}

CONVERSATION_CSS = """
    ConversationView {
        height: 1fr;
        width: 3fr;
        padding: 0 1;
        /* Lines are drawn at the view's width: it never scrolls sideways (and a narrower view
           must not show a horizontal bar for the moment its lines are wider). */
        overflow-x: hidden;
        & > .conversation--label { color: $primary; text-style: bold; }
        & > .conversation--prompt { background: $boost; }
        & > .conversation--summary { color: $text-muted; text-style: italic; }
        & > .conversation--error { color: $error; }
        & > .conversation--retry { color: $warning; }
        & > .conversation--meta { color: $text-muted; }
        & > .conversation--note { color: $text-muted; }
        & > .conversation--selected { color: $accent; }
        & > .conversation--heading { color: $primary; text-style: bold; }
        & > .conversation--link { color: $text-accent; text-style: underline; }
        & > .conversation--code { color: $text-warning; background: $warning-muted; }
        & > .conversation--code-block { background: $background-darken-1; }
        & > .conversation--bullet { color: $primary; }
        & > .conversation--quote { color: $text-muted; text-style: italic; }
    }
    """


@dataclass(frozen=True)
class Look:
    """The styles the conversation is drawn in, read from its CSS."""

    label: Style
    prompt: Style
    summary: Style
    error: Style
    retry: Style
    meta: Style
    note: Style
    selected: Style
    hover: Style  # a clickable line under the mouse
    markdown: dict[str, Style]  # Rich's Markdown styles ("markdown.h1", "markdown.link", ...)
    code_theme: str  # a Pygments style
    code_background: str | None


def read_look(style: Callable[[str], Style], *, dark: bool) -> Look:
    """The look from the conversation's component styles: `style("heading")` is the style
    of its `conversation--heading` class."""
    heading, bullet, link = style("heading"), style("bullet"), style("link")
    code_block = style("code-block").bgcolor
    markdown = {
        **{f"markdown.h{level}": heading for level in range(1, 7)},
        "markdown.link": link,
        "markdown.link_url": link,
        "markdown.code": style("code"),
        "markdown.item.bullet": bullet,
        "markdown.item.number": bullet,
        "markdown.block_quote": style("quote"),
        "markdown.table.border": bullet,
    }
    return Look(
        label=style("label"),
        prompt=style("prompt"),
        summary=style("summary"),
        error=style("error"),
        retry=style("retry"),
        meta=style("meta"),
        note=style("note"),
        selected=style("selected"),
        hover=link,
        markdown=markdown,
        code_theme="github-dark" if dark else "default",
        code_background=code_block.name if code_block is not None else None,
    )
