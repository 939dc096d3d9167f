"""When the garbage collector makes its full passes: never while an answer streams.

A full pass visits every object the app holds; with a long answer on screen that is a pause
of a few hundred milliseconds, long enough to feel in the middle of a stream or of typing.
So full passes are paused from the start of a turn until the user pauses after it, and are
made rarer the rest of the time. Young objects, where nearly all garbage is, are collected as
usual throughout.

Start-up makes no collection at all (see `thinkchat.collector`); the app ends it once drawn.
"""

from __future__ import annotations

import gc

from thinkchat.collector import end_start_up

# Collections of the middle generation between two full collections (Python's default: 10).
RARER_FULL_COLLECTIONS = 50
# A middle-generation count no turn reaches.
PAUSED_FULL_COLLECTIONS = 1_000_000


class FullCollections:
    """Pauses and resumes the collector's full passes; one for the app."""

    def __init__(self) -> None:
        self._paused = False

    def settle(self) -> None:
        """Once the app is up: start-up ends (what exists is left out of every later pass),
        and full passes come rarer."""
        end_start_up()
        self._set_threshold(max(gc.get_threshold()[2], RARER_FULL_COLLECTIONS))

    def pause(self) -> None:
        """No full pass until `collect()`."""
        self._paused = True
        self._set_threshold(PAUSED_FULL_COLLECTIONS)

    def collect(self) -> None:
        """The full pass put off, now; then they run again as usual.

        Only restoring the threshold would not do: the count of middle-generation passes made
        while paused is far above it, so a full pass would start at the next allocation,
        wherever that is.
        """
        gc.collect()
        if self._paused:
            self._paused = False
            self._set_threshold(RARER_FULL_COLLECTIONS)

    @staticmethod
    def _set_threshold(old: int) -> None:
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, old)
