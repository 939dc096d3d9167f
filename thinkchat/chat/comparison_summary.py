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

from thinkchat.chat.figures import count, seconds
from thinkchat.chat.turn import Turn, TurnStatus

BETTER_MEANS = "lower times, tokens and cost; more cached tokens"


class Better(Enum):
    LOWER = "lower"
    HIGHER = "higher"


@dataclass(frozen=True)
class LiveTokens:
    """A streaming variant's tokens, estimated until the service counts them at the end."""

    reasoning: int
    answer: int


@dataclass(frozen=True)
class SummaryRow:
    """One figure for every variant: the cells as shown, and which of them are better."""

    name: str
    cells: tuple[str, ...]
    best: frozenset[int] = frozenset()


@dataclass(frozen=True)
class _Figure:
    name: str
    value: Callable[[Turn], float | None]
    shown: Callable[[float], str]
    better: Better
    # The estimate shown while the service has not counted yet (None: nothing to estimate).
    live: Callable[[LiveTokens], int] | None = None


def _usage(field: str) -> Callable[[Turn], float | None]:
    def value(turn: Turn) -> float | None:
        return None if turn.usage is None else getattr(turn.usage, field)

    return value


def _count(value: float) -> str:
    return count(int(value))


_FIGURES = (
    _Figure("first token", lambda turn: turn.timings.time_to_first_token, seconds, Better.LOWER),
    _Figure("whole answer", lambda turn: turn.timings.total, seconds, Better.LOWER),
    _Figure("input tokens", _usage("input_tokens"), _count, Better.LOWER),
    _Figure(
        "output tokens",
        _usage("output_tokens"),
        _count,
        Better.LOWER,
        live=lambda live: live.reasoning + live.answer,
    ),
    _Figure(
        "reasoning tokens",
        _usage("reasoning_tokens"),
        _count,
        Better.LOWER,
        live=lambda live: live.reasoning,
    ),
    _Figure("cached tokens", _usage("cached_tokens"), _count, Better.HIGHER),
    # COST (issue 21, section 2): a "cost" row goes here, Better.LOWER, from the cost work's
    # public function of a turn; until it lands the comparison shows tokens only.
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
    tokens of the variants still streaming, shown with a `~`."""
    rows = []
    for figure in _FIGURES:
        cells = []
        values: dict[int, tuple[float, str]] = {}
        for index, turn in enumerate(turns):
            value = figure.value(turn)
            estimate = live[index] if live else None
            if value is not None:
                cells.append(figure.shown(value))
                if turn.status is TurnStatus.DONE:
                    values[index] = (value, cells[-1])
            elif figure.live is not None and estimate is not None and not turn.finished:
                cells.append(f"~{figure.shown(figure.live(estimate))}")
            else:
                cells.append("–")
        rows.append(SummaryRow(figure.name, tuple(cells), _best(values, figure.better)))
    rows.append(SummaryRow("ended", tuple(ending(turn) for turn in turns)))
    return rows


def _best(values: dict[int, tuple[float, str]], better: Better) -> frozenset[int]:
    """The variants whose figure is better than some other's as shown: figures that read the
    same (0.71 s and 0.74 s are both "0.7 s") are as good as each other."""
    if len({shown for _, shown in values.values()}) < 2:
        return frozenset()
    pick = min if better is Better.LOWER else max
    _, top = pick(values.values())
    return frozenset(index for index, (_, shown) in values.items() if shown == top)
