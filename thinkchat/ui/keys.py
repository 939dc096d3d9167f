"""The chat screen's keys: one table, so the footer, the palette and the config agree."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class KeySpec:
    """A rebindable key: its id in the config's [keys] table, default key, action, words."""

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

APP_KEYS = (
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
    KeySpec("new_conversation", "ctrl+n", "new_conversation", "New", "Start a new conversation"),
    KeySpec("retry", "f5", "retry", "Retry", "Send the last failed or stopped prompt again"),
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
    KeySpec("keys", "f1", "toggle_keys", "Keys", "Show or hide every key and what it does"),
    KeySpec("quit", "ctrl+q", "quit", "Quit", "Quit thinkchat", priority=True),
)

ALL_KEYS = {spec.id: spec for spec in (*PROMPT_KEYS, *APP_KEYS)}

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


def effective_key(binding_id: str, keymap: dict[str, str]) -> str:
    """The key that triggers `binding_id` once the config's [keys] table is applied."""
    return keymap.get(binding_id, ALL_KEYS[binding_id].key)


def browser_taken(keymap: dict[str, str]) -> list[KeySpec]:
    """The chat's keys that a browser keeps: every key bound to them is one of BROWSER_KEYS."""
    return [
        spec
        for spec in APP_KEYS
        if {k.strip() for k in effective_key(spec.id, keymap).split(",")} <= BROWSER_KEYS
    ]


def unknown_bindings(keymap: dict[str, str]) -> list[str]:
    return sorted(set(keymap) - set(ALL_KEYS))
