"""Attaching a text file to a prompt: reading it safely, and fencing it with its name.

Shared by `thinkchat ask --file` and the app's "Attach a file…" dialog. A file is refused,
with a message that says why and what to do, when it is missing, not a regular file,
unreadable, over `MAX_ATTACHMENT_BYTES`, or not text (it holds NUL bytes, or is not UTF-8).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_ATTACHMENT_BYTES = 256 * 1024
LIMIT_TEXT = "256 KiB"

_RUNS = {"`": re.compile(r"`+"), "~": re.compile(r"~+")}


class AttachmentError(Exception):
    """A file that cannot be attached; the message says why and what to do."""


@dataclass(frozen=True)
class Attachment:
    """A text file's name (without its folder) and its text (lines end with \\n)."""

    name: str
    text: str

    def fenced(self) -> str:
        """The text in a Markdown code block whose info string is the file's name."""
        return fence(self.text, self.name)


def fence(text: str, name: str) -> str:
    """`text` in a fenced code block labelled `name`.

    The fence is longer than any run of its character in `text`, so nothing inside can close
    it. Backticks are not allowed in a backtick fence's info string: a name with one is
    fenced with tildes instead. The name is kept on one line.
    """
    label = " ".join(name.split())
    mark = "~" if "`" in label else "`"
    longest = max((len(run) for run in _RUNS[mark].findall(text)), default=0)
    bar = mark * max(3, longest + 1)
    body = text if not text or text.endswith("\n") else text + "\n"
    return f"{bar}{label}\n{body}{bar}"


def read_attachment(path: str | os.PathLike[str]) -> Attachment:
    """The text file at `path` (`~` is expanded); raises `AttachmentError` when it is refused."""
    shown = os.fspath(path)
    where = Path(shown).expanduser()
    try:
        info = where.stat()
    except FileNotFoundError:
        raise AttachmentError(f"{shown}: no such file") from None
    except OSError as exc:
        raise AttachmentError(f"{shown}: cannot read it ({_reason(exc)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise AttachmentError(f"{shown} is a folder: attach the files in it one by one")
    if not stat.S_ISREG(info.st_mode):
        # A pipe or a device could block the read forever, or never end.
        raise AttachmentError(f"{shown} is not a regular file: only text files can be attached")
    if info.st_size > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(_too_large(shown, info.st_size))
    try:
        with where.open("rb") as file:
            # The file may have grown since `stat`: read no more than one byte past the limit.
            raw = file.read(MAX_ATTACHMENT_BYTES + 1)
    except OSError as exc:
        raise AttachmentError(f"{shown}: cannot read it ({_reason(exc)})") from None
    if len(raw) > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(_too_large(shown, len(raw)))
    return Attachment(where.name, _decoded(shown, raw))


def _decoded(shown: str, raw: bytes) -> str:
    if b"\0" in raw:
        raise AttachmentError(
            f"{shown} looks binary (it holds NUL bytes): only text files can be attached"
        )
    try:
        # utf-8-sig: a byte-order mark is not part of the text.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AttachmentError(
            f"{shown} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}): "
            "only text files can be attached; convert it first, e.g. with "
            "'iconv -f latin1 -t utf-8'"
        ) from None
    return text.replace("\r\n", "\n")


def _too_large(shown: str, size: int) -> str:
    return (
        f"{shown} is too large ({size:,} bytes; the limit is {LIMIT_TEXT} a file): "
        "attach the part that matters instead"
    )


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)
