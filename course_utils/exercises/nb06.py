"""Exercises of notebook 06 "Test on new data": read the test results and judge them.

In the notebook::

    from course_utils.exercises.nb06 import q1, q2, q3      # 06a
    from course_utils.exercises.nb06 import q4, q5          # 06b
    from course_utils.exercises.nb06 import q6              # 06c

* ``q1`` - read a cell of the confusion matrix: the false bananas (``model=model``);
* ``q2`` - the expected cost per visit at the contract's threshold (``model=model``);
* ``q3`` - the build task: the verdict function, run on held-back cases;
* ``q4`` - which store's slice is weakest, by expected cost per visit (``model=model``);
* ``q5`` - rerun the bootstrap with the seeds 0 to 4 and read how far the interval's upper
  end moves (``model=model``);
* ``q6`` - the misconception check: what decides the verdict? (accuracy with skewed costs,
  or a threshold tuned on the test set, are the traps).

The checks of q1, q2, q4 and q5 take the fitted ``model`` being tested and work out the
truth themselves: its probabilities on the test rows of the standard split
(``checkpoints.split()``, cached), decided at the success contract's threshold with its
costs (``contract.load()``, so a learner's own contract from notebook 01 counts). They
first prove the model *is* the notebook's - its probabilities on the test rows must be
those of ``checkpoints.tuned_model()`` - so a model refitted on other rows (the test rows,
say) cannot make its own counts right.

>>> q6.evaluate(...).status
'not_attempted'
>>> q6.evaluate("accuracy").mistake
'accuracy_with_skewed_costs'
"""

from __future__ import annotations

import math
import numbers
import weakref
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercises import (
    MISTAKES,
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
from course_utils.exercises.quiz import Question, Quiz

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "verdict", "wrapup_a", "wrapup_b", "wrapup_c"]

NOTEBOOK = "06"

# Mistakes specific to this notebook, registered with the others (tags must be known).
MISTAKES.setdefault("wrong_model", "the check was given another model than the one being tested")
MISTAKES.setdefault(
    "swapped_axes",
    "rows and columns of the confusion matrix read the wrong way round (true vs predicted)",
)
MISTAKES.setdefault(
    "default_threshold", "decided at the default threshold 0.5 instead of the contract's"
)
MISTAKES.setdefault("swapped_costs", "each mistake priced with the other mistake's cost")

_MODEL_INPUT = {"model": "the fitted model you are testing (`model`)"}


# --------------------------------------------------------------------------- the truth


@cache
def _test() -> tuple[pd.DataFrame, np.ndarray]:
    """The test rows of the standard split and their labels (cached)."""
    from course_utils import checkpoints

    _, test = checkpoints.split()
    return test, test["fruit"].astype(object).to_numpy()


def _contract() -> Any:
    """The learner's success contract (or the course default), read at check time."""
    from course_utils import contract

    return contract.load(quiet=True)


def _model_problem(model: Any) -> Feedback | None:
    """A Feedback if ``model`` is not a fitted classifier (cheap: nothing is predicted)."""
    if not _is_estimator(model) or not hasattr(model, "predict_proba"):
        return incorrect(
            f"`model=` should be the fitted model you are testing (a scikit-learn pipeline), "
            f"got {describe(model)}. Call the check as `q1.check(answer, model=model)`.",
            "wrong_type",
        )
    if _is_fitted(model) is False:
        return incorrect(
            "The model passed as `model=` is not fitted yet. Pass the tuned model of this "
            "notebook (`model = checkpoints.tuned_model()`), which is fitted on the training rows.",
            "not_fitted",
        )
    return None


def _banana_proba(model: Any, X: pd.DataFrame) -> np.ndarray:
    proba = np.asarray(model.predict_proba(X), dtype=float)
    return proba[:, [str(c) for c in model.classes_].index("banana")]


# The last model's test probabilities, with a fingerprint (its probabilities for a few rows)
# so that a refitted model is never answered from the cache.
_LAST: dict[str, Any] = {}


@cache
def _reference_proba() -> np.ndarray:
    """P(banana) of the notebook's model, ``checkpoints.tuned_model()``, on the test rows."""
    from course_utils import checkpoints, world

    test, _ = _test()
    return _banana_proba(checkpoints.tuned_model(), test[world.FEATURES])


@cache
def _refitted_proba(rows: str) -> np.ndarray:
    """P(banana) on the test rows of the notebook's pipeline refitted on other rows
    (``"test"``: the test rows; ``"all"``: training and test rows together)."""
    from course_utils import checkpoints, world

    train, test = checkpoints.split()
    fit_rows = test if rows == "test" else pd.concat([train, test])
    fitted = checkpoints.tuned_pipeline().fit(*checkpoints.xy(fit_rows))
    return _banana_proba(fitted, test[world.FEATURES])


def _wrong_model(proba: np.ndarray) -> Feedback | None:
    """A Feedback unless ``proba`` are the notebook model's test probabilities."""
    if np.allclose(proba, _reference_proba(), rtol=0, atol=1e-9):
        return None
    for rows, mistake, message in [
        (
            "test",
            "fitted_on_test",
            "The model passed as `model=` was fitted on the *test* rows: it has seen the "
            "answers, so its counts on those rows say nothing about new visits. Pass the "
            "notebook's model, `model = checkpoints.tuned_model()`, fitted on the training "
            "rows only.",
        ),
        (
            "all",
            "leakage",
            "The model passed as `model=` was fitted on the training *and* test rows "
            "together, so the test rows are no longer new to it. Pass the notebook's model, "
            "`model = checkpoints.tuned_model()`, fitted on the training rows only.",
        ),
    ]:
        if np.allclose(proba, _refitted_proba(rows), rtol=0, atol=1e-9):
            return incorrect(message, mistake)
    return incorrect(
        "The model passed as `model=` is not the one this notebook tests: its probabilities "
        "on the test rows differ from those of `checkpoints.tuned_model()`. The exercise is "
        "about that model - pass `model=model` as the notebook defines it.",
        "wrong_model",
    )


def _proba(model: Any) -> np.ndarray | Feedback:
    """The model's P(banana) on the test rows, or a Feedback saying why there is none
    (also when the model is not the notebook's)."""
    problem = _model_problem(model)
    if problem is not None:
        return problem
    from course_utils import world

    test, _ = _test()
    X = test[world.FEATURES]
    try:
        fingerprint = _banana_proba(model, X.iloc[:20]).tobytes()
        ref = _LAST.get("model")
        if ref is not None and ref() is model and _LAST.get("fingerprint") == fingerprint:
            return _LAST["proba"]
        proba = _banana_proba(model, X)
    except Exception as exc:
        return incorrect(
            f"Could not get this model's probabilities on the test rows ({type(exc).__name__}). "
            "Pass the fitted pipeline that takes the raw columns `world.FEATURES` - the "
            "tuned model of this notebook.",
            "wrong_type",
        )
    wrong = _wrong_model(proba)
    if wrong is not None:
        return wrong
    try:
        _LAST.update(model=weakref.ref(model), fingerprint=fingerprint, proba=proba)
    except TypeError:  # an object that can't be weakly referenced: just don't cache
        _LAST.clear()
    return proba


