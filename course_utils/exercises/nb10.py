"""Exercises of notebook 10 "The whole cycle": the process applied to a new clientele.

In the notebook::

    from course_utils.exercises.nb10 import q1, q2, q3

The twist: in January 2027 the chain opens a kiosk on a university campus. Its visits are
booked under the existing stores, and most of its customers are students
(:func:`course_utils.drift.month` ``("2027-01", "covariate_shift", KIOSK_STRENGTH)``).

* ``q1`` - a misconception check: "the model scored well on the old test set, so it will
  do fine at the kiosk" - what can you say *before* any label arrives?
* ``q2`` - the deployed model's expected cost per visit on the kiosk's first month, once
  its labels arrive (coaching: the old test set's cost, the threshold 0.5, the error rate);
* ``q3`` - the decision: keep and watch, retrain, repair or collect more data?

Expected values come from the world and the course's deployed model (cached).

>>> q1.evaluate(...).status
'not_attempted'
>>> q3.evaluate("keep").ok
True
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from course_utils.exercises import (
    Exercise,
    Feedback,
    NearMiss,
    expect_choice,
    expect_number,
)
from course_utils.exercises.describe import describe
from course_utils.exercises.feedback import MISTAKES, correct, incorrect, not_attempted
from course_utils.exercises.functions import Case, check_function
from course_utils.exercises.quiz import Question, Quiz

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "wrapup_a", "wrapup_b"]

NOTEBOOK = "10"
#: The kiosk's month and its clientele: the students scenario at twice the course's strength.
KIOSK_PERIOD = "2027-01"
KIOSK_STRENGTH = 2.0
#: q2's tolerance, in € per visit.
TOL = 5e-5


@cache
def kiosk_month() -> Any:
    """The campus kiosk's first month (:class:`course_utils.drift.Month`)."""
    from course_utils import drift

    return drift.month(KIOSK_PERIOD, "covariate_shift", KIOSK_STRENGTH)


@cache
def deployed_model() -> Any:
    """The deployed model v1: notebook 05's tuned pipeline on the training rows."""
    from course_utils import contract, retraining

    return retraining.production_year(contract=contract.DEFAULT).first_model()


@cache
def _facts() -> dict:
    from threadpoolctl import threadpool_limits

    from course_utils import checkpoints, contract, monitoring, world

    model = deployed_model()
    month = kiosk_month()
    positive = list(model.classes_).index(world.POSITIVE)
    with threadpool_limits(limits=1):
        p = model.predict_proba(month.visits[world.FEATURES])[:, positive]
        _, test = checkpoints.split()
        X_test, y_test = checkpoints.xy(test)
        p_test = model.predict_proba(X_test)[:, positive]
    y = month.visits[world.TARGET].astype(object)
    live = monitoring.live_metrics(y, p, contract.DEFAULT)  # at the contract's threshold
    at_half = monitoring.live_metrics(y, p, contract.DEFAULT, threshold=0.5)
    best = monitoring.live_metrics(y, month.p_banana, contract.DEFAULT)
    cost_half = float(at_half["expected_cost"])
    return {
        "cost": float(live["expected_cost"]),
        "accuracy": float(live["accuracy"]),
        "best_cost": float(best["expected_cost"]),
        "test_cost": float(
            monitoring.live_metrics(y_test, p_test, contract.DEFAULT)["expected_cost"]
        ),
        "cost_half": cost_half,
        "error_rate": 1.0 - float(live["accuracy"]),
    }


# --------------------------------------------------------------------------- q1

Q1_CHOICES = ("same", "unknown", "worse")
Q1_TEXT = {
    "same": "it will score about as well as on the test set",
    "unknown": "the test set cannot tell: watch the monitor, and measure once labels arrive",
    "worse": "it will certainly score worse: the inputs have changed",
}


def _check_q1(answer: Any) -> Feedback:
    return expect_choice(
        answer,
        "unknown",
        Q1_CHOICES,
        explanations={
            "same": (
                "wrong_choice",
                "That is the misconception this exercise is about: a test score promises "
                "performance only on visits *like the test rows*. The test rows are last "
                "year's customers of the three stores; the kiosk's customers are mostly "
                "students, whom the test set barely contains. The score may or may not "
                "carry over - only the kiosk's own labels can tell.",
            ),
            "worse": (
                "wrong_choice",
                "Changed inputs are a reason to *look*, not a verdict. A model can do just "
                "as well on new customers if the relation between inputs and fruit is the "
                "same and the new inputs stay within what it has learned. Measure first.",
            ),
        },
        what=f"one of {', '.join(repr(c) for c in Q1_CHOICES)}",
        success="Right: a test score is a promise about visits like the test rows only. The "
        "monitor watches the inputs at once; the live metric settles it when labels arrive.",
    )


