"""The whole cycle, end to end: data → model → contract → registry → service → a year → report.

Notebook 10 and ``python -m course_utils cycle`` run the lifecycle the course teaches, one
step after the other, into one folder, and write a **report** a colleague can read:

1. **data** - build the four sources (:func:`course_utils.sources.build`) into
   ``out_dir/data`` and check they are byte for byte the course's data;
2. **prepare** - the cleaned history and the standard split (:func:`checkpoints.split`);
3. **train and tune** - notebook 05's tuned pipeline (:func:`checkpoints.tuned_pipeline`):
   the search is not re-run, to keep the cycle well under a minute; its result is fixed
   and tested (see ``tests/test_nb05.py``);
4. **test** against the success contract (:data:`course_utils.contract.DEFAULT`, saved in
   ``out_dir``): the expected cost per visit and the accuracy of the same decisions, at
   the contract's threshold (as the service decides), next to perfect knowledge (the
   world's true probabilities decided at that threshold) on the same test rows, and the
   verdict;
5. **register and promote** the model (``out_dir/registry``, alias ``production``);
6. **serve** - start the HTTP service in the background, send a small batch, check the
   answers equal the batch path's, stop it;
7. **replay** the twelve months of :data:`course_utils.drift.DEFAULT_SCHEDULE` through the
   registered model, the service's batch path (:func:`course_utils.replay.replay_month`,
   prediction log ``out_dir/predictions.sqlite``);
8. **monitor** - each month's input alerts (:func:`course_utils.monitoring.check_month`'s
   rules) and, once its labels arrive, the live-metric alerts of the deployed model
   (:func:`course_utils.monitoring.check_live`);
9. **retrain** where the policy says (:func:`course_utils.retraining.simulate`);
10. **report** - ``report.md``, two figures (``policy_cost.png``: the cost of each month
    with and without the policy; ``alerts.png``: the deployed model's cost against the
    contract, with the alerts) and ``summary.json``.

**One metric language.** Every number of the report is decided at the contract's
threshold (its ``threshold``): costs are € per visit, every accuracy is the share of right
decisions at that threshold, and "best possible" is perfect knowledge at the same
threshold.

Reproducible: the same seed gives the same ``report.md`` and ``summary.json`` (no
timestamps, no absolute paths, no timings; sorted keys). The registry and the prediction
log hold times, as they should; they are not part of the report.

**Other worlds and other contracts** (notebook 10's capstone). ``seed`` picks the world:
with another seed the cycle builds that world's sources, cleans and splits them the same
way (:func:`checkpoints.split` with the seed), trains, tests, replays the same twelve kinds
of month drawn from that world and retrains. What does *not* change with the seed: the
model's settings (notebook 05's tuned ``C``, not searched again), the alert rules and
their thresholds, the schedule of scenarios, and the contract (unless ``contract`` is
given). ``summary["data"]["matches_course_data"]`` says whether the data are the
course's. ``contract`` (a :class:`~course_utils.contract.Contract` or the path of a saved
one) replaces the course's default: its costs set the decision threshold and every cost
of the report, its minimum the verdict.

``quick=True`` caps each *retrain*'s solver at 100 iterations (the deployed model keeps the
tuned settings). The logistic regression converges well before that, so the results are
those of a full run; the flag stays for the command line's compatibility.

>>> from course_utils import cycle                      # doctest: +SKIP
>>> summary = cycle.run_cycle("work/cycle")             # doctest: +SKIP
>>> summary["test"]["verdict"]                          # doctest: +SKIP
'meets the contract'
"""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import figures, world

__all__ = ["CycleError", "FIGURES", "QUICK_MAX_ITER", "REPORT", "STEPS", "SUMMARY", "run_cycle"]

