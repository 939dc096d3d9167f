"""Split `<think>…</think>` reasoning out of streamed answer text.

Some OpenAI-compatible servers (llama.cpp with some settings, raw Qwen3 and R1 chat templates)
put the reasoning inline in `content`. The chat template often opens the `<think>` block in the
prompt, so the stream may carry only the closing tag. Tags can be split across chunks.
"""

from __future__ import annotations

from enum import Enum

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"


class _Phase(Enum):
    START = "start"  # nothing but white space seen yet: an opening tag may still come
    REASONING = "reasoning"
    ANSWER = "answer"


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest end of `text` that is a proper beginning of `tag`."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0


class ThinkTagSplitter:
    """Feed content chunks in; get (reasoning, answer) text pieces out.

    With `expect_reasoning`, text before any tag is taken as reasoning (the opening tag was in
    the prompt), until `</think>`; if the stream ends without one, `finish` hands that text
    back as the answer, so nothing the model wrote is lost. Without it, text is answer unless it
    opens with `<think>`.
    """

    def __init__(self, expect_reasoning: bool) -> None:
        self._expect_reasoning = expect_reasoning
        self._phase = _Phase.START
        self._pending = ""  # text held back because it may be the start of a tag
        self._provisional: list[str] = []  # reasoning emitted without having seen <think>
        self._opened = False
        self._answer_started = False  # newlines right after </think> are not part of the answer

    def feed(self, chunk: str) -> tuple[str, str]:
        text = self._pending + chunk
        self._pending = ""
        reasoning: list[str] = []
        answer: list[str] = []
        while text:
            if self._phase is _Phase.START:
                stripped = text.lstrip()
                if not stripped:
                    self._pending = text
                    return "", ""
                if stripped.startswith(OPEN_TAG):
                    self._opened = True
                    self._phase = _Phase.REASONING
                    text = stripped[len(OPEN_TAG) :]
                    continue
                if OPEN_TAG.startswith(stripped):
                    self._pending = text
                    break
                self._phase = _Phase.REASONING if self._expect_reasoning else _Phase.ANSWER
                continue
            if self._phase is _Phase.REASONING:
                end = text.find(CLOSE_TAG)
                if end >= 0:
                    reasoning.append(text[:end])
                    self._provisional.clear()
                    self._opened = True
                    self._phase = _Phase.ANSWER
                    text = text[end + len(CLOSE_TAG) :]
                    continue
                keep = _partial_suffix(text, CLOSE_TAG)
                emitted = text[: len(text) - keep]
                reasoning.append(emitted)
                if not self._opened:
                    self._provisional.append(emitted)
                self._pending = text[len(text) - keep :]
                break
            if not self._answer_started and self._opened:
                text = text.lstrip("\n")
                if not text:
                    break
            self._answer_started = True
            answer.append(text)
            break
        return "".join(reasoning), "".join(answer)

    def finish(self) -> tuple[str, str]:
        """Flush what was held back at the end of the stream."""
        pending, self._pending = self._pending, ""
        if self._phase is _Phase.REASONING and not self._opened:
            # No tag at all: what looked like reasoning was the answer.
            answer = "".join(self._provisional) + pending
            self._provisional.clear()
            return "", answer
        if self._phase is _Phase.REASONING:
            return pending, ""
        return "", pending
