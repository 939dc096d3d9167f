"""Theme files: a small TOML format that maps onto Textual's `Theme`.

thinkchat ships three (`thinkchat/data/themes/`); users add their own as `*.toml` in the
`themes/` folder next to their config file. A file that cannot be used is reported and skipped.
The format is documented in `thinkchat/data/themes/thinkchat-dark.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

from thinkchat.config import toml
from thinkchat.data import shipped

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

COLOURS = (
    "primary",
    "secondary",
    "accent",
    "background",
    "surface",
    "panel",
    "foreground",
    "success",
    "warning",
    "error",
)
REASONING_COLOURS = ("background", "foreground", "title_background", "title_foreground")


class ThemeError(ValueError):
    """A theme file that cannot be used."""


@dataclass(frozen=True)
class LoadedThemes:
    themes: tuple[Theme, ...]
    problems: tuple[str, ...]


def _colour(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ThemeError(f'{where} must be a colour string such as "#5fa8ff"')
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeError(f"{where} = {value!r} is not a colour") from None
    return value


def parse_theme(text: str, source: str) -> Theme:
    """A Textual theme from the text of a theme file; `ThemeError` says what is wrong."""
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        raise ThemeError(f"{source}: not valid TOML: {exc}") from None
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ThemeError(f"{source}: a theme needs a name")
    if "primary" not in data:
        raise ThemeError(f"{source}: a theme needs a primary colour")
    known = {"name", "dark", "reasoning", *COLOURS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ThemeError(f"{source}: unknown setting(s) {', '.join(unknown)}")
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ThemeError(f"{source}: dark must be true or false")
    colours = {key: _colour(data[key], f"{source}: {key}") for key in COLOURS if key in data}
    reasoning = data.get("reasoning", {})
    if not isinstance(reasoning, dict):
        raise ThemeError(f"{source}: [reasoning] must be a table")
    variables = {}
    for key, value in reasoning.items():
        if key not in REASONING_COLOURS:
            raise ThemeError(f"{source}: unknown reasoning colour {key!r}")
        variables[f"reasoning-{key.replace('_', '-')}"] = _colour(value, f"{source}: {key}")
    return Theme(name=name.strip(), dark=dark, variables=variables, **colours)


def theme_folders(config_path: Path) -> list[Traversable]:
    """Where themes are looked for: thinkchat's own, then the user's next to the config."""
    return [shipped("themes"), config_path.parent / "themes"]


def load_themes(folders: list[Traversable]) -> LoadedThemes:
    """Every usable theme in `folders` (later folders win on a name clash), and the problems."""
    themes: dict[str, Theme] = {}
    problems: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        files = (entry for entry in folder.iterdir() if entry.name.endswith(".toml"))
        for path in sorted(files, key=lambda entry: entry.name):
            try:
                theme = parse_theme(path.read_text(encoding="utf-8"), str(path))
            except (ThemeError, OSError, UnicodeDecodeError) as exc:
                problems.append(f"theme skipped: {exc}")
                continue
            themes[theme.name] = theme
    return LoadedThemes(tuple(themes.values()), tuple(problems))
