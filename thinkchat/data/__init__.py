"""The files shipped with thinkchat: the themes (`themes/*.toml`), the documented example
config (`config.example.toml`) and the prices (`prices.toml`), read where the package is
installed."""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importlib.resources.abc is Python 3.11's; on 3.10 it is importlib.abc
    from importlib.resources.abc import Traversable


def shipped(name: str) -> Traversable:
    """The shipped file or folder `name` ("themes", "config.example.toml", "prices.toml")."""
    return files(__name__) / name
