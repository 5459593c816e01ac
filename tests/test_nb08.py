"""Notebooks 08a and 08b "Monitor": their exercises, the drift simulator and the live-metric rule.

The replay itself (service path == batch path, delayed labels, the alerts of the year) is
tested in tests/test_replay.py; the notebooks run under nbval.
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

from course_utils import checkpoints, config, contract, drift, lessons, monitoring, progress, world  # noqa: E402  # noqa: E402
from course_utils.exercises import MISTAKES, nb08  # noqa: E402
from course_utils.exercises.nb08 import (  # noqa: E402
    q1,
    q2,
    q3,
    q4,
    q5,
    store_days,
    transfer_months,
    wrapup_a,
    wrapup_b,
)
from course_utils.widgets import Explorer, driftsim, p95, update_times  # noqa: E402

PART_A, PART_B = lessons.find_lessons(["08"])


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    monkeypatch.setenv("COURSE_WORK_DIR", str(tmp_path / "work"))
    progress._reset_session()
    yield
    progress._reset_session()
    plt.close("all")


def _mistake(exercise, answer, **kw):
    fb = exercise.evaluate(answer, **kw)
    assert fb.status == "incorrect", (answer, fb)
    assert fb.message and fb.mistake in MISTAKES, fb
    return fb.mistake


def _code(lesson, marker: str) -> str:
    """The solutions version of the lesson's code cell that contains ``marker``."""
    _, solution = lessons.make_notebooks(lesson)
    (cell,) = [c for c in solution.cells if c.cell_type == "code" and marker in c.source]
    return cell.source


# --------------------------------------------------------------------------- the split


def test_08_is_split_in_two_parts_listed_in_order():
    assert [lesson.source.stem for lesson in (PART_A, PART_B)] == [
        "08a_detect_drift",
        "08b_judge_drift",
    ]
    names = list(config.NOTEBOOKS)
    assert names.index("08a_detect_drift") + 1 == names.index("08b_judge_drift")
    assert "08_monitor" not in names
    text_a = PART_A.source.read_text(encoding="utf-8")
    assert "(08b_judge_drift.ipynb)" in text_a  # part a links to part b
    assert "(09a_retraining_policies.ipynb)" in PART_B.source.read_text(encoding="utf-8")


def test_no_hint_calls_and_no_answer_shown_in_the_student_versions():
    for lesson in (PART_A, PART_B):
        student, _ = lessons.make_notebooks(lesson)
        code = "\n".join(c.source for c in student.cells if c.cell_type == "code")
        assert ".hint(" not in code and ".solution(" not in code
        assert "Whatever you answered" not in "\n".join(c.source for c in student.cells)
        assert "max(monitoring.PSI_ALERT, noise)" not in code  # the build answer is hidden
        assert 'answer_july = "c"' not in code and 'concept drift"' not in code


def test_checkpoint_rebuilds_part_as_year(tmp_path):
    year = checkpoints.monitored_year(folder=tmp_path / "year")
    log, requests = year["log"], year["requests"]
    refused = requests.groupby("period")["problem"].apply(lambda s: int(s.notna().sum()))
    assert refused["2026-11"] == 1302 and refused["2026-12"] == 949  # as part a's text says
    assert set(year["labels_known_at"]) == {m.period for m in year["months"][:-1]}
    assert log.loc[log["period"] == "2026-12", "fruit"].isna().all()  # December: no labels
    assert year["card"].metrics["expected_cost"] == pytest.approx(0.0278, abs=5e-5)
    assert list(year["inputs"]["2026-01"].columns) == list(world.FEATURES)


# --------------------------------------------------------------------------- q1: the build


def _solution():
    namespace = {"np": np, "monitoring": monitoring}
    code = _code(PART_A, "def drift_alert(").replace("q1.check(drift_alert)", "")
    exec(compile(code, "<lesson 08a, q1>", "exec"), namespace)
    return namespace["drift_alert"]


def _variant(old: str, new: str):
    """The lesson's solution with one typical slip written into it."""
    code = _code(PART_A, "def drift_alert(").replace("q1.check(drift_alert)", "")
    assert old in code, old
    namespace = {"np": np, "monitoring": monitoring}
    exec(compile(code.replace(old, new), "<a slip>", "exec"), namespace)
    return namespace["drift_alert"]


def test_q1_the_lessons_solution_passes_on_unseen_months():
    fb = q1.evaluate(_solution())
    assert fb.ok, fb
    # The cases come from other years of the world, not from the notebook's year.
    for case in nb08._q1_cases():
        assert not set(case.args[2]) & set(store_days(drift.month("2026-01", n_visits=50).visits))


def test_q1_the_cases_tell_the_rules_apart():
    cases = nb08._q1_cases()
    right = [nb08._rule(*c.args) for c in cases]
    assert right[0]["alert"] and right[0]["empty"]  # the price shock, with empty bins
    assert not any(r["alert"] for r in right[1:])  # the quiet windows
    assert right[1]["fixed_rule"] and right[2]["fixed_rule"]  # noise alone above 0.25
    assert nb08._rule(*cases[3].args, per_visit=True)["alert"]  # rows as units: a false alarm


