"""The `thinkchat` command's entry point: start-up makes no collection from its first import.

`thinkchat.cli` and what it imports (the catalog, the config, argparse, tomllib) are the first
of start-up's objects, and all of them stay; with the collector on, they alone set off a dozen
passes (3 ms) before the TUI or `ask` could turn it off. The command's own start-up ends it
(`thinkchat.collector`).
"""

from __future__ import annotations

from collections.abc import Sequence

from thinkchat.collector import start_up_without_collections


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `thinkchat` command (`thinkchat.cli.main`) with the collector off."""
    start_up_without_collections()
    from thinkchat.cli import main as run_command

    return run_command(argv)