def _not_a_number(answer: Any, what: str) -> Feedback | None:
    """A Feedback for an answer that is no number at all (checked before any prediction)."""
    early = expect_number(answer, 0.0, what=what)
    return early if early.mistake in ("wrong_type", "nan") else None


def _counts(proba: np.ndarray, threshold: float) -> dict[str, int]:
    _, y = _test()
    pred = np.where(proba >= threshold, "banana", "apple")
    return {
        "false banana": int(((pred == "banana") & (y == "apple")).sum()),
        "false apple": int(((pred == "apple") & (y == "banana")).sum()),
        "true banana": int(((pred == "banana") & (y == "banana")).sum()),
        "true apple": int(((pred == "apple") & (y == "apple")).sum()),
    }


def _cost(counts: dict[str, int], c_fb: float, c_fa: float) -> float:
    return (c_fb * counts["false banana"] + c_fa * counts["false apple"]) / sum(counts.values())


# --------------------------------------------------------------------------- q1


def _check_q1(answer: Any, model: Any) -> Feedback:
    early = _model_problem(model) or _not_a_number(answer, "a whole number of visits")
    if early is not None:
        return early
    proba = _proba(model)
    if isinstance(proba, Feedback):
        return proba
    signed = _contract()
    t = signed.best_threshold()
    c = _counts(proba, t)
    at_half = _counts(proba, 0.5)
    misses = [
        NearMiss(
            c["false apple"],
            "swapped_axes",
            "That is the cell of the *false apples*: you read the matrix the wrong way round. "
            "In scikit-learn's confusion matrix the rows are the true fruit and the columns the "
            "predicted fruit. A false banana *took an apple* (row) but was *predicted banana* "
            "(column).",
        ),
        NearMiss(
            c["true banana"],
            "wrong_value",
            "That cell is on the diagonal: predicted banana *and* took a banana - a right "
            "answer. A false banana was predicted banana, but the customer took an apple.",
        ),
        NearMiss(
            c["true apple"],
            "wrong_value",
            "That cell is on the diagonal: predicted apple and took an apple - a right answer. "
            "A false banana was predicted banana, but the customer took an apple.",
        ),
        NearMiss(
            c["false banana"] + c["false apple"],
            "wrong_value",
            "That is all the mistakes together. Only one kind is asked for: banana predicted, "
            "apple taken.",
        ),
    ]
    if t != 0.5:
        misses += [
            NearMiss(
                at_half["false banana"],
                "default_threshold",
                "That is the count at the default threshold 0.5 (what `model.predict` "
                "decides). The shop decides with the contract's threshold, "
                "`signed.best_threshold()`: predict banana only when P(banana) is at least "
                "that.",
            ),
            NearMiss(
                at_half["false apple"],
                "default_threshold",
                "Two slips at once: that is the count of *false apples*, and at the default "
                "threshold 0.5. Use the matrix at the contract's threshold, and read it as "
                "rows = true fruit, columns = predicted fruit.",
            ),
        ]
    return expect_number(
        answer,
        c["false banana"],
        tol=0,
        what="a whole number of visits",
        lo=0,
        integer=True,
        near_misses=misses,
        wrong="Not the number of false bananas. Find the cell where the customer took an apple "
        "(its row) and the model predicted banana (its column).",
        success="A false banana: the stand offered a banana to a customer who took an apple - "
        "the expensive mistake. At the contract's threshold the model makes few of them, and "
        "pays for it with more false apples.",
    )


q1 = Exercise(
    NOTEBOOK,
    "q1",
    "Read the confusion matrix: false bananas",
    prompt="How many *false bananas* (predicted banana, but the customer took an apple) does "
    "the tuned model make on the test set, deciding at the contract's threshold? Read it from "
    "the confusion matrix above.",
    expects="a whole number of visits",
    inputs=_MODEL_INPUT,
    checker=_check_q1,
    hints=[
        "In the matrix, each row is what the customer *took*, each column what the model "
        "*predicted*.",
        "Find the row 'apple' (took an apple) and the column 'banana' (predicted banana).",
        "`((pred_test == 'banana') & (y_test == 'apple')).sum()` counts the same cell.",
    ],
    solution="n_false_bananas = int(((pred_test == 'banana') & (y_test == 'apple')).sum())\n"
    "q1.check(n_false_bananas, model=model)",
    explanation="Rows are the true fruit, columns the predicted fruit: the false bananas sit "
    "in the row 'apple', column 'banana' (the top-right cell).",
)


# --------------------------------------------------------------------------- q2

_Q2_WHAT = "a number of euros per visit (e.g. 0.05 for 5 cents)"


def _check_q2(answer: Any, model: Any) -> Feedback:
    early = _model_problem(model) or _not_a_number(answer, _Q2_WHAT)
    if early is not None:
        return early
    proba = _proba(model)
    if isinstance(proba, Feedback):
        return proba
    signed = _contract()
    c_fb, c_fa = signed.cost_false_banana, signed.cost_false_apple
    t = signed.best_threshold()
    c = _counts(proba, t)
    n = sum(c.values())
    expected = _cost(c, c_fb, c_fa)
    misses = [
        NearMiss(
            100 * expected,
            "unit_cents",
            "That looks like cents. The contract counts in euros per visit: 5 cents is 0.05.",
            tol=0.02,
        ),
        NearMiss(
            1000 * expected,
            "count_not_share",
            "That is the cost per 1,000 visits. The contract's metric is per visit: divide by "
            "the number of visits.",
            tol=0.2,
        ),
        NearMiss(
            expected * n,
            "count_not_share",
            "That is the total over all the test visits. The metric is per visit: divide by "
            "`len(y_test)` (then you can compare test sets of any size).",
            tol=0.5,
        ),
        NearMiss(
            _cost(c, c_fa, c_fb),
            "swapped_costs",
            "You priced each mistake with the other one's cost. A false banana (banana "
            "predicted, apple taken) costs `signed.cost_false_banana`; a false apple "
            "`signed.cost_false_apple`.",
        ),
        NearMiss(
            (c["false banana"] + c["false apple"]) / n,
            "wrong_value",
            "That is the error rate: every mistake counted as one. Weigh each kind by what it "
            "costs the shop.",
        ),
    ]
    if t != 0.5:
        half = _counts(proba, 0.5)
        misses += [
            NearMiss(
                _cost(half, c_fb, c_fa),
                "default_threshold",
                "That is the cost at the default threshold 0.5 (what `model.predict` decides). "
                "The contract decides at its own threshold: predict banana only when "
                "P(banana) >= `signed.best_threshold()`.",
            ),
            NearMiss(
                100 * _cost(half, c_fb, c_fa),
                "default_threshold",
                "Two slips: that is in cents, and at the default threshold 0.5. Give euros per "
                "visit, deciding at the contract's threshold.",
                tol=0.02,
            ),
        ]
    return expect_number(
        answer,
        expected,
        tol=0.0002,
        what=_Q2_WHAT,
        lo=0,
        hi=max(c_fb, c_fa),
        near_misses=misses,
        wrong="Not the expected cost per visit at the contract's threshold. Decide with "
        "`proba_test >= threshold`, count the false bananas and false apples, weigh each by "
        "its cost, and divide by the number of test visits.",
        success="That is the number the contract judges: euros lost per visit on visits the "
        "model has never seen, deciding the way the shop will decide.",
    )


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "Expected cost per visit at the contract's threshold",
    prompt="What does the tuned model lose per visit on the test set, in euros, when the stand "
    "predicts banana only for P(banana) >= the contract's threshold? A false banana costs "
    "`C_FB`, a false apple `C_FA`. Checked to ± 0.0002.",
    expects="a number of euros per visit",
    inputs=_MODEL_INPUT,
    checker=_check_q2,
    hints=[
        "Right answers cost nothing. Which two kinds of mistakes cost money, and how much "
        "each? The cell with the confusion matrix in words counted them.",
        "Multiply the number of false bananas by the cost of one, the same for the false "
        "apples, add - and divide by the number of test visits, `len(y_test)`.",
        "`(C_FB * false_bananas + C_FA * false_apples) / len(y_test)`.",
    ],
    solution="test_cost = (C_FB * false_bananas + C_FA * false_apples) / len(y_test)\n"
    "q2.check(test_cost, model=model)",
    explanation="Right answers cost nothing; each false banana costs `C_FB` and each false "
    "apple `C_FA`. Their sum over the test visits, divided by the number of visits, is the "
    "expected cost per visit - the contract's metric.",
)


