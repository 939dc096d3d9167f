"""The conversation pane: each turn's prompt, thinking summary, answer, error and usage."""

from __future__ import annotations

import math
import time

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from thinkchat.chat.events import RetryWait
from thinkchat.chat.turn import Turn, TurnStatus
from thinkchat.terminal_text import safe_for_terminal
from thinkchat.ui.formatting import (
    region_label,
    seconds,
    thinking_summary,
    transport_label,
    usage_parts,
)
from thinkchat.ui.token_estimate import estimate_tokens
from thinkchat.ui.widgets.item_line import ItemLine, OneLine
from thinkchat.ui.widgets.sized_by_layout import SizedByLayout
from thinkchat.ui.widgets.uniform_rows import UniformRows

# A pasted prompt longer than this is shown cut short (it is sent whole).
PROMPT_DISPLAY_LIMIT = 4000


def plain(text: str) -> Content:
    """Untrusted text as content: no markup is interpreted, no control character survives."""
    return Content(safe_for_terminal(text))


def shown_prompt(prompt: str) -> str:
    if len(prompt) <= PROMPT_DISPLAY_LIMIT:
        return prompt
    return f"{prompt[:PROMPT_DISPLAY_LIMIT]}… ({len(prompt):,} characters in all, all sent)"


class ThinkingSummary(OneLine):
    """ "Thought for 4.2 s · 312 reasoning tokens": a click opens the turn's reasoning."""

    DEFAULT_CSS = """
    ThinkingSummary {
        color: $text-muted;
        text-style: italic;
        padding: 0 1;
        &:hover { color: $accent; text-style: italic underline; }
    }
    """

    class Clicked(Message):
        """The user asked to see this turn's reasoning."""

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked())


class TurnView(Vertical, UniformRows, SizedByLayout, can_focus=True):
    """One turn of the conversation. Focus it (keys or mouse) to see its reasoning."""

    DEFAULT_CSS = """
    TurnView {
        height: auto;
        padding: 0 0 1 0;
        border-left: blank;
        &:focus, &.-selected { border-left: thick $accent; }
        & > .prompt {
            background: $boost;
            padding: 0 1;
            margin: 0 0 1 0;
        }
        & > .prompt-label { color: $primary; text-style: bold; padding: 0 1; }
        & > .error {
            display: none;
            color: $error;
            border: round $error;
            padding: 0 1;
            margin: 0 1;
        }
        &.-error > .error { display: block; }
        & > .retry { display: none; color: $warning; padding: 0 1; }
        &.-retrying > .retry { display: block; }
        & > .meta { color: $text-muted; padding: 0 1; }
    }
    """

    class Selected(Message):
        """This turn was focused or its summary clicked: show its reasoning."""

        def __init__(self, view: TurnView, expand: bool) -> None:
            super().__init__()
            self.view = view
            self.expand = expand

    def __init__(self, turn: Turn, number: int) -> None:
        super().__init__()
        self.turn = turn
        self.number = number
        # Until the service counts them: estimated as they stream, or from the stored text.
        self.live_reasoning_tokens = estimate_tokens(turn.reasoning)
        # Markdown and its parser load with the first turn, not at start-up.
        from thinkchat.ui.widgets.answer import AnswerView

        self.answer = AnswerView(turn.answer)
        self._summary = ThinkingSummary(classes="summary")
        self._error = Static(classes="error")
        self._retry = Static(classes="retry")
        self._retry_timer: Timer | None = None
        self._meta = ItemLine(classes="meta")

    def compose(self) -> ComposeResult:
        yield Static(Content(f"You · {self.number}"), classes="prompt-label")
        yield Static(plain(shown_prompt(self.turn.prompt)), classes="prompt")
        yield self._summary
        yield self.answer
        yield self._error
        yield self._retry
        yield self._meta

    def on_mount(self) -> None:
        self.refresh_details()

    def refresh_details(self, error_hint: str | None = None) -> None:
        """Update the summary, the error and the usage line from the turn."""
        turn = self.turn
        self._summary.show(plain(thinking_summary(turn, self.live_reasoning_tokens)))
        self.set_class(turn.error is not None, "-error")
        if turn.error is not None:
            request = f"\nrequest id {turn.error.request_id}" if turn.error.request_id else ""
            hint = f"\n{error_hint}" if error_hint else ""
            self._error.update(plain(f"✗ {turn.error.summary}{request}{hint}"))
        self._meta.set_rows([plain(item) for item in self._meta_items()])

    def show_retry(self, wait: RetryWait, stop_key: str) -> None:
        """Count down to the next attempt; `stop_key` cancels it."""
        self.clear_retry()
        deadline = time.monotonic() + wait.delay

        def tick() -> None:
            left = max(0, math.ceil(deadline - time.monotonic()))
            self._retry.update(
                plain(
                    f"⟳ Retrying in {left} s (attempt {wait.attempt + 1} of {wait.attempts}) · "
                    f"{stop_key} cancels"
                )
            )

        tick()
        self._retry_timer = self.set_interval(0.5, tick)
        self.add_class("-retrying")
        self.refresh_details()

    def clear_retry(self) -> None:
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        self.remove_class("-retrying")

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

    def on_focus(self) -> None:
        self.post_message(self.Selected(self, expand=False))

    def on_thinking_summary_clicked(self, message: ThinkingSummary.Clicked) -> None:
        message.stop()
        self.post_message(self.Selected(self, expand=True))


