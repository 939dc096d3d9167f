"""Drawing ahead for the width the conversation goes back to when the reasoning panel toggles.

Opening or closing the panel moves the conversation between two widths. A finished answer
passage keeps its lines for two widths (`answer_text.WIDTHS_KEPT`), so toggling the panel
draws nothing again for a passage that has been on screen at both. A passage that has only
been shown at one width (say, every one that streamed in since the panel last moved) must be
drawn at the other in the frame of the key, which makes the key slower to show. So, between
frames, the finished passages near the view are drawn at the other width too, one at a time.

Only a width the pane may well go back to counts: the one before its latest change, on a
screen of the same size and with the scroll bar as it is now. A resized terminal or a scroll
bar coming or going leaves no width worth drawing.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.geometry import Size

from thinkchat.ui.renderer.answer_text import Passage, RenderMarkdown
from thinkchat.ui.renderer.blocks import Block

# What a width was drawn for: the screen's size, whether the scroll bar showed, the width.
Shape = tuple[Size, bool, int]


class DrawAhead:
    """Remembers the conversation's last two shapes; tells the width worth drawing ahead at."""

    def __init__(self) -> None:
        self._current: Shape | None = None
        self._previous: Shape | None = None

    def drawn_at(self, screen: Size, scroll_bar: bool, width: int) -> None:
        """The conversation is measured at `width` now."""
        shape = (screen, scroll_bar, width)
        if shape != self._current:
            self._previous, self._current = self._current, shape

    @property
    def width(self) -> int | None:
        """The width to draw near the view besides the current one (None: no such width)."""
        if self._previous is None or self._current is None:
            return None
        screen, scroll_bar, width = self._previous
        if (screen, scroll_bar) != self._current[:2] or width == self._current[2]:
            return None
        return width


def draw_one(blocks: Iterable[Block], width: int, render: RenderMarkdown) -> bool:
    """Draw at `width` the first answer passage among `blocks` that will not change any more
    and is not drawn there yet; whether there was one."""
    for block in blocks:
        body = block.body
        if not isinstance(body, Passage) or not body.text or width in body.rendered:
            continue
        if body.finished or (block.turn is not None and block.turn.finished):
            body.lines(width, render)
            return True
    return False
