"""The chat's comparisons: the compare key, a turn's answers shown again, and the answer picked.

The compare key sends the prompt being typed under the variants the compare dialog gives: the
first variant's answer is the conversation's next turn, the others its alternatives. When the
compare screen closes, the conversation shows the answer picked (the first, unless another
was); the others stay beside it, and a click on the note under its summary (or the compare
key with the prompt empty) shows them all again, streamed or stored, to pick another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from thinkchat.chat.comparison import Comparison, VariantProblem
from thinkchat.chat.session import ChatSession
from thinkchat.chat.turn import Turn
from thinkchat.chat.variants import Variant
from thinkchat.process.gc_pause import GcPause
from thinkchat.ui.keys import KeyMap
from thinkchat.ui.recorder import HistoryRecorder
from thinkchat.ui.renderer.conversation import ConversationView
from thinkchat.ui.renderer.turn_entry import TurnEntry
from thinkchat.ui.screens.chat.compare.dialog import CompareDialog
from thinkchat.ui.screens.chat.compare.runner import ComparisonRunner
from thinkchat.ui.screens.chat.compare.screen import CompareScreen
from thinkchat.ui.widgets.chat_panes import caption
from thinkchat.ui.widgets.prompt import PromptInput
from thinkchat.ui.widgets.reasoning_panel import ReasoningPanel


class ChatComparisons:
    """What the compare and alternatives keys do in the chat."""

    def __init__(
        self,
        app: App[Any],
        session: ChatSession,
        view: ConversationView,
        panel: ReasoningPanel,
        prompt_input: PromptInput,
        *,
        recorder: HistoryRecorder,
        keys: KeyMap,
        host_root: Callable[[str], str],
        gc_pause: GcPause,
        last_input: Callable[[], float],
        busy: Callable[[], bool],
        say: Callable[[str, str], None],
        on_change: Callable[[], None],
    ) -> None:
        """`busy()`: whether a turn of the chat is streaming; `say(message, severity)`
        notifies; `on_change()` is called when what the status line shows may have changed."""
        self._app = app
        self._session = session
        self._view = view
        self._panel = panel
        self._prompt_input = prompt_input
        self._recorder = recorder
        self._keys = keys
        self._host_root = host_root
        self._gc_pause = gc_pause
        self._last_input = last_input
        self._busy = busy
        self._say = say
        self._on_change = on_change

    # A new comparison ------------------------------------------------------------------------

    def compare(self) -> None:
        """Ask which variants to send the prompt being typed under; with the prompt empty,
        show the chosen turn's answers instead."""
        prompt = self._prompt_input.text.strip("\n").rstrip()
        if not prompt.strip():
            self.show_alternatives()
            return
        if self._busy():
            self._say(f"Still answering: wait, or press {self._keys.key_for('stop')}.", "warning")
            return
        session = self._session

        def describe(variant: Variant) -> str:
            settings = variant.apply(session.settings)
            session.check(prompt, settings)
            return session.turn_settings(prompt, settings).describe()

        dialog = CompareDialog(prompt, session.settings.model, describe)
        self._app.push_screen(dialog, lambda variants: self._start(prompt, variants))

    def _start(self, prompt: str, variants: list[Variant] | None) -> None:
        if variants is None:
            return
        session = self._session
        try:
            comparison = Comparison.begin(session, prompt, variants)
        except VariantProblem as problem:
            self._say(str(problem), "error")
            return
        self._prompt_input.remember(prompt)
        first, *others = comparison.turns
        self._recorder.turn_started(session.conversation, first, session.settings)
        for other in others:
            self._recorder.alternative_started(session.conversation, other, of=first)
        for index in range(len(variants)):
            for note in comparison.notes(index):
                self._say(f"{index + 1} · {variants[index].label}: {note}", "warning")
        runner = ComparisonRunner(
            self._app,
            comparison,
            recorder=self._recorder,
            keys=self._keys,
            host_root=self._host_root,
            gc_pause=self._gc_pause,
            last_input=self._last_input,
        )
        screen = CompareScreen(
            prompt,
            comparison.turns,
            [variant.label for variant in variants],
            chosen=0,
            keys=self._keys,
            runner=runner,
        )
        self._app.push_screen(screen, lambda picked: self._compared(comparison, picked))

    def _compared(self, comparison: Comparison, picked: int | None) -> None:
        """The compare screen closed: the conversation goes on with the answer picked."""
        chosen = comparison.turns[picked or 0]
        self._choose(chosen)
        self._view.choose(self._view.add_turn(chosen))
        self._on_change()

    # The answers a turn has ------------------------------------------------------------------

    def show_alternatives(self, entry: TurnEntry | None = None) -> None:
        """Show `entry`'s answers side by side (the selected turn's, or else the latest turn
        with other answers)."""
        if entry is None:
            entry = self._view.selected
            if entry is None or not entry.turn.alternatives:
                entry = next((e for e in reversed(self._view.entries) if e.turn.alternatives), None)
        if entry is None or not entry.turn.alternatives:
            self._say(
                f"No answers to compare here yet: type a prompt, then press "
                f"{self._keys.key_for('compare')} to send it under several settings at once.",
                "information",
            )
            return
        turn = entry.turn
        answers = [turn, *turn.alternatives]
        screen = CompareScreen(turn.prompt, answers, [""] * len(answers), chosen=0, keys=self._keys)
        self._app.push_screen(screen, lambda picked: self._picked_again(turn, answers, picked))

    def _picked_again(self, turn: Turn, answers: list[Turn], picked: int | None) -> None:
        if not picked:
            return  # closed, or the answer already chosen
        if self._busy():
            self._say("Wait for the answer being streamed, then pick again.", "warning")
            return
        chosen = answers[picked]
        self._choose(chosen)
        entry = self._view.replace_turn(turn, chosen)
        self._view.choose(entry)
        self._panel.show_turn(chosen, caption(entry), follow=False)
        self._say(f"The conversation goes on with answer {picked + 1}.", "information")
        self._on_change()

    def _choose(self, chosen: Turn) -> None:
        """`chosen` takes its place in the conversation, here and in the history."""
        self._session.conversation.choose(chosen)
        self._recorder.choice_changed(chosen)
