"""The thinkchat app: the conversation, the reasoning panel, the prompt and the status line."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer

from thinkchat.chat.request import Endpoint
from thinkchat.chat.retry import RetryPolicy
from thinkchat.chat.session import ChatSession, ChatSettings
from thinkchat.chat.turn import TurnStatus
from thinkchat.config import Config, ConfigError, KeySource
from thinkchat.secrets import mask_key
from thinkchat.settings_saver import SettingsSaver
from thinkchat.themes import load_themes, theme_folders
from thinkchat.ui.chat_actions import ChatActions
from thinkchat.ui.formatting import (
    count,
    region_label,
    thinking_label,
    transport_label,
    usage_text,
)
from thinkchat.ui.full_collections import FullCollections
from thinkchat.ui.history_actions import HistoryActions
from thinkchat.ui.keys import (
    ALL_KEYS,
    APP_KEYS,
    bindings,
    browser_taken,
    effective_key,
    unknown_bindings,
)
from thinkchat.ui.recorder import HistoryRecorder
from thinkchat.ui.settings_actions import SettingsActions, SettingsNotSaved
from thinkchat.ui.streaming import TurnStreamer
from thinkchat.ui.warm_up import warm_up_highlighting
from thinkchat.ui.widgets.conversation import ConversationView
from thinkchat.ui.widgets.prompt import PromptInput
from thinkchat.ui.widgets.reasoning_panel import ReasoningPanel
from thinkchat.ui.widgets.status import StatusInfo, StatusLine

if TYPE_CHECKING:
    from thinkchat.store import HistoryStore
    from thinkchat.ui.screens.first_run import KeyEntry

NARROW_WIDTH = 100
# Once the app is up and drawn, the transport's SDK is imported on a thread, and code
# highlighters are built (see warm_up.py).
PRELOAD_AFTER_SECONDS = 0.3


class ThinkChatApp(ChatActions, SettingsActions, HistoryActions, App[None]):
    """Chat with a deep-thinking model and steer how it thinks from the keyboard."""

    TITLE = "thinkchat"
    CSS = """
    #main { height: 1fr; }
    Screen.-narrow #main { layout: vertical; }
    Screen.-narrow ConversationView { width: 1fr; }
    Screen.-narrow ReasoningPanel {
        width: 1fr;
        height: 40%;
        border-left: none;
        border-top: hkey $reasoning-title-background;
    }
    Screen.-narrow ReasoningPanel.-collapsed { height: 1; border-top: none; }
    /* The compact footer gives the palette key, docked at the right, a margin of one cell, and
       the keys that do not fit show through it ("^p palettee"): a padding covers that cell. */
    Footer.-compact FooterKey.-command-palette { margin-right: 0; padding-right: 1; }
    """
    BINDINGS = bindings(APP_KEYS)

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
        (None for both: not kept); `resume` is a conversation to reopen."""
        super().__init__()
        self.config = config
        self.recorder = HistoryRecorder(
            store,
            lambda problem: self.say(problem, "warning"),
            self.set_timer,
            opener=open_history,
        )
        self.settings_saver = SettingsSaver(
            config.path, lambda problem: self.post_message(SettingsNotSaved(problem))
        )
        self._resume = resume
        self.session = ChatSession(
            ChatSettings(
                model=config.model,
                region=config.region,
                transport=config.transport,
                thinking=config.thinking,
                budget=config.budget,
            ),
            self._endpoint,
            clock=clock,
            retry=RetryPolicy(retries=config.network.retries),
        )
        self.session.conversation.system_prompt = config.system_prompt
        self._streamer: TurnStreamer | None = None
        self._last_input = time.monotonic()  # the latest key, click or paste
        self.full_collections = FullCollections()
        self._keymap = dict(config.bindings)
        self.set_keymap(self._keymap)
        # Before the first frame: a theme set later would restyle every widget again.
        self._theme_problems = self._load_themes()

    def _endpoint(self, region: str) -> Endpoint:
        # Read the config at call time: the first-run screen may have added a key since.
        return self.config.endpoint_for(region)

    # Layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield ConversationView(id="conversation")
            yield ReasoningPanel(id="reasoning")
        yield PromptInput(id="prompt")
        yield StatusLine(id="status")
        yield Footer(compact=True)

    def get_default_screen(self) -> Screen:
        screen = super().get_default_screen()
        # When nothing on it has the focus (at start-up, back from a dialog), the prompt takes
        # it. Textual would give it to the first focusable widget, the conversation: at
        # start-up that styled it for focus and then for its loss before the first frame.
        screen.AUTO_FOCUS = "#prompt"
        return screen

    @property
    def conversation_view(self) -> ConversationView:
        return self.query_one(ConversationView)

    @property
    def panel(self) -> ReasoningPanel:
        return self.query_one(ReasoningPanel)

    @property
    def prompt_input(self) -> PromptInput:
        return self.query_one(PromptInput)

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

    async def on_mount(self) -> None:
        for problem in self._theme_problems:
            self.say(problem, "warning")
        for problem in unknown_bindings(self._keymap):
            self.say(f"[keys] {problem}: no such key binding; it is ignored.", "warning")
        for warning in self.config.warnings:
            self.say(warning, "warning")
        self.panel.toggle_key = self.key_for("toggle_reasoning")
        self.prompt_input.send_keys = self.keys_for("send")
        self.prompt_input.newline_keys = self.keys_for("newline")
        self.prompt_input.shortcuts = {
            key: f"app.{spec.action}"
            for spec in APP_KEYS
            if not spec.priority
            for key in self.keys_for(spec.id)
        }
        self.panel.collapsed = self.config.reasoning_panel == "collapsed"
        self.conversation_view.show_welcome(self._welcome())
        self.prompt_input.focus()
        self.refresh_status()
        if self._resume is not None:
            await self.open_conversation(self._resume)
        self.check_key()
        # Start-up ends with the first frame. The history is opened after it, so that the frame
        # does not wait for the file (or for SQLite's import); a first message sent before then
        # opens it itself.
        self.call_after_refresh(self.full_collections.settle)
        self.call_after_refresh(self.recorder.open)
        self.set_timer(PRELOAD_AFTER_SECONDS, self._preload)

    def _preload(self) -> None:
        self.preload_transport()
        self.run_worker(
            warm_up_highlighting,
            name="warm up highlighting",
            group="preload",
            thread=True,
            exit_on_error=False,  # a first code block builds its highlighter all the same
        )

    def _load_themes(self) -> list[str]:
        """Register the theme files and apply the configured theme; the problems found."""
        loaded = load_themes(theme_folders(self.config.path))
        for theme in loaded.themes:
            self.register_theme(theme)
        problems = list(loaded.problems)
        if self.config.theme in self.available_themes:
            self._start_with_theme(self.config.theme)
        else:
            problems.append(f"Unknown theme {self.config.theme!r}; using {self.theme}.")
        self._theme_ready = True
        return problems

    def _start_with_theme(self, name: str) -> None:
        """Use theme `name` from the first frame on.

        Setting `App.theme` makes Textual parse every style sheet a second time, with the new
        theme's variables, before the first frame (about 5 ms of the start-up). Before anything
        is drawn, all a theme decides is those variables, the app's theme classes and the
        mapping of ANSI colours, which only differs between a dark and a light theme: so a
        theme as dark as Textual's default is put in place here instead.
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
        if getattr(self, "_theme_ready", False) and theme != self.config.theme:
            self.config = replace(self.config, theme=theme)
            self.persist({"theme": theme})

    def on_resize(self, event: Resize) -> None:
        self.screen.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def _welcome(self) -> str:
        keys = " · ".join(
            f"{self.key_for(spec.id)} {spec.label.lower()}"
            for spec in APP_KEYS
            if spec.id in ("toggle_thinking", "set_budget", "choose_model", "choose_region")
        )
        welcome = (
            "Ask anything. The reasoning streams into the panel, the answer here.\n"
            f"{self.key_for('send')} sends · {self.key_for('newline')} new line · {keys} · "
            "ctrl+p all commands"
        )
        taken = browser_taken(self._keymap) if self.is_web else []
        if taken:
            names = ", ".join(f"{self.key_for(spec.id)} ({spec.label.lower()})" for spec in taken)
            welcome += f"\nIn a browser, {names} belong to the browser: ctrl+p runs them."
        return welcome

    def key_for(self, binding_id: str) -> str:
        """The key (or keys, comma-separated) bound to `binding_id`, for messages."""
        return effective_key(binding_id, self._keymap)

    def keys_for(self, binding_id: str) -> set[str]:
        return {key.strip() for key in self.key_for(binding_id).split(",") if key.strip()}

    def say(self, message: str, severity: str = "information") -> None:
        """A notification whose text is shown as is, never as markup."""
        self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    # The first run -------------------------------------------------------------------------

    def check_key(self) -> None:
        region = self.session.settings.region
        try:
            self.config.api_key(region)
        except ConfigError:
            from thinkchat.ui.screens.first_run import FirstRunScreen

            self.push_screen(FirstRunScreen(region, str(self.config.path)), self._key_entered)

    def _key_entered(self, entry: KeyEntry | None) -> None:
        if entry is None:
            self.exit()
            return
        keys = {**self.config.api_keys, entry.region: KeySource(literal=entry.key)}
        self.config = replace(self.config, api_keys=keys)
        self.session.forget_endpoints()
        self.apply_settings(region=entry.region)
        masked = mask_key(entry.key)
        if entry.save:
            self.persist({f"api_keys.{entry.region}": entry.key, "region": entry.region})
            self.say(f"Key {masked} for {region_label(entry.region)} saved to {self.config.path}.")
        else:
            self.say(f"Key {masked} for {region_label(entry.region)} in use until you quit.")

    # Status ------------------------------------------------------------------------------

    def refresh_status(self) -> None:
        settings = self.session.settings
        plan = self.session.plan(self.prompt_input.text or " ")
        budget = "no limit" if settings.budget is None else f"{count(settings.budget)} tokens"
        if settings.budget is not None and not plan.model.budget:
            budget += " (ignored)"
        switch = self.prompt_input.soft_switch
        activity = ""
        if self._streamer is not None:
            reasoning_rate, answer_rate = self._streamer.rates()
            parts = []
            if reasoning_rate is not None:
                parts.append(f"thinking ~{reasoning_rate:,.0f} tok/s")
            if answer_rate is not None:
                parts.append(f"answering ~{answer_rate:,.0f} tok/s")
            activity = " · ".join(parts) or "streaming…"
        turns = self.session.conversation.turns
        last = next((t for t in reversed(turns) if t.usage is not None), None)
        self.query_one(StatusLine).show(
            StatusInfo(
                model=settings.model,
                region=region_label(settings.region),
                transport=transport_label(settings.transport),
                thinking=thinking_label(settings.model, bool(plan.enable_thinking), plan),
                budget=budget,
                soft_switch=switch.value if switch else "none",
                demo=self.config.demo,
                activity=activity,
                last_turn=usage_text(last.usage) if last and last.usage else "",
                totals=usage_text(self.session.conversation.totals) if last else "",
            )
        )

    @on(PromptInput.Changed)
    def _prompt_changed(self) -> None:
        self.refresh_status()

    @on(ConversationView.TurnSelected)
    def _turn_selected(self, message: ConversationView.TurnSelected) -> None:
        entry = message.entry
        if not entry.is_attached:
            return  # a click while the app closes, or a turn just cleared away
        self.conversation_view.select(entry)
        live = entry.turn.status is TurnStatus.STREAMING
        if self.panel.shown_turn is not entry.turn:
            self.panel.show_turn(entry.turn, self._caption(entry), follow=live)
        if message.expand:
            self.panel.collapsed = False

    def action_toggle_reasoning(self) -> None:
        self.panel.collapsed = not self.panel.collapsed
        self.persist({"reasoning_panel": "collapsed" if self.panel.collapsed else "open"})

    def action_toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    @on(ReasoningPanel.ToggleRequested)
    def _panel_title_clicked(self) -> None:
        self.action_toggle_reasoning()

    def _select_relative(self, step: int) -> None:
        view = self.conversation_view
        entries = view.entries
        if not entries:
            return
        current = entries.index(view.selected) if view.selected in entries else len(entries)
        view.choose(entries[max(0, min(len(entries) - 1, current + step))])

    def action_previous_answer(self) -> None:
        self._select_relative(-1)

    def action_next_answer(self) -> None:
        self._select_relative(1)

    @on(ConversationView.LinkClicked)
    def _link_clicked(self, message: ConversationView.LinkClicked) -> None:
        # Links come from the model: copy them rather than open them.
        self.copy_to_clipboard(message.href)
        self.say(f"Link copied (not opened): {message.href}")

    # Command palette ------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for spec in APP_KEYS:
            if spec.id == "quit":
                continue
            action = getattr(self, f"action_{spec.action}")
            yield SystemCommand(f"{spec.help} ({self.key_for(spec.id)})", spec.help, action)
        newline = ALL_KEYS["newline"]
        yield SystemCommand(
            f"{newline.help} ({self.key_for('newline')})",
            newline.help,
            self.prompt_input.action_newline,
        )
        yield SystemCommand(
            "Export conversation as Markdown",
            "Write this conversation, reasoning included, to a .md file in the current folder",
            lambda: self.export_conversation("md"),
        )
        yield SystemCommand(
            "Export conversation as JSON",
            "Write this conversation to a .json file in the current folder",
            lambda: self.export_conversation("json"),
        )
        yield SystemCommand(
            "Copy reasoning",
            "Copy the reasoning shown in the panel to the clipboard",
            self._copy_reasoning,
        )

    def _copy_reasoning(self) -> None:
        self.copy_to_clipboard(self.panel.log_view.text)
        self.say("Reasoning copied to the clipboard.")

    async def on_unmount(self) -> None:
        await self.session.aclose()
        self.recorder.close()
        self.settings_saver.close()
