"""The vertical scroll bar of the conversation and of the reasoning: Textual's, drawn directly.

Textual draws a scroll bar the way it draws any widget: it renders a Rich renderable of the
whole bar into lines, then passes every line through the widget's style cache (padding,
borders, tint, opacity) that a scroll bar has no use for; a pane that follows a stream moves its
thumb at every frame, so both panes paid that in every frame of a stream and again when the
reasoning panel opened or closed (benchmarks/RESULTS.md, "Figures moved out of the code"). This
bar takes its cells from Textual's own `ScrollBarRender.render_bar` (the same glyphs, colours and
mouse actions) and puts them into lines itself, each kind of line once.
"""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget

from thinkchat.ui.renderer.no_relayout import NoRelayoutOnResize

# What Textual's `ScrollBarRender` falls back to when a style has no colour.
_BACK_COLOR = Color.parse("#555555")
_BAR_COLOR = Color.parse("bright_magenta")


class DirectScrollBar(ScrollBar, NoRelayoutOnResize):
    """A scroll bar drawn directly, without Rich's render pipeline, whose resizing lays
    nothing out again (see `no_relayout`)."""

    def render_lines(self, crop: Region) -> list[Strip]:
        bar = self.render()
        if not self.vertical or not isinstance(bar, ScrollBarRender):
            return super().render_lines(crop)
        width, height = self.size
        style = bar.style if isinstance(bar.style, Style) else Style.parse(bar.style)
        cells = bar.render_bar(
            size=height,
            virtual_size=bar.virtual_size,
            window_size=bar.window_size,
            position=bar.position,
            thickness=width,
            vertical=True,
            back_color=style.bgcolor or _BACK_COLOR,
            bar_color=style.color or _BAR_COLOR,
        ).segments
        base_style = self.visual_style.rich_style  # the text style a bar inherits, as drawn
        filters = self.get_line_filters()
        background = self.background_colors[1]
        x1, x2 = crop.column_span
        lines: dict[Segment, Strip] = {}  # a bar has a few kinds of row, repeated

        def line(cell: Segment) -> Strip:
            drawn = Strip([Segment(cell.text, base_style + cell.style)], width)
            for line_filter in filters:
                drawn = drawn.apply_filter(line_filter, background)
            return drawn if (x1, x2) == (0, width) else drawn.crop(x1, x2)

        return [
            lines[cell] if cell in lines else lines.setdefault(cell, line(cell))
            for cell in (cells[y] for y in crop.line_range)
        ]


class DirectVerticalScrollBar(Widget):
    """Mixed into a scrolling widget, after Textual's class (whose CSS only the first base
    passes on): its vertical scroll bar is a `DirectScrollBar`. The conversation is one row
    shorter while the reasoning panel is collapsed, so each toggle resizes its scroll bar; a
    streaming pane moves its thumb at every frame."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Textual's own property, with a `DirectScrollBar`. Textual offers no way to choose
        the scroll bar's class: this starts it as the property does, with Textual's private
        `_start_widget` (see the renderer's README, "Textual internals")."""
        if self._vertical_scrollbar is None:
            scroll_bar = DirectScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical
            )
            scroll_bar.display = False
            self._vertical_scrollbar = scroll_bar
            self.app._start_widget(self, scroll_bar)
        return self._vertical_scrollbar

    def place_thumb(self) -> None:
        """Start a bar just shown where the view is: Textual gives the bar the scroll position
        only while the bar is shown, and does not place a bar it shows. A pane that scrolled
        before its bar appeared (following its end as it grew past the view, or anchored while
        shorter than the view) would draw its thumb where the view was before."""
        self.vertical_scrollbar.position = self.scroll_y
