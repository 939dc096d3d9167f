"""A conversation: turns in order, the message history they give the model, and its title."""

from __future__ import annotations

from dataclasses import dataclass, field

from thinkchat.chat.events import Usage
from thinkchat.chat.request import Message
from thinkchat.chat.turn import Turn

TITLE_LENGTH = 60


def title_from_prompt(prompt: str) -> str | None:
    """A conversation title: the prompt's first non-blank line, whitespace collapsed, cut short."""
    line = next((" ".join(line.split()) for line in prompt.splitlines() if line.strip()), "")
    if len(line) > TITLE_LENGTH:
        line = line[: TITLE_LENGTH - 1].rstrip() + "…"
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

        Reasoning is never sent back. A turn without any answer (failed or stopped before the
        answer began) is left out, prompt included, so the history keeps alternating roles.
        `before` limits the history to the turns before that one (for a retry).
        """
        messages: list[Message] = []
        if self.system_prompt:
            messages.append(Message("system", self.system_prompt))
        for turn in self.turns:
            if turn is before:
                break
            if turn.answer:
                messages.append(Message("user", turn.prompt))
                messages.append(Message("assistant", turn.answer))
        messages.append(Message("user", prompt))
        return tuple(messages)

    def user_messages(self, prompt: str, before: Turn | None = None) -> list[str]:
        """The user messages of `history`, for finding the latest soft switch."""
        return [m.content for m in self.history(prompt, before) if m.role == "user"]

    @property
    def totals(self) -> Usage:
        """Token usage of every turn so far."""
        total = Usage()
        for turn in self.turns:
            if turn.usage is not None:
                total = total + turn.usage
        return total
