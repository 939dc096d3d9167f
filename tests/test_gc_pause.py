"""The garbage collector's full passes: paused through a turn, made when the app says so."""

from __future__ import annotations

import gc

from thinkchat.process.gc_pause import (
    PAUSED_FULL_COLLECTIONS,
    RARER_FULL_COLLECTIONS,
    GcPause,
    start_up_without_collections,
)


def test_full_passes_wait_for_collect_and_then_come_as_usual():
    saved = gc.get_threshold()
    full_passes: list[int] = []

    def on_collection(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full_passes.append(1)

    gc.callbacks.append(on_collection)
    try:
        collections = GcPause()
        collections.pause()
        assert gc.get_threshold()[2] == PAUSED_FULL_COLLECTIONS
        for _ in range(3 * RARER_FULL_COLLECTIONS):
            gc.collect(1)  # the middle-generation passes a long stream makes
        assert full_passes == []
        collections.collect()
        assert full_passes == [1]  # the one put off, now
        assert gc.get_threshold()[2] == RARER_FULL_COLLECTIONS
        collections.collect()  # not paused: a full pass, the threshold as it is
        assert full_passes == [1, 1]
        assert gc.get_threshold()[2] == RARER_FULL_COLLECTIONS
    finally:
        gc.callbacks.remove(on_collection)
        gc.set_threshold(*saved)


def test_start_up_makes_no_collection_until_the_app_settles():
    saved = gc.get_threshold()
    try:
        start_up_without_collections()
        assert not gc.isenabled()
        GcPause().settle()
        assert gc.isenabled()
        assert gc.get_threshold()[2] >= RARER_FULL_COLLECTIONS
    finally:
        gc.enable()
        gc.unfreeze()
        gc.set_threshold(*saved)
