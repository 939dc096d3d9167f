"""One browser tab's app process: started for its websocket, and ended with it, always.

textual-serve's AppService runs its command through `/bin/sh -c` and stops it by sending
"quit" and waiting for its output to end, with no time limit: an app that never reads the
quit (stuck, or gone deaf) is waited for forever, and the shell between them means a signal
sent to the child it knows reaches the shell, not the app. Here the app is started directly,
in a process group of its own, and stopping it escalates: "quit", then SIGTERM to the group,
then SIGKILL, each after a bounded wait.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
from asyncio.subprocess import PIPE, Process
from collections.abc import Sequence
from contextlib import suppress
from typing import Any

from textual_serve.app_service import AppService

from thinkchat.web.driver import SERVED_BY

DRIVER = "thinkchat.web.driver:ServedDriver"
# Long enough for the app to stop its stream and save its history and settings.
QUIT_GRACE = 5.0
TERM_GRACE = 3.0


class AppProcess(AppService):
    """The app process behind one websocket (textual-serve's AppService, bounded)."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        quit_grace: float = QUIT_GRACE,
        term_grace: float = TERM_GRACE,
        **options: Any,
    ) -> None:
        """`options` are AppService's (the websocket's writers, the download manager)."""
        super().__init__(shlex.join(argv), **options)
        self.argv = tuple(argv)
        self.quit_grace = quit_grace
        self.term_grace = term_grace
        self._stopping: asyncio.Future[None] | None = None
        # Held while the process starts, so that a stop during the start waits for it.
        self._starting = asyncio.Lock()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment["TEXTUAL_DRIVER"] = DRIVER
        environment[SERVED_BY] = str(os.getpid())
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=PIPE,
            stdout=PIPE,
            stderr=PIPE,
            env=self._build_environment(width, height),
            start_new_session=True,  # a group of its own: signals reach whatever it started
        )
        self._stdin = process.stdin
        return process

    async def start(self, width: int, height: int) -> None:
        """Start the app process, unless the tab was stopped first."""
        async with self._starting:
            if self._stopping is None:
                await super().start(width, height)

    async def run(self) -> None:
        await super().run()
        # The app's output has ended (it quit, or died): the tab shows "Session ended".
        with suppress(ConnectionError):
            await self.remote_close()

    async def on_data(self, payload: bytes) -> None:
        # The tab may be gone while the app still draws: its output is read and dropped, so
        # that a full pipe never keeps the app from quitting.
        with suppress(ConnectionError):
            await super().on_data(payload)

    async def stop(self) -> None:
        """End the app process (by every means, in order) and wait for it; safe to repeat."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        async with self._starting:
            process = self._process
        if process is None:  # stopped before it started: only the tab is left to close
            with suppress(ConnectionError):
                await self.remote_close()
            return
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        try:
            await asyncio.wait_for(self._quit(process), self.quit_grace)
        except asyncio.TimeoutError:
            self._signal_group(process, signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), self.term_grace)
            except asyncio.TimeoutError:
                self._signal_group(process, signal.SIGKILL)
                await process.wait()
        if self._task is not None:
            await self._task  # the app's output, read to its end

    async def _quit(self, process: Process) -> None:
        await self.send_meta({"type": "quit"})  # False when the app has closed its input
        await process.wait()

    @staticmethod
    def _signal_group(process: Process, signal_number: signal.Signals) -> None:
        # Only while the process is unreaped, so its id (the group's) cannot have been reused.
        if process.returncode is None:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal_number)
