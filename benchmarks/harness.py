"""What every benchmark shares: figures and targets, interleaved repetitions, the table, JSON."""

from __future__ import annotations

import asyncio
import gc
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from benchmarks.procs import SimulatorProcess

T = TypeVar("T")

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Context:
    """What a benchmark gets: the simulator, how many repetitions, a scratch folder, a log."""

    simulator: SimulatorProcess
    repeat: int
    quick: bool
    folder: Path
    log: Callable[[str], None] = print

    @property
    def host(self) -> str:
        return self.simulator.url

    def scratch(self, name: str) -> Path:
        """A fresh folder for one benchmark's files."""
        path = self.folder / name
        path.mkdir(parents=True, exist_ok=True)
        return path


@dataclass(frozen=True)
class Target:
    """A limit a figure should stay under: on its ratio (`on="ratio"`) or its `value`."""

    limit: float
    on: str = "ratio"
    strict: bool = False  # True: the figure must be below the limit, not at it
    unit: str = ""

    def met(self, figure: Figure) -> bool | None:
        actual = figure.ratio if self.on == "ratio" else figure.value
        if actual is None or math.isnan(actual):
            return None
        return actual < self.limit if self.strict else actual <= self.limit

    @property
    def label(self) -> str:
        sign = "<" if self.strict else "≤"
        if self.on == "ratio":
            return f"{sign} {self.limit:.2f}×"
        return f"{sign} {format_value(self.limit, self.unit)}"


@dataclass
class Figure:
    """One line of the table.

    `ratio` is the median of the per-repetition ratios measured/baseline (each pair measured
    back to back); `value` is the headline absolute figure (the median of `measured`, unless a
    benchmark says otherwise, e.g. a p99); `unit` is "s", "B" or "" (a plain number).
    """

    benchmark: str
    name: str
    measured: list[float]
    baseline: list[float]
    unit: str = "s"
    baseline_name: str = ""
    ratio: float | None = None
    value: float | None = None
    target: Target | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.value is None and self.measured:
            self.value = statistics.median(self.measured)
        if self.ratio is None and self.measured and self.baseline:
            self.ratio = median_ratio(self.measured, self.baseline)

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.target.met(self)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["target"] = None if self.target is None else {**asdict(self.target)}
        data["target_label"] = self.target.label if self.target else None
        data["met"] = self.met
        return data


def median_ratio(measured: Sequence[float], baseline: Sequence[float]) -> float:
    """The median of measured[i] / baseline[i]: pairs measured back to back cancel drift."""
    pairs = [m / b for m, b in zip(measured, baseline, strict=False) if b > 0]
    return statistics.median(pairs) if pairs else float("nan")


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile (0..1) with linear interpolation between ranks."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def seconds_to_run(make: Callable[[], Coroutine[Any, Any, object]]) -> float:
    """Wall seconds of `asyncio.run` over the coroutine `make()` returns (a new loop each run)."""
    start = time.perf_counter()
    asyncio.run(make())
    return time.perf_counter() - start


def interleave(
    variants: Sequence[tuple[str, Callable[[], T]]],
    repeat: int,
    *,
    warmup: int = 1,
    log: Callable[[str], None] = lambda text: None,
) -> dict[str, list[T]]:
    """Run every variant `repeat` times, interleaved: A B, B A, A B … (the order rotates).

    Each variant returns what it measured (seconds, bytes, or a tuple of such). `warmup`
    unrecorded rounds come first (imports, connection pools, caches). The garbage of one run is
    collected before the next one starts, outside the measurement.
    """
    results: dict[str, list[T]] = {name: [] for name, _ in variants}
    for round_number in range(-warmup, repeat):
        shift = round_number % len(variants)
        for name, run in [*variants[shift:], *variants[:shift]]:
            gc.collect()
            value = run()
            if round_number >= 0:
                results[name].append(value)
                shown = f"{value:.4g}" if isinstance(value, float) else repr(value)
                log(f"  {name}: {shown}")
    return results


def format_value(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):
        return "—"
    if unit == "s":
        if value >= 1:
            return f"{value:.2f} s"
        if value >= 0.001:
            return f"{value * 1000:.1f} ms"
        return f"{value * 1e6:.0f} µs"
    if unit == "B":
        if abs(value) >= 2**20:
            return f"{value / 2**20:.1f} MB"
        return f"{value / 2**10:.1f} KB"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def describe_machine() -> dict[str, Any]:
    """CPU, cores, OS, Python and the versions of the libraries that matter."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("textual", "rich", "openai", "dashscope", "httpx", "aiohttp", "thinkchat"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count()
    return {
        "code": _code_version(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "versions": versions,
        "load_average_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def _code_version() -> str:
    """The commit being measured, and whether the working tree differs from it."""
    import subprocess

    root = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=False
            )
        except OSError:
            return ""
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return "unknown"
    changed = git("status", "--porcelain", "--untracked-files=no", "--", "thinkchat")
    return commit + (" + uncommitted changes in thinkchat/" if changed else "")


def machine_lines(machine: dict[str, Any]) -> list[str]:
    versions = " · ".join(f"{name} {v}" for name, v in machine["versions"].items() if v)
    load = machine.get("load_average_at_start")
    return [
        f"thinkchat: commit {machine['code']}",
        f"machine: {machine['cpu']} · {machine['cores']} cores "
        f"({machine['usable_cores']} usable) · {machine['os']}",
        f"python {machine['python']} · {versions}",
        f"load average at start: {' '.join(f'{x:.2f}' for x in load)}" if load else "",
    ]


def render_table(figures: Sequence[Figure]) -> str:
    """The figures as an aligned plain-text table."""
    header = ("benchmark", "figure", "ratio", "target", "", "measured", "baseline", "n")
    rows = [header]
    for figure in figures:
        mark = {True: "pass", False: "MISS", None: ""}[figure.met]
        ratio = "—" if figure.ratio is None or math.isnan(figure.ratio) else f"{figure.ratio:.2f}×"
        base_value = statistics.median(figure.baseline) if figure.baseline else None
        baseline = format_value(base_value, figure.unit)
        if figure.baseline_name:
            baseline += f" ({figure.baseline_name})"
        rows.append(
            (
                figure.benchmark,
                figure.name,
                ratio,
                figure.target.label if figure.target else "—",
                mark,
                format_value(figure.value, figure.unit),
                baseline,
                str(len(figure.measured)),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            cell.rjust(width) if column in (2, 5, 6, 7) and index else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    notes = [f"  {f.benchmark} / {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join(lines + (["", "notes:", *notes] if notes else []))


def timestamp() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")