q1 = Exercise(
    NOTEBOOK,
    "q1",
    "Will the good test score carry over to the kiosk?",
    prompt="v1 scored well on the test set, close to the best possible. The campus kiosk "
    "opens; no label has arrived yet. Which statement is right? "
    + "; ".join(f"{k!r}: {v}" for k, v in Q1_TEXT.items())
    + ".",
    expects=f"one of {', '.join(repr(c) for c in Q1_CHOICES)}",
    checker=_check_q1,
    hints=[
        "Whose visits were in the test set? Whose visits come to the kiosk?",
        "A test score estimates performance on data drawn like the test rows. Are the "
        "kiosk's customers drawn like them?",
        "Neither 'same' nor 'worse' can be known yet: `q1.check('unknown')`.",
    ],
    solution="before_labels = 'unknown'\nq1.check(before_labels)",
    explanation="The test set is a sample of the old clientele. For new customers, the score "
    "is a hope, not a measurement: monitor the inputs and measure once labels arrive.",
)


# --------------------------------------------------------------------------- q2


def _check_q2(answer: Any) -> Feedback:
    f = _facts()
    return expect_number(
        answer,
        f["cost"],
        tol=TOL,
        what="an expected cost in € per visit",
        lo=0.0,
        hi=0.3,
        kind="eur",
        near_misses=[
            NearMiss(
                f["test_cost"],
                "wrong_value",
                "That is v1's cost on the old test set, not on the kiosk's visits. Score the "
                "kiosk's own month with its labels.",
                tol=TOL,
            ),
            NearMiss(
                f["cost_half"],
                "wrong_value",
                "That cost uses the threshold 0.5. The contract decides 'banana' only when "
                "P(banana) >= 0.75 (its best threshold): `monitoring.live_metrics` does that.",
                tol=TOL,
            ),
            NearMiss(
                f["error_rate"],
                "accuracy_with_skewed_costs",
                "That is the share of wrong answers (1 - accuracy). The cost weighs each "
                "mistake by what it costs: €0.30 for a false banana, €0.10 for a false apple.",
                tol=TOL,
            ),
        ],
        success="Right: the contract's metric, on the kiosk's own labels.",
    )


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "The live metric at the kiosk",
    prompt="The kiosk's January labels have arrived. What is v1's expected cost per visit "
    "(€) on the kiosk's month, with the contract's threshold? Checked to ± 0.00005 (don't round).",
    expects="an expected cost in € per visit",
    checker=_check_q2,
    hints=[
        "Use the kiosk's visits and what those customers bought - not the test set.",
        "`monitoring.live_metrics(labels, p_banana, signed)` returns the expected cost "
        "and the accuracy, both decided at the contract's threshold.",
        '`kiosk_cost = monitoring.live_metrics(kiosk_labels, kiosk_p, signed)["expected_cost"]`',
    ],
    solution='kiosk_cost = monitoring.live_metrics(kiosk_labels, kiosk_p, signed)["expected_cost"]'
    "\nq2.check(kiosk_cost)",
    explanation="The live metric is the contract's metric computed on production visits "
    "once their labels are known.",
)


# --------------------------------------------------------------------------- q3

Q3_CHOICES = ("keep", "retrain", "repair", "collect")
Q3_TEXT = {
    "keep": "keep v1 in production and keep watching",
    "retrain": "retrain now on the history and the kiosk's month",
    "repair": "repair the kiosk's inputs before predicting",
    "collect": "stop predicting at the kiosk until more data is collected",
}


def _check_q3(answer: Any) -> Feedback:
    return expect_choice(
        answer,
        "keep",
        Q3_CHOICES,
        explanations={
            "retrain": (
                "wrong_choice",
                "The input alert asked a question and the live metric answered it: the cost "
                "meets the contract and is close to the best possible. A retrain "
                "costs work and risk (a new model to test and promote) for nothing to gain.",
            ),
            "repair": (
                "wrong_choice",
                "A repair fixes a broken input (a unit, a sensor, a spelling). The kiosk's "
                "ages are real ages of real students: nothing is broken, the clientele is new.",
            ),
            "collect": (
                "wrong_choice",
                "Stopping the service would cost the kiosk its predictions, while the labels "
                "say the model does well there. Collecting data goes on anyway: every month "
                "brings new labels.",
            ),
        },
        what=f"one of {', '.join(repr(c) for c in Q3_CHOICES)}",
        success="Right: the process decides, not the alarm. Keep v1, keep the monitor on, "
        "and let next month's labels confirm.",
    )


q3 = Exercise(
    NOTEBOOK,
    "q3",
    "Decide: keep, retrain, repair or collect?",
    prompt="The input-drift alert fired on age at the kiosk; the live metric is in. What "
    "should the team do? " + "; ".join(f"{k!r}: {v}" for k, v in Q3_TEXT.items()) + ".",
    expects=f"one of {', '.join(repr(c) for c in Q3_CHOICES)}",
    checker=_check_q3,
    hints=[
        "An alert says the inputs changed. Did the result change? Look at the cost and the "
        "gap to the best possible.",
        "Retrain when a model falls short of the contract or of what is possible; repair "
        "when an input is broken; keep when neither is true.",
        "The cost meets the contract and the gap is about zero: `q3.check('keep')`.",
    ],
    solution="decision = 'keep'\nq3.check(decision)",
    explanation="The drift is real but harmless: the relation between inputs and fruit is "
    "unchanged and the model already covers young customers.",
)


