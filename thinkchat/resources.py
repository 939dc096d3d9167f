"""Files shipped with thinkchat: the example config and the themes.

In an installed wheel they sit inside the package; in a source checkout (an editable install)
they are at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_path(name: str) -> Path:
    """The installed copy of `name` if there is one, else the source checkout's."""
    installed = _PACKAGE / name
    return installed if installed.exists() else _PACKAGE.parent / name
