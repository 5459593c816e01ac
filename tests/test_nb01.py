"""Notebook 01 "Define success": its exercises, its cost-of-errors widget, its contract."""

from __future__ import annotations

import math

import ipywidgets as W
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from sklearn.dummy import DummyClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import cross_val_predict  # noqa: E402

from course_utils import checkpoints, contract, lessons, progress, sources, world  # noqa: E402
from course_utils.exercises import nb01  # noqa: E402
from course_utils.exercises.nb01 import q1, q2, wrapup  # noqa: E402
from course_utils.widgets import Explorer, costs, p95, update_times  # noqa: E402

C_FB, C_FA = nb01.COST_FALSE_BANANA, nb01.COST_FALSE_APPLE


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    monkeypatch.setenv("COURSE_WORK_DIR", str(tmp_path / "work"))
    progress._reset_session()
    yield
    progress._reset_session()
    plt.close("all")


@pytest.fixture(scope="module")
def train() -> pd.DataFrame:
    return checkpoints.split()[0]


@pytest.fixture(scope="module")
def candidates() -> pd.DataFrame:
    sales = pd.read_csv(sources.data_dir() / "sales.csv")
    paid = sales[["visit_id", "amount_paid"]].drop_duplicates("visit_id")
    return checkpoints.clean_history().merge(paid, on="visit_id", how="left")


@pytest.fixture(scope="module")
def namespace(train, candidates) -> dict:
    """What the notebook has defined when the exercises come."""
    X_train, y_train = train[world.FEATURES], train["fruit"]
    majority = DummyClassifier(strategy="most_frequent")
    return {
        "np": np,
        "pd": pd,
        "candidates": candidates,
        "X_train": X_train,
        "y_train": y_train,
        "majority_pred": cross_val_predict(majority, X_train, y_train, cv=5),
        "COST_FALSE_BANANA": C_FB,
        "COST_FALSE_APPLE": C_FA,
    }


def _run_solution(exercise, namespace, capsys) -> str:
    ns = dict(namespace, **{exercise.name: exercise})
    exec(exercise._solution, ns)
    return capsys.readouterr().out


ODD = [
    "banana",
    float("nan"),
    pd.DataFrame({"x": [1, 2]}),
    LogisticRegression(),
    {"store": 1},
    [1, 2],
    pd.NA,
    object(),
]


# --------------------------------------------------------------------------- q1 leakage


def test_q1_solution_passes(namespace, capsys):
    assert _run_solution(q1, namespace, capsys).startswith("✔ Correct")
    assert q1.evaluate(list(world.FEATURES)).ok
    assert q1.evaluate(tuple(reversed(world.FEATURES))).ok  # any order, any sequence
    assert q1.evaluate(namespace["candidates"][world.FEATURES]).ok  # a table: its columns


def test_q1_names_the_leak_and_the_target(candidates):
    everything = list(candidates.columns)
    fb = q1.evaluate(everything)
    assert fb.mistake == "leakage" and "amount_paid" in fb.message and "`fruit`" in fb.message
    fb = q1.evaluate([*world.FEATURES, "amount_paid"])
    assert fb.mistake == "leakage" and "after" in fb.message and "amount_paid" in fb.message
    fb = q1.evaluate([*world.FEATURES, "fruit"])
    assert fb.mistake == "leakage" and "target" in fb.message
    assert "other" in fb.message  # nudges towards the second leak


def test_q1_names_missing_columns_identifiers_and_typos():
    fb = q1.evaluate([c for c in world.FEATURES if c not in ("promo", "temperature_c")])
    assert fb.mistake == "missing_columns"
    assert "`promo`" in fb.message and "`temperature_c`" in fb.message
    assert "`store`" not in fb.message
    fb = q1.evaluate([*world.FEATURES, "customer_id"])
    assert fb.mistake == "extra_columns" and "customer_id" in fb.message
    fb = q1.evaluate([*world.FEATURES, "timestamp"])
    assert fb.mistake == "extra_columns" and "hour" in fb.message
    fb = q1.evaluate(["Store", "hour"])
    assert fb.mistake == "wrong_column" and "did you mean 'store'" in fb.message
    assert q1.evaluate([]).mistake == "wrong_shape"
    assert q1.evaluate("store").mistake == "wrong_type"


