"""Exercises of notebook 09 "Retrain" (parts 09a and 09b).

In the notebooks::

    from course_utils.exercises.nb09 import q1, wrapup_a  # 09a
    from course_utils.exercises.nb09 import q2, q3, wrapup_b  # 09b

* ``q1`` - a build task: the learner writes the retraining loop of a schedule,
  ``run_schedule(history, months, every, fit, cost)``; the check *runs* it on towns and
  months the notebook never shows (other seeds, fewer months, months of different sizes)
  and names the typical slips: look-ahead (learning from a month whose labels have not
  arrived), scoring a month with a model trained on it, never putting the retrained model
  in production, a window of the last month only or without the history, a schedule off
  by one, and the plain mean of months of different sizes where the cost per visit is
  asked;
* ``q2`` - the unit switch: retrain or repair?
* ``q3`` - the promoted challenger's expected cost on the newest labelled month, the
  evidence for keeping it or rolling back (a misconception check: scoring the challenger
  on the months it was trained on, with :mod:`course_utils.misconceptions`);
* ``wrapup_a``, ``wrapup_b`` - the wrap-up quizzes of the two parts.

Expected values come from :mod:`course_utils.retraining` on the course's production year,
computed once and cached (the simulations share the notebook's fitted models).

>>> q2.evaluate(...).status
'not_attempted'
>>> q2.evaluate("repair").ok
True
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercises import (
    MISTAKES,
    Exercise,
    Feedback,
    NearMiss,
    _as_real,
    _is_estimator,
    _is_fitted,
    describe,
    expect_choice,
    expect_number,
    incorrect,
)

__all__ = ["q1", "q2", "q3", "wrapup_a", "wrapup_b"]

NOTEBOOK = "09"

# q1's slips reuse tags of other notebooks (defined there too): look-ahead is notebook
# 02's point-in-time leak; a loop that never changes its model serves "another model".
MISTAKES.setdefault("wrong_model", "the check was given another model than the one being tested")
MISTAKES.setdefault(
    "future_information",
    "a feature built from information after the moment of prediction (point-in-time leak)",
)
#: q3: the challenger v2 learned from June-August (the last 3 labelled months before
#: September; months count from 0 = January) ...
CHALLENGER_LAST = 7
#: ... won on September (held out) and was kept on October ...
SELECTED_ON = 8
#: ... and November, new to both models, decides whether it stays.
EVIDENCE = 10
#: q3's tolerance, in € per visit.
TOL = 5e-5


def _year() -> Any:
    from course_utils import retraining

    return retraining.production_year()


# --------------------------------------------------------------------------- q1 (build)

#: q1's function: its name and parameters, as the notebook's skeleton gives them.
Q1_PARAMS = ("history", "months", "every", "fit", "cost")
#: Costs are compared to this (€ per visit): the given ``cost`` is exact, so only a
#: different model or a different month can move a number by more.
Q1_TOL = 1e-9

#: The worlds q1 is run on - never the notebook's year: (label, seed, months as
#: (scenario, visits), every). Months of different sizes, so a plain mean of the monthly
#: costs is not the cost per visit.
Q1_WORLDS = (
    (
        "six months of another town (seed 7), retrain every 2 months",
        7,
        (
            ("seasonality", 900),
            ("taste_change", 400),
            ("taste_change", 1200),
            ("taste_change", 700),
            ("unit_switch", 1500),
            ("seasonality", 500),
        ),
        2,
    ),
    (
        "five months of a third town (seed 11), retrain every 3 months",
        11,
        (
            ("seasonality", 1300),
            ("covariate_shift", 600),
            ("taste_change", 1000),
            ("taste_change", 800),
            ("taste_change", 450),
        ),
        3,
    ),
    (
        "four months of a fourth town (seed 23), retrain every month",
        23,
        (
            ("seasonality", 700),
            ("taste_change", 1100),
            ("taste_change", 500),
            ("seasonality", 900),
        ),
        1,
    ),
)


def _xy_month(visits: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """A month's (inputs, labels), with the dtypes of :meth:`retraining.Year.inputs`."""
    from course_utils import world

    X = visits[world.FEATURES].copy()
    X["age"] = X["age"].astype(float)
    X["has_kids"] = X["has_kids"].astype(float)
    X["loyalty_member"] = X["loyalty_member"].astype(int)
    return X, visits[world.TARGET].astype(object)


