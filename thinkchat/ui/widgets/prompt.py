"""The prompt: multi-line input where enter sends and earlier prompts come back with up/down."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import TextArea

from thinkchat.catalog import SoftSwitch
from thinkchat.ui.keys import PROMPT_KEYS, bindings

_SWITCH_CYCLE: dict[SoftSwitch | None, SoftSwitch | None] = {
    None: SoftSwitch.THINK,
    SoftSwitch.THINK: SoftSwitch.NO_THINK,
    SoftSwitch.NO_THINK: None,
}


class PromptInput(TextArea):
    """The user's prompt. An empty prompt is never sent."""

    DEFAULT_CSS = """
    PromptInput {
        height: auto;
        min-height: 3;
        max-height: 10;
        border: round $primary 60%;
        &:focus { border: round $primary; }
        &.-editing, &.-editing:focus { border: round $warning; }
    }
    """

    BINDINGS = bindings(PROMPT_KEYS)

    class Submitted(Message):
        """The user pressed enter on a prompt that is not empty."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        # Keys are handled here, in the order they were typed. Bindings would run out of
        # order with the characters around them: a priority binding as soon as its key
        # arrives, any other once the key has bubbled up to the app.
        self.send_keys = {PROMPT_KEYS[0].key}
        self.newline_keys = {PROMPT_KEYS[1].key}
        self.shortcuts: dict[str, str] = {}  # key -> the app action it runs
        self.sent_prompts: list[str] = []
        self._recall_index: int | None = None
        self._draft = ""

    async def on_key(self, event: events.Key) -> None:
        # Runs before `TextArea`'s own key handler, which `prevent_default` keeps from running.
        if event.key in self.send_keys:
            self.action_submit()
        elif event.key in self.newline_keys:
            self.action_newline()
        elif event.key in self.shortcuts:
            await self.run_action(self.shortcuts[event.key])
        else:
            return  # the text area's own: a character, a cursor move, ...
        event.stop()
        event.prevent_default()

    def action_submit(self) -> None:
        if not self.text.strip():
            return
        # Blank lines around the prompt are noise; indentation inside it is kept.
        self.post_message(self.Submitted(self.text.strip("\n").rstrip()))

    def action_newline(self) -> None:
        self.insert("\n")

    def insert_block(self, block: str) -> None:
        """Insert `block` (a fenced file, say) at the cursor on lines of its own, with the
        cursor on the line after it."""
        before = "\n" if self.cursor_location[1] > 0 else ""
        self.insert(f"{before}{block}\n")
        self.focus()

    def remember(self, text: str) -> None:
        """Keep a sent prompt for recall, and clear the input."""
        if not self.sent_prompts or self.sent_prompts[-1] != text:
            self.sent_prompts.append(text)
        self._recall_index = None
        self._draft = ""
        self.clear()

    def begin_edit(self, text: str, note: str) -> None:
        """Show `text` (an earlier prompt) to be edited, `note` in the border saying so."""
        self._show(text)
        self.border_title = note
        self.add_class("-editing")
        self.focus()

    def end_edit(self) -> None:
        """The prompt is the user's own again."""
        self.border_title = None
        self.remove_class("-editing")

    def action_cursor_up(self, select: bool = False) -> None:
        if select or self.cursor_location[0] > 0 or not self.sent_prompts:
            super().action_cursor_up(select)
            return
        if self._recall_index is None:
            self._draft = self.text
            self._recall_index = len(self.sent_prompts)
        if self._recall_index > 0:
            self._recall_index -= 1
            self._show(self.sent_prompts[self._recall_index])

    def action_cursor_down(self, select: bool = False) -> None:
        last_row = self.document.line_count - 1
        if select or self.cursor_location[0] < last_row or self._recall_index is None:
            super().action_cursor_down(select)
            return
        self._recall_index += 1
        if self._recall_index >= len(self.sent_prompts):
            self._recall_index = None
            self._show(self._draft)
        else:
            self._show(self.sent_prompts[self._recall_index])

    def _show(self, text: str) -> None:
        self.text = text
        self.move_cursor(self.document.end)

    @property
    def soft_switch(self) -> SoftSwitch | None:
        """The soft switch at the end of the prompt, if any."""
        stripped = self.text.rstrip()
        for switch in (SoftSwitch.NO_THINK, SoftSwitch.THINK):
            if stripped.endswith(switch.value):
                return switch
        return None

    def cycle_soft_switch(self) -> SoftSwitch | None:
        """none → /think → /no_think → none, at the end of the prompt."""
        current = self.soft_switch
        text = self.text.rstrip()
        if current is not None:
            text = text[: -len(current.value)].rstrip()
        following = _SWITCH_CYCLE[current]
        if following is not None:
            text = f"{text} {following.value}" if text else following.value
        self._show(text)
        return following