# --------------------------------------------------------------------------- q2 build task


def _solution(y_true, y_pred, cost_false_banana, cost_false_apple):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    false_banana = ((y_pred == "banana") & (y_true == "apple")).sum()
    false_apple = ((y_pred == "apple") & (y_true == "banana")).sum()
    return (cost_false_banana * false_banana + cost_false_apple * false_apple) / len(y_true)


def test_q2_solution_passes_and_matches_the_course_metric(namespace, capsys):
    out = _run_solution(q2, namespace, capsys)
    assert out.startswith("✔ Correct") and "had not seen" in out
    assert q2.evaluate(_solution).ok
    assert q2.evaluate(checkpoints.cost_per_visit).ok
    # on the notebook's own majority baseline: the false-banana cost of the apple buyers
    y, pred = namespace["y_train"], namespace["majority_pred"]
    apple = float((y == "apple").mean())
    assert _solution(y, pred, C_FB, C_FA) == pytest.approx(C_FB * apple)


def test_q2_skeleton_is_not_attempted():
    def skeleton(y_true, y_pred, cost_false_banana, cost_false_apple):
        return ...

    assert q2.evaluate(skeleton).status == "not_attempted"
    (lesson,) = lessons.find_lessons(["01"])
    student, _ = lessons.make_notebooks(lesson)
    (cell,) = [c for c in student.cells if "def cost_per_visit" in c.source]
    assert "return ...  # your code here" in cell.source and "false_banana =" not in cell.source


def _swapped(y_true, y_pred, cost_false_banana, cost_false_apple):
    return _solution(y_true, y_pred, cost_false_apple, cost_false_banana)


def _total(y_true, y_pred, cost_false_banana, cost_false_apple):
    return _solution(y_true, y_pred, cost_false_banana, cost_false_apple) * len(y_true)


def _error_rate(y_true, y_pred, cost_false_banana, cost_false_apple):
    return float(np.mean(np.asarray(y_true) != np.asarray(y_pred)))


def _hard_coded(y_true, y_pred, cost_false_banana, cost_false_apple):
    return _solution(y_true, y_pred, 0.30, 0.10)


def _no_asarray(y_true, y_pred, cost_false_banana, cost_false_apple):
    false_banana = ((y_pred == "banana") & (y_true == "apple")).sum()
    false_apple = ((y_pred == "apple") & (y_true == "banana")).sum()
    return (cost_false_banana * false_banana + cost_false_apple * false_apple) / len(y_true)


def _false_bananas_only(y_true, y_pred, cost_false_banana, cost_false_apple):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return cost_false_banana * ((y_pred == "banana") & (y_true == "apple")).sum() / len(y_true)


def _forgot_return(y_true, y_pred, cost_false_banana, cost_false_apple):
    _solution(y_true, y_pred, cost_false_banana, cost_false_apple)


def _in_cents(y_true, y_pred, cost_false_banana, cost_false_apple):
    return 100 * _solution(y_true, y_pred, cost_false_banana, cost_false_apple)


def _one_number(y_true, y_pred, cost_false_banana, cost_false_apple):
    return 0.1151  # the majority baseline's cost, copied from the notebook


@pytest.mark.parametrize(
    ("fn", "mistake", "words"),
    [
        (_swapped, "swapped_costs", "other one's cost"),
        (_total, "count_not_share", "total"),
        (_error_rate, "metric_ignores_costs", "error rate"),
        (_hard_coded, "wrong_value", "notebook's costs"),
        (_no_asarray, "raised", "plain Python lists"),
        (_false_bananas_only, "wrong_value", "only the false bananas"),
        (_forgot_return, "returned_none", "forget `return`"),
        (_in_cents, "unit_cents", "cents"),
        (_one_number, "wrong_value", "false banana(s)"),
        (lambda y_true, y_pred: 0.0, "signature", "cost_false_banana"),
        (_solution(["apple"], ["banana"], 0.3, 0.1), "not_a_function", "without brackets"),
    ],
)
def test_q2_typical_mistakes_get_their_own_feedback(fn, mistake, words):
    fb = q2.evaluate(fn)
    assert not fb.ok and fb.mistake == mistake and words in fb.message, fb
    assert fb.mistake in nb01.MISTAKES


