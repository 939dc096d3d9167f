"""The files shipped with thinkchat: the themes (`themes/*.toml`), the documented example
config (`config.example.toml`) and the prices (`prices.toml`), read where the package is
installed."""

from __future__ import annotations

from pathlib import Path

# A plain folder next to this file: thinkchat is installed unpacked (never run from a zip), and
# importlib.resources would cost the start-up its import for nothing.
_FOLDER = Path(__file__).parent


def shipped(name: str) -> Path:
    """The shipped file or folder `name` ("themes", "config.example.toml", "prices.toml")."""
    return _FOLDER / name