# =========================================================================== the capstone
#
# Notebook 10b: the learner changes the world (another seed) and the contract (other costs,
# another minimum), reruns the whole cycle, writes the verdict function ``decide``, and saves
# ``verdict.json`` and ``memo.md`` next to the cycle's ``summary.json``.

#: The verdict's keys, in the order the specification lists them.
VERDICT_KEYS = (
    "seed",
    "threshold",
    "test_expected_cost",
    "contract_minimum",
    "meets_contract",
    "decision",
    "retraining",
)
#: How close a copied figure must be (the summary rounds to 4 decimals).
VERDICT_TOL = 5e-4
#: A memo is short: enough words to argue, few enough to be read.
MEMO_WORDS = (50, 300)

MISTAKES.setdefault("course_world", "the course's own world or contract, not a changed one")
MISTAKES.setdefault("strict_inequality", "'<' where the contract says 'at most' (<=)")
MISTAKES.setdefault("course_minimum", "the course's minimum (0.042) instead of the contract's")
MISTAKES.setdefault("course_threshold", "the course's threshold (0.75) instead of the contract's")
MISTAKES.setdefault("wrong_direction", "a cost treated as a score: higher is not better")
MISTAKES.setdefault("decision_mismatch", "a decision that contradicts the verdict's own figures")
MISTAKES.setdefault(
    "retrain_without_evidence", "a retraining policy kept although it did not beat never"
)
MISTAKES.setdefault("memo_missing_figures", "a memo without the figures its decision rests on")
MISTAKES.setdefault("alert_means_worse", "an input alert read as a verdict on the model's cost")
MISTAKES.setdefault("typed_figures", "figures typed by hand instead of computed")


def reference_decide(summary: Mapping[str, Any]) -> dict:
    """The verdict the specification asks for, from a cycle's ``summary`` (the solution)."""
    t, y = summary["test"], summary["year"]
    meets = t["expected_cost"] <= t["contract_minimum"]
    helps = y["final_quarter_cost_with_policy"] < y["final_quarter_cost_never"]
    return {
        "seed": summary["seed"],
        "threshold": t["threshold"],
        "test_expected_cost": t["expected_cost"],
        "contract_minimum": t["contract_minimum"],
        "meets_contract": bool(meets),
        "decision": "deploy" if meets else "do not deploy",
        "retraining": summary["policy"] if helps else "never",
    }


def _summary(
    *,
    seed: int,
    cost: float,
    minimum: float,
    threshold: float,
    policy: str = "on_alert",
    with_policy: float = 0.030,
    never: float = 0.038,
) -> dict:
    """A cycle summary with only what the verdict reads: the held-back cases of q5."""
    return {
        "seed": seed,
        "policy": policy,
        "test": {
            "expected_cost": cost,
            "contract_minimum": minimum,
            "threshold": threshold,
            "best_expected_cost": round(cost * 0.85, 4),
            "accuracy": 0.8,
            "verdict": "meets the contract" if cost <= minimum else "fails the contract",
        },
        "year": {"final_quarter_cost_with_policy": with_policy, "final_quarter_cost_never": never},
    }


def _q5_cases() -> list[Case]:
    return [
        Case(
            args=(_summary(seed=11, cost=0.0312, minimum=0.05, threshold=0.8),),
            label="a world that meets a looser contract (seed 11, minimum 0.05, threshold 0.80)",
        ),
        Case(
            args=(_summary(seed=3, cost=0.0463, minimum=0.042, threshold=0.75, never=0.029),),
            label="a world that fails the contract and where retraining did not help (seed 3)",
        ),
        Case(
            args=(_summary(seed=5, cost=0.04, minimum=0.04, threshold=0.6, policy="schedule"),),
            label="a cost exactly at the contract's minimum (seed 5, 'at most 0.04')",
        ),
        Case(
            args=(_summary(seed=8, cost=0.0405, minimum=0.039, threshold=0.5),),
            label="a stricter contract with equal costs (seed 8, minimum 0.039, threshold 0.50)",
        ),
    ]


