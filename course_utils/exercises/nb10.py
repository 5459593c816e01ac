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

from functools import cache
from typing import Any

from course_utils.exercises import (
    Exercise,
    Feedback,
    NearMiss,
    expect_choice,
    expect_number,
)

__all__ = ["q1", "q2", "q3"]

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