PER_DAY = (
    "reference.groupby(reference_days).mean()  # one value per store-day\n"
    "    cur = current.groupby(current_days).mean()"
)
PER_VISIT = "reference.reset_index(drop=True)\n    cur = current.reset_index(drop=True)"


@pytest.mark.parametrize(
    ("old", "new", "tag"),
    [
        ("np.log(cur_share / ref_share)", "(cur_share / ref_share)", "psi_no_log"),
        ("np.log(cur_share / ref_share)", "np.log10(cur_share / ref_share)", "psi_log10"),
        (", 1e-4, None)", ", 0, None)", "psi_empty_bins"),
        ("max(monitoring.PSI_ALERT, noise)", "monitoring.PSI_ALERT", "fixed_psi_threshold"),
        (
            "monitoring.psi_noise_quantile(len(ref), len(cur), bins=len(ref_share))",
            "monitoring.psi_no_drift(len(ref), len(cur))",
            "noise_mean_threshold",
        ),
        ("psi > max(", "psi < max(", "alert_wrong_side"),
        (
            "reference.groupby(reference_days).mean()",
            "reference.reset_index(drop=True)",
            "rows_as_independent",
        ),
        ("np.quantile(ref,", "np.quantile(cur,", "psi_bins_from_current"),
        ("    return alert, psi", "    alert, psi", "returned_none"),
        ("    return alert, psi", "    return psi, alert", "wrong_type"),
        ("    return alert, psi", "    return alert", "wrong_type"),
    ],
    ids=lambda v: v if isinstance(v, str) and "_" in v and " " not in v else "",
)
def test_q1_typical_mistakes_are_named(old, new, tag):
    slip = _variant(old, new)
    if tag == "rows_as_independent":  # the current month too
        slip = _variant(PER_DAY, PER_VISIT)
    fb = q1.evaluate(slip)
    assert fb.mistake == tag, fb
    assert fb.message.startswith("On ") or tag in ("returned_none",), fb.message


def test_q1_a_hard_coded_answer_and_odd_answers():
    assert _mistake(q1, lambda reference, current, reference_days, current_days: (True, 7.7)) in (
        "wrong_value",
        "psi_no_log",
        "rows_as_independent",  # any named mistake will do for a hard-coded answer
    )
    assert _mistake(q1, lambda reference, current: (True, 1.0)) == "signature"
    assert _mistake(q1, 0.5) == "not_a_function"

    def raises(reference, current, reference_days, current_days):
        raise KeyError("price")

    assert _mistake(q1, raises) == "raised"

    def mutates(reference, current, reference_days, current_days):
        reference[:] = 0
        return False, 0.0

    assert _mistake(q1, mutates) == "mutates_input"
    for blank in (..., None):
        assert q1.evaluate(blank).status == "not_attempted"


def test_q1_student_skeleton_is_not_attempted():
    student, _ = lessons.make_notebooks(PART_A)
    (cell,) = [c for c in student.cells if "def drift_alert(" in c.source]
    assert "build" in cell.metadata.get("tags", [])
    namespace = {"np": np, "monitoring": monitoring, "q1": q1}
    exec(compile(cell.source.replace("q1.check(drift_alert)", ""), "<student>", "exec"), namespace)
    assert q1.evaluate(namespace["drift_alert"]).status == "not_attempted"


# --------------------------------------------------------------------------- q2: transfer


def test_q2_transfer_runs_the_rule_on_another_store_and_year():
    may, june = transfer_months()
    assert set(may["store"].astype(str)) == {"Riverside"} == set(june["store"].astype(str))
    rule = _solution()
    names = ["price_apple", "price_banana", "temperature_c"]
    flagged = [n for n in names if rule(may[n], june[n], store_days(may), store_days(june))[0]]
    assert q2.evaluate(flagged).ok and q2.evaluate(tuple(reversed(flagged))).ok
    assert set(flagged) == {"price_banana", "temperature_c"}
    assert _mistake(q2, names) == "fixed_psi_threshold"  # what 0.25 alone flags
    assert _mistake(q2, ["price_banana"]) == "wrong_value"
    assert _mistake(q2, ["age"]) == "wrong_type"
    assert _mistake(q2, 3) == "wrong_type"
    for blank in (..., None):
        assert q2.evaluate(blank).status == "not_attempted"


def test_q2_lessons_answer_passes():
    code = _code(PART_A, "q2.check(flagged)")
    assert "drift_alert(" in code  # the learner's own rule, run on the new data


# --------------------------------------------------------------------------- the quizzes


