"""The conversation pane: every turn's prompt, thinking summary, answer, error and usage.

The whole conversation is one line-API widget, as the reasoning panel is. While an answer
streams, a frame adds lines at the end: the scroll height grows and the new lines are drawn,
and nothing is laid out. With a widget for each turn and each block of Markdown, each frame laid
out the whole screen, and a key pressed meanwhile waited for it (tens of milliseconds).

Each turn keeps its parts drawn at the current width (see `TurnEntry`); finished answer segments
keep the lines of the last two widths, and those near the view are drawn at the other width
between frames (see `other_width`), so the reasoning panel opening and closing draws little
again. At a width a segment was never drawn at, its height is estimated, and it is drawn when it
comes within a screen of the view; the lines on screen stay where they are when an estimate
above them turns out wrong.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from thinkchat.chat.turn import Turn
from thinkchat.ui.widgets.finished_lines import FinishedLines
from thinkchat.ui.widgets.line_map import Anchor, LineMap, Piece, PieceKey, conversation_pieces
from thinkchat.ui.widgets.line_render import LineRenderer, Look, highlight, read_look
from thinkchat.ui.widgets.other_width import OtherWidth, draw_one
from thinkchat.ui.widgets.rows import CLICKABLE, GUTTER, Rows
from thinkchat.ui.widgets.scroll_bar import QuietVerticalScrollBar
from thinkchat.ui.widgets.turn_entry import TurnEntry

NEAR_SCREENS = 1  # answer segments this many screens from the view are drawn exactly


class ConversationView(ScrollView, QuietVerticalScrollBar, can_focus=True):
    """The scrolling list of turns; it follows new output only while scrolled to the end.

    A long conversation shows its latest turns first: older turns are added only when the
    view is scrolled to the top (or the note there is clicked).
    """

    PAGE_TURNS = 10

    COMPONENT_CLASSES = {
        "conversation--label",
        "conversation--prompt",
        "conversation--summary",
        "conversation--error",
        "conversation--retry",
        "conversation--meta",
        "conversation--note",
        "conversation--selected",
        "conversation--heading",
        "conversation--link",
        "conversation--code",
        "conversation--code-block",
        "conversation--bullet",
        "conversation--quote",
    }

    DEFAULT_CSS = """
    ConversationView {
        height: 1fr;
        width: 3fr;
        padding: 0 1;
        /* Lines are drawn at the view's width: it never scrolls sideways (and a narrower view
           must not show a horizontal bar for the moment its lines are wider). */
        overflow-x: hidden;
        & > .conversation--label { color: $primary; text-style: bold; }
        & > .conversation--prompt { background: $boost; }
        & > .conversation--summary { color: $text-muted; text-style: italic; }
        & > .conversation--error { color: $error; }
        & > .conversation--retry { color: $warning; }
        & > .conversation--meta { color: $text-muted; }
        & > .conversation--note { color: $text-muted; }
        & > .conversation--selected { color: $accent; }
        & > .conversation--heading { color: $primary; text-style: bold; }
        & > .conversation--link { color: $text-accent; text-style: underline; }
        & > .conversation--code { color: $text-warning; background: $warning-muted; }
        & > .conversation--code-block { background: $background-darken-1; }
        & > .conversation--bullet { color: $primary; }
        & > .conversation--quote { color: $text-muted; text-style: italic; }
    }
    """

    class TurnSelected(Message):
        """A turn was chosen (a click, or a key): show its reasoning; `expand` opens it."""

        def __init__(self, entry: TurnEntry, expand: bool) -> None:
            super().__init__()
            self.entry = entry
            self.expand = expand

    class LinkClicked(Message):
        """A link in an answer was clicked; it came from the model, so it is not opened."""

        def __init__(self, href: str) -> None:
            super().__init__()
            self.href = href

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[TurnEntry] = []
        self.selected: TurnEntry | None = None
        self._hidden: list[Turn] = []  # older turns not shown yet, oldest first
        self._welcome = ""
        self._map = LineMap()
        self._following = True  # at the end, staying there as the conversation grows
        self._scrolling = False  # the scroll position is being set here, not by the reader
        self._hovered: PieceKey | None = None  # the clickable line under the mouse
        self._renderer: LineRenderer | None = None
        self._built_width = 0  # the width the pieces were measured at
        self._other_width = OtherWidth()
        self._drawing_other_width = False
        self._style: Style | None = None
        self._rows = Rows()
        self._finished = FinishedLines()

    # Reading the state ---------------------------------------------------------------------

    @property
    def hidden_count(self) -> int:
        return len(self._hidden)

    @property
    def text_width(self) -> int:
        """The width turns are drawn at (0 before the first layout)."""
        return max(self.scrollable_content_region.width - GUTTER, 0)

    @property
    def renderer(self) -> LineRenderer:
        """Draws the turns in the styles the CSS gives now."""
        if self._renderer is None:
            self._renderer = LineRenderer(self.app.console, self._read_look())
        return self._renderer

    def _read_look(self) -> Look:
        return read_look(
            lambda name: self.get_component_rich_style(f"conversation--{name}", partial=False),
            dark=self.app.current_theme.dark,
        )

    def holds(self, entry: TurnEntry) -> bool:
        return entry in self.entries

    def line_of(self, entry: TurnEntry, kind: str = "head") -> int:
        """The first line of a turn's part ("head", "summary", "answer" or "tail")."""
        start = self._map.start_of(lambda piece: piece.entry is entry and piece.kind == kind)
        if start is None:
            raise LookupError(f"turn {entry.number} has no {kind} shown")
        return start

    @property
    def lines(self) -> list[str]:
        """Every line as text (the answers drawn in full): what a selection copies from."""
        width = self.text_width
        return [self._line(row, width).text for row in range(self._map.height)]

    # Changing what is shown ----------------------------------------------------------------

    def show_turns(self, turns: list[Turn]) -> None:
        """Show a whole conversation: its latest turns now, the older ones on request."""
        shown = turns[-self.PAGE_TURNS :]
        self._hidden = turns[: len(turns) - len(shown)]
        first_number = len(self._hidden) + 1
        self.entries = [TurnEntry(self, turn, first_number + i) for i, turn in enumerate(shown)]
        self.selected = None
        self._rebuild(follow=True)

    def add_turn(self, turn: Turn) -> TurnEntry:
        number = self.entries[-1].number + 1 if self.entries else len(self._hidden) + 1
        entry = TurnEntry(self, turn, number)
        self.entries.append(entry)
        self._rebuild(follow=True)
        return entry

    def clear_turns(self) -> None:
        for entry in self.entries:
            entry.clear_retry()
        self.entries = []
        self._hidden = []
        self.selected = None
        self._rebuild(follow=True)

    def show_older(self) -> None:
        """Add the next page of older turns above the first, keeping the view in place."""
        page, self._hidden = self._hidden[-self.PAGE_TURNS :], self._hidden[: -self.PAGE_TURNS]
        if not page:
            return
        first_number = len(self._hidden) + 1
        older = [TurnEntry(self, turn, first_number + i) for i, turn in enumerate(page)]
        self.entries = older + self.entries
        self._rebuild()

    def show_welcome(self, text: str) -> None:
        self._welcome = text
        self._rebuild()

    def turn_changed(self, entry: TurnEntry) -> None:
        """A turn's text or details changed: measure and draw it again."""
        self._rebuild()

    def select(self, entry: TurnEntry | None) -> None:
        """Mark `entry` as the turn whose reasoning is shown."""
        if entry is not self.selected:
            self.selected = entry
            self.refresh()

    def choose(self, entry: TurnEntry, *, expand: bool = False) -> None:
        """Select a turn as a click would, and bring it into view."""
        self.post_message(self.TurnSelected(entry, expand))
        if self._map.pieces:
            self.scroll_to(y=self.line_of(entry), animate=False, immediate=True)

    # Measuring -----------------------------------------------------------------------------

    def _rebuild(self, *, follow: bool = False, repaint: bool = True) -> None:
        """Measure every piece again, keep the lines on screen in place (or follow the end);
        `repaint`: ask for the widget to be drawn again (not when it is being drawn)."""
        width = self._built_width = self.text_width
        if width <= 0:
            self._map = LineMap()
            return
        self._following = self._following or follow
        anchor = None if self._following else self._map.anchor_at(round(self.scroll_y))
        pieces = conversation_pieces(
            self.entries, len(self._hidden), self._welcome, width, self.renderer
        )
        self._map.measure(width, pieces)
        self._other_width.drawn_at(self.screen.size, self.show_vertical_scrollbar, width)
        # Being drawn at a new width (a key's frame: the panel opened or closed), only what is
        # on screen is drawn now; the screens around it follow once that frame is shown.
        self._draw_near_view(width, anchor, screens=NEAR_SCREENS if repaint else 0)
        self._set_height(width, self._scroll_top(anchor), repaint=repaint)
        if repaint:
            self.refresh()
        elif self._estimated_near(round(self.scroll_y), width):
            self.call_after_refresh(self._rebuild)
        self._draw_other_width_later()

    def _draw_other_width_later(self) -> None:
        if not self._drawing_other_width and self._other_width.width is not None:
            self._drawing_other_width = True
            self.call_after_refresh(self._draw_other_width)

    def _draw_other_width(self) -> None:
        """Draw one segment near the view at the width the reasoning panel toggles back to,
        then the next after the next refresh: a key pressed meanwhile waits for one at most
        (see `other_width`)."""
        self._drawing_other_width = False
        other = self._other_width.width
        if other is None:
            return
        view = self.scrollable_content_region.height
        top = round(self.scroll_y)
        near = self._map.between(top - view * NEAR_SCREENS, top + view * (1 + NEAR_SCREENS))
        if draw_one(near, other, self.renderer.markdown):
            self._draw_other_width_later()

    def _draw_near_view(self, width: int, anchor: Anchor | None, *, screens: int) -> None:
        """Draw the estimated segments on screen and `screens` screens around it."""
        for _ in range(10):  # an estimate drawn moves the view: look again, until it stays
            view = self.scrollable_content_region.height
            top = self._scroll_top(anchor)
            estimated = self._map.estimated(top - screens * view, top + view * (1 + screens), width)
            if not estimated:
                break
            for piece in estimated:
                piece.lines(width, self.renderer.markdown)
            self._map.measure(width)

    def _estimated_near(self, top: int, width: int) -> bool:
        """Whether an estimated segment is within `NEAR_SCREENS` of a view from `top`."""
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
            self.set_reactive(ConversationView.virtual_size, size)
            self.vertical_scrollbar.window_virtual_size = size.height
        else:
            self.virtual_size = size
        if top == round(self.scroll_y):
            return
        if not repaint:
            # Being drawn: the lines drawn next read this position, and a scroll's own
            # repaint would draw the whole pane a second time.
            self.set_reactive(ConversationView.scroll_y, top)
            self.set_reactive(ConversationView.scroll_target_y, top)
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
        if new <= 0 < old and self._hidden:
            self.show_older()
        # At a new width everything near the view is measured again before it is drawn.
        width = self.text_width
        if round(old) == round(new) or not self._map.pieces or width != self._built_width:
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
        for entry in self.entries:
            entry.forget_drawing()
        self.call_later(self._rebuild)

    # Drawing -------------------------------------------------------------------------------

    def _line(self, row: int, width: int) -> Strip:
        """Line `row` of the conversation as drawn: `width + GUTTER` cells in the base style,
        with the offsets a mouse selection reads."""
        if self._style is None:
            self._style = self.rich_style
        return self._rows.draw(
            self._map,
            row,
            width,
            self.renderer,
            self._style,
            selected=self.selected,
            hovered=self._hovered,
        )

    @property
    def _space_above(self) -> int:
        """Blank rows above a conversation shorter than the view: it sits at the bottom, by
        the prompt, as chats do."""
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
            line = self._line(row, width)
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

    # Input ---------------------------------------------------------------------------------

    def _piece_at(self, event: events.MouseEvent) -> Piece | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        return self._map.piece_at(round(self.scroll_y) + offset.y - self._space_above)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        piece = self._piece_at(event)
        self._hover(piece.key if piece is not None and piece.kind in CLICKABLE else None)

    def on_leave(self) -> None:
        self._hover(None)

    def _hover(self, key: PieceKey | None) -> None:
        if key != self._hovered:
            self._hovered = key
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        href = event.style.meta.get("href")
        if isinstance(href, str):
            event.stop()
            self.post_message(self.LinkClicked(href))
            return
        piece = self._piece_at(event)
        if piece is None:
            return
        if piece.kind == "older":
            event.stop()
            self.show_older()
        elif piece.entry is not None:
            event.stop()
            self.post_message(self.TurnSelected(piece.entry, expand=piece.kind == "summary"))

    def on_focus(self) -> None:
        if self.selected is None and self.entries:
            self.post_message(self.TurnSelected(self.entries[-1], expand=False))
