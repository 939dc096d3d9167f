"""responsiveness: how long a key press takes to show on screen while a stream pours in.

A thread plays the terminal: at random intervals it delivers a key to the app exactly as the
terminal driver's input thread does (`Driver.send_message`), noting the time, then waits for
the frame that shows the key's effect (see `frames.FrameWatcher`):

- typing: "x" into the empty prompt, then backspace; shown at the first frame produced after
  the prompt's text changed that repaints the prompt's cells;
- the panel: ctrl+f collapses or expands the reasoning panel; shown at the first frame whose
  layout has the panel at its new height (1 row collapsed, the full height open).

The stream is 20,000 reasoning + 20,000 answer tokens, paced by the simulator (10 tokens an
event, 2 ms apart) so that it lasts several seconds. The baseline is the same keys in the same
app while idle, measured in the same run (idle, streaming, streaming, idle, …).

For information, with no target of its own: ctrl+f in an app at rest over that long answer,
once it has finished, against ctrl+f in an empty app (after reading a long answer, the toggle
lays the whole pane out at the other width).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import textual.constants

from benchmarks.bare import stream_prompt
from benchmarks.frames import FramePredicate, FrameWatcher, covers
from benchmarks.harness import Context, Figure, Target, interleave, percentile
from benchmarks.tuikit import SIZE, make_app, press, stream_turn, turn_workers

NAME = "responsiveness"
TIMEOUT = 5.0  # a key not shown after this long counts as this long
GAP = (0.02, 0.06)  # seconds between a key's effect and the next key
AT_REST_TOGGLES = 12  # ctrl+f presses in an app at rest, a repetition


def panel_shown(app: Any, collapsed: bool) -> bool:
    """Whether the panel is laid out collapsed (one row) or open, as `collapsed` says."""
    panel = app.chat_screen.panel
    return panel.collapsed == collapsed and (panel.region.height <= 1) == collapsed


class Typist:
    """The terminal's input thread: presses keys and times each one until it is on screen."""

    def __init__(self, app: Any, watcher: FrameWatcher, seed: int) -> None:
        self.app = app
        self.watcher = watcher
        self.random = random.Random(seed)
        self.samples: dict[str, list[tuple[float, str]]] = {"type": [], "panel": []}
        self.stop = threading.Event()
        self._collapsed = bool(app.chat_screen.panel.collapsed)  # read here, in the app's thread
        self._typed = False
        self._thread = threading.Thread(target=self._run, name="typist", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self) -> None:
        self.stop.set()
        self._thread.join()

    def _phase(self) -> str:
        turns = self.app.chat_screen.session.conversation.turns
        if not turns or turns[-1].finished:
            return "idle"
        return "answer" if turns[-1].answer else "reasoning"

    def _next_key(self, count: int) -> tuple[str, str, str | None, FramePredicate]:
        """The `count`th key to press: its kind, name and character, and the frame that shows
        it: "x" and backspace into the prompt, alternately, and ctrl+f every fourth key."""
        app = self.app
        if count % 4 == 0:
            want = self._collapsed = not self._collapsed

            def panel(update: Any) -> bool:
                return panel_shown(app, want)

            return "panel", "ctrl+f", None, panel
        self._typed = not self._typed
        text = "x" if self._typed else ""

        def typed(update: Any) -> bool:
            prompt = app.chat_screen.prompt_input
            return prompt.text == text and covers(update, prompt.region)

        return ("type", "x", "x", typed) if self._typed else ("type", "backspace", "\x08", typed)

    def _run(self) -> None:
        count = 0
        while not self.stop.wait(self.random.uniform(*GAP)):
            count += 1
            kind, key, character, shown = self._next_key(count)
            phase = self._phase()
            expectation = self.watcher.expect(shown)
            start = time.perf_counter()
            press(self.app, key, character)
            if expectation.event.wait(TIMEOUT) and expectation.time is not None:
                self.samples[kind].append((expectation.time - start, phase))
            else:
                self.watcher.cancel(expectation)
                self.samples[kind].append((TIMEOUT, phase))
                self._resync(expectation)

    def _resync(self, expectation: Any) -> None:
        """After a timeout, wait until the app has caught up before the next key."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self.stop.is_set():
            if expectation.predicate(None):
                return
            time.sleep(0.05)


async def session(
    host: str, folder: Path, prompt: str | None, idle_seconds: float, seed: int
) -> dict[str, list[tuple[float, str]]]:
    """Key presses in one app: during `prompt`'s stream, or for `idle_seconds` without one."""
    app = make_app(host, folder)
    async with app.run_test(size=SIZE):
        watcher = FrameWatcher(app)
        await watcher.settle(quiet=0.1, timeout=2.0)
        typist = Typist(app, watcher, seed)
        if prompt is None:
            typist.start()
            await asyncio.sleep(idle_seconds)
        else:
            app.chat_screen.prompt_input.text = prompt
            press(app, "enter", "\r")
            workers = await turn_workers(app)
            typist.start()
            await app.workers.wait_for_complete(workers)
        await asyncio.to_thread(typist.join)
        if prompt is not None:
            turn = app.chat_screen.session.conversation.turns[-1]
            if not turn.finished or turn.error is not None:
                raise RuntimeError(f"the stream ended {turn.status.value}: {turn.error}")
    return typist.samples


