"""One setting checked, from whichever source it came (the file, the environment, a flag)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thinkchat.catalog import REGIONS, Thinking, parse_budget
from thinkchat.chat.transport_registry import TRANSPORTS
from thinkchat.config.endpoint_rule import ALLOW_SETTING, BadEndpoint, parse_endpoint
from thinkchat.config.errors import ConfigError

PANEL_STATES = ("open", "collapsed")
# A yes or no given as text (in an environment variable).
_YES = ("1", "true", "yes", "on")
_NO = ("0", "false", "no", "off")


def check_setting(name: str, value: Any, path: Path | None, line: int | None) -> Any:
    """Validate one top-level setting; return its value in the form `Config` holds."""

    def fail(expected: str) -> ConfigError:
        return ConfigError(f"{name} = {value!r}: expected {expected}", path, line)

    if name == "region":
        if value not in REGIONS:
            raise fail(f"one of {', '.join(REGIONS)}")
        return value
    if name == "transport":
        if value not in TRANSPORTS:
            raise fail(f"one of {', '.join(TRANSPORTS)}")
        return value
    if name == "thinking":
        if isinstance(value, bool):
            return Thinking.ON if value else Thinking.OFF
        try:
            return Thinking(str(value).lower())
        except ValueError:
            raise fail('"on", "off" or "auto"') from None
    if name == "budget":
        if value in ("", 0, "none", "off"):
            return None
        try:
            return parse_budget(value if isinstance(value, int) else str(value))
        except ValueError as exc:
            raise ConfigError(f"budget = {value!r}: {exc}", path, line) from None
    if name == "reasoning_panel":
        if value not in PANEL_STATES:
            raise fail('"open" or "collapsed"')
        return value
    if name == "endpoint":
        if not isinstance(value, str):
            raise fail('an http(s) URL such as "http://127.0.0.1:8000"')
        try:
            return parse_endpoint(value)
        except BadEndpoint as exc:
            # A user name and password in the URL are not shown again.
            shown = "endpoint" if "@" in value else f"endpoint = {value!r}"
            raise ConfigError(f"{shown}: {exc}", path, line) from None
    if name == ALLOW_SETTING:
        answer = str(value).strip().lower()
        if isinstance(value, bool) or answer in _YES + _NO:
            return value if isinstance(value, bool) else answer in _YES
        raise fail("true or false (1 or 0)")
    if not isinstance(value, str) or (name == "model" and not value.strip()):
        raise fail("a string")
    if name == "system_prompt":
        return value or None
    return value.strip()
