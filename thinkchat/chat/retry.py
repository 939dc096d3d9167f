"""When and how long to wait before trying a failed request again.

Only failures before the first token are retried (rate limits, 5xx, connection failures): once
text has arrived, a new request would answer differently, so the turn keeps what it got and
the user decides. The transports' SDKs are told not to retry, so attempts never multiply.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from thinkchat.chat.errors import ChatError


@dataclass(frozen=True)
class RetryPolicy:
    """`retries` extra attempts, waiting `base` · 2^(n-1) seconds (at most `cap`), ± `jitter`.

    A `Retry-After` from the service replaces the computed wait (up to `max_retry_after`).
    """

    retries: int = 3
    base: float = 1.0
    cap: float = 30.0
    jitter: float = 0.25
    max_retry_after: float = 120.0
    random: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def should_retry(self, error: ChatError, attempt: int, text_arrived: bool) -> bool:
        """Whether to try again after `attempt` (1 for the first request) failed."""
        return error.retryable and not text_arrived and attempt <= self.retries

    def delay(self, error: ChatError, attempt: int) -> float:
        """Seconds to wait before attempt `attempt + 1`."""
        if error.retry_after is not None:
            return min(error.retry_after, self.max_retry_after)
        wait = min(self.cap, self.base * 2 ** (attempt - 1))
        # Spread the retries of many clients hit by the same outage.
        return wait * (1 + self.jitter * (2 * self.random() - 1))


NO_RETRIES = RetryPolicy(retries=0)
