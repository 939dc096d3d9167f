"""The wait a user feels: a turn's first words go on screen before the rest of its stream is
read, and the turn just sent waits a moment for them, to show with them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.tui import make_app
from thinkchat.ui.app import ThinkChatApp

SIZE = (140, 40)
# Far more than one read of the socket: on loopback all of it has come before the first frame.
PROMPT = "#sim reasoning=3000 answer=50\nexplain streaming to me"


@dataclass
class ScreenUpdate:
    """What one update of the screen showed of the turn, and what had been read of it."""

    turns_shown: int
    reasoning_shown: str
    reasoning_read: str


def record_screen_updates(app: ThinkChatApp) -> list[ScreenUpdate]:
    """Each update of the app's screen from now on, as `ScreenUpdate`s."""
    updates: list[ScreenUpdate] = []
    display = app._display
    screen = app.chat_screen

    def recorded(shown_screen: Any, update: Any) -> None:
        display(shown_screen, update)
        turns = screen.session.conversation.turns
        updates.append(
            ScreenUpdate(
                len(screen.conversation_view.entries),
                screen.panel.log_view.text,
                turns[-1].reasoning if turns else "",
            )
        )

    app._display = recorded  # type: ignore[method-assign]
    return updates


async def test_a_turns_first_words_are_on_screen_before_the_rest_is_read(simulator, tmp_path):
    app = make_app(simulator, tmp_path, thinking="on", model="qwen-plus")
    async with app.run_test(size=SIZE) as pilot:
        app.chat_screen.prompt_input.insert(PROMPT)
        await pilot.pause()
        updates = record_screen_updates(app)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

        whole = app.chat_screen.session.conversation.turns[-1].reasoning
        first_words = next(update for update in updates if update.reasoning_shown)
        # Shown before anything more was read: on screen is all that had come.
        assert first_words.reasoning_read == first_words.reasoning_shown
        assert len(first_words.reasoning_shown) < len(whole) / 10
        assert updates[-1].reasoning_shown == whole
