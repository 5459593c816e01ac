"""Exercises of notebook 09 "Retrain": policies, champion versus challenger, retrain or repair.

In the notebook::

    from course_utils.exercises.nb09 import q1, q2, q3, q4

* ``q1`` - how many times a schedule of every 2 months retrains in the year (coaching for
  counting months, or the decision at the end of December, instead of retrains);
* ``q2`` - which policy retrains least for about the same final cost (the contract's
  metric; coaching for the policy that accuracy would pick);
* ``q3`` - the unit switch: retrain or repair?
* ``q4`` - the promoted challenger's expected cost on the newest labelled month, the
  evidence for keeping it or rolling back (a misconception check: scoring the challenger
  on the months it was trained on, with :mod:`course_utils.misconceptions`).

Expected values come from :mod:`course_utils.retraining` on the course's production year,
computed once and cached (the simulations share the notebook's fitted models).

>>> q3.evaluate(...).status
'not_attempted'
>>> q3.evaluate("repair").ok
True
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercises import (
    Exercise,
    Feedback,
    NearMiss,
    _is_estimator,
    _is_fitted,
    describe,
    expect_choice,
    expect_number,
    incorrect,
)

__all__ = ["q1", "q2", "q3", "q4"]

NOTEBOOK = "09"
#: q1's policy: a schedule of every ``Q1_PERIOD`` months.
Q1_PERIOD = 2
#: q2 ranks by the contract's metric: this column of :func:`course_utils.retraining.summary`
Q2_COLUMN = "final-quarter cost (€/visit)"
#: ... and "about the same final cost" = within this much (€ per visit) of the lowest.
SAME_COST = 0.001
#: q4: the challenger v2 learned from June-August (the last 3 labelled months before
#: September; months count from 0 = January) ...
CHALLENGER_LAST = 7
#: ... won on September (held out) and was kept on October ...
SELECTED_ON = 8
#: ... and November, new to both models, decides whether it stays.
EVIDENCE = 10
#: q4's tolerance, in € per visit.
TOL = 5e-5


def _year() -> Any:
    from course_utils import retraining

    return retraining.production_year()


# --------------------------------------------------------------------------- q1


@cache
def _q1_expected() -> dict[str, int]:
    """Retrains of a few schedules, counted with the policy's own rule (no model needed)."""
    from course_utils import retraining

    n = len(_year())

    def count(period: int) -> int:
        return sum(retraining.decide("schedule", i, period=period)[0] for i in range(n - 1))

    return {"n_months": n, "expected": count(Q1_PERIOD), "every": count(1), "three": count(3)}


def _check_q1(answer: Any) -> Feedback:
    e = _q1_expected()
    n = e["n_months"]
    with_december = e["expected"] + 1
    return expect_number(
        answer,
        e["expected"],
        tol=0,
        integer=True,
        lo=0,
        hi=n,
        what="a whole number (how many times the policy retrained)",
        near_misses=[
            NearMiss(
                n,
                "rows_not_unique",
                "That is the number of months in the log - every row, not the retrains. Count "
                "only the rows where `retrain` is True: `sim.log['retrain'].sum()`.",
            ),
            NearMiss(
                n - 1,
                "rows_not_unique",
                "That is the number of decisions (one at the end of each month but the last), "
                "not the number of retrains. Most decisions say 'not due'. Count the rows "
                "where `retrain` is True.",
            ),
            NearMiss(
                with_december,
                "wrong_value",
                "Did you divide the year by the period? That counts a retrain at the end of "
                "December too - but a model retrained at the end of the year would only serve "
                "next year, so the simulation does not make that decision. Count the True "
                "values of the log's `retrain` column instead.",
            ),
            NearMiss(
                e["every"],
                "wrong_value",
                "That is how often the 'every month' schedule retrains. Run the simulation "
                f"with `period={Q1_PERIOD}`.",
            ),
            NearMiss(
                e["three"],
                "wrong_value",
                "That is how often the 'every 3 months' schedule retrains. Run the simulation "
                f"with `period={Q1_PERIOD}`.",
            ),
        ],
        wrong=f"Not the number of retrains of the schedule with `period={Q1_PERIOD}`. Run "
        f"`retraining.simulate('schedule', period={Q1_PERIOD})` and count the True values of "
        "its log's `retrain` column.",
        success="Remember the first decision: at the end of January no label has arrived "
        "yet, so there is nothing to retrain on - labels come a month late.",
    )


