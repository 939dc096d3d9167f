"""The simulator's words: deterministic reasoning and answers, and how it counts tokens."""

from __future__ import annotations

import itertools
import re

_TOKEN = re.compile(r"\s*\S+|\s+$")

_REASONING_SENTENCES = (
    "Okay, the user asked {topic}, so I need to work out what they really want to know.",
    "First, I should restate the question in my own words to make sure I read it right.",
    "Then I can list the facts I am sure of and the ones I would have to check.",
    "Wait, there may be a simpler way to look at this; let me compare both approaches.",
    "The second approach avoids a special case, so it is probably the better one.",
    "I should also think about what could go wrong, and mention it briefly.",
    "Finally, I will keep the answer short, with one small example.",
)

_ANSWER_INTRO = (
    "## Answer\n\nYou asked {topic}. Here is a short answer, with an example.\n\n"
    "- **Idea**: break the problem into small steps.\n"
    "- **Check**: test each step on its own.\n\n"
    "```python\ndef solve(steps):\n    return [step() for step in steps]\n```\n\n"
)
_ANSWER_FILLER = (
    "Each step is small enough to reason about, and together they answer the question. ",
    "If anything is unclear, ask and I will go into more detail. ",
)


def tokens(text: str) -> list[str]:
    """Split text into the simulator's tokens: each word with the white space before it."""
    return _TOKEN.findall(text)


def count_tokens(text: str) -> int:
    return len(tokens(text))


def _topic(prompt: str) -> str:
    words = " ".join(prompt.split())
    if not words:
        return "nothing in particular"
    return f'"{words[:80]}…"' if len(words) > 80 else f'"{words}"'


def _fill(parts: list[str], filler: tuple[str, ...], count: int) -> list[str]:
    result = list(parts)
    for sentence in itertools.cycle(filler):
        if len(result) >= count:
            break
        result.extend(tokens(sentence))
    return result[:count]


def reasoning_tokens(prompt: str, count: int | None) -> list[str]:
    """Plausible thinking about `prompt`: a paragraph, or stretched to `count` tokens."""
    sentences = [s.format(topic=_topic(prompt)) for s in _REASONING_SENTENCES]
    first = tokens(" ".join(sentences))
    if count is None:
        return first
    return _fill(first, tuple(" " + s for s in sentences), count)


def answer_tokens(prompt: str, count: int | None) -> list[str]:
    """An answer to `prompt` in Markdown: the default one, or one stretched to `count` tokens."""
    intro = tokens(
        _ANSWER_INTRO.format(topic=_topic(prompt)) + _ANSWER_FILLER[0] + _ANSWER_FILLER[1]
    )
    if count is None:
        return intro
    return _fill(intro, _ANSWER_FILLER, count)
