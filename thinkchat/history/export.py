"""Export a stored conversation as Markdown (to read or share) or JSON (for programs).

The JSON document, `to_json`, is a stable format; fields are only ever added:

    {
      "id": 12, "title": "…" | null,
      "model": "qwen-plus", "region": "singapore", "transport": "openai",
      "created_at": "2025-06-01T09:30:00+00:00", "updated_at": "…",   (ISO 8601, UTC)
      "system_prompt": "…" | null,
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


def _markdown_turn(number: int, turn: Turn) -> list[str]:
    parts = [f"## {number}. You", turn.prompt, *_markdown_answer(turn)]
    for index, other in enumerate(turn.alternatives, start=1):
        parts.append(f"### {number}.{index}. Another answer ({other.settings.describe()})")
        if other.prompt != turn.prompt:
            parts.append("Asked as:\n\n" + _fenced(other.prompt))
        parts.extend(_markdown_answer(other))
    return parts


def _markdown_answer(turn: Turn) -> list[str]:
    """A turn's reasoning, answer, usage, and how it ended, as Markdown blocks."""
    parts: list[str] = []
    if turn.reasoning:
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


def to_markdown(stored: StoredConversation) -> str:
    """The conversation as a Markdown document, reasoning folded away under each prompt."""
    conversation = stored.conversation
    total = conversation.cost_total.text()
    parts = [
        f"# {conversation.title or 'Untitled conversation'}",
        f"{stored.model} · {stored.region} · {stored.transport} · started "
        f"{_local_time(stored.created_at)} · last message {_local_time(stored.updated_at)}"
        + (f" · cost {total}" if total else ""),
    ]
    if conversation.system_prompt:
        parts.append("**System prompt:**\n\n" + _fenced(conversation.system_prompt))
    for number, turn in enumerate(conversation.turns, start=1):
        parts.extend(_markdown_turn(number, turn))
    return "\n\n".join(parts) + "\n"


def _turn_document(turn: Turn) -> dict[str, object]:
    return {
        **_answer_document(turn),
        "alternatives": [_answer_document(other) for other in turn.alternatives],
    }


def _answer_document(turn: Turn) -> dict[str, object]:
    usage, error, timings = turn.usage, turn.error, turn.timings
    return {
        "prompt": turn.prompt,
        "reasoning": turn.reasoning,
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


def export_to_file(stored: StoredConversation, format: str, folder: Path) -> Path:
    """Write `stored` in `format` ("md" or "json") to a file in `folder` named after its id and
    title; returns the file's path. Raises `OSError` when it cannot be written."""
    title = stored.conversation.title or "conversation"
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower())
    path = folder / f"thinkchat-{stored.conversation.id}-{slug.strip('-')[:40]}.{format}"
    text = to_markdown(stored) if format == "md" else to_json(stored)
    path.write_text(text, encoding="utf-8")
    return path


def to_json(stored: StoredConversation) -> str:
    """The conversation as the JSON document described at the top of this module."""
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
        "turns": [_turn_document(turn) for turn in conversation.turns],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