q1 = Exercise(
    NOTEBOOK,
    "q1",
    "How often does a schedule retrain?",
    prompt=f"Simulate the year with a retraining schedule of every {Q1_PERIOD} months "
    "(`retraining.simulate('schedule', period=...)`, all data). How many times does it "
    "retrain? Give a whole number.",
    expects="a whole number",
    checker=_check_q1,
    hints=[
        "The simulation's `log` has one row per month; the column `retrain` says whether the "
        "policy retrained at the end of that month.",
        "True counts as 1 and False as 0, so the sum of a True/False column counts the "
        "Trues. Look at the `reason` column too: why is there no retrain at the end of "
        "January, nor at the end of December?",
        f"`sim = retraining.simulate('schedule', period={Q1_PERIOD})` then "
        "`int(sim.log['retrain'].sum())` (or `sim.retrains`).",
    ],
    solution=f"sim2 = retraining.simulate('schedule', period={Q1_PERIOD})\n"
    "n_retrains = int(sim2.log['retrain'].sum())\nq1.check(n_retrains)",
    explanation="Each row of the log is a month; `retrain` is True where the policy decided "
    "to retrain at the end of that month. Its sum counts the retrains.",
)


# --------------------------------------------------------------------------- q2


@cache
def _q2_table() -> pd.DataFrame:
    from course_utils import retraining

    return retraining.summary(retraining.standard_policies(_year()))


def _fewest(table: pd.DataFrame, column: str, tol: float, lower_is_better: bool) -> list[str]:
    """The policies with the fewest retrains among those within ``tol`` of the best."""
    values = table[column]
    if lower_is_better:
        good = table[values <= values.min() + tol + 1e-9]
    else:
        good = table[values >= values.max() - tol - 1e-9]
    return list(good.index[good["retrains"] == good["retrains"].min()])


def _accuracy_column(table: pd.DataFrame) -> str:
    return next(c for c in table.columns if c.startswith("final-quarter accuracy"))


def _q2_expected() -> tuple[str, list[str], pd.DataFrame]:
    table = _q2_table()
    best = _fewest(table, Q2_COLUMN, SAME_COST, lower_is_better=True)
    return best[0], best, table


def _check_q2(answer: Any) -> Feedback:
    expected, accepted, table = _q2_expected()
    final = table[Q2_COLUMN]
    top = final.min()
    by_accuracy = _fewest(table, _accuracy_column(table), 0.005, lower_is_better=False)
    explanations: dict[str, tuple[str, str]] = {}
    for label in table.index:
        if label in accepted:
            continue
        n = int(table.loc[label, "retrains"])
        behind = final[label] - top
        if label in by_accuracy:
            text = (
                f"'{label}' is what the final-quarter *accuracy* would pick - but accuracy "
                "counts a false banana and a false apple alike, while the contract says a "
                f"false banana costs {_contract().cost_ratio:g} times a false apple. Rank by "
                "the contract's metric: the "
                "final-quarter cost (€ per visit), lower is better."
            )
            explanations[label] = ("accuracy_with_skewed_costs", text)
            continue
        if behind > SAME_COST + 1e-9:
            text = (
                f"'{label}' ends the year clearly more expensive than the best policies (look "
                "at the final-quarter cost), so it does not reach 'about the same final "
                "cost'. Fewer retrains only count among the policies that end the year "
                "about as cheaply as the best."
            )
            if n == 0:
                text = (
                    "Never retraining retrains least, of course - but it ends the year "
                    "clearly more expensive than the best policies. The question asks for "
                    "the fewest retrains among the policies that end the year about as "
                    "cheaply as the best."
                )
        else:
            text = (
                f"'{label}' ends the year about as cheaply, but it retrains {n} times. Another "
                "policy gets there with fewer retrains: compare the `retrains` column of "
                "the policies with about the same final-quarter cost."
            )
        explanations[label] = ("wrong_choice", text)
    return expect_choice(
        answer,
        accepted,
        list(table.index),
        explanations=explanations,
        what="one of the policy names of the table (e.g. 'never')",
        success="More retrains are not better: what matters is retraining when there is "
        "something new to learn, on enough data. Each retrain costs compute, review and risk.",
    )


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "Fewest retrains for about the same final cost",
    prompt="Look at the table of policies. Among the policies whose final-quarter cost "
    f"(€ per visit, the contract's metric) is within {SAME_COST} € of the lowest (1 € per "
    "1,000 visits), which one retrains least? Give its name as in the table, e.g. 'on "
    "alert, all data'.",
    expects="a policy name from the table",
    checker=_check_q2,
    hints=[
        f"Two columns matter: '{Q2_COLUMN}' and 'retrains'. The contract judges by cost, "
        "so lower is better.",
        f"First keep the policies whose final-quarter cost is at most {SAME_COST} above the "
        "smallest one; then pick the one with the smallest number of retrains.",
        f"`cost = table['{Q2_COLUMN}']`, `good = table[cost <= cost.min() + {SAME_COST}]` "
        "then `good['retrains'].idxmin()`.",
    ],
    solution=f"cost = table['{Q2_COLUMN}']\n"
    f"good = table[cost <= cost.min() + {SAME_COST}]\n"
    "fewest = good['retrains'].idxmin()\nq2.check(fewest)",
    explanation="Keep the policies that end the year about as cheaply as the best (in the "
    "contract's metric), then take the one with the fewest retrains.",
)