#: The steps :func:`run_cycle` reports to its ``progress`` callback, in order.
STEPS = (
    "data: build the sources",
    "train: the tuned model and the production year's retrains",
    "test: against the contract and the best possible",
    "register and promote the model",
    "serve: a small batch over HTTP",
    "replay and monitor the year, month by month",
    "retrain where the policy says",
    "report: figures, summary.json and report.md",
)
REPORT = "report.md"
SUMMARY = "summary.json"
FIGURES = ("policy_cost.png", "alerts.png")
#: Solver iterations of each retrain in quick mode (more than the fit needs).
QUICK_MAX_ITER = 100
#: Visits sent to the live service as a smoke test.
SERVICE_BATCH = 5
#: What the cycle writes in ``out_dir`` (and replaces on a new run).
_OWNED = ("data", "registry", "predictions.sqlite", "service.sqlite", "success_contract.json")

_WHAT = {
    "seasonality": "seasonality: an ordinary month",
    "covariate_shift": "covariate shift: students discover the stands",
    "price_shock": "covariate shift beyond the training range: bananas get expensive",
    "taste_change": "concept drift: families go off bananas",
    "unit_switch": "data-quality break: thermometers report °F",
}


class CycleError(ValueError):
    """A bad option of the cycle (policy, seed, folder): one line, no traceback."""


def _r(x: float, nd: int = 4) -> float:
    return round(float(x), nd)


def _contract(value: Any) -> Any:
    from . import contract as contract_module

    if value is None:
        return contract_module.DEFAULT
    if isinstance(value, contract_module.Contract):
        return value
    if isinstance(value, str | os.PathLike):
        path = Path(value)
        if not path.is_file():
            raise CycleError(f"no contract file {str(path)!r}: save one with contract.save()")
        try:
            return contract_module.load(path, quiet=True)
        except ValueError as exc:
            raise CycleError(str(exc)) from None
    raise CycleError(
        f"contract must be a Contract or the path of a saved one, got {type(value).__name__}"
    )


