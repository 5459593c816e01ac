"""Notebook 06 "Test on new data", in three parts (06a, 06b, 06c): its exercises, its build
task (the verdict function), its wrap-up quizzes, its threshold slider and its verdict.

Each part's solution code runs once, in-process, in a throw-away work folder (as the build
and nbval do); the tests then read its variables and the verdict it saves.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict

import ipywidgets as W
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from lesson_runner import run_lesson  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import confusion_matrix  # noqa: E402

from course_utils import checkpoints, config, contract, lessons, progress  # noqa: E402
from course_utils.exercises import MISTAKES, nb06  # noqa: E402
from course_utils.exercises.nb06 import (  # noqa: E402
    q1,
    q2,
    q3,
    q4,
    q5,
    q6,
    wrapup_a,
    wrapup_b,
    wrapup_c,
)
from course_utils.widgets import Explorer, p95, threshold, update_times  # noqa: E402

PARTS = lessons.find_lessons(["06a", "06b", "06c"])


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    monkeypatch.setenv("COURSE_WORK_DIR", str(tmp_path / "work"))
    progress._reset_session()
    yield
    progress._reset_session()
    plt.close("all")


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> dict[str, dict]:
    """Run the solutions version of each part in-process; its variables, by part."""
    return {
        name: run_lesson(name, tmp_path_factory.mktemp(f"work{name}"))
        for name in ("06a", "06b", "06c")
    }


@pytest.fixture(scope="module")
def lesson(parts) -> dict:
    """The variables of the three parts together (a later part wins a shared name)."""
    return {**parts["06a"], **parts["06b"], **parts["06c"]}


@pytest.fixture(scope="module")
def model(lesson):
    return lesson["model"]


def _mistake(exercise, answer, **inputs) -> str | None:
    fb = exercise.evaluate(answer, **inputs)
    assert fb.status != "not_attempted", answer
    assert fb.message and (fb.mistake is None or fb.mistake in MISTAKES), fb
    return fb.mistake


def _run_solution(exercise, lesson, capsys) -> str:
    ns = dict(lesson, **{exercise.name: exercise})
    exec(exercise._solution, ns)
    return capsys.readouterr().out


def _counts(lesson, t: float) -> dict[str, int]:
    pred = np.where(lesson["proba_test"] >= t, "banana", "apple")
    y = lesson["y_test"].to_numpy()
    return {
        "fb": int(((pred == "banana") & (y == "apple")).sum()),
        "fa": int(((pred == "apple") & (y == "banana")).sum()),
        "tb": int(((pred == "banana") & (y == "banana")).sum()),
        "ta": int(((pred == "apple") & (y == "apple")).sum()),
    }


C_FB, C_FA = contract.DEFAULT.cost_false_banana, contract.DEFAULT.cost_false_apple
T = contract.DEFAULT.best_threshold()


def _cells(lesson_file, cell_type="code"):
    return [c for c in lessons.read_lesson(lesson_file.source).cells if c.cell_type == cell_type]


# --------------------------------------------------------------------------- the lesson


def test_notebook_06_is_three_parts_in_the_course_order():
    names = [p.source.stem for p in PARTS]
    assert names == ["06a_test_verdict", "06b_slices_and_uncertainty", "06c_explain_the_model"]
    i = config.NOTEBOOKS.index(names[0])
    assert list(config.NOTEBOOKS[i - 1 : i + 4]) == ["05b_choose", *names, "07a_save_model"]
    assert "06_test" not in config.NOTEBOOKS


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.number)
def test_the_test_rows_meet_the_model_once_and_are_never_fitted_on(part):
    code = "\n".join(lessons.solution_code(c.source) for c in _cells(part))
    # 06a opens the test set; 06b recomputes the very same probabilities; 06c gets them
    # from checkpoints.findings_on_test()
    assert code.count("model.predict_proba(X_test)") == (0 if part.number == "06c" else 1)
    assert "model.predict(" not in code and "model.score(" not in code
    assert not re.search(r"\.fit\([^)]*(X_test|y_test|test\b)", code)
    assert "GridSearch" not in code and "RandomizedSearch" not in code


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.number)
def test_no_answer_no_hint_in_sight(part):
    """Run All on a student notebook shows no hint and no answer: no code cell asks for a
    hint or a solution, no 'Whatever you answered' cell, no check fed a wrong answer."""
    for cell in _cells(part):
        assert ".hint(" not in cell.source and ".solution(" not in cell.source
        for line in cell.source.splitlines():
            assert not re.match(r"\s*q\d\.check\([\"'\d]", line), line  # a shown answer
    prose = " ".join(c.source for c in _cells(part, "markdown"))
    assert "Whatever you answered" not in prose


def test_every_check_in_the_lesson_passes(parts):
    expected = {"06a": 4, "06b": 3, "06c": 2}  # exercises, build task and quiz of each part
    for name, ns in parts.items():
        out = ns["_stdout"]
        assert out.count("✔ Correct") == expected[name], name
        assert "Not quite" not in out, name
    assert "DECISION: deploy" in parts["06c"]["_stdout"]


def test_part_c_starts_from_what_parts_a_and_b_measured(parts):
    a, b, c = parts["06a"], parts["06b"], parts["06c"]
    found = checkpoints.findings_on_test()
    np.testing.assert_array_equal(found["proba"], a["proba_test"])
    np.testing.assert_array_equal(found["proba"], b["proba_test"])
    assert found["model_cost"] == pytest.approx(a["model_cost"], abs=1e-12)
    assert found["model_cost"] == pytest.approx(b["model_cost"], abs=1e-12)
    assert found["false_bananas"] == a["false_bananas"] and found["true_apples"] == a["true_apples"]
    assert found["cost_interval"] == pytest.approx([b["cost_low"], b["cost_high"]])
    assert found["accuracy_interval"] == pytest.approx([b["acc_low"], b["acc_high"]])
    assert found["saving_interval"] == pytest.approx([b["saving_low"], b["saving_high"]])
    pd.testing.assert_frame_equal(found["by_store"], b["by_store"])
    pd.testing.assert_frame_equal(found["by_age"], b["by_age"])
    assert found["station_share"] == pytest.approx(b["mix"].loc["Station", "share of passers-by"])
    pd.testing.assert_frame_equal(
        found["estimates"], b["estimates"].drop(columns="log-loss"), check_exact=False
    )
    gap = np.average(np.abs(b["observed"] - b["predicted"]), weights=b["visits_in_bin"])
    assert found["calibration_gap"] == pytest.approx(gap)
    assert c["cost_high"] == b["cost_high"]


def test_the_numbers_agree_with_the_confusion_matrix_and_the_widget(lesson):
    y_test, pred = lesson["y_test"], lesson["pred_test"]
    (ta, fb), (fa, tb) = confusion_matrix(y_test, pred, labels=["apple", "banana"])
    by_hand = (C_FB * fb + C_FA * fa) / len(pred)
    assert lesson["expected_cost"](y_test, pred) == pytest.approx(by_hand)
    result = threshold.compute(lesson["slider_data"], T)
    assert result["counts"] == {
        "true apple": ta,
        "false banana": fb,
        "false apple": fa,
        "true banana": tb,
    }
    assert result["cost"] == pytest.approx(lesson["model_cost"])
    assert result["meets"] and lesson["model_cost"] <= contract.DEFAULT.minimum
    assert lesson["test_verdict"] == nb06.verdict(y_test, lesson["proba_test"], contract.DEFAULT)
    assert lesson["test_verdict"]["cost"] == pytest.approx(by_hand)
    # the cost-aware threshold beats 0.5 for the model and for perfect knowledge
    table = lesson["by_threshold"]["cost per visit (€)"]
    for who in ("tuned model", "perfect knowledge"):
        assert table[(who, "0.75")] < table[(who, "0.50")]
    # slices add up to the whole
    stores = lesson["by_store"]
    assert stores["visits"].sum() == len(y_test)
    weighted = (stores["visits"] * stores["cost per visit (€)"]).sum() / len(y_test)
    assert weighted == pytest.approx(lesson["model_cost"], abs=1e-4)
    assert lesson["by_age"]["visits"].sum() == len(y_test)
    # 06c's verdict table: the verdict function agrees with a plain count
    costs = lesson["verdict_table"]["cost per visit (€)"]
    assert costs["tuned model"] == pytest.approx(by_hand)


def _prose() -> str:
    """All the markdown of the three parts, as one text (the comment marks removed)."""
    return " ".join(" ".join(c.source.split()) for p in PARTS for c in _cells(p, "markdown"))


@pytest.mark.exact_numbers
def test_the_prose_states_the_numbers_the_lesson_computes(lesson):
    """The text quotes model numbers: if the checkpoint's model changes, this says so."""
    ns = lesson
    pt, proba, banana, near = ns["p_true"], ns["proba_test"], ns["is_banana"], ns["about_80"]
    th = ns["by_threshold"]
    cost, acc = th["cost per visit (€)"], th["accuracy at this threshold"]
    stores, ages = ns["by_store"], ns["by_age"]
    store_cost, store_gap = stores["cost per visit (€)"], stores["gap (€)"]
    weakest, gappiest = str(store_cost.idxmax()), str(store_gap.idxmax())
    non_members = ns["slice_table"](ns["member"][ns["at_station"]]).loc["not a member"]
    mix = ns["mix"]
    model_cost, bayes_cost = ns["model_cost"], ns["bayes_cost"]
    assert store_cost.idxmin() == "Station" and ages["cost per visit (€)"].idxmax() == "age unknown"
    assert ns["reweighted"] < model_cost  # "the bill would even be a little lower"
    expected = [
        f"right {100 * ns['right_when_banana']:.1f} % of the time",
        f"only {100 * ns['caught']:.1f} % of the banana buyers",
        f"A ROC AUC of {ns['roc_auc_score'](banana, proba):.3f} against "
        f"{ns['roc_auc_score'](banana, pt):.3f}",
        f"The model says {100 * proba[near].mean():.1f} %, {100 * banana[near].mean():.1f} % "
        f"took a banana, and the world's true chance was {100 * pt[near].mean():.1f} %",
        f"({int(near.sum())} visits)",
        f"({acc[('tuned model', '0.50')]:.4f} against {acc[('tuned model', '0.75')]:.4f})",
        f"{cost[('tuned model', '0.50')]:.4f} € per visit against {model_cost:.4f} €",
        f"{1000 * ns['saved']:.2f} € saved",
        f"({cost[('perfect knowledge', '0.50')]:.4f} € against "
        f"{cost[('perfect knowledge', '0.75')]:.4f} €)",
        f"**{weakest}** costs the most per visit ({store_cost[weakest]:.4f} €)",
        f"**{gappiest}** has the biggest gap to perfect knowledge ({store_gap[gappiest]:.4f} €)",
        f"is the cheapest ({store_cost['Station']:.4f} €), within {store_gap['Station']:.4f} €",
        f"({int(ages.loc['age unknown', 'visits'])} visits) cost the most: "
        f"{ages.loc['age unknown', 'cost per visit (€)']:.4f} € per visit",
        f"does much better there ({ages.loc['age unknown', 'perfect knowledge (€)']:.4f} €)",
        f"{100 * mix.loc['Station', 'share of passers-by']:.1f} % of the passers-by but "
        f"{100 * mix.loc['Station', 'share of training rows']:.1f} % of the training rows",
        f"{non_members['cost per visit (€)']:.4f} € per visit on their "
        f"{int(non_members['visits'])} test visits",
        f"{ns['reweighted']:.4f} € instead of {model_cost:.4f} €",
        f"loses about {model_cost:.3f} € per visit on visits it has never seen "
        f"(95 % interval {ns['cost_low']:.3f} to {ns['cost_high']:.3f} €)",
        f"anywhere from about {ns['cost_low']:.3f} to {ns['cost_high']:.3f} € per visit",
        f"{1000 * ns['saving_low']:.0f} to {1000 * ns['saving_high']:.0f} € less than the rule "
        "of thumb",
        f"about {1000 * (model_cost - bayes_cost):.0f} € per 1,000 visits above perfect knowledge",
        f"{ns['model_cost']:.4f} € per visit is what *these* 3,815 visits cost",
        f"{ns['false_bananas']} false bananas, {ns['false_apples']} false apples",
        f"precision ({ns['right_when_banana']:.3f}) and recall ({ns['caught']:.3f})",
        f"{model_cost:.4f} € per visit instead of {cost[('tuned model', '0.50')]:.4f} €",
    ]
    prose = _prose()
    stale = [text for text in expected if text not in prose]
    assert not stale, f"the prose of lesson 06 no longer matches its numbers: {stale}"


