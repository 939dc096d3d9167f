"""The model picker: every model of the catalog by family, type to filter, or any other name."""

from __future__ import annotations

from textual.content import Content
from textual.widgets.option_list import Option

from thinkchat.catalog import REGIONS, ModelInfo, listed_models, lookup, region_label
from thinkchat.chat.terminal_text import safe_for_terminal
from thinkchat.ui.screens.filtered_list import FilteredList

CUSTOM_PREFIX = "custom:"


def _describe(model: ModelInfo) -> str:
    if set(model.regions) == set(REGIONS):
        regions = "all regions"
    else:
        regions = " & ".join(map(region_label, model.regions)) + " only"
    extras = [
        name for name, has in (("budget", model.budget), ("/think", model.soft_switch)) if has
    ]
    return f"{model.kind.value:<24}{regions:<16}{', '.join(extras)}"


def model_options(filter_text: str, current: str) -> list[Option]:
    """The picker's options for `filter_text`: family headers, models, and a custom name."""
    needle = filter_text.strip().lower()
    options: list[Option] = []
    family = None
    known = set()
    for model in listed_models():
        known.add(model.name)
        haystack = f"{model.name} {model.family_title} {model.kind.value}".lower()
        if needle and not all(word in haystack for word in needle.split()):
            continue
        if model.family_title != family:
            family = model.family_title
            options.append(Option(Content.styled(family, "bold $secondary"), disabled=True))
        marker = "● " if model.name == current else "  "
        options.append(
            Option(
                Content.assemble(
                    marker,
                    (f"{model.name:<32}", "bold"),
                    (_describe(model), "$text-muted"),
                ),
                id=model.name,
            )
        )
    name = safe_for_terminal(filter_text.strip())
    if name and " " not in name and name.lower() not in known:
        info = lookup(name)
        label = (
            f"Use “{name}” ({info.family_title}, {info.kind.value})"
            if info.known
            else f"Use “{name}”: not in the list, treated as hybrid (off by default)"
        )
        custom = Option(Content(label), id=CUSTOM_PREFIX + name)
        # First only when nothing listed matches: enter should pick a real model if it can.
        if options:
            options.append(custom)
        else:
            options.insert(0, custom)
    return options


class ModelPicker(FilteredList[str | None]):
    """Returns the chosen model name, or None when cancelled."""

    TITLE_TEXT = "Choose a model"
    PLACEHOLDER = "type to filter, or a model name"

    def __init__(self, current: str) -> None:
        super().__init__()
        self._current = current
        self.initial = current

    def options_for(self, text: str) -> list[Option]:
        return model_options(text, self._current)

    def chosen(self, option_id: str) -> str:
        return option_id.removeprefix(CUSTOM_PREFIX)
