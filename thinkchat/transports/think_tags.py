"""Split `<think>…</think>` reasoning out of streamed answer text.

Some OpenAI-compatible servers (llama.cpp with some settings, raw Qwen3 and R1 chat templates)
put the reasoning inline in `content`. The chat template often opens the `<think>` block in the
prompt, so the stream may carry only the closing tag. Tags can be split across chunks.
"""

from __future__ import annotations

from enum import Enum

from thinkchat.chat.events import AnswerDelta, ReasoningDelta, ReasoningWasAnswer, StreamEvent

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
    """Feed content chunks in; get the engine's reasoning and answer events out.

    With `expect_reasoning`, text before any tag is taken as reasoning (the opening tag was in
    the prompt), until `</think>`. That is a guess: if the stream ends without a closing tag,
    `finish` takes it back with `ReasoningWasAnswer` and sends the text again as the answer, so
    nothing the model wrote is lost and nothing is kept twice. Without it, text is answer
    unless it opens with `<think>`.
    """

    def __init__(self, expect_reasoning: bool) -> None:
        self._expect_reasoning = expect_reasoning
        self._phase = _Phase.START
        self._pending = ""  # text held back because it may be the start of a tag
        self._guessed: list[str] = []  # reasoning sent on the guess, without having seen a tag
        self._opened = False
        self._answer_started = False  # newlines right after </think> are not part of the answer

    @property
    def content_is_answer(self) -> bool:
        """Whether all content from here on is answer, exactly as it comes."""
        return self._answer_started and not self._pending

    def feed(self, chunk: str) -> list[StreamEvent]:
        text = self._pending + chunk
        self._pending = ""
        reasoning: list[str] = []
        answer: list[str] = []
        while text:
            if self._phase is _Phase.START:
                stripped = text.lstrip()
                if not stripped:
                    self._pending = text
                    break
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
                    self._guessed.clear()  # the guess was right
                    self._opened = True
                    self._phase = _Phase.ANSWER
                    text = text[end + len(CLOSE_TAG) :]
                    continue
                keep = _partial_suffix(text, CLOSE_TAG)
                emitted = text[: len(text) - keep]
                reasoning.append(emitted)
                if emitted and not self._opened:
                    self._guessed.append(emitted)
                self._pending = text[len(text) - keep :]
                break
            if not self._answer_started and self._opened:
                text = text.lstrip("\n")
                if not text:
                    break
            self._answer_started = True
            answer.append(text)
            break
        return _events("".join(reasoning), "".join(answer))

    def expect_answer(self) -> list[StreamEvent]:
        """From here on, untagged content is answer (the service sends reasoning elsewhere).

        Reasoning already sent on the guess is taken back, and sent again as the answer.
        """
        self._expect_reasoning = False
        if self._phase is not _Phase.REASONING or self._opened:
            return []
        self._phase = _Phase.ANSWER
        self._answer_started = True
        return self._take_back()

    def finish(self) -> list[StreamEvent]:
        """Flush what was held back at the end of the stream."""
        # No tag came: what was taken for reasoning on the guess was the answer.
        taken = self.expect_answer()
        pending, self._pending = self._pending, ""
        if self._phase is _Phase.REASONING:
            return _events(pending, "")
        return taken + _events("", pending)

    def _take_back(self) -> list[StreamEvent]:
        if not self._guessed:
            return []
        guessed = "".join(self._guessed) + self._pending
        self._guessed.clear()
        self._pending = ""
        return [ReasoningWasAnswer(), AnswerDelta(guessed)]


def _events(reasoning: str, answer: str) -> list[StreamEvent]:
    events: list[StreamEvent] = []
    if reasoning:
        events.append(ReasoningDelta(reasoning))
    if answer:
        events.append(AnswerDelta(answer))
    return events
