"""Reading a file to attach to a prompt, and fencing it (thinkchat/chat/attachments.py)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from thinkchat.chat.attachments import (
    MAX_ATTACHMENT_BYTES,
    Attachment,
    AttachmentError,
    fence,
    read_attachment,
)

NOBODY = 65534


def refusal(path: str | Path) -> str:
    with pytest.raises(AttachmentError) as caught:
        read_attachment(path)
    return str(caught.value)


def test_a_text_file_is_read_with_its_name(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Notes\r\n\r\nfirst line\r\n", encoding="utf-8")
    attachment = read_attachment(path)
    assert attachment == Attachment("notes.md", "# Notes\n\nfirst line\n")
    assert attachment.fenced() == "```notes.md\n# Notes\n\nfirst line\n```"


def test_a_byte_order_mark_is_not_part_of_the_text(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfhello")
    assert read_attachment(path).text == "hello"


def test_home_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "todo.txt").write_text("buy milk\n", encoding="utf-8")
    assert read_attachment("~/todo.txt").text == "buy milk\n"


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * MAX_ATTACHMENT_BYTES)
    assert len(read_attachment(path).text) == MAX_ATTACHMENT_BYTES
    path.write_bytes(b"a" * (MAX_ATTACHMENT_BYTES + 1))
    message = refusal(path)
    assert "too large" in message
    assert "262,145 bytes" in message and "256 KiB" in message


def test_a_file_with_nul_bytes_is_binary(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    message = refusal(path)
    assert message == f"{path} looks binary (it holds NUL bytes): only text files can be attached"


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("café".encode("latin-1"))
    message = refusal(path)
    assert "is not UTF-8 text (byte 0xe9 at offset 3)" in message
    assert "iconv" in message


def test_a_missing_file_is_refused(tmp_path):
    path = tmp_path / "nowhere.txt"
    assert refusal(path) == f"{path}: no such file"


def test_a_folder_is_refused(tmp_path):
    assert refusal(tmp_path) == f"{tmp_path} is a folder: attach the files in it one by one"


def test_a_pipe_is_refused_without_blocking(tmp_path):
    path = tmp_path / "fifo"
    os.mkfifo(path)
    assert "is not a regular file" in refusal(path)


@pytest.fixture
def unreadable() -> Iterator[Path]:
    """A file nobody may read, in a folder anyone may enter."""
    folder = Path(tempfile.mkdtemp(prefix="thinkchat-unreadable-"))
    folder.chmod(0o755)
    path = folder / "secret.txt"
    path.write_text("top secret\n", encoding="utf-8")
    path.chmod(0o000)
    yield path
    shutil.rmtree(folder)


def as_unprivileged(check: Callable[[], str]) -> str:
    """`check()`'s result, run without root's right to read anything (in a forked child that
    has become `nobody`, when the tests run as root, as CI does)."""
    if os.geteuid() != 0:
        return check()
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            result = check()
        except BaseException as exc:  # anything else is the test's failure, reported as such
            result = f"unexpected {type(exc).__name__}: {exc}"
        os.write(writer, result.encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        result = pipe.read().decode()
    os.waitpid(child, 0)
    return result


def test_a_file_without_read_permission_is_refused(unreadable):
    message = as_unprivileged(lambda: refusal(unreadable))
    assert message == f"{unreadable}: cannot read it (permission denied)"


def test_the_fence_is_longer_than_any_backtick_run_inside():
    text = "Use ``` to fence code, or ````` when it holds fences:\n`````\nx\n`````\n"
    fenced = fence(text, "README.md")
    assert fenced == f"``````README.md\n{text}``````"


def test_an_empty_file_and_a_file_without_a_last_newline_are_fenced_whole():
    assert fence("", "empty.txt") == "```empty.txt\n```"
    assert fence("a\nb", "two.txt") == "```two.txt\na\nb\n```"


def test_a_name_with_a_backtick_is_fenced_with_tildes():
    # A backtick fence's info string may not hold a backtick (CommonMark).
    assert fence("~~~ x\n", "odd`name.txt") == "~~~~odd`name.txt\n~~~ x\n~~~~"


def test_a_name_stays_on_one_line():
    assert fence("x\n", "two\nlines.txt") == "```two lines.txt\nx\n```"
