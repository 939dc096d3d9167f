"""The chat screen's keys: one table, so the footer, the palette and the config agree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class KeySpec:
    """A rebindable key: its id in the config's [keys] table, default key, action (in the
    namespace of the node that binds it), words."""

    id: str
    key: str
    action: str
    label: str
    help: str
    show: bool = True
    priority: bool = False


# The prompt's own keys (send, new line) live on the prompt widget; they are listed here so the
# config, the help and the palette know them too.
PROMPT_KEYS = (
    KeySpec("send", "enter", "submit", "Send", "Send the prompt"),
    KeySpec(
        "newline", "ctrl+j", "newline", "New line", "Insert a new line in the prompt", show=False
    ),
)

# The chat screen's own keys. Quitting is the app's, bound here too so that the footer lists it
# first, as it always has; the app binds it as well, so that it quits from every screen.
CHAT_KEYS = (
    KeySpec("quit", "ctrl+q", "app.quit", "Quit", "Quit thinkchat", priority=True),
    KeySpec("toggle_thinking", "ctrl+t", "toggle_thinking", "Think", "Turn thinking on or off"),
    KeySpec("set_budget", "ctrl+b", "set_budget", "Budget", "Set the thinking budget"),
    KeySpec("choose_model", "ctrl+o", "choose_model", "Model", "Choose the model"),
    KeySpec("choose_region", "ctrl+r", "choose_region", "Region", "Choose the region"),
    KeySpec(
        "switch_transport",
        "ctrl+g",
        "switch_transport",
        "SDK",
        "Switch transport (OpenAI SDK / DashScope SDK)",
    ),
    KeySpec(
        "cycle_soft_switch",
        "ctrl+s",
        "cycle_soft_switch",
        "/think",
        "Cycle the prompt's soft switch: none, /think, /no_think",
    ),
    KeySpec(
        "toggle_reasoning", "ctrl+f", "toggle_reasoning", "Panel", "Show or hide the reasoning"
    ),
    KeySpec("stop", "escape", "stop", "Stop", "Stop the answer being streamed"),
    KeySpec(
        "compare",
        "f8",
        "compare",
        "Compare",
        "Compare answers: send the prompt under several settings at once (with the prompt "
        "empty: the chosen turn's answers side by side)",
        show=False,  # the footer is full; the welcome, the help and the palette list it
    ),
    KeySpec(
        "edit_system_prompt",
        "f9",
        "set_system_prompt",
        "System",
        "Set, edit or clear the conversation's system prompt",
        show=False,  # the footer is full; the help and the palette list it
    ),
    KeySpec("new_conversation", "ctrl+n", "new_conversation", "New", "Start a new conversation"),
    KeySpec("retry", "f5", "retry", "Retry", "Send the last failed or stopped prompt again"),
    KeySpec(
        "resend_cut",
        "f4",
        "resend_cut",
        "More room",
        "Send the last answer again with more room (it was cut short by the output limit or "
        "the thinking budget)",
        show=False,
    ),
    KeySpec(
        "edit_prompt",
        "f2",
        "edit_prompt",
        "Edit",
        "Edit the last prompt and send it again (its answer is kept as an alternative)",
        show=False,
    ),
    KeySpec(
        "model_parameters",
        "f12",
        "model_parameters",
        "Parameters",
        "Model parameters: temperature, top_p, top_k, … per mode, and the Qwen3 preset",
        show=False,
    ),
    KeySpec("history", "ctrl+l", "history", "History", "Browse earlier conversations"),
    KeySpec(
        "previous_answer",
        "ctrl+up",
        "previous_answer",
        "Prev",
        "Select the previous answer (shows its reasoning)",
        show=False,
    ),
    KeySpec(
        "next_answer",
        "ctrl+down",
        "next_answer",
        "Next",
        "Select the next answer (shows its reasoning)",
        show=False,
    ),
    KeySpec(
        "copy_answer",
        "f3",
        "copy_answer",
        "Copy",
        "Copy the chosen answer (its Markdown) to the clipboard",
        show=False,
    ),
    KeySpec(
        "copy_code",
        "f10",
        "copy_code",
        "Copy code",
        "Copy a code block of the chosen answer (the one under the mouse, or pick one)",
        show=False,
    ),
    KeySpec("keys", "f1", "toggle_keys", "Keys", "Show or hide every key and what it does"),
)

ALL_KEYS = {spec.id: spec for spec in (*PROMPT_KEYS, *CHAT_KEYS)}

# Keys a desktop browser keeps for itself (new tab, new window, close tab, ...): a page never
# sees them, so served to a browser, the actions bound only to them are run from the palette.
BROWSER_KEYS = frozenset(
    {"ctrl+t", "ctrl+n", "ctrl+w", "ctrl+shift+t", "ctrl+shift+n", "ctrl+shift+w", "ctrl+tab"}
)


def bindings(specs: tuple[KeySpec, ...]) -> list[Binding]:
    return [
        Binding(
            spec.key,
            spec.action,
            spec.label,
            id=spec.id,
            show=spec.show,
            priority=spec.priority,
            tooltip=spec.help,
        )
        for spec in specs
    ]


class KeyMap:
    """The keys in force once the config's [keys] table (binding id -> key) is applied."""

    def __init__(self, keymap: Mapping[str, str]) -> None:
        self._keymap = dict(keymap)
        # The keys the config gives to bindings: a binding left at its default loses them, as
        # it does in Textual's keymap (the config's `toggle_thinking = "f3"` takes f3 from
        # copying the answer).
        self._claimed = {
            key.strip()
            for binding_id, keys in self._keymap.items()
            if binding_id in ALL_KEYS
            for key in keys.split(",")
        }

    def key_for(self, binding_id: str) -> str:
        """The key (or keys, comma-separated) bound to `binding_id`, for messages."""
        if binding_id in self._keymap:
            return self._keymap[binding_id]
        default = ALL_KEYS[binding_id].key.split(",")
        return ",".join(key for key in default if key.strip() not in self._claimed)

    def keys_for(self, binding_id: str) -> set[str]:
        """Each key bound to `binding_id`."""
        return {key.strip() for key in self.key_for(binding_id).split(",") if key.strip()}

    def unknown(self) -> list[str]:
        """The ids in the [keys] table that name no binding."""
        return sorted(set(self._keymap) - set(ALL_KEYS))

    def browser_taken(self) -> list[KeySpec]:
        """The chat's keys that a browser keeps: every key bound to them is one of BROWSER_KEYS."""
        return [spec for spec in CHAT_KEYS if self.keys_for(spec.id) <= BROWSER_KEYS]


def welcome_text(keys: KeyMap, *, web: bool) -> str:
    """What the empty conversation says: how to send, and the keys to start with; served to a
    browser (`web`), which of them the browser keeps for itself."""
    first = " · ".join(
        f"{keys.key_for(spec.id)} {spec.label.lower()}"
        for spec in CHAT_KEYS
        if spec.id in ("toggle_thinking", "set_budget", "choose_model", "choose_region", "compare")
    )
    welcome = (
        "Ask anything. The reasoning streams into the panel, the answer here.\n"
        f"{keys.key_for('send')} sends · {keys.key_for('newline')} new line · {first} · "
        "ctrl+p all commands"
    )
    taken = keys.browser_taken() if web else []
    if taken:
        names = ", ".join(f"{keys.key_for(spec.id)} ({spec.label.lower()})" for spec in taken)
        welcome += f"\nIn a browser, {names} belong to the browser: ctrl+p runs them."
    return welcome