def _check_options(out_dir: Any, seed: Any, policy: Any) -> Path:
    from .retraining import POLICIES

    if policy not in POLICIES:
        raise CycleError(f"unknown policy {policy!r}; choose one of: {', '.join(POLICIES)}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise CycleError(f"the seed must be a whole number, got {seed!r}")
    if seed < 0:
        raise CycleError(f"the seed must be zero or positive, got {seed}")
    if seed >= 2**32:
        raise CycleError(f"the seed must be below 2**32 (numpy's limit), got {seed}")
    if out_dir is None or (isinstance(out_dir, str) and not out_dir.strip()):
        raise CycleError("give a folder for the report (out_dir)")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise CycleError(
            f"{str(out)!r} is a file, not a folder: give the report a folder of its own "
            "(it is created if missing), e.g. work/cycle"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".cycle-write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CycleError(f"cannot write to the folder {str(out)!r} ({reason})") from None
    return out


def _fresh(out: Path) -> None:
    """Remove what an earlier cycle wrote in ``out`` (only the cycle's own files)."""
    for name in (*_OWNED, REPORT, SUMMARY, *FIGURES):
        p = out / name
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        elif p.exists() or p.is_symlink():
            p.unlink()


def _post(url: str, body: dict, timeout: float = 10.0) -> dict:
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read().decode())


def run_cycle(
    out_dir: str | os.PathLike,
    *,
    seed: int = world.DEFAULT_SEED,
    policy: str = "on_alert",
    quick: bool = False,
    progress: Callable[[str], object] | None = None,
    contract: Any = None,
) -> dict:
    """Run the whole lifecycle into ``out_dir``; return the summary (also ``summary.json``).

    ``policy``: ``"never"``, ``"schedule"`` (every 3 months) or ``"on_alert"`` (all data).
    ``progress``, if given, is called with one line as each of the :data:`STEPS` starts
    (``progress=print`` shows them). ``seed`` picks the world and ``contract`` (a
    ``Contract`` or a saved contract's path; default: the course's) the success contract -
    see "Other worlds and other contracts" above. Raises :class:`CycleError` for a bad
    option (before any work is done).
    """
    out = _check_options(out_dir, seed, policy)
    signed = _contract(contract)
    from threadpoolctl import threadpool_limits

    _fresh(out)
    started = time.perf_counter()

    def step(n: int) -> None:
        if progress is not None:
            took = time.perf_counter() - started
            progress(f"[{n}/{len(STEPS)}] {STEPS[n - 1]} ({took:.0f} s so far)")

    with threadpool_limits(limits=1):  # small models: one thread is fastest and stable
        summary = _run(out, int(seed), policy, bool(quick), step, signed)
    return summary


def _run(
    out: Path, seed: int, policy: str, quick: bool, step: Callable[[int], None], signed: Any
) -> dict:
    step(1)
    from . import checkpoints, contract, monitoring, replay, retraining, service, sources
    from .registry import COURSE_FUNCTIONS, Registry

    # 1. data: build the sources and check they are the course's.
    manifest = sources.build(out / "data", seed=seed)
    course = sources.data_dir()
    same = all(
        (course / f).exists() and sources._sha256(out / "data" / f) == sources._sha256(course / f)
        for f in sources.FILES
    )
    data = {"rows": dict(sorted(manifest["rows"].items())), "matches_course_data": bool(same)}

    # 2. prepare: the cleaned history, split (another seed: that world's, cleaned alike).
    train, test = checkpoints.split(None if seed == world.DEFAULT_SEED else seed)
    X_train, y_train = checkpoints.xy(train)
    X_test, y_test = checkpoints.xy(test)

    # 3. train (notebook 05's tuned settings) - the year's first model is exactly this one.
    step(2)
    contract.save(signed, out / contract.FILENAME)
    year = retraining.production_year(
        seed=seed, contract=signed, max_iter=QUICK_MAX_ITER if quick else None
    )
    model = year.first_model()

    # 4. test against the contract, next to the best possible on the same rows.
    step(3)
    p_test = model.predict_proba(X_test)[:, list(model.classes_).index(world.POSITIVE)]
    live = monitoring.live_metrics(y_test, p_test, signed)
    truth = world.generate(seed).visits.set_index("visit_id").loc[test["visit_id"]]
    best = monitoring.live_metrics(y_test, world.true_proba(truth), signed)
    meets = signed.is_met(live["expected_cost"])
    test_block = {
        "rows": int(len(test)),
        "threshold": _r(live["threshold"], 3),
        "expected_cost": _r(live["expected_cost"]),
        "accuracy": _r(live["accuracy"]),
        "best_expected_cost": _r(best["expected_cost"]),
        "best_accuracy": _r(best["accuracy"]),
        "above_best": _r(live["expected_cost"] - best["expected_cost"]),
        "contract_minimum": _r(signed.minimum),
        "cost_false_banana": _r(signed.cost_false_banana),
        "cost_false_apple": _r(signed.cost_false_apple),
        "contract_baseline": _r(signed.baseline),
        "verdict": "meets the contract" if meets else "fails the contract",
    }

    # 5. register and promote.
    step(4)
    reg = Registry(out / "registry", extra_trusted=COURSE_FUNCTIONS)
    card = reg.register(
        model,
        X_train=X_train,
        y_train=y_train,
        metrics={
            "test_expected_cost": test_block["expected_cost"],
            "test_accuracy": test_block["accuracy"],  # at the card's threshold
        },
        contract=signed,
        notes="the whole cycle (course_utils.cycle)",
    )
    reg.promote(card.version)

    # 6. serve: a small batch over HTTP must get the batch path's answers.
    step(5)
    sample = test.head(SERVICE_BATCH)
    batch = replay.replay_month(sample, reg, log_path=out / "service.sqlite")
    with service.start_in_background(reg, log_path=out / "service.sqlite") as srv:
        health = json.loads(urllib.request.urlopen(srv.url + "/health", timeout=10).read())
        answer = _post(srv.url + "/predict", {"visits": replay.to_requests(sample)})
    got = [float(p["p_banana"]) for p in answer["predictions"]]
    served = {
        "status": str(health.get("status")),
        "visits_sent": int(len(sample)),
        "answered": len(got),
        "same_as_batch_path": bool(
            len(got) == len(sample) and np.allclose(got, batch["p_banana"], rtol=0, atol=1e-9)
        ),
        "version": card.version,
    }

    # 7-8. replay the year through the registered model and monitor it.
    step(6)
    reference_cost = float(live["expected_cost"])
    first_model_rows = []
    for i, month in enumerate(year.months):
        answers = replay.replay_month(month.visits, reg, log_path=out / "predictions.sqlite")
        ok = answers["p_banana"].notna().to_numpy()
        labels = month.visits[world.TARGET].astype(object).to_numpy()[ok]
        p = answers["p_banana"].to_numpy(dtype=float)[ok]
        m = monitoring.live_metrics(labels, p, signed)
        table = monitoring.check_live(labels, p, signed, reference_cost=reference_cost)
        first_model_rows.append(
            {
                "answered": int(ok.sum()),
                "refused": int((~ok).sum()),
                "accuracy": m["accuracy"],
                "expected_cost": m["expected_cost"],
                "input_alerts": year.input_alerts(i),
                "live_alerts": list(table.loc[table["alert"].astype(bool), "measure"].astype(str)),
            }
        )

    # 9. retrain where the policy says.
    step(7)
    sims = {"never": retraining.simulate("never", year=year)}
    if policy != "never":
        sims[policy] = retraining.simulate(policy, year=year)
    sim = sims[policy]

    months = []
    for i, (month, first, row) in enumerate(
        zip(year.months, first_model_rows, sim.log.to_dict("records"), strict=True)
    ):
        alerts = first["input_alerts"] + [f"live: {a}" for a in first["live_alerts"]]
        months.append(
            {
                "month": month.period,
                "name": year.month_names[i],
                "scenario": month.scenario,
                "best_cost": _r(year.best_cost[i]),
                "deployed_model": {
                    "accuracy": _r(first["accuracy"]),
                    "expected_cost": _r(first["expected_cost"]),
                    "answered": first["answered"],
                    "refused": first["refused"],
                    "input_alerts": first["input_alerts"],
                    "live_alerts": first["live_alerts"],
                },
                "alerts": alerts,
                "cost_never": _r(sims["never"].cost[i]),
                "policy_model": str(row["model"]),
                "expected_cost": _r(row["expected_cost"]),
                "accuracy": _r(row["accuracy"]),
                "retrain": bool(row["retrain"]),
                "reason": str(row["reason"]),
            }
        )

    def _mean(key: str, sub: str | None = None) -> float:
        vals = [(m[sub][key] if sub else m[key]) for m in months]
        return _r(np.mean(vals))

    year_block = {
        "threshold": _r(year.threshold, 3),
        "months_with_alerts": [m["name"] for m in months if m["alerts"]],
        "mean_best_cost": _mean("best_cost"),
        "mean_cost_never": _mean("cost_never"),
        "mean_cost_with_policy": _mean("expected_cost"),
        "final_quarter_cost_never": _r(sims["never"].final_cost()),
        "final_quarter_cost_with_policy": _r(sim.final_cost()),
        "final_quarter_above_best_never": _r(sims["never"].final_excess()),
        "final_quarter_above_best_with_policy": _r(sim.final_excess()),
        "refused_visits": int(sum(m["deployed_model"]["refused"] for m in months)),
    }
    summary = {
        "seed": seed,
        "policy": policy,
        "quick": quick,
        "data": data,
        "training": {
            "model": f"notebook 03's preparation + {type(model[-1]).__name__}",
            "params": dict(sorted(checkpoints.TUNED_PARAMS.items())),
            "how": "notebook 05's tuned settings (the search is not re-run)",
            "train_rows": int(len(train)),
            "retrain_max_iter": QUICK_MAX_ITER if quick else retraining.new_model()[-1].max_iter,
        },
        "test": test_block,
        "registry": {"version": card.version, "alias": "production"},
        "service": served,
        "months": months,
        "year": year_block,
        "retrains": sim.retrains,
        "retrain_months": [pd.Period(p, freq="M").strftime("%b") for p in sim.retrain_months],
        "verdict": _verdict(test_block, year_block, sim),
        "files": {"report": REPORT, "figures": list(FIGURES), "summary": SUMMARY},
    }

    # 10. report.
    step(8)
    _figures(out, year, sims, policy, months, signed, reference_cost)
    (out / SUMMARY).write_text(
        json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out / REPORT).write_text(_report(summary), encoding="utf-8")
    return json.loads((out / SUMMARY).read_text(encoding="utf-8"))


def _verdict(test: dict, year: dict, sim: Any) -> str:
    first = (
        f"Before deployment: {test['verdict']} (expected cost {test['expected_cost']:.4f} € per "
        f"visit, minimum {test['contract_minimum']:.3f}; perfect knowledge "
        f"{test['best_expected_cost']:.4f}; accuracy {100 * test['accuracy']:.1f}%, all decided "
        f"at the contract's threshold {test['threshold']:.2f})."
    )
    alerts = year["months_with_alerts"]
    second = (
        f"In production: alerts in {len(alerts)} of 12 months"
        + (f" ({', '.join(alerts)})" if alerts else "")
        + f"; the '{sim.label}' policy retrained {sim.retrains} time"
        + ("" if sim.retrains == 1 else "s")
        + f" and ended the year at {year['final_quarter_cost_with_policy']:.4f} € per visit, "
        f"{year['final_quarter_above_best_with_policy']:.4f} above the best possible (never "
        f"retraining: {year['final_quarter_cost_never']:.4f}, "
        f"{year['final_quarter_above_best_never']:.4f} above)."
    )
    return f"{first} {second}"


def _figures(out, year, sims, policy, months, signed, reference_cost) -> None:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from .retraining import plot_policies

    meta = {"Software": None}
    fig = plot_policies(
        list(sims.values()),
        year,
        title="The year after deployment: cost each month vs the best possible",
    )
    fig.set_size_inches(9, 4.8)
    fig.savefig(out / FIGURES[0], dpi=figures.PNG_DPI, bbox_inches="tight", metadata=meta)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(9, 4.2))
    x = np.arange(len(months))
    cost = [m["deployed_model"]["expected_cost"] for m in months]
    ax.plot(x, cost, color="#D55E00", ls="--", marker="s", mfc="white",
            label="deployed model v1 (replayed, answered visits)")  # fmt: skip
    if policy != "never":
        ax.plot(x, [m["expected_cost"] for m in months], color="#0072B2", ls="-", marker="^",
                mfc="white", label=f"with the '{sims[policy].label}' policy")  # fmt: skip
    ax.axhline(signed.minimum, color="black", ls=":", lw=1.5,
               label=f"contract: at most {signed.minimum:.3f} €/visit")  # fmt: skip
    ax.axhline(1.1 * reference_cost, color="0.5", ls="-.", lw=1.2,
               label="live alert: 10% above the test-set cost")  # fmt: skip
    top = max(max(cost), signed.minimum) * 1.12
    for i, m in enumerate(months):
        if m["alerts"]:
            ax.text(i, top, "alert", ha="center", va="bottom", fontsize=figures.SMALL, rotation=0)
            ax.plot(i, top * 0.985, marker="v", color="black", ms=6)
    ax.set_ylim(0, top * 1.08)
    ax.set_xticks(x, [m["name"] for m in months])
    ax.set_xlabel("month of 2026 (▼ alert: an input or live-metric alert fired)")
    ax.set_ylabel("expected cost (€ per visit)")
    ax.set_title("Cost of the model's mistakes each month vs the success contract")
    ax.grid(alpha=0.3)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncol=2,
        fontsize=figures.SMALL,
        frameon=False,
    )
    fig.savefig(out / FIGURES[1], dpi=figures.PNG_DPI, bbox_inches="tight", metadata=meta)
    plt.close(fig)


