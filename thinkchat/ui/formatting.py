"""Words and numbers as the chat screen shows them: summaries of thinking, usage, settings."""

from __future__ import annotations

from thinkchat.catalog import ThinkingKind, ThinkingPlan, lookup
from thinkchat.chat.figures import count, seconds
from thinkchat.chat.turn import Turn, TurnStatus


def reasoning_tokens(turn: Turn, live_estimate: int) -> str:
    """The turn's reasoning tokens as the service counted them, or "~" and the live estimate
    while it has not (it counts at the end of the stream)."""
    if turn.usage is not None:
        return count(turn.usage.reasoning_tokens)
    return f"~{count(live_estimate)}"


def thinking_summary(turn: Turn, live_reasoning_tokens: int = 0) -> str:
    """The one-line summary of a turn's thinking shown above its answer."""
    timings = turn.timings
    tokens = reasoning_tokens(turn, live_reasoning_tokens)
    if turn.status is TurnStatus.STREAMING:
        if timings.first_reasoning is None:
            return "No thinking" if timings.first_answer else "Waiting for the model…"
        if timings.first_answer is None:
            return f"Thinking… {tokens} tokens"
        return f"Thought for {seconds(timings.thinking_duration)} · {tokens} reasoning tokens"
    if not turn.reasoning and not turn.answer and turn.status is not TurnStatus.DONE:
        failed = turn.status is TurnStatus.FAILED
        return f"{'Failed' if failed else 'Stopped'} before any output"
    if not turn.reasoning:
        return "No thinking"
    duration = seconds(timings.thinking_duration)
    if turn.budget_reached:
        return (
            f"Thinking stopped at budget {count(turn.settings.thinking_budget or 0)} · {duration}"
        )
    if timings.first_answer is None and turn.status is TurnStatus.CANCELLED:
        return f"Thinking stopped after {duration} · {tokens} tokens so far"
    return f"Thought for {duration} · {tokens} reasoning tokens"


def thinking_label(model: str, enabled: bool, plan: ThinkingPlan | None = None) -> str:
    """What the status line says about thinking for `model`, soft switch included."""
    kind = lookup(model).kind
    if kind is ThinkingKind.THINKING_ONLY:
        return "on (locked)"
    label = "on" if enabled else "off"
    if kind is ThinkingKind.NONE and enabled:
        # Assumed unable to think (an older snapshot), and asked to all the same.
        label += " (may not think)"
    if plan is not None and plan.soft_switch is not None:
        label += f", {plan.soft_switch.value} → {'on' if plan.thinking else 'off'}"
    return label


def turn_caption(turn: Turn, number: int, live_reasoning_tokens: int) -> str:
    """The reasoning panel's caption for a turn: "turn 3 · 312 tokens · done"."""
    state = {
        TurnStatus.STREAMING: "streaming",
        TurnStatus.DONE: "done",
        TurnStatus.CANCELLED: "stopped",
        TurnStatus.FAILED: "failed",
    }[turn.status]
    if turn.timings.first_reasoning is None:
        if turn.timings.first_answer is not None:
            thought = "no thinking"
        else:
            thought = "no output" if turn.finished else "waiting"
        return f"turn {number} · {thought} · {state}"
    tokens = reasoning_tokens(turn, live_reasoning_tokens)
    return f"turn {number} · {tokens} tokens · {state}"