def _content_key(part: Any) -> tuple:
    X, y = part
    return (
        len(X),
        int(pd.util.hash_pandas_object(X, index=False).sum()),
        int(pd.util.hash_pandas_object(y, index=False).sum()),
    )


def make_fit() -> Any:
    """``fit(parts)``: a fresh tuned pipeline fitted on a list of ``(X, y)`` parts.

    The same windows give the same model, so the fits are cached by the parts' contents
    (the checks run several loops on the same months).
    """
    from course_utils import retraining

    cache: dict[tuple, Any] = {}

    def fit(parts: list) -> Any:
        """A fresh model (notebook 05's tuned pipeline) fitted on the rows of ``parts``."""
        parts = list(parts)
        if not parts:
            raise ValueError("fit() got no rows: give it a list of (X, y) pairs, history first.")
        key = tuple(_content_key(p) for p in parts)
        if key not in cache:
            X = pd.concat([p[0] for p in parts], ignore_index=True)
            y = pd.concat([p[1] for p in parts], ignore_index=True)
            for col in ("store", "promo"):  # categories survive the concat only if they match
                X[col] = X[col].astype(object)
            cache[key] = retraining._fit(X, y)
        return cache[key]

    return fit


def make_cost(contract: Any = None) -> Any:
    """``cost(model, X, y)``: the contract's expected cost per visit (€) of the model's
    decisions on ``X``, scored with the labels ``y``."""
    from course_utils import contract as contract_module
    from course_utils import monitoring, retraining

    signed = contract_module.load(quiet=True) if contract is None else contract

    def cost(model: Any, X: pd.DataFrame, y: pd.Series) -> float:
        """Expected cost per visit (€) at the contract's threshold."""
        p_banana = retraining._banana_proba(model, X)
        return float(monitoring.live_metrics(y, p_banana, signed)["expected_cost"])

    return cost


@cache
def _q1_cases() -> tuple:
    from course_utils import drift
    from course_utils.exercises.functions import Case

    fit, cost = make_fit(), make_cost()
    cases = []
    for label, seed, plan, every in Q1_WORLDS:
        history_months = [
            _xy_month(drift.month(f"2025-{m:02d}", seed=seed, n_visits=500).visits)
            for m in range(1, 7)
        ]
        history = (
            pd.concat([h[0] for h in history_months], ignore_index=True),
            pd.concat([h[1] for h in history_months], ignore_index=True),
        )
        months = [
            _xy_month(drift.month(f"2026-{k + 1:02d}", scenario, seed=seed, n_visits=n).visits)
            for k, (scenario, n) in enumerate(plan)
        ]
        cases.append(Case(args=(history, months, every, fit, cost), label=label))
    return tuple(cases)


def _replay(
    history: Any,
    months: list,
    every: int,
    fit: Any,
    cost: Any,
    *,
    due: Any = None,
    window: Any = None,
    before: bool = False,
) -> list[float]:
    """The monthly costs of a schedule - the right one, or a typical slip.

    ``due(i)``: retrain at the end of month ``i``? (default: ``(i + 1) % every == 0``);
    ``window(i)``: the parts a retrain at the end of month ``i`` learns from (default: the
    history and months ``0 .. i - 1``, the ones with labels); ``before``: retrain at the
    start of the month instead (the model then serves the month it learned from).
    """
    due = due or (lambda i: (i + 1) % every == 0)
    window = window or (lambda i: [history, *months[:i]])
    model = fit([history])
    monthly = []
    for i, (X, y) in enumerate(months):
        if before and due(i):
            model = fit(window(i))
        monthly.append(cost(model, X, y))
        if not before and due(i):
            model = fit(window(i))
    return monthly