def _report(s: dict) -> str:
    t, y = s["test"], s["year"]
    lines = [
        "# The whole cycle: report",
        "",
        f"Seed {s['seed']}, retraining policy `{s['policy']}`"
        + (" (quick mode: shorter retrains)" if s["quick"] else "")
        + ".",
        "",
        "## Verdict",
        "",
        s["verdict"],
        "",
        "## 1. Data",
        "",
        "| source | rows |",
        "|---|---:|",
        *[f"| {k} | {v} |" for k, v in s["data"]["rows"].items()],
        "",
        "Identical to the course's data: "
        + ("yes." if s["data"]["matches_course_data"] else "NO."),
        "",
        "## 2. Model and test against the contract",
        "",
        f"{s['training']['model']}, {s['training']['how']}: "
        + ", ".join(f"{k}={v}" for k, v in s["training"]["params"].items())
        + f"; trained on {s['training']['train_rows']} rows.",
        "",
        f"Every number decides at the contract's threshold: banana when P(banana) >= "
        f"{t['threshold']:.2f}.",
        "",
        "| measure (test rows) | the model | perfect knowledge |",
        "|---|---:|---:|",
        f"| rows | {t['rows']} | |",
        f"| expected cost (€/visit) | {t['expected_cost']:.4f} | {t['best_expected_cost']:.4f} |",
        f"| accuracy at {t['threshold']:.2f} | {100 * t['accuracy']:.1f}% "
        f"| {100 * t['best_accuracy']:.1f}% |",
        f"| contract minimum (baseline) | {t['contract_minimum']:.3f} "
        f"({t['contract_baseline']:.4f}) | |",
        f"| verdict | **{t['verdict']}** | |",
        "",
        "## 3. Registry and service",
        "",
        f"Registered as {s['registry']['version']} and promoted to "
        f"`{s['registry']['alias']}`. The service answered {s['service']['answered']} of "
        f"{s['service']['visits_sent']} visits sent over HTTP (health: "
        f"{s['service']['status']}); same probabilities as the batch path: "
        + ("yes." if s["service"]["same_as_batch_path"] else "NO."),
        "",
        "## 4. The year in production",
        "",
        "Each month's visits replayed through the deployed model (the service's batch path); "
        "alerts from the monitor's rules (inputs at once, the live metric once the labels "
        "arrive); expected cost in € per 1,000 visits (all the month's visits; lower is "
        "better) of the first model kept all year and with the retraining policy, next to "
        "the best possible. *Refused*: visits the service would refuse (a 422: an input "
        "outside the model's schema).",
        "",
        "| month | what changed | best possible | never retrained | alerts | refused "
        f"| with `{s['policy']}` | retrain at month end |",
        "|---|---|---:|---:|---|---:|---:|---|",
    ]
    for m in s["months"]:
        d = m["deployed_model"]
        lines.append(
            f"| {m['name']} | {_WHAT.get(m['scenario'], m['scenario'])} "
            f"| {1000 * m['best_cost']:.1f} | {1000 * m['cost_never']:.1f} "
            f"| {', '.join(m['alerts']) or '-'} | {d['refused']} | {1000 * m['expected_cost']:.1f} "
            f"| {'yes: ' + m['reason'] if m['retrain'] else '-'} |"
        )
    lines += [
        "",
        f"Retrains: {s['retrains']}"
        + (f" (end of {', '.join(s['retrain_months'])})" if s["retrain_months"] else "")
        + f". Mean cost (€ per 1,000 visits): never retrained "
        f"{1000 * y['mean_cost_never']:.1f}, with the policy "
        f"{1000 * y['mean_cost_with_policy']:.1f}, best possible "
        f"{1000 * y['mean_best_cost']:.1f}. Visits the service refused: "
        f"{y['refused_visits']}.",
        "",
        f"![Cost each month, with and without the policy]({FIGURES[0]})",
        "",
        "*Takeaway: the deployed model's cost rises above the best possible when the world "
        + (
            "changes, and never retraining, it does not come back.*"
            if s["policy"] == "never"
            else "changes; retraining brings it closer again, for the changes a retrain can learn.*"
        ),
        "",
        f"![The deployed model's cost and the alerts]({FIGURES[1]})",
        "",
        "*Takeaway: the alerts fire in the months something changed; the cost tells which "
        "changes actually hurt the business.*",
        "",
    ]
    return "\n".join(lines)