def test_q2_cases_are_unseen_and_tell_the_mistakes_apart():
    cases = nb01._q2_cases()
    assert len(cases) >= 4 and len({c.label for c in cases}) == len(cases)
    first = cases[0].args
    assert len(first[0]) == 500 and list(first[0].index[:3]) != [0, 1, 2]  # shuffled index
    right = [_solution(*c.args) for c in cases]
    assert right[-1] == 0 and len(set(right)) >= 4
    for fn in (_swapped, _total, _error_rate, _hard_coded):  # each differs on some case
        assert any(not math.isclose(fn(*c.args), r) for c, r in zip(cases, right, strict=True))


# --------------------------------------------------------------------------- wrap-up quiz

RIGHT = {1: "b", 2: "c", 3: "a", 4: "b", 5: "c", 6: "a"}


def test_wrapup_right_answers_wrong_answers_and_not_attempted():
    assert wrapup.evaluate(RIGHT).ok
    assert wrapup.evaluate({k: ... for k in RIGHT}).status == "not_attempted"
    assert [q.revisits for q in wrapup.questions].count("00") >= 2
    for number, question in enumerate(wrapup.questions, start=1):
        for letter in question.options:
            if letter == question.answer:
                continue
            fb = wrapup.evaluate({**RIGHT, number: letter})
            assert not fb.ok and question.why[letter] in fb.message
            assert fb.mistake == question.tag and fb.mistake in nb01.MISTAKES
    tags = {q.tag for q in wrapup.questions}
    assert tags == {"accuracy_with_skewed_costs", "leakage", "default_threshold", "wrong_choice"}
    fb = wrapup.evaluate({**RIGHT, 1: "a"})
    assert fb.mistake == "accuracy_with_skewed_costs" and "wrong decision" in fb.message


# --------------------------------------------------------------------------- both exercises


@pytest.mark.parametrize("exercise", [q1, q2], ids=lambda e: e.name)
def test_not_attempted_and_odd_answers_never_raise(exercise, capsys):
    for blank in (..., None):
        assert exercise.evaluate(blank).status == "not_attempted"
    for odd in ODD:
        fb = exercise.evaluate(odd)
        assert fb.status == "incorrect" and fb.mistake != "check_error", (exercise.name, odd)
        exercise.check(odd)
    assert "Traceback" not in capsys.readouterr().out
    assert len(exercise.hints) == 3


# --------------------------------------------------------------------------- the widget


@pytest.fixture(scope="module")
def data() -> costs.CostData:
    return costs.default_data()


def test_compute_costs_matches_the_definitions(train, data):
    r = costs.compute_costs(data, C_FB, C_FA)
    apple = float((train["fruit"] == "apple").mean())
    assert r["costs"]["always banana"] == pytest.approx(C_FB * apple)
    assert r["costs"]["always apple"] == pytest.approx(C_FA * (1 - apple))
    assert r["accuracy"]["always banana"] == pytest.approx(1 - apple)
    assert r["threshold"] == pytest.approx(0.75)
    # the curve's ends are the constant strategies, its bottom is near the best threshold
    assert r["curve"][0] == pytest.approx(r["costs"]["always banana"])
    assert r["curve"][-1] == pytest.approx(r["costs"]["always apple"])
    best_on_grid = costs.THRESHOLDS[np.argmin(r["curve"])]
    assert abs(best_on_grid - 0.75) < 0.06
    assert r["costs"]["perfect knowledge"] <= r["curve"].min() + 0.001
    # the rule of thumb of the notebook, as a plain computation
    rule = costs.rule_of_thumb(train)
    truth = train["fruit"].to_numpy() == "banana"
    cost = (C_FB * (rule & ~truth).sum() + C_FA * (~rule & truth).sum()) / len(train)
    assert r["costs"]["rule of thumb"] == pytest.approx(cost)
    assert r["cheapest_simple"] == "rule of thumb"
    # the ranking moves with the costs: equal costs -> always banana beats always apple
    even = costs.compute_costs(data, 0.10, 0.10)
    assert even["threshold"] == 0.5
    assert even["costs"]["always banana"] < even["costs"]["always apple"]
    free = costs.compute_costs(data, 0.0, 0.0)
    assert max(free["costs"].values()) == 0 and "free" in costs.describe(free)


