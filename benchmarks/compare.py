"""compare: two streams side by side in the compare view, and the keys pressed meanwhile.

1. Two streams to screen: the headless app (140×40, openai transport, history kept) compares a
   prompt under `think,think`, so that both variants stream 20,000 reasoning + 20,000 answer
   tokens at once, each into its column's reasoning panel and answer. Timed from the enter key
   that starts the comparison (in the compare dialog) to the screen caught up with both
   variants' ends (`FrameWatcher.caught_up`); the run fails unless both columns hold their
   whole answer and reasoning. Baseline: the bare SDK loop reading the same two streams
   concurrently (`asyncio.gather`), in this process. Target ≤ 1.5×.
2. Keys while two stream: the streams paced by the simulator (10 tokens an event, 2 ms apart),
   a thread presses keys as the terminal driver does (see `responsiveness`) and times each to
   the frame that shows it: tab (the other variant becomes the current one: a frame repaints
   its column's title, marked) and, every fourth key, ctrl+f (every column's reasoning
   collapses or opens: a frame lays the panels out at their new height). Baseline: the same
   keys on the compare screen at rest, once a short comparison (200 + 200 tokens a variant)
   has ended. Targets: p99 < 50 ms, max < 100 ms.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from benchmarks.bare import bare_stream, stream_prompt
from benchmarks.frames import FramePredicate, FrameWatcher, covers
from benchmarks.harness import Context, Figure, Target, interleave
from benchmarks.responsiveness import Typist, latency_figures
from benchmarks.tuikit import SIZE, check_on_screen, make_app, press

NAME = "compare"
STREAM_TARGET = Target(1.5)
VARIANTS = "think,think"  # both think: two streams of reasoning and answer alike
KEYS_AT_REST_SECONDS = 3.0


async def open_comparison(app: Any, watcher: FrameWatcher, prompt: str) -> float:
    """Type `prompt`, open the compare dialog, give it `VARIANTS`; the time enter was pressed."""
    from textual.widgets import Input

    from thinkchat.ui.screens.chat.compare.dialog import CompareDialog

    app.chat_screen.prompt_input.text = prompt
    await watcher.settle(quiet=0.05, timeout=1.0)
    press(app, "f8")
    await watcher.next_frame(lambda update: isinstance(app.screen, CompareDialog))
    app.screen.query_one(Input).value = VARIANTS
    await watcher.settle(quiet=0.05, timeout=1.0)
    start = time.perf_counter()
    press(app, "enter", "\r")
    return start


async def comparison_workers(app: Any) -> list[Any]:
    """The worker streaming the comparison, once the compare screen has started it."""
    while True:
        workers = [worker for worker in app.workers if worker.group == "compare"]
        if workers:
            return workers
        await asyncio.sleep(0.001)


def check_columns(app: Any) -> None:
    """Both variants finished, and each column holds its whole text."""
    for column in app.screen.columns:
        check_on_screen(column.view, column.entry, column.panel, column.turn)


async def tui_once(host: str, folder: Path, prompt: str) -> float:
    """One app, one comparison: seconds from the enter key to both streams' last frame."""
    app = make_app(host, folder)
    async with app.run_test(size=SIZE):
        watcher = FrameWatcher(app)
        start = await open_comparison(app, watcher, prompt)
        await app.workers.wait_for_complete(await comparison_workers(app))
        end = await watcher.caught_up(time.perf_counter())
        check_columns(app)
    return end - start


async def bare_pair(host: str, prompt: str) -> None:
    """The bare SDK loop over two streams at once."""
    await asyncio.gather(bare_stream("openai", host, prompt), bare_stream("openai", host, prompt))


