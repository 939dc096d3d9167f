"""Copying to the clipboard: the chosen answer, a code block of it, its prompt, its reasoning.

The chosen turn is the one marked in the conversation (ctrl+up / ctrl+down, a click), else
the last. Text goes out with Textual's `App.copy_to_clipboard` (OSC 52: the terminal puts it
on the clipboard, over SSH too), and a notice says what was copied, or that there was nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from thinkchat.chat.session import ChatSession
from thinkchat.chat.turn import Turn, TurnStatus
from thinkchat.ui.code_blocks import CodeBlock, code_blocks
from thinkchat.ui.renderer.conversation import ConversationView
from thinkchat.ui.widgets.reasoning_panel import ReasoningPanel


def _characters(text: str) -> str:
    return f"{len(text):,} character{'' if len(text) == 1 else 's'}"


class Copying:
    """What the copy keys and the palette's copy commands do."""

    def __init__(
        self,
        app: App[Any],
        session: ChatSession,
        view: ConversationView,
        panel: ReasoningPanel,
        *,
        say: Callable[[str], None],
    ) -> None:
        self._app = app
        self._session = session
        self._view = view
        self._panel = panel
        self._say = say

    def _chosen(self) -> Turn | None:
        selected = self._view.selected
        if selected is not None and self._view.shows(selected):
            return selected.turn
        turns = self._session.conversation.turns
        return turns[-1] if turns else None

    def _copy(self, text: str, what: str) -> None:
        self._app.copy_to_clipboard(text)
        self._say(f"Copied {what}")

    def answer(self) -> None:
        """The chosen answer's Markdown, as the model wrote it."""
        turn = self._chosen()
        if turn is None or not turn.answer:
            self._say(self._nothing(turn))
            return
        so_far = " so far" if turn.status is TurnStatus.STREAMING else ""
        self._copy(turn.answer, f"the answer{so_far} ({_characters(turn.answer)})")

    def prompt(self) -> None:
        """The chosen turn's prompt, as it was sent."""
        turn = self._chosen()
        if turn is None:
            self._say("Nothing to copy: there is no prompt yet.")
            return
        self._copy(turn.prompt, f"the prompt ({_characters(turn.prompt)})")

    def reasoning(self) -> None:
        """The reasoning shown in the panel."""
        reasoning = self._panel.reasoning
        if not reasoning:
            self._say("Nothing to copy: the reasoning panel shows no reasoning.")
            return
        self._copy(reasoning, f"the reasoning ({_characters(reasoning)})")

    def code_block(self) -> None:
        """The code block under the mouse; else the chosen answer's only one, or a pick of its
        code blocks."""
        pointed = self._pointed()
        if pointed is not None:
            turn, number = pointed
            blocks = code_blocks(turn.answer)
            # Drawn from the answer made safe for the terminal: a control character removed
            # between backticks can draw a fence that the model's text does not have.
            if number <= len(blocks):
                self._copy_block(blocks[number - 1])
                return
        turn = self._chosen()
        blocks = code_blocks(turn.answer) if turn is not None else []
        if not blocks:
            self._say(self._nothing(turn))
        elif len(blocks) == 1:
            self._copy_block(blocks[0])
        else:
            from thinkchat.ui.screens.code_block_picker import CodeBlockPicker

            self._app.push_screen(CodeBlockPicker(blocks), self._picked)

    def _pointed(self) -> tuple[Turn, int] | None:
        """The turn and code block the mouse is over, if it is over one."""
        view = self._view
        if not view.mouse_hover:  # never over the conversation, or gone from it
            return None
        found = view.code_block_at(self._app.mouse_position)
        return None if found is None else (found[0].turn, found[1])

    def _picked(self, block: CodeBlock | None) -> None:
        if block is not None:
            self._copy_block(block)

    def _copy_block(self, block: CodeBlock) -> None:
        self._copy(block.code, block.describe())

    def _nothing(self, turn: Turn | None) -> str:
        if turn is None:
            return "Nothing to copy: there is no answer yet."
        if not turn.answer:
            return "Nothing to copy: the chosen answer is empty."
        return "Nothing to copy: the chosen answer has no code block."
