"""Settings: the TOML config file, the environment and the command line, in that order of weight.

Precedence, lowest to highest: built-in defaults < config file < environment < command-line
flags. `DASHSCOPE_API_KEY` in the environment wins over the keys in the file.
"""

from __future__ import annotations

import os
import re
import shlex
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from thinkchat.catalog import REGIONS, Thinking, lookup, parse_budget
from thinkchat.chat.request import Endpoint, Timeouts
from thinkchat.endpoint_rule import (
    ALLOW_ENV,
    ALLOW_SETTING,
    BadEndpoint,
    cleartext_warning,
    parse_endpoint,
)
from thinkchat.secrets import Secret, mask_key
from thinkchat.transports import TRANSPORTS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

APP_NAME = "thinkchat"
CONFIG_ENV = "THINKCHAT_CONFIG"
API_KEY_ENV = "DASHSCOPE_API_KEY"
ENDPOINT_ENV = "THINKCHAT_ENDPOINT"
PANEL_STATES = ("open", "collapsed")
KEY_COMMAND_TIMEOUT = 15.0

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
# A yes or no given as text (in an environment variable).
_YES = ("1", "true", "yes", "on")
_NO = ("0", "false", "no", "off")


class ConfigError(ValueError):
    """A setting that cannot be used, with where it came from."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.path and self.line else str(self.path or "")
        return f"{where}: {self.message}" if where else self.message


class MissingApiKey(ConfigError):
    """No API key for the region being used."""


def default_config_path() -> Path:
    """`$THINKCHAT_CONFIG`, or `config.toml` in the platform's config folder."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def default_data_dir() -> Path:
    """The platform's data folder for thinkchat (history lives there)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


@dataclass(frozen=True)
class KeySource:
    """Where a region's API key comes from: a literal, an environment variable, or a command."""

    literal: str | None = None
    env: str | None = None
    command: str | None = None

    def __repr__(self) -> str:
        # Textual's crash report lists the local variables of every frame: a config or a
        # dict of keys among them must not print a key.
        literal = None if self.literal is None else mask_key(self.literal)
        return f"KeySource(literal={literal!r}, env={self.env!r}, command={self.command!r})"

    def describe(self) -> str:
        if self.env:
            return f"${self.env}"
        if self.command:
            return f"the command `{self.command}`"
        return "the config file"

    def resolve(self) -> str:
        if self.literal is not None:
            return self.literal
        if self.env:
            return os.environ.get(self.env, "")
        return _run_key_command(self.command or "")


def _run_key_command(command: str) -> str:
    import subprocess  # only a key kept in a password manager needs it

    try:
        result = subprocess.run(
            shlex.split(command),
            capture_output=True,
            text=True,
            timeout=KEY_COMMAND_TIMEOUT,
            check=False,
        )
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(f"the API key command `{command}` could not run: {exc}") from None
    if result.returncode != 0:
        # The command's output is not shown: it may hold the secret.
        raise ConfigError(f"the API key command `{command}` failed (exit {result.returncode})")
    lines = result.stdout.strip().splitlines()
    return lines[0].strip() if lines else ""


@dataclass(frozen=True)
class NetworkSettings:
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    retries: int = 3

    @property
    def timeouts(self) -> Timeouts:
        return Timeouts(connect=self.connect_timeout, read=self.read_timeout)


@dataclass(frozen=True)
class Config:
    """Every setting, resolved. `warnings` lists what was accepted but looked wrong."""

    path: Path
    model: str = "qwen-plus"
    region: str = "singapore"
    transport: str = "openai"
    thinking: Thinking = Thinking.AUTO
    budget: int | None = None
    theme: str = "thinkchat-dark"
    reasoning_panel: str = "open"
    endpoint: str | None = None
    # Plain HTTP to an endpoint that is not this machine (see endpoint_rule).
    allow_insecure_endpoint: bool = False
    system_prompt: str | None = None
    network: NetworkSettings = field(default_factory=NetworkSettings)
    api_keys: Mapping[str, KeySource] = field(default_factory=dict)
    bindings: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    exists: bool = False
    # --demo: every request goes to the in-process simulator with its own key.
    demo: bool = False
    demo_key: Secret | None = None
    # Where a setting came from, for messages: "$THINKCHAT_ENDPOINT", "--endpoint", a file line.
    origins: Mapping[str, str] = field(default_factory=dict)

    def with_overrides(self, origin: Mapping[str, str] | None = None, **overrides: Any) -> Config:
        """This config with settings from the environment or flags (None: not given);
        `origin` names where each setting comes from, for messages."""
        origin = origin or {}
        checked = {}
        for name, value in overrides.items():
            if value is None:
                continue
            try:
                checked[name] = _check_setting(name, value, None, None)
            except ConfigError as exc:
                if name not in origin:
                    raise
                raise ConfigError(f"{origin[name]}: {exc}") from None
        given = {name: origin[name] for name in checked if name in origin}
        return replace(self, origins={**self.origins, **given}, **checked)

    def with_endpoint_checked(self) -> Config:
        """This config once its endpoint passes the plain-HTTP rule (see `endpoint_rule`):
        raises `ConfigError` when the endpoint would send the key unencrypted to another
        machine and nothing allows it; when something does, adds a warning saying so, which
        the command shows once."""
        warning = self._cleartext_warning()
        return self if warning is None else replace(self, warnings=(*self.warnings, warning))

    def _cleartext_warning(self) -> str | None:
        try:
            return cleartext_warning(self.endpoint, self.allow_insecure_endpoint, self.origins)
        except BadEndpoint as refused:
            raise ConfigError(str(refused)) from None

    def host_root(self, region: str) -> str:
        return self.endpoint or REGIONS[region].host

    def api_key(self, region: str) -> Secret:
        """The API key for `region`; raises `MissingApiKey` with what to do when there is none."""
        if self.demo_key is not None:
            return self.demo_key
        from_env = os.environ.get(API_KEY_ENV, "").strip()
        if from_env:
            return Secret(from_env)
        source = self.api_keys.get(region)
        value = source.resolve().strip() if source else ""
        if value:
            return Secret(value)
        label = REGIONS[region].label if region in REGIONS else region
        if source and source.env:
            raise MissingApiKey(
                f"No API key for {label}: the config file names ${source.env}, which is not set.",
                self.path,
            )
        raise MissingApiKey(
            f'No API key for {label}. Set {API_KEY_ENV}, or put {region} = "sk-..." under '
            f"[api_keys] in {self.path} ('thinkchat config init' writes an example there)."
        )

    def endpoint_for(self, region: str) -> Endpoint:
        """The host and key of `region`'s requests; never a key in the clear to another host,
        whichever way this config was made."""
        self._cleartext_warning()  # raises when refused
        return Endpoint(self.host_root(region), self.api_key(region), region, self.network.timeouts)


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
_TABLES = {"network", "api_keys", "keys"}


def _check_setting(name: str, value: Any, path: Path | None, line: int | None) -> Any:
    """Validate one top-level setting; return its value in the form Config holds."""

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


def _number(value: Any, name: str, path: Path, line: int | None, minimum: float) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise ConfigError(
            f"{name} = {value!r}: expected a number of at least {minimum:g}", path, line
        )
    return value


def parse_config(text: str, path: Path) -> Config:
    """Validate the text of a config file; raise `ConfigError` pointing at the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
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
            settings[name] = _check_setting(name, value, path, line)
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

    return Config(
        path=path,
        network=network,
        api_keys=api_keys,
        bindings=bindings,
        warnings=tuple(warnings),
        exists=True,
        origins=origins,
        **settings,
    )


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
