"""A scrolling view of blocks drawn with Textual's line API: the machinery under the conversation.

It measures the blocks at the view's width, keeps the rows on screen in place while blocks above
them change (or follows the end), draws estimated passages as they come near the view and,
between frames, the finished ones near it at the width the pane toggles back to (see
`draw_ahead`), and draws each row once until it changes (see `rows` and `finished_lines`). What
the blocks are, and what a click on one does, is the conversation's (`ConversationView`).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from textual import events
from textual.geometry import Offset, Region, Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from thinkchat.chat.turn import Turn
from thinkchat.ui.renderer.block_map import Anchor, BlockMap
from thinkchat.ui.renderer.blocks import CLICKABLE, Block, BlockKey
from thinkchat.ui.renderer.draw_ahead import DrawAhead, draw_one
from thinkchat.ui.renderer.finished_lines import FinishedLines
from thinkchat.ui.renderer.line_render import LineRenderer, highlight
from thinkchat.ui.renderer.look import Look, read_look
from thinkchat.ui.renderer.rows import GUTTER, Rows
from thinkchat.ui.renderer.scroll_bar import DirectVerticalScrollBar

NEAR_SCREENS = 1  # answer passages this many screens from the view are drawn exactly


class BlockView(ScrollView, DirectVerticalScrollBar):
    """Blocks from top to bottom, one line-API widget; subclasses say what the blocks are."""

    # Blocks shorter than the view sit at its bottom, by the prompt, as chats do (False: at
    # its top, where a reader starts).
    SITS_AT_BOTTOM = True

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._map = BlockMap()
        self._following = True  # at the end, staying there as the blocks grow
        self._scrolling = False  # the scroll position is being set here, not by the reader
        self._hovered: BlockKey | None = None  # the clickable block under the mouse
        self._renderer: LineRenderer | None = None
        self._built_width = 0  # the width the blocks were measured at
        self._draw_ahead = DrawAhead()
        self._drawing_ahead = False
        self._style: Style | None = None
        self._rows = Rows()
        self._finished = FinishedLines()

    # What the subclass says ----------------------------------------------------------------

    def _blocks(self, width: int) -> list[Block]:
        """Every block, from top to bottom, at `width`."""
        raise NotImplementedError

    @property
    def _marked_turn(self) -> Turn | None:
        """The turn whose rows carry the mark in the gutter."""
        return None

    def _forget_drawing(self) -> None:
        """The look changed: what the blocks keep drawn must be drawn again."""

    def _reached_top(self) -> None:
        """The view was scrolled to the top."""

    # Reading the state ---------------------------------------------------------------------

    @property
    def text_width(self) -> int:
        """The width blocks are drawn at (0 before the first layout)."""
        return max(self.scrollable_content_region.width - GUTTER, 0)

    @property
    def renderer(self) -> LineRenderer:
        """Draws the blocks in the styles the CSS gives now."""
        if self._renderer is None:
            self._renderer = LineRenderer(self.app.console, self._read_look())
        return self._renderer

    def _read_look(self) -> Look:
        return read_look(
            lambda name: self.get_component_rich_style(f"conversation--{name}", partial=False),
            dark=self.app.current_theme.dark,
        )

    @property
    def lines(self) -> list[str]:
        """Every row as text (the passages drawn in full): what a selection copies from."""
        width = self.text_width
        return [self._row(row, width).text for row in range(self._map.height)]

    # Measuring -----------------------------------------------------------------------------

    def _rebuild(self, *, follow: bool = False, repaint: bool = True) -> None:
        """Measure every block again, keep the rows on screen in place (or follow the end);
        `repaint`: ask for the widget to be drawn again (not when it is being drawn)."""
        width = self._built_width = self.text_width
        if width <= 0:
            self._map = BlockMap()
            return
        self._following = self._following or follow
        anchor = None if self._following else self._map.anchor_at(round(self.scroll_y))
        self._map.measure(width, self._blocks(width))
        self._draw_ahead.drawn_at(self.screen.size, self.show_vertical_scrollbar, width)
        # Being drawn at a new width (a key's frame: the panel opened or closed), only what is
        # on screen is drawn now; the screens around it follow once that frame is shown.
        self._draw_near_view(width, anchor, screens=NEAR_SCREENS if repaint else 0)
        self._set_height(width, self._scroll_top(anchor), repaint=repaint)
        if repaint:
            self.refresh()
        elif self._estimated_near(round(self.scroll_y), width):
            self.call_after_refresh(self._rebuild)
        self._draw_ahead_later()

    def _draw_ahead_later(self) -> None:
        if not self._drawing_ahead and self._draw_ahead.width is not None:
            self._drawing_ahead = True
            self.call_after_refresh(self._draw_one_ahead)

    def _draw_one_ahead(self) -> None:
        """Draw one passage near the view at the width the reasoning panel toggles back to,
        then the next after the next refresh: a key pressed meanwhile waits for one at most
        (see `draw_ahead`)."""
        self._drawing_ahead = False
        other = self._draw_ahead.width
        if other is None:
            return
        view = self.scrollable_content_region.height
        top = round(self.scroll_y)
        near = self._map.between(top - view * NEAR_SCREENS, top + view * (1 + NEAR_SCREENS))
        if draw_one(near, other, self.renderer.markdown):
            self._draw_ahead_later()

    def _draw_near_view(self, width: int, anchor: Anchor | None, *, screens: int) -> None:
        """Draw the estimated passages on screen and `screens` screens around it."""
        for _ in range(10):  # an estimate drawn moves the view: look again, until it stays
            view = self.scrollable_content_region.height
            top = self._scroll_top(anchor)
            estimated = self._map.estimated(top - screens * view, top + view * (1 + screens), width)
            if not estimated:
                break
            for block in estimated:
                block.lines(width, self.renderer.markdown)
            self._map.measure(width)

    def _estimated_near(self, top: int, width: int) -> bool:
        """Whether an estimated passage is within `NEAR_SCREENS` of a view from `top`."""
        view = self.scrollable_content_region.height
        margin = view * NEAR_SCREENS
        return bool(self._map.estimated(top - margin, top + view + margin, width))

    def _scroll_top(self, anchor: Anchor | None) -> int:
        end = max(self._map.height - self.scrollable_content_region.height, 0)
        if self._following:
            return end
        row = None if anchor is None else self._map.row_of(anchor)
        return max(min(round(self.scroll_y) if row is None else row, end), 0)

    def _set_height(self, width: int, top: int, *, repaint: bool) -> None:
        size = Size(width + GUTTER, self._map.height)
        if self.show_vertical_scrollbar and size.height > self.scrollable_content_region.height:
            # The scroll bar stays: update it here. Setting `virtual_size` lays out the whole
            # screen, which is what this widget is here to avoid, on every frame of a stream
            # and a second time after each new width (the reasoning panel opening or closing).
            self.set_reactive(BlockView.virtual_size, size)
            self.vertical_scrollbar.window_virtual_size = size.height
        else:
            self.virtual_size = size
        if top == round(self.scroll_y):
            return
        if not repaint:
            # Being drawn: the rows drawn next read this position, and a scroll's own
            # repaint would draw the whole pane a second time.
            self.set_reactive(BlockView.scroll_y, top)
            self.set_reactive(BlockView.scroll_target_y, top)
            self.vertical_scrollbar.position = top
            return
        self._scrolling = True
        try:
            self.scroll_target_y = self.scroll_y = top
        finally:
            self._scrolling = False

    def render_lines(self, crop: Region) -> list[Strip]:
        # A new width (the reasoning panel opened or closed, the terminal resized) is drawn
        # in the screen update that brought it: the resize event comes after that update,
        # and drawing again then cost a second update of the whole pane.
        if self.text_width != self._built_width:
            self._rebuild(repaint=False)
        lines = self._finished.render_lines(self, crop, self._line_at())
        return super().render_lines(crop) if lines is None else lines

    def on_resize(self) -> None:
        self._fit_width()

    def watch_show_vertical_scrollbar(self) -> None:
        # The scroll bar takes a column from the text: draw it again, narrower.
        self.call_after_refresh(self._fit_width)
        # The view followed the end as the turn grew past it, before the bar was shown.
        self.place_thumb()

    def _fit_width(self) -> None:
        if self.text_width != self._built_width:
            self._rebuild()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if not self._scrolling:
            self._following = new >= self.max_scroll_y
        if new <= 0 < old:
            self._reached_top()
        # At a new width everything near the view is measured again before it is drawn.
        width = self.text_width
        if round(old) == round(new) or not self._map.blocks or width != self._built_width:
            return
        if self._estimated_near(round(new), width):
            self.call_later(self._rebuild)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self._renderer is None:
            self._style = None
            return
        # Called for every change of focus too: draw everything again only when the look
        # changed (a new theme), not for a focus that changes nothing here.
        look = self._read_look()
        if look == self._renderer.look and self.rich_style == self._style:
            return
        self._style = None
        self._rows.forget()
        self._renderer = LineRenderer(self.app.console, look)
        self._forget_drawing()
        self.call_later(self._rebuild)

    # Drawing -------------------------------------------------------------------------------

    def _row(self, row: int, width: int) -> Strip:
        """Row `row` of the conversation as drawn: `width + GUTTER` cells in the base style,
        with the offsets a mouse selection reads."""
        if self._style is None:
            self._style = self.rich_style
        return self._rows.draw(
            self._map,
            row,
            width,
            self.renderer,
            self._style,
            selected=self._marked_turn,
            hovered=self._hovered,
        )

    @property
    def _space_above(self) -> int:
        """Blank rows above a conversation shorter than the view (see `SITS_AT_BOTTOM`)."""
        if not self.SITS_AT_BOTTOM:
            return 0
        return max(self.scrollable_content_region.height - self._map.height, 0)

    def render_line(self, y: int) -> Strip:
        return self._line_at()(y)

    def _line_at(self) -> Callable[[int], Strip]:
        """Line `y` of the view, with what all the lines of one drawing share read once
        (Textual works the view's region out anew at each reading)."""
        first = round(self.scroll_y) - self._space_above
        width = self.text_width
        selection = self.text_selection

        def line_at(y: int) -> Strip:
            row = first + y
            line = self._row(row, width)
            if selection is not None and (span := selection.get_span(row)) is not None:
                style = self.screen.get_component_rich_style("screen--selection")
                line = highlight(line, span, style)
            return line

        return line_at

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        text = "\n".join(self.lines)
        picked = selection.extract(text)
        return "\n".join(line.rstrip() for line in picked.split("\n")), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    # The mouse -----------------------------------------------------------------------------

    def _block_at(self, event: events.MouseEvent) -> Block | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        return self._map.block_at(round(self.scroll_y) + offset.y - self._space_above)

    def block_row_at(self, point: Offset) -> tuple[Block, int] | None:
        """The block at `point` on the screen, and the row of it there (from the block's
        first), or None when no block is there."""
        region = self.content_region
        if not region.contains_point(point):
            return None
        row = round(self.scroll_y) + point.y - region.y - self._space_above
        index = self._map.index_at(row)
        if row < 0 or index is None:
            return None
        return self._map.blocks[index], row - self._map.starts[index]

    def on_mouse_move(self, event: events.MouseMove) -> None:
        block = self._block_at(event)
        self._hover(block.key if block is not None and block.kind in CLICKABLE else None)

    def on_leave(self) -> None:
        self._hover(None)

    def _hover(self, key: BlockKey | None) -> None:
        if key != self._hovered:
            self._hovered = key
            self.refresh()
