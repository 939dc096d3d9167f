"""Saving the settings changed in the app to the config file, away from the thread that draws.

A write reads and checks the file, writes a copy and syncs it to the disk before it replaces
the file. On a slow or busy disk that sync alone can take longer than a frame, and a key that
changes a setting (ctrl+f, ctrl+t, …) must show its effect without waiting for it. So the
writes happen on a thread of their own, one at a time and in the order the changes were made;
changes made while a write is under way are merged into the next one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thinkchat.config.errors import ConfigError

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

Writer = Callable[[Path, dict[str, Any]], None]


def update_config_file(path: Path, changes: dict[str, Any]) -> None:
    """`writer.update_config_file`, imported on the first save (with tomlkit, the TOML editor,
    which start-up does not need)."""
    from thinkchat.config.writer import update_config_file as update

    update(path, changes)


class SettingsSaver:
    """Writes setting changes to one config file on a background thread."""

    def __init__(
        self,
        path: Path,
        on_error: Callable[[str], None],
        write: Writer = update_config_file,
    ) -> None:
        """`on_error(problem)` is called, on the saver's thread, when a write fails; `write`
        is how changes get into the file (`writer.update_config_file`)."""
        self.path = path
        self._on_error = on_error
        self._write = write
        self._lock = threading.Lock()
        self._pending: dict[str, Any] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._closed = False

    def save(self, changes: Mapping[str, Any]) -> None:
        """Write `changes` (see `update_config_file`) soon, without waiting for the disk."""
        with self._lock:
            waiting = bool(self._pending)
            self._pending.update(changes)
            if waiting:
                return  # merged into the write already waiting for its turn
            if not self._closed:
                if self._executor is None:
                    # Imported on the first save: start-up does not need it.
                    from concurrent.futures import ThreadPoolExecutor

                    self._executor = ThreadPoolExecutor(1, thread_name_prefix="thinkchat-settings")
                self._executor.submit(self._write_pending)
                return
        # Changes made while the app closes are written at once rather than lost.
        self._write_pending()

    def wait(self) -> None:
        """Return once every change saved so far is written (or has failed)."""
        with self._lock:
            executor = self._executor
        if executor is not None:
            # One thread, first in first out: this runs after every write submitted before it.
            executor.submit(lambda: None).result()

    def close(self) -> None:
        """Write what is still pending, then stop the thread."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    def _write_pending(self) -> None:
        with self._lock:
            changes, self._pending = self._pending, {}
        if not changes:
            return
        try:
            self._write(self.path, changes)
        except (ConfigError, OSError) as problem:
            self._on_error(f"Settings not saved: {problem}")
