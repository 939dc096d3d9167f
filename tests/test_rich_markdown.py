"""The answer's Markdown, parsed by one parser kept by the renderer instead of one per passage."""

from __future__ import annotations

from rich.markdown import Markdown

from thinkchat.ui.renderer.rich_markdown import ThemedMarkdown, markdown_parser

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


def themed(text: str, parser: object | None = None) -> ThemedMarkdown:
    return ThemedMarkdown(
        text, parser=parser or markdown_parser(), code_theme="monokai", code_background=None
    )


def test_themed_markdown_is_what_rich_markdown_would_be() -> None:
    ours, rich = themed(SAMPLE), Markdown(SAMPLE, code_theme="monokai")
    # Every attribute Rich's own __init__ sets, with the same value: a Rich that sets another
    # one fails here rather than in the middle of an answer.
    assert set(vars(ours)) == set(vars(rich)) | {"code_background"}
    for name, value in vars(rich).items():
        if name != "parsed":
            assert getattr(ours, name) == value, name
    assert [token.as_dict() for token in ours.parsed] == [token.as_dict() for token in rich.parsed]


def test_a_kept_parser_carries_nothing_from_one_passage_to_the_next() -> None:
    parser = markdown_parser()
    first = themed("[x]: https://example.com\n\n[x]", parser)
    second = themed("[x]", parser)

    def links(markdown: ThemedMarkdown) -> list[str]:
        return [
            child.type
            for token in markdown.parsed
            for child in token.children or []
            if child.type == "link_open"
        ]

    assert links(first) == ["link_open"]
    assert links(second) == []  # the first passage's link definition is not the second's
