"""`thinkchat config path` and `thinkchat config init`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from thinkchat.cli.exit_codes import EXIT_OK, EXIT_USAGE
from thinkchat.config.settings import default_config_path
from thinkchat.data import shipped


def run_config_command(args: argparse.Namespace) -> int:
    path = Path(args.config).expanduser() if args.config else default_config_path()
    if args.config_command == "path":
        print(path)
        return EXIT_OK
    if path.exists():
        sys.stderr.write(f"thinkchat: {path} already exists; it was left as it is\n")
        return EXIT_USAGE
    example = shipped("config.example.toml").read_text(encoding="utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(example, encoding="utf-8")
    print(f"wrote the example config to {path}")
    return EXIT_OK