def _q1_slips(history: Any, months: list, every: int) -> list[tuple[str, str, dict]]:
    """The typical wrong loops: (tag, message, arguments of :func:`_replay`)."""
    off = [s for s in range(1, max(every, 2)) if s != every]
    slips: list[tuple[str, str, dict]] = [
        (
            "wrong_model",
            "Every month costs what the first model costs: your loop never put a retrained "
            "model into production. When a retrain is due, fit a fresh model and *assign* "
            "it - `model = fit(...)` - so that it serves from the next month.",
            {"due": lambda i: False},
        ),
        (
            "future_information",
            "Look-ahead: at the end of month i your retrain learned from month i itself - but "
            "its labels (what the customers bought) arrive only a month later. In production "
            "that model could not exist yet. Learn from the history and months 0 .. i-1 only "
            "(`months[:i]`).",
            {"window": lambda i: [history, *months[: i + 1]]},
        ),
        (
            "scored_on_train",
            "Your model is scored on a month it learned from: you refitted *before* scoring "
            "the month, on data that includes it. Score the model in production first; the "
            "decision to retrain comes at the end of the month, and its model serves the "
            "next one.",
            {"window": lambda i: [history, *months[: i + 1]], "before": True},
        ),
        (
            "scored_on_train",
            "Your model is scored on a month it learned from: you refitted *before* scoring "
            "the month, on data that includes it. Score the model in production first; the "
            "decision to retrain comes at the end of the month, and its model serves the "
            "next one.",
            {
                "window": lambda i: [history, *months[: i + 1]],
                "before": True,
                "due": lambda i: i % every == 0 and i > 0,
            },
        ),
        (
            "wrong_rows",
            "Your retrains learned from the last labelled month only. The policy says *all "
            "the data*: the history plus every month whose labels have arrived - "
            "`[history] + months[:i]`.",
            {"window": lambda i: [months[i - 1]] if i >= 1 else [history]},
        ),
        (
            "wrong_rows",
            "Your retrains learned from the history and the last labelled month only. The "
            "policy says *all the data*: the history plus *every* month whose labels have "
            "arrived - `[history] + months[:i]`.",
            {"window": lambda i: [history, months[i - 1]] if i >= 1 else [history]},
        ),
        (
            "wrong_rows",
            "Your retrains forgot the history: they learned from the production months "
            "only. The policy says *all the data*: the history first, then every labelled "
            "month - `[history] + months[:i]`.",
            {"window": lambda i: list(months[:i]) or [history]},
        ),
    ]
    for s in off:
        slips.append(
            (
                "wrong_value",
                "Your retrains happen in the wrong months: the schedule is shifted. Months "
                "count from 0, so month i is the (i + 1)-th: a retrain is due at the end of "
                "month i when `(i + 1) % every == 0` - with `every=3`, at the end of months "
                "2, 5, 8 (March, June, September).",
                {"due": lambda i, s=s: (i + 1 + s) % every == 0},
            )
        )
    if every == 1:
        slips.append(
            (
                "wrong_value",
                "Your retrains happen in the wrong months: with `every=1` a retrain is due "
                "at the end of *every* month, month 0 included (it learns from the history "
                "alone, as no label has arrived yet).",
                {"due": lambda i: i % 2 == 1},
            )
        )
    return slips


