"""Notebook 08 "Monitor": its exercises, its drift simulator and the live-metric rule.

The replay itself (service path == batch path, delayed labels, the alerts of the year) is
tested in tests/test_replay.py; the notebook runs under nbval.
"""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from course_utils import checkpoints, contract, drift, lessons, monitoring, progress, world  # noqa: E402
from course_utils.exercises import MISTAKES  # noqa: E402
from course_utils.exercises.nb08 import q1, q2, q3, q4  # noqa: E402
from course_utils.widgets import Explorer, driftsim, p95, update_times  # noqa: E402

(LESSON,) = lessons.find_lessons(["08"])


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    monkeypatch.setenv("COURSE_WORK_DIR", str(tmp_path / "work"))
    progress._reset_session()
    yield
    progress._reset_session()
    plt.close("all")


@pytest.fixture(scope="module")
def inputs():
    """Each month's inputs as the notebook's monitor reads them (the log holds the same)."""
    yes_no = {"has_kids": "boolean", "loyalty_member": "boolean"}
    return {
        m.period: m.visits[world.FEATURES].astype(yes_no)
        for m in drift.production_schedule(drift.DEFAULT_SCHEDULE)
        if m.period in ("2026-01", "2026-02", "2026-04")
    }


def _mistake(exercise, answer, **kw):
    fb = exercise.evaluate(answer, **kw)
    assert fb.status == "incorrect", (answer, fb)
    assert fb.message and fb.mistake in MISTAKES, fb
    return fb.mistake


def _lesson_cell(marker: str) -> str:
    _, solution = lessons.make_notebooks(LESSON)
    (cell,) = [c for c in solution.cells if c.cell_type == "code" and marker in c.source]
    return cell.source


# --------------------------------------------------------------------------- q1: PSI


def _shares(reference, current, edges):
    return (
        np.histogram(reference, edges)[0] / len(reference),
        np.histogram(current, edges)[0] / len(current),
    )


def test_q1_the_lessons_solution_passes(inputs):
    namespace = {"np": np, "inputs": inputs, "reference_month": inputs["2026-01"], "q1": q1}
    code = _lesson_cell("q1.check(psi_age)").replace("q1.check(psi_age)", "")
    exec(compile(code, "<lesson 08, q1>", "exec"), namespace)
    assert q1.evaluate(namespace["psi_age"]).ok
    assert namespace["psi_age"] > monitoring.PSI_ALERT
    assert q1.evaluate(monitoring.psi(inputs["2026-01"]["age"], inputs["2026-04"]["age"])).ok


def test_q1_typical_mistakes(inputs):
    ref, cur = inputs["2026-01"]["age"], inputs["2026-04"]["age"]
    inner = np.unique(np.quantile(ref, np.linspace(0, 1, 11))[1:-1])
    edges = np.concatenate([[-np.inf], inner, [np.inf]])
    e, a = _shares(ref, cur, edges)
    assert _mistake(q1, np.sum((a - e) * (a / e))) == "psi_no_log"
    assert _mistake(q1, np.sum((a - e) * np.log10(a / e))) == "psi_log10"
    assert _mistake(q1, np.sum(a * np.log(a / e))) == "psi_one_sided"
    n_ref, n_cur = np.histogram(ref, edges)[0], np.histogram(cur, edges)[0]
    assert _mistake(q1, np.sum((n_cur - n_ref) * np.log(n_cur / n_ref))) == "count_not_share"
    cur_edges = np.concatenate(
        [[-np.inf], np.unique(np.quantile(cur, np.linspace(0, 1, 11))[1:-1]), [np.inf]]
    )
    e2, a2 = _shares(ref, cur, cur_edges)
    assert _mistake(q1, np.sum((a2 - e2) * np.log(a2 / e2))) == "psi_bins_from_current"
    e3, a3 = np.histogram(ref, 10)[0] / len(ref), np.histogram(cur, 10)[0] / len(cur)
    assert _mistake(q1, np.sum((a3 - e3) * np.log(a3 / e3))) == "psi_separate_bins"
    # The same bins closed on the right (pd.cut) are a convention: accepted.
    right = pd.cut(ref, edges, right=True).value_counts(normalize=True, sort=False).to_numpy()
    right_a = pd.cut(cur, edges, right=True).value_counts(normalize=True, sort=False).to_numpy()
    assert q1.evaluate(np.sum((right_a - right) * np.log(right_a / right))).ok
    assert _mistake(q1, 3.0) == "wrong_value"
    assert _mistake(q1, -0.4) == "out_of_range"


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4], ids=lambda e: e.name)
def test_not_attempted_and_odd_answers(exercise):
    for blank in (..., None):
        assert exercise.evaluate(blank).status == "not_attempted"
    unfitted = LogisticRegression()
    odd = ["banana", "", float("nan"), pd.DataFrame({"x": [1]}), unfitted, [0.4], {"a": 1}]
    for answer in odd:
        fb = exercise.evaluate(answer)
        assert fb.status == "incorrect" and fb.mistake in MISTAKES, (answer, fb)
    assert len(exercise.hints) >= 2 and exercise.solution_text()


