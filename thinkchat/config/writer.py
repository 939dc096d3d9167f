"""Saving settings back to the config file without losing anything the user wrote.

Each changed value is serialised with tomli-w and spliced into the file in place of the old
line (or added to its table), so comments, order and every other setting stay as they were.
The result is parsed again and compared with what was meant; if the splice did not give
exactly that, the whole file is written by tomli-w instead. Writes are atomic, and a file that
holds an API key is readable by its owner only.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

import tomli_w

from thinkchat.config import toml
from thinkchat.config.errors import ConfigError
from thinkchat.config.loading import parse_config

PRIVATE_MODE = 0o600
NEW_FILE_HEADER = (
    "# thinkchat settings, saved by the app. Every setting is described in the example that\n"
    "# 'thinkchat config init --config /tmp/example.toml' writes.\n"
)
_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")


def _assignment(key: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*(\"{re.escape(key)}\"|'{re.escape(key)}'|{re.escape(key)})\s*=")


def _section(lines: list[str], table: str | None) -> tuple[int, int] | None:
    """The [start, end) line range of a table's body (None: top level), if the table exists."""
    start = 0 if table is None else None
    for index, line in enumerate(lines):
        header = _HEADER.match(line)
        if not header:
            continue
        if start is not None:
            return start, index
        if header.group(1) == table:
            start = index + 1
    return (start, len(lines)) if start is not None else None


def _inline_comment(line: str) -> str:
    """The `# comment` after a one-line assignment, if any (a # inside a string is not one)."""
    for match in re.finditer("#", line):
        try:
            toml.loads(line[: match.start()])
        except toml.TOMLDecodeError:
            continue
        return "  " + line[match.start() :].rstrip("\n")
    return ""


def _render(key: str, value: Any) -> str:
    return tomli_w.dumps({key: value}).strip()


def _apply(lines: list[str], table: str | None, key: str, value: Any) -> list[str]:
    pattern = _assignment(key)
    section = _section(lines, table)
    if section is None:
        if value is None:
            return lines
        tail = [] if not lines or lines[-1].strip() == "" else [""]
        return [*lines, *tail, f"[{table}]", _render(key, value)]
    start, end = section
    for index in range(start, end):
        if pattern.match(lines[index]):
            if value is None:
                return lines[:index] + lines[index + 1 :]
            replaced = _render(key, value) + _inline_comment(lines[index])
            return [*lines[:index], replaced, *lines[index + 1 :]]
    if value is None:
        return lines
    insert_at = end
    while insert_at > start and lines[insert_at - 1].strip() == "":
        insert_at -= 1
    # Keep a blank line between the new setting and a table header right after it.
    spacer = [""] if insert_at < len(lines) and _HEADER.match(lines[insert_at]) else []
    return [*lines[:insert_at], _render(key, value), *spacer, *lines[insert_at:]]


def _expected(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    result = {k: dict(v) if isinstance(v, dict) else v for k, v in data.items()}
    for dotted, value in changes.items():
        table, _, key = dotted.rpartition(".")
        target = result.setdefault(table, {}) if table else result
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    return result


def holds_key(data: dict[str, Any]) -> bool:
    """Whether the config data contains an API key written out literally."""
    keys = data.get("api_keys")
    return isinstance(keys, dict) and any(isinstance(v, str) and v for v in keys.values())


def update_config_file(path: Path, changes: dict[str, Any]) -> None:
    """Set (or, with None, remove) settings in the config file, keeping everything else.

    `changes` maps a setting to its value: "model", or "api_keys.singapore" for one in a
    table. Raises `ConfigError`, and writes nothing, when the file is broken.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = NEW_FILE_HEADER
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the config file: {exc}", path) from None
    parse_config(text, path)  # a broken file is reported, never overwritten
    data = toml.loads(text)
    expected = _expected(data, changes)

    lines = text.splitlines()
    for dotted, value in changes.items():
        table, _, key = dotted.rpartition(".")
        lines = _apply(lines, table or None, key, value)
    new_text = "\n".join(lines).rstrip("\n") + "\n"
    try:
        spliced_ok = toml.loads(new_text) == expected
    except toml.TOMLDecodeError:
        spliced_ok = False
    if not spliced_ok:
        new_text = tomli_w.dumps(expected)
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
