"""Export a stored conversation as Markdown (to read or share) or JSON (for programs).

The JSON document, `to_json`, is a stable format; fields are only ever added:

    {
      "id": 12, "title": "…" | null,
      "model": "qwen-plus", "region": "singapore", "transport": "openai",
      "created_at": "2025-06-01T09:30:00+00:00", "updated_at": "…",   (ISO 8601, UTC)
      "system_prompt": "…" | null,
      "reasoning_included": true | false,    (false: exported without the reasoning, and
                                              every "reasoning" below is "")
      "turns": [                                                      (oldest first)
        {
          "prompt": "…", "reasoning": "…", "answer": "…",
          "status": "done" | "cancelled" | "failed",
          "settings": {"model", "region", "transport",
                       "thinking": "on" | "off" | "auto", "budget": int | null,
                       "enable_thinking": bool | null, "thinking_budget": int | null,
                       "expect_reasoning": bool, "soft_switch": "/think" | "/no_think" | null,
                       "parameters": {"temperature", "top_p", "top_k", "presence_penalty",
                                      "max_tokens", "seed": only those that were sent}},
          "usage": {"input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens",
                    "cost", "currency": only where a price was known when the turn ended}
                   | null,
          "timings": {"time_to_first_reasoning", "thinking_duration",
                      "time_to_first_answer", "total"},       (seconds, each may be null)
          "finish_reason": "stop" | "length" | … | null,
          "error": {"kind", "message", "status", "code", "request_id"} | null,
          "alternatives": [ … ]   (other answers for this place: turns of the same shape,
                                   without "alternatives"; asked with other settings, or for
                                   an earlier wording of the prompt; never sent to the model)
        }
      ]
    }
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

from thinkchat.chat.turn import Turn, TurnStatus
from thinkchat.history.rows import settings_record
from thinkchat.history.store import StoredConversation

_BACKTICKS = re.compile(r"`+")


def _local_time(moment: float) -> str:
    return datetime.fromtimestamp(moment).strftime("%Y-%m-%d %H:%M")


def _iso_time(moment: float) -> str:
    return datetime.fromtimestamp(moment, timezone.utc).isoformat(timespec="seconds")


def _fenced(text: str) -> str:
    """`text` in a code block whose fence no run of backticks inside it can close."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text.rstrip("\n")
    return f"{fence}text\n{body}\n{fence}"


def _reasoning_summary(turn: Turn) -> str:
    details = []
    if turn.usage is not None and turn.usage.reasoning_tokens:
        details.append(f"{turn.usage.reasoning_tokens:,} tokens")
    if turn.timings.thinking_duration is not None:
        details.append(f"thought for {turn.timings.thinking_duration:.1f} s")
    return f"Reasoning ({', '.join(details)})" if details else "Reasoning"


def _markdown_turn(number: int, turn: Turn, reasoning: bool) -> list[str]:
    parts = [f"## {number}. You", turn.prompt, *_markdown_answer(turn, reasoning)]
    for index, other in enumerate(turn.alternatives, start=1):
        parts.append(f"### {number}.{index}. Another answer ({other.settings.describe()})")
        if other.prompt != turn.prompt:
            parts.append("Asked as:\n\n" + _fenced(other.prompt))
        parts.extend(_markdown_answer(other, reasoning))
    return parts


def _markdown_answer(turn: Turn, reasoning: bool) -> list[str]:
    """A turn's reasoning (unless not `reasoning`), answer, usage, and how it ended, as
    Markdown blocks."""
    parts: list[str] = []
    if reasoning and turn.reasoning:
        # The reasoning sits in a code block inside the <details>, so nothing it contains
        # (HTML, headings, a stray </details>) can end the block early.
        parts.append(
            f"<details><summary>{_reasoning_summary(turn)}</summary>\n\n"
            f"{_fenced(turn.reasoning)}\n\n</details>"
        )
    if turn.answer:
        parts.append(turn.answer)
    if turn.usage is not None:
        usage = turn.usage
        cost = "" if turn.cost is None else f" · {turn.cost.text()}"
        parts.append(
            f"*{usage.input_tokens:,} input · {usage.output_tokens:,} output "
            f"({usage.reasoning_tokens:,} reasoning) · {usage.cached_tokens:,} cached tokens"
            f"{cost}*"
        )
    if turn.status is not TurnStatus.DONE:
        parts.append(f"**Status:** {turn.status.value}")
    if turn.error is not None:
        error = turn.error
        line = f"**Error:** {error.summary}"
        if error.request_id:
            line += f" (request id `{error.request_id}`)"
        parts.append(line)
    return parts


