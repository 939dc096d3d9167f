"""When thinking eats the answer: what happened to a turn cut short, in plain words, and the
ways to send it again with more room.

A turn is cut short when it ended at the output limit (`finish_reason` "length": the
reasoning counts against that limit, so a long thought can leave the answer cut or empty), or
when its thinking reached the budget and little or no answer came. Each remedy is a change of
the cut turn's own settings; the interfaces word them (a key's dialog, `ask`'s flags).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from thinkchat.catalog import Thinking, ThinkingKind, lookup
from thinkchat.chat.session import ChatSettings
from thinkchat.chat.turn import Turn, TurnStatus

# An answer of fewer tokens than this after thinking stopped at its budget is "little": about
# a sentence. Thinking cut by a budget usually leaves a real answer; one this short is more
# likely what was left than what was meant.
LITTLE_ANSWER_TOKENS = 20
# A smaller budget is a multiple of this: a round number a person would type.
BUDGET_STEP = 100
# The models whose thinking can be turned off.
HYBRID_KINDS = (ThinkingKind.HYBRID_OFF, ThinkingKind.HYBRID_ON)


class RemedyKind(str, Enum):
    MAX_TOKENS = "max_tokens"  # a larger output limit
    BUDGET = "budget"  # another thinking budget
    THINKING_OFF = "thinking_off"


@dataclass(frozen=True)
class Remedy:
    """One way to send a cut turn again: `kind` with `value` (tokens; None for thinking off),
    and `why` that value, in a few words."""

    kind: RemedyKind
    value: int | None
    why: str

    @property
    def words(self) -> str:
        """The change in words: "an output limit of 8,000 tokens", "thinking off"."""
        if self.kind is RemedyKind.MAX_TOKENS:
            return f"an output limit of {self.value:,} tokens"
        if self.kind is RemedyKind.BUDGET:
            return f"a thinking budget of {self.value:,} tokens"
        return "thinking off"

    def settings(self, turn: Turn, current: ChatSettings) -> ChatSettings:
        """The settings to send `turn` again with: its own model, region, transport, thinking
        and budget, the current model parameters, and this change."""
        asked = turn.settings
        settings = current.with_changes(
            model=asked.model,
            region=asked.region,
            transport=asked.transport,
            thinking=asked.thinking,
            budget=asked.budget,
        )
        if self.kind is RemedyKind.MAX_TOKENS:
            parameters = settings.parameters.with_changes(max_tokens=self.value)
            return settings.with_changes(parameters=parameters)
        if self.kind is RemedyKind.BUDGET:
            return settings.with_changes(budget=self.value)
        return settings.with_changes(thinking=Thinking.OFF)


@dataclass(frozen=True)
class CutShort:
    """What happened (`said`, in plain words) and the ways to send the turn again."""

    said: str
    remedies: tuple[Remedy, ...]

    @property
    def sentence(self) -> str:
        """`said` as a sentence: "Thinking used 3,980 of 4,000 output tokens; the answer was
        cut."."""
        return f"{self.said[0].upper()}{self.said[1:]}."


def cut_short(turn: Turn) -> CutShort | None:
    """How `turn` was cut short, or None when it was not (or has not finished)."""
    if turn.status is not TurnStatus.DONE:
        return None
    usage = turn.usage
    reasoning = usage.reasoning_tokens if usage else 0
    output = usage.output_tokens if usage else 0
    answer = output - reasoning
    thought = reasoning > 0 or bool(turn.reasoning)
    if turn.finish_reason == "length":
        return CutShort(_said_at_limit(turn, reasoning, output), _limit_remedies(turn, output))
    budget = turn.settings.thinking_budget
    if budget and turn.budget_reached and answer < LITTLE_ANSWER_TOKENS:
        said = f"thinking stopped at its budget of {budget:,} tokens and " + (
            f"the answer is only {answer:,} tokens" if turn.answer.strip() else "no answer came"
        )
        remedies = [
            Remedy(
                RemedyKind.BUDGET, budget * 2, "twice the budget: thinking was stopped unfinished"
            )
        ]
        if thought and lookup(turn.settings.model).kind in HYBRID_KINDS:
            remedies.append(_thinking_off())
        return CutShort(said, tuple(remedies))
    return None


def _said_at_limit(turn: Turn, reasoning: int, output: int) -> str:
    limit = turn.settings.parameters.max_tokens
    if not reasoning:
        return f"the answer was cut at the output limit ({(limit or output):,} tokens)"
    tokens = (
        f"{limit:,} output tokens" if limit else f"{output:,} output tokens the model may write"
    )
    if not turn.answer.strip():
        return f"thinking used all {tokens}; no answer came"
    return f"thinking used {reasoning:,} of {'' if limit else 'the '}{tokens}; the answer was cut"


def _limit_remedies(turn: Turn, output: int) -> tuple[Remedy, ...]:
    settings = turn.settings
    limit = settings.parameters.max_tokens
    thought = bool(turn.usage and turn.usage.reasoning_tokens) or bool(turn.reasoning)
    info = lookup(settings.model)
    remedies = []
    if limit:
        # With no limit of the user's, the cut came at the model's own, which cannot be raised.
        remedies.append(
            Remedy(
                RemedyKind.MAX_TOKENS,
                limit * 2,
                "twice the limit: as much again is left for the answer",
            )
        )
    budget = (limit or output) // 2 // BUDGET_STEP * BUDGET_STEP
    # Not offered where it would be no smaller than the budget already set.
    smaller = settings.thinking_budget is None or settings.thinking_budget > budget
    if thought and info.budget and budget and smaller:
        remedies.append(
            Remedy(
                RemedyKind.BUDGET,
                budget,
                "half the limit: the other half is left for the answer",
            )
        )
    if thought and info.kind in HYBRID_KINDS:
        remedies.append(_thinking_off())
    return tuple(remedies)


def _thinking_off() -> Remedy:
    return Remedy(RemedyKind.THINKING_OFF, None, "the whole output goes to the answer")
