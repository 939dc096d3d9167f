"""Work the first answer would otherwise do in the middle of its stream, done ahead of it.

Rich's Markdown and the Markdown parser are imported here too (not needed for the first frame).

The first code block in a language builds that language's highlighter, compiling dozens of
regular expressions in one piece, during which the stream stops and no key is drawn. Once
built, a highlighter is kept for the rest of the process. What each costs: benchmarks/
RESULTS.md, "Figures moved out of the code".
"""

from __future__ import annotations

# The languages models answer in most often; the others are built when first met.
COMMON_LANGUAGES = ("python", "bash", "javascript", "typescript", "json", "sql")


def warm_up_highlighting() -> None:
    """Build the common languages' highlighters: long enough to want a thread of its own."""
    # Imported here, on the thread: Pygments is not needed to draw the first frame.
    import rich.markdown  # noqa: F401
    from textual.highlight import highlight

    for language in COMMON_LANGUAGES:
        highlight("x", language=language)
