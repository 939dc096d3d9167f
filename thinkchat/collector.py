"""The garbage collector during start-up: off, because what start-up allocates stays.

Start-up imports Textual or an SDK (with pydantic, httpx, aiohttp) and thinkchat itself: a few
hundred thousand objects, nearly all of them living as long as the process. The collector,
which counts allocations, would traverse them again and again while they are being made: in
`thinkchat ask`, about 150 young passes, 17 middle ones and a full one, 60-90 ms of a 1.5 s
answer; in the TUI, 10-20 ms of a 0.3 s start. So start-up makes no collection at all, and when
it ends, what exists is frozen: left out of every later pass.

The command's entry point (`thinkchat.entry`) starts it, before anything else is imported. The
TUI ends it once its first frame is drawn, `ask` once the answer begins to stream, and the other
commands as soon as their arguments are parsed.
"""

from __future__ import annotations

import gc


def start_up_without_collections() -> None:
    """No collection at all until `end_start_up()`."""
    gc.disable()


def end_start_up() -> None:
    """What exists now lives as long as the process: later passes skip it. Collections start
    again if start-up turned them off."""
    gc.freeze()
    gc.enable()
