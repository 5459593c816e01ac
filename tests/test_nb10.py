"""Notebooks 10a "The whole cycle" and 10b "Capstone": exercises and what the lessons show.

The lesson's solution code runs once, in-process, in a throw-away work folder (as the
build and nbval do); the tests then read its variables.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import json  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from lesson_runner import run_lesson  # noqa: E402

from course_utils import lessons, progress  # noqa: E402
from course_utils.exercises import MISTAKES  # noqa: E402
from course_utils.exercises.nb10 import (  # noqa: E402
    _facts,
    q1,
    q2,
    q3,
    q4,
    q5,
    q6,
    reference_decide,
    wrapup_a,
    wrapup_b,
)

LESSON, CAPSTONE = lessons.find_lessons(["10"])


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
    """Run the solutions version of lesson 10a in-process; return its variables."""
    return run_lesson("10a", tmp_path_factory.mktemp("work"))


@pytest.fixture(scope="module")
def capstone(tmp_path_factory) -> dict:
    """Run the solutions version of lesson 10b (the capstone) in-process."""
    return run_lesson("10b", tmp_path_factory.mktemp("work"))


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


# --------------------------------------------------------------------------- the capstone


def test_capstone_solution_passes_and_changes_the_world(capstone):
    s = capstone["my_summary"]
    assert s["seed"] == 7 and s["seed"] != 42
    assert s["test"]["threshold"] == 0.6  # 0.30 / (0.30 + 0.20): the threshold followed
    assert q4.evaluate(s).ok
    assert q5.evaluate(capstone["decide"]).ok
    assert q6.evaluate(capstone["capstone_dir"]).ok
    verdict = json.loads((capstone["capstone_dir"] / "verdict.json").read_text())
    assert verdict == reference_decide(s)


def test_q4_refuses_the_course_world_and_odd_answers(lesson):
    assert _mistake(q4, lesson["summary"]) == "course_world"  # seed 42, course contract
    other_seed = {**lesson["summary"], "seed": 3}
    assert "contract too" in q4.evaluate(other_seed).message
    assert _mistake(q4, "report.md") == "wrong_type"
    assert q4.evaluate(...).status == "not_attempted"


def _decide(summary):
    return reference_decide(summary)


def _variant(**changes):
    def decide(summary):
        verdict = reference_decide(summary)
        t = summary["test"]
        if changes.get("strict"):
            verdict["meets_contract"] = t["expected_cost"] < t["contract_minimum"]
        if changes.get("course_minimum"):
            verdict["contract_minimum"] = 0.042
        if changes.get("course_threshold"):
            verdict["threshold"] = 0.75
        if changes.get("direction"):
            verdict["meets_contract"] = t["expected_cost"] >= t["contract_minimum"]
        if changes.get("always_retrain"):
            verdict["retraining"] = summary["policy"]
        if changes.get("inverted"):
            verdict["decision"] = "do not deploy" if verdict["meets_contract"] else "deploy"
        if changes.get("extra"):
            verdict["notes"] = "fine"
        if "meets_contract" in changes.get("drop", ()):
            del verdict["meets_contract"]
        if changes.get("decision_follows"):
            verdict["decision"] = "deploy" if verdict["meets_contract"] else "do not deploy"
        return verdict

    return decide


@pytest.mark.parametrize(
    ("answer", "mistake"),
    [
        (_variant(strict=True, decision_follows=True), "strict_inequality"),
        (_variant(course_minimum=True), "course_minimum"),
        (_variant(course_threshold=True), "course_threshold"),
        (_variant(direction=True, decision_follows=True), "wrong_direction"),
        (_variant(always_retrain=True), "retrain_without_evidence"),
        (_variant(inverted=True), "decision_mismatch"),
        (_variant(extra=True), "extra_columns"),
        (_variant(drop=("meets_contract",)), "missing_columns"),
        (lambda summary: print(summary), "returned_none"),
        (lambda summary: summary["verdict"], "raised"),
        (lambda s, contract: {}, "signature"),
        (reference_decide({**json.loads(json.dumps({"seed": 1})), "policy": "never",
                           "test": {"expected_cost": 0.03, "contract_minimum": 0.04,
                                    "threshold": 0.75},
                           "year": {"final_quarter_cost_with_policy": 0.03,
                                    "final_quarter_cost_never": 0.03}}),
         "not_a_function"),
    ],
)  # fmt: skip
def test_q5_runs_decide_on_unseen_summaries_and_names_the_mistake(answer, mistake):
    assert q5.evaluate(_decide).ok
    assert _mistake(q5, answer) == mistake


def test_q5_hard_coded_verdict_fails():
    def typed(summary):
        return {
            "seed": 7,
            "threshold": 0.6,
            "test_expected_cost": 0.03,
            "contract_minimum": 0.055,
            "meets_contract": True,
            "decision": "deploy",
            "retraining": "on_alert",
        }

    fb = q5.evaluate(typed)
    assert fb.status == "incorrect" and "seed" in fb.message


def _files(folder, verdict=None, memo=None):
    if verdict is not None:
        (folder / "verdict.json").write_text(verdict, encoding="utf-8")
    if memo is not None:
        (folder / "memo.md").write_text(memo, encoding="utf-8")
    return folder


def test_q6_checks_the_files_against_the_cycle(capstone, tmp_path):
    import shutil

    folder = tmp_path / "cap"
    folder.mkdir()
    assert q6.evaluate(folder).status == "not_attempted"  # no cycle yet
    shutil.copy(capstone["capstone_dir"] / "summary.json", folder / "summary.json")
    assert q6.evaluate(folder).status == "not_attempted"  # nothing written yet
    s = json.loads((folder / "summary.json").read_text())
    good = reference_decide(s)
    memo = capstone["memo"]
    _files(folder, verdict=str(good), memo=memo)
    assert _mistake(q6, folder) == "wrong_type"  # str(dict) is not JSON
    _files(folder, verdict=json.dumps({**good, "decision": "do not deploy"}))
    assert _mistake(q6, folder) == "decision_mismatch"
    _files(folder, verdict=json.dumps(good), memo="Deploy. " * 10)
    assert _mistake(q6, folder) == "wrong_shape"  # too short
    words = " ".join(["we", "decided"] * 40)
    _files(folder, memo=f"Decision: deploy. {words}")
    assert _mistake(q6, folder) == "memo_missing_figures"
    _files(folder, memo=memo)
    assert q6.evaluate(folder).ok
    assert _mistake(q6, 42) == "wrong_type"
    (folder / "verdict.json").unlink()
    assert _mistake(q6, folder) == "missing_input"


def test_the_wrap_up_quizzes(lesson, capstone):
    assert wrapup_a.evaluate(lesson["answers"]).ok
    assert wrapup_b.evaluate(capstone["answers"]).ok
    for quiz in (wrapup_a, wrapup_b):
        assert 5 <= len(quiz.questions) <= 8
        assert sum(q.revisits is not None for q in quiz.questions) >= 2
        assert quiz.evaluate({i: ... for i in range(1, len(quiz.questions) + 1)}).status == (
            "not_attempted"
        )
    fb = wrapup_a.evaluate({**lesson["answers"], 2: "a"})
    assert fb.mistake == "alert_means_worse" and "cannot see the cost" in fb.message
    fb = wrapup_b.evaluate({**capstone["answers"], 1: "c"})
    assert "upside down" in fb.message and "(a)" not in fb.message


def test_wrapup_b_names_the_typed_figures_misconception(capstone):
    fb = wrapup_b.evaluate({**capstone["answers"], 2: "a"})
    assert fb.mistake == "typed_figures" and "stale" in fb.message


def test_q4_refuses_seed_42_with_an_own_contract(lesson):
    summary = lesson["summary"]
    own = {**summary, "test": {**summary["test"], "contract_minimum": 0.05}}
    fb = q4.evaluate(own)
    assert fb.mistake == "course_world" and "other than 42" in fb.message


def test_q5_names_text_seeds_and_decisions_and_helps_with_other_keys():
    def text_seed(summary):
        return {**reference_decide(summary), "seed": str(summary["seed"])}

    def bool_decision(summary):
        verdict = reference_decide(summary)
        return {**verdict, "decision": verdict["meets_contract"]}

    def other_keys(summary):
        verdict = reference_decide(summary)
        verdict["retraining"] = summary["year"]["mean_cost_policy"]
        return verdict

    assert _mistake(q5, text_seed) == "wrong_type"
    fb = q5.evaluate(bool_decision)
    assert fb.mistake == "wrong_type" and "'do not deploy'" in fb.message
    fb = q5.evaluate(other_keys)
    assert fb.mistake == "raised" and "final_quarter_cost_never" in fb.message


def test_q6_memo_must_not_contradict_the_verdict(capstone, tmp_path):
    import shutil

    folder = tmp_path / "cap"
    folder.mkdir()
    shutil.copy(capstone["capstone_dir"] / "summary.json", folder / "summary.json")
    s = json.loads((folder / "summary.json").read_text())
    good = reference_decide(s)
    memo = capstone["memo"]
    _files(folder, verdict=json.dumps(good), memo=memo)
    assert q6.evaluate(folder).ok
    if good["meets_contract"]:
        _files(folder, memo=memo.replace("deploy", "NOT deploy", 1))
        fb = q6.evaluate(folder)
        assert fb.mistake == "decision_mismatch" and "not deploy" in fb.message
    stale = {**good, "seed": good["seed"] + 1}
    _files(folder, verdict=json.dumps(stale), memo=memo)
    fb = q6.evaluate(folder)
    assert fb.mistake == "wrong_value" and "earlier run" in fb.message


def test_memo_figures_need_a_decimal_when_counted_per_thousand():
    from course_utils.exercises.nb10 import _memo_mentions

    assert _memo_mentions("37.4 € per 1,000 visits", 0.0374)
    assert _memo_mentions("3.74 cents", 0.0374) and _memo_mentions("€0,0374", 0.0374)
    assert not _memo_mentions("41 days over 55 weeks", 0.0414)
