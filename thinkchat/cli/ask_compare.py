"""`thinkchat ask --compare VARIANTS`: one prompt under several variants, for scripts and pipes.

The variants stream at once, but each is printed whole and in order, as if they had been
asked one after another: the first as it arrives, each later one kept (in memory) until those
before it have ended, then printed at once and followed live. Each answer goes to stdout under
a header, its reasoning to stderr; the comparison table goes to stderr at the end. With
`--json` each variant opens with `{"type": "variant", "variant": i, "label", "settings"}` and
every event carries `"variant": i`, in the same order.

Exit code: 1 when any variant failed (the others are printed whole all the same), 0 when all
answered.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from contextlib import aclosing
from typing import IO

from thinkchat.chat.comparison import Comparison
from thinkchat.chat.comparison_summary import BETTER_MEANS, SummaryRow, summary_rows
from thinkchat.chat.events import Finished, StreamError
from thinkchat.chat.hints import HintContext
from thinkchat.chat.session import ChatSession
from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.chat.turn import Turn, TurnStatus
from thinkchat.chat.variants import VariantError, parse_variants
from thinkchat.cli.ask_printer import Printer
from thinkchat.cli.exit_codes import EXIT_FAILED, EXIT_OK
from thinkchat.history.rows import settings_record
from thinkchat.process.gc_pause import end_start_up

BEST_MARK = "*"


def begin_comparison(session: ChatSession, prompt: str, text: str) -> Comparison:
    """The comparison `--compare text` asks for; raises `VariantError` (bad syntax, said as
    the flag's) or `VariantProblem` (a variant that cannot be asked) before anything is sent."""
    try:
        variants = parse_variants(text)
    except VariantError as problem:
        raise VariantError(f"--compare {text}: {problem}") from None
    return Comparison.begin(session, prompt, variants)


class _Tape:
    """A stream's writes kept, in order with its sibling's, to be played later."""

    def __init__(self, real: IO[str], log: deque[tuple[IO[str], str]]) -> None:
        self._real = real
        self._log = log

    def write(self, text: str) -> int:
        self._log.append((self._real, text))
        return len(text)

    def isatty(self) -> bool:
        return self._real.isatty()

    def flush(self) -> None:
        """Kept until played."""


class ComparisonPrinter:
    """Prints a comparison's variants one after another while they stream at once."""

    def __init__(
        self,
        comparison: Comparison,
        out: IO[str],
        err: IO[str],
        *,
        json_lines: bool,
        hide_reasoning: bool,
        hints: Callable[[Turn], HintContext],
    ) -> None:
        self.comparison = comparison
        self._out = out
        self._err = err
        self._json_lines = json_lines
        self._hints = [hints(turn) for turn in comparison.turns]
        self._logs: list[deque[tuple[IO[str], str]]] = []
        self.printers: list[Printer] = []
        for index in range(len(comparison.turns)):
            log: deque[tuple[IO[str], str]] = deque()
            live = index == 0
            printer = Printer(
                out if live else _Tape(out, log),  # type: ignore[arg-type]
                err if live else _Tape(err, log),  # type: ignore[arg-type]
                json_lines=json_lines,
                hide_reasoning=hide_reasoning,
                variant=index,
            )
            self._logs.append(log)
            self.printers.append(printer)
            self._open(index)
        self._live = 0  # the variant printed as it arrives; the later ones are kept
        # Which variants' last event has been printed (their turns may be ahead: they record
        # events as they arrive, before this prints them).
        self._ended = [False] * len(comparison.turns)

    def _open(self, index: int) -> None:
        """The variant's header, and what the user should know about its settings."""
        printer, turn = self.printers[index], self.comparison.turns[index]
        label = self.comparison.variants[index].label
        if self._json_lines:
            printer.opening({"label": label, "settings": settings_record(turn.settings)})
            return
        count = len(self.comparison.turns)
        title = f"variant {index + 1} of {count}: {label} ({turn.settings.describe()})"
        printer.header(safe_for_terminal(title), first=index == 0)
        for note in self.comparison.notes(index):
            printer.note(note)

    async def run(self) -> int:
        """Stream every variant and print it; the exit code."""
        turns = self.comparison.turns
        started = False
        try:
            async with aclosing(self.comparison.stream()) as events:
                async for index, event in events:
                    if not started:
                        started = True
                        end_start_up()  # an SDK is imported and connected: start-up is over
                    self.printers[index].event(event, turns[index], self._hints[index])
                    if isinstance(event, (Finished, StreamError)):  # its last event
                        self._ended[index] = True
                        self._release()
        finally:
            # Ended, or interrupted: what every variant had is printed, in order.
            self._release(everything=True)
            await self.comparison.session.aclose()
        self._err.write(comparison_table(self.comparison) + "\n")
        self._err.flush()
        failed = any(turn.status is TurnStatus.FAILED for turn in turns)
        return EXIT_FAILED if failed else EXIT_OK

    def interrupted(self) -> None:
        """Ctrl+C: every variant prints what it had, in order, then says so."""
        # `run` has released them all, unless the ctrl+c came in the middle of that (Python
        # 3.10 raises it on any line): what is left is printed here.
        self._release(everything=True)
        last = self.printers[-1]
        last.interrupted()
        last.flush()

    def _release(self, *, everything: bool = False) -> None:
        """Print the variants whose turn has come: each after the one before it ended."""
        count = len(self.printers)
        while self._live < count:
            # What the variant printed as it came is kept until now (or until the rest of a
            # replay that a ctrl+c cut short).
            self._replay(self._live)
            if not everything and not self._ended[self._live]:
                return
            self.printers[self._live].end_variant()
            self._live += 1
            if self._live < count:
                # The next variant writes to the real streams from now on, after what it kept.
                self.printers[self._live].out = self._out
                self.printers[self._live].err = self._err
        self._out.flush()
        self._err.flush()

    def _replay(self, index: int) -> None:
        """Print what variant `index` kept, each write once, however often this is called."""
        log = self._logs[index]
        while log:
            stream, text = log.popleft()
            stream.write(text)


def comparison_table(comparison: Comparison) -> str:
    """The summary rows as a plain text table, the better figures marked."""
    rows = summary_rows(comparison.turns)
    heading = SummaryRow(
        "variant",
        tuple(
            f"{index + 1} {safe_for_terminal(variant.label)}"
            for index, variant in enumerate(comparison.variants)
        ),
    )
    table = [heading, *rows]
    cells = [
        [
            row.name,
            *(cell + (BEST_MARK if i in row.best else "") for i, cell in enumerate(row.cells)),
        ]
        for row in table
    ]
    widths = [max(len(line[column]) for line in cells) for column in range(len(cells[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in cells
    ]
    return "\n".join(["comparison:", *lines, f"{BEST_MARK} better: {BETTER_MEANS}"])
