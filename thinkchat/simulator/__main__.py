"""`python -m thinkchat.simulator --port N`: a local Model Studio stand-in."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from thinkchat.simulator.models import REGION_NAMES
from thinkchat.simulator.runner import serve_forever
from thinkchat.simulator.script import FAULT_KINDS, Script
from thinkchat.simulator.server import DEFAULT_KEY, SimulatorState


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m thinkchat.simulator",
        description=(
            "Serve both Model Studio protocols on 127.0.0.1 for tests and demos: "
            "POST /compatible-mode/v1/chat/completions and "
            "POST /api/v1/services/aigc/text-generation/generation."
        ),
        epilog=(
            "Steer one request from the prompt with a line like "
            "'#sim reasoning=2000 answer=500 delay=0.01' or '#sim fault=rate_limit retry_after=2'. "
            f"Faults: {', '.join(FAULT_KINDS)}. "
            "GET /_sim/requests lists what clients sent; POST /_sim/scripts queues scripts (JSON); "
            "POST /_sim/reset clears both."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument(
        "--key",
        action="append",
        dest="keys",
        metavar="KEY",
        help=f"an API key to accept (repeatable; default {DEFAULT_KEY})",
    )
    parser.add_argument(
        "--region",
        choices=REGION_NAMES,
        help="serve only the models of this region (default: every model)",
    )
    parser.add_argument(
        "--delay", type=float, default=0.0, help="seconds between events (default 0: full speed)"
    )
    args = parser.parse_args()
    state = SimulatorState(
        frozenset(args.keys or [DEFAULT_KEY]), args.region, Script(delay=args.delay)
    )
    print(f"thinkchat simulator on http://{args.host}:{args.port} (key: {', '.join(state.keys)})")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_forever(state, args.host, args.port))


if __name__ == "__main__":
    main()