# --------------------------------------------------------------------------- q4

_STORES = ("Central", "Riverside", "Station")


def _check_q4(answer: Any, model: Any) -> Feedback:
    what = "a store name: 'Central', 'Riverside' or 'Station'"
    problem = _model_problem(model)
    if problem is not None:
        return problem
    if isinstance(answer, pd.Series):
        return incorrect(
            f"Expected the name of one store (a str), got {describe(answer)}. Pick the store "
            "whose value is the highest: `.idxmax()` gives its label.",
            "wrong_type",
        )
    if isinstance(answer, numbers.Number) and not isinstance(answer, bool):
        if isinstance(answer, numbers.Real) and math.isnan(float(answer)):
            return incorrect("Your answer is NaN; expected a store name (a str).", "nan")
        return incorrect(
            f"Expected a store name (a str such as 'Central'), got {describe(answer)}.",
            "wrong_type",
        )
    store_names = {s.casefold(): s for s in _STORES}
    if not isinstance(answer, str) or answer.strip().casefold() not in store_names:
        return expect_choice(answer, _STORES[0], _STORES, what=what)  # wrong_type, surely
    answer = store_names[answer.strip().casefold()]
    proba = _proba(model)
    if isinstance(proba, Feedback):
        return proba
    signed = _contract()
    c_fb, c_fa = signed.cost_false_banana, signed.cost_false_apple
    test, y = _test()
    pred = np.where(proba >= signed.best_threshold(), "banana", "apple")
    cost = np.where(
        (pred == "banana") & (y == "apple"),
        c_fb,
        np.where((pred == "apple") & (y == "banana"), c_fa, 0.0),
    )
    store = test["store"].astype(str).to_numpy()
    per_visit = pd.Series(cost).groupby(store).mean()
    total = pd.Series(cost).groupby(store).sum()
    accuracy = pd.Series(pred == y).groupby(store).mean()
    weakest = str(per_visit.idxmax())
    explanations: dict[str, tuple[str, str]] = {}
    for name in _STORES:
        if name == weakest or name not in per_visit.index:
            continue
        if name == str(total.idxmax()):
            explanations[name] = (
                "count_not_share",
                f"{name} loses the most euros *in total* - but it also has more test visits. "
                "Compare the cost *per visit* (the mean, not the sum), or a busy store always "
                "looks worst.",
            )
        elif name == str(accuracy.idxmin()):
            explanations[name] = (
                "accuracy_with_skewed_costs",
                f"{name} has the lowest accuracy, but accuracy counts a false apple like a "
                "false banana. Rank the stores by expected cost per visit.",
            )
        elif name == "Station":
            explanations[name] = (
                "wrong_choice",
                "The Station is under-represented in the history, so it is a fair suspect - "
                "but look at the numbers: compare the expected cost per visit of each store.",
            )
        else:
            explanations[name] = (
                "wrong_choice",
                f"{name} is not the weakest slice. Compute the expected cost per visit of each "
                "store and take the highest.",
            )
    return expect_choice(
        answer,
        weakest,
        _STORES,
        what=what,
        explanations=explanations,
        success="Slices find what one average hides. Check the counts too: a slice of a few "
        "hundred visits has a noisy cost, so small differences between stores may be chance.",
    )


q4 = Exercise(
    NOTEBOOK,
    "q4",
    "The weakest store",
    prompt="At which store is the tuned model weakest - the highest expected cost per visit on "
    "the test set, at the contract's threshold? Give the store's name as a str.",
    expects="a store name (a str)",
    inputs=_MODEL_INPUT,
    checker=_check_q4,
    hints=[
        "`visit_cost` holds what each test visit cost; a slice's expected cost per visit is "
        "the mean over its visits.",
        "Group `visit_cost` by `test['store']` and take the mean; then find the store with the "
        "highest value.",
        "`visit_cost.groupby(test['store'], observed=True).mean().idxmax()`.",
    ],
    solution="weakest_store = visit_cost.groupby(test['store'], observed=True).mean().idxmax()\n"
    "q4.check(weakest_store, model=model)",
    explanation="The mean of the per-visit costs within a store is that slice's expected cost "
    "per visit; `idxmax()` returns the label of the highest one. A sum would favour the "
    "busiest store.",
)


# --------------------------------------------------------------------------- q6

Q6_CHOICES = ("a", "b", "c", "d")
Q6_OPTIONS = {
    "a": "Its accuracy on the test set (at the usual threshold 0.5) is far above the rule of "
    "thumb's, so deploy.",
    "b": "Find the threshold with the lowest cost on the test set, and compare that cost with "
    "the contract's minimum.",
    "c": "Compare its expected cost per visit on the test set, at the threshold fixed by the "
    "contract's costs, with the contract's minimum.",
    "d": "Its ROC AUC on the test set is above 0.9, so deploy.",
}


