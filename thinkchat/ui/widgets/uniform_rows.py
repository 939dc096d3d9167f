"""Containers whose rows all look alike draw one row and repeat it.

Textual draws every row of every widget on screen, containers included, although the widgets
inside cover nearly all of a container's rows. The conversation nests five containers (the
view, a turn, its answer, a chunk of it, a segment) around each line of text, so a full
repaint (the width changes when the reasoning panel opens or closes) drew each row of the
pane about seven times: a third of that frame. A container with no top or bottom border and
no border title draws the same row at every height, so one row is drawn and repeated.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


class UniformRows(Widget):
    """Mixed into a container whose CSS gives it no top or bottom border and no title."""

    def render_lines(self, crop: Region) -> list[Strip]:
        if crop.height <= 1:
            return super().render_lines(crop)
        row = super().render_lines(Region(crop.x, crop.y, crop.width, 1))
        return row * crop.height