def _same(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and bool(np.allclose(a, b, rtol=0, atol=Q1_TOL))


def _as_costs(values: Any, n: int) -> list[float] | Feedback:
    if isinstance(values, str | bytes | dict) or not hasattr(values, "__len__"):
        return incorrect(
            "`monthly` should be a list with one cost per month (€ per visit), got "
            f"{describe(values)}.",
            "wrong_type",
        )
    if len(values) != n:
        return incorrect(
            f"`monthly` should hold one cost per month - {n} here - but it has "
            f"{len(values)}. Append the cost of each month once, in order.",
            "wrong_shape",
        )
    out = []
    for v in list(values):
        real = _as_real(v, "each monthly cost")
        if isinstance(real, Feedback):
            return incorrect(
                "Each entry of `monthly` should be a number (the month's cost per visit, "
                f"from `cost(model, X, y)`), got {describe(v)}.",
                "wrong_type",
            )
        out.append(real)
    return out


def _judge_q1(result: Any, case: Any) -> Feedback | None:
    history, months, every, fit, cost = case.args
    if not isinstance(result, tuple | list) or len(result) != 2:
        return incorrect(
            "Return two things, `return monthly, per_visit`: the list of monthly costs and "
            f"the year's cost per visit. Got {describe(result)}.",
            "wrong_type",
        )
    monthly, per_visit = result
    costs = _as_costs(monthly, len(months))
    if isinstance(costs, Feedback):
        return costs
    expected = _replay(history, months, every, fit, cost)
    if not _same(costs, expected):
        for tag, message, how in _q1_slips(history, months, every):
            if _same(costs, _replay(history, months, every, fit, cost, **how)):
                return incorrect(message, tag)
        if not np.all(np.isfinite(np.asarray(costs, dtype=float))):
            return incorrect(
                "Some of your monthly costs are not numbers (NaN or infinite): each month's "
                "cost is `cost(model, X, y)` of the model serving it - a number for every "
                "month, even when no retrain was due.",
                "wrong_value",
            )
        if np.allclose(np.round(expected, 4), costs, atol=1e-9) or np.allclose(
            np.round(expected, 3), costs, atol=1e-9
        ):
            return incorrect(
                "Your monthly costs are right but rounded. Return the numbers as `cost` gives "
                "them: round only when you print.",
                "wrong_value",
            )
        first = next(
            (
                i
                for i, (a, b) in enumerate(zip(costs, expected, strict=True))
                if not abs(a - b) <= Q1_TOL
            ),
            0,
        )
        if first == 0:
            return incorrect(
                "Month 0 is already off: the first month is served by the first model, "
                "`fit([history])`, scored with `cost(model, X, y)` on that month.",
                "wrong_value",
            )
        return incorrect(
            f"Months 0 to {first - 1} are right, month {first} is not: check which model "
            f"serves month {first} - the last one put in production at the end of a month "
            "when a retrain was due, trained on the history and the labelled months.",
            "wrong_value",
        )
    sizes = [len(y) for _, y in months]
    right = float(np.dot(costs, sizes) / sum(sizes))
    plain = float(np.mean(costs))
    if (
        not isinstance(_as_real(per_visit, "per_visit"), Feedback)
        and abs(plain - right) > Q1_TOL
        and abs(float(per_visit) - plain) <= Q1_TOL
    ):
        return incorrect(
            "Your monthly costs are right, but `per_visit` is the plain mean of the months' "
            f"costs. The months differ in size (here {min(sizes):,} to {max(sizes):,} visits), "
            "so a small month would weigh as much as a big one. The year's cost per visit is "
            "all its euros over all its visits: weight each month's cost by its number of "
            "visits, `len(y)`.",
            "wrong_value",
        )
    return _per_visit_problem(per_visit, right)


def _per_visit_problem(per_visit: Any, right: float) -> Feedback | None:
    fb = expect_number(
        per_visit,
        right,
        tol=Q1_TOL,
        lo=0,
        what="`per_visit`, the year's cost per visit (€, a small positive number)",
        wrong="Your monthly costs are right, but `per_visit` is not the year's cost per "
        "visit: add up each month's euros (its cost per visit times its visits) and divide "
        "by all the visits.",
    )
    return None if fb.ok else fb


def _check_q1(answer: Any) -> Feedback | None:
    from course_utils.exercises.functions import check_function

    return check_function(answer, _q1_cases(), _judge_q1, what="`run_schedule`", params=Q1_PARAMS)


Q1_SOLUTION = """\
def run_schedule(history, months, every, fit, cost):
    model = fit([history])  # in production on day one
    monthly, euros, visits = [], 0.0, 0
    for i, (X, y) in enumerate(months):
        monthly.append(cost(model, X, y))  # this month, by the model in production
        euros += monthly[-1] * len(y)
        visits += len(y)
        if (i + 1) % every == 0:  # the end of every `every`-th month
            model = fit([history] + months[:i])  # labels known up to month i - 1
    return monthly, euros / visits


q1.check(run_schedule)"""

q1 = Exercise(
    NOTEBOOK,
    "q1",
    "Build: the retraining loop of a schedule",
    prompt="Write `run_schedule(history, months, every, fit, cost)`: replay production "
    "under the policy *retrain every `every` months, on all the labelled data*. Start with "
    "`model = fit([history])`. For each month `i` (from 0), in order: score the model in "
    "production, `cost(model, X, y)`; then, if `(i + 1) % every == 0`, fit a fresh model "
    "on the history and every month whose labels have arrived - labels come one month "
    "late, so months `0 .. i-1` - and put it in production from month `i + 1`. Return "
    "`(monthly, per_visit)`: the list of each month's cost per visit, and the cost per "
    "visit of all the months together (all their euros over all their visits). The check "
    "runs your function on towns and months you have not seen.",
    expects="a function",
    checker=_check_q1,
    hints=[
        "The notebook's loop above is the pattern: score the month with the model in "
        "production, then decide at the end of the month. Here the decision is the "
        "schedule, `(i + 1) % every == 0`, not the alerts.",
        "Which months have labels at the end of month i? Only 0 .. i-1: that is "
        "`months[:i]`, so a retrain learns from `[history] + months[:i]`. For `per_visit`, "
        "keep a running total of euros (`cost * len(y)`) and of visits: the months differ "
        "in size.",
        "`model = fit([history])`, then `for i, (X, y) in enumerate(months):` append "
        "`cost(model, X, y)` to `monthly`, add it times `len(y)` to the euros, and "
        "`if (i + 1) % every == 0: model = fit([history] + months[:i])`. Return "
        "`monthly, euros / visits`.",
    ],
    solution=Q1_SOLUTION,
    success="Your loop respects the calendar: each month is scored by the model really in "
    "production, each retrain learns only from labels that had arrived, and the year's cost "
    "weights the months by their visits. `retraining.simulate('schedule', period=...)` runs "
    "the same loop on the course's year.",
    explanation="The model in production scores each month as it comes; the decision is "
    "made at the end of the month, with the labels known then (up to the month before), "
    "and the new model serves from the next month. The year's cost per visit weights each "
    "month by its visits.",
)


# --------------------------------------------------------------------------- q2

Q2_CHOICES = ("retrain", "repair", "roll back", "wait")


def _check_q2(answer: Any) -> Feedback:
    return expect_choice(
        answer,
        "repair",
        Q2_CHOICES,
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
        what=f"one of {', '.join(repr(c) for c in Q2_CHOICES)}",
        success="The data broke, not the world: convert the readings back to °C (and make "
        "the data validation stop bad readings before they reach the model). The model is "
        "fine again the same day, and nothing depends on the bug.",
    )


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "The unit switch: retrain or repair?",
    prompt="In November the data validation alert fires: every store's thermometer now "
    "reports degrees Fahrenheit. What should the team do first? Answer one of "
    f"{', '.join(repr(c) for c in Q2_CHOICES)}.",
    expects=f"one of {', '.join(repr(c) for c in Q2_CHOICES)}",
    checker=_check_q2,
    hints=[
        "Ask what changed: how customers choose fruit, or how a number is written down?",
        "Retraining teaches a model a new relation between inputs and labels. Has the "
        "relation between the real temperature and bananas changed?",
        "Fix the input: convert °F back to °C before predicting, as notebook 03 did for "
        "Riverside's thermometer.",
    ],
    solution="first_move = 'repair'\nq2.check(first_move)",
    explanation="The relation between temperature and fruit is unchanged; only the unit of "
    "the reported number changed. Repairing the input restores the model at once.",
)


