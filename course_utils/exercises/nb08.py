"""Exercises of notebook 08 "Monitor": measure drift, read the alarms, judge them.

In the notebook::

    from course_utils.exercises.nb08 import q1, q2, q3, q4

* ``q1`` - the population stability index of ``age`` in April (the students arrive)
  against the reference month (January), by hand;
* ``q2`` - the misconception check: a PSI alert and a tiny p-value on temperature in
  July - is the model broken? (seasonality, and significance is not harm);
* ``q3`` - which number the monitor compares with the contract once labels arrive
  (the course's accuracy-with-skewed-costs detector catches "accuracy");
* ``q4`` - which kind of change does a described dashboard show? (concept drift).

The expected PSI comes from the production months of the default year
(``drift.production_schedule(drift.DEFAULT_SCHEDULE)``), computed once and cached.

>>> q4.evaluate("concept drift").ok
True
>>> q3.evaluate("accuracy").mistake
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
    NearMiss,
    _is_missing,
    correct,
    describe,
    expect_choice,
    expect_number,
    incorrect,
    not_attempted,
)

__all__ = ["q1", "q2", "q3", "q4"]

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

REFERENCE_MONTH, CURRENT_MONTH = "2026-01", "2026-04"


# --------------------------------------------------------------------------- the truth


@cache
def _age() -> tuple[np.ndarray, np.ndarray]:
    """Ages of the reference month (January) and of April in the default year (cached)."""
    from course_utils import drift

    months = {
        m.period: m
        for m in drift.production_schedule(drift.DEFAULT_SCHEDULE)
        if m.period in (REFERENCE_MONTH, CURRENT_MONTH)
    }
    ref = months[REFERENCE_MONTH].visits["age"].to_numpy(dtype=float)
    cur = months[CURRENT_MONTH].visits["age"].to_numpy(dtype=float)
    return ref, cur


def _deciles(values: np.ndarray) -> np.ndarray:
    inner = np.unique(np.quantile(values, np.linspace(0, 1, 11))[1:-1])
    return np.concatenate([[-np.inf], inner, [np.inf]])


def _psi(e: np.ndarray, a: np.ndarray) -> float:
    return float(np.sum((a - e) * np.log(a / e)))


@cache
def _psi_variants() -> dict[str, float]:
    """The right PSI, and the values the typical mistakes give (all cached)."""
    ref, cur = _age()
    edges = _deciles(ref)
    n_ref, n_cur = np.histogram(ref, edges)[0], np.histogram(cur, edges)[0]
    e, a = n_ref / len(ref), n_cur / len(cur)
    out = {
        "right": _psi(e, a),
        "no_log": float(np.sum((a - e) * (a / e))),
        "log10": float(np.sum((a - e) * np.log10(a / e))),
        "one_sided": float(np.sum(a * np.log(a / e))),
        "other_side": float(np.sum(e * np.log(e / a))),
        "counts": float(np.sum((n_cur - n_ref) * np.log(n_cur / n_ref))),
    }
    # The same bins, closed on the right (pd.cut / pd.qcut): a convention, also correct.
    inner = edges[1:-1]
    e_r = np.bincount(np.searchsorted(inner, ref, side="left"), minlength=len(edges) - 1)
    a_r = np.bincount(np.searchsorted(inner, cur, side="left"), minlength=len(edges) - 1)
    out["right_closed"] = _psi(e_r / len(ref), a_r / len(cur))
    # Bins cut at the current month's quantiles (reference and current swapped).
    edges_cur = _deciles(cur)
    e_c = np.histogram(ref, edges_cur)[0] / len(ref)
    a_c = np.histogram(cur, edges_cur)[0] / len(cur)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["bins_from_current"] = _psi(e_c, a_c)
        # np.histogram(x, bins=10) on each month: each with its own equal-width edges.
        e_s = np.histogram(ref, 10)[0] / len(ref)
        a_s = np.histogram(cur, 10)[0] / len(cur)
        out["separate_bins"] = _psi(e_s, a_s)
        # Outer edges at the reference's min and max: values outside are silently dropped.
        closed = np.quantile(ref, np.linspace(0, 1, 11))
        e_d = np.histogram(ref, closed)[0] / len(ref)
        a_d = np.histogram(cur, closed)[0] / len(cur)
        out["dropped_outside"] = _psi(e_d, a_d)
    return out


# --------------------------------------------------------------------------- q1


def _check_q1(answer: Any) -> Feedback:
    v = _psi_variants()
    tight = 0.001
    near = [
        NearMiss(
            v["counts"],
            "count_not_share",
            "That is computed from counts of visits. The PSI compares *shares*: divide each "
            "bin's count by the number of visits of its month (the two months have the same "
            "number of visits here, so your result is that many times too large).",
            tol=max(1.0, 0.002 * abs(v["counts"])),
        ),
        NearMiss(
            v["no_log"],
            "psi_no_log",
            "The logarithm is missing: each bin contributes (current share − reference share) "
            "× ln(current share / reference share), not × the ratio itself.",
            tol=tight,
        ),
        NearMiss(
            v["log10"],
            "psi_log10",
            "That uses the base-10 logarithm. The PSI (and its 0.10 / 0.25 thresholds) is "
            "defined with the natural logarithm: `np.log`, not `np.log10`.",
            tol=tight,
        ),
        NearMiss(
            v["one_sided"],
            "psi_one_sided",
            "That is only one half: current × ln(current / reference) is a KL divergence. The "
            "PSI multiplies the log ratio by the *difference* (current − reference), which "
            "makes it symmetric.",
            tol=tight,
        ),
        NearMiss(
            v["other_side"],
            "psi_one_sided",
            "That is only one half: reference × ln(reference / current) is a KL divergence. "
            "The PSI multiplies the log ratio by the *difference* (current − reference).",
            tol=tight,
        ),
        NearMiss(
            v["separate_bins"],
            "psi_separate_bins",
            "Each month got its own bins: `np.histogram(x, bins=10)` cuts each array at its "
            "own edges, so bin 3 of January and bin 3 of April are different age ranges. Cut "
            "the edges once, from the reference, and use them for both months.",
            tol=1e-4,  # close to the right-closed PSI below: only an exact match counts
        ),
        NearMiss(
            v["bins_from_current"],
            "psi_bins_from_current",
            "Close, but your bins were cut at April's quantiles. The bins come from the "
            "*reference* month (January): its deciles, so each bin holds a tenth of it.",
            tol=tight,
        ),
    ]
    if abs(v["dropped_outside"] - v["right"]) > 0.01:  # only if some visits fall outside
        near.append(
            NearMiss(
                v["dropped_outside"],
                "psi_dropped_outside",
                "Some April visits fell outside your bins: with the reference's minimum and "
                "maximum as outer edges, younger or older customers are left out and the "
                "shares no longer add up to 1. Make the outer edges −∞ and +∞.",
                tol=tight,
            )
        )
    fb = expect_number(
        answer,
        v["right"],
        tol=0.005,
        what="a number (the PSI of age, April against January)",
        lo=0,
        near_misses=near,
        wrong="Not the PSI of age for April against January. Check each step: deciles of "
        "January's ages as bin edges (outer edges −∞ and +∞), the share of each month in each "
        "bin, then the sum of (April − January) × ln(April / January).",
        success="Well above 0.25: by the rule of thumb, age has drifted - the students are "
        "here. Every term is positive; the youngest bins, where they crowd in, weigh most.",
    )
    if not fb.ok and fb.mistake in ("close", "near", "wrong_value"):
        try:
            value = float(answer)
        except (TypeError, ValueError):
            return fb
        if math.isfinite(value) and abs(value - v["right_closed"]) <= 0.005:
            return correct(
                "Well above 0.25: age has drifted - the students are here. (You closed the "
                "bins on the right, as pd.cut does; a convention, fine.)"
            )
    return fb


q1 = Exercise(
    NOTEBOOK,
    "q1",
    "The PSI of age, by hand",
    prompt="Compute the population stability index of `age` for April (the current month) "
    "against January (the reference), as the notebook did for temperature: bins at "
    "January's deciles (outer edges −∞ and +∞), the share of each month in each bin, then "
    "Σ (current − reference) × ln(current / reference). Give one number; checked to ± 0.005.",
    expects="a number (the PSI)",
    checker=_check_q1,
    hints=[
        "Take the two columns from the monitor's tables: `inputs['2026-01']['age']` is the "
        "reference, `inputs['2026-04']['age']` the current month. Then repeat the steps of "
        "the temperature example.",
        "Edges: `np.quantile(reference, np.linspace(0, 1, 11))`, keep the inner nine "
        "(`[1:-1]`), drop repeats with `np.unique`, and add `-np.inf` and `np.inf` at the "
        "ends. Shares: `np.histogram(x, edges)[0] / len(x)` for each month.",
        "`terms = (cur_share - ref_share) * np.log(cur_share / ref_share)`; the PSI is "
        "`terms.sum()`.",
    ],
    solution="""reference = inputs["2026-01"]["age"]