def test_the_verdict_is_saved_for_notebook_07(parts, lesson):
    saved = json.loads((parts["06c"]["_work"] / "verdict_06.json").read_text(encoding="utf-8"))
    assert saved["decision"] == "deploy" and saved["deploy"] is True
    assert saved["contract"] == asdict(contract.DEFAULT)
    assert saved["threshold"] == pytest.approx(0.75)
    assert saved["model"]["params"] == checkpoints.TUNED_PARAMS
    assert saved["model"]["estimator"] == "LogisticRegression"
    metrics = saved["test_metrics"]
    assert metrics["visits"] == len(lesson["y_test"])
    assert metrics["expected_cost"] == pytest.approx(lesson["model_cost"], abs=1e-6)
    assert sum(metrics["confusion_matrix"].values()) == metrics["visits"]
    assert set(metrics["cost_by_store"]) == {"Central", "Riverside", "Station"}
    assert saved["baselines"]["rule of thumb"] > contract.DEFAULT.minimum
    assert saved["reasons"] and saved["watch"]


def test_the_decision_follows_the_numbers(parts, capsys):
    """Re-run the decision cell with a stricter contract: it must say "do not deploy"."""
    (cell,) = [c.source for c in _cells(PARTS[2]) if "DECISION:" in c.source]
    strict = contract.Contract(
        metric="expected_cost",
        minimum=0.02,
        baseline=0.0578,
        cost_false_banana=C_FB,
        cost_false_apple=C_FA,
    )
    ns = dict(parts["06c"], signed=strict)
    exec(lessons.solution_code(cell), ns)
    out = capsys.readouterr().out
    assert "DECISION: do not deploy" in out and "misses the contract" in out
    assert ns["deploy"] is False