# --------------------------------------------------------------------------- q3


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


def _check_q3(answer: Any, model: Any) -> Feedback:
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


q3 = Exercise(
    NOTEBOOK,
    "q3",
    "Is the new champion still better?",
    prompt="It is the end of December: November's labels have just arrived. What is the "
    "expected cost per visit (€) of v2 - the challenger promoted at the end of October - on "
    "November's visits (inputs repaired)? It decides whether v2 stays in production. "
    "Checked to ± 0.00005 (don't round).",
    expects="an expected cost in € per visit",
    inputs={"model": "the model you scored: `v2`"},
    checker=_check_q3,
    hints=[
        "Which months did v2 learn from, and which months were already used to promote and "
        "keep it? None of them may decide now: only new evidence counts.",
        "Months count from 0 = January, so November is month 10. The notebook's "
        "`cost_on(model, month)` gives a model's expected cost on a month's repaired inputs.",
        "`v2_cost_november = cost_on(v2, 10)` then `q3.check(v2_cost_november, model=v2)`.",
    ],
    solution="v2_cost_november = cost_on(v2, 10)  # November: new to both models\n"
    "q3.check(v2_cost_november, model=v2)",
    explanation="v2 was trained on June-August, promoted on September and kept on October. "
    "November's labels are new to both models: the fair evidence.",
)