current = inputs["2026-04"]["age"]
inner = np.unique(np.quantile(reference, np.linspace(0, 1, 11))[1:-1])
edges = np.concatenate([[-np.inf], inner, [np.inf]])
ref_share = np.histogram(reference, edges)[0] / len(reference)
cur_share = np.histogram(current, edges)[0] / len(current)
psi_age = float(np.sum((cur_share - ref_share) * np.log(cur_share / ref_share)))
q1.check(psi_age)""",
    explanation="The bins come from the reference, so each holds a tenth of January's "
    "customers; the students of April crowd the youngest bins. Each bin adds (change in "
    "share) × ln(ratio of shares): both factors have the same sign, so every term is "
    "positive, and bins that moved a lot dominate.",
)


# --------------------------------------------------------------------------- q2

Q3_OPTIONS = {
    "a": "Yes: p is far below 0.05, the change is significant - retrain today.",
    "b": "Yes: the PSI is above 0.25, the documented alert threshold - retrain today.",
    "c": "No: July is warm every year. Compare July with the Julys of the history (the "
    "seasonal rule), and judge the model by its live metric when the labels arrive.",
    "d": "Drop temperature_c from the model, so that it cannot drift any more.",
}


def _check_q2(answer: Any) -> Feedback:
    return expect_choice(
        answer,
        "c",
        list(Q3_OPTIONS),
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


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "Is the model broken in July?",
    prompt="It is July. Against the whole training year, the PSI of `temperature_c` is about "
    "5 and a KS test on the visits gives p < 1e-100. A colleague says: 'The model is "
    "broken - retrain it now.' What do you answer? "
    + "".join(f"\n({k}) {text}" for k, text in Q3_OPTIONS.items())
    + "\nAnswer with the letter.",
    expects="one of the letters 'a', 'b', 'c', 'd'",
    checker=_check_q2,
    hints=[
        "Was temperature in July different from the whole year *last* year too, when the "
        "model was trained?",
        "A p-value measures whether two samples differ, not whether the model gets worse. "
        "What does the model's quality depend on, and when can you measure it?",
        "The seasonal rules compare a month with the same month of the history; the live "
        "metric, with the labels, says whether predictions got worse.",
    ],
    solution="answer = 'c'\nq2.check(answer)",
    explanation="July is warm every year and the model learned it from the history: "
    "comparing July with the whole year (or trusting a p-value on thousands of rows) would "
    "page someone every month. The seasonal rule compares July with past Julys; the live "
    "metric tells whether the model actually suffers.",
)


# --------------------------------------------------------------------------- q3

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


def _check_q3(answer: Any) -> Feedback:
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


q3 = Exercise(
    NOTEBOOK,
    "q3",
    "What the live metric measures",
    prompt="Labels arrive a month late. Each month, the monitor compares one number with the "
    "success contract. Which metric should that be? Give its name as a str (e.g. 'log_loss').",
    expects="the name of a metric (a str)",
    checker=_check_q3,
    hints=[
        "The contract of notebook 01 names a metric and a minimum. Which?",
        "Does a false banana cost the same as a false apple? Then should the live metric count "
        "them the same?",
        "`contract.load().metric` - the metric the contract was signed with.",
    ],
    solution="answer = 'expected_cost'\nq3.check(answer)",
    explanation="The contract is expressed as an expected cost per visit (false bananas at "
    "0.30 €, false apples at 0.10 €); the monitor compares the same number, on the labels "
    "that have arrived, with the contract's minimum.",
)
# --------------------------------------------------------------------------- q4

KINDS = ("data drift", "prior shift", "concept drift", "data-quality break", "seasonality")


def _check_q4(answer: Any) -> Feedback:
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


q4 = Exercise(
    NOTEBOOK,
    "q4",
    "Which kind of change?",
    prompt="A dashboard at the end of September: every input's PSI against the reference "
    "month is below 0.10, the seasonal levels match last September, and the model predicts "
    "banana for about the same share of visits as in spring. But the expected cost per visit "
    "on August's labels (just arrived) is a quarter above the test-set level. Which kind of change "
    "is this? Answer with one of: 'data drift', 'prior shift', 'concept drift', "
    "'data-quality break', 'seasonality'.",
    expects="one of 'data drift', 'prior shift', 'concept drift', 'data-quality break', "
    "'seasonality'",
    checker=_check_q4,
    hints=[
        "List what moved and what did not: the inputs? the predictions? the errors?",
        "If nothing the model sees has changed, yet its answers are wrong more often, then "
        "P(fruit | inputs) - the very thing the model learned - has changed.",
        "Re-read the table of the three kinds of change in the notebook: which one has "
        "'no input moves, the live metric drops'?",
    ],
    solution="answer = 'concept drift'\nq4.check(answer)",
    explanation="The inputs are steady (no data drift, no data-quality problem), the model's "
    "predictions are steady, and the errors grow: the relation between inputs and fruit "
    "changed - concept drift. It is the taste change of August to October: families going off "
    "bananas.",
)