# --------------------------------------------------------------------------- q2-q4


def test_q4_kind_of_change():
    assert q4.evaluate("concept drift").ok
    assert q4.evaluate(" Concept Drift ").ok
    assert _mistake(q4, "data drift") == "said_data_drift"
    assert _mistake(q4, "prior shift") == "said_prior_shift"
    assert _mistake(q4, "data quality break") == "said_quality_break"
    assert _mistake(q4, "seasonality") == "said_seasonality"
    assert _mistake(q4, "concept") == "wrong_type"
    fb = q4.evaluate("data drift")
    assert "concept" not in fb.message.lower()  # never reveals the answer


def test_q2_the_july_misconception():
    assert q2.evaluate("c").ok and q2.evaluate("(C)").ok
    assert _mistake(q2, "a") == "significant_means_harmful"
    assert _mistake(q2, "b)") == "seasonal_psi_alarm"
    assert _mistake(q2, "d") == "drop_drifting_input"
    assert _mistake(q2, "e") == "wrong_type"
    assert "\n(a)" in q2.prompt  # one option per line


def test_q3_the_live_metric_uses_the_contract():
    assert q3.evaluate("expected_cost").ok and q3.evaluate("Expected cost").ok
    assert _mistake(q3, "accuracy") == "accuracy_with_skewed_costs"
    assert _mistake(q3, "recall") == "metric_ignores_costs"
    assert _mistake(q3, "roc_auc") == "metric_ignores_costs"
    assert _mistake(q3, "bananas") == "wrong_value"
    assert _mistake(q3, 0.042) == "wrong_type"
    assert "expected" not in q3.evaluate("recall").message.lower()


def test_the_lessons_answers_pass():
    _, solution = lessons.make_notebooks(LESSON)
    source = "\n".join(c.source for c in solution.cells if c.cell_type == "code")
    for line in ('answer_july = "c"', 'live_metric = "expected_cost"', 'kind_of_change = "concept'):
        assert line in source
    assert q2.evaluate("c").ok and q3.evaluate("expected_cost").ok
    assert "server.stop()" in source  # no port left open at the end


# --------------------------------------------------------------------------- check_live


def test_check_live_warns_before_the_contract_breaks():
    y = np.array(["banana"] * 90 + ["apple"] * 10)
    p = np.r_[np.full(90, 0.9), np.full(10, 0.1)]  # perfect: cost 0
    table = monitoring.check_live(y, p, contract.DEFAULT, reference_cost=0.03)
    assert list(table.columns) == ["rule", "input", "measure", "value", "threshold", "alert"]
    assert not table["alert"].any()
    p_bad = p.copy()
    p_bad[:12] = 0.5  # 12 false apples at 0.10 EUR: 0.012 per visit
    p_bad[90:92] = 0.8  # 2 false bananas at 0.30 EUR: 0.006 per visit
    table = monitoring.check_live(y, p_bad, contract.DEFAULT, reference_cost=0.015)
    assert table["alert"].tolist() == [True, False]  # 0.018 > 1.1 x 0.015, < 0.042
    assert table["value"].iloc[1] == pytest.approx(0.018)
    with pytest.raises(ValueError, match="reference_cost"):
        monitoring.check_live(y, p, contract.DEFAULT, reference_cost=0)


# --------------------------------------------------------------------------- the widget