# --------------------------------------------------------------------------- q1


def test_q1_solution_and_typical_mistakes(lesson, model, capsys):
    assert _run_solution(q1, lesson, capsys).startswith("✔ Correct")
    c, half = _counts(lesson, T), _counts(lesson, 0.5)
    assert q1.evaluate(c["fb"], model=model).ok
    assert q1.evaluate(float(c["fb"]), model=model).ok
    fb = q1.evaluate(c["fa"], model=model)
    assert fb.mistake == "swapped_axes" and "rows are the true fruit" in fb.message
    fb = q1.evaluate(half["fb"], model=model)
    assert fb.mistake == "default_threshold" and "0.5" in fb.message
    assert _mistake(q1, half["fa"], model=model) == "default_threshold"
    fb = q1.evaluate(c["tb"], model=model)
    assert fb.mistake == "wrong_value" and "diagonal" in fb.message
    fb = q1.evaluate(c["fb"] + c["fa"], model=model)
    assert fb.mistake == "wrong_value" and "all the mistakes" in fb.message
    assert _mistake(q1, c["fb"] + 0.5, model=model) == "not_integer"
    assert str(c["fb"]) not in q1.evaluate(c["fb"] + 1, model=model).message


def test_q1_needs_a_fitted_model(lesson, model):
    n = _counts(lesson, T)["fb"]
    assert q1.evaluate(n).mistake == "missing_input"
    unfitted = checkpoints.preprocessor()
    assert q1.evaluate(n, model=LogisticRegression()).mistake == "not_fitted"
    assert q1.evaluate(n, model=unfitted).mistake == "wrong_type"  # no predict_proba
    assert q1.evaluate(n, model="model").mistake == "wrong_type"
    assert q1.evaluate(n, model=pd.DataFrame({"x": [1]})).mistake == "wrong_type"
    other = LogisticRegression().fit(np.array([[0.0], [1.0]]), ["apple", "banana"])
    fb = q1.evaluate(n, model=other)
    assert fb.status == "incorrect" and "raw columns" in fb.message


