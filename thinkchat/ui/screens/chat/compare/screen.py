"""The compare screen: one prompt's answers side by side, and the one to go on with.

It shows a comparison as it streams (`runner` given), or the answers a turn already has (its
alternatives, reopened from the conversation). The variants stand in columns on a wide
terminal and behind tabs on a narrow one (fewer than `COLUMN_WIDTH` cells a variant), each
with its own collapsible reasoning; the summary under them compares their figures.

escape stops every variant still streaming, and once none is, closes the screen, keeping the
answer chosen; 1–4 (or enter on a column) pick the answer the conversation goes on with.
The screen returns the index of the answer picked, or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Tab, Tabs
from textual.worker import WorkerCancelled

from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.chat.turn import Turn, TurnStatus
from thinkchat.chat.variants import MAX_VARIANTS
from thinkchat.ui.keys import KeyMap
from thinkchat.ui.screens.chat.compare.column import VariantColumn
from thinkchat.ui.screens.chat.compare.runner import ComparisonRunner
from thinkchat.ui.screens.chat.compare.summary import ComparisonSummary
from thinkchat.ui.widgets.one_line import OneLine

# Narrower than this for each variant, the variants are shown one at a time, behind tabs.
COLUMN_WIDTH = 48
# How a variant is doing, on its tab.
STATE_MARKS = {
    TurnStatus.STREAMING: "…",
    TurnStatus.DONE: "✓",
    TurnStatus.FAILED: "✗",
    TurnStatus.CANCELLED: "■",
}


class CompareScreen(Screen[int | None]):
    """The answers of one place of the conversation, side by side."""

    DEFAULT_CSS = """
    CompareScreen {
        & > .prompt { padding: 0 1; background: $panel; text-style: bold; }
        & > Tabs { display: none; }
        & #columns { height: 1fr; }
        & VariantColumn { border-left: vkey $panel; }
        & VariantColumn:first-child { border-left: none; }
        &.-tabs > Tabs { display: block; }
        &.-tabs VariantColumn { display: none; border-left: none; }
        &.-tabs VariantColumn.-active { display: block; }
    }
    """

    # The chat's ids for stopping and the reasoning: the config's [keys] rebind them here too.
    BINDINGS = [
        Binding("escape", "stop", "Stop all", id="stop"),
        Binding("escape", "close", "Close"),
        *(Binding(str(n), f"pick({n - 1})", f"Pick {n}") for n in range(1, MAX_VARIANTS + 1)),
        Binding("enter", "pick_focused", "Pick this"),
        Binding("ctrl+f", "toggle_reasoning", "Reasoning", id="toggle_reasoning"),
        Binding("tab", "next_variant(1)", "Next", show=False),
        Binding("shift+tab", "next_variant(-1)", "Previous", show=False),
        # The current variant's answer scrolls (nothing in the columns takes the focus).
        *(
            Binding(key, f"scroll_answer('{action}')", show=False)
            for key, action in (
                ("up", "scroll_up"),
                ("down", "scroll_down"),
                ("pageup", "page_up"),
                ("pagedown", "page_down"),
                ("home", "scroll_home"),
                ("end", "scroll_end"),
            )
        ),
    ]
    AUTO_FOCUS = None  # see `VariantView`

    def __init__(
        self,
        prompt: str,
        turns: Sequence[Turn],
        labels: Sequence[str],
        *,
        chosen: int,
        keys: KeyMap,
        runner: ComparisonRunner | None = None,
    ) -> None:
        """The answers `turns` to `prompt`, labelled `labels` ("" for none); `chosen` is the
        one the conversation goes on with now; `runner` streams them, when they are new."""
        super().__init__()
        self.prompt = prompt
        self.turns = list(turns)
        self.runner = runner
        self._keys = keys
        self.columns = [
            VariantColumn(index, label, turn, prompt=prompt, chosen=index == chosen)
            for index, (turn, label) in enumerate(zip(turns, labels, strict=True))
        ]
        self.labels = list(labels)
        self.summary = ComparisonSummary()
        self._tabs = [Tab("", id=f"variant-{column.index}") for column in self.columns]
        self.current = 0  # the variant the keys act on (and shown, behind tabs)

    def compose(self) -> ComposeResult:
        first_line = next((line for line in self.prompt.splitlines() if line.strip()), "")
        prompt = OneLine(classes="prompt")
        prompt.show(Content(safe_for_terminal(f"Compare · {first_line}")))
        yield prompt
        yield Tabs(*self._tabs)
        with Horizontal(id="columns"):
            yield from self.columns
        yield self.summary
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for column in self.columns:
            column.panel.toggle_key = self._keys.key_for("toggle_reasoning")
        self.columns[0].mark_current(True)
        self.refresh_summary()
        if self.runner is not None:
            self._stream()

    def on_resize(self, event: events.Resize) -> None:
        tabs = event.size.width < COLUMN_WIDTH * len(self.columns)
        if tabs:
            self._show_active()
        self.set_class(tabs, "-tabs")

    @property
    def streaming(self) -> bool:
        return self.runner is not None and self.runner.streaming

    @work(group="compare")
    async def _stream(self) -> None:
        assert self.runner is not None
        await self.runner.run(self.columns, self.refresh_summary)
        self.refresh_bindings()

    def refresh_summary(self) -> None:
        """Show the figures as they are now, and on each tab how its variant is doing."""
        live = self.runner.live_tokens() if self.runner is not None else None
        # Answers reopened have no variant to name them by: their settings do.
        labels = [
            label or turn.settings.short()
            for label, turn in zip(self.labels, self.turns, strict=True)
        ]
        self.summary.show(labels, self.turns, live)
        for tab, column, label in zip(self._tabs, self.columns, labels, strict=True):
            label = f"{column.index + 1} {label} {STATE_MARKS[column.turn.status]}"
            if tab.label_text != label:
                tab.label = Content(safe_for_terminal(label))  # text, never markup

    # Keys ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # escape stops while a variant streams, and closes once none does.
        if action == "stop":
            return self.streaming
        if action == "close":
            return not self.streaming
        if action == "pick":
            (index,) = parameters
            return index in range(len(self.columns))
        return True

    async def action_stop(self) -> None:
        """Stop every variant still streaming; each keeps what arrived."""
        streams = [worker for worker in self.workers if worker.node is self]
        self.workers.cancel_group(self, "compare")
        for worker in streams:
            with suppress(WorkerCancelled):  # what stopping it means
                await worker.wait()
        self.refresh_bindings()

    def action_close(self) -> None:
        """Back to the chat, which goes on with the answer chosen."""
        self.dismiss(None)

    def action_toggle_reasoning(self) -> None:
        collapsed = not self.columns[0].panel.collapsed
        for column in self.columns:
            column.panel.collapsed = collapsed

    async def action_pick(self, index: int) -> None:
        """Go on with variant `index`'s answer: the others still streaming stop first."""
        if not self.turns[index].answer:
            self.notify(
                f"Answer {index + 1} has no text (yet) to go on with; pick another.",
                severity="warning",
                markup=False,
            )
            return
        if self.streaming:
            await self.action_stop()
        self.dismiss(index)

    async def action_pick_focused(self) -> None:
        await self.action_pick(self.current)

    def action_next_variant(self, step: int) -> None:
        """The next variant becomes the current one (`step` -1: the one before)."""
        self._show_current((self.current + step) % len(self.columns))

    def action_scroll_answer(self, action: str) -> None:
        """Scroll the current variant's answer (`action`: a scroll action of the view)."""
        getattr(self.columns[self.current].view, f"action_{action}")()

    @on(Tabs.TabActivated)
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        self._show_current(int((event.tab.id or "variant-0").removeprefix("variant-")))

    @on(VariantColumn.Clicked)
    def _column_clicked(self, message: VariantColumn.Clicked) -> None:
        self._show_current(message.index)

    def _show_current(self, index: int) -> None:
        """Variant `index` is the one the keys act on: its title is marked and, behind tabs,
        it is the one shown. Only what changes is restyled: a key the user waits to see,
        even while the variants stream."""
        if index == self.current:
            return
        self.columns[self.current].mark_current(False)
        self.columns[index].mark_current(True)
        self.current = index
        if self.has_class("-tabs"):
            self._show_active()

    def _show_active(self) -> None:
        """Behind tabs: the current variant's tab is active, and its column the one shown.
        (On a wide terminal the tabs are hidden, and left alone: their underline moves in an
        animation of its own.)"""
        self.query_one(Tabs).active = f"variant-{self.current}"
        for column in self.columns:
            column.set_class(column.index == self.current, "-active")
