"""Exercises of notebook 01 "Define success": leakage, the business metric, a threshold.

In the notebook::

    from course_utils.exercises.nb01 import q1, q2, wrapup

* ``q1`` - the columns a model may use at prediction time (``amount_paid`` leaks the fruit);
* ``q2`` - build task: ``cost_per_visit(y_true, y_pred, cost_false_banana,
  cost_false_apple)``, the expected cost per visit, checked by running it on predictions
  and cost tables the learner has not seen (another store's month, other costs, plain
  lists, a perfect prediction);
* ``wrapup`` - the wrap-up quiz (accuracy with skewed costs, leakage, the threshold for
  other costs, the Bayes floor; two questions come back to notebook 00).

Expected values come from the training rows of the standard split (``checkpoints.split()``),
computed once and cached; the two costs are those of the notebook (``COST_FALSE_BANANA``,
``COST_FALSE_APPLE``).

>>> q1.evaluate(...).status
'not_attempted'
>>> q2.evaluate(...).status
'not_attempted'
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercises import (
    MISTAKES,
    Exercise,
    Feedback,
    correct,
    describe,
    incorrect,
)

__all__ = ["q1", "q2", "wrapup"]

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


# --------------------------------------------------------------------------- q2 (build)

MISTAKES.setdefault("swapped_costs", "each mistake priced with the other mistake's cost")
MISTAKES.setdefault("metric_ignores_costs", "a metric that ignores the contract's costs")


def _counts(y_true: Any, y_pred: Any) -> tuple[int, int, int, int, int]:
    """False bananas, false apples, right bananas, right apples, and the number of visits."""
    t, p = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    return (
        int(((p == "banana") & (t == "apple")).sum()),
        int(((p == "apple") & (t == "banana")).sum()),
        int(((p == "banana") & (t == "banana")).sum()),
        int(((p == "apple") & (t == "apple")).sum()),
        len(t),
    )


def _q2_cases() -> list:
    from course_utils.exercises.functions import Case

    rng = np.random.default_rng(2024)
    month = pd.Series(
        rng.choice(["apple", "banana"], size=500, p=[0.45, 0.55]),
        index=rng.permutation(np.arange(1000, 1500)),
        name="fruit",
    )  # another store's month: a Series with a shuffled index, like y_train
    said = np.where(rng.random(500) < 0.6, month.to_numpy(), "banana")
    fruits = ["apple", "banana", "banana", "apple", "banana", "apple", "apple"]
    guess = ["banana", "banana", "apple", "apple", "banana", "banana", "apple"]
    return [
        Case(args=(month, said, 0.30, 0.10), label="another store's month (costs 0.30 and 0.10)"),
        Case(
            args=(np.array(fruits), np.array(guess), 0.05, 0.40),
            label="seven visits where a false apple is the dear mistake (0.05 and 0.40)",
        ),
        Case(
            args=(np.array(fruits), np.array(guess), 0.20, 0.20),
            label="the same seven visits with equal costs (0.20 each)",
        ),
        Case(args=(fruits, guess, 0.30, 0.10), label="the seven visits as plain Python lists"),
        Case(
            args=(np.array(fruits), np.array(fruits), 0.30, 0.10),
            label="seven visits predicted perfectly",
        ),
    ]


def _judge_q2(result: Any, case: Any) -> Feedback | None:
    y_true, y_pred, c_fb, c_fa = case.args
    fb, fa, tb, ta, n = _counts(y_true, y_pred)
    expected = (c_fb * fb + c_fa * fa) / n
    if isinstance(result, np.generic):
        result = result.item()
    if isinstance(result, bool) or not isinstance(result, numbers.Real):
        return incorrect(
            f"expected a number of euros per visit, got {describe(result)}. Return "
            "`(cost_false_banana * false_bananas + cost_false_apple * false_apples) / "
            "len(y_true)`.",
            "wrong_type",
        )
    value = float(result)
    if math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12):
        return None
    if isinstance(y_true, list) and value == 0:
        return incorrect(
            "you got 0, but two of these visits are mistakes. With plain lists, "
            "`y_pred == 'banana'` compares the whole list with one string (False). Turn "
            "both into arrays first: `y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)`.",
            "wrong_type",
        )
    near = [
        ((c_fa * fb + c_fb * fa) / n, "swapped_costs",
         "you weighed each mistake by the other one's cost. A false banana (banana said, "
         "apple bought) costs `cost_false_banana`; a false apple `cost_false_apple`."),
        (expected * n, "count_not_share",
         "that is the total over all the visits. The metric is per visit: divide by the "
         "number of visits."),
        ((fb + fa) / n, "metric_ignores_costs",
         "that is the error rate: every mistake counted as one. Weigh each kind of mistake "
         "by its cost."),
        ((0.30 * fb + 0.10 * fa) / n, "wrong_value",
         "you used the notebook's costs (0.30 and 0.10), not the ones passed to the function. "
         "Use the parameters `cost_false_banana` and `cost_false_apple`: the check tries "
         "other cost tables."),
        (c_fb * fb / n, "wrong_value",
         "you counted only the false bananas. A false apple (apple said, banana bought) costs "
         "`cost_false_apple`: add those too."),
        (c_fa * fa / n, "wrong_value",
         "you counted only the false apples. A false banana (banana said, apple bought) costs "
         "`cost_false_banana`: add those too."),
        ((c_fb * tb + c_fa * ta) / n, "wrong_value",
         "you charged the visits the prediction got *right*. A false banana is a visit where "
         "it said banana and the customer took an apple."),
        (100 * expected, "unit_cents",
         "that looks like cents. Give euros per visit: 25 cents is 0.25."),
    ]  # fmt: skip
    for value_seen, tag, text in near:
        if not math.isclose(value_seen, expected, rel_tol=1e-9, abs_tol=1e-12) and math.isclose(
            value, value_seen, rel_tol=1e-6, abs_tol=1e-9
        ):
            return incorrect(text, tag)
    return incorrect(
        f"your function returned {value:.6g} €; these predictions lose {expected:.4f} € per "
        f"visit ({fb} false banana(s), {fa} false apple(s), {n} visits). Count each kind of "
        "mistake, weigh it by its cost, add, divide by the number of visits.",
        "wrong_value",
    )


def _check_q2(answer: Any) -> Feedback | None:
    from course_utils.exercises.functions import check_function

    problem = check_function(
        answer,
        _q2_cases(),
        _judge_q2,
        what="`cost_per_visit`",
        params=("y_true", "y_pred", "cost_false_banana", "cost_false_apple"),
    )
    if problem is not None:
        return problem
    return correct(
        "Your function gives the right cost on five prediction sets you had not seen - "
        "another store's month, other cost tables, plain lists and a perfect prediction. "
        "This is the metric the success contract will name."
    )


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "Build the business metric",
    prompt="Write `cost_per_visit(y_true, y_pred, cost_false_banana, cost_false_apple)`: "
    "the average euros lost per visit when `y_pred` is predicted for visits that bought "
    "`y_true` (both sequences of 'apple'/'banana' of the same length: lists, arrays or "
    "Series). A **false banana** (banana predicted, apple bought) costs "
    "`cost_false_banana`, a **false apple** (apple predicted, banana bought) costs "
    "`cost_false_apple`; right predictions cost nothing. Return one number (euros per "
    "visit). The check runs your function on predictions and cost tables you have not seen.",
    expects="a function `cost_per_visit(y_true, y_pred, cost_false_banana, cost_false_apple)`",
    checker=_check_q2,
    hints=[
        "Two kinds of mistakes: a *false banana* (predicted banana, the customer took an "
        "apple) and a *false apple* (the other way round). Count each kind, weigh it by its "
        "cost, add, and divide by the number of visits.",
        "Start with `y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)` (so lists work "
        "too); then `((y_pred == 'banana') & (y_true == 'apple')).sum()` counts the false "
        "bananas.",
        "`false_banana = ((y_pred == 'banana') & (y_true == 'apple')).sum()`, the same for "
        "`false_apple`, then `return (cost_false_banana * false_banana + cost_false_apple * "
        "false_apple) / len(y_true)`.",
    ],
    solution="def cost_per_visit(y_true, y_pred, cost_false_banana, cost_false_apple):\n"
    "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
    "    false_banana = ((y_pred == 'banana') & (y_true == 'apple')).sum()\n"
    "    false_apple = ((y_pred == 'apple') & (y_true == 'banana')).sum()\n"
    "    return (cost_false_banana * false_banana + cost_false_apple * false_apple) / len(y_true)"
    "\n\nq2.check(cost_per_visit)",
    explanation="Expected cost per visit = (cost of a false banana × number of false bananas "
    "+ cost of a false apple × number of false apples) / number of visits. Applied to the "
    "majority baseline, which always says banana, every mistake is a false banana: one per "
    "apple buyer.",
)


# --------------------------------------------------------------------------- wrap-up quiz

from course_utils.exercises.quiz import Question, Quiz  # noqa: E402

MISTAKES.setdefault(
    "default_threshold", "decided at the default threshold 0.5 instead of the contract's"
)

wrapup = Quiz(
    NOTEBOOK,
    "wrapup",
    "Wrap-up quiz: define success",
    questions=[
        Question(
            "A false banana costs €0.30, a false apple €0.10. Which metric should decide "
            "whether a model is good enough?",
            {
                "a": "Accuracy: the share of right predictions.",
                "b": "The expected cost per visit, in euros.",
                "c": "The F1 score of banana.",
                "d": "Balanced accuracy: the mean of the accuracy on apple buyers and on "
                "banana buyers.",
            },
            answer="b",
            why={
                "a": "Accuracy counts every mistake as one; here it prefers *always banana*, "
                "the dearer constant strategy. When mistakes cost differently, it can point "
                "to the wrong decision.",
                "b": "Yes: it weighs each mistake by its price, as the shop's accounts do.",
                "c": "F1 has no euros in it: it cannot know that a false banana costs three "
                "times a false apple.",
                "d": "Balanced accuracy weighs the two *classes* equally, not the two "
                "*mistakes* by their price: a false banana still counts like a false apple.",
            },
            tag="accuracy_with_skewed_costs",
        ),
        Question(
            "A colleague adds `receipt_total` to the inputs, and the model scores 99 % on the "
            "history. What do you do?",
            {
                "a": "Deploy it: 99 % on the history beats every baseline by far.",
                "b": "Keep it, but scale it down so the model leans on it less.",
                "c": "Drop it: the receipt exists only after payment - leakage.",
            },
            answer="c",
            why={
                "a": "A score too good to be true is the classic sign of leakage: at the stand, "
                "before paying, the column is empty and the model is useless.",
                "b": "Any amount of a value that will not exist at prediction time is too much.",
                "c": "Yes: it is not there when the customer reaches the stand, and only what "
                "exists at the moment of prediction may be an input.",
            },
            tag="leakage",
        ),
        Question(
            "The shop now prices both mistakes the same: €0.10 each. Above which probability "
            "of banana should the stand offer a banana?",
            {
                "a": "0.5: with equal costs, the likelier fruit is the cheaper bet.",
                "b": "0.75, as in the contract: the threshold is fixed once signed.",
                "c": "0.25: both costs are lower now, so the threshold is lower.",
            },
            answer="a",
            why={
                "a": "Yes: c_fb / (c_fb + c_fa) = 0.10 / 0.20 = 0.5.",
                "b": "0.75 came from costs of 0.30 and 0.10. The threshold is not a fixed "
                "number: the contract computes it from the two costs, so new prices move it.",
                "c": "What matters is the *ratio* of the two costs, not their size: halving "
                "both would leave the threshold where it was.",
            },
            tag="default_threshold",
        ),
        Question(
            "Your manager asks for a model that loses at most €0.02 per visit. Perfect "
            "knowledge of every true probability loses about €0.026. What do you answer?",
            {
                "a": "Yes, with a bigger model and more tuning on the history.",
                "b": "Not with these inputs: even perfect knowledge loses more.",
                "c": "Yes: decide at 0.5 instead of 0.75, and the cost drops.",
            },
            answer="b",
            why={
                "a": "No model beats the Bayes-optimal line: it already knows the true "
                "probabilities.",
                "b": "Yes: the Bayes-optimal cost is the floor for any model on these inputs, "
                "because people are not fully predictable. New information or other costs "
                "could change that.",
                "c": "At 0.5 perfect knowledge loses *more* (about €0.031): 0.75 is the "
                "cheapest threshold for these costs.",
            },
            tag="wrong_choice",
        ),
        Question(
            "Notebook 00 found that most visits end in a banana. Why is *always banana* still "
            "not the cheapest constant strategy?",
            {
                "a": "Apple is the real majority once the test rows are counted too.",
                "b": "Its accuracy, 0.616, falls short of the contract's 0.75.",
                "c": "Its mistakes are false bananas, which cost three times more.",
            },
            answer="c",
            why={
                "a": "Banana is the majority (about six visits in ten, as notebook 00 found); "
                "the point is what each mistake costs, not which class is larger.",
                "b": "The contract is written in euros per visit, not in accuracy; 0.75 is "
                "its decision threshold, a probability of banana, not a minimum score.",
                "c": "Yes: about 38 % × €0.30 is more than 62 % × €0.10 - the fewer mistakes "
                "are the dearer ones.",
            },
            revisits="00",
            tag="accuracy_with_skewed_costs",
        ),
        Question(
            "Notebook 00 drew the lifecycle as a loop. Why write the success contract now, "
            "before any model is trained?",
            {
                "a": "So the bar is set before any score is seen, and not moved after.",
                "b": "So the model can learn the contract's costs during training.",
                "c": "No reason: it could be written after deployment just as well.",
            },
            answer="a",
            why={
                "a": "Yes: the bar is set by the business, before the results are known, and "
                "notebooks 06, 08 and 09 judge every model against it around the loop.",
                "b": "The model learns from the data; the contract only judges it (and sets "
                "the threshold of its decisions).",
                "c": "A bar chosen after seeing the scores is chosen to be passed.",
            },
            revisits="00",
            tag="wrong_choice",
        ),
    ],
)
