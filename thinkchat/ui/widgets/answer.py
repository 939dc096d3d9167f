"""An answer rendered as Markdown, fed a fragment at a time while it streams.

One Markdown widget re-reads and re-lays out its whole document on every append, so a long
answer would get slower to draw with every token. The answer is therefore kept in segments:
when the segment being written has grown past `SEGMENT_CHARS` and the text reaches a block
boundary (a blank line outside a code fence), the rest goes into a new segment. A finished
segment gets a fixed height, so a layout takes it as it is instead of measuring every block
in it again; only the last segment is measured. A paragraph that runs on past `RUN_ON_CHARS`
without a break is cut at a space, the continuation drawn flush against it.
"""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownStream

from thinkchat.terminal_text import safe_for_terminal

SEGMENT_CHARS = 2000
RUN_ON_CHARS = 2000
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


def _fence_open(text: str) -> bool:
    """Whether `text` ends inside a fenced code block."""
    return len(_FENCE.findall(text)) % 2 == 1


class _Segment(Markdown):
    """One stretch of the answer. Links are not opened on click: they come from the model."""

    DEFAULT_CSS = """
    _Segment {
        margin: 0;
        padding: 0 1;
        background: transparent;
        &.-runs-on > MarkdownBlock:last-child { margin-bottom: 0; }
    }
    """

    def __init__(self, text: str = "") -> None:
        super().__init__(text, open_links=False)
        self.stream: MarkdownStream | None = None

    async def write(self, text: str) -> None:
        if self.stream is None:
            self.stream = self.get_stream(self)
        await self.stream.write(text)

    async def close(self) -> None:
        if self.stream is not None:
            stream, self.stream = self.stream, None
            await stream.stop()


class AnswerView(Vertical):
    """The model's answer, as Markdown, in segments that keep each update cheap."""

    DEFAULT_CSS = """
    AnswerView { height: auto; }
    """

    def __init__(self, text: str = "") -> None:
        super().__init__()
        text = safe_for_terminal(text)
        self._parts: list[str] = [text] if text else []
        self._segment_text = text  # the text of the segment being written

    def compose(self) -> ComposeResult:
        yield _Segment(self._segment_text)

    @property
    def source(self) -> str:
        """The whole answer shown so far."""
        return "".join(self._parts)

    @property
    def segments(self) -> list[Markdown]:
        return list(self.query_children(_Segment))

    async def append_text(self, fragment: str) -> None:
        """Add a fragment at the end; fragments that arrive while rendering are batched."""
        fragment = safe_for_terminal(fragment)
        if not fragment:
            return
        self._parts.append(fragment)
        current = self.query_children(_Segment).last()
        head, tail, runs_on = self._split(fragment)
        if head:
            await current.write(head)
            self._segment_text += head
        if tail is None:
            return
        await current.close()
        current.set_class(runs_on, "-runs-on")
        self.call_after_refresh(self._fix_height, current)
        following = _Segment()
        await self.mount(following)
        self._segment_text = tail
        await following.write(tail)

    def _split(self, fragment: str) -> tuple[str, str | None, bool]:
        """Where `fragment` moves on to a new segment: (head, tail or None, runs on)."""
        written = self._segment_text
        candidate = written + fragment
        if len(candidate) < SEGMENT_CHARS:
            return fragment, None, False
        boundary = fragment.rfind("\n\n")
        if boundary >= 0 and not _fence_open(written + fragment[: boundary + 2]):
            return fragment[: boundary + 2], fragment[boundary + 2 :], False
        paragraph = len(candidate) - max(candidate.rfind("\n\n"), 0)
        if paragraph >= RUN_ON_CHARS and not _fence_open(candidate):
            space = fragment.rfind(" ")
            if space > 0:
                return fragment[:space], fragment[space:], True
        return fragment, None, False

    def _fix_height(self, segment: _Segment) -> None:
        if segment.is_attached and segment.stream is None:
            segment.styles.height = segment.outer_size.height

    def on_resize(self) -> None:
        # A new width wraps the text anew: measure the segments again, then fix them again.
        *finished, _last = self.segments
        for segment in finished:
            segment.styles.height = "auto"
            self.call_after_refresh(self._fix_height, segment)

    async def finish(self) -> None:
        """Render whatever is still pending and stop streaming."""
        for segment in self.segments:
            await segment.close()
