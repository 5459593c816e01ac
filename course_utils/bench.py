"""The course's benchmark: medians of repeated runs against the budgets of the design.

``make bench`` (``python -m course_utils bench``) prints one table. Nothing here asserts:
a busy machine makes timings noisy, so budgets are reported, not tested.

Each row is a :class:`Measure`; later parts of the course add theirs to ``MEASURES``.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Measure:
    """One benchmark row: ``run()`` returns seconds taken (or another value in ``unit``)."""

    name: str
    budget: float
    unit: str
    run: Callable[[], float]
    repeats: int = 5
    setup: Callable[[], None] | None = None


def _time(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _world_1m() -> float:
    from . import world

    return _time(lambda: world.generate(seed=1, n_visits=1_000_000))


def _data_build() -> float:
    from . import sources

    with tempfile.TemporaryDirectory() as d:
        return _time(lambda: sources.build(d))


def _import_time(module: str) -> Callable[[], float]:
    def run() -> float:
        code = (
            "import time; t = time.perf_counter(); import "
            + module
            + "; print(time.perf_counter() - t)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        return float(out.stdout.strip())

    return run


MEASURES: list[Measure] = [
    Measure("import course_utils", 1.0, "s", _import_time("course_utils")),
    Measure(
        "import course_utils.world (loads pandas)", 1.0, "s", _import_time("course_utils.world")
    ),
    Measure("world generator, 1 million visits", 1.0, "s", _world_1m),
    Measure("rebuild all of data/", 5.0, "s", _data_build, repeats=3),
]


def machine() -> str:
    """A one-line description of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def run(measures: list[Measure] | None = None, *, quick: bool = False) -> list[dict]:
    """Run the measures; return one dict per row (name, median, p95, runs, budget, ok)."""
    rows = []
    for m in measures or MEASURES:
        if m.setup:
            m.setup()
        repeats = max(2, m.repeats // 2) if quick else m.repeats
        m.run()  # warm-up: caches and lazy imports, not counted
        values = sorted(m.run() for _ in range(repeats))
        med = statistics.median(values)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        rows.append(
            {
                "name": m.name,
                "median": med,
                "p95": p95,
                "runs": repeats,
                "budget": m.budget,
                "unit": m.unit,
                "ok": med <= m.budget,
            }
        )
    return rows


def format_table(rows: list[dict]) -> str:
    """A Markdown table of benchmark rows."""
    lines = [
        "| what | median | p95 | runs | budget | within budget |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        u = r["unit"]
        lines.append(
            f"| {r['name']} | {r['median']:.3f} {u} | {r['p95']:.3f} {u} | {r['runs']} "
            f"| {r['budget']:g} {u} | {'yes' if r['ok'] else 'NO - over budget'} |"
        )
    return "\n".join(lines)


def main(*, quick: bool = False, out: str | None = None) -> int:
    """Print the benchmark table (and write it to ``out`` as Markdown)."""
    rows = run(quick=quick)
    text = (
        f"Benchmark of the course, {time.strftime('%Y-%m-%d')}\n\n"
        f"Machine: {machine()}\n\n{format_table(rows)}\n"
    )
    print(text)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
    return 0