def to_markdown(stored: StoredConversation, *, reasoning: bool = True) -> str:
    """The conversation as a Markdown document, reasoning folded away under each prompt (or
    left out: not `reasoning`)."""
    conversation = stored.conversation
    total = conversation.cost_total.text()
    parts = [
        f"# {conversation.title or 'Untitled conversation'}",
        f"{stored.model} · {stored.region} · {stored.transport} · started "
        f"{_local_time(stored.created_at)} · last message {_local_time(stored.updated_at)}"
        + (f" · cost {total}" if total else "")
        + ("" if reasoning else " · reasoning not included"),
    ]
    if conversation.system_prompt:
        parts.append("**System prompt:**\n\n" + _fenced(conversation.system_prompt))
    for number, turn in enumerate(conversation.turns, start=1):
        parts.extend(_markdown_turn(number, turn, reasoning))
    return "\n\n".join(parts) + "\n"


def _turn_document(turn: Turn, reasoning: bool) -> dict[str, object]:
    return {
        **_answer_document(turn, reasoning),
        "alternatives": [_answer_document(other, reasoning) for other in turn.alternatives],
    }


def _answer_document(turn: Turn, reasoning: bool) -> dict[str, object]:
    usage, error, timings = turn.usage, turn.error, turn.timings
    return {
        "prompt": turn.prompt,
        "reasoning": turn.reasoning if reasoning else "",
        "answer": turn.answer,
        "status": turn.status.value,
        "settings": settings_record(turn.settings),
        "usage": None if usage is None else {**usage.as_dict(), **_cost(turn)},
        "timings": {
            "time_to_first_reasoning": timings.time_to_first_reasoning,
            "thinking_duration": timings.thinking_duration,
            "time_to_first_answer": timings.time_to_first_answer,
            "total": timings.total,
        },
        "finish_reason": turn.finish_reason,
        "error": None
        if error is None
        else {
            "kind": error.kind.value,
            "message": error.message,
            "status": error.status,
            "code": error.code,
            "request_id": error.request_id,
        },
    }


def _cost(turn: Turn) -> dict[str, object]:
    return {} if turn.cost is None else turn.cost.as_dict()


def export_file_name(stored: StoredConversation, format: str) -> str:
    """A file name for `stored` in `format` ("md" or "json"), after its id and title."""
    title = stored.conversation.title or "conversation"
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower())
    return f"thinkchat-{stored.conversation.id}-{slug.strip('-')[:40]}.{format}"


def export_text(stored: StoredConversation, format: str, *, reasoning: bool = True) -> str:
    """`stored` as a document in `format` ("md" or "json"), with or without the reasoning."""
    if format == "json":
        return to_json(stored, reasoning=reasoning) + "\n"
    return to_markdown(stored, reasoning=reasoning)


def write_export(
    stored: StoredConversation, format: str, path: Path, *, reasoning: bool = True
) -> None:
    """Write `stored` in `format` to `path`. Raises `OSError` when it cannot be written."""
    path.write_text(export_text(stored, format, reasoning=reasoning), encoding="utf-8")


def to_json(stored: StoredConversation, *, reasoning: bool = True) -> str:
    """The conversation as the JSON document described at the top of this module (every
    turn's reasoning "" when not `reasoning`)."""
    conversation = stored.conversation
    document = {
        "id": conversation.id,
        "title": conversation.title,
        "model": stored.model,
        "region": stored.region,
        "transport": stored.transport,
        "created_at": _iso_time(stored.created_at),
        "updated_at": _iso_time(stored.updated_at),
        "system_prompt": conversation.system_prompt,
        "reasoning_included": reasoning,
        "turns": [_turn_document(turn, reasoning) for turn in conversation.turns],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