def _judge_q5(result: Any, case: Case) -> Feedback | None:
    summary = case.args[0]
    want = reference_decide(summary)
    t = summary["test"]
    if not isinstance(result, Mapping):
        return incorrect(
            f"`decide` must return a dict with the keys {', '.join(VERDICT_KEYS)}; it returned "
            f"{describe(result)}.",
            "wrong_type",
        )
    missing = [k for k in VERDICT_KEYS if k not in result]
    if missing:
        return incorrect(
            f"The verdict lacks {', '.join(repr(k) for k in missing)}: it needs exactly the keys "
            f"{', '.join(VERDICT_KEYS)}.",
            "missing_columns",
        )
    extra = [k for k in result if k not in VERDICT_KEYS]
    if extra:
        return incorrect(
            f"The verdict has keys the specification does not list: {', '.join(map(repr, extra))}.",
            "extra_columns",
        )
    for key in ("threshold", "test_expected_cost", "contract_minimum"):
        value = result[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            return incorrect(f"`{key}` must be a number, got {describe(value)}.", "wrong_type")
    if isinstance(result["seed"], bool) or not isinstance(result["seed"], int | np.integer):
        return incorrect(
            f"`seed` must be the whole number `summary['seed']`, got {describe(result['seed'])}.",
            "wrong_type",
        )
    if result["seed"] != want["seed"]:
        return incorrect(
            f"`seed` is {result['seed']!r}, but this summary's world is seed {want['seed']}: read "
            "it from `summary['seed']`, do not type it.",
            "wrong_value",
        )
    if abs(result["threshold"] - want["threshold"]) > VERDICT_TOL:
        if abs(result["threshold"] - 0.75) < VERDICT_TOL:
            return incorrect(
                "`threshold` is 0.75, the course's contract's. This contract has other costs, "
                "so another threshold: read it from `summary['test']['threshold']`.",
                "course_threshold",
            )
        return incorrect(
            f"`threshold` should be this contract's decision threshold, "
            f"`summary['test']['threshold']`; got {result['threshold']!r}.",
            "wrong_value",
        )
    for key, source in (
        ("test_expected_cost", "summary['test']['expected_cost']"),
        ("contract_minimum", "summary['test']['contract_minimum']"),
    ):
        if abs(result[key] - want[key]) > VERDICT_TOL:
            if key == "contract_minimum" and abs(result[key] - 0.042) < VERDICT_TOL:
                return incorrect(
                    "`contract_minimum` is 0.042, the course's contract's. Each contract sets its "
                    f"own: read `{source}`.",
                    "course_minimum",
                )
            return incorrect(f"`{key}` should be `{source}`; got {result[key]!r}.", "wrong_value")
    meets = result["meets_contract"]
    if not isinstance(meets, bool | np.bool_):
        return incorrect(
            f"`meets_contract` must be True or False, got {describe(meets)}.", "wrong_type"
        )
    if bool(meets) != want["meets_contract"]:
        cost, minimum = t["expected_cost"], t["contract_minimum"]
        if cost == minimum:
            return incorrect(
                f"The cost equals the minimum ({cost}), and the contract says *at most* the "
                "minimum: that meets it. Use `<=`, not `<`.",
                "strict_inequality",
            )
        if abs(minimum - 0.042) > VERDICT_TOL and (cost <= 0.042) == bool(meets):
            return incorrect(
                f"This contract's minimum is {minimum}, not the course's 0.042: compare the "
                "cost with `summary['test']['contract_minimum']`.",
                "course_minimum",
            )
        return incorrect(
            f"The cost is {cost} € per visit and the contract asks for at most {minimum}: a cost "
            "is better when it is *lower*, so it meets the contract when cost <= minimum.",
            "wrong_direction",
        )
    if result["decision"] not in ("deploy", "do not deploy"):
        return incorrect(
            "`decision` must be the text 'deploy' or 'do not deploy' (the verdict's words), "
            f"got {describe(result['decision'])}.",
            "wrong_type",
        )
    if result["decision"] != want["decision"]:
        return incorrect(
            f"`decision` is {result['decision']!r}, but the verdict says meets_contract="
            f"{want['meets_contract']}. A model that meets the contract is deployed "
            "('deploy'); one that does not is not ('do not deploy').",
            "decision_mismatch",
        )
    if result["retraining"] != want["retraining"]:
        y = summary["year"]
        return incorrect(
            f"`retraining` is {result['retraining']!r}. The policy '{summary['policy']}' ended the "
            f"year at {y['final_quarter_cost_with_policy']} € per visit against "
            f"{y['final_quarter_cost_never']} for never retraining: keep the policy only if it "
            "is cheaper, else 'never'.",
            "retrain_without_evidence",
        )
    return None


def _check_q5(answer: Any) -> Feedback | None:
    found = check_function(answer, _q5_cases(), _judge_q5, what="`decide`", params=("summary",))
    if found is not None and found.mistake == "raised" and "KeyError" in found.message:
        return Feedback(
            found.status,
            found.message + " The held-back summaries hold the keys the specification "
            "names - `seed`, `policy`, `test` (`expected_cost`, `contract_minimum`, "
            "`threshold`) and `year` (`final_quarter_cost_with_policy`, "
            "`final_quarter_cost_never`): read only those.",
            found.mistake,
        )
    return found


q5 = Exercise(
    NOTEBOOK,
    "q5",
    "The verdict function",
    prompt="Write `decide(summary)`: from a cycle's summary (the dict `run_cycle` returns), "
    "return the verdict as a dict with exactly these keys: `seed`; `threshold`, "
    "`test_expected_cost` and `contract_minimum` copied from `summary['test']`; "
    "`meets_contract` (True when the test cost is *at most* the minimum); `decision` "
    "('deploy' or 'do not deploy', following meets_contract); and `retraining`: the "
    "summary's `policy` if it ended the year cheaper than never retraining "
    "(`summary['year']`'s `final_quarter_cost_with_policy` < `final_quarter_cost_never`), "
    "else 'never'. It is checked on four summaries you have not seen (other seeds and "
    "contracts); figures to ± 0.0005.",
    expects="a function decide(summary) returning a dict",
    checker=_check_q5,
    hints=[
        "Start with `t = summary['test']` and `y = summary['year']`: every figure you need is "
        "in one of them. Print `my_summary['test']` to see the keys.",
        "The contract says the cost must be *at most* the minimum: `meets = "
        "t['expected_cost'] <= t['contract_minimum']`. A cost is better when lower.",
        "`retraining = summary['policy'] if y['final_quarter_cost_with_policy'] < "
        "y['final_quarter_cost_never'] else 'never'`; return a dict with the seven keys.",
    ],
    solution="""def decide(summary):
    t, y = summary["test"], summary["year"]
    meets = t["expected_cost"] <= t["contract_minimum"]
    helps = y["final_quarter_cost_with_policy"] < y["final_quarter_cost_never"]
    return {
        "seed": summary["seed"],
        "threshold": t["threshold"],
        "test_expected_cost": t["expected_cost"],
        "contract_minimum": t["contract_minimum"],
        "meets_contract": bool(meets),
        "decision": "deploy" if meets else "do not deploy",
        "retraining": summary["policy"] if helps else "never",
    }

q5.check(decide)""",
    success="Right on all four unseen summaries: the verdict follows from the figures.",
    explanation="Every figure comes from what the cycle measured, none is typed by hand; the "
    "decision follows from the contract the team signed (at most the minimum, at the "
    "contract's own threshold), and a retraining policy is kept only if it paid for itself.",
)


# --------------------------------------------------------------------------- q4: the run


def _is_summary(answer: Any) -> bool:
    return (
        isinstance(answer, Mapping)
        and {"seed", "test", "year", "policy"} <= set(answer)
        and isinstance(answer.get("test"), Mapping)
        and "expected_cost" in answer["test"]
    )


def _check_q4(answer: Any) -> Feedback | None:
    from course_utils import contract, world

    if not _is_summary(answer):
        return incorrect(
            "Expected the dict that `cycle.run_cycle(...)` returns (its summary), got "
            f"{describe(answer)}. Store it: `my_summary = cycle.run_cycle(capstone_dir, "
            "seed=MY_SEED, contract=my_contract)`.",
            "wrong_type",
        )
    t = answer["test"]
    same_seed = answer["seed"] == world.DEFAULT_SEED
    d = contract.DEFAULT
    same_contract = (
        abs(t.get("cost_false_banana", d.cost_false_banana) - d.cost_false_banana) < 1e-9
        and abs(t.get("cost_false_apple", d.cost_false_apple) - d.cost_false_apple) < 1e-9
        and abs(t["contract_minimum"] - d.minimum) < 1e-9
    )
    if same_seed and same_contract:
        return incorrect(
            "That is the course's own cycle: seed 42 and the course's contract. The capstone "
            "asks you to change the world: a seed other than 42 *and* a contract of your own "
            "(other costs, a minimum you can defend), then rerun.",
            "course_world",
        )
    if same_seed:
        return incorrect(
            "Your own contract - good - but the course's world, seed 42. Pick another seed "
            "(`MY_SEED`, any whole number other than 42) and rerun: the capstone is a world "
            "you have not seen.",
            "course_world",
        )
    if same_contract:
        return incorrect(
            f"Another world (seed {answer['seed']}) - good - but the course's contract "
            "(€0.30 / €0.10, at most 0.042). Edit the contract too: other costs for the two "
            "mistakes (the threshold follows) and a minimum you can defend.",
            "course_world",
        )
    return Feedback(
        "correct",
        f"Your cycle ran: seed {answer['seed']}, threshold {t['threshold']:.2f}, test cost "
        f"{t['expected_cost']:.4f} € per visit against a minimum of {t['contract_minimum']:.3f} "
        f"(perfect knowledge: {t['best_expected_cost']:.4f}). Read its report.md before you "
        "decide.",
    )


q4 = Exercise(
    NOTEBOOK,
    "q4",
    "Your world, your contract, the whole cycle",
    prompt="Pick a seed other than 42 (`MY_SEED`), make a contract of your own "
    "(`my_contract`: other costs for a false banana and a false apple, and a minimum you can "
    "defend), and run the whole cycle with them into `capstone_dir`. Check the summary it "
    "returns.",
    expects="the summary dict returned by cycle.run_cycle",
    checker=_check_q4,
    hints=[
        "`dataclasses.replace(contract.DEFAULT, cost_false_apple=0.20, minimum=0.05)` copies "
        "the course's contract with the fields you change.",
        "`cycle.run_cycle(folder, seed=..., contract=..., quick=True)` returns the summary "
        "and writes report.md next to it.",
        "`MY_SEED = 7`, `my_contract = dataclasses.replace(contract.DEFAULT, "
        "cost_false_apple=0.20, minimum=0.055)`, `my_summary = cycle.run_cycle(capstone_dir, "
        "seed=MY_SEED, contract=my_contract, quick=True)`.",
    ],
    solution="MY_SEED = 7\nmy_contract = dataclasses.replace(contract.DEFAULT, "
    "cost_false_apple=0.20, minimum=0.055)\nmy_summary = cycle.run_cycle(capstone_dir, "
    "seed=MY_SEED, contract=my_contract, quick=True)\nq4.check(my_summary)",
    explanation="The cycle is a function of the world and the contract: change either and "
    "every number of the report follows.",
)


# --------------------------------------------------------------------------- q6: the files

_NUMBER = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?)")