# --------------------------------------------------------------------------- quizzes


def _quiz_a() -> Any:
    from course_utils.exercises.quiz import Question, Quiz

    return Quiz(
        NOTEBOOK,
        "wrapup_a",
        "Wrap-up quiz: retraining policies",
        questions=[
            Question(
                "It is the end of May. Labels arrive one month late. Which production months "
                "can a retrain learn from?",
                {
                    "a": "January to May, the months so far",
                    "b": "May only, the freshest month there is",
                    "c": "January to April (with the history)",
                },
                answer="c",
                why={
                    "a": "No: May's purchases are reconciled only at the end of June. "
                    "Learning from them now is look-ahead - that model could not exist yet.",
                    "b": "No: May has no labels yet - and a window of one month would forget "
                    "the rest of the year.",
                    "c": "Yes: at the end of month i the labels are known up to month i - 1.",
                },
                tag="future_information",
            ),
            Question(
                "The taste change moved no input. Which of notebook 08's alerts could see it?",
                {
                    "a": "The live metric, once the month's labels arrived",
                    "b": "Input drift: the PSI or the KS test on each input",
                    "c": "Data validation of each month's readings",
                },
                answer="a",
                why={
                    "a": "Yes: only the labels show it, so the live metric saw it a month "
                    "late - and a retrain a month later still.",
                    "b": "No: the inputs looked as usual - only what the customers did with "
                    "them changed (P(y | x), not P(x)).",
                    "c": "No: every reading was valid; nothing about the data was broken.",
                },
                revisits="08",
            ),
            Question(
                "The table of policies is ranked by the expected cost per visit, not by "
                "accuracy. Why?",
                {
                    "a": "Accuracy cannot be computed on production months, only on test rows",
                    "b": "The cost is always a smaller number than the accuracy",
                    "c": "The contract prices the two errors differently; accuracy does not",
                },
                answer="c",
                why={
                    "a": "No: the table shows the accuracy too, of the same decisions.",
                    "b": "No: they are in different units; comparing their sizes means nothing.",
                    "c": "Yes: notebook 01's contract says what an error costs - the metric "
                    "that decides must be the contract's.",
                },
                revisits="01",
                tag="accuracy_with_skewed_costs",
            ),
            Question(
                "In June bananas cost 60 % more, far beyond the prices of the history. Why "
                "did the deployed logistic regression hardly mind, when boosted trees would "
                "have cost more?",
                {
                    "a": "It was retrained on June's visits before the high prices could hurt it",
                    "b": "Its log-price slope carries on past the prices it saw; trees go flat",
                    "c": "Logistic regression is always more accurate than boosted trees",
                },
                answer="b",
                why={
                    "a": "No: June's labels arrive at the end of July - by then prices were "
                    "back to normal.",
                    "b": "Yes: a question of extrapolation, which notebook 05 weighed when it "
                    "chose the model.",
                    "c": "No: in ordinary months the two cost the same; the difference lies "
                    "only outside the training range.",
                },
                revisits="05",
            ),
            Question(
                "What does a training window of only the last 3 months do, compared with "
                "all the data?",
                {
                    "a": "It learns a change faster, forgets faster, and breaks on unseen inputs",
                    "b": "Nothing different: a model learns the same rule from any window",
                    "c": "It always ends the year cheaper, since its data is the most recent",
                },
                answer="a",
                why={
                    "a": "Yes: in November its model met readings far beyond its window.",
                    "b": "No: a month of a new taste among a year of visits hardly moves a "
                    "model; among three months it moves it a lot.",
                    "c": "No: this year it ended the year the most expensive of the "
                    "retraining policies.",
                },
            ),
        ],
    )


