"""The settings options `thinkchat` and `thinkchat ask` share, and the settings they give.

Kept apart from the parser, so that the commands that read the settings (`ask`, the TUI) do not
import the parser that imports them.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from thinkchat.catalog import ALL_REGIONS, InvalidBudget, parse_budget
from thinkchat.chat.transport_registry import TRANSPORTS
from thinkchat.config.endpoint_rule import ALLOW_FLAG, ALLOW_SETTING

if TYPE_CHECKING:
    from thinkchat.config.settings import Config

NO_LIMIT = "none"
# The flag that gives each setting, for messages that say where a setting came from.
_FLAGS = {
    "model": "--model",
    "region": "--region",
    "transport": "--transport",
    "endpoint": "--endpoint",
    "thinking": "--think/--no-think",
    "budget": "--budget",
    ALLOW_SETTING: ALLOW_FLAG,
}


def _budget(text: str) -> int | str:
    if text.strip().lower() in (NO_LIMIT, "off", ""):
        return NO_LIMIT
    try:
        value = parse_budget(text)
    except InvalidBudget as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value if value is not None else NO_LIMIT


def settings_options(default: object = None) -> argparse.ArgumentParser:
    """Options shared by the TUI and `ask`.

    A subcommand gets them with `default=argparse.SUPPRESS`, so that an option given before
    the subcommand's name is not reset by the subcommand's own default.
    """
    options = argparse.ArgumentParser(add_help=False, argument_default=default)
    group = options.add_argument_group("settings")
    group.add_argument("--config", metavar="PATH", help="config file to use")
    group.add_argument(
        "--model", "-m", help="model to ask, e.g. qwen-plus, qwq-plus, kimi-k2-thinking"
    )
    group.add_argument("--region", choices=ALL_REGIONS, help="Model Studio region")
    group.add_argument(
        "--transport",
        choices=tuple(TRANSPORTS),
        help="SDK to use: openai (compatible mode) or dashscope (native)",
    )
    group.add_argument(
        "--think",
        action=argparse.BooleanOptionalAction,
        help="turn thinking on (or off with --no-think); default: the model's own default",
    )
    group.add_argument(
        "--budget",
        type=_budget,
        metavar="N",
        help="cap thinking at N tokens ('none' for no limit)",
    )
    group.add_argument(
        "--endpoint",
        metavar="URL",
        help=(
            "host root replacing the region's, e.g. http://127.0.0.1:8000; plain http:// only "
            "to this machine (the key would cross the network unencrypted)"
        ),
    )
    group.add_argument(
        ALLOW_FLAG,
        dest=ALLOW_SETTING,
        action="store_const",
        const=True,
        help="allow an http:// endpoint on another machine all the same (warned once a run)",
    )
    group.add_argument(
        "--demo",
        action="store_const",
        const=True,
        help="talk to the built-in simulator instead of Model Studio (no key needed)",
    )
    return options


def load_settings(args: argparse.Namespace) -> Config:
    """The config file and environment, with the command line's settings on top; raises
    `ConfigError` for an endpoint that would send the key in the clear (see `endpoint_rule`)."""
    # Imported here: parsing the command line (`--help`, `--version`) does not read settings.
    from thinkchat.config.loading import load_config

    path = getattr(args, "config", None)
    config = load_config(Path(path).expanduser() if path else None)
    think = getattr(args, "think", None)
    budget = getattr(args, "budget", None)
    if budget == NO_LIMIT:
        config = replace(config, budget=None)
        budget = None
    config = config.with_overrides(
        _FLAGS,
        model=getattr(args, "model", None),
        region=getattr(args, "region", None),
        transport=getattr(args, "transport", None),
        endpoint=getattr(args, "endpoint", None),
        thinking=None if think is None else ("on" if think else "off"),
        budget=budget,
        allow_insecure_endpoint=getattr(args, ALLOW_SETTING, None),
    )
    # --demo answers from the simulator: the endpoint setting is not used.
    return config if getattr(args, "demo", None) else config.with_endpoint_checked()
