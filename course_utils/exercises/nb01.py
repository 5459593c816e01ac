"""Exercises of notebook 01 "Define success": leakage, baselines, a cost-aware metric, a threshold.

In the notebook::

    from course_utils.exercises.nb01 import q1, q2, q3, q4

* ``q1`` - the columns a model may use at prediction time (``amount_paid`` leaks the fruit);
* ``q2`` - the expected cost per visit of the majority-class baseline;
* ``q3`` - the metric for the success contract (accuracy is the misconception);
* ``q4`` - the best decision threshold for the two costs.

Expected values come from the training rows of the standard split (``checkpoints.split()``),
computed once and cached; the two costs are those of the notebook (``COST_FALSE_BANANA``,
``COST_FALSE_APPLE``).

>>> q1.evaluate(...).status
'not_attempted'
>>> q4.evaluate(0.25).mistake
'complement'
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercises import (
    Exercise,
    Feedback,
    NearMiss,
    correct,
    describe,
    expect_number,
    incorrect,
)

__all__ = ["q1", "q2", "q3", "q4"]

NOTEBOOK = "01"

#: What each mistake costs the shop, in euros (the notebook's business view).
COST_FALSE_BANANA = 0.30  # predicted banana, the customer took an apple
COST_FALSE_APPLE = 0.10  # predicted apple, the customer wanted a banana

#: The columns of the table ``candidates`` in the notebook: the cleaned history with the
#: till's ``amount_paid`` joined on.
LEAKS = {
    "amount_paid": "`amount_paid` is only known *after* the customer has paid - and it gives "
    "the fruit away (it equals that day's price of the fruit bought). Using it is leakage: "
    "the model would look brilliant on the history and be unusable at the stand.",
    "fruit": "`fruit` is the target - the very thing we want to predict. It can't be an "
    "input: at the stand, nobody knows it yet.",
}
NOT_FEATURES = {
    "visit_id": "`visit_id` is a row number given by the till, not something about the visit: "
    "a model would learn nothing from it that carries over to new visits.",
    "customer_id": "`customer_id` is an identifier, not a property of the customer: a model "
    "would memorise ids instead of learning patterns (what it needs to know about the "
    "customer - age, children, loyalty card - is already in other columns).",
    "timestamp": "the raw `timestamp` is known, but a model can't use it as it is: the parts "
    "that matter, `hour` and `weekday`, are already columns of their own.",
}


@cache
def _train() -> pd.DataFrame:
    from course_utils import checkpoints

    train, _ = checkpoints.split()
    return train


@cache
def _candidates() -> tuple[str, ...]:
    from course_utils import checkpoints

    return (*checkpoints.CLEAN_COLUMNS, "amount_paid")


@cache
def _features() -> tuple[str, ...]:
    from course_utils import world

    return tuple(world.FEATURES)


# --------------------------------------------------------------------------- q1


def _names(answer: Any) -> list[str] | Feedback:
    """The column names in the answer, or a Feedback saying why it is not a list of names."""
    what = "a list of column names, e.g. ['store', 'hour']"
    if isinstance(answer, pd.DataFrame):
        items: Iterable[Any] = list(answer.columns)
    elif isinstance(answer, str):
        return incorrect(
            f"Expected {what}, got a single str ({answer!r}). Put every usable column name "
            "in a list: `['store', 'hour', ...]`.",
            "wrong_type",
        )
    elif isinstance(answer, list | tuple | set | frozenset | pd.Index | pd.Series):
        items = list(answer)
    elif isinstance(answer, np.ndarray) and answer.ndim == 1:
        items = answer.tolist()
    else:
        return incorrect(f"Expected {what}, got {describe(answer)}.", "wrong_type")
    bad = [x for x in items if not isinstance(x, str)]
    if bad:
        return incorrect(
            f"Expected {what}; your answer contains {describe(bad[0])}. Give the names as "
            "text (in quotes).",
            "wrong_type",
        )
    if not items:
        return incorrect(
            "Your list is empty. Some columns *are* known when the customer reaches the "
            "stand - which ones?",
            "wrong_shape",
        )
    return list(items)


def _check_q1(answer: Any) -> Feedback:
    names = _names(answer)
    if isinstance(names, Feedback):
        return names
    known = _candidates()
    unknown = [n for n in dict.fromkeys(names) if n not in known]
    if unknown:
        tips = []
        for n in unknown:
            close = [k for k in known if k.casefold() == n.strip().casefold()]
            if close:
                tips.append(f"{n!r} (did you mean {close[0]!r}? names are exact)")
            else:
                tips.append(repr(n))
        return incorrect(
            f"{', '.join(tips)} {'is not a column' if len(tips) == 1 else 'are not columns'} "
            "of `candidates`. Pick names from `list(candidates.columns)`.",
            "wrong_column",
        )
    chosen = set(names)
    leaks = [c for c in ("amount_paid", "fruit") if c in chosen]
    if leaks:
        text = " ".join(LEAKS[c] for c in leaks)
        if len(leaks) == 1 and leaks[0] == "fruit":
            text += " Is any *other* column only known after the purchase?"
        return incorrect(text, "leakage")
    extra = [c for c in ("visit_id", "customer_id", "timestamp") if c in chosen]
    if extra:
        return incorrect(" ".join(NOT_FEATURES[c] for c in extra), "extra_columns")
    missing = [c for c in _features() if c not in chosen]
    if missing:
        listed = ", ".join(f"`{c}`" for c in missing)
        return incorrect(
            f"No leak in your list - good. But {listed} "
            f"{'is' if len(missing) == 1 else 'are'} also known when the customer reaches "
            "the stand (from the customer record, the price page, the sensors or the clock). "
            "Leaving out useful columns makes the model worse.",
            "missing_columns",
        )
    return correct(
        "These columns all exist before the customer pays. `amount_paid` and `fruit` only "
        "exist afterwards - keep them out of the model's inputs."
    )


q1 = Exercise(
    NOTEBOOK,
    "q1",
    "Columns known at prediction time",
    prompt="The model predicts when the customer reaches the stand, before paying. Which "
    "columns of `candidates` may it take as inputs? Give a list of column names. Leave out "
    "the identifiers (`visit_id`, `customer_id`) and the raw `timestamp` - `hour` and "
    "`weekday` come from it.",
    expects="a list of column names",
    checker=_check_q1,
    hints=[
        "Go through the columns one by one and ask: would the stand know this value at the "
        "moment the customer walks up - before anything is bought or paid?",
        "Two columns only come into existence at the till, once the purchase is done. One of "
        "them is the target itself; look hard at the other one (what does it equal?).",
        "Start from all the columns and drop the ones that are not allowed: "
        "`[c for c in candidates.columns if c not in ['visit_id', 'timestamp', "
        "'customer_id', ...]]` - what else goes in that list?",
    ],
    solution="drop = ['visit_id', 'timestamp', 'customer_id', 'fruit', 'amount_paid']\n"
    "usable = [c for c in candidates.columns if c not in drop]\n"
    "q1.check(usable)",
    explanation="`fruit` is the target and `amount_paid` is written by the till after the "
    "purchase - and equals the price of the fruit bought, so it gives the answer away "
    "(leakage). Everything else about the visit is known when the customer arrives.",
)


# --------------------------------------------------------------------------- q2


def _check_q2(answer: Any) -> Feedback:
    y = _train()["fruit"].astype(object).to_numpy()
    n = len(y)
    apple = float(np.mean(y == "apple"))
    banana = 1.0 - apple
    expected = COST_FALSE_BANANA * apple
    return expect_number(
        answer,
        expected,
        tol=0.0005,
        what="a number of euros per visit (e.g. 0.25 for 25 cents)",
        lo=0,
        hi=max(COST_FALSE_BANANA, COST_FALSE_APPLE),
        near_misses=[
            NearMiss(
                100 * expected,
                "unit_cents",
                "That looks like cents (or a percentage). Give euros per visit: 25 cents is 0.25.",
                tol=0.05,
            ),
            NearMiss(
                apple,
                "wrong_value",
                "That is the share of visits the baseline gets wrong - its error rate. The "
                "metric weighs each mistake by what it costs: multiply by the right price.",
            ),
            NearMiss(
                banana,
                "wrong_value",
                "That is the baseline's accuracy (the share it gets right). Right answers cost "
                "nothing; the question is what its *mistakes* cost, per visit.",
            ),
            NearMiss(
                COST_FALSE_APPLE * apple,
                "wrong_value",
                "You priced its mistakes as false apples. A baseline that always says banana "
                "can only make one kind of mistake: a banana predicted for an apple buyer. "
                "Which cost goes with that?",
            ),
            NearMiss(
                COST_FALSE_APPLE * banana,
                "wrong_value",
                "That is the cost of always predicting *apple*. The majority class - what "
                "`DummyClassifier(strategy='most_frequent')` predicts - is banana here.",
            ),
            NearMiss(
                COST_FALSE_BANANA * banana,
                "wrong_value",
                "You charged the visits the baseline gets *right* (banana predicted, banana "
                "bought). A false banana is a visit where it said banana and the customer "
                "took an apple.",
            ),
            NearMiss(
                expected * n,
                "count_not_share",
                "That is the total over all the training visits. The metric is per visit: "
                "divide by the number of visits (or take a `.mean()`).",
                tol=0.5,
            ),
            NearMiss(
                apple * n,
                "count_not_share",
                "That is the number of mistakes, not their cost per visit. Multiply by the "
                "cost of that mistake and divide by the number of visits.",
                tol=0.5,
            ),
        ],
        wrong="Not the expected cost per visit of the majority baseline. Count its false "
        "bananas and false apples, multiply each count by its cost, add, and divide by the "
        "number of visits.",
        success=f"Always saying banana loses about {100 * expected:.1f} cents per visit - "
        "every apple buyer is offered a banana they don't want. Keep this number in mind.",
    )


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "Expected cost of the majority baseline",
    prompt="`majority_pred` holds the majority baseline's (cross-validated) predictions for "
    "the training visits `y_train`. What does it cost per visit, in euros? A false banana "
    "costs `COST_FALSE_BANANA`, a false apple `COST_FALSE_APPLE`. Checked to ± 0.0005.",
    expects="a number of euros per visit",
    checker=_check_q2,
    hints=[
        "Two kinds of mistakes: a *false banana* (predicted banana, the customer took an "
        "apple) and a *false apple* (the other way round). Count each kind.",
        "`(majority_pred == 'banana') & (y_train == 'apple')` marks the false bananas; its "
        "`.sum()` counts them. Do the same for the false apples, weigh each count by its "
        "cost, and divide by `len(y_train)`.",
        "`false_banana = ((majority_pred == 'banana') & (y_train == 'apple')).sum()`, "
        "the same for `false_apple`, then `(COST_FALSE_BANANA * false_banana + "
        "COST_FALSE_APPLE * false_apple) / len(y_train)`.",
    ],
    solution="false_banana = ((majority_pred == 'banana') & (y_train == 'apple')).sum()\n"
    "false_apple = ((majority_pred == 'apple') & (y_train == 'banana')).sum()\n"
    "majority_cost = (COST_FALSE_BANANA * false_banana + COST_FALSE_APPLE * false_apple) "
    "/ len(y_train)\n"
    "q2.check(majority_cost)",
    explanation="The majority baseline always says banana, so all its mistakes are false "
    "bananas: one per apple buyer. Expected cost per visit = cost of a false banana × share "
    "of apple buyers.",
)


# --------------------------------------------------------------------------- q3

_COST_NAMES = {"expected_cost", "expected_cost_per_visit", "cost_per_visit", "cost", "costs"}
_OTHER_METRICS = {
    "balanced_accuracy": "Balanced accuracy weighs the two *classes* equally, not the two "
    "*mistakes* by their price: a false banana still counts like a false apple.",
    "f1": "F1 mixes precision and recall of banana and has no euros in it: it cannot know that "
    "a false banana costs three times a false apple.",
    "f1_score": "F1 mixes precision and recall of banana and has no euros in it: it cannot "
    "know that a false banana costs three times a false apple.",
    "log_loss": "Log-loss scores the *probabilities* - a proper scoring rule, a fine tool for "
    "fitting and comparing models - but it does not know what a wrong decision costs the "
    "shop.",
    "precision": "A step in the right direction: the precision of banana watches the costly "
    "false bananas. But it ignores false apples completely, and they cost money too. Which "
    "metric weighs both mistakes by their price?",
    "recall": "Recall of banana punishes false apples - the *cheaper* mistake here - and "
    "ignores false bananas. Which metric weighs both by their price?",
    "roc_auc": "ROC AUC scores how well a model ranks visits, for all thresholds at once; it "
    "does not say what the decisions the stand actually takes will cost.",
    "auc": "AUC scores how well a model ranks visits, for all thresholds at once; it does not "
    "say what the decisions the stand actually takes will cost.",
}


def _check_q3(answer: Any) -> Feedback:
    from course_utils.misconceptions import _metric_name, expect_cost_aware_metric

    # banana is the positive class: a false banana is a false positive. ratio=2: with the
    # default 3, 0.30 / 0.10 (= 2.9999999999999996 in floating point) would slip through.
    feedback = expect_cost_aware_metric(answer, COST_FALSE_BANANA, COST_FALSE_APPLE, ratio=2.0)
    if not feedback.ok:
        return feedback
    name = _metric_name(answer) or ""
    if "total" in name and "cost" in name:
        return incorrect(
            "A total cost grows with the number of visits scored, so you could not compare "
            "a month with a year, or the training rows with the test rows. Make it per visit.",
            "wrong_choice",
        )
    if name in _COST_NAMES or name.endswith("_cost"):
        return correct(
            "The expected cost per visit weighs each mistake by its price in euros, so it "
            "ranks models the way the shop's accounts would. Lower is better."
        )
    if name in _OTHER_METRICS:
        return incorrect(_OTHER_METRICS[name], "wrong_choice")
    return incorrect(
        f"{answer!r} is not one of the metrics a contract can name: 'accuracy', "
        "'balanced_accuracy', 'f1', 'log_loss', 'expected_cost'.",
        "wrong_choice",
    )


q3 = Exercise(
    NOTEBOOK,
    "q3",
    "The metric for the contract",
    prompt=f"A false banana costs €{COST_FALSE_BANANA:.2f}, a false apple "
    f"€{COST_FALSE_APPLE:.2f}. Which metric should decide "
    "whether a model is good enough? Give its name as a str, one of 'accuracy', "
    "'balanced_accuracy', 'f1', 'log_loss', 'expected_cost'.",
    expects="the name of a metric (a str)",
    checker=_check_q3,
    hints=[
        "The two mistakes don't cost the same. Which of these metrics knows that?",
        "Accuracy, balanced accuracy and F1 count mistakes; log-loss scores probabilities. "
        "Only one of them is measured in euros.",
        "The metric you computed by hand in the previous exercise.",
    ],
    solution="metric = 'expected_cost'\nq3.check(metric)",
    explanation="With a false banana three times as costly as a false apple, counting "
    "mistakes (accuracy) prefers the wrong strategy - always banana - over the cheaper one. "
    "The expected cost per visit weighs each mistake by its price.",
)


# --------------------------------------------------------------------------- q4


def _check_q4(answer: Any) -> Feedback:
    c_fb, c_fa = COST_FALSE_BANANA, COST_FALSE_APPLE
    expected = c_fb / (c_fb + c_fa)
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        if abs(float(answer) - c_fb) < 1e-9 or abs(float(answer) - c_fa) < 1e-9:
            return incorrect(
                "That is one of the costs, in euros. The threshold is a *probability* of "
                "banana: where do the average costs of the two decisions meet?",
                "wrong_value",
            )
    return expect_number(
        answer,
        expected,
        tol=0.005,
        what="a probability between 0 and 1",
        lo=0,
        hi=1,
        kind="fraction",
        near_misses=[
            NearMiss(
                c_fa / (c_fa + c_fb),
                "complement",
                "Upside down: with that threshold the *costly* mistake becomes the frequent "
                f"one. Predicting banana risks a false banana (€{c_fb:.2f}) when the customer "
                "takes an apple, which happens with probability 1 − p.",
            ),
            NearMiss(
                0.5,
                "wrong_value",
                "0.5 is the best threshold when both mistakes cost the same. Here a false "
                "banana costs more, so you should want to be *surer* before saying banana.",
            ),
            NearMiss(
                c_fb / c_fa,
                "wrong_value",
                "That is the ratio of the two costs, not a probability. Solve "
                "c_fb × (1 − p) = c_fa × p for p.",
            ),
            NearMiss(
                c_fa / c_fb,
                "wrong_value",
                "That is a ratio of the two costs, not a probability. Solve "
                "c_fb × (1 − p) = c_fa × p for p.",
            ),
        ],
        wrong="Not the break-even probability. Predicting banana costs c_fb × (1 − p) on "
        "average, predicting apple c_fa × p: find the p where the two are equal.",
        success="Above that probability, banana is the cheaper bet; below it, apple. A costly "
        "false banana pushes the threshold up from 0.5.",
    )


q4 = Exercise(
    NOTEBOOK,
    "q4",
    "The best decision threshold",
    prompt="For a visit where the chance of banana is p, predicting banana costs on average "
    "`COST_FALSE_BANANA * (1 - p)` and predicting apple `COST_FALSE_APPLE * p`. Above which "
    "p is banana the cheaper prediction? Give a probability between 0 and 1. Checked to ± 0.005.",
    expects="a probability between 0 and 1",
    checker=_check_q4,
    hints=[
        "At the threshold both decisions cost the same on average. Write that as an equation in p.",
        "c_fb × (1 − p) = c_fa × p. Move every p to one side: c_fb = (c_fa + c_fb) × p.",
        "`COST_FALSE_BANANA / (COST_FALSE_BANANA + COST_FALSE_APPLE)`.",
    ],
    solution="threshold = COST_FALSE_BANANA / (COST_FALSE_BANANA + COST_FALSE_APPLE)\n"
    "q4.check(threshold)",
    explanation="c_fb × (1 − p) = c_fa × p gives p = c_fb / (c_fb + c_fa). With equal costs "
    "that is 0.5; the dearer a false banana, the surer you must be before saying banana.",
)
