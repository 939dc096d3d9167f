"""Where a stream's time goes in the app: `python -m benchmarks.stream_parts [--transport T]`.

A diagnostic, not one of `python -m benchmarks`' figures: it splits `tui_stream`'s "stream to
screen" figure by taking parts of the app out. The same 20,000 + 20,000-token turn, in an app
left open a while first (as in `tui_stream`'s info figure), against the bare SDK loop,
interleaved:

- **as is**: the app as shipped;
- **nothing drawn**: the streamer takes every delta in and paces its frames, but draws nothing
  (`TurnStreamer.draw` drops the text): what the reasoning panel, the answer's Markdown, the
  rows and the screen updates cost;
- **not fed**: the turn is streamed and recorded, but the streamer is never given an event
  (`TurnStreamer.feed` drops it): what is left is the engine and the turn's loop in the app.

The parts are taken out by replacing those two methods of thinkchat's own class for the
variant's run (and the check that the whole text is on screen, which then cannot hold); the
SDKs and the simulator are untouched.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks import tuikit
from benchmarks.bare import bare_stream, stream_prompt
from benchmarks.harness import interleave, median_ratio, seconds_to_run
from benchmarks.procs import SimulatorProcess, byte_compile
from benchmarks.tui_stream import OPEN_FOR, tui_once


def _draw_nothing(streamer: Any, enough: Callable[[], bool]) -> bool:
    streamer._reasoning, streamer._answer = [], []
    return False


def _feed_nothing(streamer: Any, event: Any) -> bool:
    return False


@contextmanager
def _replaced(method: str, replacement: Callable[..., bool]) -> Iterator[None]:
    """`TurnStreamer.<method>` replaced for the duration, and the on-screen check off."""
    from thinkchat.ui.screens.chat.streaming import TurnStreamer

    original, check = getattr(TurnStreamer, method), tuikit.check_turn_on_screen
    setattr(TurnStreamer, method, replacement)
    tuikit.check_turn_on_screen = lambda app: None
    try:
        yield
    finally:
        setattr(TurnStreamer, method, original)
        tuikit.check_turn_on_screen = check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stream_parts", description=__doc__)
    parser.add_argument("--transport", choices=("openai", "dashscope"), default="dashscope")
    parser.add_argument("--tokens", type=int, default=20000, help="of reasoning, and of answer")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    prompt = stream_prompt(args.tokens, args.tokens)
    byte_compile()
    folder = Path(tempfile.mkdtemp(prefix="thinkchat-parts-"))
    with SimulatorProcess(folder) as simulator:
        host = simulator.url

        def bare() -> float:
            return seconds_to_run(lambda: bare_stream(args.transport, host, prompt))

        def app(replace: tuple[str, Callable[..., bool]] | None = None) -> float:
            run_folder = Path(tempfile.mkdtemp(dir=folder))
            turn = tui_once(host, run_folder, prompt, args.transport, OPEN_FOR)
            if replace is None:
                return asyncio.run(turn)
            with _replaced(*replace):
                return asyncio.run(turn)

        variants = {
            "as is": lambda: app(),
            "nothing drawn": lambda: app(("draw", _draw_nothing)),
            "not fed": lambda: app(("feed", _feed_nothing)),
        }
        runs = interleave([("bare", bare), *variants.items()], args.repeat)
    print(
        f"{args.tokens:,}+{args.tokens:,} tokens over {args.transport}, the app open "
        f"{OPEN_FOR:g} s first; bare SDK loop: {statistics.median(runs['bare']):.3f} s"
    )
    for name in variants:
        ratio = median_ratio(runs[name], runs["bare"])
        print(f"  {name:<14} {ratio:.2f}×  ({statistics.median(runs[name]):.3f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
