"""When the garbage collector pauses: through start-up, and its full passes while a turn streams.

Start-up imports Textual or an SDK and thinkchat itself: objects that nearly all live as long as
the process. The collector, which counts allocations, would traverse them again and again while
they are being made, so start-up makes no collection at all, and when it ends what exists is
frozen: left out of every later pass. The command's entry point starts it before anything else
is imported; the TUI ends it once its first frame is drawn, `ask` once the answer begins to
stream, the other commands once their arguments are parsed.

A full pass visits every object the app holds; with a long answer on screen that is a pause long
enough to feel in the middle of a stream or of typing. So in the app full passes are paused from
the start of a turn until the user pauses after it, and made rarer the rest of the time. Young
objects, where nearly all garbage is, are collected as usual throughout.

What each pause saves: benchmarks/RESULTS.md, "Start-up without collections".
"""

from __future__ import annotations

import gc

# Collections of the middle generation between two full collections (Python's default: 10).
RARER_FULL_COLLECTIONS = 50
# A middle-generation count no turn reaches.
PAUSED_FULL_COLLECTIONS = 1_000_000


def start_up_without_collections() -> None:
    """No collection at all until `end_start_up()`."""
    gc.disable()


def end_start_up() -> None:
    """What exists now lives as long as the process: later passes skip it. Collections start
    again if start-up turned them off."""
    gc.freeze()
    gc.enable()


class GcPause:
    """Pauses and resumes the collector's full passes around the app's turns; one for the app."""

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
