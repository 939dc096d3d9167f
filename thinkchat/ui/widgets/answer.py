"""An answer rendered as Markdown, fed a fragment at a time while it streams.

One Markdown widget re-reads and re-lays out its whole document on every append, so a long
answer would get slower to draw with every token. The answer is therefore kept in segments:
once the segment being written has `SEGMENT_CHARS`, it ends at the next block boundary (a
blank line outside a code fence), or, in a paragraph that runs on past `RUN_ON_CHARS`, at the
end of the next sentence (at a space if no sentence ends within `SENTENCE_CHARS`), the
continuation drawn flush against it: it starts a line, as after a line break, not in the middle
of a sentence. Only the last segment is parsed again.

Every layout still visits each child of a container, so segments are grouped in chunks of
`CHUNK_SEGMENTS`. A finished segment, and a full chunk, get a fixed height: a layout takes
them as they are instead of measuring their blocks again. A layout still arranges every block
of every chunk, on screen or not, so a full chunk far from the screen hides its segments:
with its fixed height it keeps its place, and a layout arranges it alone. A frame's cost stays
the same however long the answer grows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.css.scalar import Scalar
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Markdown

from thinkchat.terminal_text import safe_for_terminal
from thinkchat.ui.widgets.sized_by_layout import SizedByLayout
from thinkchat.ui.widgets.uniform_rows import UniformRows

SEGMENT_CHARS = 2000
RUN_ON_CHARS = 2000
SENTENCE_CHARS = 500  # how much longer a run-on paragraph may grow waiting for a sentence end
CHUNK_SEGMENTS = 8
REMEASURE_SEGMENTS = 3  # finished segments measured again a frame, after the width changed
NEAR_SCREENS = 1  # full chunks lay out their blocks only this many screens from the screen
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
# The end of a sentence: a full stop, question or exclamation mark (and a closing quote or
# bracket) before a space; in Chinese and Japanese, where no space follows, the mark itself.
_SENTENCE_END = re.compile(r"""[.!?]["'”’)\]]*(?= )|[。！？]["'”’）」』]*""")


def _fence_open(text: str) -> bool:
    """Whether `text` ends inside a fenced code block."""
    return len(_FENCE.findall(text)) % 2 == 1


# Textual's paragraph block, reached through the public block table (its module is private).
_TextualParagraph = Markdown.BLOCKS["paragraph_open"]


class _Paragraph(_TextualParagraph, SizedByLayout):  # type: ignore[misc,valid-type]
    """A paragraph that remembers its height at every width it was wrapped at.

    Textual keeps a widget's height for one width only, so each time the reasoning panel
    opened or closed, every paragraph on screen was wrapped again: about 15 ms of that frame.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._heights: dict[int, int] = {}

    def set_content(self, content: Content) -> None:
        self._heights = {}  # new text (the paragraph being written) is wrapped anew
        super().set_content(content)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = super().get_content_height(container, viewport, width)
        return height


class _Segment(Markdown, UniformRows, SizedByLayout):
    """One stretch of the answer. Links are not opened on click: they come from the model."""

    BLOCKS = {**Markdown.BLOCKS, "paragraph_open": _Paragraph}

    DEFAULT_CSS = """
    _Segment {
        margin: 0;
        padding: 0 1;
        background: transparent;
        & > MarkdownBlock.-runs-on { margin-bottom: 0; }
    }
    """

    def __init__(self, text: str = "") -> None:
        super().__init__(text, open_links=False)
        self.finished = False  # no more text comes: its height can be fixed
        self.heights: dict[int, int] = {}  # its height at each width it was measured at


class _Chunk(Vertical, UniformRows, SizedByLayout):
    """Up to `CHUNK_SEGMENTS` segments, so that a layout has few children to visit."""

    DEFAULT_CSS = """
    _Chunk { height: auto; }
    """

    def __init__(self, *segments: _Segment) -> None:
        super().__init__(*segments)
        self.finished = False  # full: its height can be fixed
        self.heights: dict[int, int] = {}  # its height at each width it was measured at

    @property
    def blocks_shown(self) -> bool:
        return all(segment.display for segment in self.children)

    def show_blocks(self, shown: bool) -> None:
        """Lay out its segments, or not; only with a fixed height does it keep its place."""
        if shown != self.blocks_shown:
            for segment in self.children:
                segment.display = shown


class AnswerView(Vertical, UniformRows, SizedByLayout):
    """The model's answer, as Markdown, in segments that keep each update cheap."""

    DEFAULT_CSS = """
    AnswerView { height: auto; }
    """

    def __init__(self, text: str = "") -> None:
        super().__init__()
        text = safe_for_terminal(text)
        self._parts: list[str] = [text] if text else []
        self._current = _Segment(text)  # the segment being written
        self._segment_text = text  # and its text
        self._chunk = _Chunk(self._current)  # the chunk it is in
        self._chunk_size = 1
        self._measured_width = 0  # the width the finished parts' heights were fixed at
        # Finished segments still to measure at that width, by chunk, newest last.
        self._stale: list[tuple[_Chunk, list[_Segment]]] = []
        self._measuring: tuple[_Chunk, list[_Segment]] | None = None  # at the next layout
        self._unmeasured: list[_Segment | _Chunk] = []  # finished, not laid out since

    def compose(self) -> ComposeResult:
        yield self._chunk

    @property
    def source(self) -> str:
        """The whole answer shown so far."""
        return "".join(self._parts)

    @property
    def segments(self) -> list[Markdown]:
        return [
            segment
            for chunk in self.query_children(_Chunk)
            for segment in chunk.query_children(_Segment)
        ]

    async def append_text(self, fragment: str, *, stop: Callable[[], bool] | None = None) -> str:
        """Add a fragment at the end, and return once it is in the widgets (not yet drawn).

        Between segments, `stop()` may end the append early (a key waits to be drawn); what
        was not appended is returned, to be appended later. Not to be called again before it
        has returned: a Markdown append reads where the previous one stopped parsing.
        """
        rest = safe_for_terminal(fragment)
        while rest:
            head, tail, runs_on = self._split(rest)
            if head:
                await self._current.append(head)
                self._segment_text += head
                self._parts.append(head)
            if tail is None:
                return ""
            if runs_on and self._current.children:
                # On the block, not the segment: a class on the segment restyles all its blocks.
                self._current.children[-1].add_class("-runs-on")
            await self._next_segment()
            rest = tail
            if stop is not None and stop():
                break
        return rest

    async def _next_segment(self) -> None:
        self._finish(self._current)
        self._current = _Segment()
        self._segment_text = ""
        if self._chunk_size < CHUNK_SEGMENTS:
            self._chunk_size += 1
            await self._chunk.mount(self._current)
            return
        self._finish(self._chunk)
        self._chunk = _Chunk(self._current)
        self._chunk_size = 1
        await self.mount(self._chunk)

    def _split(self, fragment: str) -> tuple[str, str | None, bool]:
        """Where `fragment` moves on to a new segment: (head, rest or None, runs on)."""
        written = self._segment_text
        full_at = max(SEGMENT_CHARS - len(written), 0)  # where in `fragment` it is full
        if full_at >= len(fragment):
            return fragment, None, False
        boundary = fragment.find("\n\n", max(full_at - 1, 0))
        while boundary >= 0:
            cut = boundary + 2
            if not _fence_open(written + fragment[:cut]):
                return fragment[:cut], fragment[cut:], False
            boundary = fragment.find("\n\n", cut)
        # No block boundary: cut a paragraph that has run on for `RUN_ON_CHARS` at a sentence end.
        text = written + fragment
        found = text.rfind("\n\n", 0, len(written) + full_at)
        paragraph_start = found + 2 if found >= 0 else 0
        run_on_at = max(full_at, paragraph_start + RUN_ON_CHARS - len(written), 1)
        sentence = _SENTENCE_END.search(fragment, run_on_at)
        if sentence:
            cut = sentence.end()
        else:
            too_long_at = paragraph_start + RUN_ON_CHARS + SENTENCE_CHARS - len(written)
            cut = fragment.find(" ", max(run_on_at, too_long_at))
        if cut > 0 and not _fence_open(written + fragment[:cut]):
            return fragment[:cut], fragment[cut:], True
        return fragment, None, False

    def _finish(self, part: _Segment | _Chunk) -> None:
        part.finished = True
        self._unmeasured.append(part)

    def on_mount(self) -> None:
        # Heights are read right after a layout. Not after a refresh: a refresh held back by a
        # batch update still runs the callbacks waiting for it, and a part finished during a
        # fast stream was then measured before it was ever laid out (at 0 rows: it vanished).
        self.screen.screen_layout_refresh_signal.subscribe(self, self._after_layout, immediate=True)

    def _after_layout(self, screen: Screen) -> None:
        width = self.size.width
        self._unmeasured = [part for part in self._unmeasured if not self._fix_height(part)]
        if self._measuring is not None:
            chunk, batch = self._measuring
            self._measuring = None
            for segment in batch:
                self._fix_height(segment)
            if not self._stale[-1][1]:
                self._stale.pop()
                if chunk.finished:
                    self._fix_height(chunk)
            self._remeasure()
        # Only the parts near the screen are laid out: a layout arranges every block of every
        # chunk, on screen or not, and a long answer has hundreds.
        margin = screen.region.height * NEAR_SCREENS
        near = screen.region.grow((margin, 0, margin, 0))
        being_measured = {chunk for chunk, _ in self._stale}
        for chunk in self.query_children(_Chunk):
            if chunk.finished and width in chunk.heights and chunk not in being_measured:
                place = chunk.region
                if place:  # laid out, on screen or not
                    chunk.show_blocks(place.overlaps(near))

    def _fix_height(self, part: _Segment | _Chunk) -> bool:
        """Fix a finished part's height at the one it was just laid out at, if it was."""
        height = part.outer_size.height
        if not part.is_attached or not height:
            return False
        part.heights[self.size.width] = height
        # The height it already has: no need for a layout now (the next one takes it).
        part.styles.set_rule("height", Scalar.from_number(height))
        return True

    @property
    def remeasuring(self) -> bool:
        """Whether finished segments are still being measured at a new width."""
        return bool(self._stale)

    def on_resize(self, event: events.Resize) -> None:
        # A new width wraps the text anew. Finished parts measured at this width before take
        # that height again at once (the reasoning panel opening and closing goes back and
        # forth between two widths); the others are measured again a few a frame, newest
        # first, since measuring all of a long answer at once would hold up keys for a frame
        # of half a second. The answer growing taller resizes it too: nothing to do then.
        width = event.size.width
        if width == self._measured_width:
            return
        self._measured_width = width
        self._stale = []
        self._measuring = None
        for chunk in self.query_children(_Chunk):
            stale = []
            for segment in chunk.query_children(_Segment):
                if segment.finished and width in segment.heights:
                    segment.styles.height = segment.heights[width]
                elif segment.finished:
                    stale.append(segment)
            if chunk.finished and width in chunk.heights:
                chunk.styles.height = chunk.heights[width]
            elif stale:
                chunk.show_blocks(True)  # to be measured, its blocks must be laid out
                self._stale.append((chunk, stale))
        self._remeasure()

    def _remeasure(self) -> None:
        """Let the next few stale segments take their natural height: the next layout
        measures them (see `_after_layout`)."""
        if not self._stale:
            return
        chunk, segments = self._stale[-1]
        batch = segments[-REMEASURE_SEGMENTS:]
        del segments[-REMEASURE_SEGMENTS:]
        chunk.styles.height = "auto"
        for segment in batch:
            segment.styles.height = "auto"
        self._measuring = (chunk, batch)