class OlderTurns(Static):
    """ "12 earlier turns: scroll up or click to show them"."""

    DEFAULT_CSS = """
    OlderTurns {
        color: $text-muted;
        text-align: center;
        padding: 0 1 1 1;
        &:hover { color: $accent; }
    }
    """

    class Clicked(Message):
        """The user asked for the earlier turns."""

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked())


class ConversationView(VerticalScroll, UniformRows, SizedByLayout):
    """The scrolling list of turns; it follows new output only while scrolled to the end.

    A long conversation shows its latest turns first: widgets for older turns are mounted
    only when the view is scrolled to the top (or the note there is clicked).
    """

    PAGE_TURNS = 10

    DEFAULT_CSS = """
    ConversationView {
        height: 1fr;
        width: 3fr;
        padding: 0 1;
        & > .empty { color: $text-muted; padding: 1 2; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._empty = Static(classes="empty")
        self._older = OlderTurns()
        self._hidden: list[Turn] = []  # older turns not mounted yet, oldest first

    def compose(self) -> ComposeResult:
        yield self._older
        yield self._empty

    def on_mount(self) -> None:
        self.anchor()
        self._update_older()

    @property
    def hidden_count(self) -> int:
        return len(self._hidden)

    def _update_older(self) -> None:
        count = len(self._hidden)
        self._older.display = count > 0
        self._older.update(Content(f"▲ {count} earlier turns: scroll up or click to show them"))

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if new <= 0 < old and self._hidden:
            self.run_worker(self.show_older(), exclusive=True, group="older-turns")

    def on_older_turns_clicked(self, message: OlderTurns.Clicked) -> None:
        message.stop()
        self.run_worker(self.show_older(), exclusive=True, group="older-turns")

    async def show_turns(self, turns: list[Turn]) -> None:
        """Show a whole conversation: its latest turns now, the older ones on request."""
        await self.clear_turns()
        shown = turns[-self.PAGE_TURNS :]
        self._hidden = turns[: len(turns) - len(shown)]
        self._empty.display = not turns
        first_number = len(self._hidden) + 1
        await self.mount_all(
            [TurnView(turn, first_number + index) for index, turn in enumerate(shown)]
        )
        self._update_older()
        self.anchor()

    async def show_older(self) -> None:
        """Mount the next page of older turns above the first, keeping the view in place."""
        page, self._hidden = self._hidden[-self.PAGE_TURNS :], self._hidden[: -self.PAGE_TURNS]
        if not page:
            return
        first_number = len(self._hidden) + 1
        views = [TurnView(turn, first_number + index) for index, turn in enumerate(page)]
        height_before = self.virtual_size.height
        await self.mount_all(views, after=self._older)
        self._update_older()
        # Once laid out, scroll down by what was added so the same turn stays in view.
        self.call_after_refresh(
            lambda: self.scroll_to(y=self.virtual_size.height - height_before, animate=False)
        )

    def show_welcome(self, text: str) -> None:
        self._empty.update(plain(text))
        self._empty.display = not self.turn_views

    @property
    def turn_views(self) -> list[TurnView]:
        return list(self.query_children(TurnView))

    async def add_turn(self, turn: Turn) -> TurnView:
        views = self.turn_views
        number = views[-1].number + 1 if views else len(self._hidden) + 1
        view = TurnView(turn, number)
        self._empty.display = False
        await self.mount(view)
        self.anchor()
        return view

    async def clear_turns(self) -> None:
        await self.remove_children(TurnView)
        self._empty.display = True
        self._hidden = []
        self._update_older()
