"""When is something on screen, in a headless app? When a frame showing it has been produced.

`FrameWatcher` wraps the app's `_display`, the one place every frame passes through on its way to
the terminal: the compositor has laid out and rendered the dirty widgets into a
`CompositorUpdate`. A headless app stops there; the watcher also encodes the update into the
escape sequences a terminal would receive (thrown away), so a frame costs what it costs for
real, minus the write. A state change is on screen at the first frame produced after it that
repaints the part of the screen it affects.

Imports only Textual: start-up drivers of a bare Textual app use it too.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.app import App
from textual.geometry import Region

FramePredicate = Callable[[Any], bool]


class Expectation:
    """The first frame for which a predicate holds: `time` (perf_counter) once it came."""

    def __init__(self, predicate: FramePredicate, future: asyncio.Future[float] | None) -> None:
        self.predicate = predicate
        self.time: float | None = None
        self.event = threading.Event()
        self.future = future

    def resolve(self, now: float) -> None:
        self.time = now
        self.event.set()
        if self.future is not None and not self.future.done():
            self.future.set_result(now)


class FrameWatcher:
    """Counts and times the frames of `app`, and tells waiters when a frame they expect comes."""

    def __init__(self, app: App[Any], *, encode: bool = True) -> None:
        self.app = app
        self.frames = 0
        self.last_frame = 0.0
        self.encoded_bytes = 0
        self._expectations: list[Expectation] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None or app._batch_count:
                return
            if encode and isinstance(renderable, CompositorUpdate):
                self.encoded_bytes += len(renderable.render_segments(app.console))
            now = time.perf_counter()
            self.frames += 1
            self.last_frame = now
            if self._expectations:
                self._check(now, renderable)

        app._display = display  # type: ignore[method-assign]

    def _check(self, now: float, update: Any) -> None:
        for expectation in list(self._expectations):
            if expectation.predicate(update):
                self._expectations.remove(expectation)
                expectation.resolve(now)

    def expect(self, predicate: FramePredicate) -> Expectation:
        """Watch for a frame matching `predicate`; callable from any thread."""
        expectation = Expectation(predicate, None)
        self._expectations.append(expectation)
        return expectation

    def cancel(self, expectation: Expectation) -> None:
        if expectation in self._expectations:
            self._expectations.remove(expectation)

    def expect_in_loop(self, predicate: FramePredicate) -> Expectation:
        """In the app's loop: watch from now on for the next frame matching `predicate`
        (register before doing what the frame should show, then `wait` for it)."""
        expectation = Expectation(predicate, asyncio.get_running_loop().create_future())
        self._expectations.append(expectation)
        return expectation

    async def wait(self, expectation: Expectation, timeout: float = 5.0) -> float | None:
        """In the app's loop: the time of the frame `expect_in_loop` registered (None: none
        came within `timeout`, and it is no longer watched for)."""
        assert expectation.future is not None, "registered with expect(), not expect_in_loop()"
        try:
            return await asyncio.wait_for(expectation.future, timeout)
        except asyncio.TimeoutError:
            self.cancel(expectation)
            return None

    async def next_frame(
        self, predicate: FramePredicate = lambda update: True, timeout: float = 5.0
    ) -> float | None:
        """In the app's loop: the time of the next frame matching `predicate` (None: timeout)."""
        return await self.wait(self.expect_in_loop(predicate), timeout)

    async def caught_up(self, since: float, rounds: int = 5) -> float:
        """In the app's loop: once everything changed before `since` (a `perf_counter` time) is
        on screen, the time it was: that of the last frame the screen updates still pending
        produced, or `since` when none was pending.

        Not "the next frame": a frame comes only when something changes, so with the screen
        already up to date the next one is an unrelated one (a cursor's blink, up to half a
        second later). A frame that comes may leave more pending (a recompose), hence rounds.
        """
        for _ in range(rounds):
            frames = self.frames
            refreshed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            # Called after the screen update pending, if any; at once when there is none.
            self.app.call_after_refresh(refreshed.set_result, None)
            await refreshed
            if self.frames == frames:
                break
        return max(since, self.last_frame)

    async def settle(self, quiet: float = 0.03, timeout: float = 5.0) -> float | None:
        """Wait for a frame, then until no frame has come for `quiet` seconds.

        Returns the time of the last frame (None: no frame came at all).
        """
        first = await self.next_frame(timeout=timeout)
        if first is None:
            return None
        await self.quiet(quiet, timeout)
        return self.last_frame

    async def quiet(self, period: float, timeout: float = 5.0) -> None:
        """Wait until no frame has come for `period` seconds (`timeout` at most)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            seen = self.frames
            await asyncio.sleep(period)
            if self.frames == seen:
                break


def covers(update: Any, region: Region) -> bool:
    """Whether a frame repaints any cell of `region` (screen coordinates)."""
    if not region:
        return False
    if isinstance(update, LayoutUpdate):
        return bool(update.region.overlaps(region))
    if isinstance(update, ChopsUpdate):
        return any(
            region.y <= y < region.bottom and x1 < region.right and x2 > region.x
            for y, x1, x2 in update.spans
        )
    return True  # an update of a kind we do not know: assume it repaints everything
