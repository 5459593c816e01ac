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
    """One benchmark row.

    ``run()`` returns one sample (seconds, or another value in ``unit``) or a list of
    samples; the row reports their median and 95th percentile, and checks ``stat``
    ("median" or "p95") against the budget.
    """

    name: str
    budget: float
    unit: str
    run: Callable[[], float | list[float]]
    repeats: int = 5
    stat: str = "median"
    warmup: bool = True


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


# --------------------------------------------------------------------------- the service
_SERVICE: dict = {}


def _service() -> dict:
    """A registered logistic-regression pipeline served on loopback (started once)."""
    if "handle" in _SERVICE:
        return _SERVICE
    import atexit
    import shutil

    import httpx
    import numpy as np
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from . import checkpoints, contract, service, world
    from .registry import Registry

    train, test = checkpoints.split()
    cat = ["store", "promo"]
    num = [c for c in world.FEATURES if c not in cat]
    pre = ColumnTransformer(
        [
            ("cat", OneHotEncoder(handle_unknown="ignore"), cat),
            ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), num),
        ]
    )
    model = Pipeline([("pre", pre), ("model", LogisticRegression(max_iter=1000))])
    model.fit(train[world.FEATURES], train["fruit"])
    folder = tempfile.mkdtemp(prefix="bench-service-")
    reg = Registry(Path(folder) / "registry")
    reg.register(model, X_train=train[world.FEATURES], metrics={}, contract=contract.DEFAULT)
    reg.promote("v1")
    handle = service.start_in_background(reg, log_path=Path(folder) / "log.sqlite")
    client = httpx.Client(base_url=handle.url, timeout=30)
    rows = test[world.FEATURES].head(200).astype(object)
    visits = [
        {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()}
        for r in rows.to_dict("records")
    ]
    visits = [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()} for r in visits]

    def close() -> None:
        client.close()
        handle.stop()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(close)
    _SERVICE.update(handle=handle, client=client, visits=visits)
    return _SERVICE


def _http_one_ms() -> list[float]:
    """Milliseconds for one POST /predict of one visit (keep-alive client), 50 samples."""
    s = _service()
    out = []
    for visit in s["visits"][:50]:
        t0 = time.perf_counter()
        r = s["client"].post("/predict", json=visit)
        out.append((time.perf_counter() - t0) * 1000)
        r.raise_for_status()
    return out


def _http_batch_rate() -> list[float]:
    """Visits per second for a batch of 100 visits in one POST /predict, 5 samples."""
    s = _service()
    body = {"visits": s["visits"][:100]}
    out = []
    for _ in range(5):
        t0 = time.perf_counter()
        r = s["client"].post("/predict", json=body)
        out.append(100 / (time.perf_counter() - t0))
        r.raise_for_status()
    return out


def bad_bodies(visits: list[dict], max_bytes: int, max_batch: int = 1000) -> list[bytes]:
    """Requests the service must refuse, each as large or as awkward as it allows.

    A visit with thousands of made-up fields (just under ``max_bytes``) and the same cut
    short, one nested close to the JSON parser's recursion limit, a duplicate key, UTF-16,
    and a full batch of visits that are all wrong.

    >>> [len(b) <= 20_000 for b in bad_bodies([{"age": 30}], 20_000, max_batch=10)]
    [True, True, True, True, True, True]
    """
    import json

    visit = visits[0]
    many = dict(visit)
    i, size = 0, len(json.dumps(many))
    while size + 64 < max_bytes - 2000:
        key = f"made_up_field_{i}"
        many[key] = 1
        size += len(key) + 7  # , "key": 1
        i += 1
    wrong = dict(visit, age=-3, store="Mars", hour="noon")
    batch = {"visits": [wrong] * max_batch}
    while len(json.dumps(batch)) > max_bytes:
        batch["visits"].pop()
    full = json.dumps(many).encode()
    return [
        full,
        full[:-20],
        b'{"age": ' + b"[" * 900 + b"]" * 900 + b"}",
        json.dumps(visit).encode()[:-1] + b', "age": 29}',
        json.dumps(visit).encode("utf-16"),
        json.dumps(batch).encode(),
    ]


