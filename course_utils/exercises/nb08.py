"""Exercises of notebooks 08a and 08b "Monitor": build an alert rule, read the alarms.

In notebook 08a (detect drift)::

    from course_utils.exercises.nb08 import q1, q2, store_days, transfer_months, wrapup_a

* ``q1`` - the build task: ``drift_alert(reference, current, reference_days, current_days)``
  returns ``(alert, psi)`` for a day-level input - one value per store-day, the PSI by hand
  with empty bins floored, an alert above both 0.25 and the 95 % noise quantile. Checked by
  running it on months and stores of other years (seeds 7 and 8) the notebook never shows;
  the judge names the missing log, log10, half a PSI, bins from the wrong month, empty
  bins, visits counted as independent, a fixed or mean-noise threshold, the wrong side;
* ``q2`` - transfer: the same rule on Riverside's May and June of another year (seed 2027);
* ``wrapup_a`` - the wrap-up quiz of part a.

In notebook 08b (judge the alarms): ``q3`` (a PSI alert and a tiny p-value in July - is the
model broken?), ``q4`` (which number the live metric compares with the contract), ``q5``
(which kind of change a dashboard shows), ``wrapup_b``.

>>> q5.evaluate("concept drift").ok
True
>>> q4.evaluate("accuracy").mistake
'accuracy_with_skewed_costs'
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np

from course_utils.exercises import (
    MISTAKES,
    Exercise,
    Feedback,
    _is_missing,
    correct,
    describe,
    expect_choice,
    incorrect,
    not_attempted,
)
from course_utils.exercises.quiz import Question, Quiz

__all__ = [
    "q1",
    "q2",
    "q3",
    "q4",
    "q5",
    "store_days",
    "transfer_months",
    "wrapup_a",
    "wrapup_b",
]

NOTEBOOK = "08"

# Mistakes specific to this notebook, registered with the others (tags must be known).
MISTAKES.setdefault("psi_no_log", "the PSI without its logarithm: (a - e) * (a / e)")
MISTAKES.setdefault("psi_log10", "the PSI with log10 instead of the natural logarithm")
MISTAKES.setdefault("psi_one_sided", "only one half of the PSI: a * log(a / e) (a KL divergence)")
MISTAKES.setdefault("psi_bins_from_current", "PSI bins cut at the current month's quantiles")
MISTAKES.setdefault("psi_separate_bins", "reference and current binned with different edges")
MISTAKES.setdefault("psi_dropped_outside", "values outside the reference's range left out")
MISTAKES.setdefault("said_data_drift", "called a change in P(fruit | inputs) data drift")
MISTAKES.setdefault("said_prior_shift", "called a change with no moving input a prior shift")
MISTAKES.setdefault("said_quality_break", "called a change with sound inputs a data-quality break")
MISTAKES.setdefault("said_seasonality", "called a loss of accuracy seasonality")
MISTAKES.setdefault("significant_means_harmful", "a tiny p-value taken as proof of harm")
MISTAKES.setdefault("seasonal_psi_alarm", "a seasonal input compared with the whole year")
MISTAKES.setdefault("drop_drifting_input", "dropped an input to silence its drift alarm")
MISTAKES.setdefault("metric_ignores_costs", "a monitoring metric that ignores the contract's costs")


def _deciles(values: np.ndarray) -> np.ndarray:
    inner = np.unique(np.quantile(values, np.linspace(0, 1, 11))[1:-1])
    return np.concatenate([[-np.inf], inner, [np.inf]])


# --------------------------------------------------------------------------- q3

Q4_OPTIONS = {
    "a": "Yes: p is far below 0.05, the change is significant - retrain today.",
    "b": "Yes: the PSI is above 0.25, the documented alert threshold - retrain today.",
    "c": "No: July is warm every year. Compare July with the Julys of the history (the "
    "seasonal rule), and judge the model by its live metric when the labels arrive.",
    "d": "Drop temperature_c from the model, so that it cannot drift any more.",
}


def _check_q3(answer: Any) -> Feedback:
    return expect_choice(
        answer,
        "c",
        list(Q4_OPTIONS),
        explanations={
            "a": (
                "significant_means_harmful",
                "A p-value says *that* two samples differ, not whether the difference "
                "matters. And this one is not even valid: it counts every visit as "
                "independent, while all the visits of a store and day share its weather - "
                "thousands of rows, but only about 90 store-days of evidence a month. "
                "Retraining on a warm month would not make the model better in July either: "
                "it has already seen a July.",
            ),
            "b": (
                "seasonal_psi_alarm",
                "Against the whole year, *every* month's temperature has drifted - July is "
                "hot and January cold, every year, and the model learned both. That "
                "comparison would page someone every month. Compare like with like: July "
                "with the Julys of the history.",
            ),
            "d": (
                "drop_drifting_input",
                "temperature_c carries signal (hot days push towards bananas); dropping it "
                "makes every prediction worse to silence an alarm that should not ring in "
                "the first place. Fix the comparison, not the model.",
            ),
        },
        what="one of 'a', 'b', 'c', 'd'",
        success="Seasonal inputs move every year; the rules compare them with the same month "
        "of the history, and only the live metric can say whether the model suffers.",
    )


q3 = Exercise(
    NOTEBOOK,
    "q3",
    "Is the model broken in July?",
    prompt="It is July. Against the whole training year, the PSI of `temperature_c` is about "
    "5 and a KS test on the visits gives p < 1e-100. A colleague says: 'The model is "
    "broken - retrain it now.' What do you answer? "
    + "".join(f"\n({k}) {text}" for k, text in Q4_OPTIONS.items())
    + "\nAnswer with the letter.",
    expects="one of the letters 'a', 'b', 'c', 'd'",
    checker=_check_q3,
    hints=[
        "Was temperature in July different from the whole year *last* year too, when the "
        "model was trained?",
        "A p-value measures whether two samples differ, not whether the model gets worse. "
        "What does the model's quality depend on, and when can you measure it?",
        "The seasonal rules compare a month with the same month of the history; the live "
        "metric, with the labels, says whether predictions got worse.",
    ],
    solution="answer = 'c'\nq3.check(answer)",
    explanation="July is warm every year and the model learned it from the history: "
    "comparing July with the whole year (or trusting a p-value on thousands of rows) would "
    "page someone every month. The seasonal rule compares July with past Julys; the live "
    "metric tells whether the model actually suffers.",
)


# --------------------------------------------------------------------------- q4

_ACCEPT = {"expected_cost", "expected_cost_per_visit", "cost", "cost_per_visit"}
_OTHER_METRICS = {
    "f1": "F1 balances precision and recall, but not by their euros: a false banana costs "
    "three times a false apple here.",
    "recall": "Recall of bananas counts the missed bananas - the false apples, the *cheap* "
    "mistake. It ignores the expensive one entirely.",
    "precision": "Precision of bananas punishes false bananas, the expensive mistake - closer. "
    "But it ignores the false apples, and the contract was signed in euros per visit.",
    "roc_auc": "ROC AUC ignores the threshold and the costs: the model could keep its AUC and "
    "still cost more at the contract's threshold.",
    "auc": "AUC ignores the threshold and the costs: the model could keep its AUC and still "
    "cost more at the contract's threshold.",
    "log_loss": "Log-loss judges the probabilities - worth watching, but the contract was "
    "signed in another unit. Compare like with like.",
    "balanced_accuracy": "Balanced accuracy weighs the two *classes* equally (the mean of "
    "their recalls), not the two mistakes by their price; here one costs three times the "
    "other.",
    "psi": "The PSI measures how the *inputs* moved, not how good the predictions are; it "
    "needs no labels at all.",
}


def _metric_key(answer: str) -> str:
    return answer.strip().casefold().replace("-", "_").replace(" ", "_")


def _check_q4(answer: Any) -> Feedback:
    from course_utils import contract as contracts
    from course_utils.misconceptions import accuracy_with_skewed_costs

    if _is_missing(answer):
        return not_attempted("Replace the `...` with the name of a metric (a str).")
    if not isinstance(answer, str):
        return incorrect(
            f"Expected the name of a metric as a str (e.g. 'log_loss'), got {describe(answer)}.",
            "wrong_type",
        )
    key = _metric_key(answer)
    if not key:
        return incorrect("Expected the name of a metric, got an empty str.", "wrong_type")
    signed = contracts.load(quiet=True)
    # Positive class: banana. A false positive is a false banana, a false negative a false apple.
    skewed = accuracy_with_skewed_costs(key, signed.cost_false_banana, signed.cost_false_apple)
    if skewed is not None:  # the course's detector; the coaching in the shop's words
        ratio = signed.cost_false_banana / max(signed.cost_false_apple, 1e-12)
        return incorrect(
            f"Accuracy counts every mistake the same, but here a false banana costs "
            f"{ratio:.3g} times a false apple. The live metric must weigh each mistake by "
            "its price, as the contract does: which metric did notebook 01 write into it?",
            skewed.mistake,
        )
    if key in _ACCEPT or key == _metric_key(signed.metric):
        return correct(
            "The monitor measures what the contract promised, in the same unit: euros per "
            "visit at the contract's threshold - so 'still within the contract?' has a plain "
            "answer each month."
        )
    if key in _OTHER_METRICS:
        return incorrect(_OTHER_METRICS[key], "metric_ignores_costs")
    return incorrect(
        f"{answer.strip()!r} is not a metric the contract can be checked with. Which metric did "
        "notebook 01 write into the success contract?",
        "wrong_value",
    )


q4 = Exercise(
    NOTEBOOK,
    "q4",
    "What the live metric measures",
    prompt="Labels arrive a month late. Each month, the monitor compares one number with the "
    "success contract. Which metric should that be? Give its name as a str (e.g. 'log_loss').",
    expects="the name of a metric (a str)",
    checker=_check_q4,
    hints=[
        "The contract of notebook 01 names a metric and a minimum. Which?",
        "Does a false banana cost the same as a false apple? Then should the live metric count "
        "them the same?",
        "`contract.load().metric` - the metric the contract was signed with.",
    ],
    solution="answer = 'expected_cost'\nq4.check(answer)",
    explanation="The contract is expressed as an expected cost per visit (false bananas at "
    "0.30 €, false apples at 0.10 €); the monitor compares the same number, on the labels "
    "that have arrived, with the contract's minimum.",
)
# --------------------------------------------------------------------------- q5

KINDS = ("data drift", "prior shift", "concept drift", "data-quality break", "seasonality")


def _check_q5(answer: Any) -> Feedback:
    if isinstance(answer, str) and answer.strip().casefold() in ("data quality break",):
        answer = "data-quality break"
    return expect_choice(
        answer,
        "concept drift",
        KINDS,
        explanations={
            "data drift": (
                "said_data_drift",
                "Data drift (covariate shift) means the *inputs* move - here every input's PSI "
                "is below 0.10 and the seasonal levels are normal. Nothing the model is asked "
                "about has changed; what changed is how customers answer.",
            ),
            "prior shift": (
                "said_prior_shift",
                "A prior (label) shift moves the share of bananas bought while P(inputs | "
                "fruit) stays the same: more or fewer banana buyers of the same kind. Here no "
                "input moved and the model's banana share is steady, yet it is wrong more "
                "often: the same inputs now lead to a different fruit.",
            ),
            "data-quality break": (
                "said_quality_break",
                "A data-quality break shows up in the inputs themselves: values out of range, "
                "a median that jumps (the Fahrenheit thermometer). Here every input passes "
                "validation and looks like last year.",
            ),
            "seasonality": (
                "said_seasonality",
                "Seasonality moves inputs in step with the calendar, and the rules compare "
                "like with like so it pages nobody - but it does not make the model *wrong*: "
                "the model learned the seasons from a whole year. A cost a quarter above the "
                "test level is something else.",
            ),
        },
        what="one of " + ", ".join(repr(k) for k in KINDS),
        success="No input moved, but the link between inputs and fruit did: concept drift. "
        "Only the labels - arriving a month late - can show it, which is why the live metric "
        "is part of monitoring.",
    )


q5 = Exercise(
    NOTEBOOK,
    "q5",
    "Which kind of change?",
    prompt="A dashboard at the end of September: every input's PSI against the reference "
    "month is below 0.10, the seasonal levels match last September, and the model predicts "
    "banana for about the same share of visits as in spring. But the expected cost per visit "
    "on August's labels (just arrived) is a quarter above the test-set level. Which kind of change "
    "is this? Answer with one of: 'data drift', 'prior shift', 'concept drift', "
    "'data-quality break', 'seasonality'.",
    expects="one of 'data drift', 'prior shift', 'concept drift', 'data-quality break', "
    "'seasonality'",
    checker=_check_q5,
    hints=[
        "List what moved and what did not: the inputs? the predictions? the errors?",
        "If nothing the model sees has changed, yet its answers are wrong more often, then "
        "P(fruit | inputs) - the very thing the model learned - has changed.",
        "Re-read the list of section 5, 'Three kinds of change, and one that is not': which "
        "one has 'no input moves, the live metric drops'?",
    ],
    solution="answer = 'concept drift'\nq5.check(answer)",
    explanation="The inputs are steady (no data drift, no data-quality problem), the model's "
    "predictions are steady, and the errors grow: the relation between inputs and fruit "
    "changed - concept drift. It is the taste change of August to October: families going off "
    "bananas.",
)


# --------------------------------------------------------------------------- q1: the rule

MISTAKES.setdefault("psi_empty_bins", "a PSI of inf or nan: an empty bin's share of 0 in the log")
MISTAKES.setdefault("rows_as_independent", "counted every visit as independent, not store-days")
MISTAKES.setdefault("fixed_psi_threshold", "a fixed PSI threshold that ignores the sample size")
MISTAKES.setdefault("noise_mean_threshold", "alerted above the mean noise, not its 95 % quantile")
MISTAKES.setdefault("alert_wrong_side", "alerted when the PSI is below the threshold")

FLOOR = 1e-4  # the share given to an empty bin, as monitoring.psi does


def store_days(visits: Any) -> np.ndarray:
    """The store-day of each visit, like ``"Central 2026-03-14"`` (one label per row).

    >>> from course_utils import drift
    >>> days = store_days(drift.month("2026-03", n_visits=3).visits)
    >>> len(days), days[0].split()[1][:7]
    (3, '2026-03')
    """
    return (visits["store"].astype(str) + " " + visits["timestamp"].dt.date.astype(str)).to_numpy()


def _rule(
    reference: Any,
    current: Any,
    reference_days: Any,
    current_days: Any,
    *,
    per_visit: bool = False,
    floor: float | None = FLOOR,
    variant: str = "",
    rounded: bool = False,
) -> dict[str, Any]:
    """The course's ``drift_alert``, with the knobs the typical mistakes turn.

    ``variant`` computes the PSI the way a typical slip does: ``"no_log"``, ``"log10"``,
    ``"one_sided"`` (a KL divergence), ``"bins_from_current"``, ``"separate_bins"`` (each
    side cut at its own equal-width edges) or ``"counts"`` (counts instead of shares).
    ``rounded`` rounds the daily values to 9 decimals: a price is one value per store-day,
    and ``.first()``, ``.median()`` or a rounded mean give it exactly, where the mean can
    land a hair off - enough to move a value that sits on a decile edge.
    """
    import pandas as pd

    from course_utils import monitoring

    ref_s, cur_s = pd.Series(np.asarray(reference, float)), pd.Series(np.asarray(current, float))
    if per_visit:
        ref, cur = ref_s, cur_s
    else:
        ref = ref_s.groupby(np.asarray(reference_days)).mean()
        cur = cur_s.groupby(np.asarray(current_days)).mean()
        if rounded:
            ref, cur = ref.round(9), cur.round(9)
    edges = _deciles((cur if variant == "bins_from_current" else ref).to_numpy())
    e = np.histogram(ref, edges)[0] / len(ref)
    a = np.histogram(cur, edges)[0] / len(cur)
    if variant == "separate_bins":
        e = np.histogram(ref, 10)[0] / len(ref)
        a = np.histogram(cur, 10)[0] / len(cur)
    if variant == "counts":
        e, a = e * len(ref), a * len(cur)
    empty = bool((a == 0).any() or (e == 0).any())
    if floor is not None:
        e, a = np.clip(e, floor, None), np.clip(a, floor, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        if variant == "no_log":
            psi = float(np.sum((a - e) * (a / e)))
        elif variant == "log10":
            psi = float(np.sum((a - e) * np.log10(a / e)))
        elif variant == "one_sided":
            psi = float(np.sum(a * np.log(a / e)))
        else:
            psi = float(np.sum((a - e) * np.log(a / e)))
    noise = monitoring.psi_noise_quantile(len(ref), len(cur), bins=len(e))
    noise_10 = monitoring.psi_noise_quantile(len(ref), len(cur), bins=10)
    mean = monitoring.psi_no_drift(len(ref), len(cur), bins=len(e))
    return {
        "psi": psi,
        "alert": psi > max(monitoring.PSI_ALERT, noise),
        "alert_10_bins": psi > max(monitoring.PSI_ALERT, noise_10),
        "threshold": max(monitoring.PSI_ALERT, noise),
        "threshold_noise": noise,
        "mean_rule": psi > max(monitoring.PSI_ALERT, mean),
        "fixed_rule": psi > monitoring.PSI_ALERT,
        "empty": empty,
        "n": (len(ref), len(cur)),
    }


def _one_store(visits: Any, store: str | None) -> Any:
    return visits if store is None else visits[visits["store"].astype(str) == store]


@cache
def _month(period: str, scenario: str, seed: int) -> Any:
    from course_utils import drift

    return drift.month(period, scenario, seed=seed).visits


def _case(label, column, ref, cur, store=None):
    """A Case: the column of two months (each given as (period, scenario, seed)) at a store."""
    from course_utils.exercises.functions import Case

    r, c = _one_store(_month(*ref), store), _one_store(_month(*cur), store)
    args = (
        r[column].reset_index(drop=True),
        c[column].reset_index(drop=True),
        store_days(r),
        store_days(c),
    )
    return Case(args=args, label=label)


@cache
def _made_up_case():
    """30 made-up store-days a side (two visits each): a shift whose PSI (about 0.88) is
    above the mean noise of such a window (0.60) but below its 95 % quantile (1.13) - the
    same numbers on every library version."""
    import pandas as pd

    from course_utils.exercises.functions import Case

    reference = [float(v) for v in range(30) for _ in range(2)]
    per_bin = (10, 8, 3, 3, 1, 1, 1, 1, 1, 1)  # days of the current window in each decile
    current = [3.0 * b + 1 for b, k in enumerate(per_bin) for _ in range(k) for _ in range(2)]
    args = (
        pd.Series(reference, name="price_banana"),
        pd.Series(current, name="price_banana"),
        pd.Series([f"ref-{i:02d}" for i in range(30) for _ in range(2)]),
        pd.Series([f"cur-{i:02d}" for i in range(30) for _ in range(2)]),
    )
    return Case(
        args=args,
        label="30 made-up store-days a side, a moderate shift that noise alone often gives",
    )


@cache
def _small_real_shift_case():
    """300 made-up store-days a side (one visit each): a shift beyond the noise of so many
    days (95 % quantile about 0.11) but below the rule of thumb, 0.25 (PSI about 0.17)."""
    import pandas as pd

    from course_utils.exercises.functions import Case

    reference = [float(v) for v in range(300)]
    per_bin = (12, 12, 30, 30, 30, 30, 30, 30, 48, 48)  # days of the current window per decile
    current = [30.0 * b + 15 for b, k in enumerate(per_bin) for _ in range(k)]
    args = (
        pd.Series(reference, name="price_banana"),
        pd.Series(current, name="price_banana"),
        pd.Series([f"ref-{i:03d}" for i in range(300)]),
        pd.Series([f"cur-{i:03d}" for i in range(300)]),
    )
    return Case(
        args=args,
        label="300 made-up store-days a side, a small shift: beyond the noise of so many "
        "days, but below 0.25",
    )


def _q1_cases() -> tuple:
    """Months and stores the notebook never shows: other seeds (years) of the world."""
    quiet_sep = (("2026-09", "seasonality", 7), ("2026-09", "seasonality", 8))
    quiet_mar = (("2026-03", "seasonality", 7), ("2026-03", "seasonality", 8))
    return (
        _case(
            "the banana price at Riverside, a May against a June with a price shock "
            "(real drift; some bins of June stay empty)",
            "price_banana",
            ("2026-05", "seasonality", 7),
            ("2026-06", "price_shock", 7),
            store="Riverside",
        ),
        _case(
            "the banana price at Central, the Septembers of two other years (no drift, "
            "about 30 store-days a side)",
            "price_banana",
            *quiet_sep,
            store="Central",
        ),
        _case(
            "the banana price at Central, the Marches of two other years (no drift, about "
            "30 store-days a side)",
            "price_banana",
            *quiet_mar,
            store="Central",
        ),
        _made_up_case(),
        _small_real_shift_case(),
        _case(
            "the banana price at all three stores, the Marches of two other years (no "
            "drift; about 2,000 visits but only about 90 store-days a side)",
            "price_banana",
            *quiet_mar,
        ),
    )


def _close(value: float, target: float) -> bool:
    return math.isfinite(target) and abs(value - target) <= max(0.005, 0.005 * abs(target))


def _judge_q1(result: Any, case: Any) -> Feedback | None:
    if not isinstance(result, tuple | list) or len(result) != 2:
        return incorrect(
            f"Expected a pair `(alert, psi)` - `return alert, psi` - got {describe(result)}.",
            "wrong_type",
        )
    alert, psi = result
    if not isinstance(alert, bool | np.bool_):
        return incorrect(
            f"The first item should be True or False (alert or not), got {describe(alert)}. "
            "A comparison such as `psi > threshold` gives one; is the order `(alert, psi)`?",
            "wrong_type",
        )
    try:
        psi = float(psi)
    except (TypeError, ValueError):
        return incorrect(
            f"The second item should be the PSI, a number, got {describe(psi)}.", "wrong_type"
        )
    right = _rule(*case.args)
    if not _close(psi, right["psi"]):
        exact_days = _rule(*case.args, rounded=True)  # .first(), .median(), a rounded mean
        if _close(psi, exact_days["psi"]):
            right = exact_days
    if not math.isfinite(psi):
        return incorrect(
            f"Your PSI is {psi}: a bin of one month holds no value at all, its share is 0, and "
            "ln(0) is -inf. Give empty bins a tiny share before the log, as the spec says: "
            f"`np.clip(shares, {FLOOR:g}, None)` for both months.",
            "psi_empty_bins",
        )
    if not _close(psi, right["psi"]):
        variants = [
            (
                _rule(*case.args, per_visit=True)["psi"],
                "rows_as_independent",
                "Your PSI is the one of the visits, row by row. The prices are set once per "
                "store and day: the visits of a store-day repeat one value and are one unit "
                "of evidence, not two dozen. Take one value per store-day first - "
                "`reference.groupby(reference_days).mean()` - and count store-days, not "
                "visits, in the noise threshold.",
            ),
            (
                _rule(*case.args, variant="no_log")["psi"],
                "psi_no_log",
                "The logarithm is missing: each bin adds (current share − reference share) "
                "× ln(current share / reference share), not × the ratio itself.",
            ),
            (
                _rule(*case.args, variant="log10")["psi"],
                "psi_log10",
                "That uses the base-10 logarithm. The PSI (and its 0.10 / 0.25 thresholds) "
                "is defined with the natural logarithm: `np.log`, not `np.log10`.",
            ),
            (
                _rule(*case.args, variant="one_sided")["psi"],
                "psi_one_sided",
                "That is only one half: current × ln(current / reference) is a KL "
                "divergence. The PSI multiplies the log ratio by the *difference* (current "
                "− reference), which makes it symmetric.",
            ),
            (
                _rule(*case.args, variant="bins_from_current")["psi"],
                "psi_bins_from_current",
                "Your bins were cut at the current month's quantiles. The bins come from "
                "the *reference*: its deciles, so each bin holds a tenth of it.",
            ),
            (
                _rule(*case.args, variant="separate_bins")["psi"],
                "psi_separate_bins",
                "Each side got its own bins: `np.histogram(x, bins=10)` cuts each array at "
                "its own edges, so bin 3 of one month and bin 3 of the other are different "
                "ranges. Cut the edges once, from the reference, and use them for both.",
            ),
            (
                _rule(*case.args, variant="counts")["psi"],
                "count_not_share",
                "That is computed from counts of store-days. The PSI compares *shares*: "
                "divide each bin's count by the number of store-days of its month.",
            ),
        ]
        for value, tag, message in variants:
            if _close(psi, value):
                return incorrect(message, tag)
        other_floors = [_rule(*case.args, floor=f)["psi"] for f in (1e-6, 1e-5, 1e-3, 1e-2)]
        if right["empty"] and any(_close(psi, v) for v in other_floors):
            return incorrect(
                f"Your PSI is {psi:.3f}, where the spec's gives {right['psi']:.3f}. Here some "
                f"bins are empty: floor both months' shares at exactly {FLOOR:g} "
                f"(`np.clip(shares, {FLOOR:g}, None)`), after dividing by the number of "
                "store-days and before the log.",
                "psi_empty_bins",
            )
        return incorrect(
            f"Your PSI is {psi:.3f}; the spec's gives {right['psi']:.3f}. Check each step: one "
            "value per store-day (the mean), bins at the *reference* days' deciles with outer "
            "edges −∞ and +∞, shares (counts / number of store-days), floored at 1e-4, then "
            "Σ (current − reference) × ln(current / reference).",
            "wrong_value",
        )
    if bool(alert) in (right["alert"], right["alert_10_bins"]):
        return None
    n_ref, n_cur = right["n"]
    if bool(alert) == right["mean_rule"] != right["alert"]:
        return incorrect(
            f"Your PSI ({psi:.3f}) is right, but you alert above the *mean* PSI of noise "
            "(`psi_no_drift`). Half of the quiet months land above their mean: that pages "
            "someone every other month. Use the level noise exceeds only 5 % of the time: "
            f"`monitoring.psi_noise_quantile({n_ref}, {n_cur}, bins=...)`.",
            "noise_mean_threshold",
        )
    noise_only = psi > right["threshold_noise"]
    if right["threshold_noise"] < 0.25 and bool(alert) == noise_only != right["alert"]:
        return incorrect(
            f"Your PSI ({psi:.3f}) is right and beyond the noise of {n_ref} and {n_cur} "
            f"store-days ({right['threshold_noise']:.2f}), but below 0.25: the rule alerts "
            "only above the *larger* of 0.25 and the noise quantile. A shift that noise "
            "cannot explain can still be too small to act on - `max(0.25, noise)`.",
            "wrong_value",
        )
    if bool(alert) == right["fixed_rule"] != right["alert"]:
        return incorrect(
            f"Your PSI ({psi:.3f}) is right, but you alert on the rule of thumb alone "
            "(above 0.25) - or on a noise threshold counted in visits, which is tiny. "
            f"With {n_ref} and {n_cur} store-days, noise alone reaches "
            f"{right['threshold']:.2f} one quiet month in twenty: the fixed threshold ignores "
            "the sample size. Alert only above the larger of 0.25 and "
            "`monitoring.psi_noise_quantile(n_reference_days, n_current_days, bins=...)`.",
            "fixed_psi_threshold",
        )
    if bool(alert) == (psi <= right["threshold"]):
        return incorrect(
            f"Your PSI ({psi:.3f}) is right, but the alert points the wrong way: it fires "
            f"when the PSI is *below* the threshold ({right['threshold']:.2f}). An alert means "
            "the PSI is *above* it.",
            "alert_wrong_side",
        )
    return incorrect(
        f"Your PSI ({psi:.3f}) is right, but the alert should be {right['alert']}: the "
        f"threshold is the larger of 0.25 and the noise quantile ({right['threshold']:.2f}).",
        "wrong_value",
    )


def _check_q1(answer: Any) -> Feedback:
    from course_utils.exercises.functions import check_function

    if _is_missing(answer):
        return not_attempted("Write `drift_alert`, run its cell, then check it again.")
    problem = check_function(
        answer,
        _q1_cases(),
        _judge_q1,
        what="`drift_alert`",
        params=("reference", "current", "reference_days", "current_days"),
    )
    if problem is not None:
        return problem
    return correct(
        "Your rule runs right on six windows you had not seen: it pages for the price shock, "
        "stays quiet on three windows where nothing changed - two of them with a PSI above "
        "0.25 from noise alone - and on a small shift below 0.25. One value per store-day, "
        "a PSI by hand, and a threshold that grows as the window shrinks."
    )


_Q1_SOLUTION = """def drift_alert(reference, current, reference_days, current_days):
    ref = reference.groupby(reference_days).mean()  # one value per store-day
    cur = current.groupby(current_days).mean()
    inner = np.unique(np.quantile(ref, np.linspace(0, 1, 11))[1:-1])
    edges = np.concatenate([[-np.inf], inner, [np.inf]])
    ref_share = np.clip(np.histogram(ref, edges)[0] / len(ref), 1e-4, None)
    cur_share = np.clip(np.histogram(cur, edges)[0] / len(cur), 1e-4, None)
    psi = float(np.sum((cur_share - ref_share) * np.log(cur_share / ref_share)))
    noise = monitoring.psi_noise_quantile(len(ref), len(cur), bins=len(ref_share))
    alert = psi > max(monitoring.PSI_ALERT, noise)
    return alert, psi