def _check_q6(answer: Any) -> Feedback:
    from course_utils.misconceptions import _metric_name, accuracy_with_skewed_costs

    signed = _contract()
    c_fb, c_fa = signed.cost_false_banana, signed.cost_false_apple
    name = _metric_name(answer) if not isinstance(answer, bool) else None
    if name is not None and name not in Q6_CHOICES and name.strip("()[]. ") not in Q6_CHOICES:
        # An answer given as a metric name: the accuracy misconception is caught here too.
        # ratio=2: 0.30 / 0.10 is 2.9999999999999996 in floating point.
        skewed = accuracy_with_skewed_costs(name, c_fb, c_fa, ratio=2.0)
        if skewed is not None:
            return skewed
        if "cost" in name:
            return incorrect(
                "The right metric - now pick the rule that uses it, with the right threshold "
                "and the right bar: give the letter of the option ('a', 'b', 'c' or 'd').",
                "wrong_type",
            )
    accuracy_trap = accuracy_with_skewed_costs("accuracy", c_fb, c_fa, ratio=2.0)
    accuracy_text = (
        accuracy_trap.message
        if accuracy_trap is not None
        else "Accuracy counts every mistake the same - and the contract names its own metric."
    )
    return expect_choice(
        answer,
        "c",
        Q6_CHOICES,
        what="one of 'a', 'b', 'c', 'd'",
        explanations={
            "a": (
                "accuracy_with_skewed_costs",
                accuracy_text + " (Here the false positive is a false banana.) And the "
                "contract named its metric and its minimum before any model existed: a score it "
                "does not name can't decide the deployment.",
            ),
            "b": (
                "test_used_for_tuning",
                "Picking the threshold on the test set is tuning on the test set: the lowest "
                "point of a curve you chose by looking at it is an optimistic number, not an "
                "honest estimate for new visits. The threshold must be fixed before the test "
                "set is opened - here by the contract's costs.",
            ),
            "d": (
                "wrong_choice",
                "ROC AUC scores how well the model *ranks* visits, over all thresholds at once. "
                "The shop takes one decision per visit at one threshold, and pays for its "
                "mistakes in euros - and the contract does not name AUC.",
            ),
        },
        success="The verdict uses the metric, the threshold and the minimum that were written "
        "down before the test set was opened - nobody can move the goal posts after seeing "
        "the score.",
    )


q6 = Exercise(
    NOTEBOOK,
    "q6",
    "What decides the verdict?",
    prompt="A colleague asks how to decide whether the tuned model is deployed. Which rule is "
    "right? Give the letter as a str.\n" + "\n".join(f"({k}) {v}" for k, v in Q6_OPTIONS.items()),
    expects="one of 'a', 'b', 'c', 'd' (a str)",
    checker=_check_q6,
    hints=[
        "Go back to notebook 01: what did the success contract write down, and *when*?",
        "Two options use a number the contract does not name; one chooses something by looking "
        "at the test set.",
        "The contract names a metric (the expected cost per visit), a threshold that follows "
        "from its costs, and a minimum - the rule that uses exactly these.",
    ],
    solution="judge_by = 'c'\nq6.check(judge_by)",
    explanation="The contract fixed the metric (expected cost per visit), the costs - and so "
    "the threshold - and the minimum before any model was trained. Accuracy ignores the "
    "costs, AUC ignores the threshold, and a threshold chosen on the test set makes the test "
    "score optimistic.",
)


# --------------------------------------------------------------------------- q5

_Q5_WHAT = "a spread in euros per visit (the largest upper end minus the smallest)"
SEEDS = (0, 1, 2, 3, 4)


def bootstrap_means(values: Any, seed: int = 0, n_resamples: int = 1000) -> np.ndarray:
    """The notebook's bootstrap: the mean of each of ``n_resamples`` resamples of
    ``values``, drawn with replacement (``np.random.default_rng(seed)``).

    >>> bootstrap_means([0.0, 1.0], seed=0, n_resamples=3).shape
    (3,)
    """
    values = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    n = len(values)
    return np.array([values[rng.integers(0, n, n)].mean() for _ in range(n_resamples)])


@cache
def _intervals(costs_key: bytes) -> pd.DataFrame:
    """The 95 % interval of the mean cost for each seed of :data:`SEEDS` (cached)."""
    costs = np.frombuffer(costs_key, dtype=float)
    rows = {seed: np.percentile(bootstrap_means(costs, seed=seed), [2.5, 97.5]) for seed in SEEDS}
    return pd.DataFrame(rows, index=["low", "high"]).T


def _check_q5(answer: Any, model: Any) -> Feedback:
    early = _model_problem(model) or _not_a_number(answer, _Q5_WHAT)
    if early is not None:
        return early
    proba = _proba(model)
    if isinstance(proba, Feedback):
        return proba
    signed = _contract()
    _, y = _test()
    says = proba >= signed.best_threshold()
    took = y == "banana"
    costs = np.where(says & ~took, signed.cost_false_banana, 0.0) + np.where(
        ~says & took, signed.cost_false_apple, 0.0
    )
    table = _intervals(np.ascontiguousarray(costs, dtype=float).tobytes())
    high, low = table["high"], table["low"]
    expected = float(high.max() - high.min())
    misses = [
        NearMiss(
            float(low.max() - low.min()),
            "wrong_column",
            "That is the spread of the *lower* ends (the 2.5th percentile). The question asks "
            "about the upper ends, the 97.5th percentile.",
            tol=1e-9,
        ),
        NearMiss(
            float(np.std(high.to_numpy())),
            "wrong_value",
            "That is the standard deviation of the five upper ends (`np.std`). The question "
            "asks for their range: the largest minus the smallest.",
            tol=1e-9,
        ),
        NearMiss(
            float(high.std(ddof=1)),
            "wrong_value",
            "That is the standard deviation of the five upper ends. The question asks for "
            "their range: the largest minus the smallest.",
            tol=1e-9,
        ),
        NearMiss(
            float(high.iloc[0]),
            "wrong_value",
            "That is one upper end (seed 0's), not how much the upper ends move between "
            "seeds. Compute it for the seeds 0 to 4, then take the largest minus the smallest.",
            tol=1e-9,
        ),
        NearMiss(
            float(high.iloc[0] - low.iloc[0]),
            "wrong_value",
            "That is the width of one interval (upper minus lower end, seed 0). The question "
            "asks how far the *upper end* moves when only the seed changes.",
            tol=1e-9,
        ),
        NearMiss(
            1000 * expected,
            "count_not_share",
            "That is per 1,000 visits. Give euros per visit, like the costs themselves.",
            tol=1e-6,
        ),
    ]
    if high.max() - high.min() > 0:
        four = high.iloc[:4]
        misses.append(
            NearMiss(
                float(four.max() - four.min()),
                "wrong_value",
                "That is the spread over four seeds. `range(5)` gives the five seeds 0 to 4.",
                tol=1e-9,
            )
        )
    return expect_number(
        answer,
        expected,
        tol=1e-9,
        what=_Q5_WHAT,
        lo=0,
        kind="eur",
        near_misses=misses,
        close_factor=1e4,
        wrong="Not the spread of the upper ends. For each seed 0 to 4: "
        "`np.percentile(bootstrap_means(cost_per_visit, seed=seed), 97.5)`; then the largest "
        "of the five minus the smallest.",
        success="The seed moves the interval's ends by a few hundredths of a cent - far less "
        "than the interval is wide. Both kinds of randomness say the same thing: quote the "
        "cost with two significant figures, not four.",
    )


