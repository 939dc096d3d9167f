"""The config's `[parameters]` table: a preset, and each mode's model parameters.

[parameters]
preset = "qwen3"        # or "none"
[parameters.thinking]   # requests that think
temperature = 0.6
[parameters.plain]      # requests that do not
max_tokens = 4000
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thinkchat.chat.request import (
    NO_MODE_PARAMETERS,
    PARAMETER_NAMES,
    ModelParameters,
    ModeParameters,
)
from thinkchat.config.errors import ConfigError

MODES = ("thinking", "plain")

# Where a key is set in the file: (table, key) -> line, for messages.
LineOf = Callable[[str, str], int | None]


@dataclass(frozen=True)
class ParameterSettings:
    """The parameters the config sets: each mode's own values, and the preset (None: none)."""

    parameters: ModeParameters = NO_MODE_PARAMETERS
    preset: str | None = None


def parse_parameter_settings(
    table: dict[str, Any], path: Path, line_of: LineOf, warnings: list[str]
) -> ParameterSettings:
    """Check the `[parameters]` table; raise `ConfigError` at the line of a bad value."""
    preset: str | None = None
    modes: dict[str, ModelParameters] = {}
    for name, value in table.items():
        line = line_of("parameters", name)
        if name == "preset":
            # The checks are imported when a value is there to check: a config without any
            # (the example's tables are empty) starts without them.
            from thinkchat.chat.parameters import ParameterError, check_preset

            try:
                preset = check_preset(value)
            except ParameterError as problem:
                raise ConfigError(f"[parameters] {problem}", path, line) from None
        elif name in MODES:
            if not isinstance(value, dict):
                raise ConfigError(f"parameters.{name} must be a table", path, line)
            modes[name] = _mode(name, value, path, line_of, warnings)
        else:
            warnings.append(
                f"{path}:{line or '?'}: unknown setting parameters.{name} is ignored "
                f"(known: preset, {', '.join(MODES)})"
            )
    return ParameterSettings(ModeParameters(**modes), preset)


def _mode(
    mode: str, table: dict[str, Any], path: Path, line_of: LineOf, warnings: list[str]
) -> ModelParameters:
    values: dict[str, float | int] = {}
    for name, value in table.items():
        line = line_of(f"parameters.{mode}", name)
        if name not in PARAMETER_NAMES:
            warnings.append(f"{path}:{line or '?'}: unknown parameter {name!r} is ignored")
            continue
        from thinkchat.chat.parameters import ParameterError, check_parameter

        try:
            values[name] = check_parameter(name, value)
        except ParameterError as problem:
            raise ConfigError(f"[parameters.{mode}] {problem}", path, line) from None
    return ModelParameters(**values)  # type: ignore[arg-type]


def parameter_changes(settings: ParameterSettings) -> dict[str, Any]:
    """The config file's settings for `settings` (for `update_config_file`): every parameter
    of both modes (None removes one not set) and the preset."""
    changes: dict[str, Any] = {"parameters.preset": settings.preset or "none"}
    for mode in MODES:
        parameters: ModelParameters = getattr(settings.parameters, mode)
        for name in PARAMETER_NAMES:
            changes[f"parameters.{mode}.{name}"] = getattr(parameters, name)
    return changes
