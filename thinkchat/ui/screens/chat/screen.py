"""The chat screen: the conversation, the reasoning panel, the prompt and the status line.

It owns the chat's session (settings, conversation, transports), what is on it and every key of
the chat. What is app-wide (themes, the command palette, saving settings, the history's
lifetime, the garbage collector's pauses) it is handed by the app.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from thinkchat.chat.conversation import Conversation
from thinkchat.chat.session import ChatSettings, SettingsError
from thinkchat.chat.turn import Turn, TurnStatus
from thinkchat.config.errors import ConfigError
from thinkchat.config.settings import Config
from thinkchat.process.gc_pause import GcPause
from thinkchat.ui.keys import CHAT_KEYS, KeyMap, bindings, welcome_text
from thinkchat.ui.recorder import HistoryRecorder
from thinkchat.ui.renderer.conversation import ConversationView
from thinkchat.ui.renderer.turn_entry import TurnEntry
from thinkchat.ui.screens.chat.later_parts import LaterParts
from thinkchat.ui.screens.chat.settings_keys import SettingsKeys
from thinkchat.ui.screens.chat.turns import TurnRunner
from thinkchat.ui.widgets.chat_panes import ChatPanes, caption
from thinkchat.ui.widgets.prompt import PromptInput
from thinkchat.ui.widgets.reasoning_panel import ReasoningPanel
from thinkchat.ui.widgets.status import StatusLine, status_info

if TYPE_CHECKING:
    from thinkchat.chat.attachments import Attachment

NARROW_WIDTH = 100  # narrower: the reasoning panel goes below the conversation
# Once the screen is up and drawn, code highlighters are built (see warm_up.py).
PRELOAD_AFTER_SECONDS = 0.3


class ChatScreen(Screen[None]):
    """Chat with a deep-thinking model and steer how it thinks from the keyboard."""

    DEFAULT_CSS = """
    ChatScreen {
        & #main { height: 1fr; }
        &.-narrow #main { layout: vertical; }
        &.-narrow ConversationView { width: 1fr; }
        &.-narrow ReasoningPanel {
            width: 1fr;
            height: 40%;
            border-left: none;
            border-top: hkey $reasoning-title-background;
        }
        &.-narrow ReasoningPanel.-collapsed { height: 1; border-top: none; }
        /* The compact footer gives the palette key, docked at the right, a margin of one cell,
           and the keys that do not fit show through it ("^p palettee"): a padding covers it. */
        & Footer.-compact FooterKey.-command-palette { margin-right: 0; padding-right: 1; }
    }
    """
    BINDINGS = bindings(CHAT_KEYS)
    # When nothing on it has the focus (at start-up, back from a dialog), the prompt takes it.
    # Textual would give it to the first focusable widget, the conversation: at start-up that
    # styled it for focus and then for its loss before the first frame.
    AUTO_FOCUS = "#prompt"

    def __init__(
        self,
        config: Config,
        *,
        recorder: HistoryRecorder,
        persist: Callable[[dict[str, Any]], None],
        gc_pause: GcPause,
        last_input: Callable[[], float],
        resume: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`persist(changes)` saves settings to the config file; `last_input()` is when the
        latest key, click or paste came in; `resume` is a conversation to reopen; `clock`
        times the turns."""
        super().__init__()
        self.config = config
        self.keys = KeyMap(config.bindings)
        self.recorder = recorder
        self._persist = persist
        self._gc_pause = gc_pause
        self._last_input = last_input
        self._resume = resume
        # The config is read at each request: the first-run screen may have added a key since.
        self.session = config.chat_session(lambda region: self.config.endpoint_for(region), clock)
        self._turns: TurnRunner | None = None  # once composed
        self._settings: SettingsKeys  # once composed
        self._parts: LaterParts  # once composed

    def on_resize(self, event: events.Resize) -> None:
        # A class only where narrow: the usual wide terminal changes no class at start-up, and
        # restyles nothing before the first frame.
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def compose(self) -> ComposeResult:
        yield ChatPanes(id="main")
        yield PromptInput(id="prompt")
        yield StatusLine(id="status")
        yield Footer(compact=True)

    @property
    def conversation_view(self) -> ConversationView:
        return self.query_one(ConversationView)

    @property
    def panel(self) -> ReasoningPanel:
        return self.query_one(ReasoningPanel)

    @property
    def prompt_input(self) -> PromptInput:
        return self.query_one(PromptInput)

    @property
    def streaming(self) -> bool:
        return self._turns is not None and self._turns.streaming

    async def on_mount(self) -> None:
        self._turns = TurnRunner(
            self.app,
            self.session,
            self.conversation_view,
            self.panel,
            recorder=self.recorder,
            keys=self.keys,
            host_root=lambda region: self.config.host_root(region),
            gc_pause=self._gc_pause,
            last_input=self._last_input,
            on_change=self.refresh_status,
        )
        self._settings = SettingsKeys(
            self.app,
            self.session,
            self.keys,
            self.prompt_input,
            endpoint_override=self.config.endpoint,
            persist=self._persist,
            say=self.say,
            on_change=self.refresh_status,
            on_region=self.check_key,
        )
        self._parts = LaterParts(
            self,
            self._settings,
            gc_pause=self._gc_pause,
            last_input=self._last_input,
            persist=self._persist,
            set_config=self._set_config,
        )
        self.panel.toggle_key = self.keys.key_for("toggle_reasoning")
        self.conversation_view.alternatives_key = self.keys.key_for("compare")
        self.prompt_input.send_keys = self.keys.keys_for("send")
        self.prompt_input.newline_keys = self.keys.keys_for("newline")
        self.prompt_input.shortcuts = {
            key: f"screen.{spec.action}"
            for spec in CHAT_KEYS
            if not spec.priority
            for key in self.keys.keys_for(spec.id)
        }
        self.panel.collapsed = self.config.reasoning_panel == "collapsed"
        self.conversation_view.show_welcome(welcome_text(self.keys, web=self.app.is_web))
        self.prompt_input.focus()
        self.refresh_status()
        if self._resume is not None:
            await self.open_conversation(self._resume)
        self.check_key()
        # Start-up ends with the first frame. The history is opened after it, so that the frame
        # does not wait for the file (or for SQLite's import); a first message sent before then
        # opens it itself.
        self.call_after_refresh(self._gc_pause.settle)
        self.call_after_refresh(self.recorder.open)
        # The SDK client is built on a thread and its connection opened (`ChatSession.warm_up`)
        # from the first frame on: importing the SDK takes most of a second on a busy machine,
        # and the first prompt may be sent soon after launch.
        self.call_after_refresh(self._settings.warm_up)
        self.set_timer(PRELOAD_AFTER_SECONDS, self._preload)

    def _preload(self) -> None:
        from thinkchat.ui.warm_up import warm_up_highlighting

        self.run_worker(
            warm_up_highlighting,
            name="warm up highlighting",
            group="preload",
            thread=True,
            exit_on_error=False,  # a first code block builds its highlighter all the same
        )
        # What the first prompt sent would otherwise do before its request, now that start-up
        # leaves it: read the price table (and import the prices), make the editing part.
        self.run_worker(
            lambda: self.session.prices,
            name="read the prices",
            group="preload",
            thread=True,
            exit_on_error=False,  # the first turn reads them itself
        )
        _ = self._parts.editing  # every prompt sent ends an edit (`send`)

    def say(self, message: str, severity: str = "information") -> None:
        """A notification whose text is shown as is, never as markup."""
        self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    def refresh_status(self) -> None:
        """Show in the status line what the next request will use, and what turns cost."""
        rates = self._turns.rates() if self._turns is not None else None
        self.query_one(StatusLine).show(
            status_info(
                self.session,
                self.prompt_input.text,
                self.prompt_input.soft_switch,
                rates,
                demo=self.config.demo,
            )
        )

    def check_key(self) -> None:
        """Ask for a key on the first-run screen when the region has none."""
        region = self.session.settings.region
        try:
            self.config.api_key(region)
        except ConfigError:
            self._parts.key_check.ask(region)

    def _set_config(self, config: Config) -> None:
        self.config = config

    # Sending and streaming ----------------------------------------------------------------

    async def on_prompt_input_submitted(self, message: PromptInput.Submitted) -> None:
        if self.streaming:
            self.say(f"Still answering: wait, or press {self.keys.key_for('stop')} to stop it.")
            return
        replacing = self._parts.editing.replacing
        sent = await self.send(message.text, replacing)
        if sent is not None and replacing is not None:
            self.say("Sent in the place of the last prompt; its answer is kept (⇄).")

    async def send(
        self, prompt: str, replacing: Turn | None = None, settings: ChatSettings | None = None
    ) -> Turn | None:
        """Start a turn for `prompt` (in `replacing`'s place, with `settings` instead of the
        session's: see `ChatSession.begin`); returns it, or None when it could not be sent."""
        try:
            turn = self.session.begin(prompt, replacing, settings)
        except (SettingsError, ConfigError) as problem:
            self.say(str(problem), "error")
            return None
        self._turns.sending()
        for note in self.session.plan(prompt, before=turn, settings=settings).notes:
            self.say(note, "warning")
        self.prompt_input.remember(prompt)
        self._parts.editing.end()  # the input is cleared: whatever was being edited is over
        self.recorder.turn_started(self.session.conversation, turn, self.session.settings)
        view = self.conversation_view
        if replacing is None:
            entry = view.add_turn(turn)
        else:
            entry = view.replace_turn(replacing, turn, follow=True)
        self.panel.show_turn(turn, caption(entry), follow=True)
        self._stream_turn(entry)
        return turn

    @work(exclusive=True, group="turn")
    async def _stream_turn(self, entry: TurnEntry) -> None:
        await self._turns.run(entry)
        self._parts.cut_answers.offer()

    def action_compare(self) -> None:
        if self._parts.editing.editing:
            self.say(
                f"Finish the edit first: {self.keys.key_for('send')} sends it in the last "
                f"prompt's place, {self.keys.key_for('stop')} cancels it.",
                "warning",
            )
            return
        self._parts.comparisons.compare()

    def show_alternatives(self) -> None:
        """The chosen turn's answers side by side (the palette's; the compare key's with the
        prompt empty)."""
        self._parts.comparisons.show_alternatives()

    @on(ConversationView.AlternativesRequested)
    def _alternatives_clicked(self, message: ConversationView.AlternativesRequested) -> None:
        self._parts.comparisons.show_alternatives(message.entry)

    def action_stop(self) -> None:
        if self.streaming:
            self.workers.cancel_group(self, "turn")
        else:
            self._parts.editing.cancel()

    def action_edit_prompt(self) -> None:
        self._parts.editing.start()

    async def action_retry(self) -> None:
        turns = self.session.conversation.turns
        if self.streaming or not turns:
            return
        last = turns[-1]
        if last.status not in (TurnStatus.FAILED, TurnStatus.CANCELLED):
            self.say("The last answer is complete; there is nothing to retry.")
            return
        await self.send(last.prompt)

    def action_resend_cut(self) -> None:
        self._parts.cut_answers.resend()

    async def action_new_conversation(self) -> None:
        if self.streaming:
            self.workers.cancel_group(self, "turn")
            await self.workers.wait_for_complete()
        self.session.conversation = Conversation(system_prompt=self.config.system_prompt)
        self._parts.editing.end()  # what is in the input is a new prompt now
        self.conversation_view.clear_turns()
        self.panel.show_turn(None, "no reasoning yet", follow=True)
        self.refresh_status()
        self.prompt_input.focus()

    # Settings ------------------------------------------------------------------------------

    def action_toggle_thinking(self) -> None:
        self._settings.toggle_thinking()

    def action_set_budget(self) -> None:
        self._settings.set_budget()

    def action_model_parameters(self) -> None:
        self._settings.set_parameters()

    def action_choose_model(self) -> None:
        self._settings.choose_model()

    def action_choose_region(self) -> None:
        self._settings.choose_region()

    def action_switch_transport(self) -> None:
        self._settings.switch_transport()

    def action_cycle_soft_switch(self) -> None:
        self._settings.cycle_soft_switch()

    def action_set_system_prompt(self) -> None:
        self._parts.system_prompt.edit()

    def attach_file(self) -> None:
        """Ask for a text file and put it into the prompt at the cursor (the palette's)."""
        from thinkchat.ui.screens.attach import AttachDialog  # loads when first opened

        self.app.push_screen(AttachDialog(), self._file_chosen)

    def _file_chosen(self, attachment: Attachment | None) -> None:
        if attachment is not None:
            self.prompt_input.insert_block(attachment.fenced())
            lines = len(attachment.text.splitlines())
            size = f"{lines:,} line{'' if lines == 1 else 's'}"
            self.say(f"Attached {attachment.name} ({size}): edit the prompt, then send.")

    def action_toggle_reasoning(self) -> None:
        self.panel.collapsed = not self.panel.collapsed
        self._persist({"reasoning_panel": "collapsed" if self.panel.collapsed else "open"})

    # Reading -------------------------------------------------------------------------------

    @on(PromptInput.Changed)
    def _prompt_changed(self) -> None:
        self.refresh_status()
        self._settings.keep_warm()

    @on(ReasoningPanel.ToggleRequested)
    def _panel_title_clicked(self) -> None:
        self.action_toggle_reasoning()

    def action_toggle_keys(self) -> None:
        if self.query("HelpPanel"):
            self.app.action_hide_help_panel()
        else:
            self.app.action_show_help_panel()

    def action_previous_answer(self) -> None:
        self.query_one(ChatPanes).select_relative(-1)

    def action_next_answer(self) -> None:
        self.query_one(ChatPanes).select_relative(1)

    # Copying -------------------------------------------------------------------------------

    def action_copy_answer(self) -> None:
        self._parts.copying.answer()

    def action_copy_code(self) -> None:
        self._parts.copying.code_block()

    def copy_prompt(self) -> None:
        """The chosen turn's prompt, to the clipboard (the palette's)."""
        self._parts.copying.prompt()

    def copy_reasoning(self) -> None:
        """The reasoning shown in the panel, to the clipboard (the palette's)."""
        self._parts.copying.reasoning()

    # The history ---------------------------------------------------------------------------

    def action_history(self) -> None:
        self._parts.reopening.browse()

    async def open_conversation(self, conversation_id: int) -> bool:
        """Show a stored conversation (its latest turns) and continue it; False if it failed."""
        return await self._parts.reopening.open(conversation_id)

    def ask_export(self, format: str) -> None:
        """Ask where to export the conversation in `format` ("md" or "json"), with or
        without the reasoning (the palette's)."""
        self._parts.exporting.ask(format)

    def export_conversation(self, format: str) -> Path | None:
        """Write the conversation, reasoning included, to a file named after it in the working
        directory; where it was written, or None."""
        return self._parts.exporting.export(format)

    async def on_unmount(self) -> None:
        await self.session.aclose()
