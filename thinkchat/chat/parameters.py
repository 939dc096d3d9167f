"""What each model parameter may be, and the presets of recommended values.

The ranges are Model Studio's (its API reference for the Qwen models); a value outside them is
refused before it is sent, with the range in the message, rather than by the service mid-chat.
"""

from __future__ import annotations

from dataclasses import dataclass

from thinkchat.chat.request import (
    NO_MODE_PARAMETERS,
    ModelParameters,
    ModeParameters,
)


class ParameterError(ValueError):
    """A model parameter outside its range, or not a number."""


@dataclass(frozen=True)
class ParameterRange:
    """The values one parameter may take: `low` to `high` (None: no upper bound), a bound
    itself excluded when `above_low` / `below_high`; `whole` for whole numbers only."""

    name: str
    label: str
    whole: bool
    low: float
    high: float | None = None
    below_high: bool = False
    above_low: bool = False

    def describe(self) -> str:
        """The range in words, for messages: "a number from 0 to below 2"."""
        kind = "a whole number" if self.whole else "a number"
        if self.high is None:
            return f"{kind} of at least {_shown(self.low)}"
        low = f"above {_shown(self.low)}, up" if self.above_low else f"from {_shown(self.low)}"
        return f"{kind} {low} to {'below ' if self.below_high else ''}{_shown(self.high)}"

    def check(self, value: object) -> float | int:
        """`value` as this parameter takes it; raises `ParameterError` saying the range."""
        number = _number(value, self.whole)
        if number is None or not self._inside(number):
            raise ParameterError(f"{self.name} = {value!r}: expected {self.describe()}")
        return number

    def _inside(self, number: float) -> bool:
        if number <= self.low if self.above_low else number < self.low:
            return False
        if self.high is not None:
            return number < self.high if self.below_high else number <= self.high
        return True


def _shown(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _number(value: object, whole: bool) -> float | int | None:
    if isinstance(value, bool):
        return None  # True is an int to Python, never a parameter to the user
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if whole and not value.is_integer() else (int(value) if whole else value)
    return None


RANGES = {
    spec.name: spec
    for spec in (
        ParameterRange("temperature", "Temperature", False, 0, 2, below_high=True),
        ParameterRange("top_p", "Top p", False, 0, 1, above_low=True),
        ParameterRange("top_k", "Top k", True, 0),
        ParameterRange("presence_penalty", "Presence penalty", False, -2, 2),
        ParameterRange("max_tokens", "Max output tokens", True, 1),
        ParameterRange("seed", "Seed", True, 0, 2**31 - 1),
    )
}


def check_parameter(name: str, value: object) -> float | int:
    """One parameter's value, checked against its range (`ParameterError` if outside)."""
    return RANGES[name].check(value)


def parse_parameter(name: str, text: str) -> float | int | None:
    """A parameter typed as text (a flag, a dialog's field); empty is None (not sent)."""
    text = text.strip()
    if not text:
        return None
    spec = RANGES[name]
    try:
        return spec.check(int(text) if spec.whole else float(text))
    except (ValueError, ParameterError):
        # Said as typed: "3", not the 3.0 it was read as.
        raise ParameterError(f"{name} = {text}: expected {spec.describe()}") from None


# The Qwen3 model cards' recommended sampling for each mode.
PRESETS = {
    "qwen3": ModeParameters(
        thinking=ModelParameters(temperature=0.6, top_p=0.95, top_k=20),
        plain=ModelParameters(temperature=0.7, top_p=0.8, top_k=20),
    ),
}
NO_PRESET = "none"
PRESET_CHOICES = (*PRESETS, NO_PRESET)


def check_preset(name: object) -> str | None:
    """A preset's name as settings hold it (None: no preset); `ParameterError` if unknown."""
    if name in (None, NO_PRESET, ""):
        return None
    if name not in PRESETS:
        raise ParameterError(
            f"preset = {name!r}: expected one of {', '.join(repr(c) for c in PRESET_CHOICES)}"
        )
    return str(name)


def in_force(parameters: ModeParameters, preset: str | None) -> ModeParameters:
    """The parameters requests are sent with: the user's own where set, the preset's where
    not (per mode, so that the preset's values follow thinking as it flips)."""
    return parameters.over(PRESETS[preset] if preset else NO_MODE_PARAMETERS)
