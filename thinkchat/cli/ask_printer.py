"""How `thinkchat ask` prints a turn's events: the answer to stdout, the reasoning to stderr
(dimmed on a terminal), the usage on stderr at the end; or one JSON event per line on stdout.

Text shown as reasoning that turns out to be the answer (inline `<think>` text that never
closed) is said to be so on stderr, and the answer is printed once, on stdout.
"""

from __future__ import annotations

import asyncio
import json
from json.encoder import encode_basestring
from typing import IO, Any

from thinkchat.chat.cut_short import Remedy, RemedyKind, cut_short
from thinkchat.chat.errors import ChatError
from thinkchat.chat.events import (
    AnswerDelta,
    Finished,
    ReasoningDelta,
    ReasoningWasAnswer,
    RetryWait,
    StreamError,
    TurnEvent,
    Usage,
)
from thinkchat.chat.hints import HintContext, hint_for
from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.chat.turn import Turn

DIM = "\x1b[2m"
RESET = "\x1b[0m"
# Output is flushed this long after it was written (a trailing-edge flush): often enough to
# look live in a pipe, rarely enough not to cost a system call per token.
FLUSH_DELAY = 0.03


class Printer:
    """Writes a turn's events to stdout and stderr, as text or as JSON lines.

    `variant`: the index of a comparison's variant, which each JSON event then carries.
    """

    def __init__(
        self,
        out: IO[str],
        err: IO[str],
        *,
        json_lines: bool,
        hide_reasoning: bool,
        variant: int | None = None,
    ):
        self.out = out
        self.err = err
        self.json_lines = json_lines
        self.hide_reasoning = hide_reasoning
        self.variant = variant
        # What JSON events carry after their type: the variant, when there is one.
        self._tag = "" if variant is None else f', "variant": {variant}'
        self.out_tty = out.isatty()
        self.err_tty = err.isatty()
        self._in_reasoning = False
        self._reasoning_shown = False
        self._answer_ends_with_newline = True
        self._flush_handle: asyncio.TimerHandle | None = None

    def _schedule_flush(self) -> None:
        if self._flush_handle is None:
            loop = asyncio.get_running_loop()
            self._flush_handle = loop.call_later(FLUSH_DELAY, self.flush)

    def flush(self) -> None:
        self._flush_handle = None
        self.out.flush()
        self.err.flush()

    def _json_text(self, kind: str, text: str) -> None:
        # The same line json.dumps({"type": kind, "text": text}, ensure_ascii=False) gives,
        # built without a dict and with the function json.dumps itself calls for a string,
        # much cheaper: this runs for every token of the stream.
        self.out.write(f'{{"type": "{kind}"{self._tag}, "text": {encode_basestring(text)}}}\n')

    def _json(self, event: dict[str, Any]) -> None:
        if self.variant is not None:
            kind, *rest = event.items()
            event = dict([kind, ("variant", self.variant), *rest])
        self.out.write(json.dumps(event, ensure_ascii=False) + "\n")

    def opening(self, fields: dict[str, Any]) -> None:
        """A comparison's variant begins (JSON): `{"type": "variant", "variant": i, ...}`."""
        self._json({"type": "variant", **fields})

    def header(self, title: str, *, first: bool) -> None:
        """A comparison's variant begins (text): its title above its answer, on stdout; and
        above its reasoning, when stdout goes elsewhere than the terminal that shows it."""
        self.out.write(("" if first else "\n") + f"=== {title} ===\n")
        if not self.hide_reasoning and self.err_tty and not self.out_tty:
            self.err.write(self._style(f"thinkchat: {title}") + "\n")

    def end_variant(self) -> None:
        """A comparison's variant has ended: the next one's header starts on a line of its own."""
        self._end_reasoning()
        if not self.json_lines and not self._answer_ends_with_newline:
            self.out.write("\n")
            self._answer_ends_with_newline = True

    def reasoning(self, text: str) -> None:
        if self.json_lines:
            self._json_text("reasoning", text)
        elif not self.hide_reasoning:
            if self.err_tty:
                self.err.write(DIM + safe_for_terminal(text) + RESET)
            else:
                self.err.write(text)
            self._in_reasoning = self._reasoning_shown = True
        self._schedule_flush()

    def answer(self, text: str) -> None:
        if self.json_lines:
            self._json_text("answer", text)
        else:
            self._end_reasoning()
            self.out.write(safe_for_terminal(text) if self.out_tty else text)
            self._answer_ends_with_newline = text.endswith("\n")
        self._schedule_flush()

    def reasoning_was_answer(self) -> None:
        """What came as reasoning was the answer, which follows: say so where it was shown."""
        if self.json_lines:
            self._json({"type": "reasoning_retracted"})
        elif self._reasoning_shown:
            self._end_reasoning()
            self._reasoning_shown = False
            self.err.write(
                self._style("note: the text above, shown as reasoning, was the answer") + "\n"
            )
        self._schedule_flush()

    def _end_reasoning(self) -> None:
        if self._in_reasoning:
            self._in_reasoning = False
            self.err.write("\n\n" if self.err_tty else "\n")

    def usage(self, usage: Usage, turn: Turn) -> None:
        if self.json_lines:
            cost = turn.cost.as_dict() if turn.cost else {}
            self._json({"type": "usage", **usage.as_dict(), **cost})
            return
        self._end_answer()
        self.err.write(self._style(usage_line(usage, turn)) + "\n")

    def finish(self, reason: str, turn: Turn) -> None:
        if self.json_lines:
            self._json({"type": "finish", "reason": reason})
        cut = cut_short(turn)
        if cut is not None:
            self._end_answer()
            self.err.write(self._style(f"note: {cut.said}") + "\n")
            ways = [f"{_flag(remedy)} ({remedy.why})" for remedy in cut.remedies]
            if ways:
                either = ", ".join(ways[:-1]) + " or " + ways[-1] if len(ways) > 1 else ways[0]
                self.err.write(self._style(f"hint: ask again with more room: {either}") + "\n")

    def error(self, error: ChatError, hint: str) -> None:
        if self.json_lines:
            self._json(
                {
                    "type": "error",
                    "status": error.status,
                    "code": error.code,
                    "message": error.message,
                    "request_id": error.request_id,
                }
            )
        self._end_reasoning()
        self._end_answer()
        request = f" (request id {error.request_id})" if error.request_id else ""
        self.err.write(f"thinkchat: error: {safe_for_terminal(error.summary)}{request}\n")
        self.err.write(f"hint: {hint}\n")

    def retrying(self, wait: RetryWait) -> None:
        self._end_reasoning()
        self.err.write(
            f"thinkchat: retrying in {wait.delay:.1f} s (attempt {wait.attempt + 1} of "
            f"{wait.attempts}) after {safe_for_terminal(wait.error.summary)}\n"
        )
        self.flush()

    def note(self, text: str) -> None:
        self.err.write(self._style(f"note: {text}") + "\n")

    def interrupted(self) -> None:
        self._end_reasoning()
        self._end_answer()
        self.err.write("thinkchat: interrupted; the output above is what had arrived\n")

    def _end_answer(self) -> None:
        self._end_reasoning()
        if self.out_tty and not self._answer_ends_with_newline:
            self.out.write("\n")
            self._answer_ends_with_newline = True

    def _style(self, text: str) -> str:
        return DIM + text + RESET if self.err_tty else text

    def event(self, event: TurnEvent, turn: Turn, hints: HintContext) -> None:
        """Print one of `turn`'s events; `hints` says where the request went, for errors."""
        if isinstance(event, ReasoningDelta):
            self.reasoning(event.text)
        elif isinstance(event, AnswerDelta):
            self.answer(event.text)
        elif isinstance(event, Usage):
            self.usage(event, turn)
        elif isinstance(event, Finished):
            self.finish(event.reason, turn)
        elif isinstance(event, RetryWait):
            self.retrying(event)
        elif isinstance(event, ReasoningWasAnswer):
            self.reasoning_was_answer()
        elif isinstance(event, StreamError):
            self.error(event.error, hint_for(event.error, hints))


def _flag(remedy: Remedy) -> str:
    """The flag that asks again the way `remedy` says."""
    if remedy.kind is RemedyKind.MAX_TOKENS:
        return f"--max-tokens {remedy.value}"
    if remedy.kind is RemedyKind.BUDGET:
        return f"--budget {remedy.value}"
    return "--no-think"


def usage_line(usage: Usage, turn: Turn) -> str:
    """`tokens: 11 in · 405 out (256 reasoning) · 0 cached · $0.0007 · thought 4.2 s · 6.1 s`
    (the cost where a price is known)."""
    parts = usage.summary_parts()
    if turn.cost is not None:
        parts.append(turn.cost.text())
    thought = turn.timings.thinking_duration
    if thought is not None:
        parts.append(f"thought {thought:.1f} s")
    if turn.budget_reached:
        parts.append(f"thinking stopped at budget {turn.settings.thinking_budget}")
    if turn.timings.total is not None:
        parts.append(f"{turn.timings.total:.1f} s")
    return "tokens: " + " · ".join(parts)
