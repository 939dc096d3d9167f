"""What the app's action mixins may use of the app, declared once for the type checker.

The app is split into mixins by concern (chat, settings, history); each reaches for the same
parts of the app. At run time this base is a plain object; for a type checker it is the app's
Textual base with those parts declared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

    from thinkchat.chat.session import ChatSession
    from thinkchat.config.saver import SettingsSaver
    from thinkchat.config.settings import Config
    from thinkchat.process.gc_pause import GcPause
    from thinkchat.ui.recorder import HistoryRecorder
    from thinkchat.ui.renderer.conversation import ConversationView
    from thinkchat.ui.streaming import TurnStreamer
    from thinkchat.ui.widgets.prompt import PromptInput
    from thinkchat.ui.widgets.reasoning_panel import ReasoningPanel

    _Base = App[None]
else:
    _Base = object


class AppParts(_Base):
    """The parts of `ThinkChatApp` its mixins use."""

    if TYPE_CHECKING:
        session: ChatSession
        config: Config
        recorder: HistoryRecorder
        settings_saver: SettingsSaver
        conversation_view: ConversationView
        panel: ReasoningPanel
        prompt_input: PromptInput
        streaming: bool
        _streamer: TurnStreamer | None
        _last_input: float
        gc_pause: GcPause

        def say(self, message: str, severity: str = "information") -> None: ...
        def key_for(self, binding_id: str) -> str: ...
        def refresh_status(self) -> None: ...
        def check_key(self) -> None: ...
        def apply_settings(self, **changes: object) -> None: ...