# --------------------------------------------------------------------------- q2


def test_q2_solution_and_typical_mistakes(lesson, model, capsys):
    assert _run_solution(q2, lesson, capsys).startswith("✔ Correct")
    c, half = _counts(lesson, T), _counts(lesson, 0.5)
    n = sum(c.values())
    right = (C_FB * c["fb"] + C_FA * c["fa"]) / n
    assert q2.evaluate(right, model=model).ok
    assert q2.evaluate(round(right, 4), model=model).ok
    cases = [
        ((C_FB * half["fb"] + C_FA * half["fa"]) / n, "default_threshold", "0.5"),
        (100 * right, "unit_cents", "cents"),
        (1000 * right, "count_not_share", "1,000 visits"),
        (right * n, "count_not_share", "total"),
        ((C_FA * c["fb"] + C_FB * c["fa"]) / n, "swapped_costs", "other one's cost"),
        ((c["fb"] + c["fa"]) / n, "wrong_value", "error rate"),
    ]
    # A small slip, not a rounding, is not called one (the message quotes the learner's own
    # value, 0.0284, so only the answer's own digits are checked for a leak).
    fb = q2.evaluate(right + 0.0006, model=model)
    assert fb.mistake == "near" and "not a rounding" in fb.message, fb
    assert f"{right:.5f}" not in fb.message
    for answer, mistake, words in cases:
        fb = q2.evaluate(answer, model=model)
        assert fb.mistake == mistake and words in fb.message, (answer, fb)
        assert f"{right:.4f}" not in fb.message and f"{right:.3f}" not in fb.message
    # Rounded too early: only a value that *is* the answer rounded is called rounding.
    early = next(r for r in (round(right, 3), round(right, 2)) if abs(r - right) > 0.0002)
    fb = q2.evaluate(early, model=model)
    assert fb.mistake == "close" and "decimals" in fb.message, (early, fb)
    assert f"{right:.4f}" not in fb.message


def test_q2_uses_the_learners_own_contract(lesson, model):
    own = contract.Contract(
        metric="expected_cost",
        minimum=0.05,
        baseline=0.07,
        cost_false_banana=0.10,
        cost_false_apple=0.10,
    )
    contract.save(own)  # into this test's work folder
    c = _counts(lesson, own.best_threshold())
    assert own.best_threshold() == 0.5
    assert q2.evaluate(0.10 * (c["fb"] + c["fa"]) / sum(c.values()), model=model).ok
    assert q1.evaluate(c["fb"], model=model).ok


# --------------------------------------------------------------------------- q4


def test_q4_solution_and_typical_mistakes(lesson, model, capsys):
    assert _run_solution(q4, lesson, capsys).startswith("✔ Correct")
    stores = lesson["by_store"]
    weakest = str(stores["cost per visit (€)"].idxmax())
    assert q4.evaluate(weakest, model=model).ok
    assert q4.evaluate(f"  {weakest.lower()} ", model=model).ok
    cost = lesson["visit_cost"]
    by_total = str(cost.groupby(lesson["test"]["store"], observed=True).sum().idxmax())
    assert by_total != weakest  # the busiest store loses the most euros in total
    fb = q4.evaluate(by_total, model=model)
    assert fb.mistake == "count_not_share" and "per visit" in fb.message
    if weakest != "Station" and by_total != "Station":
        fb = q4.evaluate("Station", model=model)
        assert fb.mistake == "wrong_choice" and "under-represented" in fb.message
    series = cost.groupby(lesson["test"]["store"], observed=True).mean()
    fb = q4.evaluate(series, model=model)
    assert fb.mistake == "wrong_type" and "idxmax" in fb.message
    assert _mistake(q4, "Lindenfeld", model=model) == "wrong_type"
    assert _mistake(q4, float("nan"), model=model) == "nan"