@pytest.fixture(scope="module")
def simulations():
    train, test = checkpoints.split()
    model = checkpoints.tuned_model()
    banana = list(model.classes_).index("banana")
    cost = monitoring.live_metrics(
        test["fruit"], model.predict_proba(test[world.FEATURES])[:, banana], contract.DEFAULT
    )["expected_cost"]
    return driftsim.prepare(model, history=train, reference_cost=cost)


def test_simulations_show_each_fingerprint(simulations):
    assert set(simulations.results) == {
        (s, float(k)) for s in drift.SCENARIOS for k in driftsim.STRENGTHS
    }
    normal = driftsim.compute(simulations, "seasonality", 1.0)
    assert normal["alerts"] == [] and normal["psi"].max() == pytest.approx(0)
    students = driftsim.compute(simulations, "covariate_shift", 1.0)
    assert students["psi"].idxmax() == "age"
    assert {(a["rule"], a["input"]) for a in students["alerts"]} == {("input drift", "age")}
    taste = driftsim.compute(simulations, "taste_change", 2.0)
    assert taste["psi"].max() < monitoring.PSI_WATCH  # no input moves ...
    assert {a["rule"] for a in taste["alerts"]} == {"live metric"}  # ... the labels see it
    # In the contract's metric, decided at its threshold: the cost jumps, perfect knowledge holds.
    assert taste["threshold"] == normal["threshold"] == 0.75
    assert taste["expected_cost"] > normal["expected_cost"] + 0.01
    assert taste["best_cost"] < taste["expected_cost"] - 0.01
    assert "€ above it" in driftsim.describe(taste) and "(at 0.75)" in driftsim.describe(taste)
    broken = driftsim.compute(simulations, "unit_switch", 1.0)
    # Data validation sees the break; fed every °F reading, the logistic regression's cost
    # also breaks the contract (it extrapolates its temperature weight).
    assert {a["rule"] for a in broken["alerts"]} == {"data validation", "live metric"}
    assert broken["expected_cost"] > contract.DEFAULT.minimum
    # Strength 0 of any change is the normal month.
    assert driftsim.compute(simulations, "price_shock", 0.0)["psi"].max() == pytest.approx(0)
    # The nearest strength computed in advance answers.
    assert driftsim.compute(simulations, "price_shock", 0.9)["strength"] == 1.0
    with pytest.raises(ValueError, match="unknown scenario"):
        driftsim.compute(simulations, "earthquake", 1.0)


def test_the_widget_updates_text_and_figure(simulations):
    ex = driftsim.make_widget(data=simulations)
    assert isinstance(ex, Explorer)
    assert ex.result["scenario"] == "taste_change" and "live metric" in ex.text_html.value
    first_png = ex.image.value
    assert first_png[:4] == b"\x89PNG"
    ex.controls["scenario"].value = "seasonality"
    assert "Alerts: none" in ex.text_html.value
    assert ex.image.value != first_png
    ex.controls["strength"].value = 2.0
    assert "strength 2.0" in ex.text_html.value
    ex.controls["scenario"].value = "covariate_shift"
    assert "input drift: age" in ex.text_html.value and "age 1." in ex.text_html.value
    control, values = driftsim.BENCH
    times = update_times(ex, control, values)
    assert len(times) >= 5 and p95(times) > 0  # measured; the budget is for `make bench`


def test_the_static_twins(simulations):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig = driftsim.plot_scenarios(simulations, strength=1.0)
    assert len(fig.axes) == len(drift.SCENARIOS)
    assert all(ax.get_xlabel() for ax in fig.axes) and fig.axes[0].get_title()
    table = driftsim.summary(simulations, strength=1.0)
    assert list(table.index) == list(drift.SCENARIOS)
    assert table.loc["seasonality", "alerts"] == "none"
    assert "input drift: age" in table.loc["covariate_shift", "alerts"]
    assert {"cost (€/visit)", "best possible (€/visit)", "accuracy (at 0.75)"} <= set(table)
    assert (table["best possible (€/visit)"] <= table["cost (€/visit)"] + 0.002).all()
    fig = driftsim.plot_drift(driftsim.compute(simulations, "price_shock", 1.0))
    assert "price_shock" in fig.axes[0].get_title()
    assert fig.axes[0].get_xlabel() and fig.axes[1].get_xlabel()