@pytest.mark.parametrize(
    ("quiz", "right"),
    [
        (wrapup_a, {1: "b", 2: "c", 3: "a", 4: "b", 5: "c", 6: "a"}),
        (wrapup_b, {1: "c", 2: "a", 3: "b", 4: "c", 5: "a", 6: "b"}),
    ],
    ids=["a", "b"],
)
def test_wrapup_quizzes(quiz, right):
    assert 5 <= len(quiz.questions) <= 8
    assert sum(q.revisits is not None for q in quiz.questions) >= 2
    assert all(q.revisits < "08" for q in quiz.questions if q.revisits)
    assert quiz.evaluate(right).ok
    assert quiz.evaluate({k: ... for k in right}).status == "not_attempted"
    for number, question in enumerate(quiz.questions, start=1):
        for letter in question.options:
            if letter == question.answer:
                continue
            fb = quiz.evaluate({**right, number: letter})
            assert fb.status == "incorrect"
            assert question.why[letter][:40] in fb.message  # that option's misconception
            if question.tag:
                assert fb.mistake == question.tag
    # The lessons' solutions hold the same answers; the student versions ask for them.
    for lesson, name in ((PART_A, "wrapup_a"), (PART_B, "wrapup_b")):
        student, _ = lessons.make_notebooks(lesson)
        (cell,) = [c for c in student.cells if f"{name}.check(" in c.source]
        assert "quiz" in cell.metadata.get("tags", []) and "1: ..." in cell.source


# --------------------------------------------------------------------------- q3-q5


@pytest.mark.parametrize("exercise", [q3, q4, q5], ids=lambda e: e.name)
def test_not_attempted_and_odd_answers(exercise):
    for blank in (..., None):
        assert exercise.evaluate(blank).status == "not_attempted"
    unfitted = LogisticRegression()
    odd = ["banana", "", float("nan"), pd.DataFrame({"x": [1]}), unfitted, [0.4], {"a": 1}]
    for answer in odd:
        fb = exercise.evaluate(answer)
        assert fb.status == "incorrect" and fb.mistake in MISTAKES, (answer, fb)
    assert len(exercise.hints) >= 2 and exercise.solution_text()


def test_q5_kind_of_change():
    assert q5.evaluate("concept drift").ok
    assert q5.evaluate(" Concept Drift ").ok
    assert _mistake(q5, "data drift") == "said_data_drift"
    assert _mistake(q5, "prior shift") == "said_prior_shift"
    assert _mistake(q5, "data quality break") == "said_quality_break"
    assert _mistake(q5, "seasonality") == "said_seasonality"
    assert _mistake(q5, "concept") == "wrong_type"
    fb = q5.evaluate("data drift")
    assert "concept" not in fb.message.lower()  # never reveals the answer


def test_q3_the_july_misconception():
    assert q3.evaluate("c").ok and q3.evaluate("(C)").ok
    assert _mistake(q3, "a") == "significant_means_harmful"
    assert _mistake(q3, "b)") == "seasonal_psi_alarm"
    assert _mistake(q3, "d") == "drop_drifting_input"
    assert _mistake(q3, "e") == "wrong_type"
    assert "\n(a)" in q3.prompt  # one option per line


def test_q4_the_live_metric_uses_the_contract():
    assert q4.evaluate("expected_cost").ok and q4.evaluate("Expected cost").ok
    assert _mistake(q4, "accuracy") == "accuracy_with_skewed_costs"
    assert _mistake(q4, "recall") == "metric_ignores_costs"
    assert _mistake(q4, "roc_auc") == "metric_ignores_costs"
    assert _mistake(q4, "bananas") == "wrong_value"
    assert _mistake(q4, 0.042) == "wrong_type"
    assert "expected" not in q4.evaluate("recall").message.lower()


def test_the_lessons_answers_pass():
    _, solution = lessons.make_notebooks(PART_B)
    source = "\n".join(c.source for c in solution.cells if c.cell_type == "code")
    for line in ('answer_july = "c"', 'live_metric = "expected_cost"', 'kind_of_change = "concept'):
        assert line in source
    assert q3.evaluate("c").ok and q4.evaluate("expected_cost").ok
    _, part_a = lessons.make_notebooks(PART_A)
    assert "server.stop()" in part_a.cells[-1].source or any(
        "server.stop()" in c.source for c in part_a.cells
    )  # no port left open at the end of part a; part b starts no server
    assert "start_in_background" not in source


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


def test_q1_exact_daily_values_pass_and_a_noise_only_rule_is_named():
    """.first() / .median() give a store-day's price exactly (the mean can land a hair off
    a decile edge): both pass. Alerting above the noise quantile alone is caught by the
    window of 300 store-days whose PSI is beyond the noise but below 0.25."""
    for how in ("first()", "median()"):
        exact = _variant(PER_DAY, PER_DAY.replace("mean()", how).replace("mean()", how))
        fb = q1.evaluate(exact)
        assert fb.ok, (how, fb.message)
    noise_only = _variant("max(monitoring.PSI_ALERT, noise)", "noise")
    fb = q1.evaluate(noise_only)
    assert fb.mistake == "wrong_value" and "*larger* of 0.25" in fb.message, fb.message
    right = nb08._rule(*nb08._small_real_shift_case().args)
    assert right["threshold_noise"] < right["psi"] < 0.25 and not right["alert"]
