"""One turn of the conversation as blocks: its prompt, thinking summary, answer, error and usage.

A turn is not a widget: the conversation draws every turn in one widget (see
`ConversationView`), so that an answer growing by a line changes a scroll height instead of
laying out the screen. A turn keeps its blocks drawn at the conversation's width and draws again
only the block that changed. It knows nothing of the view that shows it: the view tells it its
width and its renderer, and draws it again when it changes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from textual.cache import LRUCache
from textual.content import Content
from textual.strip import Strip

from thinkchat.catalog import region_label
from thinkchat.chat.cost import Cost
from thinkchat.chat.figures import seconds
from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.chat.transport_registry import transport_label
from thinkchat.chat.turn import Turn, TurnStatus
from thinkchat.ui.formatting import thinking_summary
from thinkchat.ui.renderer.answer_text import WIDTHS_KEPT, AnswerText
from thinkchat.ui.renderer.blocks import Block, BlockKind
from thinkchat.ui.renderer.item_lines import fit_items
from thinkchat.ui.renderer.line_render import LineRenderer
from thinkchat.ui.token_estimate import estimate_tokens

# A pasted prompt longer than this is shown cut short (it is sent whole).
PROMPT_DISPLAY_LIMIT = 4000
META_SEPARATOR = Content(" · ")


def shown_prompt(prompt: str) -> str:
    if len(prompt) <= PROMPT_DISPLAY_LIMIT:
        return prompt
    return f"{prompt[:PROMPT_DISPLAY_LIMIT]}… ({len(prompt):,} characters in all, all sent)"


class TurnEntry:
    """A turn as the conversation shows it: its number, its answer's passages, the live token
    estimate, and the error hint and retry countdown shown under it."""

    def __init__(
        self,
        turn: Turn,
        number: int,
        *,
        heading: str | None = None,
        show_prompt: bool = True,
        alternatives_key: str = "",
    ) -> None:
        """`heading` replaces "You · N" above the prompt ("": none), `show_prompt` says
        whether the prompt is shown (a comparison's column shows it once, above them all);
        `alternatives_key` is the key that shows the turn's other answers (with the prompt
        empty): when it has any, a line says so (no key: no line)."""
        self.turn = turn
        self.number = number
        self.heading = f"You · {number}" if heading is None else heading
        self.show_prompt = show_prompt
        self.alternatives_key = alternatives_key
        # Until the service counts them: estimated as they stream, or from the stored text.
        self.live_reasoning_tokens = estimate_tokens(turn.reasoning)
        # What the turn has cost so far, estimated while it streams (None: no price known).
        self.live_cost: Cost | None = None
        self.answer = AnswerText(safe_for_terminal(turn.answer))
        self.error_hint: str | None = None
        self.retry_text: str | None = None
        # The key that sends this turn again with more room, shown when it was cut short (set
        # on the conversation's last turn only: the key acts on that one).
        self.resend_key: str | None = None
        # By width, for the latest widths (the reasoning panel toggles the pane between two):
        # each drawn block as last drawn, with what it was drawn from; and the width they are up
        # to date at (0: the turn changed since).
        self._drawn: LRUCache[int, dict[BlockKind, tuple[Hashable, list[Strip]]]] = LRUCache(
            WIDTHS_KEPT
        )
        self._drawn_at = 0

    @property
    def summary_text(self) -> str:
        return thinking_summary(self.turn, self.live_reasoning_tokens)

    def append_answer(
        self, fragment: str, width: int, render: LineRenderer, stop: Callable[[], bool] | None
    ) -> str:
        """Add a fragment to the answer and return what was left for later.

        Each passage the fragment finishes is drawn at `width` at once, and `stop()` may end
        the append there (a key waits to be drawn): that is the work a frame can hand on.
        """

        def passage_done() -> bool:
            if width > 0:
                self.answer.passages[-2].lines(width, render.markdown)
            return stop is not None and stop()

        return self.answer.append(safe_for_terminal(fragment), on_passage=passage_done)

    def details_changed(self) -> None:
        """The summary, error or usage may read differently: look at them again when next
        drawn (a block that reads the same as before is not drawn again)."""
        self._drawn_at = 0

    def forget_drawing(self) -> None:
        """Draw everything again (the styles changed)."""
        self._drawn.clear()
        self._drawn_at = 0
        for passage in self.answer.passages:
            passage.rendered.clear()

    def blocks(self, width: int, render: LineRenderer) -> list[Block]:
        """Its blocks from top to bottom, at `width`: drawn lines, or answer passages (drawn
        when they come near the screen), set apart by a blank line unless a paragraph runs on
        from one to the next."""
        if self._drawn_at != width:
            self._draw(width, render)
        drawn = self._drawn[width]
        turn = self.turn
        blocks = [
            Block(turn, BlockKind.HEAD, drawn[BlockKind.HEAD][1]),
            Block(turn, BlockKind.SUMMARY, drawn[BlockKind.SUMMARY][1]),
        ]
        passages = [passage for passage in self.answer.passages if passage.text]
        if passages:
            blank = [Strip.blank(width)]
            blocks.append(Block(turn, BlockKind.BEFORE_ANSWER, blank))
            last = passages[-1]
            blocks.extend(
                Block(
                    turn, BlockKind.ANSWER, passage, gap=passage is not last and not passage.runs_on
                )
                for passage in passages
            )
            blocks.append(Block(turn, BlockKind.AFTER_ANSWER, blank))
        if turn.alternatives and self.alternatives_key:
            # Under the answer, where the view is once the answer has streamed.
            blocks.append(Block(turn, BlockKind.ALTERNATIVES, drawn[BlockKind.ALTERNATIVES][1]))
        blocks.append(Block(turn, BlockKind.TAIL, drawn[BlockKind.TAIL][1]))
        return blocks

    def _draw(self, width: int, render: LineRenderer) -> None:
        """Draw the head, summary and tail at `width`; a block that reads as it did when last
        drawn at that width is kept (most frames of a stream change neither summary nor tail,
        and a toggle of the panel changes none)."""
        look = render.look

        def draw_head() -> list[Strip]:
            lines = render.text(self.heading, width, look.label) if self.heading else []
            if self.show_prompt:
                prompt = safe_for_terminal(shown_prompt(self.turn.prompt))
                lines.extend(render.text(prompt, width, look.prompt))
            return [*lines, Strip.blank(width)] if lines else []

        summary_text = safe_for_terminal(self.summary_text)
        meta = self._meta_items()
        cut = self._cut_text()
        drawn = self._drawn.get(width)
        if drawn is None:
            drawn = self._drawn[width] = {}

        def block(kind: BlockKind, source: Hashable, draw: Callable[[], list[Strip]]) -> None:
            # Keep the lines from last time while they are drawn from the same source.
            if kind not in drawn or drawn[kind][0] != source:
                drawn[kind] = (source, draw())

        block(BlockKind.HEAD, None, draw_head)
        block(
            BlockKind.SUMMARY,
            summary_text,
            lambda: render.text(summary_text, width, look.summary, one_line=True),
        )
        others = len(self.turn.alternatives)
        if others and self.alternatives_key:
            key = self.alternatives_key
            note = f"⇄ {others + 1} answers here · click, or {key} with an empty prompt"
            block(
                BlockKind.ALTERNATIVES,
                note,
                lambda: render.text(note, width, look.summary, one_line=True),
            )
        block(
            BlockKind.TAIL,
            (self.turn.error, self.error_hint, self.retry_text, cut, *meta),
            lambda: self._draw_tail(width, render, meta, cut),
        )
        self._drawn_at = width

    def _draw_tail(
        self, width: int, render: LineRenderer, meta: list[str], cut: str | None
    ) -> list[Strip]:
        turn, look = self.turn, render.look
        lines: list[Strip] = []
        if cut is not None:
            lines.extend(render.text(cut, width, look.retry))
        if turn.error is not None:
            request = f"\nrequest id {turn.error.request_id}" if turn.error.request_id else ""
            hint = f"\n{self.error_hint}" if self.error_hint else ""
            lines.extend(
                render.error_box(safe_for_terminal(f"✗ {turn.error.summary}{request}{hint}"), width)
            )
        if self.retry_text is not None:
            lines.extend(render.text(self.retry_text, width, look.retry))
        items = [Content(safe_for_terminal(item)) for item in meta]
        for line in fit_items(items, max(width - 2, 1), META_SEPARATOR):
            lines.extend(render.text(line.plain, width, look.meta, one_line=True))
        lines.append(Strip.blank(width))
        return lines

    def _meta_items(self) -> list[str]:
        turn, settings = self.turn, self.turn.settings
        items = [settings.model, region_label(settings.region), transport_label(settings.transport)]
        if turn.usage is not None:
            items.extend(turn.usage.summary_parts())
            if turn.cost is not None:
                items.append(turn.cost.text())
        elif turn.status is TurnStatus.STREAMING and self.live_cost is not None:
            items.append(self.live_cost.text())
        if turn.timings.total is not None:
            items.append(seconds(turn.timings.total))
        if turn.status is TurnStatus.CANCELLED:
            items.append("stopped")
        elif turn.status is TurnStatus.STREAMING:
            items.append("streaming…")
        return items

    def _cut_text(self) -> str | None:
        """What cut the answer short, in plain words, and the key that sends it again (None:
        it was not cut short)."""
        if self.turn.status is not TurnStatus.DONE:
            return None  # only a finished turn can have been cut short
        # Imported with the first turn that ends: the first frame, and the first turn's
        # frames until then, do not need the rules.
        from thinkchat.chat.cut_short import cut_short

        cut = cut_short(self.turn)
        if cut is None:
            return None
        text = f"⚠ {cut.sentence}"
        if self.resend_key and cut.remedies:
            text += f" {self.resend_key}: send it again with more room."
        return text