# --------------------------------------------------------------------------- q5


def test_q5_the_seeds_spread_and_typical_mistakes(lesson, model, capsys):
    assert _run_solution(q5, lesson, capsys).startswith("✔ Correct")
    bootstrap, costs = lesson["bootstrap_means"], lesson["cost_per_visit"]
    ends = np.array([np.percentile(bootstrap(costs, seed=s), [2.5, 97.5]) for s in range(5)])
    low, high = ends[:, 0], ends[:, 1]
    right = high.max() - high.min()
    assert 0 < right < 0.002  # the seed moves the end by hundredths of a cent
    assert q5.evaluate(right, model=model).ok
    cases = [
        (low.max() - low.min(), "wrong_column", "*lower* ends"),
        (high.std(), "wrong_value", "standard deviation"),
        (high[0], "wrong_value", "one upper end"),
        (high[0] - low[0], "wrong_value", "width of one interval"),
        (1000 * right, "count_not_share", "1,000 visits"),
        (100 * right, "unit_cents", "cents"),
        (high[:4].max() - high[:4].min(), "wrong_value", "four seeds"),
        (right + 0.001, "wrong_value", "largest"),
    ]
    for answer, mistake, words in cases:
        fb = q5.evaluate(answer, model=model)
        assert fb.mistake == mistake and words in fb.message, (answer, fb)
        assert f"{right:.6f}" not in fb.message
    assert q5.evaluate(right).mistake == "missing_input"


# --------------------------------------------------------------------------- the model


def test_the_checks_refuse_a_model_that_is_not_the_notebooks(lesson, model):
    """Issue 14's check-fooler: a model refitted on the test rows makes its own counts right."""
    X_test, y_test = lesson["X_test"], lesson["y_test"]
    X_train, y_train = lesson["X_train"], lesson["y_train"]

    def own_counts(other):
        p = other.predict_proba(X_test)[:, 1]
        pred = np.where(p >= T, "banana", "apple")
        fb = int(((pred == "banana") & (y_test == "apple")).sum())
        fa = int(((pred == "apple") & (y_test == "banana")).sum())
        return fb, fa, (C_FB * fb + C_FA * fa) / len(pred)

    on_test = checkpoints.tuned_pipeline().fit(X_test, y_test)
    fb_count, _, cost = own_counts(on_test)
    for exercise, answer in [(q1, fb_count), (q2, cost), (q5, 0.0001)]:
        fb = exercise.evaluate(answer, model=on_test)
        assert fb.mistake == "fitted_on_test" and "checkpoints.tuned_model()" in fb.message
    on_all = checkpoints.tuned_pipeline().fit(
        pd.concat([X_train, X_test]), pd.concat([y_train, y_test])
    )
    assert q1.evaluate(own_counts(on_all)[0], model=on_all).mistake == "leakage"
    boosting = checkpoints.boosting_pipeline(max_iter=20).fit(X_train, y_train)
    fb = q2.evaluate(own_counts(boosting)[2], model=boosting)
    assert fb.mistake == "wrong_model" and "not the one this notebook tests" in fb.message
    assert q4.evaluate("Riverside", model=boosting).mistake == "wrong_model"
    # the notebook's own model, refitted the same way, is the same model
    again = checkpoints.tuned_pipeline().fit(X_train, y_train)
    assert q1.evaluate(_counts(lesson, T)["fb"], model=again).ok


# --------------------------------------------------------------------------- q6


def test_q6_the_verdict_rule_and_its_misconceptions(lesson, capsys):
    assert _run_solution(q6, lesson, capsys).startswith("✔ Correct")
    for good in ("c", "C", "(c)", " c "):
        assert q6.evaluate(good).ok, good
    fb = q6.evaluate("a")
    assert fb.mistake == "accuracy_with_skewed_costs" and "3 times" in fb.message
    assert q6.evaluate("accuracy").mistake == "accuracy_with_skewed_costs"
    fb = q6.evaluate("b")
    assert fb.mistake == "test_used_for_tuning" and "optimistic" in fb.message
    fb = q6.evaluate("d")
    assert fb.mistake == "wrong_choice" and "ranks" in fb.message
    fb = q6.evaluate("expected_cost")
    assert fb.mistake == "wrong_type" and "letter" in fb.message
    assert q6.evaluate("e").mistake == "wrong_type"


# --------------------------------------------------------------------------- all four

ODD = [
    "banana",
    "",
    float("nan"),
    -1,
    True,
    [1, 2],
    np.array([0.5, 0.5]),
    pd.DataFrame({"store": ["Central"], "cost": [0.1]}),
    pd.Series(dtype=float),
    LogisticRegression(),
    object(),
    pd.NA,
]


