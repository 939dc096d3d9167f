"""How one stream ended, recorded as it arrives and told to the engine the one way it knows."""

from __future__ import annotations

from dataclasses import dataclass

from thinkchat.chat.errors import ChatError
from thinkchat.chat.events import Finished, StreamError, StreamEvent, Usage
from thinkchat.transports.errors import ended_early


@dataclass(slots=True)
class StreamEnd:
    """How one stream ended: its usage, its finish reason, or the failure that stopped it.

    A transport records them here as they arrive, in whatever order its protocol sends them,
    and yields `events()` last, so that every stream ends the one way the engine knows.
    """

    usage: Usage | None = None
    finished: Finished | None = None
    failure: ChatError | None = None

    def events(self) -> tuple[StreamEvent, ...]:
        """`Usage` then `Finished`; or, if the model never finished, one `StreamError`."""
        if self.finished is None:
            return (StreamError(self.failure or ended_early()),)
        # A failure after the finish reason (say, a drop before the usage chunk) loses nothing.
        return (self.usage or Usage(), self.finished)
