"""`python -m benchmarks [--quick] [--only NAME] [--repeat N]`: run the benchmarks, print a table.

Targets missed are reported, not failures: the exit code is 0 unless a benchmark could not run.
The raw results go to benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from benchmarks.harness import (
    RESULTS,
    Context,
    Figure,
    describe_machine,
    machine_lines,
    render_table,
    timestamp,
)
from benchmarks.procs import SimulatorProcess, byte_compile

BENCHMARKS = (
    "engine",
    "tui_stream",
    "first_token",
    "responsiveness",
    "compare",
    "startup",
    "history",
    "memory",
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Run thinkchat's benchmarks against the simulator and print one table.",
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, smaller streams")
    parser.add_argument(
        "--only", action="append", choices=BENCHMARKS, metavar="NAME", help="run only NAME"
    )
    parser.add_argument(
        "--repeat", type=int, help="repetitions per figure (default 5; 2 with --quick)"
    )
    parser.add_argument(
        "--output", type=Path, default=RESULTS / "latest.json", help="where to write the JSON"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    if args.repeat is None:
        args.repeat = 2 if args.quick else 5
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = [name for name in BENCHMARKS if not args.only or name in args.only]
    machine = describe_machine()
    folder = Path(tempfile.mkdtemp(prefix="thinkchat-bench-"))

    def log(text: str) -> None:
        if not args.quiet:
            print(text, file=sys.stderr, flush=True)

    figures: list[Figure] = []
    failures: dict[str, str] = {}
    durations: dict[str, float] = {}
    started = timestamp()
    byte_compile()
    try:
        with SimulatorProcess(folder) as simulator:
            log(f"simulator on {simulator.url}; scratch folder {folder}")
            ctx = Context(simulator, args.repeat, args.quick, folder, log)
            for name in names:
                log(f"== {name}")
                start = time.perf_counter()
                try:
                    module = importlib.import_module(f"benchmarks.{name}")
                    figures += module.run(ctx)
                except Exception:
                    failures[name] = traceback.format_exc()
                    log(failures[name])
                durations[name] = time.perf_counter() - start
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    mode = "quick" if args.quick else "full"
    print("\n".join(line for line in machine_lines(machine) if line))
    print(f"run: {mode}, {args.repeat} repetitions, ratios are medians of paired repetitions")
    print("modules byte-compiled before the run, as pip does when it installs thinkchat\n")
    print(render_table(figures))
    missed = [f"{f.benchmark} / {f.name}" for f in figures if f.met is False]
    print(f"\ntargets: {sum(f.met is True for f in figures)} met, {len(missed)} missed")
    for name, error in failures.items():
        print(f"\n{name} FAILED to run:\n{error}")

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "started": started,
                "finished": timestamp(),
                "mode": mode,
                "repeat": args.repeat,
                "benchmarks": names,
                "seconds": durations,
                "machine": machine,
                "figures": [figure.to_json() for figure in figures],
                "missed": missed,
                "failures": failures,
            },
            indent=2,
        )
    )
    print(f"\nraw results: {args.output}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