class CompareTypist(Typist):
    """Presses tab and ctrl+f on the compare screen."""

    def __init__(self, app: Any, watcher: FrameWatcher, seed: int) -> None:
        super().__init__(app, watcher, seed)
        self.samples = {"tab": [], "panel": []}
        self._collapsed = bool(app.screen.columns[0].panel.collapsed)
        self._current = 0  # the column the keys act on; the first when the screen opens

    def _phase(self) -> str:
        turns = self.app.screen.turns
        if all(turn.finished for turn in turns):
            return "idle"
        return "answer" if any(turn.answer for turn in turns) else "reasoning"

    def _next_key(self, count: int) -> tuple[str, str, str | None, FramePredicate]:
        app = self.app
        if count % 4 == 0:
            want = self._collapsed = not self._collapsed

            def panels(update: Any) -> bool:
                return all(
                    column.panel.collapsed == want and (column.panel.region.height <= 1) == want
                    for column in app.screen.columns
                )

            return "panel", "ctrl+f", None, panels
        self._current = (self._current + 1) % len(app.screen.columns)
        column = app.screen.columns[self._current]

        def marked(update: Any) -> bool:
            title = column.query_one(".title")
            return title.has_class("-current") and covers(update, title.region)

        return "tab", "tab", "\t", marked


async def keys_session(
    host: str, folder: Path, prompt: str, streaming: bool, seed: int
) -> dict[str, list[tuple[float, str]]]:
    """Key presses on the compare screen: while its two streams pour in, or at rest after."""
    app = make_app(host, folder)
    async with app.run_test(size=SIZE):
        watcher = FrameWatcher(app)
        await watcher.settle(quiet=0.1, timeout=2.0)
        await open_comparison(app, watcher, prompt)
        workers = await comparison_workers(app)
        if not streaming:
            await app.workers.wait_for_complete(workers)
            await watcher.settle(quiet=0.1, timeout=2.0)
        typist = CompareTypist(app, watcher, seed)
        typist.start()
        if streaming:
            await app.workers.wait_for_complete(workers)
        else:
            await asyncio.sleep(KEYS_AT_REST_SECONDS)
        await asyncio.to_thread(typist.join)
        check_columns(app)
    return typist.samples


def run(ctx: Context) -> list[Figure]:
    tokens = 2000 if ctx.quick else 20000
    prompt = stream_prompt(tokens, tokens)
    folder = ctx.scratch(NAME)
    ctx.simulator.reset()
    counter = iter(range(10**6))

    def new_folder() -> Path:
        path = folder / f"run-{next(counter)}"
        path.mkdir()
        return path

    def bare() -> float:
        start = time.perf_counter()
        asyncio.run(bare_pair(ctx.host, prompt))
        return time.perf_counter() - start

    def tui() -> float:
        return asyncio.run(tui_once(ctx.host, new_folder(), prompt))

    ctx.log("compare: two streams to screen")
    stream = interleave([("bare", bare), ("tui", tui)], ctx.repeat, log=ctx.log)
    figures = [
        Figure(
            NAME,
            "two streams to screen",
            stream["tui"],
            stream["bare"],
            baseline_name="bare SDK loop ×2",
            target=STREAM_TARGET,
            note=(
                f"2 × {tokens:,}+{tokens:,} tokens at once, openai, side by side at 140×40; "
                "enter key to last frame"
            ),
        )
    ]

    paced_tokens = 3000 if ctx.quick else 20000
    delay = 0.004 if ctx.quick else 0.002
    paced = stream_prompt(paced_tokens, paced_tokens, f" per_event=10 delay={delay}")
    seeds = iter(range(10**6))

    # At rest: a short comparison, over before the keys begin.
    short = stream_prompt(200, 200)

    def keys(streaming: bool) -> dict[str, list[tuple[float, str]]]:
        ctx.log(f"  keys, {'streaming' if streaming else 'at rest'}")
        text = paced if streaming else short
        return asyncio.run(keys_session(ctx.host, new_folder(), text, streaming, next(seeds)))

    ctx.log("compare: keys while two stream")
    rounds = interleave(
        [("at rest", lambda: keys(False)), ("streaming", lambda: keys(True))],
        ctx.repeat,
        warmup=0,
        log=lambda text: None,
    )
    for kind, label in (("tab", "two streams: tab"), ("panel", "two streams: ctrl+f")):
        figures += latency_figures(
            kind,
            label,
            rounds["streaming"],
            rounds["at rest"],
            benchmark=NAME,
            baseline_name="compare screen at rest",
        )
    return figures
