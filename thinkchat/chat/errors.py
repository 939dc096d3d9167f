"""One error type for every way a request can fail, with a hint of what to do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ErrorKind(str, Enum):
    """What went wrong, independent of the protocol that reported it."""

    AUTH = "auth"
    PERMISSION = "permission"
    ARREARS = "arrears"
    NOT_FOUND = "not_found"
    BAD_REQUEST = "bad_request"
    CONTENT_FILTER = "content_filter"
    RATE_LIMIT = "rate_limit"
    SERVER = "server"
    CONNECTION = "connection"
    TIMEOUT = "timeout"
    INTERRUPTED = "interrupted"
    MALFORMED = "malformed"


# Failures a second attempt can fix: the service was busy or the network hiccuped.
_RETRYABLE = frozenset(
    {
        ErrorKind.RATE_LIMIT,
        ErrorKind.SERVER,
        ErrorKind.CONNECTION,
        ErrorKind.TIMEOUT,
        ErrorKind.INTERRUPTED,
    }
)


@dataclass(eq=False)
class ChatError(Exception):
    """A failed request or stream, as the user should hear of it.

    `status` is the HTTP status (None when there was no response), `code` the service's error
    code (or a thinkchat code such as "ConnectionError" when the service never answered),
    `request_id` the service's id for support requests, `retry_after` the seconds the service
    asked us to wait.
    """

    kind: ErrorKind
    message: str
    status: int | None = None
    code: str | None = None
    request_id: str | None = None
    retry_after: float | None = None

    def __str__(self) -> str:
        return self.summary

    @property
    def retryable(self) -> bool:
        """Whether sending the same request again can help."""
        return self.kind in _RETRYABLE

    @property
    def summary(self) -> str:
        """One line: status, code and message."""
        head = " ".join(str(part) for part in (self.status, self.code) if part)
        return f"{head}: {self.message}" if head else self.message


def kind_for(status: int | None, code: str | None) -> ErrorKind:
    """Classify a service failure by its error code first, then its HTTP status."""
    lowered = (code or "").lower().replace("_", "").replace(".", "")
    if "datainspection" in lowered:
        return ErrorKind.CONTENT_FILTER
    if "arrearage" in lowered:
        return ErrorKind.ARREARS
    if "invalidapikey" in lowered:
        return ErrorKind.AUTH
    if "throttling" in lowered or ("limit" in lowered and status == 429):
        return ErrorKind.RATE_LIMIT
    if "notexist" in lowered or "notfound" in lowered:
        return ErrorKind.NOT_FOUND
    by_status = {
        400: ErrorKind.BAD_REQUEST,
        401: ErrorKind.AUTH,
        403: ErrorKind.PERMISSION,
        404: ErrorKind.NOT_FOUND,
        408: ErrorKind.TIMEOUT,
        413: ErrorKind.BAD_REQUEST,
        422: ErrorKind.BAD_REQUEST,
        429: ErrorKind.RATE_LIMIT,
    }
    if status in by_status:
        return by_status[status]
    if status is not None and status >= 500:
        return ErrorKind.SERVER
    if "internal" in lowered or "unavailable" in lowered:
        return ErrorKind.SERVER
    if "invalidparameter" in lowered or "invalid" in lowered:
        return ErrorKind.BAD_REQUEST
    return ErrorKind.SERVER
