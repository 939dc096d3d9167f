"""The thinkchat app: what is app-wide around the chat screen.

The themes, the command palette, saving settings to the config file, the history's lifetime,
when the user last typed or clicked, and the garbage collector's pauses are the app's; the
chat itself (its session, what is on it, its keys) is the `ChatScreen`'s.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.message import Message
from textual.screen import Screen

from thinkchat.config.saver import SettingsSaver
from thinkchat.config.settings import Config
from thinkchat.process.gc_pause import GcPause
from thinkchat.ui.keys import ALL_KEYS, CHAT_KEYS, KeyMap, bindings
from thinkchat.ui.recorder import HistoryRecorder
from thinkchat.ui.screens.chat.screen import ChatScreen
from thinkchat.ui.themes import load_themes, theme_folders

if TYPE_CHECKING:
    from thinkchat.history.store import HistoryStore

# What a user does and expects to see at once, even while an answer streams.
USER_INPUT = (
    events.Key,
    events.Paste,
    events.MouseDown,
    events.MouseScrollUp,
    events.MouseScrollDown,
)


class SettingsNotSaved(Message):
    """Writing the config file failed (posted from the settings saver's thread)."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


class ThinkChatApp(App[None]):
    """Chat with a deep-thinking model and steer how it thinks from the keyboard."""

    TITLE = "thinkchat"
    # Quitting works from every screen, under the key the config gives it.
    BINDINGS = bindings((ALL_KEYS["quit"],))

    def __init__(
        self,
        config: Config,
        *,
        store: HistoryStore | None = None,
        open_history: Callable[[], HistoryStore] | None = None,
        resume: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`store` keeps the history, or `open_history` opens it once the app is on screen
        (None for both: not kept); `resume` is a conversation to reopen; `clock` times the
        turns."""
        super().__init__()
        self.recorder = HistoryRecorder(
            store,
            lambda problem: self.say(problem, "warning"),
            self.set_timer,
            opener=open_history,
        )
        self.settings_saver = SettingsSaver(
            config.path, lambda problem: self.post_message(SettingsNotSaved(problem))
        )
        self._saving = not config.demo  # the demo's settings are not the user's
        self._saved_theme = config.theme
        self.last_input = time.monotonic()  # when the latest key, click or paste came in
        self.gc_pause = GcPause()
        self.set_keymap(dict(config.bindings))
        # Before the first frame: a theme set later would restyle every widget again.
        theme_problems = self._load_themes(config)
        self._problems = [
            *theme_problems,
            *(
                f"[keys] {binding}: no such key binding; it is ignored."
                for binding in KeyMap(config.bindings).unknown()
            ),
            *config.warnings,
        ]
        self.chat_screen = ChatScreen(
            config,
            recorder=self.recorder,
            persist=self.persist,
            gc_pause=self.gc_pause,
            last_input=lambda: self.last_input,
            resume=resume,
            clock=clock,
        )

    def get_default_screen(self) -> Screen:
        return self.chat_screen

    def get_css_variables(self) -> dict[str, str]:
        variables = super().get_css_variables()
        # Themes may colour the reasoning panel; any theme that does not gets these.
        defaults = {
            "reasoning-background": variables["surface"],
            "reasoning-foreground": variables["foreground"],
            "reasoning-title-background": variables["panel"],
            "reasoning-title-foreground": variables["accent"],
        }
        self.theme_variables = {**defaults, **variables}
        return self.theme_variables

    def on_mount(self) -> None:
        for problem in self._problems:
            self.say(problem, "warning")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, USER_INPUT):
            # A stream's frames wait for it, so that it is drawn first; so does the full
            # collection after a turn.
            self.last_input = time.monotonic()
        await super().on_event(event)

    def say(self, message: str, severity: str = "information") -> None:
        """A notification whose text is shown as is, never as markup."""
        self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    # Settings saved ------------------------------------------------------------------------

    def persist(self, changes: dict[str, Any]) -> None:
        """Save settings changed in the app to the config file (not in the demo), on the
        saver's thread: the key that changed them does not wait for the disk."""
        if self._saving:
            self.settings_saver.save(changes)

    def on_settings_not_saved(self, message: SettingsNotSaved) -> None:
        self.say(message.problem, "warning")

    # Themes --------------------------------------------------------------------------------

    def _load_themes(self, config: Config) -> list[str]:
        """Register the theme files and apply the configured theme; the problems found."""
        loaded = load_themes(theme_folders(config.path))
        for theme in loaded.themes:
            self.register_theme(theme)
        problems = list(loaded.problems)
        if config.theme in self.available_themes:
            self._start_with_theme(config.theme)
        else:
            problems.append(f"Unknown theme {config.theme!r}; using {self.theme}.")
        self._theme_ready = True
        return problems

    def _start_with_theme(self, name: str) -> None:
        """Use theme `name` from the first frame on.

        Setting `App.theme` makes Textual parse every style sheet a second time, with the new
        theme's variables, before the first frame (benchmarks/RESULTS.md, "Figures moved out
        of the code"). Before anything is drawn, all a theme decides is those variables, the
        app's theme classes and the mapping of ANSI colours, which only differs between a dark
        and a light theme: so a theme as dark as Textual's default is put in place here instead.
        """
        theme = self.get_theme(name)
        if theme is None or theme.dark != self.current_theme.dark:
            self.theme = name
            return
        self.set_reactive(App.theme, name)
        stale = {c: False for c in self.classes if c.startswith("-theme-")}
        self.update_classes({**stale, f"-theme-{name}": True}, update=False)
        self.stylesheet.set_variables(self.get_css_variables())

    def watch_theme(self, theme: str) -> None:
        # Choosing a theme in the palette saves it; applying the configured one does not.
        if getattr(self, "_theme_ready", False) and theme != self._saved_theme:
            self._saved_theme = theme
            self.persist({"theme": theme})

    # The command palette -------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, ChatScreen):
            yield from self._chat_commands(screen)

    def _chat_commands(self, chat: ChatScreen) -> Iterable[SystemCommand]:
        """Every key of the chat, and what only the palette offers."""
        for spec in CHAT_KEYS:
            if spec.id == "quit":
                continue  # Textual's own "Quit the application" is there
            action = getattr(chat, f"action_{spec.action}")
            key = chat.keys.key_for(spec.id)  # none: the config gave it to another
            yield SystemCommand(f"{spec.help} ({key})" if key else spec.help, spec.help, action)
        newline = ALL_KEYS["newline"]
        yield SystemCommand(
            f"{newline.help} ({chat.keys.key_for('newline')})",
            newline.help,
            chat.prompt_input.action_newline,
        )
        yield SystemCommand(
            "Attach a file…",
            "Put a text file into the prompt at the cursor, fenced under its name",
            chat.attach_file,
        )
        yield SystemCommand(
            "Export conversation as Markdown",
            "Write this conversation to a .md file you name, with or without the reasoning",
            lambda: chat.ask_export("md"),
        )
        yield SystemCommand(
            "Export conversation as JSON",
            "Write this conversation to a .json file you name, with or without the reasoning",
            lambda: chat.ask_export("json"),
        )
        yield SystemCommand(
            "Show the chosen turn's answers side by side",
            "A turn that was compared (or sent again) has other answers: see them, pick one",
            chat.show_alternatives,
        )
        yield SystemCommand(
            "Copy prompt",
            "Copy the chosen turn's prompt, as it was sent, to the clipboard",
            chat.copy_prompt,
        )
        yield SystemCommand(
            "Copy reasoning",
            "Copy the reasoning shown in the panel to the clipboard",
            chat.copy_reasoning,
        )

    async def on_unmount(self) -> None:
        self.recorder.close()
        self.settings_saver.close()
