"""Live token counts, estimated from the text of the deltas."""

from __future__ import annotations

import pytest

from thinkchat.catalog import Thinking
from thinkchat.chat.events import Usage
from thinkchat.chat.turn import Turn, TurnSettings
from thinkchat.ui.token_estimate import (
    SCALE_LIMITS,
    SCALE_TURNS,
    TokenEstimate,
    estimate_tokens,
    token_scale,
)

SETTINGS = TurnSettings(
    "qwen3-8b",
    "singapore",
    "openai",
    thinking=Thinking.ON,
    budget=None,
    enable_thinking=True,
    thinking_budget=None,
    expect_reasoning=True,
)


def test_english_is_about_four_characters_a_token():
    text = "Streaming answers arrive in pieces of any size. " * 25  # 1,200 characters
    assert estimate_tokens(text) == 300


def test_chinese_is_about_one_and_a_half_characters_a_token():
    assert estimate_tokens("思考" * 30) == 40
    # Mixed text: each part at its own rate (12 narrow characters, 6 wide ones).
    assert estimate_tokens("hello, world" + "你好世界你好") == 3 + 4


def test_the_estimate_does_not_depend_on_how_the_text_was_cut():
    text = "def solve(steps):\n    return [step() for step in steps]\n" * 10 + "中文" * 20
    whole, pieces = TokenEstimate(), TokenEstimate()
    whole.add(text)
    for start in range(0, len(text), 37):
        pieces.add(text[start : start + 37])
    assert pieces.tokens == whole.tokens == estimate_tokens(text)


def test_every_delta_counts_a_token_at_least():
    estimate = TokenEstimate()
    for piece in ("a", "b", "c", "", "d"):
        estimate.add(piece)
    assert (estimate.deltas, estimate.tokens) == (4, 4)  # the empty delta is not a token


def counted_turn(text: str, output_tokens: int | None) -> Turn:
    usage = None if output_tokens is None else Usage(output_tokens=output_tokens)
    return Turn.restored("q", SETTINGS, reasoning=text, answer="", usage=usage)


def test_the_scale_follows_the_service_counts_of_the_latest_turns():
    text = "x" * 400  # 100 estimated tokens
    assert token_scale([]) == 1.0
    assert token_scale([counted_turn(text, None), counted_turn(text, 0)]) == 1.0  # no counts
    older = [counted_turn(text, 300)] * 3
    latest = [counted_turn(text, 80)] * SCALE_TURNS
    assert token_scale(older + latest) == pytest.approx(0.8)
    assert token_scale([counted_turn(text, 100_000)]) == SCALE_LIMITS[1]


def test_a_scaled_estimate_still_counts_a_token_a_delta():
    estimate = TokenEstimate(scale=0.5)
    estimate.add("a" * 400)
    assert estimate.tokens == 50
    for _ in range(60):
        estimate.add("b")
    assert estimate.tokens == 61  # 61 deltas, each a token at least