@pytest.mark.parametrize("exercise", [q1, q2, q4, q6, q5], ids=lambda e: e.name)
def test_blank_and_odd_answers_never_raise(exercise, model, capsys):
    inputs = {"model": model} if exercise.inputs else {}
    for blank in (..., None):
        assert exercise.evaluate(blank, **inputs).status == "not_attempted"
    for odd in ODD:
        fb = exercise.evaluate(odd, **inputs)
        assert fb.status == "incorrect" and fb.mistake in MISTAKES, (exercise.name, odd)
        assert fb.mistake != "check_error", (exercise.name, odd, fb)
        exercise.check(odd, **inputs)
    assert "Traceback" not in capsys.readouterr().out
    assert len(exercise.hints) == 3 and exercise.solution_text()


# --------------------------------------------------------------------------- the widget


def test_compute_matches_a_plain_count():
    rng = np.random.default_rng(0)
    p = np.round(rng.random(500), 2)  # ties at the threshold: P >= t means banana
    y = np.where(rng.random(500) < p, "banana", "apple")
    data = threshold.prepare(p, y, p_true=p, minimum=0.05)
    for t in (0.05, 0.3, 0.5, 0.75, 0.95):
        pred = p >= t
        fb, fa = int((pred & (y == "apple")).sum()), int((~pred & (y == "banana")).sum())
        r = threshold.compute(data, t, 0.3, 0.1)
        assert r["counts"]["false banana"] == fb and r["counts"]["false apple"] == fa
        assert r["cost"] == pytest.approx((0.3 * fb + 0.1 * fa) / 500)
        assert r["true_cost"] == pytest.approx(r["cost"])  # same probabilities here
        assert r["meets"] == (r["cost"] <= 0.05)
    r = threshold.compute(data, 0.5)
    assert r["curve"][0] == pytest.approx(0.3 * (y == "apple").mean())  # always banana
    assert r["curve"][-1] <= 0.1 * (y == "banana").mean() + 1e-12  # (nearly) always apple
    assert threshold.compute(data, 0.5, 0.2, 0.2)["best_threshold"] == 0.5