def test_prepare_and_compute_reject_bad_input_clearly():
    with pytest.raises(ValueError, match="one value per visit"):
        costs.prepare([0.5, 0.5], ["apple"], [True])
    with pytest.raises(ValueError, match="'apple' or 'banana'"):
        costs.prepare([0.5], ["cherry"], [True])
    with pytest.raises(ValueError, match="between 0 and 1"):
        costs.prepare([np.nan], ["apple"], [True])
    d = costs.prepare([0.9, 0.2], [1, 0], [True, False])
    with pytest.raises(ValueError, match="zero or positive"):
        costs.compute_costs(d, -0.1, 0.1)


def test_widget_headless_updates_text_and_figure(data):
    ex = costs.make_widget(data)
    assert isinstance(ex, Explorer)
    assert set(ex.controls) == {"cost_false_banana", "cost_false_apple"}
    assert all(isinstance(c, W.FloatSlider) for c in ex.controls.values())
    text, image = ex.text_html.value, ex.image.value
    assert "&gt;= 0.75" in text and "rule of thumb" in text
    assert image[:4] == b"\x89PNG"
    ex.controls["cost_false_banana"].value = 0.10
    assert ex.result["threshold"] == 0.5 and "&gt;= 0.50" in ex.text_html.value
    assert ex.image.value != image
    ex.controls["cost_false_apple"].value = 0.40
    assert ex.result["threshold"] == pytest.approx(0.2)
    assert ex.result["costs"]["always banana"] < ex.result["costs"]["always apple"]
    times = update_times(ex, *costs.BENCH)
    assert len(times) >= 5 and p95(times) > 0  # speed is for `make bench`, not asserted
    assert plt.get_fignums() == []  # the widget's figure is not left open in pyplot


def test_static_figure_marks_the_best_threshold_with_a_line_and_a_label(data):
    fig = costs.plot_costs(costs.compute_costs(data, C_FB, C_FA))
    ax = fig.axes[0]
    assert ax.get_xlabel() and "€" in ax.get_ylabel() and ax.get_title()
    vertical = [
        line
        for line in ax.get_lines()
        if len(set(np.atleast_1d(line.get_xdata()))) == 1 and line.get_linestyle() == ":"
    ]
    assert vertical and float(np.atleast_1d(vertical[0].get_xdata())[0]) == pytest.approx(0.75)
    assert any("best threshold t = 0.75" in t.get_text() for t in ax.texts)


# --------------------------------------------------------------------------- the contract


def _run_lesson_code() -> dict:
    """Execute the code cells of the solutions version of lesson 01, as a kernel would."""
    (lesson,) = lessons.find_lessons(["01"])
    ns: dict = {"__name__": "__lesson__"}
    for i, cell in enumerate(lessons.read_lesson(lesson.source).cells):
        if cell.cell_type != "code" or lessons.is_lint_directive(cell):
            continue
        code = lessons.solution_code(cell.source, where=f"cell {i}")
        exec(compile(code, f"01_define_success.py, cell {i}", "exec"), ns)
    return ns


def test_the_solution_saves_exactly_the_default_contract(tmp_path, capsys):
    ns = _run_lesson_code()
    saved = contract.load(quiet=True)
    assert (tmp_path / "work" / contract.FILENAME).exists()  # in paths.work_dir()
    assert saved == contract.DEFAULT
    assert saved == ns["success"]
    # a reasoned minimum: clearly better than the best baseline, not better than Bayes
    assert ns["bayes_cost"] < saved.minimum < saved.baseline
    assert saved.baseline == pytest.approx(ns["baselines"]["cost per visit (€)"].min(), abs=1e-4)
    assert math.isclose(saved.best_threshold(), 0.75)
    out = capsys.readouterr().out
    assert f"saved success_contract.json in your work folder {tmp_path / 'work'}" in out
