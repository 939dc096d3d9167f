"""One turn of the conversation as lines: its prompt, thinking summary, answer, error and usage.

A turn is not a widget: the conversation draws every turn in one widget (see
`ConversationView`), so that an answer growing by a line changes a scroll height instead of
laying out the screen. A turn keeps its parts drawn at the conversation's width and draws again
only the part that changed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from textual.cache import LRUCache
from textual.content import Content
from textual.strip import Strip
from textual.timer import Timer

from thinkchat.chat.events import RetryWait
from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.chat.transport_registry import transport_label
from thinkchat.chat.turn import Turn, TurnStatus
from thinkchat.ui.formatting import (
    region_label,
    seconds,
    thinking_summary,
    usage_parts,
)
from thinkchat.ui.token_estimate import estimate_tokens
from thinkchat.ui.widgets.answer_text import WIDTHS_KEPT, AnswerText, Segment
from thinkchat.ui.widgets.item_line import fit_items
from thinkchat.ui.widgets.line_render import LineRenderer

if TYPE_CHECKING:
    from thinkchat.ui.widgets.conversation import ConversationView

# A pasted prompt longer than this is shown cut short (it is sent whole).
PROMPT_DISPLAY_LIMIT = 4000
META_SEPARATOR = Content(" · ")


def shown_prompt(prompt: str) -> str:
    if len(prompt) <= PROMPT_DISPLAY_LIMIT:
        return prompt
    return f"{prompt[:PROMPT_DISPLAY_LIMIT]}… ({len(prompt):,} characters in all, all sent)"


class TurnEntry:
    """A turn as the conversation shows it; the stream draws into it through these methods."""

    def __init__(self, owner: ConversationView, turn: Turn, number: int) -> None:
        self.owner = owner
        self.turn = turn
        self.number = number
        # Until the service counts them: estimated as they stream, or from the stored text.
        self.live_reasoning_tokens = estimate_tokens(turn.reasoning)
        self.answer = AnswerText(safe_for_terminal(turn.answer))
        self._error_hint: str | None = None
        self._retry_text: str | None = None
        self._retry_timer: Timer | None = None
        # By width, for the latest widths (the reasoning panel toggles the pane between two):
        # each part ("head", "summary", "tail") as last drawn, with what it was drawn from; and
        # the width they are up to date at (0: the turn changed since).
        self._drawn: LRUCache[int, dict[str, tuple[Hashable, list[Strip]]]] = LRUCache(WIDTHS_KEPT)
        self._drawn_at = 0

    @property
    def is_attached(self) -> bool:
        """Whether it is still in the conversation on screen (not cleared away)."""
        return self.owner.is_attached and self.owner.holds(self)

    @property
    def summary_text(self) -> str:
        return thinking_summary(self.turn, self.live_reasoning_tokens)

    # Changes, from the stream ------------------------------------------------------------

    def append_answer(
        self, fragment: str, *, stop: Callable[[], bool] | None = None, redraw: bool = True
    ) -> str:
        """Add a fragment to the answer and return what was left for later.

        Each segment the fragment finishes is drawn at once, and `stop()` may end the
        append there (a key waits to be drawn): that is the work a frame can hand on.
        `redraw=False`: the caller refreshes the details next, which draws the turn again.
        """
        width = self.owner.text_width

        def segment_done() -> bool:
            if width > 0:
                self.answer.segments[-2].lines(width, self.owner.renderer.markdown)
            return stop is not None and stop()

        rest = self.answer.append(safe_for_terminal(fragment), on_segment=segment_done)
        if redraw:
            self.owner.turn_changed(self)
        return rest

    def refresh_details(self, error_hint: str | None = None) -> None:
        """Show the summary, the error and the usage line as the turn has them now (a part
        that reads the same as before is not drawn again)."""
        self._error_hint = error_hint
        self._drawn_at = 0
        self.owner.turn_changed(self)

    def show_retry(self, wait: RetryWait, stop_key: str) -> None:
        """Count down to the next attempt; `stop_key` cancels it."""
        self.clear_retry()
        deadline = time.monotonic() + wait.delay

        def tick() -> None:
            left = max(0, math.ceil(deadline - time.monotonic()))
            self._retry_text = (
                f"⟳ Retrying in {left} s (attempt {wait.attempt + 1} of {wait.attempts}) · "
                f"{stop_key} cancels"
            )
            self.refresh_details(self._error_hint)

        tick()
        self._retry_timer = self.owner.set_interval(0.5, tick)

    def clear_retry(self) -> None:
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        if self._retry_text is not None:
            self._retry_text = None
            self.refresh_details(self._error_hint)

    # Drawing ------------------------------------------------------------------------------

    def forget_drawing(self) -> None:
        """Draw everything again (the styles changed)."""
        self._drawn.clear()
        self._drawn_at = 0
        for segment in self.answer.segments:
            segment.rendered.clear()

    def parts(self, width: int) -> list[tuple[str, list[Strip] | Segment]]:
        """Its parts from top to bottom, at `width`: drawn lines, or answer segments
        (drawn when they come near the screen)."""
        if self._drawn_at != width:
            self._draw_parts(width)
        drawn = self._drawn[width]
        head, summary, tail = (drawn[name][1] for name in ("head", "summary", "tail"))
        parts: list[tuple[str, list[Strip] | Segment]] = [("head", head), ("summary", summary)]
        answer = [("answer", segment) for segment in self.answer.segments if segment.text]
        if answer:
            blank = [Strip.blank(width)]
            parts.extend([("before answer", blank), *answer, ("after answer", blank)])
        parts.append(("tail", tail))
        return parts

    def _draw_parts(self, width: int) -> None:
        """Draw the head, summary and tail at `width`; a part that reads as it did when last
        drawn at that width is kept (most frames of a stream change neither summary nor tail,
        and a toggle of the panel changes none)."""
        render, look = self.owner.renderer, self.owner.renderer.look

        def draw_head() -> list[Strip]:
            label = render.text(f"You · {self.number}", width, look.label)
            prompt = safe_for_terminal(shown_prompt(self.turn.prompt))
            return [*label, *render.text(prompt, width, look.prompt), Strip.blank(width)]

        summary_text = safe_for_terminal(self.summary_text)
        meta = self._meta_items()
        drawn = self._drawn.get(width)
        if drawn is None:
            drawn = self._drawn[width] = {}

        def part(name: str, source: Hashable, draw: Callable[[], list[Strip]]) -> None:
            # Keep the lines from last time while they are drawn from the same source.
            if name not in drawn or drawn[name][0] != source:
                drawn[name] = (source, draw())

        part("head", None, draw_head)
        part(
            "summary",
            summary_text,
            lambda: render.text(summary_text, width, look.summary, one_line=True),
        )
        part(
            "tail",
            (self.turn.error, self._error_hint, self._retry_text, *meta),
            lambda: self._draw_tail(width, render, meta),
        )
        self._drawn_at = width

    def _draw_tail(self, width: int, render: LineRenderer, meta: list[str]) -> list[Strip]:
        turn, look = self.turn, render.look
        lines: list[Strip] = []
        if turn.error is not None:
            request = f"\nrequest id {turn.error.request_id}" if turn.error.request_id else ""
            hint = f"\n{self._error_hint}" if self._error_hint else ""
            lines.extend(
                render.error_box(safe_for_terminal(f"✗ {turn.error.summary}{request}{hint}"), width)
            )
        if self._retry_text is not None:
            lines.extend(render.text(self._retry_text, width, look.retry))
        items = [Content(safe_for_terminal(item)) for item in meta]
        for line in fit_items(items, max(width - 2, 1), META_SEPARATOR):
            lines.extend(render.text(line.plain, width, look.meta, one_line=True))
        lines.append(Strip.blank(width))
        return lines

    def _meta_items(self) -> list[str]:
        turn, settings = self.turn, self.turn.settings
        parts = [settings.model, region_label(settings.region), transport_label(settings.transport)]
        if turn.usage is not None:
            parts.extend(usage_parts(turn.usage))
        if turn.timings.total is not None:
            parts.append(seconds(turn.timings.total))
        if turn.status is TurnStatus.CANCELLED:
            parts.append("stopped")
        elif turn.status is TurnStatus.STREAMING:
            parts.append("streaming…")
        elif turn.finish_reason == "length":
            parts.append("cut at the output limit")
        return parts
