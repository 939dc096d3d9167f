"""The errors every transport reports the same way, whatever its SDK raised."""

from __future__ import annotations

import time
from collections.abc import Mapping

from thinkchat.chat.errors import ChatError, ErrorKind


def ended_early() -> ChatError:
    """The stream ended without a finish reason."""
    return ChatError(
        ErrorKind.INTERRUPTED,
        "The stream ended before the model finished (no finish reason was sent).",
        code="StreamEnded",
    )


def malformed(detail: str, request_id: str | None) -> ChatError:
    """The error for data that does not follow the protocol."""
    if len(detail) > 200:
        detail = detail[:200] + "…"
    return ChatError(
        ErrorKind.MALFORMED,
        f"The service sent malformed data: {detail}",
        code="Malformed",
        request_id=request_id,
    )


def timed_out(opened: bool, request_id: str | None) -> ChatError:
    """No bytes for longer than the read timeout (or the connect timeout, before `opened`)."""
    where = "in the middle of the stream" if opened else "while connecting"
    return ChatError(
        ErrorKind.TIMEOUT,
        f"The service stopped sending {where} and the timeout ran out.",
        code="Timeout",
        request_id=request_id,
    )


def dropped(request_id: str | None) -> ChatError:
    """The connection broke in the middle of the stream."""
    return ChatError(
        ErrorKind.INTERRUPTED,
        "The connection dropped in the middle of the stream.",
        code="ConnectionDropped",
        request_id=request_id,
    )


def unreachable(url: str) -> ChatError:
    """No connection to `url` at all."""
    return ChatError(ErrorKind.CONNECTION, f"Could not connect to {url}.", code="ConnectionError")


def parse_retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds to wait from `Retry-After` (seconds or HTTP date) or `retry-after-ms`."""
    if not headers:
        return None
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(float(milliseconds) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    # Imported here: only a rate-limited request ever needs it, and start-up should not pay.
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)
