"""The `thinkchat` command's entry point: start-up makes no collection from its first import.

The command line and what it imports are the first of start-up's objects, and all of them stay;
so the collector is off before any of them is imported (see `thinkchat.process.gc_pause`), and
the command's own start-up ends it.
"""

from __future__ import annotations

from collections.abc import Sequence

from thinkchat.process.gc_pause import start_up_without_collections


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `thinkchat` command (`thinkchat.cli.main.main`) with the collector off."""
    start_up_without_collections()
    from thinkchat.cli.main import main as run_command

    return run_command(argv)