def _quiz_b() -> Any:
    from course_utils.exercises.quiz import Question, Quiz

    return Quiz(
        NOTEBOOK,
        "wrapup_b",
        "Wrap-up quiz: champion, challenger and repair",
        questions=[
            Question(
                "A model was retrained on months where temperatures came in both °C and °F. "
                "What does it answer to a reading of 25?",
                {
                    "a": "A compromise: one weight for both units, right for neither day",
                    "b": "The right answer for a hot day, since most readings were in °C",
                    "c": "The right answer for a freezing day, as the newest readings were °F",
                },
                answer="a",
                why={
                    "a": "Yes: repair the data at its source instead, from the first day.",
                    "b": "No: a linear model has one temperature weight, fitted on both "
                    "units at once.",
                    "c": "No: the model cannot know the unit; it sees only the number.",
                },
            ),
            Question(
                "Notebook 03 converted Riverside's °F readings too. What makes this a "
                "repair and not a retrain?",
                {
                    "a": "There were too few labelled months to retrain a new model on",
                    "b": "Retraining is always too slow to help within the month",
                    "c": "The world did not change; only how a number was written did",
                },
                answer="c",
                why={
                    "a": "No: even with every label, a model trained on the bug depends on "
                    "the bug.",
                    "b": "No: retraining is the answer when the world changes.",
                    "c": "Yes: fix the data, and every user of it - the model, the monitor, "
                    "the reports - is right again.",
                },
                revisits="03",
            ),
            Question(
                "Why is the challenger judged on a month that neither model was trained on?",
                {
                    "a": "To save time, since the training months would need scoring anew",
                    "b": "Scored on visits it learned from, a model looks better than it is",
                    "c": "Older months say less about today's customers than the newest one",
                },
                answer="b",
                why={
                    "a": "No: scoring costs the same on any month.",
                    "b": "Yes: notebook 04's lesson - the honest score is on held-out data.",
                    "c": "No: it is about which rows each model saw, not about their age.",
                },
                revisits="04",
                tag="scored_on_train",
            ),
            Question(
                "What makes a bootstrap *paired*?",
                {
                    "a": "It draws twice as many resamples, one set for each model",
                    "b": "It compares the same model on two months, side by side",
                    "c": "Both models are scored on the same resampled visits each time",
                },
                answer="c",
                why={
                    "a": "No: the number of resamples does not make it paired.",
                    "b": "No: both models are scored on the same month.",
                    "c": "Yes: the luck of the draw cancels out of the difference, so the "
                    "interval measures the models, not the month.",
                },
            ),
            Question(
                "The 95 % interval of challenger minus champion runs from -0.004 to +0.002 € "
                "per visit. What do you do?",
                {
                    "a": "Promote the challenger: its cost is lower on average",
                    "b": "Keep the champion: the month cannot tell them apart",
                    "c": "Roll back to an older version, to be on the safe side",
                },
                answer="b",
                why={
                    "a": "No: the interval contains zero - reading 'cheaper' from the point "
                    "estimate alone is false precision.",
                    "b": "Yes: no clear difference, so no reason to move; the next month "
                    "will say more.",
                    "c": "No: nothing says the champion got worse.",
                },
            ),
            Question(
                "Rolling back from v2 to v1 took one command. Why was it so cheap?",
                {
                    "a": "The registry keeps every version, and logs which one serves",
                    "b": "v1 was retrained in a second from its stored training data",
                    "c": "The service falls back to the first version by default",
                },
                answer="a",
                why={
                    "a": "Yes: notebook 07's registry; never delete a model you may need.",
                    "b": "No: nothing was retrained - v1 was loaded as it was.",
                    "c": "No: the service serves whatever the registry's alias points to.",
                },
                revisits="07",
            ),
            Question(
                "Why is the A/B test's interval wider than the paired comparison on the same "
                "month?",
                {
                    "a": "The coin added bias, splitting the visits unevenly",
                    "b": "The A/B test used a noisier metric than the paired comparison",
                    "c": "Each model saw only half the visits, and different ones",
                },
                answer="c",
                why={
                    "a": "No: a fair coin adds noise, not bias - that is why it is used.",
                    "b": "No: both use the contract's expected cost per visit.",
                    "c": "Yes: in exchange, the coin makes the halves alike in everything, "
                    "seen or unseen.",
                },
            ),
        ],
    )


wrapup_a = _quiz_a()
wrapup_b = _quiz_b()
