"""The answer's Markdown, parsed by one parser kept by the renderer instead of one per passage."""

from __future__ import annotations

import io
import re

from rich.console import Console
from rich.markdown import Markdown

from thinkchat.ui.renderer.rich_markdown import MarkdownMaker, ThemedMarkdown

SAMPLE = """\
# A heading

Some *text*, a [link](https://example.com), ~~struck~~ and `code`.

| a | b |
|---|---|
| 1 | 2 |

```python
x = 1
```
"""


def tokens(markdown: Markdown) -> list[dict[str, object]]:
    return [token.as_dict() for token in markdown.parsed]


def rendered(markdown: Markdown) -> str:
    console = Console(width=60, record=True, color_system="truecolor", file=io.StringIO())
    console.print(markdown)
    # A link's id is drawn at random for each one drawn.
    return re.sub(r"id=\d+;", "id=;", console.export_text(styles=True))


def test_a_made_markdown_is_what_rich_would_have_made() -> None:
    make = MarkdownMaker(code_theme="monokai", code_background="#202020")
    made = make(SAMPLE)
    own = ThemedMarkdown(SAMPLE, code_theme="monokai", code_background="#202020")
    # Everything Rich's own __init__ set, and the passage parsed as Rich parses it.
    assert {name: value for name, value in vars(made).items() if name != "parsed"} == {
        name: value for name, value in vars(own).items() if name != "parsed"
    }
    assert tokens(made) == tokens(own) == tokens(Markdown(SAMPLE))
    assert rendered(made) == rendered(own)


def test_the_kept_parser_carries_nothing_from_one_passage_to_the_next() -> None:
    make = MarkdownMaker(code_theme="monokai", code_background=None)
    first = make("[x]: https://example.com\n\n[x]")
    second = make("[x]")

    def links(markdown: Markdown) -> list[str]:
        return [
            child.type
            for token in markdown.parsed
            for child in token.children or []
            if child.type == "link_open"
        ]

    assert links(first) == ["link_open"]
    assert links(second) == []  # the first passage's link definition is not the second's
    assert first.markup != second.markup