q1.check(drift_alert)"""

q1 = Exercise(
    NOTEBOOK,
    "q1",
    "Build: an alert rule for a day-level input",
    prompt="Write `drift_alert(reference, current, reference_days, current_days)`. "
    "`reference` and `current` hold one number per visit (a day-level input, like a price); "
    "`reference_days` and `current_days` the store-day of each visit. It returns the pair "
    "`(alert, psi)`: (1) one value per store-day, the mean of its visits; (2) bins at the "
    "reference days' deciles, outer edges −∞ and +∞; (3) each side's share per bin, floored "
    "at 1e-4; (4) psi = Σ (current − reference) × ln(current / reference); (5) alert is True "
    "when psi is above both 0.25 and `monitoring.psi_noise_quantile(n_ref, n_cur, "
    "bins=number of bins)`, counted in store-days. The check runs it on months and stores "
    "you have not seen; the PSI must match to ± 0.005.",
    expects="a function `drift_alert(reference, current, reference_days, current_days)` "
    "returning `(alert, psi)`",
    checker=_check_q1,
    hints=[
        "Five steps, five to ten lines: the section's PSI by hand gives steps 2 to 4; "
        "steps 1 and 5 are what the section on store-days and on small windows added.",
        "One value per store-day: `ref = reference.groupby(reference_days).mean()` (the same "
        "for `current`). From there on, `len(ref)` counts store-days, and every share divides "
        "by it. Floor the shares with `np.clip(shares, 1e-4, None)` before the log.",
        "`noise = monitoring.psi_noise_quantile(len(ref), len(cur), bins=len(ref_share))`, "
        "then `alert = psi > max(monitoring.PSI_ALERT, noise)`; `return alert, psi`.",
    ],
    solution=_Q1_SOLUTION,
    explanation="A price is set once per store and day: its visits repeat one value, so the "
    "evidence is the store-days, not the rows. On a window of 30 store-days noise alone gives "
    "a PSI near 0.6, so the rule waits for what noise rarely reaches (its 95 % quantile) - and "
    "still needs 0.25, so a huge window does not page for a change too small to matter. The "
    "floor keeps an empty bin from making the PSI infinite.",
)


# --------------------------------------------------------------------------- q2: transfer

TRANSFER_INPUTS = ("price_apple", "price_banana", "temperature_c")
TRANSFER_STORE, TRANSFER_SEED = "Riverside", 2027


def transfer_months() -> tuple[Any, Any]:
    """Riverside's May and June of another year (seed 2027): the transfer exercise's data.

    >>> may, june = transfer_months()
    >>> sorted(set(may["store"].astype(str)))
    ['Riverside']
    """
    return (
        _one_store(_month("2026-05", "seasonality", TRANSFER_SEED), TRANSFER_STORE),
        _one_store(_month("2026-06", "price_shock", TRANSFER_SEED), TRANSFER_STORE),
    )


@cache
def _transfer_truth() -> dict[str, frozenset]:
    may, june = transfer_months()
    out: dict[str, set] = {"right": set(), "fixed": set(), "per_visit": set()}
    for column in TRANSFER_INPUTS:
        args = (may[column], june[column], store_days(may), store_days(june))
        right = _rule(*args)
        if right["alert"]:
            out["right"].add(column)
        if right["fixed_rule"]:
            out["fixed"].add(column)
        if _rule(*args, per_visit=True)["alert"]:
            out["per_visit"].add(column)
    return {k: frozenset(v) for k, v in out.items()}


def _check_q2(answer: Any) -> Feedback:
    if _is_missing(answer):
        return not_attempted("Replace the `...` with the list of inputs your rule flags.")
    if isinstance(answer, str):
        answer = [answer]
    if not isinstance(answer, list | tuple | set | frozenset):
        return incorrect(
            f"Expected a list of input names, like ['price_apple'], got {describe(answer)}.",
            "wrong_type",
        )
    unknown = [a for a in answer if a not in TRANSFER_INPUTS]
    if unknown:
        return incorrect(
            f"{unknown!r}: expected names among {list(TRANSFER_INPUTS)} only.", "wrong_type"
        )
    given, truth = frozenset(answer), _transfer_truth()
    if given == truth["right"]:
        return correct(
            "Your rule, on a store and a year it never saw: the banana price (the shock) and "
            "the temperature page; the apple price, within noise for 30 store-days, does not. "
            "The temperature is summer arriving - a change of every year. Part b asks which "
            "alerts deserve a human."
        )
    if given == truth["fixed"]:
        return incorrect(
            "That is what a fixed threshold of 0.25 flags. Riverside has about 30 store-days a "
            "month: noise alone reaches far above 0.25 there. Run the `drift_alert` that "
            "passed the check above.",
            "fixed_psi_threshold",
        )
    if given == truth["per_visit"]:
        return incorrect(
            "That is what the rule flags when every visit counts as independent. Pass the "
            "store-days (`store_days(may)`, `store_days(june)`) to your function.",
            "rows_as_independent",
        )
    missing, extra = truth["right"] - given, given - truth["right"]
    parts = []
    if missing:
        parts.append(f"your list misses {len(missing)} input(s) the rule flags")
    if extra:
        parts.append(f"it holds {len(extra)} input(s) the rule does not flag")
    return incorrect(
        "Not what the rule gives: " + " and ".join(parts) + ". Call `drift_alert` for each "
        "input (May as the reference, June as the current month, with their store-days) and "
        "keep those whose alert is True.",
        "wrong_value",
    )


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "Transfer: your rule on another store and another year",
    prompt="Apply your `drift_alert` to another year of the world, at Riverside: May as the "
    "reference, June as the current month, for each of 'price_apple', 'price_banana' and "
    "'temperature_c'. Give the list of the inputs that raise an alert.",
    expects="a list of input names",
    checker=_check_q2,
    hints=[
        "A loop over the three names, calling `drift_alert(may[name], june[name], "
        "store_days(may), store_days(june))` each time.",
        "`drift_alert` returns `(alert, psi)`: keep the name when `alert` is True.",
        "`flagged = [name for name in names if drift_alert(may[name], june[name], "
        "store_days(may), store_days(june))[0]]`",
    ],
    solution="""names = ["price_apple", "price_banana", "temperature_c"]
