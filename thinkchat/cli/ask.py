"""`thinkchat ask`: one answer without the TUI, for scripts and pipes.

The answer goes to stdout and the reasoning to stderr, the usage to stderr at the end;
`--json` prints one event per line on stdout instead (see `ask_printer`). `--compare` asks
under several variants at once (see `ask_compare`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from contextlib import aclosing
from typing import IO, Any

from thinkchat.chat.attachments import AttachmentError, read_attachment
from thinkchat.chat.comparison import VariantProblem
from thinkchat.chat.events import StreamError
from thinkchat.chat.hints import HintContext
from thinkchat.chat.parameters import check_preset
from thinkchat.chat.request import PARAMETER_NAMES
from thinkchat.chat.session import ChatSession, ChatSettings, SettingsError
from thinkchat.chat.transport_registry import preload_in_background
from thinkchat.chat.turn import Turn
from thinkchat.chat.variants import VariantError
from thinkchat.cli.ask_printer import Printer
from thinkchat.cli.exit_codes import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from thinkchat.cli.options import load_settings
from thinkchat.config.errors import ConfigError
from thinkchat.config.settings import Config
from thinkchat.process.gc_pause import end_start_up


class UsageError(Exception):
    """Bad usage: reported in one line, exit code 2."""


def read_prompt(
    words: list[str],
    stdin: IO[bytes] | None,
    stdin_is_terminal: bool,
    attached: Sequence[str] = (),
) -> str:
    """The prompt from the command line, with standard input added when it is not a terminal,
    then the `attached` files (each fenced, see `Attachment.fenced`)."""
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
    prompt = "\n\n".join(part for part in (prompt, *attached) if part.strip())
    if not prompt.strip():
        raise UsageError('the prompt is empty: give one, e.g. thinkchat ask "why is the sky blue?"')
    return prompt


def hints_for(config: Config) -> Callable[[Turn], HintContext]:
    """Where a turn's request went, for the hint of what to do about its error."""

    def hints(turn: Turn) -> HintContext:
        settings = turn.settings
        return HintContext(settings.model, settings.region, config.host_root(settings.region))

    return hints


async def stream_answer(
    session: ChatSession, turn: Turn, printer: Printer, hints: HintContext
) -> int:
    """Stream one turn to the printer; the exit code."""
    exit_code = EXIT_OK
    started = False
    try:
        async with aclosing(session.run(turn)) as events:
            async for event in events:
                if not started:
                    started = True
                    end_start_up()  # the SDK is imported and connected: start-up is over
                printer.event(event, turn, hints)
                if isinstance(event, StreamError):
                    exit_code = EXIT_FAILED
    finally:
        printer.flush()
        await session.aclose()
    return exit_code


def run_ask(args: argparse.Namespace) -> int:
    """Run `thinkchat ask` with parsed arguments; returns the exit code."""
    err = sys.stderr
    simulator = None
    compare = getattr(args, "compare", None)
    try:
        config = load_settings(args)
        # The SDK's import is most of the wait for the first token: it goes on while the
        # prompt is read, the key command runs and the request is built.
        preload_in_background(config.transport)
        for warning in config.warnings:
            err.write(f"thinkchat: warning: {warning}\n")
        stdin = sys.stdin.buffer if sys.stdin is not None else None
        # Every file is read before anything is sent: one refused, and nothing is.
        attached = [read_attachment(path).fenced() for path in args.files]
        prompt = read_prompt(args.prompt, stdin, stdin is None or sys.stdin.isatty(), attached)
        if getattr(args, "demo", None):
            from thinkchat.cli.demo import start_demo

            simulator, config = start_demo(config)
            err.write("thinkchat: DEMO: answering from the built-in simulator, not Model Studio\n")
        session = config.chat_session()
        session.settings = _with_parameter_flags(session.settings, args)
        session.conversation.system_prompt = args.system or config.system_prompt
        work, interrupted = (
            _one_answer(session, prompt, args, config)
            if compare is None
            else _comparison(session, prompt, compare, args, config)
        )
    except (
        ConfigError,
        SettingsError,
        UsageError,
        VariantError,
        VariantProblem,
        AttachmentError,
    ) as exc:
        err.write(f"thinkchat: error: {exc}\n")
        if simulator:
            simulator.stop()
        return EXIT_USAGE
    try:
        return run_interruptibly(work)
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        interrupted()
        return EXIT_INTERRUPTED
    finally:
        if simulator:
            simulator.stop()


def run_interruptibly(work: Coroutine[Any, Any, int]) -> int:
    """`asyncio.run(work)`, where ctrl+c cancels `work` at an await and then raises
    KeyboardInterrupt. The handler is the event loop's, run by the loop between callbacks.
    Python's own (3.10's KeyboardInterrupt, and 3.11's `asyncio.run` handler alike) runs on
    whatever line the main thread is at: in a finalizer (an abandoned stream's generator,
    collected), its KeyboardInterrupt is printed and dropped, or its cancel does not take, and
    a stalled stream is then waited for forever."""

    async def cancelled_by_ctrl_c() -> int:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        interrupted = False

        def on_ctrl_c() -> None:
            nonlocal interrupted
            if interrupted:  # a second ctrl+c: stop at once, as asyncio.run's does
                raise KeyboardInterrupt
            interrupted = True
            task.cancel()

        loop.add_signal_handler(signal.SIGINT, on_ctrl_c)
        try:
            return await work
        except asyncio.CancelledError:
            if interrupted:
                raise KeyboardInterrupt from None
            raise
        finally:
            loop.remove_signal_handler(signal.SIGINT)

    return asyncio.run(cancelled_by_ctrl_c())


def _with_parameter_flags(settings: ChatSettings, args: argparse.Namespace) -> ChatSettings:
    """`settings` with the model parameters and the preset given as flags (for both modes:
    the flags are for this request, whether it thinks or not)."""
    given = {
        name: value for name in PARAMETER_NAMES if (value := getattr(args, name, None)) is not None
    }
    if given:
        settings = settings.with_changes(parameters=settings.parameters.with_changes(**given))
    if getattr(args, "preset", None) is not None:
        settings = settings.with_changes(preset=check_preset(args.preset))
    return settings


Work = tuple[Coroutine[Any, Any, int], Callable[[], None]]


def _one_answer(
    session: ChatSession, prompt: str, args: argparse.Namespace, config: Config
) -> Work:
    """The streaming of one answer, and what to say when it is interrupted."""
    notes = session.plan(prompt).notes
    turn = session.begin(prompt)
    printer = Printer(
        sys.stdout, sys.stderr, json_lines=args.json, hide_reasoning=args.hide_reasoning
    )
    if not args.json:
        for note in notes:
            printer.note(note)

    def interrupted() -> None:
        printer.interrupted()
        printer.flush()

    return stream_answer(session, turn, printer, hints_for(config)(turn)), interrupted


def _comparison(
    session: ChatSession, prompt: str, text: str, args: argparse.Namespace, config: Config
) -> Work:
    """The streaming of a comparison (`--compare text`), and what to say when interrupted."""
    from thinkchat.cli.ask_compare import ComparisonPrinter, begin_comparison

    printing = ComparisonPrinter(
        begin_comparison(session, prompt, text),
        sys.stdout,
        sys.stderr,
        json_lines=args.json,
        hide_reasoning=args.hide_reasoning,
        hints=hints_for(config),
    )
    return printing.run(), printing.interrupted
