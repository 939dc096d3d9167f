"""The chat screen's parts that act on a key, or on something that comes later (a turn ended, a
region without a key): each is made, and its module imported, when first used, so that start-up
pays for none of them. The screen's preload makes the editing part, as every prompt sent ends
an edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from textual.app import App

from thinkchat.chat.session import ChatSession, ChatSettings
from thinkchat.chat.turn import Turn
from thinkchat.config.settings import Config
from thinkchat.process.gc_pause import GcPause
from thinkchat.ui.keys import KeyMap
from thinkchat.ui.recorder import HistoryRecorder
from thinkchat.ui.renderer.conversation import ConversationView
from thinkchat.ui.screens.chat.settings_keys import SettingsKeys
from thinkchat.ui.widgets.prompt import PromptInput
from thinkchat.ui.widgets.reasoning_panel import ReasoningPanel

if TYPE_CHECKING:
    from thinkchat.ui.screens.chat.compare.chat_side import ChatComparisons
    from thinkchat.ui.screens.chat.copying import Copying
    from thinkchat.ui.screens.chat.cut_answers import CutAnswers
    from thinkchat.ui.screens.chat.edit_again import PromptEditing
    from thinkchat.ui.screens.chat.exporting import Exporting
    from thinkchat.ui.screens.chat.key_check import KeyCheck
    from thinkchat.ui.screens.chat.reopening import Reopening
    from thinkchat.ui.screens.chat.system_prompt_key import SystemPromptKey


class ChatScreenSide(Protocol):
    """What the parts are made from: the chat screen (`ChatScreen`)."""

    config: Config
    keys: KeyMap
    recorder: HistoryRecorder
    session: ChatSession

    @property
    def app(self) -> App[Any]: ...
    @property
    def conversation_view(self) -> ConversationView: ...
    @property
    def panel(self) -> ReasoningPanel: ...
    @property
    def prompt_input(self) -> PromptInput: ...
    @property
    def streaming(self) -> bool: ...

    def say(self, message: str, severity: str = "information") -> None: ...

    async def send(
        self, prompt: str, replacing: Turn | None = None, settings: ChatSettings | None = None
    ) -> Turn | None: ...

    def refresh_status(self) -> None: ...


@dataclass
class LaterParts:
    """The parts of `screen` made on first use. `persist(changes)` saves settings to the
    config file; `set_config(config)` gives the screen a config with a key added;
    `last_input()` is when the latest key, click or paste came in."""

    screen: ChatScreenSide
    settings: SettingsKeys
    gc_pause: GcPause
    last_input: Callable[[], float]
    persist: Callable[[dict[str, Any]], None]
    set_config: Callable[[Config], None]

    def _streaming(self) -> bool:
        return self.screen.streaming

    @cached_property
    def comparisons(self) -> ChatComparisons:
        """The compare key's (and the alternatives'): until then start-up does not import the
        compare screens."""
        from thinkchat.ui.screens.chat.compare.chat_side import ChatComparisons

        screen = self.screen
        return ChatComparisons(
            screen.app,
            screen.session,
            screen.conversation_view,
            screen.panel,
            screen.prompt_input,
            recorder=screen.recorder,
            keys=screen.keys,
            host_root=lambda region: screen.config.host_root(region),
            gc_pause=self.gc_pause,
            last_input=self.last_input,
            busy=self._streaming,
            say=screen.say,
            on_change=screen.refresh_status,
        )

    @cached_property
    def editing(self) -> PromptEditing:
        from thinkchat.ui.screens.chat.edit_again import PromptEditing

        screen = self.screen
        return PromptEditing(
            screen.session,
            screen.prompt_input,
            screen.keys,
            say=screen.say,
            streaming=self._streaming,
        )

    @cached_property
    def cut_answers(self) -> CutAnswers:
        from thinkchat.ui.screens.chat.cut_answers import CutAnswers

        screen = self.screen
        return CutAnswers(
            screen.app,
            screen.session,
            screen.conversation_view,
            screen.keys,
            say=screen.say,
            send=screen.send,
            streaming=self._streaming,
        )

    @cached_property
    def reopening(self) -> Reopening:
        from thinkchat.ui.screens.chat.reopening import Reopening

        screen = self.screen
        return Reopening(
            screen.app,
            screen.session,
            screen.recorder,
            screen.conversation_view,
            screen.panel,
            settings=self.settings,
            editing=self.editing,
            cut_answers=self.cut_answers,
            streaming=self._streaming,
            say=screen.say,
        )

    @cached_property
    def key_check(self) -> KeyCheck:
        from thinkchat.ui.screens.chat.key_check import KeyCheck

        screen = self.screen
        return KeyCheck(
            screen.app,
            screen.session,
            config=lambda: screen.config,
            set_config=self.set_config,
            use_region=lambda region: self.settings.apply(region=region),
            persist=self.persist,
            say=screen.say,
        )

    @cached_property
    def system_prompt(self) -> SystemPromptKey:
        from thinkchat.ui.screens.chat.system_prompt_key import SystemPromptKey

        screen = self.screen
        return SystemPromptKey(
            screen.app,
            screen.session,
            screen.recorder,
            say=screen.say,
            on_change=screen.refresh_status,
        )

    @cached_property
    def copying(self) -> Copying:
        from thinkchat.ui.screens.chat.copying import Copying

        screen = self.screen
        return Copying(
            screen.app, screen.session, screen.conversation_view, screen.panel, say=screen.say
        )

    @cached_property
    def exporting(self) -> Exporting:
        from thinkchat.ui.screens.chat.exporting import Exporting

        screen = self.screen
        return Exporting(screen.app, screen.session, screen.recorder, say=screen.say)
