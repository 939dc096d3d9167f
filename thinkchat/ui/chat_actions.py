"""Sending prompts and streaming the answers: the turn's life from enter to its end."""

from __future__ import annotations

import asyncio
import time
from contextlib import aclosing

from textual import events, work

from thinkchat.chat.conversation import Conversation
from thinkchat.chat.errors import ChatError
from thinkchat.chat.session import SettingsError
from thinkchat.chat.turn import Turn, TurnStatus
from thinkchat.config.errors import ConfigError
from thinkchat.ui.app_parts import AppParts
from thinkchat.ui.formatting import reasoning_tokens
from thinkchat.ui.renderer.turn_entry import TurnEntry
from thinkchat.ui.streaming import TurnStreamer
from thinkchat.ui.token_estimate import token_scale
from thinkchat.ui.widgets.prompt import PromptInput

# The longest the stream may hold the event loop before letting frames and keys through.
YIELD_SECONDS = 0.01
# The full collection after a turn waits until nothing was typed or clicked for this long.
IDLE_SECONDS = 1.0
# What a user does and expects to see at once, even while an answer streams.
USER_INPUT = (
    events.Key,
    events.Paste,
    events.MouseDown,
    events.MouseScrollUp,
    events.MouseScrollDown,
)


class ChatActions(AppParts):
    """Mixed into the app: enter, escape (stop), f5 (retry) and ctrl+n (new conversation)."""

    @property
    def streaming(self) -> bool:
        return self._streamer is not None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, USER_INPUT):
            # The stream's frames wait for it, so that it is drawn first; so does the full
            # collection after a turn.
            self._last_input = time.monotonic()
        await super().on_event(event)

    async def on_prompt_input_submitted(self, message: PromptInput.Submitted) -> None:
        if self.streaming:
            self.say(f"Still answering: wait, or press {self.key_for('stop')} to stop it.")
            return
        await self.send(message.text)

    async def send(self, prompt: str) -> Turn | None:
        """Start a turn for `prompt`; returns it, or None when it could not be sent."""
        try:
            turn = self.session.begin(prompt)
        except (SettingsError, ConfigError) as problem:
            self.say(str(problem), "error")
            return None
        for note in self.session.plan(prompt, before=turn).notes:
            self.say(note, "warning")
        self.prompt_input.remember(prompt)
        self.recorder.turn_started(self.session.conversation, turn, self.session.settings)
        entry = self.conversation_view.add_turn(turn)
        self.panel.show_turn(turn, self._caption(entry), follow=True)
        self._stream_turn(entry)
        return turn

    def _caption(self, entry: TurnEntry) -> str:
        turn = entry.turn
        state = {
            TurnStatus.STREAMING: "streaming",
            TurnStatus.DONE: "done",
            TurnStatus.CANCELLED: "stopped",
            TurnStatus.FAILED: "failed",
        }[turn.status]
        if turn.timings.first_reasoning is None:
            if turn.timings.first_answer is not None:
                thought = "no thinking"
            else:
                thought = "no output" if turn.finished else "waiting"
            return f"turn {entry.number} · {thought} · {state}"
        tokens = reasoning_tokens(turn, entry.live_reasoning_tokens)
        return f"turn {entry.number} · {tokens} tokens · {state}"

    @work(exclusive=True, group="turn")
    async def _stream_turn(self, entry: TurnEntry) -> None:
        streamer = TurnStreamer(
            self.conversation_view,
            entry,
            self.panel,
            schedule=self.set_timer,
            batch_update=self.batch_update,
            after_screen_update=self.call_after_refresh,
            on_frame=self._frame_drawn,
            stop_key=self.key_for("stop"),
            last_input=lambda: self._last_input,
            token_scale=token_scale(self.session.conversation.turns),
        )
        self._streamer = streamer
        self.gc_pause.pause()
        try:
            await self._consume(streamer, entry)
        finally:
            self._streamer = None
            self.recorder.turn_ended(entry.turn)
            error = entry.turn.error
            await streamer.finish(self._hint(error) if error else None)
            if self.panel.shown_turn is entry.turn:
                self.panel.caption = self._caption(entry)
            self.refresh_status()
            self._collect_when_idle()

    def _collect_when_idle(self) -> None:
        """The full garbage collection put off during the stream, once the user pauses.

        After a long answer it is a pause of a few hundred milliseconds: better while the
        answer is read than in the middle of typing the next prompt.
        """
        if self.streaming:
            return  # the end of that turn collects
        quiet = time.monotonic() - self._last_input
        if quiet < IDLE_SECONDS:
            self.set_timer(IDLE_SECONDS - quiet, self._collect_when_idle)
        else:
            self.gc_pause.collect()

    async def _consume(self, streamer: TurnStreamer, entry: TurnEntry) -> None:
        async with aclosing(self.session.run(entry.turn)) as events:
            handed_back = time.monotonic()
            async for event in events:
                streamer.feed(event)
                # An SDK reading from a full buffer never waits, so this loop would keep the
                # event loop to itself: hand it back now and then, so that frames are drawn
                # and keys handled while a fast stream pours in.
                if time.monotonic() - handed_back > YIELD_SECONDS:
                    await asyncio.sleep(0)
                    handed_back = time.monotonic()

    def _frame_drawn(self, streamer: TurnStreamer) -> None:
        self.recorder.turn_progressed(streamer.turn)
        if self.panel.shown_turn is streamer.turn:
            self.panel.caption = self._caption(streamer.entry)
        self.refresh_status()

    def _hint(self, error: ChatError) -> str:
        """What to do about `error`, told with this app's keys."""
        # Imported with the first error: start-up does not need the rules.
        from thinkchat.chat.hints import HintContext, hint_for

        settings = self.session.settings
        context = HintContext(
            model=settings.model,
            region=settings.region,
            endpoint=self.config.host_root(settings.region),
            change_model=self.key_for("choose_model"),
            change_region=self.key_for("choose_region"),
            change_transport=self.key_for("switch_transport"),
            retry=f"press {self.key_for('retry')} to retry",
        )
        return hint_for(error, context)

    def action_stop(self) -> None:
        if self.streaming:
            self.workers.cancel_group(self, "turn")

    async def action_retry(self) -> None:
        turns = self.session.conversation.turns
        if self.streaming or not turns:
            return
        last = turns[-1]
        if last.status not in (TurnStatus.FAILED, TurnStatus.CANCELLED):
            self.say("The last answer is complete; there is nothing to retry.")
            return
        await self.send(last.prompt)

    async def action_new_conversation(self) -> None:
        if self.streaming:
            self.workers.cancel_group(self, "turn")
            await self.workers.wait_for_complete()
        self.session.conversation = Conversation(system_prompt=self.config.system_prompt)
        self.conversation_view.clear_turns()
        self.panel.show_turn(None, "no reasoning yet", follow=True)
        self.refresh_status()
        self.prompt_input.focus()

    # Showing reasoning ---------------------------------------------------------------------
