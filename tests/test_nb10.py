"""Notebook 10 "The whole cycle": its exercises and what the lesson shows.

The lesson's solution code runs once, in-process, in a throw-away work folder (as the
build and nbval do); the tests then read its variables.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from lesson_runner import run_lesson  # noqa: E402

from course_utils import lessons, progress  # noqa: E402
from course_utils.exercises import MISTAKES  # noqa: E402
from course_utils.exercises.nb10 import _facts, q1, q2, q3  # noqa: E402

(LESSON,) = lessons.find_lessons(["10"])


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    monkeypatch.setenv("COURSE_WORK_DIR", str(tmp_path / "work"))
    progress._reset_session()
    yield
    progress._reset_session()
    plt.close("all")


@pytest.fixture(scope="module")
def lesson(tmp_path_factory) -> dict:
    """Run the solutions version of lesson 10 in-process; return its variables."""
    return run_lesson("10", tmp_path_factory.mktemp("work"))


def _mistake(exercise, answer) -> str:
    fb = exercise.evaluate(answer)
    assert fb.status == "incorrect", (answer, fb)
    assert fb.message and fb.mistake in MISTAKES, fb
    return fb.mistake


# --------------------------------------------------------------------------- the lesson


def test_lesson_solutions_pass(lesson):
    assert q1.evaluate(lesson["before_labels"]).ok
    assert q2.evaluate(lesson["kiosk_cost"]).ok
    assert q3.evaluate(lesson["decision"]).ok


def test_lesson_numbers_match_the_prose(lesson):
    s = lesson["summary"]
    t = s["test"]
    assert t["threshold"] == 0.75  # one metric language: every number at the contract's
    assert round(t["expected_cost"], 4) == 0.0278 and round(t["best_expected_cost"], 4) == 0.0247
    assert s["test"]["verdict"] == "meets the contract"
    assert all(not m["alerts"] for m in s["months"][:3])
    assert all(m["alerts"] for m in s["months"][3:])
    june = s["months"][5]
    assert june["expected_cost"] > june["cost_never"]  # "not every retrain helps (June)"
    assert "PSI of age: 1.41" in lesson["_stdout"]
    assert "expected cost 0.0204" in lesson["_stdout"]
    assert "best possible 0.0198" in lesson["_stdout"]
    cost = [m["deployed_model"]["expected_cost"] for m in s["months"]]
    assert max(cost) < s["test"]["contract_minimum"]  # "served, v1 never broke the contract"
    # ... but fed every °F reading it would have in December: 39.6 and 42.1 € per 1,000.
    assert [round(1000 * m["cost_never"], 1) for m in s["months"][10:]] == [39.6, 42.1]


def test_lesson_writes_the_report_in_the_work_folder(lesson):
    out = lesson["_work"] / "cycle"
    for name in ("report.md", "summary.json", "policy_cost.png", "alerts.png"):
        assert (out / name).exists(), name


# --------------------------------------------------------------------------- exercises


def test_q1_misconception_and_wrong_answers():
    assert q1.evaluate("unknown").ok
    assert q1.evaluate("  Unknown ").ok
    fb = q1.evaluate("same")
    assert _mistake(q1, "same") == "wrong_choice" and "misconception" in fb.message
    assert "look" in q1.evaluate("worse").message


def test_q2_wrong_answers_are_coached():
    f = _facts()
    assert q2.evaluate(f["cost"]).ok
    assert _mistake(q2, f["test_cost"]) == "wrong_value"
    assert "old test set" in q2.evaluate(f["test_cost"]).message
    assert "0.5" in q2.evaluate(f["cost_half"]).message
    assert _mistake(q2, f["error_rate"]) == "accuracy_with_skewed_costs"
    assert _mistake(q2, 100 * f["cost"]) == "unit_cents"
    # The answer is never revealed.
    for wrong in (f["test_cost"], f["cost_half"], 0.2):
        assert f"{f['cost']:.4f}" not in q2.evaluate(wrong).message


def test_q3_wrong_answers_are_coached():
    assert q3.evaluate("keep").ok
    assert _mistake(q3, "retrain") == "wrong_choice"
    assert "live metric" in q3.evaluate("retrain").message
    assert "broken" in q3.evaluate("repair").message
    assert _mistake(q3, "collect") == "wrong_choice"


@pytest.mark.parametrize("exercise", [q1, q2, q3], ids=lambda e: e.name)
def test_blank_and_odd_answers_never_raise(exercise):
    for blank in (..., None):
        assert exercise.evaluate(blank).status == "not_attempted"
    odd = [
        "banana",
        "",
        float("nan"),
        np.inf,
        -1,
        pd.DataFrame({"x": [1, 2]}),
        pd.Series([0.1]),
        [1, 2],
        {"a": 1},
        object(),
        True,
    ]
    from sklearn.linear_model import LogisticRegression

    odd.append(LogisticRegression())  # an unfitted model
    for answer in odd:
        fb = exercise.evaluate(answer)
        assert fb.status == "incorrect", (answer, fb)
        assert fb.mistake in MISTAKES and fb.message
