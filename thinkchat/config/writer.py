"""Saving settings back to the config file without losing anything the user wrote.

The file is edited in place with tomlkit, a TOML editor that keeps what it does not change as
it was: comments (at the ends of lines too), blank lines, order, spacing, inline tables
(`api_keys = { singapore = "…" }`), dotted keys and arrays. The result is parsed again and must
say exactly what was meant, or nothing is written. Writes are atomic, and a file that holds an
API key is readable by its owner only.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from thinkchat.config import toml
from thinkchat.config.errors import ConfigError
from thinkchat.config.loading import parse_config

PRIVATE_MODE = 0o600
NEW_FILE_HEADER = (
    "# thinkchat settings, saved by the app. Every setting is described in the example that\n"
    "# 'thinkchat config init --config /tmp/example.toml' writes.\n"
)


def _copied(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _copied(v) if isinstance(v, dict) else v for k, v in data.items()}


def _expected(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    result = _copied(data)
    for dotted, value in changes.items():
        *tables, key = dotted.split(".")
        target: dict[str, Any] | None = result
        for table in tables:
            # Removing a setting from a table the file does not have adds no table (as `_apply`).
            if target is not None and (table in target or value is not None):
                target = target.setdefault(table, {})
            else:
                target = None
        if target is None:
            continue
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    return result


def holds_key(data: dict[str, Any]) -> bool:
    """Whether the config data contains an API key written out literally."""
    keys = data.get("api_keys")
    return isinstance(keys, dict) and any(isinstance(v, str) and v for v in keys.values())


def _apply(document: tomlkit.TOMLDocument, dotted: str, value: Any) -> None:
    """Set (None: remove) one setting where the file has it, or add it where it belongs
    ("parameters.thinking.temperature": in [parameters.thinking])."""
    *tables, key = dotted.split(".")
    container: Any = document
    for depth, table in enumerate(tables, start=1):
        if table not in container:
            if value is None:
                return
            # A table that holds tables only is not written out: [parameters.thinking] alone.
            container[table] = tomlkit.table(is_super_table=depth < len(tables))
        # A [table], an inline table or dotted keys: each keeps its own form.
        container = container[table]
    if value is None:
        if key in container:
            del container[key]
    else:
        container[key] = value


def update_config_file(path: Path, changes: dict[str, Any]) -> None:
    """Set (or, with None, remove) settings in the config file, keeping everything else.

    `changes` maps a setting to its value: "model", or "api_keys.singapore" for one in a
    table. Raises `ConfigError`, and writes nothing, when the file is broken or the edit would
    not say what was meant.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = NEW_FILE_HEADER
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the config file: {exc}", path) from None
    parse_config(text, path)  # a broken file is reported, never overwritten
    expected = _expected(toml.loads(text), changes)
    try:
        document = tomlkit.parse(text)
        for dotted, value in changes.items():
            _apply(document, dotted, value)
        new_text = document.as_string()
        edited_right = toml.loads(new_text) == expected
    except (TOMLKitError, toml.TOMLDecodeError):
        edited_right = False
    if not edited_right:
        raise ConfigError(
            f"could not save {', '.join(changes)} without rewriting the file; "
            "change it there by hand",
            path,
        )
    _write_atomically(path, new_text, private=holds_key(expected))


def _write_atomically(path: Path, text: str, *, private: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    if private:
        mode = PRIVATE_MODE
    descriptor, temporary = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        os.fchmod(descriptor, mode)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