q5 = Exercise(
    NOTEBOOK,
    "q5",
    "How much does the bootstrap's seed move the interval?",
    prompt="Rerun `bootstrap_means(cost_per_visit, seed=...)` with the seeds 0 to 4. Take the "
    "upper end of each 95 % interval (the 97.5th percentile). How far apart are the largest "
    "and the smallest of the five upper ends, in euros per visit? (± 0.000000001: compute it, "
    "don't retype a rounded number.)",
    expects="a number of euros per visit",
    inputs=_MODEL_INPUT,
    checker=_check_q5,
    hints=[
        "One interval per seed: the same costs, other random resamples. Only the upper end "
        "of each matters here.",
        "A list comprehension over `range(5)`: `np.percentile(bootstrap_means(cost_per_visit, "
        "seed=s), 97.5)` - then `max(...) - min(...)` of the list.",
        "`upper_ends = [np.percentile(bootstrap_means(cost_per_visit, seed=s), 97.5) for s in "
        "range(5)]`, then `seed_spread = max(upper_ends) - min(upper_ends)`.",
    ],
    solution="upper_ends = [\n"
    "    np.percentile(bootstrap_means(cost_per_visit, seed=s), 97.5) for s in range(5)\n"
    "]\n"
    "seed_spread = max(upper_ends) - min(upper_ends)\n"
    "q5.check(seed_spread, model=model)",
    explanation="A bootstrap interval is itself random: its ends depend on the resamples "
    "drawn. Rerunning with other seeds shows how much of the quoted precision is real - "
    "here the seed moves the ends by a few hundredths of a cent, the sample's own "
    "uncertainty (the interval's width) is a few tenths of a cent.",
)


# --------------------------------------------------------------------------- q3 (build)

MISTAKES.setdefault(
    "compared_wrong_way", "compared the cost with the minimum the wrong way round (>= for <=)"
)
MISTAKES.setdefault("mean_proba", "used the mean probability instead of one decision per visit")

VERDICT_KEYS = ("threshold", "false_bananas", "false_apples", "cost", "deploy")


def verdict(y_true: Any, proba: Any, contract: Any) -> dict[str, Any]:
    """The course's verdict: judge test predictions against a success contract.

    Decide banana for every visit whose P(banana) is at least the contract's threshold,
    count both kinds of mistake, price them with the contract's costs, and compare the
    expected cost per visit with the contract's minimum.

    >>> from course_utils.contract import DEFAULT
    >>> verdict(["apple", "banana"], [0.9, 0.2], DEFAULT)["cost"]
    0.2
    """
    threshold = contract.best_threshold()
    y_true = np.asarray(y_true)
    says_banana = np.asarray(proba, dtype=float) >= threshold
    false_bananas = int((says_banana & (y_true == "apple")).sum())
    false_apples = int((~says_banana & (y_true == "banana")).sum())
    cost = (
        contract.cost_false_banana * false_bananas + contract.cost_false_apple * false_apples
    ) / len(y_true)
    return {
        "threshold": threshold,
        "false_bananas": false_bananas,
        "false_apples": false_apples,
        "cost": cost,
        "deploy": cost <= contract.minimum,
    }


