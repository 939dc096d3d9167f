"""Reading the config file and the environment into a `Config`, every mistake pointed at.

A missing file is fine (the defaults apply); a broken one is reported with its line. The
environment's settings go on top of the file's.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

from thinkchat.catalog import REGIONS, lookup
from thinkchat.config import toml
from thinkchat.config.checks import check_setting
from thinkchat.config.endpoint_rule import ALLOW_ENV, ALLOW_SETTING
from thinkchat.config.errors import ConfigError
from thinkchat.config.parameters import parse_parameter_settings
from thinkchat.config.prices import PriceError, PriceSettings, parse_price_settings
from thinkchat.config.settings import Config, KeySource, NetworkSettings, default_config_path

ENDPOINT_ENV = "THINKCHAT_ENDPOINT"
# Settings the environment can set: variable -> setting.
ENVIRONMENT = {
    "THINKCHAT_MODEL": "model",
    "THINKCHAT_REGION": "region",
    "THINKCHAT_TRANSPORT": "transport",
    "THINKCHAT_THINKING": "thinking",
    "THINKCHAT_BUDGET": "budget",
    ENDPOINT_ENV: "endpoint",
    ALLOW_ENV: ALLOW_SETTING,
}

_TOP_LEVEL = {
    "model",
    "region",
    "transport",
    "thinking",
    "budget",
    "theme",
    "reasoning_panel",
    "endpoint",
    ALLOW_SETTING,
    "system_prompt",
}
_TABLES = {"network", "api_keys", "keys", "prices", "parameters"}


def _line_of(text: str, table: str | None, key: str) -> int | None:
    """The line where `key` is set (in `[table]`, or at the top level), for error messages."""
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[([^\[\]]+)\]", line)
        if header:
            current = header.group(1).strip()
            continue
        if current == table and re.match(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    return None


def _entry_line(text: str, table: str, number: int) -> int | None:
    """The line of the `number`th `[[table]]` header, for error messages."""
    header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if header.match(line)]
    return lines[number - 1] if number <= len(lines) else None


def _number(value: Any, name: str, path: Path, line: int | None, minimum: float) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise ConfigError(
            f"{name} = {value!r}: expected a number of at least {minimum:g}", path, line
        )
    return value


def parse_config(text: str, path: Path) -> Config:
    """Validate the text of a config file; raise `ConfigError` pointing at the problem."""
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"line (\d+)", message)
        line = int(found.group(1)) if found else None
        raise ConfigError(f"not valid TOML: {message}", path, line) from None
    warnings: list[str] = []
    settings: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for name, value in data.items():
        line = _line_of(text, None, name)
        if name in _TOP_LEVEL:
            settings[name] = check_setting(name, value, path, line)
            origins[name] = f"{path}:{line}" if line else str(path)
        elif name in _TABLES:
            if not isinstance(value, dict):
                raise ConfigError(f"{name} must be a table ([{name}])", path, line)
        else:
            warnings.append(f"{path}:{line or '?'}: unknown setting {name!r} is ignored")
    model = settings.get("model")
    if model and not lookup(model).known:
        warnings.append(f"{path}:{_line_of(text, None, 'model') or '?'}: {lookup(model).warning}")

    network_data = data.get("network", {})
    network = NetworkSettings()
    for name, value in network_data.items():
        line = _line_of(text, "network", name)
        if name in ("connect_timeout", "read_timeout"):
            network = replace(network, **{name: float(_number(value, name, path, line, 0.1))})
        elif name == "retries":
            if not isinstance(value, int):
                raise ConfigError(f"retries = {value!r}: expected a whole number", path, line)
            network = replace(network, retries=_number(value, name, path, line, 0))
        else:
            warnings.append(f"{path}:{line or '?'}: unknown setting network.{name} is ignored")

    api_keys: dict[str, KeySource] = {}
    for region, value in data.get("api_keys", {}).items():
        line = _line_of(text, "api_keys", region)
        if region not in REGIONS:
            raise ConfigError(
                f"[api_keys] {region}: expected a region ({', '.join(REGIONS)})", path, line
            )
        api_keys[region] = _key_source(region, value, path, line)

    bindings: dict[str, str] = {}
    for action, key in data.get("keys", {}).items():
        if not isinstance(key, str) or not key.strip():
            line = _line_of(text, "keys", action)
            raise ConfigError(f'[keys] {action}: expected a key such as "ctrl+t"', path, line)
        bindings[action] = key.strip()

    prices = _prices(data.get("prices", {}), text, path, warnings)
    parameters = parse_parameter_settings(
        data.get("parameters", {}), path, lambda table, key: _line_of(text, table, key), warnings
    )
    return Config(
        path=path,
        network=network,
        api_keys=api_keys,
        bindings=bindings,
        prices=prices,
        parameters=parameters,
        warnings=tuple(warnings),
        exists=True,
        origins=origins,
        **settings,
    )


def _prices(table: dict[str, Any], text: str, path: Path, warnings: list[str]) -> PriceSettings:
    for name in table:
        if name not in ("currency", "model"):
            line = _line_of(text, "prices", name)
            warnings.append(f"{path}:{line or '?'}: unknown setting prices.{name} is ignored")
    try:
        return parse_price_settings(table)
    except PriceError as problem:
        if problem.entry is None:
            line = _line_of(text, "prices", "currency")
        else:
            line = _entry_line(text, "prices.model", problem.entry)
        raise ConfigError(str(problem), path, line) from None


def _key_source(region: str, value: Any, path: Path, line: int | None) -> KeySource:
    if isinstance(value, str):
        return KeySource(literal=value)
    if isinstance(value, dict) and len(value) == 1:
        ((kind, detail),) = value.items()
        if kind in ("env", "command") and isinstance(detail, str) and detail.strip():
            return KeySource(**{kind: detail.strip()})
    raise ConfigError(
        f'[api_keys] {region}: expected "sk-...", {{ env = "VARIABLE" }} or '
        '{ command = "pass show dashscope" }',
        path,
        line,
    )


def _key_exposure(path: Path, config: Config) -> str | None:
    """A warning when the file holds a key that others on this machine can read."""
    holds_key = any(source.literal for source in config.api_keys.values())
    if not holds_key or os.name != "posix":
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    if not mode & 0o077:
        return None
    import shlex  # only this warning needs it

    return (
        f"{path} holds an API key and can be read by other users (mode {mode:o}); "
        f"fix it with: chmod 600 {shlex.quote(str(path))}"
    )


def load_config(path: Path | None = None) -> Config:
    """Read the config file (a missing file is fine) and apply the environment on top."""
    path = path or default_config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        config = Config(path=path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the config file: {exc}", path) from None
    else:
        config = parse_config(text, path)
        exposure = _key_exposure(path, config)
        if exposure:
            config = replace(config, warnings=(*config.warnings, exposure))
    environment = {
        setting: os.environ[variable]
        for variable, setting in ENVIRONMENT.items()
        if os.environ.get(variable)
    }
    origins = {setting: f"${variable}" for variable, setting in ENVIRONMENT.items()}
    return config.with_overrides(origins, **environment)
