"""What the config layer reports: a setting that cannot be used, and a missing API key."""

from __future__ import annotations

from pathlib import Path


class ConfigError(ValueError):
    """A setting that cannot be used, with where it came from."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.path and self.line else str(self.path or "")
        return f"{where}: {self.message}" if where else self.message


class MissingApiKey(ConfigError):
    """No API key for the region being used."""