# --------------------------------------------------------------------------- q3

Q3_CHOICES = ("retrain", "repair", "roll back", "wait")


def _check_q3(answer: Any) -> Feedback:
    return expect_choice(
        answer,
        "repair",
        Q3_CHOICES,
        explanations={
            "retrain": (
                "wrong_choice",
                "Retraining needs labelled °F months first, and labels arrive a month late - "
                "so the model stays broken for at least a month. And a model that learned "
                "'50 degrees means cold' depends on the bug: wherever °F and °C readings meet "
                "(a store updated later, a fixed sensor, a freezing day) it can only guess. "
                "The world did not change; the data did.",
            ),
            "roll back": (
                "wrong_choice",
                "Every earlier version was trained on °C too: an older model reads 50 °F as "
                "a heat wave just the same. Rolling back helps when a new model is the "
                "problem - here the input is.",
            ),
            "wait": (
                "wrong_choice",
                "The alert is not noise: every temperature is now dozens of 'degrees' too "
                "high, and the model acts as if every day were hot. Waiting keeps the damage "
                "going for as long as the sensor reports °F.",
            ),
        },
        what=f"one of {', '.join(repr(c) for c in Q3_CHOICES)}",
        success="The data broke, not the world: convert the readings back to °C (and make "
        "the data validation stop bad readings before they reach the model). The model is "
        "fine again the same day, and nothing depends on the bug.",
    )


q3 = Exercise(
    NOTEBOOK,
    "q3",
    "The unit switch: retrain or repair?",
    prompt="In November the data validation alert fires: every store's thermometer now "
    "reports degrees Fahrenheit. What should the team do first? Answer one of "
    f"{', '.join(repr(c) for c in Q3_CHOICES)}.",
    expects=f"one of {', '.join(repr(c) for c in Q3_CHOICES)}",
    checker=_check_q3,
    hints=[
        "Ask what changed: how customers choose fruit, or how a number is written down?",
        "Retraining teaches a model a new relation between inputs and labels. Has the "
        "relation between the real temperature and bananas changed?",
        "Fix the input: convert °F back to °C before predicting, as notebook 03 did for "
        "Riverside's thermometer.",
    ],
    solution="first_move = 'repair'\nq3.check(first_move)",
    explanation="The relation between temperature and fruit is unchanged; only the unit of "
    "the reported number changed. Repairing the input restores the model at once.",
)


# --------------------------------------------------------------------------- q4


def _contract() -> Any:
    return _year().contract


def _scores(estimator: Any, X: pd.DataFrame, y: pd.Series) -> dict:
    from course_utils import monitoring

    proba = estimator.predict_proba(X)
    column = [str(c) for c in estimator.classes_].index("banana")
    return monitoring.live_metrics(y, proba[:, column], _contract())


def _cost_scorer(estimator: Any, X: pd.DataFrame, y: pd.Series) -> float:
    """The contract's expected cost per visit (€), at its threshold."""
    return float(_scores(estimator, X, y)["expected_cost"])


@cache
def _reference_challenger() -> Any:
    from course_utils import retraining

    return retraining.retrain(_year(), CHALLENGER_LAST, window="recent")


def _same_model(a: Any, b: Any, X: pd.DataFrame) -> bool:
    try:
        pa, pb = a.predict_proba(X), b.predict_proba(X)
    except Exception:
        return False
    return pa.shape == pb.shape and bool(np.allclose(pa, pb, atol=1e-9))


