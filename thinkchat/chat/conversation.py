"""A conversation: turns in order, the message history they give the model, and its title."""

from __future__ import annotations

from dataclasses import dataclass, field

from thinkchat.chat.cost import CostTotal
from thinkchat.chat.events import Usage
from thinkchat.chat.request import Message
from thinkchat.chat.turn import Turn

TITLE_LENGTH = 60


def title_from_prompt(prompt: str, length: int = TITLE_LENGTH) -> str | None:
    """A conversation title: the prompt's first non-blank line, whitespace collapsed, cut short
    to `length` characters."""
    line = next((" ".join(line.split()) for line in prompt.splitlines() if line.strip()), "")
    if len(line) > length:
        line = line[: length - 1].rstrip() + "…"
    return line or None


@dataclass
class Conversation:
    """The turns of one chat, oldest first."""

    turns: list[Turn] = field(default_factory=list)
    system_prompt: str | None = None
    title: str | None = None
    id: int | None = None

    def history(self, prompt: str, before: Turn | None = None) -> tuple[Message, ...]:
        """The messages to send for `prompt`: the system prompt, earlier exchanges, the prompt.

        Reasoning is never sent back, nor are alternatives. A turn without any answer (failed or
        stopped before the answer began) is left out, prompt included, so the history keeps
        alternating roles. `before` limits the history to the turns before that one, or before
        the turn it is an alternative of (for a retry, or another answer to the same prompt).
        """
        messages: list[Message] = []
        if self.system_prompt:
            messages.append(Message("system", self.system_prompt))
        stop = None if before is None else self.place_of(before)
        for index, turn in enumerate(self.turns):
            if index == stop:
                break
            if turn.answer:
                messages.append(Message("user", turn.prompt))
                messages.append(Message("assistant", turn.answer))
        messages.append(Message("user", prompt))
        return tuple(messages)

    def place_of(self, turn: Turn) -> int | None:
        """Where `turn` stands in `turns`, itself or as an alternative (None: not here)."""
        for index, kept in enumerate(self.turns):
            if kept is turn or any(other is turn for other in kept.alternatives):
                return index
        return None

    def add(self, turn: Turn, replacing: Turn | None = None) -> None:
        """Put `turn` at the end; or in the place of `replacing`, which then becomes, with its
        own alternatives, one of `turn`'s alternatives (an edited prompt sent again)."""
        if replacing is None:
            self.turns.append(turn)
            return
        index = self._index(replacing)
        self.turns[index] = turn
        turn.alternatives[:0] = [replacing, *replacing.alternatives]
        replacing.alternatives = []

    def choose(self, alternative: Turn) -> None:
        """Make `alternative` the answer the conversation goes on with; the turn it stood
        beside becomes, with the other alternatives, one of its alternatives."""
        index = self.place_of(alternative)
        if index is None:
            raise ValueError("that turn is not in this conversation")
        chosen = self.turns[index]
        if chosen is alternative:
            return
        others = [other for other in chosen.alternatives if other is not alternative]
        chosen.alternatives = []
        alternative.alternatives = [chosen, *others]
        self.turns[index] = alternative

    def _index(self, turn: Turn) -> int:
        # By identity: two turns may hold the same values and still be two turns.
        for index, kept in enumerate(self.turns):
            if kept is turn:
                return index
        raise ValueError("that turn is not in this conversation")

    def user_messages(self, prompt: str, before: Turn | None = None) -> list[str]:
        """The user messages of `history`, for finding the latest soft switch."""
        return [m.content for m in self.history(prompt, before) if m.role == "user"]

    @property
    def totals(self) -> Usage:
        """Token usage of every turn so far, alternatives included: they were paid for too."""
        total = Usage()
        for turn in self.turns:
            for counted in (turn, *turn.alternatives):
                if counted.usage is not None:
                    total = total + counted.usage
        return total

    @property
    def cost_total(self) -> CostTotal:
        """What every turn the service counted cost, alternatives included (they were paid for
        too), with the turns that had no price counted apart."""
        return CostTotal.of(
            counted.cost
            for turn in self.turns
            for counted in (turn, *turn.alternatives)
            if counted.usage is not None
        )