def _visits(seed: int, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """n made-up visits: the fruit taken and a model's P(banana) (``noise``: how far the
    model is from the truth)."""
    rng = np.random.default_rng(seed)
    p = rng.beta(0.6, 0.6, size=n)
    fruit = np.where(rng.random(n) < p, "banana", "apple").astype(object)
    proba = np.clip(p + rng.normal(0, noise, size=n), 0.001, 0.999).round(3)
    return fruit, proba


def _verdict_cases() -> list[Any]:
    from course_utils.contract import DEFAULT, Contract
    from course_utils.exercises.functions import Case

    pricey_apple = Contract(
        metric="expected_cost",
        minimum=0.05,
        baseline=0.09,
        cost_false_banana=0.10,
        cost_false_apple=0.40,
    )
    exactly = Contract(
        metric="expected_cost",
        minimum=0.025,
        baseline=0.05,
        cost_false_banana=0.25,
        cost_false_apple=0.05,
    )
    fruit, proba = _visits(2031, 500, 0.05)
    fruit_b, proba_b = _visits(2032, 400, 0.05)
    weak_fruit, weak_proba = _visits(2033, 300, 0.45)
    t = DEFAULT.best_threshold()
    # one class absent, and two visits exactly at the threshold
    edge_fruit = np.array(["apple"] * 6, dtype=object)
    edge_proba = np.array([0.1, t, 0.9, 0.3, t, 0.2])
    return [
        Case(
            args=(pd.Series(fruit, name="fruit"), proba, DEFAULT),
            label="500 visits of another month, the course's contract",
        ),
        Case(
            args=(fruit_b, proba_b, pricey_apple),
            label="400 visits under a contract where a false apple costs 0.40 € and a false "
            "banana 0.10 €",
        ),
        Case(
            args=(weak_fruit, weak_proba, DEFAULT),
            label="300 visits scored by a much weaker model",
        ),
        Case(
            args=(edge_fruit, edge_proba, DEFAULT),
            label="six visits that all took an apple, two of them exactly at the threshold",
        ),
        Case(
            args=(
                np.array(["apple"] * 10, dtype=object),
                np.array([0.9, 0.1, 0.2, 0.1, 0.3, 0.05, 0.2, 0.4, 0.1, 0.15]),
                exactly,
            ),
            label="ten visits whose cost is exactly the contract's minimum (one false banana "
            "at 0.25 €: 0.025 € per visit, the minimum 0.025 €)",
        ),
        Case(
            args=(pd.Series(["banana"] * 4), np.array([0.8, 0.95, 0.9, 0.85]), DEFAULT),
            label="four rush-hour visits that all took a banana, all predicted banana (no "
            "apple at all, no mistake)",
        ),
    ]


def _decide(y: np.ndarray, says: np.ndarray) -> tuple[int, int]:
    return int((says & (y == "apple")).sum()), int((~says & (y == "banana")).sum())


def _judge_q3(result: Any, case: Any) -> Feedback | None:
    y_true, proba, signed = case.args
    y, p = np.asarray(y_true), np.asarray(proba, dtype=float)
    n, t = len(y), signed.best_threshold()
    c_fb, c_fa, minimum = signed.cost_false_banana, signed.cost_false_apple, signed.minimum
    want = verdict(y_true, proba, signed)
    if not isinstance(result, dict):
        return incorrect(
            f"`verdict` should return a dict with the keys {', '.join(VERDICT_KEYS)}; it "
            f"returned {describe(result)}.",
            "wrong_type",
        )
    missing = [k for k in VERDICT_KEYS if k not in result]
    if missing:
        return incorrect(
            f"The dict `verdict` returns lacks the key(s) {', '.join(map(repr, missing))}. "
            f"Expected the keys {', '.join(map(repr, VERDICT_KEYS))}.",
            "wrong_shape",
        )

    def same(a: Any, b: float, tol: float = 1e-9) -> bool:
        try:
            return abs(float(a) - b) <= tol
        except (TypeError, ValueError):
            return False

    got_t = result["threshold"]
    if not same(got_t, t, 1e-6):
        if same(got_t, 0.5):
            return incorrect(
                "You decided at 0.5, the default of `model.predict`. The contract's "
                "threshold follows from its costs: `contract.best_threshold()`.",
                "default_threshold",
            )
        if same(got_t, 0.75, 1e-6):
            return incorrect(
                "You typed in 0.75 - the course contract's threshold. This contract has other "
                "costs, so another threshold: read it with `contract.best_threshold()`.",
                "default_threshold",
            )
        if same(got_t, 1 - t, 1e-6):
            return incorrect(
                f"Your threshold {float(got_t):.2f} is the complement of the contract's "
                f"({t:.2f}): the costs are swapped in it. `contract.best_threshold()` gives it.",
                "swapped_costs",
            )
        return incorrect(
            f"The threshold should be the contract's, `contract.best_threshold()` "
            f"({t:.4f} here); got {describe(got_t)}.",
            "wrong_value",
        )
    counts = (result["false_bananas"], result["false_apples"])
    if any(isinstance(c, str | bytes) for c in (*counts, got_t)):
        return incorrect(
            "The counts and the threshold should be numbers, not text: leave out `str()` "
            "and f-strings in the dict `verdict` returns.",
            "wrong_type",
        )
    try:
        counts = (
            (int(counts[0]), int(counts[1]))
            if all(same(c, round(float(c))) for c in counts)
            else counts
        )
    except (TypeError, ValueError):
        pass
    right = (want["false_bananas"], want["false_apples"])
    if counts != right:
        half = _decide(y, p >= 0.5)
        mean_says = np.full(n, p.mean() >= t)
        if counts == half and half != right:
            return incorrect(
                "Your counts are those of a decision at 0.5 (the default of `model.predict`). "
                "Decide banana when `proba >= contract.best_threshold()`.",
                "default_threshold",
            )
        if counts == _decide(y, p > t) and counts != right:
            return incorrect(
                "Visits whose P(banana) equals the threshold exactly were decided apple. The "
                "contract says banana when P(banana) is *at least* the threshold: use `>=`.",
                "wrong_value",
            )
        if counts == _decide(y, mean_says):
            return incorrect(
                "You took one decision for all visits from the *mean* probability. The "
                "threshold applies visit by visit: each visit with P(banana) >= threshold is "
                "a banana decision.",
                "mean_proba",
            )
        if counts == right[::-1]:
            return incorrect(
                "Your false bananas and false apples are swapped. A false banana was "
                "predicted banana but took an apple; a false apple the other way round.",
                "swapped_axes",
            )
        return incorrect(
            f"The counts are not right: expected {right[0]} false bananas and {right[1]} false "
            f"apples, got {counts[0]!r} and {counts[1]!r}. A false banana: P(banana) >= the "
            "threshold, but the visit took an apple.",
            "wrong_value",
        )
    fb, fa = right
    cost = result["cost"]
    if not same(cost, want["cost"]):
        mistakes = fb + fa
        weighted = np.where(y == "apple", p * c_fb, (1 - p) * c_fa).mean()
        for value, tag, message in [
            (
                (c_fa * fb + c_fb * fa) / n,
                "swapped_costs",
                "You priced each mistake with the other one's cost. A false banana costs "
                "`contract.cost_false_banana`, a false apple `contract.cost_false_apple`.",
            ),
            (
                mistakes / n,
                "accuracy_with_skewed_costs",
                "That is the error rate (1 - accuracy): every mistake counted as one. The "
                "contract judges the expected cost: weigh each kind of mistake by its cost.",
            ),
            (
                1 - mistakes / n,
                "accuracy_with_skewed_costs",
                "That is the accuracy. The contract judges the expected cost per visit: "
                "weigh each kind of mistake by its cost, and divide by the number of visits.",
            ),
            (
                c_fb * fb + c_fa * fa,
                "count_not_share",
                "That is the total cost of all the visits. The metric is per visit: divide by "
                "the number of visits.",
            ),
            (
                weighted,
                "mean_proba",
                "You priced the probabilities instead of the decisions. The shop pays for "
                "what it decides: count the mistakes made at the threshold, then price them.",
            ),
        ]:
            if same(cost, value) and not same(value, want["cost"]):
                return incorrect(message, tag)
        return incorrect(
            f"The cost should be {want['cost']:.6f} € per visit here; got {describe(cost)}. "
            "(cost of a false banana x their count + cost of a false apple x their count) / "
            "the number of visits.",
            "wrong_value",
        )
    deploy = result["deploy"]
    if not isinstance(deploy, bool | np.bool_):
        return incorrect(f"'deploy' should be True or False; got {describe(deploy)}.", "wrong_type")
    if bool(deploy) != want["deploy"]:
        return incorrect(
            f"The cost is {want['cost']:.4f} € per visit and the contract's minimum "
            f"{minimum} € (the highest cost it accepts), but your 'deploy' is "
            f"{bool(deploy)}. A cost *at or below* the minimum meets the contract: "
            "`deploy = cost <= contract.minimum` - an equal cost meets it too, and the "
            "baseline plays no part here.",
            "compared_wrong_way",
        )
    return None


def _check_q3(answer: Any) -> Feedback | None:
    from course_utils.exercises.functions import check_function

    return check_function(
        answer,
        _verdict_cases(),
        _judge_q3,
        what="`verdict`",
        params=("y_true", "proba", "contract"),
    )


_Q3_SOLUTION = """def verdict(y_true, proba, contract):
    threshold = contract.best_threshold()
    says_banana = np.asarray(proba) >= threshold
    took = np.asarray(y_true)
    false_bananas = int((says_banana & (took == "apple")).sum())
    false_apples = int((~says_banana & (took == "banana")).sum())
    cost = contract.cost_false_banana * false_bananas + contract.cost_false_apple * false_apples
    cost = cost / len(took)
    return {
        "threshold": threshold,
        "false_bananas": false_bananas,
        "false_apples": false_apples,
        "cost": cost,
        "deploy": cost <= contract.minimum,
    }


q3.check(verdict)"""

q3 = Exercise(
    NOTEBOOK,
    "q3",
    "Build the verdict function",
    prompt="Write `verdict(y_true, proba, contract)`. `y_true`: the fruit each visit took "
    "('apple' or 'banana'); `proba`: the model's P(banana) for the same visits; `contract`: a "
    "success contract (`cost_false_banana`, `cost_false_apple`, `minimum`, "
    "`best_threshold()`). Decide banana for each visit whose P(banana) is at least the "
    "contract's threshold, count the false bananas and the false apples, compute the expected "
    "cost per visit, and return a dict with the keys 'threshold', 'false_bananas', "
    "'false_apples', 'cost' (euros per visit) and 'deploy' (True when the cost meets the "
    "contract, i.e. is at most its minimum). The check runs it on visits and contracts you "
    "have not seen.",
    expects="a function",
    checker=_check_q3,
    hints=[
        "Three steps: a decision per visit at the contract's threshold; the two counts of "
        "mistakes; their price per visit, compared with `contract.minimum`. Use only what the "
        "contract gives - no number typed in.",
        "`says_banana = np.asarray(proba) >= contract.best_threshold()`; a false banana is "
        "`says_banana & (took == 'apple')`, a false apple `~says_banana & (took == 'banana')`. "
        "Sum each with `.sum()`.",
        "`cost = (contract.cost_false_banana * false_bananas + contract.cost_false_apple * "
        "false_apples) / len(took)`, and `deploy = cost <= contract.minimum` (a cost: lower "
        "is better).",
    ],
    solution=_Q3_SOLUTION,
    explanation="The verdict uses only what the contract fixed before the test set was "
    "opened: its threshold (from the costs), its metric (the expected cost per visit) and "
    "its minimum. One decision per visit at that threshold, each mistake priced by its own "
    "cost, and `cost <= minimum` because lower costs are better. The same function judges "
    "any model, any month and any contract - which is what notebook 10 does.",
    success="Your function gave the right verdict on every held-back case: another month, "
    "another contract, a weak model and a tiny edge case with no banana at all. It uses the "
    "contract's threshold, its costs and its minimum - the rule fixed before the test set "
    "was opened.",
)


# --------------------------------------------------------------------------- wrap-up quizzes


def _relabel(question: Question, letters: str) -> Question:
    """The same question with its options under other letters (``letters[i]`` becomes the
    letter of the i-th option), so that the right answers do not all sit at one letter."""
    new = dict(zip(question.options, letters, strict=True))
    return Question(
        question.text,
        {new[k]: question.options[k] for k in sorted(question.options, key=new.get)},
        answer=new[question.answer],
        why={new[k]: v for k, v in sorted(question.why.items(), key=lambda kv: new[kv[0]])},
        revisits=question.revisits,
        tag=question.tag,
    )


wrapup_a = Quiz(
    NOTEBOOK,
    "wrapup_a",
    "Wrap-up quiz: the verdict (06a)",
    questions=[
        Question(
            "At the contract's threshold, the tuned model's recall for banana is 72.6 %. "
            "What does that mean?",
            {
                "a": "Of the visits where it said banana, 72.6 % ended in a banana.",
                "b": "Of the customers who took a banana, it saw 72.6 % coming.",
                "c": "It is right on 72.6 % of all visits, bananas and apples alike.",
            },
            answer="b",
            why={
                "a": "No: that is precision (92.5 % here) - of the banana predictions, the "
                "share that were right. Recall starts from the customers who took a banana.",
                "b": "Yes: the other 27.4 % are false apples, the cheap mistake - the deal "
                "the threshold of 0.75 makes to keep the expensive false bananas few.",
                "c": "No: that would be accuracy, which counts both fruits. Recall looks at "
                "the banana buyers only, and the share of them predicted banana.",
            },
            tag="wrong_choice",
        ),
        _relabel(
            Question(
                "Why is the test set opened only once, after every choice is made?",
                {
                    "a": "Because predicting 3,815 visits is slow, so it is done once, at the "
                    "very end.",
                    "b": "Every change made after seeing its score tunes on it, and the score "
                    "turns optimistic.",
                    "c": "Because predicting on the test rows changes the fitted model, which "
                    "learns from them.",
                },
                answer="b",
                why={
                    "a": "No: predicting 3,815 visits takes a blink. The reason is statistical: "
                    "choices made on the test score make that score optimistic.",
                    "b": "Yes: notebook 05 chose everything by cross-validation on the training "
                    "rows, so the test score stays an honest estimate for new visits.",
                    "c": "No: predicting changes nothing in a fitted model. The danger is in *our* "
                    "choices, made after seeing the score.",
                },
                revisits="05",
                tag="test_used_for_tuning",
            ),
            "bca",
        ),
        _relabel(
            Question(
                "In scikit-learn's confusion matrix, what do the rows stand for?",
                {
                    "a": "The fruit the model predicted, one row per prediction.",
                    "b": "The fruit the customer took: the true label.",
                    "c": "The threshold used for each decision, one row per threshold.",
                },
                answer="b",
                why={
                    "a": "No: that is the columns. Reading the matrix the wrong way round swaps "
                    "false bananas and false apples - and their costs.",
                    "b": "Yes: rows are the truth, columns the prediction. A false banana took an "
                    "apple (row) and was predicted banana (column).",
                    "c": "No: a confusion matrix is one threshold. Each row is a true fruit.",
                },
                tag="swapped_axes",
            ),
            "bac",
        ),
        _relabel(
            Question(
                "At 0.5 the tuned model is right more often than at 0.75, yet it loses more money. "
                "Why?",
                {
                    "a": "Accuracy counts a 0.30 € false banana like a 0.10 € false apple; 0.5 "
                    "makes more of the costly kind.",
                    "b": "The test set is too small to tell: 3,815 visits leave room for such a "
                    "reversal by luck.",
                    "c": "Accuracy is computed on the training rows, the cost on the test rows, "
                    "so they disagree.",
                },
                answer="a",
                why={
                    "a": "Yes: with skewed costs, the most accurate threshold is not the "
                    "cheapest - which is why notebook 01's contract names the expected cost, "
                    "not accuracy.",
                    "b": "No: the difference is systematic, not luck - perfect knowledge shows "
                    "the same pattern. Accuracy simply ignores what each mistake costs.",
                    "c": "No: both are measured on the test rows. Accuracy ignores the costs.",
                },
                revisits="01",
                tag="accuracy_with_skewed_costs",
            ),
            "cab",
        ),
        Question(
            "Your verdict function computes the expected cost per visit. When does it say deploy?",
            {
                "a": "When the cost is at most the contract's minimum (cost <= minimum).",
                "b": "When the cost is at least the contract's minimum (cost >= minimum).",
                "c": "When the ROC AUC is above 0.9, whatever the cost at the threshold.",
            },
            answer="a",
            why={
                "a": "Yes: a cost is better when lower, so the minimum is the highest "
                "acceptable cost.",
                "b": "No: that is the comparison the wrong way round - it would deploy the "
                "models that lose *more* than the contract accepts.",
                "c": "No: AUC scores the ranking over all thresholds; the contract judges the "
                "cost at its own threshold.",
            },
            tag="compared_wrong_way",
        ),
    ],
)

wrapup_b = Quiz(
    NOTEBOOK,
    "wrapup_b",
    "Wrap-up quiz: how far to trust the verdict (06b)",
    questions=[
        _relabel(
            Question(
                "Why does the history hold fewer Station visits than the Station's share of "
                "passers-by?",
                {
                    "a": "App visits were always recorded, others only sometimes, and "
                    "commuters rarely use the app.",
                    "b": "The random split happened to send most of the Station's visits to "
                    "the test rows, not the training rows.",
                    "c": "Fewer people walk past the Station, so fewer of them buy fruit there.",
                },
                answer="a",
                why={
                    "a": "Yes: a sampling bias, which notebook 02 found. The test rows come "
                    "from the same history, so they share the bias.",
                    "b": "No: the split is random and keeps the mix; training and test rows share "
                    "the bias of the history they both come from.",
                    "c": "No: the sensors count more passers-by at the Station than anywhere else. "
                    "Its visits were recorded less often.",
                },
                revisits="02",
                tag="wrong_choice",
            ),
            "bca",
        ),
        _relabel(
            Question(
                "Why do the customers whose age is unknown cost the most per visit?",
                {
                    "a": "In this world older customers skip the age question, and the model "
                    "cannot see their age.",
                    "b": "Their age was imputed with 0, so the model treats them all as newborns.",
                    "c": "They all shop at the Station, where the commuters of the rush hour "
                    "make predictions hardest.",
                },
                answer="a",
                why={
                    "a": "Yes. The data alone cannot tell MAR from MNAR (notebook 02); we know "
                    "the gaps are not at random only because the simulated world was built so "
                    "that older customers skip the question. Perfect knowledge, which knows "
                    "their age, does much better there.",
                    "b": "No: notebook 03's preparation imputes with a statistic of the training "
                    "rows and adds a missing indicator, not 0.",
                    "c": "No: they come from every store. What they share is a missing age.",
                },
                revisits="02",
                tag="wrong_choice",
            ),
            "cab",
        ),
        Question(
            "The test cost's 95 % bootstrap interval is about 0.026 to 0.030 €. What does it say?",
            {
                "a": "95 % of the single visits cost between 0.026 and 0.030 € each.",
                "b": "The average cost per visit, over all visits like these, plausibly lies "
                "in it.",
                "c": "The model is right on 95 % of the visits, and each of them costs "
                "0.026 to 0.030 €.",
            },
            answer="b",
            why={
                "a": "No: a single visit costs 0, 0.10 or 0.30 €. The interval is about the "
                "*average* cost, and how much it would move with another sample.",
                "b": "Yes: it is a range of plausible values for the true average cost per "
                "visit, for visits drawn like these, made by a method that captures that "
                "average in about 95 % of samples - so quote 'about 0.028 €', not four "
                "decimals. (It does not promise that 95 % of other samples' averages would "
                "land inside.)",
                "c": "No: 95 % is the confidence level of the interval, not an accuracy.",
            },
            tag="wrong_value",
        ),
        Question(
            "A slice of 251 visits costs 0.040 € per visit, the whole test set 0.028 €. What "
            "do you conclude?",
            {
                "a": "A weakness to watch, but a noisy one: in 251 visits a few more or less "
                "move the cost.",
                "b": "The model is broken for that group, and must not be deployed until it "
                "is fixed.",
                "c": "Nothing: a slice does not matter as long as the average meets the contract.",
            },
            answer="a",
            why={
                "a": "Yes: read the count with the cost, and compare with perfect knowledge "
                "on the same slice.",
                "b": "No: it is still within the contract's minimum, and 251 visits give a "
                "wide interval. Compare it, don't panic.",
                "c": "No: one average can hide a group the model fails - that is why we slice.",
            },
            tag="wrong_choice",
        ),
        _relabel(
            Question(
                "The out-of-time estimate fits on January to September and scores October to "
                "December. Why not a random split?",
                {
                    "a": "The model will meet future months; a random split mixes months it "
                    "has already seen.",
                    "b": "A random split would leave too few training rows for a model this size.",
                    "c": "Because the bootstrap needs it: it can only resample visits that are "
                    "in time order.",
                },
                answer="a",
                why={
                    "a": "Yes: as notebook 04 did with time-ordered folds, the question asked - "
                    "months the model has never seen - decides how to split.",
                    "b": "No: the size is about the same. What differs is the question the score "
                    "answers.",
                    "c": "No: the bootstrap only resamples the visits scored. The split decides "
                    "which question the score answers.",
                },
                revisits="04",
                tag="wrong_choice",
            ),
            "cba",
        ),
    ],
)

wrapup_c = Quiz(
    NOTEBOOK,
    "wrapup_c",
    "Wrap-up quiz: explain and decide (06c)",
    questions=[
        _relabel(
            Question(
                "What does a column's permutation importance measure?",
                {
                    "a": "How much the model's score drops when that column is shuffled "
                    "(here: the rise in log-loss).",
                    "b": "The size of the column's coefficient in the model, once every column "
                    "is scaled to the same spread.",
                    "c": "The correlation of the column with the fruit, measured on the test "
                    "visits.",
                },
                answer="a",
                why={
                    "a": "Yes: shuffling breaks the column's link with the fruit; a column the "
                    "model relies on hurts when shuffled. The score is yours to choose; this "
                    "notebook used the log-loss.",
                    "b": "No: coefficients exist only for linear models, and depend on the "
                    "scaling. Permutation importance works for any model.",
                    "c": "No: correlation ignores the model. Importance asks what *this model* "
                    "loses without the column.",
                },
                tag="wrong_choice",
            ),
            "bac",
        ),
        _relabel(
            Question(
                "Prices have a low permutation importance, yet the world's price effect is "
                "strong. Why?",
                {
                    "a": "Prices moved little in that year, and importance measures only what a "
                    "column did there.",
                    "b": "The model ignores the prices: their weight is too small to change any "
                    "prediction.",
                    "c": "Permutation importance is wrong for prices, because they are ratios, "
                    "not raw euros.",
                },
                answer="a",
                why={
                    "a": "Yes: notebook 05's extrapolation demo showed the effect when prices "
                    "move further.",
                    "b": "No: the model uses them; shuffling a column that barely varies simply "
                    "changes little.",
                    "c": "No: it measures what it claims - in *these* visits. Read it with that in "
                    "mind.",
                },
                revisits="05",
                tag="wrong_choice",
            ),
            "cab",
        ),
        Question(
            "Partial dependence shows a straight line for temperature where the world has a "
            "hinge. Why?",
            {
                "a": "A logistic regression gives each column one weight - a straight line - "
                "unless prepared, as age was.",
                "b": "The test set has no hot days, so the hinge above 20 °C cannot show in "
                "the plot.",
                "c": "The temperature column was dropped, so the plot can only draw a line "
                "through its mean.",
            },
            answer="a",
            why={
                "a": "Yes: notebook 03 gave age its U (the squared distance from 45); "
                "temperature got no such feature, so its one weight averages the hinge.",
                "b": "No: the test year has hot days. The model's form is what limits it.",
                "c": "No: then its partial dependence would be flat.",
            },
            revisits="03",
            tag="wrong_choice",
        ),
        _relabel(
            Question(
                "In the verdict table, why compare the model with the rule of thumb?",
                {
                    "a": "The best strategy without a model: a model must beat it to be worth "
                    "deploying.",
                    "b": "It is the contract's minimum: the cost a model must reach to be "
                    "deployed.",
                    "c": "It is the best any model can do, so the gap shows what is left to gain.",
                },
                answer="a",
                why={
                    "a": "Yes: notebook 01's baseline. The minimum lies half-way from it to "
                    "perfect knowledge.",
                    "b": "No: the minimum (0.042 €) is stricter than the baseline (0.0578 €).",
                    "c": "No: that is perfect knowledge, the Bayes-optimal cost.",
                },
                revisits="01",
                tag="wrong_choice",
            ),
            "cba",
        ),
        _relabel(
            Question(
                "What belongs in the model card's 'out of scope'?",
                {
                    "a": "Uses it was not tested for: other stores, inputs beyond the training "
                    "ranges, other thresholds.",
                    "b": "The test visits it got wrong, listed so that a future user knows "
                    "where it fails.",
                    "c": "The columns it does not use, so that nobody sends it data it would "
                    "simply ignore.",
                },
                answer="a",
                why={
                    "a": "Yes: it tells a future user where the test's evidence stops.",
                    "b": "No: mistakes are measured (the confusion matrix, the cost); out of scope "
                    "is about *uses*.",
                    "c": "No: the card says which inputs it accepts; out of scope lists uses that "
                    "were never tested.",
                },
                tag="wrong_choice",
            ),
            "bca",
        ),
    ],
)
