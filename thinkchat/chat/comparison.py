"""A comparison: one prompt sent at once under several variants, the answers streamed together.

The first variant's answer is the conversation's turn; the others are its alternatives (kept,
shown, stored, never sent to the model), each asked with the same history. They stream
concurrently, and each ends on its own: one failing (a rate limit, a dropped connection, a
timeout) or retrying leaves the others streaming. Stopping the comparison stops them all, and
every turn keeps what had arrived.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import aclosing
from dataclasses import dataclass

from thinkchat.chat.events import TurnEvent
from thinkchat.chat.session import ChatSession, ChatSettings
from thinkchat.chat.turn import Turn
from thinkchat.chat.variants import Variant

# The longest one variant's stream keeps the event loop to itself.
SLICE_SECONDS = 0.005


class VariantProblem(Exception):
    """A variant's settings cannot make the request: `problem` is what the session raised."""

    def __init__(self, index: int, variant: Variant, problem: Exception) -> None:
        super().__init__(f"variant {index + 1} ({variant.label}): {problem}")
        self.index = index
        self.variant = variant
        self.problem = problem


@dataclass
class Comparison:
    """The variants of one prompt and their turns, in the order the variants were given."""

    session: ChatSession
    variants: list[Variant]
    settings: list[ChatSettings]
    turns: list[Turn]

    @classmethod
    def begin(cls, session: ChatSession, prompt: str, variants: Sequence[Variant]) -> Comparison:
        """Add the turns of a comparison to the session's conversation: the first variant's
        as its next turn, the others as that turn's alternatives.

        Every variant is checked first: one whose settings cannot make the request (a model
        its region does not serve, a region without a key) raises `VariantProblem` and
        nothing is added.
        """
        settings: list[ChatSettings] = []
        for index, variant in enumerate(variants):
            try:
                chosen = variant.apply(session.settings)
                session.check(prompt, chosen)
            except Exception as problem:  # a `SettingsError`, or what the endpoints raise
                raise VariantProblem(index, variant, problem) from problem
            settings.append(chosen)
        first = session.begin(prompt, settings=settings[0])
        others = [session.begin_alternative(first, each) for each in settings[1:]]
        return cls(session, list(variants), settings, [first, *others])

    def notes(self, index: int) -> tuple[str, ...]:
        """What the user should know about variant `index`'s thinking settings."""
        first = self.turns[0]
        return self.session.plan(first.prompt, before=first, settings=self.settings[index]).notes

    async def stream(self) -> AsyncIterator[tuple[int, TurnEvent]]:
        """Every variant's events as they arrive, with the variant's index; ends when all
        have ended. Cancelling it, or closing it early, stops every variant."""
        queue: asyncio.Queue[tuple[int, TurnEvent | None]] = asyncio.Queue()

        async def pump(index: int, turn: Turn) -> None:
            try:
                async with aclosing(self.session.run(turn)) as events:
                    handed_back = time.monotonic()
                    async for event in events:
                        queue.put_nowait((index, event))
                        # An SDK reading from a full buffer never waits: hand the event loop
                        # back now and then, to the other variants and to whoever reads these.
                        if time.monotonic() - handed_back > SLICE_SECONDS:
                            await asyncio.sleep(0)
                            handed_back = time.monotonic()
            finally:
                queue.put_nowait((index, None))  # this variant has ended

        tasks = [asyncio.ensure_future(pump(i, turn)) for i, turn in enumerate(self.turns)]
        try:
            running = len(tasks)
            while running:
                index, event = await queue.get()
                if event is not None:
                    yield index, event
                    continue
                running -= 1
                task = tasks[index]
                failure = task.exception() if task.done() and not task.cancelled() else None
                if failure is not None:
                    raise failure  # a fault of thinkchat's own: a service failure is an event
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
