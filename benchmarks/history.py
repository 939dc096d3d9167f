"""history: reopening a long stored conversation (`thinkchat --resume ID`).

A conversation of 1,000 turns (each 2 KB of reasoning and a 2 KB Markdown answer) is written
with `HistoryStore` where the app looks for its history (a temporary XDG_DATA_HOME). A child
runs `thinkchat --resume ID` through its real entry point, headless (`drivers
thinkchat-headless`), until the first frame where the app is usable: prompt focused, and every
turn shown has its answer rendered. The baseline is an empty app opened the same way.

Figures: the time inside the child from `App.run` to that frame (target under 1 s), and the
child's peak RSS (VmHWM, since exec) at that frame (target under 200 MB).
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.harness import Context, Figure, Target, interleave
from benchmarks.procs import KEY, PYTHON, ChildRun, child_env, run_to_marker

NAME = "history"
TURN_BYTES = 2048


def build_history(path: Path, turns: int) -> int:
    """A conversation of `turns` finished turns; returns its id."""
    from thinkchat.chat.events import Usage
    from thinkchat.chat.turn import Turn, TurnSettings, TurnStatus
    from thinkchat.history.store import HistoryStore
    from thinkchat.simulator.text import answer_tokens, reasoning_tokens

    settings = TurnSettings(
        model="qwen-plus", region="singapore", transport="openai", enable_thinking=True
    )
    with HistoryStore(path) as store:
        conversation = store.create_conversation(
            model="qwen-plus", region="singapore", transport="openai"
        )
        for number in range(turns):
            prompt = f"question {number}: how does streaming work?"
            reasoning = "".join(reasoning_tokens(prompt, 600))[:TURN_BYTES]
            answer = "".join(answer_tokens(prompt, 600))[:TURN_BYTES]
            turn = Turn.restored(
                prompt,
                settings,
                reasoning,
                answer,
                status=TurnStatus.DONE,
                finish_reason="stop",
                usage=Usage(20, 900, 450, 0),
            )
            store.add_turn(conversation, turn)
    return conversation


def run(ctx: Context) -> list[Figure]:
    turns = 100 if ctx.quick else 1000
    folder = ctx.scratch(NAME)
    stored = child_env(folder / "stored", DASHSCOPE_API_KEY=KEY)
    empty_folder = folder / "empty"
    conversation = build_history(
        Path(stored["XDG_DATA_HOME"]) / "thinkchat" / "history.sqlite3", turns
    )
    size = (Path(stored["XDG_DATA_HOME"]) / "thinkchat" / "history.sqlite3").stat().st_size
    driver = [PYTHON, "-m", "benchmarks.drivers", "thinkchat-headless"]
    launches = iter(range(10**6))

    def launch(arguments: list[str], env: dict[str, str]) -> ChildRun:
        outcome = run_to_marker([*driver, *arguments], env, timeout=300)
        if outcome.report is None:
            raise RuntimeError(f"thinkchat {' '.join(arguments)} did not report:\n{outcome.output}")
        return outcome

    def empty() -> ChildRun:
        # A fresh data folder each time: an empty history, as a new user's.
        return launch(
            [], child_env(empty_folder / f"launch-{next(launches)}", DASHSCOPE_API_KEY=KEY)
        )

    ctx.log(f"history: {turns} turns, {size / 2**20:.1f} MB of SQLite")
    rounds = interleave(
        [("empty", empty), ("stored", lambda: launch(["--resume", str(conversation)], stored))],
        ctx.repeat,
        log=lambda text: None,
    )
    for outcome in rounds["stored"]:
        assert outcome.report is not None
        if outcome.report.get("turns") != turns:
            raise RuntimeError(f"the app loaded {outcome.report.get('turns')} turns, not {turns}")

    def seconds(outcomes: list[ChildRun]) -> list[float]:
        return [float(o.report["seconds_in_app"]) for o in outcomes if o.report]

    walls = sorted(o.seconds for o in rounds["stored"])
    for name in ("empty", "stored"):
        ctx.log(f"  {name}: {[round(s, 3) for s in seconds(rounds[name])]} s in app")
    return [
        Figure(
            NAME,
            f"open {turns:,} turns",
            seconds(rounds["stored"]),
            seconds(rounds["empty"]),
            baseline_name="empty app",
            target=Target(1.0, on="value", strict=True, unit="s"),
            note=(
                f"App.run to the first usable frame; whole process (Popen to that frame) "
                f"{walls[len(walls) // 2]:.2f} s; history file {size / 2**20:.1f} MB"
            ),
        ),
        Figure(
            NAME,
            f"peak RSS, {turns:,} turns",
            [float(o.report["peak_rss"]) for o in rounds["stored"] if o.report],
            [float(o.report["peak_rss"]) for o in rounds["empty"] if o.report],
            unit="B",
            baseline_name="empty app",
            target=Target(200 * 2**20, on="value", strict=True, unit="B"),
            note="the child's VmHWM (peak RSS since exec) at its first usable frame",
        ),
    ]