def _read_capstone(folder: Path) -> tuple[dict, Any, str] | Feedback:
    summary_path, verdict_path, memo_path = (
        folder / "summary.json",
        folder / "verdict.json",
        folder / "memo.md",
    )
    if not summary_path.is_file():
        return not_attempted(
            f"No cycle in {folder} yet (no summary.json): run exercise q4's cell first."
        )
    if not verdict_path.is_file() and not memo_path.is_file():
        return not_attempted(
            f"No verdict.json and no memo.md in {folder} yet: write them, then check again."
        )
    if not verdict_path.is_file():
        return incorrect(
            f"memo.md is there, but no verdict.json in {folder}: save `verdict` with "
            "`json.dumps(verdict, indent=2)`.",
            "missing_input",
        )
    if not memo_path.is_file():
        return incorrect(
            f"verdict.json is there, but no memo.md in {folder}: save your memo text there.",
            "missing_input",
        )
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    try:
        verdict = json.loads(verdict_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return incorrect(
            f"verdict.json is not valid JSON ({exc}). Write it with `json.dumps(verdict, "
            "indent=2)`, not by hand or with `str(verdict)` (single quotes, True/False are not "
            "JSON).",
            "wrong_type",
        )
    try:
        memo = memo_path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return incorrect(
            "memo.md is not UTF-8 text: write it with `encoding='utf-8'`.", "wrong_type"
        )
    return summary, verdict, memo


def _memo_mentions(memo: str, value: float) -> bool:
    """Whether the memo states ``value`` (a cost in € per visit) in some usual rounding."""
    numbers = []
    for token in _NUMBER.findall(memo):
        try:
            numbers.append(float(token.replace(",", ".")))
        except ValueError:
            continue
    return any(
        abs(n - value) <= 5e-4
        or abs(n - 100 * value) <= 0.05
        or (not float(n).is_integer() and abs(n - 1000 * value) <= 0.5)  # "37.4 per 1,000"
        for n in numbers
    )


def _check_q6(answer: Any) -> Feedback | None:
    if not isinstance(answer, str | os.PathLike):
        return incorrect(
            f"Expected the capstone folder (a path such as `capstone_dir`), got "
            f"{describe(answer)}.",
            "wrong_type",
        )
    folder = Path(answer)
    if not str(answer).strip() or not folder.is_dir():
        return incorrect(
            f"There is no folder {str(folder)!r}. Pass the capstone folder itself: "
            "`q6.check(capstone_dir)`.",
            "wrong_value",
        )
    read = _read_capstone(folder)
    if isinstance(read, Feedback):
        return read
    summary, verdict, memo = read
    if isinstance(verdict, Mapping) and verdict.get("seed") != summary.get("seed"):
        return incorrect(
            f"verdict.json is for seed {verdict.get('seed')!r}, but the cycle in this folder "
            f"ran seed {summary.get('seed')!r}: verdict.json is from an earlier run. Call "
            "`decide(my_summary)` again and save it after the last run.",
            "wrong_value",
        )
    problem = _judge_q5(verdict, Case(args=(summary,), label="verdict.json"))
    if problem is not None:
        return Feedback(
            problem.status,
            "verdict.json does not match what your cycle measured (summary.json): "
            + problem.message,
            problem.mistake,
        )
    words = len(memo.split())
    low, high = MEMO_WORDS
    if words < low:
        return incorrect(
            f"memo.md has {words} words: a decision memo needs {low} to {high} - what you "
            "changed, what the cycle measured, what you decide and why, and one risk.",
            "wrong_shape",
        )
    if words > high:
        return incorrect(
            f"memo.md has {words} words; keep it under {high}: a decision memo is read in a "
            "minute. Cut to what you changed, the figures, the decision and one risk.",
            "wrong_shape",
        )
    want = reference_decide(summary)
    decision_words = "do not deploy" if not want["meets_contract"] else "deploy"
    text = " ".join(memo.lower().replace("’", "'").split())  # line breaks count as spaces
    negated = re.search(r"(?:\bnot|n't|\bnever|\bno|\bcannot)\s+(?:\w+\s+)?deploy\b", text)
    if want["meets_contract"]:
        wrong = negated is not None or re.search(r"\bdeploy\b", text) is None
    else:
        wrong = re.search(r"\bdo not deploy\b", text) is None
    if wrong:
        said = ""
        if negated is not None and want["meets_contract"]:
            said = f" Your memo says {negated.group(0)!r}."
        return incorrect(
            f"The memo must state the decision in the verdict's words: '{decision_words}', "
            f"as verdict.json does.{said}",
            "decision_mismatch",
        )
    if not _memo_mentions(memo, summary["test"]["expected_cost"]):
        return incorrect(
            f"The memo does not give the test cost the decision rests on "
            f"({summary['test']['expected_cost']:.4f} € per visit, or in cents). A reader must "
            "see the figure, not just the conclusion.",
            "memo_missing_figures",
        )
    if not _memo_mentions(memo, summary["test"]["contract_minimum"]):
        return incorrect(
            f"The memo does not give the contract's minimum "
            f"({summary['test']['contract_minimum']:.3f} € per visit) the cost is compared with.",
            "memo_missing_figures",
        )
    return correct(
        f"verdict.json matches what your cycle measured and memo.md ({words} words) states the "
        "decision with its figures. That is the whole cycle, yours."
    )


q6 = Exercise(
    NOTEBOOK,
    "q6",
    "verdict.json and the decision memo",
    prompt=f"Save `decide(my_summary)` as `verdict.json` and a decision memo of "
    f"{MEMO_WORDS[0]}-{MEMO_WORDS[1]} words as `memo.md`, both in `capstone_dir`. The memo "
    "says what you changed, the test cost and the contract's minimum (figures to ± 0.0005 "
    "€, or in cents), the decision in the verdict's words ('deploy' / 'do not deploy') and "
    "one risk. The check compares verdict.json with the cycle's summary.json.",
    expects="the capstone folder (capstone_dir)",
    checker=_check_q6,
    hints=[
        "`(capstone_dir / 'verdict.json').write_text(json.dumps(verdict, indent=2))` writes "
        "real JSON (`str(verdict)` would not).",
        "Write the memo as a Python string, `memo = '''...'''`, then "
        "`(capstone_dir / 'memo.md').write_text(memo, encoding='utf-8')`. Use f-strings to "
        "put the figures in: `f\"{my_summary['test']['expected_cost']:.4f}\"`.",
        "Four short paragraphs: what I changed (seed, costs, minimum); what the cycle measured "
        "(test cost, minimum, best possible, the year); my decision ('deploy' or 'do not "
        "deploy') and the retraining policy; one risk I would watch.",
    ],
    solution="verdict = decide(my_summary)\n(capstone_dir / 'verdict.json').write_text("
    "json.dumps(verdict, indent=2))\n(capstone_dir / 'memo.md').write_text(memo, "
    "encoding='utf-8')\nq6.check(capstone_dir)",
    explanation="The verdict is computed, never typed; the memo puts the figures next to the "
    "decision so that a colleague can check it against report.md.",
)


# =========================================================================== wrap-up quizzes

wrapup_a = Quiz(
    NOTEBOOK,
    "wrapup_a",
    "Wrap-up quiz: the whole cycle",
    questions=[
        Question(
            "You run `cycle.run_cycle` twice with the same seed. What is guaranteed to be "
            "identical?",
            {
                "a": "the fit times it prints, as the same work is done",
                "b": "the registry's records, registration times included",
                "c": "report.md and summary.json, byte for byte",
            },
            answer="c",
            why={
                "a": "Timings depend on the machine and its load; that is why the report "
                "does not contain them.",
                "b": "The registry records *when* each model was registered, as it should; "
                "that is why it is not part of the report.",
                "c": "Yes: every random step is seeded, and the report leaves out what "
                "depends on the clock or the machine.",
            },
        ),
        Question(
            "An input-drift alert fired on age at the kiosk. What does it tell you?",
            {
                "a": "the model's cost has gone up, since its inputs have moved",
                "b": "the inputs moved; whether that hurts needs the labels",
                "c": "the model must be retrained on the new customers",
            },
            answer="b",
            why={
                "a": "An input alert looks at the inputs only; it cannot see the cost. At "
                "the kiosk the inputs moved and the cost did not go up.",
                "b": "Yes: an alert is a question, and the live metric answers it once the "
                "labels arrive.",
                "c": "A retrain is one possible answer, decided on the cost, not on the "
                "alert alone.",
            },
            tag="alert_means_worse",
        ),
        Question(
            "Why can the test-set cost not promise the kiosk's cost?",
            {
                "a": "the test rows came from the old clientele, not the kiosk's",
                "b": "the test set is too small for its cost to be trusted",
                "c": "the test set was used to tune the model, so it flatters it",
            },
            answer="a",
            why={
                "a": "Yes: a score holds for visits drawn like the test rows, and the kiosk's "
                "students are not.",
                "b": "Its bootstrap interval is narrow (notebook 06): size is not the "
                "problem, *who* is in it is.",
                "c": "It was not: the test rows stayed apart until notebook 06's one verdict.",
            },
            revisits="06",
        ),
        Question(
            "The on-alert policy of notebook 09 retrains on any alert, yet at the kiosk the "
            "team kept v1. Why is that consistent?",
            {
                "a": "the kiosk's alert was a false alarm: the ages did not really move",
                "b": "retraining never helps, so an alert is best ignored",
                "c": "the team decided on the live cost, which meets the contract",
            },
            answer="c",
            why={
                "a": "The drift is real - the ages did move. It is harmless, not false.",
                "b": "Too strong: a retrain on all the data is cheap and rarely hurts, and "
                "it can help when the world changes - though notebook 09 found much of its "
                "lead was luck of the weights, not a fix.",
                "c": "Yes: the policy retrains blindly because a retrain is cheap; a team "
                "with the labels can decide on them - here v1 is close to the best possible.",
            },
            revisits="09",
        ),
        Question(
            "Which change can an input monitor NOT see?",
            {
                "a": "families go off bananas; ages, kids and prices stay the same",
                "b": "students arrive, younger than the usual customers (covariate shift)",
                "c": "thermometers start reporting °F instead of °C, in November",
            },
            answer="a",
            why={
                "a": "Yes: the inputs look the same; only the labels - the live metric - show "
                "it (concept drift).",
                "b": "The ages move: the PSI of age flags it, as at the kiosk.",
                "c": "The temperatures jump: the data checks flag it.",
            },
            revisits="08",
        ),
        Question(
            "At the kiosk v1 costs €0.0204 per visit, less than on the test set (€0.0278). "
            "What does that show?",
            {
                "a": "the test set was too pessimistic, and its cost should be redone",
                "b": "a test score is no forecast for a new clientele, in either direction",
                "c": "students are easier customers, so the kiosk needs no more monitoring",
            },
            answer="b",
            why={
                "a": "The test cost is an honest estimate for visits drawn like the test "
                "rows; the kiosk's students are drawn differently - not a flaw of the test set.",
                "b": "Yes: the students' choices happen to be easier to predict; before the "
                "labels, nobody could know.",
                "c": "One good month says nothing about the next: the monitor and the live "
                "metric keep watching.",
            },
        ),
    ],
)

wrapup_b = Quiz(
    NOTEBOOK,
    "wrapup_b",
    "Wrap-up quiz: the capstone",
    questions=[
        Question(
            "A false apple now costs €0.20 (it was €0.10); a false banana still €0.30. What "
            "is the decision threshold?",
            {"a": "0.75", "b": "0.60", "c": "0.40"},
            answer="b",
            why={
                "a": "That is the course's contract; the threshold follows the costs.",
                "b": "Yes: 0.30 / (0.30 + 0.20) = 0.60. Say banana when P(banana) >= 0.60.",
                "c": "That is 0.20 / 0.50, upside down: the costlier a false *banana*, the "
                "surer you must be before saying banana.",
            },
            revisits="01",
        ),
        Question(
            "Why does `decide` copy the figures from the summary instead of typing them?",
            {
                "a": "typing figures by hand is slower and tedious",
                "b": "JSON cannot hold numbers that were typed by hand",
                "c": "so the verdict always matches what was measured",
            },
            answer="c",
            why={
                "a": "Speed is not the point: a typed figure silently goes stale.",
                "b": "JSON holds any number; the problem is where it comes from.",
                "c": "Yes: computed, it stays true when the cycle is rerun - the same reason "
                "the notebooks print every number their text uses.",
            },
            tag="typed_figures",
        ),
        Question(
            "The test cost equals the contract's minimum (the highest cost per visit it "
            "accepts) exactly. Does the model meet a contract that says 'at most the "
            "minimum'?",
            {
                "a": "no: the cost must stay strictly below it",
                "b": "yes: equal to the minimum is at most it",
            },
            answer="b",
            why={
                "a": "'At most' includes the minimum itself: `<=`, not `<`.",
                "b": "Yes: 'at most' includes equality (<=).",
            },
            revisits="06",
            tag="strict_inequality",
        ),
        Question(
            "With another seed, which step does the cycle NOT redo?",
            {
                "a": "the hyper-parameter search: notebook 05's setting is reused",
                "b": "cleaning and splitting: the first world's split is reused",
                "c": "the monitor's checks, which ran once for the course's own year",
            },
            answer="a",
            why={
                "a": "Yes: the search is not re-run; the memo should say so, as a limit.",
                "b": "It cleans and splits the new world's data the same way.",
                "c": "Every month of the new world is monitored.",
            },
            revisits="05",
        ),
        Question(
            "Your memo says 'deploy'. What makes that decision reversible?",
            {
                "a": "the service retrains itself whenever its live cost goes up",
                "b": "nothing: once deployed, a model cannot be withdrawn",
                "c": "the registry keeps every version; the alias can move back",
            },
            answer="c",
            why={
                "a": "The service only serves; retraining is a decision of the team.",
                "b": "The registry exists precisely so that it can be.",
                "c": "Yes: a rollback is one alias change, as in notebook 09.",
            },
            revisits="07",
        ),
        Question(
            "A colleague reruns your capstone with your seed and your contract. What should "
            "she get?",
            {
                "a": "the same summary.json and the same verdict.json",
                "b": "different figures, since the cycle draws random data",
                "c": "the same verdict only on an equally fast machine",
            },
            answer="a",
            why={
                "a": "Yes: everything random is seeded, and the verdict is computed from the "
                "summary.",
                "b": "Every random step is seeded: same seed, same figures.",
                "c": "Speed changes how long it takes, not what it finds.",
            },
        ),
    ],
)
