"""Tokens estimated from a stream's text, for the live figures shown before the service counts.

Compatible mode reports usage only once the stream has ended (the engine hands on the native
protocol's count at the end too), so while a turn streams its tokens are estimated. Counting
deltas is not enough: one delta can carry many tokens (a fast service batches them), and a
stream of 20-token deltas would show a twentieth of its real rate. Text length is a better
guide: about four characters a token in English and code, and about one and a half in Chinese,
Japanese and Korean, for the tokenizers of the models served. A delta holds one token at least,
which keeps short deltas of long words from being under-counted. Once the service has counted
some turns of the conversation, the estimate is scaled to agree with its counts (another
tokenizer, another language).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from thinkchat.chat.turn import Turn

CHARS_PER_TOKEN = 4.0
WIDE_CHARS_PER_TOKEN = 1.5
SCALE_TURNS = 5  # the latest counted turns the scale is taken from
SCALE_LIMITS = (0.25, 4.0)
# Hangul, CJK (radicals to unified ideographs, with kana), compatibility ideographs, full width.
# Left to `re` to compile and keep at the first text that is not ASCII: a class this wide is
# slow to compile, and start-up should not pay for it at every launch.
_WIDE = "[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef]"


@dataclass
class TokenEstimate:
    """A running estimate of the tokens in one phase (reasoning or answer) of a stream."""

    scale: float = 1.0  # the service's tokens for each estimated one (see `token_scale`)
    deltas: int = 0
    chars: int = 0
    wide_chars: int = 0

    def add(self, text: str) -> None:
        """Count one delta's text."""
        if not text:
            return
        self.deltas += 1
        self.chars += len(text)
        if not text.isascii():  # most deltas are ASCII: no search for them
            self.wide_chars += len(re.findall(_WIDE, text))

    @property
    def tokens(self) -> int:
        narrow = self.chars - self.wide_chars
        by_length = narrow / CHARS_PER_TOKEN + self.wide_chars / WIDE_CHARS_PER_TOKEN
        return max(self.deltas, round(by_length * self.scale))


def estimate_tokens(text: str) -> int:
    """The estimate for a whole text (a stored turn's reasoning, say)."""
    estimate = TokenEstimate()
    estimate.add(text)
    return estimate.tokens


def token_scale(turns: Sequence[Turn]) -> float:
    """The service's output tokens for each estimated one, over the latest turns it counted."""
    latest = [turn for turn in turns if turn.usage and turn.usage.output_tokens][-SCALE_TURNS:]
    counted = sum(turn.usage.output_tokens for turn in latest if turn.usage)
    estimated = sum(
        estimate_tokens(turn.reasoning) + estimate_tokens(turn.answer) for turn in latest
    )
    if not estimated:
        return 1.0
    low, high = SCALE_LIMITS
    return min(max(counted / estimated, low), high)