def test_prepare_and_compute_reject_bad_input_clearly():
    with pytest.raises(ValueError, match="one probability per visit"):
        threshold.prepare([0.5, 0.5], ["apple"])
    with pytest.raises(ValueError, match="between 0 and 1"):
        threshold.prepare([np.nan], ["apple"])
    with pytest.raises(ValueError, match="'apple' or 'banana'"):
        threshold.prepare([0.5], ["cherry"])
    data = threshold.prepare([0.9, 0.2], [1, 0])
    with pytest.raises(ValueError, match="zero or positive"):
        threshold.compute(data, 0.5, -0.1, 0.1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        threshold.compute(data, 1.5)
    with pytest.raises(ValueError, match="no true probabilities"):
        data.counts(0.5, truth=True)
    assert threshold.compute(data, 0.5)["true_cost"] is None


def test_widget_headless_updates_cost_matrix_verdict_and_figure(lesson):
    ex = threshold.make_widget(lesson["slider_data"], threshold=T)
    assert isinstance(ex, Explorer)
    assert set(ex.controls) == {"threshold", "cost_false_banana", "cost_false_apple"}
    assert all(isinstance(c, W.FloatSlider) for c in ex.controls.values())
    t = ex.controls["threshold"]
    assert (t.min, t.max, t.value) == (0.05, 0.95, 0.75)
    text, image = ex.text_html.value, ex.image.value
    assert "Meets the contract" in text and "✔ yes" in text and "false bananas" in text
    assert image[:4] == b"\x89PNG"
    before = ex.result["counts"]["false banana"]
    t.value = 0.5
    assert ex.result["counts"]["false banana"] > before
    assert ex.image.value != image and "0.50" in ex.text_html.value
    t.value = 0.05
    assert not ex.result["meets"] and "✘ no" in ex.text_html.value
    t.value = 0.75
    ex.controls["cost_false_banana"].value = 0.10
    assert ex.result["best_threshold"] == 0.5
    assert "not the contract" in ex.text_html.value and "rough guide" in ex.text_html.value
    times = update_times(ex, *threshold.BENCH)
    assert len(times) >= 5 and p95(times) > 0  # speed is for `make bench`, not asserted
    assert plt.get_fignums() == []  # the widget's figure is not left open in pyplot


def test_static_figure_marks_the_threshold_with_a_line_and_a_label(lesson):
    fig = threshold.plot_threshold(threshold.compute(lesson["slider_data"], T))
    ax, cm = fig.axes[:2]
    assert ax.get_xlabel() and "€" in ax.get_ylabel() and ax.get_title()
    assert cm.get_xlabel() and cm.get_ylabel() and cm.get_title()
    dotted = [
        line
        for line in ax.get_lines()
        if len(set(np.atleast_1d(line.get_xdata()))) == 1 and line.get_linestyle() == ":"
    ]
    assert dotted and float(np.atleast_1d(dotted[0].get_xdata())[0]) == pytest.approx(T)
    assert any("contract's threshold 0.75" in text.get_text() for text in ax.texts)
    assert any("contract minimum" in text.get_text() for text in ax.texts)
    c = _counts(lesson, T)
    cells = " ".join(text.get_text() for text in cm.texts)
    assert f"{c['fb']:,}\nfalse bananas" in cells and f"{c['fa']:,}\nfalse apples" in cells


def test_describe_is_the_text_twin(lesson):
    text = threshold.describe(threshold.compute(lesson["slider_data"], T))
    c = _counts(lesson, T)
    assert f"{c['fb']} false bananas" in text and "Meets the contract" in text
    assert "yes" in text.splitlines()[-1]


# --------------------------------------------------------------------------- q3 (build)


def _judged(fn):
    fb = q3.evaluate(fn)
    assert fb.message and (fb.mistake is None or fb.mistake in MISTAKES), fb
    return fb


def _verdict_variant(
    *,
    t=None,
    swap=False,
    wrong_way=False,
    strict=False,
    mean=False,
    score="cost",
    per_visit=True,
):
    """A verdict function with one typical slip."""

    def verdict(y_true, proba, contract):
        thr = contract.best_threshold() if t is None else t
        took, p = np.asarray(y_true), np.asarray(proba)
        says = p > thr if strict else p >= thr
        if mean:
            says = np.full(len(p), p.mean() >= thr)
        fb = int((says & (took == "apple")).sum())
        fa = int((~says & (took == "banana")).sum())
        c_fb, c_fa = contract.cost_false_banana, contract.cost_false_apple
        if swap:
            c_fb, c_fa = c_fa, c_fb
        cost = (c_fb * fb + c_fa * fa) / (len(took) if per_visit else 1)
        if score == "accuracy":
            cost = 1 - (fb + fa) / len(took)
        if score == "error rate":
            cost = (fb + fa) / len(took)
        deploy = cost >= contract.minimum if wrong_way else cost <= contract.minimum
        return {
            "threshold": thr,
            "false_bananas": fb,
            "false_apples": fa,
            "cost": cost,
            "deploy": deploy,
        }

    return verdict


def test_q3_the_solution_passes_on_every_held_back_case(lesson, capsys):
    assert _run_solution(q3, lesson, capsys).startswith("✔ Correct")
    assert q3.evaluate(nb06.verdict).ok
    assert q3.evaluate(_verdict_variant()).ok  # the same rule, written differently


def test_q3_cases_are_not_the_notebooks_and_cover_the_traps():
    cases = nb06._verdict_cases()
    assert len(cases) >= 4 and all(c.label for c in cases)
    contracts = {c.args[2] for c in cases}
    assert any(c.best_threshold() != T for c in contracts)  # another cost table
    results = [nb06.verdict(*c.args) for c in cases]
    assert {r["deploy"] for r in results} == {True, False}  # both verdicts occur
    assert any(set(np.asarray(c.args[0])) == {"apple"} for c in cases)  # one class absent
    assert all(len(c.args[0]) != 3815 for c in cases)  # not the test set of the notebook


@pytest.mark.parametrize(
    ("variant", "mistake", "words"),
    [
        (dict(t=0.5), "default_threshold", "0.5"),
        (dict(t=0.75), "default_threshold", "typed in 0.75"),
        (dict(swap=True), "swapped_costs", "other one's cost"),
        (dict(score="accuracy"), "accuracy_with_skewed_costs", "accuracy"),
        (dict(score="error rate"), "accuracy_with_skewed_costs", "error rate"),
        (dict(wrong_way=True), "compared_wrong_way", "at or below"),
        (dict(mean=True), "mean_proba", "mean"),
        (dict(strict=True), "wrong_value", "*at least* the threshold"),
        (dict(per_visit=False), "count_not_share", "per visit"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_q3_typical_wrong_functions_get_their_tag(variant, mistake, words):
    fb = _judged(_verdict_variant(**variant))
    assert fb.status == "incorrect" and fb.mistake == mistake, fb
    assert words in fb.message, fb.message


def test_q3_broken_functions_are_named_clearly():
    assert q3.evaluate(...).status == "not_attempted"

    def skeleton(y_true, proba, contract):
        return ...

    assert q3.evaluate(skeleton).status == "not_attempted"

    def no_return(y_true, proba, contract):
        contract.best_threshold()

    assert _judged(no_return).mistake == "returned_none"
    fb = _judged(nb06.verdict(["apple"], [0.9], contract.DEFAULT))  # called, not passed
    assert fb.mistake == "not_a_function"
    assert _judged(lambda proba: {}).mistake == "signature"

    def as_list(y_true, proba, contract):
        return [0.1, True]

    assert _judged(as_list).mistake == "wrong_type"

    def cost_only(y_true, proba, contract):
        return {"cost": 0.1}

    fb = _judged(cost_only)
    assert fb.mistake == "wrong_shape" and "'threshold'" in fb.message

    def unpacks_a_2x2_matrix(y_true, proba, contract):
        says = np.where(np.asarray(proba) >= contract.best_threshold(), "banana", "apple")
        (ta, fb), (fa, tb) = confusion_matrix(y_true, says)  # no labels=: 1x1 when one class
        return nb06.verdict(y_true, proba, contract)

    fb = _judged(unpacks_a_2x2_matrix)
    assert fb.mistake == "raised" and "no apple at all" in fb.message

    def sorts_in_place(y_true, proba, contract):
        np.asarray(proba).sort()
        return nb06.verdict(y_true, proba, contract)

    assert _judged(sorts_in_place).mistake == "mutates_input"

    def hard_coded(y_true, proba, contract):
        return {
            "threshold": 0.75,
            "false_bananas": 138,
            "false_apples": 645,
            "cost": 0.0278,
            "deploy": True,
        }

    assert _judged(hard_coded).status == "incorrect"


def test_q3_the_student_skeleton_runs_and_is_not_attempted():
    (cell,) = [c for c in _cells(PARTS[0]) if "build" in c.metadata.get("tags", [])]
    student = lessons.student_code(cell.source)
    assert "def verdict(y_true, proba, contract):" in student and '"""' in student
    ns = {"np": np, "q3": q3}
    exec(student, ns)
    assert q3.evaluate(ns["verdict"]).status == "not_attempted"
    solution_lines = [
        line
        for line in lessons.answer_lines(cell.source)
        if line.strip() and not line.strip().startswith("#")
    ]
    assert 5 <= len(solution_lines) <= 20


# --------------------------------------------------------------------------- the quizzes


@pytest.mark.parametrize("quiz", [wrapup_a, wrapup_b, wrapup_c], ids=lambda q: q.name)
def test_wrapup_quizzes_right_wrong_and_blank(quiz):
    questions = quiz.questions
    assert 5 <= len(questions) <= 8
    assert sum(q.revisits is not None for q in questions) >= 2
    assert all(q.revisits < "06" for q in questions if q.revisits)
    right = {i: q.answer for i, q in enumerate(questions, 1)}
    assert quiz.evaluate(right).ok
    assert len({q.answer for q in questions}) >= 2  # the right letters are not all the same
    for i, q in enumerate(questions, 1):
        assert set(q.why) == set(q.options)
        for letter in q.options:
            if letter == q.answer:
                continue
            fb = quiz.evaluate({**right, i: letter})
            assert fb.status == "incorrect" and q.why[letter] in fb.message, (i, letter)
            assert fb.mistake in MISTAKES
    assert quiz.evaluate({i: ... for i in right}).status == "not_attempted"


def test_wrapup_wrong_options_carry_their_misconception():
    right = {i: q.answer for i, q in enumerate(wrapup_a.questions, 1)}
    wrong = next(k for k in wrapup_a.questions[2].options if k != wrapup_a.questions[2].answer)
    assert wrapup_a.evaluate({**right, 3: wrong}).mistake == "swapped_axes"
    wrong = next(k for k in wrapup_a.questions[1].options if k != wrapup_a.questions[1].answer)
    assert wrapup_a.evaluate({**right, 2: wrong}).mistake == "test_used_for_tuning"
    right = {i: q.answer for i, q in enumerate(wrapup_b.questions, 1)}
    wrong = next(k for k in wrapup_b.questions[2].options if k != wrapup_b.questions[2].answer)
    assert wrapup_b.evaluate({**right, 3: wrong}).mistake == "wrong_value"
    assert wrapup_b.evaluate({**right, 1: "z"}).status == "incorrect"
    right = {i: q.answer for i, q in enumerate(wrapup_c.questions, 1)}
    wrong = next(k for k in wrapup_c.questions[0].options if k != wrapup_c.questions[0].answer)
    assert wrapup_c.evaluate({**right, 1: wrong}).mistake == "wrong_choice"


@pytest.mark.parametrize(
    ("part", "quiz"), list(zip(PARTS, [wrapup_a, wrapup_b, wrapup_c], strict=True))
)
def test_each_part_checks_its_own_quiz_with_the_right_answers(part, quiz):
    (cell,) = [c for c in _cells(part) if "quiz" in c.metadata.get("tags", [])]
    assert f"{quiz.name}.check(answers)" in cell.source
    ns: dict = {}
    exec(lessons.solution_code(cell.source).replace(f"{quiz.name}.check(answers)", ""), ns)
    assert quiz.evaluate(ns["answers"]).ok


def test_q3_a_cost_equal_to_the_minimum_meets_the_contract():
    """`cost < minimum` fails on the case whose cost is exactly the minimum; text counts are
    refused; a threshold typed as 0.75 equals the contract's (no 0.7499999... left)."""
    from course_utils.contract import DEFAULT

    assert DEFAULT.best_threshold() == 0.75

    def strict(y_true, proba, contract):
        out = nb06.verdict(y_true, proba, contract)
        return {**out, "deploy": out["cost"] < contract.minimum}

    fb = nb06.q3.evaluate(strict)
    assert fb.mistake == "compared_wrong_way" and "exactly the contract's minimum" in fb.message

    def text_counts(y_true, proba, contract):
        out = nb06.verdict(y_true, proba, contract)
        return {**out, "false_bananas": str(out["false_bananas"])}

    assert nb06.q3.evaluate(text_counts).mistake == "wrong_type"
