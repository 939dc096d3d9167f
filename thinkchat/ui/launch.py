"""`thinkchat` without a subcommand: load the settings, then run the app."""

from __future__ import annotations

import argparse
import sys

from thinkchat.cli import EXIT_OK, EXIT_USAGE, load_settings
from thinkchat.config import ConfigError


def run_tui(args: argparse.Namespace) -> int:
    """Open the chat; returns the exit code."""
    try:
        config = load_settings(args)
    except ConfigError as problem:
        sys.stderr.write(f"thinkchat: error: {problem}\n")
        return EXIT_USAGE
    simulator = None
    if args.demo:
        from thinkchat.demo import start_demo

        simulator, config = start_demo(config)
    from thinkchat.ui.app import ThinkChatApp

    try:
        ThinkChatApp(config).run()
    finally:
        if simulator is not None:
            simulator.stop()
    return EXIT_OK