def _check_q4(answer: Any, model: Any) -> Feedback:
    from course_utils import misconceptions, retraining

    if not _is_estimator(model):
        return incorrect(
            f"`model=` should be the challenger `v2` (a fitted pipeline), got {describe(model)}.",
            "wrong_type",
        )
    if _is_fitted(model) is False:
        return incorrect(
            "The model you passed is not fitted. Pass the challenger `v2`, fitted on June to "
            "August, as in the notebook.",
            "not_fitted",
        )
    year = _year()
    names = [pd.Period(p, freq="M").strftime("%B") for p in year.periods]
    X_new, y_new = year.repaired_inputs(EVIDENCE), year.labels(EVIDENCE)
    probe = X_new.head(300)
    if _same_model(model, year.first_model(), probe):
        return incorrect(
            "The model you passed is the old champion v1, not the challenger. Pass `model=v2` "
            "and v2's cost.",
            "wrong_value",
        )
    if not _same_model(model, _reference_challenger(), probe):
        return incorrect(
            "The model you passed is not the notebook's challenger (a fresh pipeline fitted "
            "on June to August). Pass `model=v2`.",
            "wrong_value",
        )
    # The misconception first: a score measured on the rows the challenger learned from.
    X_train, y_train = retraining.training_window(year, CHALLENGER_LAST, window="recent")
    on_train = misconceptions.scored_on_training_rows(
        answer, model, X_train, y_train, X_new, y_new, scoring=_cost_scorer, tol=TOL
    )
    if on_train is not None:
        return on_train
    training_months = range(CHALLENGER_LAST - 2, CHALLENGER_LAST + 1)
    misses = [
        NearMiss(
            _cost_scorer(model, year.repaired_inputs(i), year.labels(i)),
            "scored_on_train",
            f"That is v2's cost on {names[i]} - a month it was trained on, so it looks better "
            "than it will do on new visits. Only a month that neither model learned from can "
            f"decide: {names[EVIDENCE]}, whose labels have just arrived.",
        )
        for i in training_months
    ]
    used = {SELECTED_ON: "to promote it", SELECTED_ON + 1: "to keep it a month ago"}
    misses += [
        NearMiss(
            _cost_scorer(model, year.repaired_inputs(i), year.labels(i)),
            "wrong_value",
            f"That is v2's cost on {names[i]}: evidence that was already used ({why}). The "
            f"question is about {names[EVIDENCE]}, whose labels have just arrived.",
        )
        for i, why in used.items()
    ]
    misses += [
        NearMiss(
            _cost_scorer(model, year.inputs(EVIDENCE), y_new),
            "wrong_value",
            f"That is v2's cost on {names[EVIDENCE]}'s inputs as reported, in °F. The team "
            "repairs the temperature before predicting now: use `cost_on`, which scores on "
            "the repaired inputs.",
        ),
        NearMiss(
            _cost_scorer(year.first_model(), X_new, y_new),
            "wrong_value",
            "That is the old champion's (v1's) cost. The question asks for the challenger's: "
            "use v2.",
        ),
        NearMiss(
            float(_scores(model, X_new, y_new)["accuracy"]),
            "wrong_value",
            "That looks like an accuracy. The contract judges by the expected cost per visit "
            "(€): use `cost_on(v2, ...)`.",
        ),
    ]
    expected = _cost_scorer(model, X_new, y_new)
    return expect_number(
        answer,
        expected,
        tol=TOL,
        lo=0,
        what="an expected cost in € per visit (a small positive number)",
        near_misses=misses,
        wrong=f"Not v2's expected cost on {names[EVIDENCE]}. Use the notebook's "
        "`cost_on(model, month)`; months count from 0 = January.",
        success="That is the honest evidence: a month that neither model was trained on, "
        "nor chosen on. Now compare it with the champion's cost on the same month.",
    )


q4 = Exercise(
    NOTEBOOK,
    "q4",
    "Is the new champion still better?",
    prompt="It is the end of December: November's labels have just arrived. What is the "
    "expected cost per visit (€) of v2 - the challenger promoted at the end of October - on "
    "November's visits (inputs repaired)? It decides whether v2 stays in production. "
    "Checked to ± 0.00005 (don't round).",
    expects="an expected cost in € per visit",
    inputs={"model": "the model you scored: `v2`"},
    checker=_check_q4,
    hints=[
        "Which months did v2 learn from, and which months were already used to promote and "
        "keep it? None of them may decide now: only new evidence counts.",
        "Months count from 0 = January, so November is month 10. The notebook's "
        "`cost_on(model, month)` gives a model's expected cost on a month's repaired inputs.",
        "`v2_cost_november = cost_on(v2, 10)` then `q4.check(v2_cost_november, model=v2)`.",
    ],
    solution="v2_cost_november = cost_on(v2, 10)  # November: new to both models\n"
    "q4.check(v2_cost_november, model=v2)",
    explanation="v2 was trained on June-August, promoted on September and kept on October. "
    "November's labels are new to both models: the fair evidence.",
)
