"""What a setting is: every setting resolved into a `Config`, and where each API key comes from.

Precedence, lowest to highest: built-in defaults < config file < environment < command-line
flags. `DASHSCOPE_API_KEY` in the environment wins over the keys in the file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thinkchat.catalog import REGIONS, Thinking, region_label
from thinkchat.chat.api_key import ApiKey, mask_key
from thinkchat.chat.request import Endpoint, Timeouts
from thinkchat.config.checks import check_setting
from thinkchat.config.endpoint_rule import BadEndpoint, cleartext_warning
from thinkchat.config.errors import ConfigError, MissingApiKey
from thinkchat.config.parameters import ParameterSettings
from thinkchat.config.prices import PriceSettings

if TYPE_CHECKING:
    from thinkchat.chat.prices import PriceTable
    from thinkchat.chat.session import ChatSession, EndpointResolver

APP_NAME = "thinkchat"
CONFIG_ENV = "THINKCHAT_CONFIG"
API_KEY_ENV = "DASHSCOPE_API_KEY"
KEY_COMMAND_TIMEOUT = 15.0


def default_config_path() -> Path:
    """`$THINKCHAT_CONFIG`, or `config.toml` in the platform's config folder."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


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
    import shlex  # only a key kept in a password manager needs them
    import subprocess

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
    prices: PriceSettings = field(default_factory=PriceSettings)
    parameters: ParameterSettings = field(default_factory=ParameterSettings)
    warnings: tuple[str, ...] = ()
    exists: bool = False
    # --demo: every request goes to the in-process simulator with its own key.
    demo: bool = False
    demo_key: ApiKey | None = None
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
                checked[name] = check_setting(name, value, None, None)
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

    def chat_session(
        self,
        endpoints: EndpointResolver | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> ChatSession:
        """A session with these settings, retries and system prompt; its endpoints (host and
        key of a region) come from `endpoints`, or from this config."""
        # Imported here: the engine brings asyncio, which `--help`, `config` and `export`
        # never need.
        from thinkchat.chat.retry import RetryPolicy
        from thinkchat.chat.session import ChatSession, ChatSettings

        settings = ChatSettings(
            model=self.model,
            region=self.region,
            transport=self.transport,
            thinking=self.thinking,
            budget=self.budget,
            parameters=self.parameters.parameters,
            preset=self.parameters.preset,
        )
        session = ChatSession(
            settings,
            endpoints or self.endpoint_for,
            clock=clock,
            retry=RetryPolicy(retries=self.network.retries),
            prices=self.price_table,
        )
        session.conversation.system_prompt = self.system_prompt
        return session

    def price_table(self) -> PriceTable:
        """The prices turns are priced by: the config's `[prices]` before thinkchat's own
        (read from the shipped file here, when the session first asks for them)."""
        from thinkchat.chat.prices import PriceTable
        from thinkchat.config.prices import read_shipped

        shipped, cache_share = read_shipped()
        return PriceTable(self.prices.prices, shipped, self.prices.currency, cache_share)

    def host_root(self, region: str) -> str:
        return self.endpoint or REGIONS[region].host

    def api_key(self, region: str) -> ApiKey:
        """The API key for `region`; raises `MissingApiKey` with what to do when there is none."""
        if self.demo_key is not None:
            return self.demo_key
        from_env = os.environ.get(API_KEY_ENV, "").strip()
        if from_env:
            return ApiKey(from_env)
        source = self.api_keys.get(region)
        value = source.resolve().strip() if source else ""
        if value:
            return ApiKey(value)
        label = region_label(region)
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
