"""`thinkchat` without a subcommand: load the settings and the history, then run the app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from thinkchat.cli.exit_codes import EXIT_OK, EXIT_USAGE
from thinkchat.cli.options import load_settings
from thinkchat.config.errors import ConfigError
from thinkchat.history.errors import StoreError

if TYPE_CHECKING:
    from thinkchat.history.store import HistoryStore


def open_default_history() -> HistoryStore:
    """The history in its usual place, opened (or created)."""
    # Imported here: unless a conversation is resumed, the history (and SQLite with it, a few
    # ms) is opened only once the app's first frame is drawn.
    from thinkchat.history.store import HistoryStore

    return HistoryStore(HistoryStore.default_path())


def _conversation_to_open(args: argparse.Namespace, store: HistoryStore | None) -> int | None:
    """The id asked for by --continue or --resume; raises ValueError when there is none."""
    if args.resume is None and not args.continue_last:
        return None
    if store is None:
        raise ValueError("the history cannot be opened, so there is nothing to resume")
    if args.continue_last:
        latest = store.latest_conversation_id()
        if latest is None:
            raise ValueError("there is no conversation to continue yet")
        return latest
    if not store.has_conversation(args.resume):
        raise ValueError(f"there is no conversation {args.resume} (ctrl+l in the app lists them)")
    return args.resume


def run_tui(args: argparse.Namespace) -> int:
    """Open the chat; returns the exit code."""
    try:
        config = load_settings(args)
    except ConfigError as problem:
        sys.stderr.write(f"thinkchat: error: {problem}\n")
        return EXIT_USAGE
    store: HistoryStore | None = None
    open_history: Callable[[], HistoryStore] | None = None
    if args.resume is None and not args.continue_last:
        # Opened by the app once it is on screen, where a failure is shown.
        open_history = open_default_history
    else:
        try:
            store = open_default_history()
        except StoreError as problem:
            sys.stderr.write(f"thinkchat: warning: the history is off: {problem}\n")
    try:
        resume = _conversation_to_open(args, store)
    except ValueError as problem:
        sys.stderr.write(f"thinkchat: error: {problem}\n")
        if store is not None:
            store.close()
        return EXIT_USAGE
    simulator = None
    if args.demo:
        from thinkchat.cli.demo import start_demo

        simulator, config = start_demo(config)
    from thinkchat.ui.app import ThinkChatApp

    try:
        ThinkChatApp(config, store=store, open_history=open_history, resume=resume).run()
    finally:
        if simulator is not None:
            simulator.stop()
    return EXIT_OK