def health_under_load(
    url: str, bodies: list[bytes], *, seconds: float = 5.0, clients: int = 2
) -> tuple[list[float], dict[int, int]]:
    """``/health`` latencies (ms) while ``clients`` threads send ``bodies`` in a loop.

    Returns the latencies (one ``GET /health`` every 20 ms) and how many bad requests got
    each status code.

    >>> # health_under_load(srv.url, bad_bodies(visits, 1_000_000), seconds=2)
    """
    import threading
    from collections import Counter

    import httpx

    stop = threading.Event()
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def send() -> None:
        headers = {"content-type": "application/json"}
        with httpx.Client(base_url=url, timeout=30) as client:
            k = 0
            while not stop.is_set():
                r = client.post("/predict", content=bodies[k % len(bodies)], headers=headers)
                with lock:
                    statuses[r.status_code] += 1
                k += 1

    threads = [threading.Thread(target=send, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    latencies = []
    with httpx.Client(base_url=url, timeout=30) as client:
        time.sleep(0.2)  # the bad requests are flowing
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            t0 = time.perf_counter()
            client.get("/health").raise_for_status()
            latencies.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.02)
    stop.set()
    for t in threads:
        t.join()
    return latencies, dict(statuses)


def _health_while_bad_requests_stream() -> list[float]:
    """Milliseconds for ``GET /health`` while two clients stream bad requests (5 s)."""
    from .service import BYTES_PER_VISIT, DEFAULT_MAX_BATCH

    s = _service()
    max_bytes = 65536 + BYTES_PER_VISIT * DEFAULT_MAX_BATCH
    bodies = bad_bodies(s["visits"], max_bytes, DEFAULT_MAX_BATCH)
    latencies, statuses = health_under_load(s["handle"].url, bodies)
    if any(code >= 500 or code < 400 for code in statuses):
        raise RuntimeError(f"a bad request was not refused with a 4xx: {statuses}")
    return latencies


MEASURES += [
    Measure("one prediction over HTTP on loopback", 20.0, "ms", _http_one_ms, repeats=4),
    # Throughput has no budget (higher is better): reported only.
    Measure(
        "batch of 100 visits over HTTP (throughput)",
        float("inf"),
        "visits/s",
        _http_batch_rate,
        repeats=4,
    ),
    Measure(
        "GET /health while 2 clients stream bad requests",
        100.0,
        "ms",
        _health_while_bad_requests_stream,
        repeats=2,
        stat="p95",
    ),
]


def _execute_notebook(path: Path) -> tuple[float, float]:
    """Execute a notebook headless in a fresh process: (seconds, kernel peak memory in MB)."""
    code = f"""
import os, resource, sys, tempfile, time, nbformat
from nbclient import NotebookClient
nb = nbformat.read({str(path)!r}, as_version=4)
with tempfile.TemporaryDirectory() as tmp:
    os.environ["COURSE_WORK_DIR"] = tmp
    os.environ["COURSE_PROGRESS_FILE"] = os.path.join(tmp, "progress.json")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    t = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={{"metadata": {{"path": {str(path.parent)!r}}}}}).execute()
    took = time.perf_counter() - t
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(took, peak_kb / 1024)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{path.name} failed to execute:\n{out.stderr[-2000:]}")
    took, peak = out.stdout.split()[-2:]
    return float(took), float(peak)


def notebook_measures() -> list[Measure]:
    """Time and peak kernel memory of every solutions notebook, executed headless."""
    from .paths import NOTEBOOKS_DIR

    measures = []
    for nb in sorted((NOTEBOOKS_DIR / "solutions").glob("[0-9][0-9]*_*.ipynb")):
        cache: dict[str, list[float]] = {"mem": []}

        def run_time(nb: Path = nb, cache: dict = cache) -> float:
            took, peak = _execute_notebook(nb)
            cache["mem"].append(peak)
            return took

        def run_mem(cache: dict = cache) -> list[float]:
            return list(cache["mem"])

        measures.append(
            Measure(
                f"notebook {nb.stem}, executed headless",
                30.0,
                "s",
                run_time,
                repeats=3,
                warmup=False,
            )
        )
        measures.append(
            Measure(
                f"notebook {nb.stem}, kernel peak memory",
                600.0,
                "MB",
                run_mem,
                repeats=1,
                warmup=False,
            )
        )
    return measures


def widget_measures() -> list[Measure]:
    """Update time (p95) of every lesson widget that declares ``make_widget`` and ``BENCH``."""
    import importlib
    import pkgutil

    from . import widgets

    measures = []
    for info in sorted(pkgutil.iter_modules(widgets.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{widgets.__name__}.{info.name}")
        if not (hasattr(module, "make_widget") and hasattr(module, "BENCH")):
            continue
        control, values = module.BENCH
        state: dict = {}

        def run(module=module, control=control, values=values, state=state) -> list[float]:
            if "explorer" not in state:
                state["explorer"] = module.make_widget()
            return [1000 * t for t in widgets.update_times(state["explorer"], control, values)]

        measures.append(
            Measure(
                f"widget {info.name}: update after a change",
                150.0,
                "ms",
                run,
                repeats=5,
                stat="p95",
            )
        )
    return measures


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


def all_measures() -> list[Measure]:
    """Every row of the benchmark, in table order."""
    return [*MEASURES, *widget_measures(), *notebook_measures()]


def run(
    measures: list[Measure] | None = None,
    *,
    quick: bool = False,
    progress: Callable[[str], object] | None = None,
) -> list[dict]:
    """Run the measures; return one dict per row (name, median, p95, runs, budget, ok).

    ``progress``, if given, is called with one line as each row starts and ends
    (``progress=print`` shows them).
    """
    rows = []
    todo = list(measures if measures is not None else all_measures())
    started = time.perf_counter()
    for i, m in enumerate(todo, 1):
        if progress is not None:
            progress(f"[{i}/{len(todo)}] {m.name} ...")
        repeats = max(1, m.repeats // 2) if quick else m.repeats
        if m.warmup:
            m.run()  # warm-up: caches and lazy imports, not counted
        values: list[float] = []
        for _ in range(repeats):
            got = m.run()
            values.extend(got if isinstance(got, list) else [got])
        values.sort()
        med = statistics.median(values)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        rows.append(
            {
                "name": m.name,
                "median": med,
                "p95": p95,
                "runs": len(values),
                "budget": m.budget,
                "unit": m.unit,
                "stat": m.stat,
                "ok": (p95 if m.stat == "p95" else med) <= m.budget,
            }
        )
        if progress is not None:
            took = time.perf_counter() - started
            progress(
                f"[{i}/{len(todo)}] {m.name}: {m.stat} {_num(rows[-1][m.stat])} {m.unit} "
                f"({took:.0f} s so far)"
            )
    return rows


def format_table(rows: list[dict]) -> str:
    """A Markdown table of benchmark rows."""
    lines = [
        "| what | median | p95 | samples | budget | within budget |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        u = r["unit"]
        if r["budget"] == float("inf"):
            budget, verdict = "reported only", "-"
        else:
            budget = f"{r['stat']} <= {r['budget']:g} {u}"
            verdict = "yes" if r["ok"] else "NO - over budget"
        lines.append(
            f"| {r['name']} | {_num(r['median'])} {u} | {_num(r['p95'])} {u} | {r['runs']} "
            f"| {budget} | {verdict} |"
        )
    return "\n".join(lines)


def _num(x: float) -> str:
    """Three significant decimals for small values, fewer for large ones."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3f}" if abs(x) < 10 else f"{x:.1f}"


def course_rows(rows: list[dict]) -> list[dict]:
    """Rows summarising the others: the whole course executed headless (budget 3 min)."""
    notebooks = [r for r in rows if r["name"].endswith("executed headless")]
    if not notebooks:
        return []
    total = sum(r["median"] for r in notebooks)
    total95 = sum(r["p95"] for r in notebooks)
    return [
        {
            "name": f"whole course, {len(notebooks)} notebooks executed headless (sum)",
            "median": total,
            "p95": total95,
            "runs": len(notebooks),
            "budget": 180.0,
            "unit": "s",
            "stat": "median",
            "ok": total <= 180.0,
        }
    ]


#: What ``make bench`` usually takes on a 2-core machine (docs/benchmark.md): mostly the
#: notebooks, each executed three times (once with ``--quick``).
USUAL_MINUTES = {"full": 6, "quick": 3}


def main(
    *,
    quick: bool = False,
    out: str | None = None,
    progress: Callable[[str], object] | None = print,
) -> int:
    """Print the benchmark table (and write it to ``out`` as Markdown).

    ``progress`` gets a line saying how long it usually takes, then one per row.
    """
    if progress is not None:
        minutes = USUAL_MINUTES["quick" if quick else "full"]
        progress(
            f"Benchmark: about {minutes} minutes on a 2-core machine; one line per row, "
            "the table at the end."
        )
    rows = run(quick=quick, progress=progress)
    rows += course_rows(rows)
    text = (
        f"Benchmark of the course, {time.strftime('%Y-%m-%d')}\n\n"
        f"Machine: {machine()}\n\n{format_table(rows)}\n"
    )
    print(text)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
    return 0


def _cycle_end_to_end() -> float:
    """The whole cycle (``course_utils.cycle.run_cycle``) into a temporary folder, in seconds."""
    import tempfile

    from . import cycle

    with tempfile.TemporaryDirectory(prefix="bench-cycle-") as tmp:
        return _time(lambda: cycle.run_cycle(tmp))


# Report only: warm caches would flatter it, so no warm-up run.
MEASURES.append(Measure("cycle end to end", 60.0, "s", _cycle_end_to_end, repeats=2, warmup=False))


def _bayes_gap(which: str = "deployed") -> float:
    """A tuned model's cross-validated accuracy at 0.5 below the Bayes-optimal accuracy, in points.

    Notebook 05's estimate: shuffled stratified 5-fold cross-validation on the training rows,
    against the accuracy of the world's true probabilities on the same rows. Both decide at
    0.5 (the Bayes-optimal *accuracy* decides there). ``which``: ``"deployed"`` (the tuned
    logistic regression, :func:`checkpoints.tuned_pipeline`) or ``"trees"`` (the tuned
    gradient-boosted trees notebook 05 compares it with, the design's tree ensemble).
    """
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    from . import checkpoints, world

    train, _ = checkpoints.split()
    X, y = checkpoints.xy(train)
    pipelines = {"deployed": checkpoints.tuned_pipeline, "trees": checkpoints.boosting_pipeline}
    if which not in pipelines:
        raise ValueError(f"which must be one of {sorted(pipelines)}, got {which!r}")
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    score = cross_val_score(pipelines[which](), X, y, cv=cv, n_jobs=2).mean()
    truth = world.generate().visits.set_index("visit_id").loc[train["visit_id"]]
    return 100 * (world.bayes_optimal(truth, y)["accuracy"] - score)


MEASURES.append(
    Measure(
        "deployed model (logistic regression) below Bayes-optimal accuracy at 0.5 (CV)",
        1.5,
        "points",
        _bayes_gap,
        repeats=1,
        warmup=False,
    )
)
MEASURES.append(
    Measure(
        "tuned tree ensemble (boosting) below Bayes-optimal accuracy at 0.5 (CV)",
        1.5,
        "points",
        lambda: _bayes_gap("trees"),
        repeats=1,
        warmup=False,
    )
)


def _class_report_300() -> float:
    """``class-report`` on 300 simulated learners' export files (read, summarise, write)."""
    import json
    import tempfile

    from . import classreport

    with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
        exports = Path(tmp) / "exports"
        exports.mkdir()
        for doc in classreport.simulate_class(300, seed=1):
            (exports / f"{doc['pseudonym']}.json").write_text(json.dumps(doc), encoding="utf-8")
        return _time(lambda: classreport.build_report([exports], Path(tmp) / "report"))


MEASURES.append(Measure("class report on 300 learners", 5.0, "s", _class_report_300, repeats=3))
