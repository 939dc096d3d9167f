"""The conversation pane: every turn's prompt, thinking summary, answer, error and usage.

The whole conversation is one line-API widget (a `BlockView`), as the reasoning panel is. While
an answer streams, a frame adds lines at the end: the scroll height grows and the new lines are
drawn, and nothing is laid out (with a widget for each turn and each Markdown block, each frame
laid out the whole screen: see README.md).

A long conversation shows its latest turns first: older turns are added a page at a time when
the view is scrolled to the top (or the note there is clicked).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from textual import events
from textual.geometry import Offset
from textual.message import Message
from textual.timer import Timer

from thinkchat.chat.events import RetryWait
from thinkchat.chat.turn import Turn
from thinkchat.ui.renderer.answer_text import Passage
from thinkchat.ui.renderer.block_map import conversation_blocks
from thinkchat.ui.renderer.block_view import BlockView
from thinkchat.ui.renderer.blocks import Block, BlockKind
from thinkchat.ui.renderer.look import COMPONENT_CLASSES, CONVERSATION_CSS
from thinkchat.ui.renderer.turn_entry import TurnEntry


class ConversationView(BlockView, can_focus=True):
    """The scrolling list of turns; it follows new output only while scrolled to the end."""

    PAGE_TURNS = 10
    COMPONENT_CLASSES = COMPONENT_CLASSES
    DEFAULT_CSS = CONVERSATION_CSS

    class TurnSelected(Message):
        """A turn was chosen (a click, or a key): show its reasoning; `expand` opens it."""

        def __init__(self, entry: TurnEntry, expand: bool) -> None:
            super().__init__()
            self.entry = entry
            self.expand = expand

    class AlternativesRequested(Message):
        """The note that a turn has other answers was clicked: show them side by side."""

        def __init__(self, entry: TurnEntry) -> None:
            super().__init__()
            self.entry = entry

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
        self._retry: tuple[TurnEntry, Timer] | None = None  # the countdown shown, if any
        # The key that shows a turn's other answers, named under each turn that has some.
        self.alternatives_key = ""

    # What the blocks are -------------------------------------------------------------------

    def _blocks(self, width: int) -> list[Block]:
        return conversation_blocks(
            self.entries, len(self._hidden), self._welcome, width, self.renderer
        )

    @property
    def _marked_turn(self) -> Turn | None:
        return None if self.selected is None else self.selected.turn

    def _forget_drawing(self) -> None:
        for entry in self.entries:
            entry.forget_drawing()

    def _reached_top(self) -> None:
        if self._hidden:
            self.show_older()

    # Reading the state ---------------------------------------------------------------------

    @property
    def hidden_count(self) -> int:
        return len(self._hidden)

    def shows(self, entry: TurnEntry) -> bool:
        """Whether `entry` is in the conversation on screen (not cleared away)."""
        return self.is_attached and entry in self.entries

    def code_block_at(self, point: Offset) -> tuple[TurnEntry, int] | None:
        """The turn and the number (from 1) of the code block of its answer drawn at `point`
        on the screen, if one is."""
        found = self.block_row_at(point)
        if found is None:
            return None
        block, row = found
        entry = next((entry for entry in self.entries if entry.turn is block.turn), None)
        if entry is None or not isinstance(block.body, Passage):
            return None
        width = self.text_width
        # Imported when a key asks: drawing never needs it.
        from thinkchat.ui.renderer.code_block_rows import code_block_at as block_number

        number = block_number(entry.answer, block.body, row, width, self.renderer.markdown)
        return None if number is None else (entry, number)

    def line_of(self, entry: TurnEntry, kind: BlockKind = BlockKind.HEAD) -> int:
        """The first row of one of a turn's blocks."""
        turn = entry.turn
        start = self._map.start_of(lambda block: block.turn is turn and block.kind is kind)
        if start is None:
            raise LookupError(f"turn {entry.number} has no {kind.value} shown")
        return start

    # Changing what is shown ----------------------------------------------------------------

    def show_turns(self, turns: list[Turn]) -> None:
        """Show a whole conversation: its latest turns now, the older ones on request."""
        shown = turns[-self.PAGE_TURNS :]
        self._hidden = turns[: len(turns) - len(shown)]
        first_number = len(self._hidden) + 1
        self.entries = [self._entry(turn, first_number + i) for i, turn in enumerate(shown)]
        self.selected = None
        self._rebuild(follow=True)

    def add_turn(self, turn: Turn) -> TurnEntry:
        number = self.entries[-1].number + 1 if self.entries else len(self._hidden) + 1
        entry = self._entry(turn, number)
        self.entries.append(entry)
        self._rebuild(follow=True)
        return entry

    def show_entry(self, entry: TurnEntry) -> None:
        """Show `entry` alone (a comparison's column shows one turn)."""
        self.entries = [entry]
        self._hidden = []
        self.selected = None
        self._rebuild(follow=True)

    def replace_turn(self, replaced: Turn, turn: Turn, *, follow: bool = False) -> TurnEntry:
        """Show `turn` in the place of `replaced`, which is shown (another answer for that
        place: one sent again, or picked); `follow`: stay at the end (`turn` streams)."""
        index = next(i for i, entry in enumerate(self.entries) if entry.turn is replaced)
        entry = self._entry(turn, self.entries[index].number)
        if self.selected is self.entries[index]:
            self.selected = entry
        self.entries[index] = entry
        self._rebuild(follow=follow)
        return entry

    def _entry(self, turn: Turn, number: int) -> TurnEntry:
        return TurnEntry(turn, number, alternatives_key=self.alternatives_key)

    def offer_resend(self, key: str) -> None:
        """Let the last turn, if it was cut short, show `key` to send it again; no other turn
        shows it (the key acts on the last one)."""
        changed = False
        for entry in self.entries:
            wanted = key if entry is self.entries[-1] else None
            if entry.resend_key != wanted:
                entry.resend_key = wanted
                entry.details_changed()
                changed = True
        if changed:
            self._rebuild()

    def clear_turns(self) -> None:
        if self._retry is not None:
            self.clear_retry(self._retry[0])
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
        older = [self._entry(turn, first_number + i) for i, turn in enumerate(page)]
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
        if self._map.blocks:
            self.scroll_to(y=self.line_of(entry), animate=False, immediate=True)

    # A turn as it streams ------------------------------------------------------------------

    def append_answer(
        self,
        entry: TurnEntry,
        fragment: str,
        *,
        stop: Callable[[], bool] | None = None,
        redraw: bool = True,
    ) -> str:
        """Add a fragment to a turn's answer and return what was left for later.

        Each passage the fragment finishes is drawn at once, and `stop()` may end the append
        there (a key waits to be drawn): that is the work a frame can hand on.
        `redraw=False`: the caller refreshes the details next, which draws the turn again.
        """
        rest = entry.append_answer(fragment, self.text_width, self.renderer, stop)
        if redraw:
            self.turn_changed(entry)
        return rest

    def refresh_details(self, entry: TurnEntry, error_hint: str | None = None) -> None:
        """Show a turn's summary, error (with `error_hint`) and usage line as it has them now."""
        entry.error_hint = error_hint
        entry.details_changed()
        self.turn_changed(entry)

    def show_retry(self, entry: TurnEntry, wait: RetryWait, stop_key: str) -> None:
        """Count down to a turn's next attempt; `stop_key` cancels it."""
        self.clear_retry(entry)
        deadline = time.monotonic() + wait.delay

        def tick() -> None:
            left = max(0, math.ceil(deadline - time.monotonic()))
            entry.retry_text = (
                f"⟳ Retrying in {left} s (attempt {wait.attempt + 1} of {wait.attempts}) · "
                f"{stop_key} cancels"
            )
            self.refresh_details(entry, entry.error_hint)

        tick()
        self._retry = (entry, self.set_interval(0.5, tick))

    def clear_retry(self, entry: TurnEntry) -> None:
        """No countdown under `entry` any more."""
        if self._retry is not None and self._retry[0] is entry:
            self._retry[1].stop()
            self._retry = None
        if entry.retry_text is not None:
            entry.retry_text = None
            self.refresh_details(entry, entry.error_hint)

    # Input ---------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        href = event.style.meta.get("href")
        if isinstance(href, str):
            event.stop()
            self.post_message(self.LinkClicked(href))
            return
        block = self._block_at(event)
        if block is None:
            return
        if block.kind is BlockKind.OLDER:
            event.stop()
            self.show_older()
        elif block.turn is not None:
            entry = next((entry for entry in self.entries if entry.turn is block.turn), None)
            if entry is None:
                return
            event.stop()
            if block.kind is BlockKind.ALTERNATIVES:
                self.post_message(self.AlternativesRequested(entry))
            else:
                self.post_message(self.TurnSelected(entry, expand=block.kind is BlockKind.SUMMARY))

    def on_focus(self) -> None:
        if self.selected is None and self.entries:
            self.post_message(self.TurnSelected(self.entries[-1], expand=False))
