"""`thinkchat ask`: one answer without the TUI, for scripts and pipes.

The answer goes to stdout and the reasoning to stderr (dimmed on a terminal), the usage to
stderr at the end; `--json` prints one event per line on stdout instead. Text shown as
reasoning that turns out to be the answer (inline `<think>` text that never closed) is said
to be so on stderr, and the answer is printed once, on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from contextlib import aclosing
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
    Usage,
)
from thinkchat.chat.hints import HintContext, hint_for
from thinkchat.chat.session import ChatSession, SettingsError
from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.chat.turn import Turn
from thinkchat.cli.exit_codes import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from thinkchat.cli.options import load_settings
from thinkchat.config.errors import ConfigError
from thinkchat.config.settings import Config
from thinkchat.process.gc_pause import end_start_up

DIM = "\x1b[2m"
RESET = "\x1b[0m"
# Output is flushed this long after it was written (a trailing-edge flush): often enough to
# look live in a pipe, rarely enough not to cost a system call per token.
FLUSH_DELAY = 0.03


class UsageError(Exception):
    """Bad usage: reported in one line, exit code 2."""


def read_prompt(words: list[str], stdin: IO[bytes] | None, stdin_is_terminal: bool) -> str:
    """The prompt from the command line, with standard input added when it is not a terminal."""
    prompt = " ".join(words).strip()
    if stdin is not None and not stdin_is_terminal:
        raw = stdin.read()
        try:
            piped = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UsageError(
                f"standard input is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
                f"{exc.start}); convert it first, e.g. with 'iconv -f latin1 -t utf-8'"
            ) from None
        piped = piped.strip("\n")
        prompt = f"{prompt}\n\n{piped}" if prompt and piped.strip() else prompt or piped
    if not prompt.strip():
        raise UsageError('the prompt is empty: give one, e.g. thinkchat ask "why is the sky blue?"')
    return prompt


class _Printer:
    """Writes the turn's events to stdout and stderr, as text or as JSON lines."""

    def __init__(self, out: IO[str], err: IO[str], *, json_lines: bool, hide_reasoning: bool):
        self.out = out
        self.err = err
        self.json_lines = json_lines
        self.hide_reasoning = hide_reasoning
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
        self.out.write(f'{{"type": "{kind}", "text": {encode_basestring(text)}}}\n')

    def _json(self, event: dict[str, Any]) -> None:
        self.out.write(json.dumps(event, ensure_ascii=False) + "\n")

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


async def stream_answer(session: ChatSession, turn: Turn, printer: _Printer, config: Config) -> int:
    """Stream one turn to the printer; the exit code."""
    exit_code = EXIT_OK
    started = False
    try:
        async with aclosing(session.run(turn)) as events:
            async for event in events:
                if not started:
                    started = True
                    end_start_up()  # the SDK is imported and connected: start-up is over
                if isinstance(event, ReasoningDelta):
                    printer.reasoning(event.text)
                elif isinstance(event, AnswerDelta):
                    printer.answer(event.text)
                elif isinstance(event, Usage):
                    printer.usage(event, turn)
                elif isinstance(event, Finished):
                    printer.finish(event.reason, turn)
                elif isinstance(event, RetryWait):
                    printer.retrying(event)
                elif isinstance(event, ReasoningWasAnswer):
                    printer.reasoning_was_answer()
                elif isinstance(event, StreamError):
                    context = HintContext(
                        turn.settings.model,
                        turn.settings.region,
                        config.host_root(turn.settings.region),
                    )
                    printer.error(event.error, hint_for(event.error, context))
                    exit_code = EXIT_FAILED
    finally:
        printer.flush()
        await session.aclose()
    return exit_code


def run_ask(args: argparse.Namespace) -> int:
    """Run `thinkchat ask` with parsed arguments; returns the exit code."""
    err = sys.stderr
    simulator = None
    try:
        config = load_settings(args)
        for warning in config.warnings:
            err.write(f"thinkchat: warning: {warning}\n")
        stdin = sys.stdin.buffer if sys.stdin is not None else None
        prompt = read_prompt(args.prompt, stdin, stdin is None or sys.stdin.isatty())
        if getattr(args, "demo", None):
            from thinkchat.cli.demo import start_demo

            simulator, config = start_demo(config)
            err.write("thinkchat: DEMO: answering from the built-in simulator, not Model Studio\n")
        session = config.chat_session()
        if args.max_tokens:
            parameters = session.settings.parameters.with_changes(max_tokens=args.max_tokens)
            session.settings = session.settings.with_changes(parameters=parameters)
        session.conversation.system_prompt = args.system or config.system_prompt
        notes = session.plan(prompt).notes
        turn = session.begin(prompt)
    except (ConfigError, SettingsError, UsageError) as exc:
        err.write(f"thinkchat: error: {exc}\n")
        if simulator:
            simulator.stop()
        return EXIT_USAGE
    printer = _Printer(sys.stdout, err, json_lines=args.json, hide_reasoning=args.hide_reasoning)
    if not args.json:
        for note in notes:
            printer.note(note)
    try:
        return asyncio.run(stream_answer(session, turn, printer, config))
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        printer.interrupted()
        printer.flush()
        return EXIT_INTERRUPTED
    finally:
        if simulator:
            simulator.stop()