days_may, days_june = store_days(may), store_days(june)
flagged = [n for n in names if drift_alert(may[n], june[n], days_may, days_june)[0]]
q2.check(flagged)""",
    explanation="The rule is the idea, the month is only data: the same five steps judge any "
    "day-level input of any store. Riverside has about 30 store-days a month, so its noise "
    "threshold is near 1: the apple price's PSI, well above 0.25, is within noise there.",
)


# --------------------------------------------------------------------------- wrap-up quizzes


wrapup_a = Quiz(
    NOTEBOOK,
    "wrapup_a",
    "Wrap-up quiz, part a",
    questions=[
        Question(
            "A store with 89 visits a month shows a PSI of 0.22 on `age` against last month. "
            "What do you conclude?",
            {
                "a": "Drift worth a look: 0.22 is well above the 0.10 of the rule of thumb.",
                "b": "Nothing yet: on 89 and 89 visits, noise alone gives a PSI near 0.2.",
                "c": "An alert: a PSI above 0.2 is a major shift, whatever the window's size.",
            },
            answer="b",
            why={
                "a": "The rule of thumb ignores sample size. Two samples of 89 visits from one "
                "month, with nothing changed, give a PSI near 0.2 on their own.",
                "b": "Yes: `psi_no_drift(89, 89)` is about 0.2. A small window needs a "
                "threshold that grows as it shrinks - or more data.",
                "c": "Sampling noise alone reaches that on 89 visits: the thresholds 0.10 and "
                "0.25 were made for large windows.",
            },
            tag="fixed_psi_threshold",
        ),
        Question(
            "February's 2,000 visits fall on about 84 store-days. For the banana price, what "
            "is the sample size of a drift test?",
            {
                "a": "2,000: one per visit, since each visit is its own row.",
                "b": "3: one per store, since each store sets its own prices.",
                "c": "About 84: the visits of a store-day share one price.",
            },
            answer="c",
            why={
                "a": "The visits of a store-day repeat the same price: two dozen copies of one "
                "value are one unit of evidence. Counting them all makes p-values tiny and "
                "invalid.",
                "b": "Each store sets a new price every day: the days are units too, not only "
                "the stores.",
                "c": "Yes: the effective sample size counts independent units.",
            },
            tag="rows_as_independent",
        ),
        Question(
            "On two months of 2,000 visits each, a KS test on `age` gives p = 0.003. What does "
            "that p-value say?",
            {
                "a": "Data this different would be rare (p ≈ 0.3 %) if both samples came from "
                "one distribution.",
                "b": "There is only a 0.3 % chance that the ages of the two months did not change.",
                "c": "The model got worse on the second month, since its inputs moved "
                "significantly.",
            },
            answer="a",
            why={
                "a": "Yes - and only that: with enough data, tiny harmless differences are "
                "'significant'; whether this one matters is another question.",
                "b": "A p-value is the chance of data this extreme *if* nothing changed, not "
                "the chance that nothing changed.",
                "c": "A p-value compares the inputs; it knows nothing of the model's quality. "
                "Only the labels can say that.",
            },
            tag="significant_means_harmful",
        ),
        Question(
            "Why does the monitor compare production with January, the first month in "
            "production, rather than with the training history?",
            {
                "a": "January has more visits than the history, so its PSI is more precise.",
                "b": "The history is biased (notebook 02): every month would drift against it.",
                "c": "The training history may no longer be read once the model has been deployed.",
            },
            answer="b",
            why={
                "a": "The history has far more visits than one month; the reason is what kind "
                "of visits it holds.",
                "b": "Yes: the history under-recorded some visits (a sampling bias); a "
                "reference from production itself compares like with like.",
                "c": "Nothing forbids reading it; notebook 09 trains on it again. It is just "
                "not the same population as production.",
            },
            revisits="02",
        ),
        Question(
            "A label arrives a month after its visit. How is it matched with the prediction "
            "the service made?",
            {
                "a": "By position: the n-th label goes with the n-th prediction of that month.",
                "b": "By the visit's inputs: the same store, hour and age, the same visit.",
                "c": "By the `request_id` the service returned with each answer (notebook 07).",
            },
            answer="c",
            why={
                "a": "Refused visits leave gaps, and labels come from another system (the "
                "sales report) in its own order: positions shift, and labels land on the "
                "wrong predictions.",
                "b": "Two visits can share every input (same store, hour, age ...): inputs "
                "are not a key.",
                "c": "Yes: a key made by the service for each answer, stored in the log.",
            },
            revisits="07",
        ),
        Question(
            "Notebook 04 grouped its cross-validation folds by customer. Which idea of this "
            "notebook is the same?",
            {
                "a": "Rows sharing a customer or a store-day are not independent: count groups.",
                "b": "Bins and folds are both cut so that each holds about as many rows.",
                "c": "Labels arrive late, so a fold must never hold visits from the future.",
            },
            answer="a",
            why={
                "a": "Yes: a customer's visits in both folds, or a store-day's visits in a "
                "test, make the evidence look larger than it is.",
                "b": "Equal-sized bins are how a PSI is computed; the grouping was about "
                "independence, not size.",
                "c": "That is a question of time, not of what counts as one unit.",
            },
            revisits="04",
        ),
    ],
)

wrapup_b = Quiz(
    NOTEBOOK,
    "wrapup_b",
    "Wrap-up quiz, part b",
    questions=[
        Question(
            "Every July the PSI of `temperature_c` against the whole training year is above "
            "1. What should the monitor do?",
            {
                "a": "Page someone every July: a PSI above 0.25 is a major shift.",
                "b": "Drop the temperature from the model, since it drifts every single summer.",
                "c": "Compare July with the history's Julys, and stay quiet if they match.",
            },
            answer="c",
            why={
                "a": "A month is always narrower than a year: that rule pages every month for "
                "seasons the model already learned.",
                "b": "The temperature carries signal; fix the comparison, not the model.",
                "c": "Yes: compare like with like - seasonality must page nobody.",
            },
            tag="seasonal_psi_alarm",
        ),
        Question(
            "In November the thermometers report °F. What is the right response?",
            {
                "a": "Fix the data (convert the readings): a quality break, not drift.",
                "b": "Retrain on November's data so the model learns the new temperatures.",
                "c": "Nothing: every value is within the valid range, so the data is fine.",
            },
            answer="a",
            why={
                "a": "Yes: data validation caught it; the world did not change, its "
                "measurement did.",
                "b": "Retraining on Fahrenheit numbers would teach the model that November is "
                "hot. A broken sensor calls for fixing the data.",
                "c": "Each value is possible, the month is not: medians 35 °C above last "
                "November's are not weather.",
            },
        ),
        Question(
            "From August families go off bananas. Where does the monitor see it first?",
            {
                "a": "In the PSI of `has_kids`, in the first days of August's visits.",
                "b": "In the live metric, once August's labels arrive in late September.",
                "c": "In the data-validation rules, which check every visit as it arrives.",
            },
            answer="b",
            why={
                "a": "The families still come, as often as before: no input moves. Only "
                "what they buy changed - concept drift.",
                "b": "Yes: a change of P(fruit | inputs) shows only in the labels, and late.",
                "c": "Every value is sound; nothing about the inputs is broken.",
            },
            tag="said_data_drift",
        ),
        Question(
            "Which change is a **label shift**?",
            {
                "a": "Bananas get 60 % dearer, and fewer of them are bought.",
                "b": "Students arrive, younger than the stands' usual customers.",
                "c": "More banana buyers come, who look just like the old ones.",
            },
            answer="c",
            why={
                "a": "The price is an input: P(x) moved, and P(x | banana) with it. That is "
                "covariate shift, here beyond the training range.",
                "b": "Age is an input: that is covariate shift.",
                "c": "Yes: P(y) changes while P(x | y) holds.",
            },
            tag="said_prior_shift",
        ),
        Question(
            "Which number does the live metric compare with the success contract?",
            {
                "a": "The expected cost per visit, in the contract's euros (notebook 01).",
                "b": "The accuracy at the threshold: the share of right decisions.",
                "c": "The ROC AUC, which does not depend on any one threshold.",
            },
            answer="a",
            why={
                "a": "Yes: the contract of notebook 01 was signed in euros per visit.",
                "b": "Accuracy counts a false banana like a false apple; the contract "
                "weighs them by their price.",
                "c": "AUC ignores the threshold and the costs the contract is about.",
            },
            revisits="01",
            tag="accuracy_with_skewed_costs",
        ),
        Question(
            "In June most banana prices lie beyond anything in the training rows. Notebook 05 "
            "found the logistic regression and the boosted trees about as good in "
            "cross-validation. Which holds up better in June?",
            {
                "a": "The boosted trees: being more flexible, they follow the new prices best.",
                "b": "The logistic regression: its price slope carries on past known prices.",
                "c": "Both the same, as cross-validation found them about equally good.",
            },
            answer="b",
            why={
                "a": "Trees split on the prices they saw; beyond the last split their answer "
                "stops moving. Flexible inside the range, flat outside.",
                "b": "Yes: robustness beyond the training range is something cross-validation "
                "on the history cannot show.",
                "c": "Cross-validation only tested prices inside the history's range.",
            },
            revisits="05",
        ),
    ],
)
