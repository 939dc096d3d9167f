"""The figures a comparison is judged by, one row each, with the better figure marked.

The same rows make the chat's summary under the columns and `ask --compare`'s table on stderr.
Better means cheaper and sooner: a lower time to the first token and to the whole answer,
fewer tokens (input, output, reasoning), a lower cost; and more cached tokens (billed at a
lower price). A figure is marked only among variants that finished, and only where they
differ: a failed or stopped variant's counts say nothing about its settings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from thinkchat.chat.cost import Cost
from thinkchat.chat.figures import count, seconds
from thinkchat.chat.turn import Turn, TurnStatus

BETTER_MEANS = "lower times, tokens and cost; more cached tokens"


class Better(Enum):
    LOWER = "lower"
    HIGHER = "higher"


@dataclass(frozen=True)
class LiveTokens:
    """A streaming variant's tokens (and cost), estimated until the service counts them at the
    end."""

    reasoning: int
    answer: int
    cost: Cost | None = None


@dataclass(frozen=True)
class SummaryRow:
    """One figure for every variant: the cells as shown, and which of them are better."""

    name: str
    cells: tuple[str, ...]
    best: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Reading:
    """A figure of one variant: its number, as shown, and its unit (figures in different
    units, costs in two currencies, are not compared)."""

    number: float
    shown: str
    unit: str = ""


@dataclass(frozen=True)
class _Figure:
    name: str
    read: Callable[[Turn], Reading | None]
    better: Better
    # The estimate shown while the service has not counted yet (None: nothing to estimate).
    live: Callable[[LiveTokens], str | None] | None = None


def _time(timing: Callable[[Turn], float | None]) -> Callable[[Turn], Reading | None]:
    def read(turn: Turn) -> Reading | None:
        value = timing(turn)
        return None if value is None else Reading(value, seconds(value))

    return read


def _tokens(field: str) -> Callable[[Turn], Reading | None]:
    def read(turn: Turn) -> Reading | None:
        if turn.usage is None:
            return None
        value = getattr(turn.usage, field)
        return Reading(value, count(value))

    return read


def _cost(turn: Turn) -> Reading | None:
    cost = turn.cost
    return None if cost is None else Reading(cost.amount, cost.text(), cost.currency)


_FIGURES = (
    _Figure("first token", _time(lambda turn: turn.timings.time_to_first_token), Better.LOWER),
    _Figure("whole answer", _time(lambda turn: turn.timings.total), Better.LOWER),
    _Figure("input tokens", _tokens("input_tokens"), Better.LOWER),
    _Figure(
        "output tokens",
        _tokens("output_tokens"),
        Better.LOWER,
        live=lambda live: f"~{count(live.reasoning + live.answer)}",
    ),
    _Figure(
        "reasoning tokens",
        _tokens("reasoning_tokens"),
        Better.LOWER,
        live=lambda live: f"~{count(live.reasoning)}",
    ),
    _Figure("cached tokens", _tokens("cached_tokens"), Better.HIGHER),
    # A model without a price has no cost: "–" (tokens only).
    _Figure(
        "cost",
        _cost,
        Better.LOWER,
        live=lambda live: None if live.cost is None else live.cost.text(),
    ),
)


def ending(turn: Turn) -> str:
    """How a variant ended, in a word or two."""
    if turn.status is TurnStatus.STREAMING:
        return "streaming…"
    if turn.status is TurnStatus.CANCELLED:
        return "stopped"
    if turn.status is TurnStatus.FAILED:
        code = (turn.error.code or turn.error.status) if turn.error else None
        return f"failed ({code})" if code else "failed"
    return "cut at the output limit" if turn.finish_reason == "length" else "done"


def summary_rows(
    turns: Sequence[Turn], live: Sequence[LiveTokens | None] | None = None
) -> list[SummaryRow]:
    """The comparison's rows for `turns` (the variants in order); `live` gives the estimated
    tokens (and cost) of the variants still streaming, shown with a `~`."""
    rows = []
    for figure in _FIGURES:
        cells = []
        readings: dict[int, Reading] = {}
        for index, turn in enumerate(turns):
            reading = figure.read(turn)
            estimate = live[index] if live else None
            shown = None
            if reading is not None:
                shown = reading.shown
                if turn.status is TurnStatus.DONE:
                    readings[index] = reading
            elif figure.live is not None and estimate is not None and not turn.finished:
                shown = figure.live(estimate)
            cells.append(shown or "–")
        rows.append(SummaryRow(figure.name, tuple(cells), _best(readings, figure.better)))
    rows.append(SummaryRow("ended", tuple(ending(turn) for turn in turns)))
    return rows


def _best(readings: dict[int, Reading], better: Better) -> frozenset[int]:
    """The variants whose figure is better than some other's as shown: figures that read the
    same (0.71 s and 0.74 s are both "0.7 s") are as good as each other, and figures in other
    units (two currencies) are not compared."""
    if len({reading.unit for reading in readings.values()}) > 1:
        return frozenset()
    if len({reading.shown for reading in readings.values()}) < 2:
        return frozenset()
    pick = min if better is Better.LOWER else max
    top = pick(readings.values(), key=lambda reading: reading.number).shown
    return frozenset(index for index, reading in readings.items() if reading.shown == top)