async def toggles_at_rest(host: str, folder: Path, prompt: str | None, toggles: int) -> list[float]:
    """ctrl+f latencies in an app at rest, over the answer to `prompt` (None: an empty app).

    Each press waits until the frames of the one before have stopped (the answer's parts
    measured again at the new width included).
    """
    app = make_app(host, folder)
    latencies = []
    async with app.run_test(size=SIZE):
        watcher = FrameWatcher(app)
        await watcher.settle(quiet=0.1, timeout=2.0)
        if prompt is not None:
            await stream_turn(app, watcher, prompt)
        for _ in range(toggles):
            await watcher.quiet(0.1)
            want = not app.chat_screen.panel.collapsed
            shown = watcher.expect_in_loop(lambda update, want=want: panel_shown(app, want))
            start = time.perf_counter()
            press(app, "ctrl+f")
            at = await watcher.wait(shown, TIMEOUT)
            latencies.append(TIMEOUT if at is None else at - start)
    return latencies


def latency_figures(
    kind: str,
    label: str,
    stream: list[dict[str, Any]],
    idle: list[dict[str, Any]],
    *,
    benchmark: str = NAME,
    baseline_name: str = "idle app",
) -> list[Figure]:
    """p50, p99 and max of the `kind` keys' latencies while streaming, against `idle`."""

    def per_round(rounds: list[dict[str, Any]], fraction: float | None) -> list[float]:
        values = []
        for samples in rounds:
            latencies = [latency for latency, _ in samples[kind]]
            values.append(max(latencies) if fraction is None else percentile(latencies, fraction))
        return values

    everything = [sample for samples in stream for sample in samples[kind]]
    by_phase = {
        phase: [latency for latency, where in everything if where == phase]
        for phase in ("reasoning", "answer", "idle")
    }
    extra = {
        "samples": len(everything),
        "worst": max((latency for latency, _ in everything), default=None),
        **{
            f"{phase}_p99": percentile(values, 0.99) for phase, values in by_phase.items() if values
        },
        "raw_stream": [samples[kind] for samples in stream],
        "raw_idle": [samples[kind] for samples in idle],
    }
    worst = extra["worst"]
    figures = []
    for name, fraction, target in (
        ("p50", 0.5, None),
        ("p99", 0.99, Target(0.050, on="value", strict=True, unit="s")),
        ("max", None, Target(0.100, on="value", strict=True, unit="s")),
    ):
        note = ""
        if name == "p50":
            phases = " · ".join(
                f"p99 in {phase} {extra[f'{phase}_p99'] * 1000:.0f} ms"
                for phase in ("reasoning", "answer")
                if f"{phase}_p99" in extra
            )
            note = (
                f"{len(everything)} key presses while streaming; {phases}; "
                f"Textual's frame cap {textual.constants.MAX_FPS}/s"
            )
            if worst is not None:
                note += f"; worst {worst * 1000:.0f} ms"
        figures.append(
            Figure(
                benchmark,
                f"{label}: {name}",
                per_round(stream, fraction),
                per_round(idle, fraction),
                baseline_name=baseline_name,
                target=target,
                note=note,
                extra=extra if name == "p50" else {},
            )
        )
    return figures


def run(ctx: Context) -> list[Figure]:
    tokens = 3000 if ctx.quick else 20000
    delay = 0.004 if ctx.quick else 0.002
    prompt = stream_prompt(tokens, tokens, f" per_event=10 delay={delay}")
    idle_seconds = 1.5 if ctx.quick else 3.0
    folder = ctx.scratch(NAME)
    ctx.simulator.reset()
    seeds = iter(range(10**6))

    def new_run(label: str) -> tuple[int, Path]:
        """A seed and an empty folder for one app's run."""
        seed = next(seeds)
        ctx.log(f"  {label}")
        run_folder = folder / f"run-{seed}"
        run_folder.mkdir()
        return seed, run_folder

    def one(streaming: bool) -> dict[str, list[tuple[float, str]]]:
        seed, run_folder = new_run("streaming" if streaming else "idle")
        coroutine = session(ctx.host, run_folder, prompt if streaming else None, idle_seconds, seed)
        samples = asyncio.run(coroutine)
        for kind, values in samples.items():
            latencies = [latency for latency, _ in values]
            ctx.log(
                f"    {kind}: {len(values)} presses, p50 "
                f"{statistics.median(latencies) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms"
            )
        return samples

    rounds = interleave(
        [("idle", lambda: one(False)), ("streaming", lambda: one(True))],
        ctx.repeat,
        warmup=0,
        log=lambda text: None,
    )

    def at_rest_round(answer_prompt: str | None) -> list[float]:
        _, run_folder = new_run(f"at rest, {'long answer' if answer_prompt else 'empty'}")
        return asyncio.run(toggles_at_rest(ctx.host, run_folder, answer_prompt, AT_REST_TOGGLES))

    at_rest = interleave(
        [
            ("empty", lambda: at_rest_round(None)),
            ("long answer", lambda: at_rest_round(stream_prompt(tokens, tokens))),
        ],
        ctx.repeat,
        warmup=0,
    )

    return [
        *latency_figures("type", "typing", rounds["streaming"], rounds["idle"]),
        *latency_figures("panel", "panel ctrl+f", rounds["streaming"], rounds["idle"]),
        *[
            Figure(
                NAME,
                f"ctrl+f at rest, {tokens // 1000}k answer: {name} (info)",
                [pick(latencies) for latencies in at_rest["long answer"]],
                [pick(latencies) for latencies in at_rest["empty"]],
                baseline_name="empty app",
                note=(
                    f"{AT_REST_TOGGLES} presses a repetition, once the answer "
                    f"({tokens:,}+{tokens:,} tokens, unpaced) has finished"
                    if name == "p50"
                    else ""
                ),
            )
            for name, pick in (("p50", statistics.median), ("max", max))
        ],
    ]
