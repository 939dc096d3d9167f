"""The driver of an app process that `thinkchat serve` started for a browser tab.

Textual's WebDriver speaks textual-serve's protocol on stdin and stdout, but when its stdin
ends (the server is gone) it only stops reading: the app runs on, finishing the answer it was
streaming to nobody, and then waits forever. Served, the app must not outlive its server:

- the end of stdin, a broken stdout, or SIGTERM/SIGINT ask the app to quit, as the server's
  own "quit" does;
- on Linux the kernel sends SIGTERM when the server dies, however it died (PR_SET_PDEATHSIG);
- an app that has not finished quitting in EXIT_GRACE seconds is ended there and then.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import sys
import threading
from typing import Any

from textual import messages
from textual.app import App
from textual.drivers.web_driver import WebDriver

SERVED_BY = "THINKCHAT_SERVED_BY"
"""The environment variable holding the server's process id."""

# Long enough for the app to stop its stream and finish writing the history and the settings.
EXIT_GRACE = 10.0
EXIT_ABANDONED = 1

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> bool:
    """Ask the kernel for SIGTERM when the parent process ends; False if it has already ended.

    The parent may die between the fork and this call: then this process has been handed to
    another parent already, which the id the server left in the environment tells.
    """
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    server = os.environ.get(SERVED_BY, "")
    return not server.isdigit() or os.getppid() == int(server)


class ServedDriver(WebDriver):
    """Textual's WebDriver for an app that ends with its tab or its server."""

    def __init__(self, app: App[Any], **options: Any) -> None:
        super().__init__(app, **options)
        self._app_loop: asyncio.AbstractEventLoop | None = None
        self._leaving = threading.Event()
        self._output_broken = False
        self._write = self._write_or_leave

    def start_application_mode(self) -> None:
        self._app_loop = asyncio.get_running_loop()
        super().start_application_mode()
        # Textual's own handlers post ExitApp; these also bound how long the exit may take.
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            self._app_loop.add_signal_handler(signal_number, self._leave)
        if not die_with_parent():
            self._leave()

    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():
            self._leave()  # stdin ended: the server has gone

    def _write_or_leave(self, data: bytes) -> None:
        if self._output_broken:
            return
        try:
            os.write(self.fileno, data)
        except OSError:  # a broken pipe: the server has gone, there is no one to draw for
            self._output_broken = True
            self._leave()

    def _leave(self) -> None:
        """Quit the app, from any thread, at most once; end the process if quitting hangs."""
        if self._leaving.is_set():
            return
        self._leaving.set()
        watchdog = threading.Timer(EXIT_GRACE, os._exit, (EXIT_ABANDONED,))
        watchdog.daemon = True
        watchdog.start()
        if self._app_loop is not None and not self._app_loop.is_closed():
            self.send_message(messages.ExitApp())
