"""`thinkchat export ID [--format md|json] [--no-reasoning]`: a stored conversation printed on
stdout."""

from __future__ import annotations

import argparse
import sys

from thinkchat.cli.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from thinkchat.history.errors import StoreError, UnknownConversation
from thinkchat.history.export import export_text
from thinkchat.history.store import HistoryStore


def run_export(args: argparse.Namespace) -> int:
    """`thinkchat export ID [--format md|json] [--no-reasoning]`: print a stored conversation
    on stdout."""
    path = HistoryStore.default_path()
    try:
        with HistoryStore(path) as store:
            try:
                stored = store.load_conversation(args.conversation_id)
            except UnknownConversation:
                latest = store.latest_conversation_id()
                hint = f"the latest is {latest}" if latest is not None else "it is empty"
                print(
                    f"thinkchat: error: no conversation {args.conversation_id} in the history "
                    f"at {path} ({hint})",
                    file=sys.stderr,
                )
                return EXIT_USAGE
    except StoreError as exc:
        print(f"thinkchat: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    sys.stdout.write(export_text(stored, args.format, reasoning=args.reasoning))
    return EXIT_OK
