"""memory: how much the app's memory grows while it streams a turn, against the text's size.

A child (`drivers memory`) starts the app headless, lets it settle, resets its peak RSS
(`/proc/self/clear_refs`), streams one turn from the simulator to the screen, and reports the
peak RSS during the stream minus the RSS before it. That growth is divided by the size of the
text streamed (reasoning + answer, UTF-8 bytes). It is measured for a 40,000-token turn and a
10,000-token turn: if memory grows with the text, the 40k turn's growth is about 4× the 10k
turn's (target: under 5×); if it grew with chunks × document, it would be about 16×.
For context, the bare SDK loop keeping the text is measured the same way (no target).
"""

from __future__ import annotations

import statistics

from benchmarks.harness import Context, Figure, Target, interleave
from benchmarks.procs import KEY, PYTHON, child_env, run_to_marker

NAME = "memory"
SCALING_LIMIT = 5.0  # the text grows 4×: linear growth stays under 5×, quadratic would be 16×


def run(ctx: Context) -> list[Figure]:
    large, small = (4000, 1000) if ctx.quick else (20000, 5000)  # per phase: 40k and 10k turns
    folder = ctx.scratch(NAME)
    counter = iter(range(10**6))
    ctx.simulator.reset()

    def measure(mode: str, tokens: int) -> dict[str, float]:
        env = child_env(folder / f"run-{next(counter)}", DASHSCOPE_API_KEY=KEY)
        command = [PYTHON, "-m", "benchmarks.drivers", mode, ctx.host, str(tokens)]
        outcome = run_to_marker(command, env, timeout=900)
        if outcome.report is None:
            raise RuntimeError(f"{mode} {tokens} did not report:\n{outcome.output}")
        report = outcome.report
        growth = float(report["peak"]) - float(report["rss_before"])
        ctx.log(
            f"  {mode} {tokens}+{tokens}: grew {growth / 2**20:.1f} MB for "
            f"{float(report['text_bytes']) / 2**20:.2f} MB of text"
        )
        after = report.get("rss_after")
        retained = float(after) - float(report["rss_before"]) if after is not None else float("nan")
        return {"growth": growth, "text": float(report["text_bytes"]), "retained": retained}

    rounds = interleave(
        [
            ("small", lambda: measure("memory", small)),
            ("large", lambda: measure("memory", large)),
            ("bare", lambda: measure("memory-bare", large)),
        ],
        ctx.repeat,
        warmup=0,
        log=lambda text: None,
    )

    def figure(name: str, key: str, tokens: int, note: str = "") -> Figure:
        runs = rounds[key]
        return Figure(
            NAME,
            name,
            [r["growth"] for r in runs],
            [r["text"] for r in runs],
            unit="B",
            baseline_name="text size",
            note=note,
        )

    retained = statistics.median(r["retained"] for r in rounds["large"])
    large_figure = figure(
        f"app growth / text, {2 * large // 1000}k turn",
        "large",
        large,
        "peak RSS during the stream minus RSS before, over the UTF-8 size of the text; "
        f"still held after the turn (RSS after minus before): {retained / 2**20:.1f} MB",
    )
    small_figure = figure(f"app growth / text, {2 * small // 1000}k turn", "small", small)
    bare_figure = figure(
        f"bare SDK growth / text, {2 * large // 1000}k (info)",
        "bare",
        large,
        "the bare openai loop, keeping the text in lists",
    )
    grow_large = [r["growth"] for r in rounds["large"]]
    grow_small = [r["growth"] for r in rounds["small"]]
    text_ratio = rounds["large"][0]["text"] / rounds["small"][0]["text"]
    marginal = statistics.median(
        (big["growth"] - little["growth"]) / (big["text"] - little["text"])
        for big, little in zip(rounds["large"], rounds["small"], strict=True)
    )
    scaling = Figure(
        NAME,
        f"growth, {2 * large // 1000}k turn vs {2 * small // 1000}k turn",
        grow_large,
        grow_small,
        unit="B",
        baseline_name=f"{2 * small // 1000}k",
        target=Target(SCALING_LIMIT),
        note=(
            f"the text is {text_ratio:.1f}× larger: about {text_ratio:.0f}× if memory grows "
            f"with the text, {text_ratio**2:.0f}× with chunks × document; each further byte "
            f"of text costs {marginal:.0f} bytes"
        ),
    )
    return [large_figure, small_figure, scaling, bare_figure]
