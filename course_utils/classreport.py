"""What did my class get wrong? A report built from the learners' progress exports.

Each learner writes a small file with ``python -m course_utils progress --export FILE``
(:func:`course_utils.progress.export_progress`: attempts, passes and mistake tags per
exercise - never an answer). The instructor collects the files and runs
``python -m course_utils class-report FILES_OR_FOLDERS --out DIR``, which writes

* ``DIR/report.html`` - one self-contained page (inline SVG figures, no script, no
  external file), opened in any browser without a server;
* ``DIR/report.json`` - the same numbers for other tools (layout below).

The report gives, per notebook and per exercise, the share of the class who passed and
the median number of attempts; the most frequent misconceptions with counts, what each
means (:data:`course_utils.exercises.MISTAKES`) and a discussion prompt
(:data:`DISCUSSION_PROMPTS`, also in ``docs/instructor-guide.md``); the learners who seem
stuck (at least ``stuck_attempts`` attempts at an exercise without passing it); and two
figures, an exercises x learners heat map and a bar chart of misconceptions, each with a
table that says the same in text. Colours are the colour-blind-safe Okabe-Ito palette and
every cell also carries a symbol.

Files that cannot be counted are not dropped silently: each gives one line (a *note*) on
the command line and in the report - a file that is not JSON, a JSON file that is not an
export, an export from a newer course, a second export of the same learner (counted once),
exercises this course version does not know. ``class-report --demo`` builds the report
from a simulated class (:func:`simulate_class`).

``report.json`` layout (``"format_version": 1``)::

    {"format": "apple-or-banana/class-report", "format_version": 1,
     "course_version": "0.1.0", "learners": 40, "stuck_attempts": 5,
     "notes": ["..."],                       # one line per file problem
     "notebooks": [{"notebook", "stage", "exercises", "learners_started",
                    "learners_completed", "share_completed", "median_attempts"}],
     "exercises": [{"notebook", "exercise", "title", "learners_attempted",
                    "learners_passed", "share_passed", "median_attempts",
                    "median_attempts_to_pass", "top_mistakes": [{"tag", "count"}]}],
     "misconceptions": [{"tag", "explanation", "prompt", "learners", "count",
                         "exercises"}],      # named misconceptions, most learners first
     "other_mistakes": [{"tag", "explanation", "learners", "count", "exercises"}],
     "stuck": [{"learner", "notebook", "exercise", "attempts", "most_frequent_mistake"}],
     "heatmap": {"exercises": ["00 q1", ...], "learners": ["blue-fox", ...],
                 "cells": [["1", "3", "x", "", ...], ...]}}   # one row per exercise

``share_passed`` is over the whole class (learners who never reached an exercise count as
not passed; ``learners_attempted`` says how many did). ``median_attempts`` is over the
learners who attempted it; ``median_attempts_to_pass`` over those who passed it.

>>> docs = simulate_class(n_learners=6, seed=1)
>>> summary = summarise([Learner.from_export(d) for d in docs])
>>> summary["learners"], len(summary["heatmap"]["learners"])
(6, 6)
"""

from __future__ import annotations

import json
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import numpy as np

from course_utils.progress import EXPORT_FORMAT, EXPORT_VERSION, NOTEBOOK_STAGES

__all__ = [
    "DEMO_PATTERNS",
    "DISCUSSION_PROMPTS",
    "FORM_TAGS",
    "REPORT_FORMAT",
    "ReportError",
    "Learner",
    "build_demo",
    "build_report",
    "collect",
    "render_html",
    "simulate_class",
    "summarise",
]

REPORT_FORMAT = "apple-or-banana/class-report"
REPORT_HTML = "report.html"
REPORT_JSON = "report.json"
#: At least this many attempts at an exercise without a pass: the learner seems stuck.
STUCK_ATTEMPTS = 5
_MAX_EXPORT_BYTES = 5_000_000

#: Mistake tags about the *form* of an answer (a str for a number, a wrong option, ...),
#: not a misconception to discuss: reported apart, under "other mistakes".
FORM_TAGS = frozenset(
    {
        "not_a_function",
        "signature",
        "raised",
        "returned_none",
        "mutates_input",
        "wrong_type",
        "wrong_shape",
        "nan",
        "not_integer",
        "out_of_range",
        "close",
        "wrong_value",
        "wrong_choice",
        "wrong_index",
        "wrong_column",
        "missing_columns",
        "extra_columns",
        "missing_input",
        "unknown_input",
        "check_error",
        "near",
        "none_answer",
        "wrong_dtype",
        "wrong_model",
        "wrong_search",
    }
)

#: A question to open the discussion of each misconception in the next session, keyed by
#: its mistake tag. The same prompts are in docs/instructor-guide.md (a test checks it).
DISCUSSION_PROMPTS: dict[str, str] = {
    "percent_not_fraction": "Is 42 the same answer as 0.42? When does the unit of a "
    "number change a decision?",
    "fraction_not_percent": "Is 0.42 the same answer as 42 here? Read the question's unit "
    "aloud before computing.",
    "unit_cents": "A price of 45 - euros or cents? Which column tells us the unit, and "
    "what would a model learn from the wrong one?",
    "unit_euros": "Where did the factor 100 go? Which unit does the contract use?",
    "unit_fahrenheit": "Which store's temperatures look too warm for the season? Would a model "
    "notice the unit on its own?",
    "unit_celsius": "Which unit does this column hold, and how can we tell from the data alone?",
    "unit_factor_100": "Values 100 times too large: which step mixed two units?",
    "complement": "Apple share or banana share? Which class is 'positive' here, and who decided?",
    "count_not_share": "A count or a share: which one can be compared between stores of "
    "different sizes?",
    "rows_not_unique": "Rows or distinct values: how many customers are behind these visits?",
    "proportions_not_counts": "When do we want counts and when proportions? What does "
    "`normalize=True` hide?",
    "rows_lost": "Where did the rows go? Which join or filter lost them, and which visits "
    "are now missing from the model's view?",
    "rows_added": "Where do the extra rows come from? What does `validate=` in a merge "
    "protect against?",
    "missing_values": "Which missing values are left, and is 'missing' information here?",
    "not_fitted": "What does `fit` learn and what does `transform` apply? What would a "
    "model see without the fit?",
    "leakage": "Would we know this at the moment of prediction? What does a "
    "too-good-to-be-true score tell us?",
    "fitted_on_test": "Which rows may a preprocessing step learn from, and why not the test rows?",
    "wrong_rows": "Which rows did this step learn from? Trace them back to the split.",
    "scored_on_train": "Why does a model look better on the rows it learned from? What "
    "does the training score measure?",
    "test_used_for_tuning": "If the test set chose the hyperparameters, what is left to "
    "tell us how the model does on new visits?",
    "accuracy_with_skewed_costs": "What would the shop lose if we maximised accuracy? "
    "Show the cost table.",
    "duplicates_all_columns": "Two scans a few seconds apart: the same visit or two? "
    "Which columns define a duplicate?",
    "counted_both_copies": "How many visits are extra copies - and how many are "
    "originals that happen to have a copy?",
    "inverted_ratio": "Share of visits over share of footfall, or the other way round? "
    "What does a ratio below 1 mean here?",
    "unshuffled_folds": "Rows in time order and cv=5: what does each fold learn from, "
    "and what does it test on?",
    "unscaled_features": "Which feature dominates a distance between two visits when "
    "nothing is scaled?",
    "ignored_cv": "Who chooses the folds, the comparison or its caller? What question do "
    "TimeSeriesSplit's folds answer that shuffled ones do not?",
    "only_best": "Two models 0.001 apart: would you throw the second away? What does the "
    "whole table tell that the winner alone does not?",
    "no_spread": "0.841 against 0.838: a real difference? What do you need besides the "
    "two means to say?",
    "accuracy_on_rare_class": "Only 13 % say yes: what accuracy does 'always no' reach? "
    "Which score would tell a useful model from it?",
    "shuffled_future": "Which visits did each fold learn from when the folds are shuffled? "
    "Could the shop have known them at the time?",
    "no_preprocessing": "What does the model receive without the preparation pipeline: "
    "missing values, text, °F?",
    "swapped_axes": "Which axis of the confusion matrix is the truth? Read one cell aloud "
    "as a sentence.",
    "default_threshold": "Why 0.5? What threshold do the costs of the two mistakes call for?",
    "swapped_costs": "Which mistake costs more, a false banana or a false apple? Which "
    "cell of the matrix is which?",
    "pickle_runs_code": "What can a file do when we load it? Would you run a program a "
    "stranger e-mailed you?",
    "try_except_is_no_sandbox": "Can try/except stop code that has already run? What "
    "would a real safeguard look like?",
    "retry_4xx": "A 4xx says the request is wrong: what would sending it again change?",
    "ignored_status": "Which status codes carry a prediction? What did the client do with the "
    "others?",
    "crash_on_4xx": "The service explained the refusal: why did the client end in a KeyError "
    "instead of passing that explanation on?",
    "swallowed_error": "Who reads a refusal the client printed or returned as None? How would "
    "the till tell it from an answer?",
    "error_detail_lost": "The body listed each problem: which of them reached the person who "
    "can fix the visit?",
    "wrong_exception": "Who must act on a 4xx, and who on a 5xx?",
    "hardcoded_url": "What happens to this client when the service moves to another address?",
    "widen_the_rules": "Who do the input rules protect? What does the model predict for a "
    "value it never saw?",
    "one_filter_only": "Which two conditions does the question ask for? Read the query aloud.",
    "psi_no_log": "Why does the PSI take a logarithm? What happens to a bin that doubles?",
    "psi_empty_bins": "What is ln(0)? Why does an empty bin need a tiny share before the "
    "logarithm - and which months leave bins empty?",
    "rows_as_independent": "Two dozen visits of one store-day share one price: how many units "
    "of evidence are they?",
    "fixed_psi_threshold": "On 30 store-days, what PSI does noise alone give? Should the alert "
    "level depend on the size of the window?",
    "noise_mean_threshold": "How often does a quiet month land above the mean of its noise? "
    "Which level should an alert wait for?",
    "alert_wrong_side": "Does an alert fire when the PSI is above its threshold or below it?",
    "psi_log10": "Natural or base-10 logarithm: does the base change the alert threshold?",
    "psi_one_sided": "The PSI sums both directions of the change: why does one half not suffice?",
    "psi_bins_from_current": "Whose quantiles define the bins, and why the reference month's?",
    "psi_separate_bins": "Can we compare two histograms whose bins differ?",
    "psi_dropped_outside": "Where do values outside the reference's range go - and why "
    "are they the most interesting ones?",
    "said_data_drift": "The inputs did not move but the answers did: what changed?",
    "said_prior_shift": "No input moved: can the share of bananas change on its own?",
    "said_quality_break": "The inputs are sound: what else can make accuracy drop?",
    "said_seasonality": "Would the same month last year show this? What would "
    "seasonality look like?",
    "significant_means_harmful": "With thousands of rows, is a p-value below 0.05 a "
    "reason to retrain? Which alerts should wake someone at night?",
    "seasonal_psi_alarm": "A PSI alert on temperature in July: compared with what? "
    "Compare like with like.",
    "drop_drifting_input": "Does dropping an input fix the model or only the alarm?",
    "metric_ignores_costs": "Which metric does the shop really care about, and does the "
    "live monitor track it?",
    "future_information": "Would the till know this at 7:22 in the morning? Which readings "
    "exist at the moment of prediction?",
    "stale_value": "A reading from yesterday attached to today's visit: how would anyone notice? "
    "What should an empty value look like?",
    "wrong_group": "Whose sensor is this reading from? What does `by=` keep apart in a join?",
    "default_scoring": "The search picked its winner by accuracy at 0.5: is that what the shop "
    "pays for? What would the contract's cost choose?",
    "negated_score": "Why does scikit-learn return a cost with a minus sign? Which direction is "
    "better for each score?",
    "compared_wrong_way": "Is a lower cost better or worse? Read the contract's minimum aloud: "
    "the most the shop accepts to lose per visit.",
    "mean_proba": "One decision per visit or one for the whole day? What does the shop do "
    "with a visit whose P(banana) is 0.9 when the average is 0.5?",
    # notebook 10's capstone and wrap-up quizzes
    "course_world": "What did you change - the world, the contract, or both? Which figures of "
    "the report should move, and which should not?",
    "strict_inequality": "Read the contract aloud: 'at most the minimum'. Does a cost equal to "
    "the minimum meet it?",
    "course_minimum": "Whose minimum is 0.042? Where does this contract's own minimum live, "
    "and why must the verdict read it from there?",
    "course_threshold": "Where does 0.75 come from? What threshold do this contract's costs give?",
    "wrong_direction": "Is a cost better when it is higher or lower? Which way must the "
    "comparison with the minimum go?",
    "decision_mismatch": "Does the decision follow from the verdict's own figures? Could a "
    "reader find the same decision from them?",
    "retrain_without_evidence": "Did the retraining policy pay for itself over the year? What "
    "would keep it without that evidence cost?",
    "memo_missing_figures": "Could a colleague check this memo's decision without opening the "
    "report? Which two figures does it rest on?",
    "alert_means_worse": "What does an input alert look at, and what can it not see? Who "
    "answers the question it asks?",
    "typed_figures": "What happens to a typed number when the cycle is rerun on new data?",
}

#: The simulated class's wrong-answer patterns: per exercise, the mistake tags its tests
#: check (tests/test_exercises.py for notebook 00, tests/test_nbNN.py for the others) with
#: a relative frequency, and a difficulty from 0 (easy) to 1 (hard).
DEMO_PATTERNS: dict[tuple[str, str], tuple[float, dict[str, int]]] = {
    ("00", "q1"): (0.2, {"percent_not_fraction": 3, "complement": 3, "count_not_share": 2}),
    ("00", "q2"): (0.2, {"rows_not_unique": 4, "not_integer": 1, "wrong_type": 1}),
    ("00", "q3"): (0.3, {"proportions_not_counts": 3, "wrong_index": 1, "rows_lost": 1}),
    ("00", "wrapup"): (0.2, {"wrong_choice": 2}),
    ("01", "q1"): (0.6, {"leakage": 5, "extra_columns": 2, "missing_columns": 1}),
    ("01", "q2"): (
        0.5,
        {"swapped_costs": 3, "count_not_share": 2, "metric_ignores_costs": 2, "wrong_value": 2},
    ),
    ("01", "wrapup"): (0.4, {"accuracy_with_skewed_costs": 4, "leakage": 2, "wrong_choice": 1}),
    ("02", "q1"): (
        0.7,
        {"future_information": 4, "stale_value": 2, "wrong_index": 3, "rows_added": 2},
    ),
    ("02", "q2"): (0.5, {"counted_both_copies": 3, "duplicates_all_columns": 3}),
    ("02", "q3"): (0.3, {"wrong_choice": 3}),
    ("02", "q4"): (0.5, {"inverted_ratio": 3, "count_not_share": 2, "percent_not_fraction": 1}),
    ("02", "wrapup_a"): (0.3, {"future_information": 2, "rows_lost": 1, "rows_added": 1}),
    ("02", "wrapup_b"): (0.3, {"duplicates_all_columns": 2, "future_information": 1}),
    ("03", "q1"): (0.6, {"unit_fahrenheit": 3, "wrong_rows": 2, "wrong_value": 2}),
    ("03", "q2"): (0.5, {"rows_lost": 2, "rows_added": 2, "wrong_value": 1}),
    ("03", "q3"): (0.4, {"wrong_choice": 3}),
    ("03", "q4"): (0.5, {"missing_values": 3, "missing_columns": 3, "leakage": 2}),
    ("03", "q5"): (0.6, {"leakage": 5, "fitted_on_test": 2, "not_fitted": 1}),
    ("03", "wrapup_a"): (0.7, {"leakage": 2, "wrong_choice": 3}),
    ("03", "wrapup_b"): (0.6, {"leakage": 4, "missing_columns": 1}),
    ("04", "q1"): (0.6, {"scored_on_train": 4, "unshuffled_folds": 3, "percent_not_fraction": 1}),
    ("04", "q2"): (0.6, {"unscaled_features": 4, "no_preprocessing": 2, "scored_on_train": 1}),
    ("04", "q4"): (0.4, {"wrong_choice": 3}),
    ("04", "q5"): (0.6, {"scored_on_train": 2, "fraction_not_percent": 2, "wrong_value": 2}),
    ("04", "q3"): (0.8, {"ignored_cv": 4, "no_spread": 3, "negated_score": 2, "only_best": 2}),
    ("04", "q6"): (0.7, {"accuracy_on_rare_class": 5, "shuffled_future": 3}),
    ("04", "wrapup_a"): (0.3, {"leakage": 2, "no_spread": 2, "scored_on_train": 1}),
    ("04", "wrapup_b"): (0.3, {"shuffled_future": 2, "accuracy_on_rare_class": 2}),
    ("05", "q1"): (0.4, {"wrong_choice": 3, "wrong_value": 1}),
    ("05", "q2"): (0.5, {"scored_on_train": 4, "not_integer": 1, "out_of_range": 1}),
    ("05", "q3"): (0.5, {"negated_score": 3, "scored_on_train": 2, "wrong_search": 1}),
    ("05", "q4"): (
        0.8,
        {"default_scoring": 4, "default_threshold": 3, "negated_score": 2, "wrong_rows": 1},
    ),
    ("05", "wrapup_a"): (0.3, {"scored_on_train": 2, "negated_score": 2, "leakage": 1}),
    ("05", "wrapup_b"): (0.3, {"test_used_for_tuning": 2, "wrong_choice": 2}),
    ("06", "q1"): (0.5, {"swapped_axes": 4, "default_threshold": 3}),
    ("06", "q2"): (0.6, {"swapped_costs": 2, "default_threshold": 2, "unit_cents": 2}),
    ("06", "q4"): (0.4, {"count_not_share": 2, "wrong_choice": 2}),
    ("06", "q6"): (0.6, {"accuracy_with_skewed_costs": 4, "test_used_for_tuning": 2}),
    ("06", "q5"): (0.5, {"wrong_column": 2, "wrong_value": 3, "count_not_share": 1}),
    ("06", "q3"): (
        0.7,
        {"default_threshold": 3, "swapped_costs": 2, "compared_wrong_way": 2, "mean_proba": 1},
    ),
    ("06", "wrapup_a"): (0.4, {"swapped_axes": 2, "test_used_for_tuning": 2}),
    ("06", "wrapup_b"): (0.4, {"wrong_choice": 3, "wrong_value": 1}),
    ("06", "wrapup_c"): (0.4, {"wrong_choice": 3}),
    ("07", "q1"): (0.4, {"pickle_runs_code": 4, "try_except_is_no_sandbox": 3}),
    ("07", "q2"): (0.5, {"unit_fahrenheit": 2, "unit_cents": 2, "missing_columns": 2}),
    ("07", "q3"): (0.5, {"one_filter_only": 4, "complement": 1, "wrong_value": 1}),
    ("07", "q4"): (
        0.7,
        {"crash_on_4xx": 4, "ignored_status": 3, "swallowed_error": 3, "error_detail_lost": 2},
    ),
    ("07", "wrapup_a"): (0.3, {"pickle_runs_code": 2, "scored_on_train": 2}),
    ("07", "wrapup_b"): (0.4, {"retry_4xx": 2, "unit_fahrenheit": 2, "default_threshold": 1}),
    ("08", "q3"): (0.6, {"significant_means_harmful": 4, "seasonal_psi_alarm": 3}),
    ("08", "q4"): (0.6, {"metric_ignores_costs": 3, "accuracy_with_skewed_costs": 3}),
    ("08", "q5"): (0.6, {"said_data_drift": 3, "said_prior_shift": 2, "said_seasonality": 1}),
    ("08", "q1"): (
        0.7,
        {
            "rows_as_independent": 3,
            "fixed_psi_threshold": 3,
            "psi_empty_bins": 2,
            "psi_no_log": 2,
            "alert_wrong_side": 1,
            "psi_bins_from_current": 1,
        },
    ),
    ("08", "q2"): (0.5, {"fixed_psi_threshold": 2, "rows_as_independent": 2, "wrong_value": 1}),
    ("08", "wrapup_a"): (0.5, {"fixed_psi_threshold": 2, "significant_means_harmful": 2}),
    ("08", "wrapup_b"): (0.5, {"seasonal_psi_alarm": 2, "said_data_drift": 2}),
    ("09", "q1"): (
        0.7,
        {"future_information": 3, "scored_on_train": 2, "wrong_rows": 2, "wrong_model": 1},
    ),
    ("09", "q2"): (0.5, {"wrong_choice": 3}),
    ("09", "q3"): (0.6, {"scored_on_train": 4, "not_fitted": 1, "missing_input": 1}),
    ("09", "wrapup_a"): (0.4, {"future_information": 2, "accuracy_with_skewed_costs": 2}),
    ("09", "wrapup_b"): (0.4, {"scored_on_train": 2, "wrong_choice": 2}),
    ("10", "q1"): (0.5, {"wrong_choice": 3}),
    ("10", "q2"): (0.5, {"accuracy_with_skewed_costs": 3, "unit_cents": 2, "wrong_value": 1}),
    ("10", "q3"): (0.5, {"wrong_choice": 3}),
    ("10", "q4"): (0.3, {"course_world": 3, "wrong_type": 1}),
    ("10", "q5"): (
        0.6,
        {"strict_inequality": 3, "course_minimum": 2, "retrain_without_evidence": 2},
    ),
    ("10", "q6"): (0.5, {"memo_missing_figures": 3, "wrong_type": 2, "decision_mismatch": 1}),
    ("10", "wrapup_a"): (0.4, {"alert_means_worse": 3, "wrong_choice": 2}),
    ("10", "wrapup_b"): (0.4, {"strict_inequality": 2, "typed_figures": 2}),
}

# Okabe-Ito colours; each state of a heat-map cell also has its own symbol.
_STATES = {
    "first": ("#009E73", "passed at the first attempt", "1"),
    "later": ("#56B4E9", "passed after N attempts (N shown)", "N"),
    "stuck": ("#D55E00", "not passed after many attempts (stuck)", "!"),
    "failed": ("#E69F00", "attempted, not passed yet", "x"),
    "unknown": ("#0072B2", "passed, attempts not recorded (older progress file)", "+"),
    "none": ("#F2F2F2", "not attempted", ""),
}


class ReportError(Exception):
    """The report cannot be built (no input, nothing readable): one line, exit status 2."""


# --------------------------------------------------------------------------- reading


@dataclass
class Record:
    """One learner's work on one exercise, as exported."""

    attempts: int | None
    passed: bool
    first_pass: int | None
    mistakes: dict[str, int] = field(default_factory=dict)


@dataclass
class Learner:
    """One learner's export: pseudonym, random id, course version and records."""

    pseudonym: str
    learner_id: str
    course_version: str
    records: dict[tuple[str, str], Record]
    source: str = ""

    @property
    def total_attempts(self) -> int:
        return sum(r.attempts or 0 for r in self.records.values())

    @classmethod
    def from_export(cls, doc: Any, source: str = "") -> Learner:
        """Read an export document; a ValueError names the first thing that is wrong.

        >>> Learner.from_export({"format": "something else"})
        Traceback (most recent call last):
        ...
        ValueError: not a progress export of this course ('format' is 'something else', ...
        """
        if not isinstance(doc, dict):
            raise ValueError(
                f"not a progress export of this course (a JSON {type(doc).__name__}, "
                "expected an object)"
            )
        if doc.get("format") != EXPORT_FORMAT:
            if "format" not in doc and isinstance(doc.get("passed"), dict):
                raise ValueError(
                    "a progress file, not an export: the learner runs "
                    "'python -m course_utils progress --export FILE' and hands in FILE"
                )
            if doc.get("format") == REPORT_FORMAT:
                raise ValueError("a class report, not a learner's export (keep --out apart)")
            found = f"is {doc['format']!r}" if "format" in doc else "is missing"
            raise ValueError(
                f"not a progress export of this course ('format' {found}, "
                f"expected {EXPORT_FORMAT!r})"
            )
        version = doc.get("format_version")
        if isinstance(version, int) and not isinstance(version, bool) and version > EXPORT_VERSION:
            raise ValueError(
                f"written by a newer course (export format {version}; this one reads "
                f"{EXPORT_VERSION}): update the course (git pull, or pip install -U) and run "
                "again"
            )
        if version != EXPORT_VERSION:
            raise ValueError(
                f"unknown export format version {version!r} (this course reads {EXPORT_VERSION})"
            )
        pseudonym, learner_id = doc.get("pseudonym"), doc.get("learner_id")
        if not isinstance(pseudonym, str) or not pseudonym.strip():
            raise ValueError("the export has no 'pseudonym' (a non-empty text)")
        if len(pseudonym.strip()) > 40:
            raise ValueError("the 'pseudonym' is longer than 40 characters")
        if not isinstance(learner_id, str) or not learner_id:
            raise ValueError("the export has no 'learner_id' (a text)")
        exercises = doc.get("exercises")
        if not isinstance(exercises, list):
            raise ValueError("the export has no 'exercises' list")
        records: dict[tuple[str, str], Record] = {}
        for i, item in enumerate(exercises):
            key, record = _read_record(item, i)
            if key in records:
                raise ValueError(f"exercise {key[0]} {key[1]} is listed twice")
            records[key] = record
        version_text = doc.get("course_version")
        return cls(
            pseudonym=pseudonym.strip(),
            learner_id=learner_id,
            course_version=version_text if isinstance(version_text, str) else "unknown",
            records=records,
            source=source,
        )


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _read_record(item: Any, i: int) -> tuple[tuple[str, str], Record]:
    where = f"exercises[{i}]"
    if not isinstance(item, dict):
        raise ValueError(f"{where} is not an object")
    nb, name = item.get("notebook"), item.get("exercise")
    if not isinstance(nb, str) or not isinstance(name, str):
        raise ValueError(f"{where} needs 'notebook' and 'exercise' as text")
    attempts, first = item.get("attempts"), item.get("first_pass_attempt")
    passed, mistakes = item.get("passed"), item.get("mistakes", {})
    if attempts is not None and not _whole(attempts):
        raise ValueError(f"{where} ({nb} {name}): 'attempts' must be a whole number or null")
    if not isinstance(passed, bool):
        raise ValueError(f"{where} ({nb} {name}): 'passed' must be true or false")
    if first is not None and not (
        _whole(first) and first >= 1 and attempts is not None and first <= attempts and passed
    ):
        raise ValueError(
            f"{where} ({nb} {name}): 'first_pass_attempt' must be null or a number from 1 "
            "to 'attempts' of a passed exercise"
        )
    if not isinstance(mistakes, dict) or not all(
        isinstance(t, str) and _whole(c) for t, c in mistakes.items()
    ):
        raise ValueError(f"{where} ({nb} {name}): 'mistakes' must map tags to whole numbers")
    return (nb, name), Record(attempts, passed, first, dict(mistakes))


def _json_files(folder: Path) -> tuple[list[Path], int]:
    """The ``*.json`` files under ``folder`` (sorted) and how many other files it holds."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    found = [p for p in files if p.suffix.lower() == ".json"]
    return found, len(files) - len(found)


def _read_export(path: Path, shown: str) -> Learner:
    try:
        if path.stat().st_size > _MAX_EXPORT_BYTES:
            raise ValueError(
                f"too large to be an export ({path.stat().st_size:,} bytes; an export is a few kB)"
            )
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError("not a text file (not UTF-8): not an export") from None
    except OSError as exc:
        raise ValueError(f"could not be read ({exc.strerror or exc})") from None
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        reason = (
            f"line {exc.lineno}, column {exc.colno}"
            if hasattr(exc, "lineno")
            else "nested too deep"
        )
        raise ValueError(
            f"is not valid JSON ({reason}): a damaged upload? Ask the learner to export again"
        ) from None
    return Learner.from_export(doc, source=shown)


def collect(
    inputs: Sequence[str | Path], *, merge_pseudonyms: bool = False
) -> tuple[list[Learner], list[str]]:
    """Read the exports in ``inputs`` (files, or folders searched for ``*.json``).

    Returns the learners (each counted once) and the notes - one line per file that could
    not be counted, per duplicate, per older export. A missing input raises
    :class:`ReportError`, as does finding no readable export at all.

    Two exports with the same ``learner_id`` are one learner (the export with the most
    attempts counts). Exports with the same pseudonym but different ids are different
    learners, unless ``merge_pseudonyms``: then they are one learner whose exports came
    from several progress files (on Colab each notebook may run in a runtime of its own),
    and per exercise the export with the most attempts counts.

    Example: ``learners, notes = collect(["exports/"])``.
    """
    if not inputs:
        raise ReportError("give export files or folders of them (or --demo)")
    notes: list[str] = []
    files: list[tuple[Path, str]] = []
    for raw in inputs:
        path = Path(raw).expanduser()
        if not path.exists():
            raise ReportError(f"no such file or folder: {raw}")
        if path.is_dir():
            found, others = _json_files(path)
            if others:
                notes.append(f"{raw}: {others} file(s) not ending in .json were not read")
            if not found:
                notes.append(f"{raw}: no export files (*.json) in this folder")
            files += [(p, str(p)) for p in found]
        else:
            files.append((path, str(raw)))
    seen: set[Path] = set()
    readable: list[Learner] = []
    for path, shown in files:
        real = path.resolve()
        if real in seen:
            notes.append(f"{shown}: given twice; read once")
            continue
        seen.add(real)
        try:
            readable.append(_read_export(path, shown))
        except ValueError as exc:
            notes.append(f"{shown}: {exc}; not counted")
    if not readable:
        problems = [n for n in notes if n.endswith("not counted") or "no export files" in n]
        detail = f": {problems[0]}" if problems else ""
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ReportError(f"no readable export{detail}{more}")
    learners = _deduplicate(readable, notes, merge_pseudonyms)
    _note_versions(learners, notes)
    return learners, notes


def _deduplicate(
    learners: list[Learner], notes: list[str], merge_pseudonyms: bool = False
) -> list[Learner]:
    """One learner per ``learner_id`` (the export with the most attempts); equal pseudonyms
    of different learners are told apart with a number, or merged with
    ``merge_pseudonyms``."""
    by_id: dict[str, list[Learner]] = {}
    for learner in learners:
        by_id.setdefault(learner.learner_id, []).append(learner)
    kept: list[Learner] = []
    for copies in by_id.values():
        best = max(copies, key=lambda c: c.total_attempts)  # attempts only grow
        kept.append(best)
        for other in copies:
            if other is not best:
                why = (
                    "the one with more attempts"
                    if best.total_attempts > other.total_attempts
                    else "as many attempts; the first file read"
                )
                notes.append(
                    f"{other.source}: another export of learner {best.pseudonym!r} "
                    f"(also in {best.source}); counted once, from {best.source} ({why})"
                )
    kept.sort(key=lambda c: (c.pseudonym.casefold(), c.learner_id))
    if merge_pseudonyms:
        return _merge_pseudonyms(kept, notes)
    names = Counter(c.pseudonym.casefold() for c in kept)
    seen: Counter[str] = Counter()
    for learner in kept:
        key = learner.pseudonym.casefold()
        if names[key] > 1:
            seen[key] += 1
            if seen[key] > 1:
                learner.pseudonym = f"{learner.pseudonym} ({seen[key]})"
                notes.append(
                    f"{learner.source}: a different learner with the pseudonym already "
                    f"used; shown as {learner.pseudonym!r} (if it is the same learner's "
                    "export from another progress file, e.g. another Colab runtime, use "
                    "--merge-pseudonyms)"
                )
    return kept


def _merge_pseudonyms(learners: list[Learner], notes: list[str]) -> list[Learner]:
    """One learner per pseudonym: per exercise, the export with the most attempts counts."""
    groups: dict[str, list[Learner]] = {}
    for learner in learners:
        groups.setdefault(learner.pseudonym.casefold(), []).append(learner)
    merged: list[Learner] = []
    for group in groups.values():
        if len(group) == 1:
            merged.append(group[0])
            continue
        records: dict[tuple[str, str], Record] = {}
        for learner in group:
            for key, record in learner.records.items():
                old = records.get(key)
                if old is None or (record.attempts or 0, record.passed) > (
                    old.attempts or 0,
                    old.passed,
                ):
                    records[key] = record
        first = group[0]
        sources = ", ".join(c.source for c in group)
        merged.append(
            Learner(
                pseudonym=first.pseudonym,
                learner_id="+".join(c.learner_id for c in group),
                course_version=first.course_version,
                records=records,
                source=sources,
            )
        )
        notes.append(
            f"{len(group)} exports with the pseudonym {first.pseudonym!r} ({sources}) merged "
            "into one learner: per exercise, the export with the most attempts counts"
        )
    return merged


def _note_versions(learners: list[Learner], notes: list[str]) -> None:
    from course_utils import __version__

    other = Counter(c.course_version for c in learners if c.course_version != __version__)
    for version, n in sorted(other.items()):
        notes.append(
            f"{n} export(s) from course version {version} (this is {__version__}): read, "
            "as the export format is the same"
        )


# --------------------------------------------------------------------------- summarising


def _catalogue() -> list[tuple[str, str, str]]:
    from course_utils.exercises import catalogue

    return catalogue()


def _mistakes() -> dict[str, str]:
    from course_utils.exercises import MISTAKES, all_exercises

    all_exercises()  # the notebooks' modules add their own tags
    return MISTAKES


def _median(values: list[int]) -> float | None:
    return round(float(statistics.median(values)), 1) if values else None


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _cell(record: Record | None, stuck_attempts: int) -> tuple[str, str]:
    """(state, text) of one heat-map cell."""
    if record is None or (not record.passed and not record.attempts):
        return "none", ""
    if record.passed:
        if record.first_pass is None:
            return "unknown", "+"
        if record.first_pass == 1:
            return "first", "1"
        return "later", str(record.first_pass) if record.first_pass < 10 else "9+"
    if (record.attempts or 0) >= stuck_attempts:
        return "stuck", "!"
    return "failed", "x"


def summarise(
    learners: Sequence[Learner],
    notes: Sequence[str] = (),
    *,
    stuck_attempts: int = STUCK_ATTEMPTS,
) -> dict[str, Any]:
    """The report's numbers (the ``report.json`` document) for ``learners``.

    Exercises this course version does not have are left out, with a note. Example:
    ``summarise(collect(["exports/"])[0])["exercises"][0]["share_passed"]``.
    """
    from course_utils import __version__

    notes = list(notes)
    cat = _catalogue()
    known = {(nb, name) for nb, name, _ in cat}
    explanations = _mistakes()
    n = len(learners)
    for learner in learners:
        unknown = sorted(k for k in learner.records if k not in known)
        if unknown:
            names = ", ".join(f"{nb} {q}" for nb, q in unknown[:5])
            notes.append(
                f"{learner.source or learner.pseudonym}: {len(unknown)} exercise(s) this course "
                f"version does not have ({names}); left out"
            )

    exercises = []
    tag_count: Counter[str] = Counter()
    tag_learners: dict[str, set[int]] = {}
    tag_where: dict[str, Counter[str]] = {}
    for nb, name, title in cat:
        recs = [(i, c.records.get((nb, name))) for i, c in enumerate(learners)]
        tried = [(i, r) for i, r in recs if r is not None and (r.attempts or r.passed)]
        passed = [r for _, r in tried if r.passed]
        mistakes: Counter[str] = Counter()
        for i, r in tried:
            for tag, times in r.mistakes.items():
                if times <= 0:
                    continue
                mistakes[tag] += times
                tag_count[tag] += times
                tag_learners.setdefault(tag, set()).add(i)
                tag_where.setdefault(tag, Counter())[f"{nb} {name}"] += times
        exercises.append(
            {
                "notebook": nb,
                "exercise": name,
                "title": title,
                "learners_attempted": len(tried),
                "learners_passed": len(passed),
                "share_passed": _share(len(passed), n),
                "median_attempts": _median([r.attempts for _, r in tried if r.attempts]),
                "median_attempts_to_pass": _median([r.first_pass for r in passed if r.first_pass]),
                "top_mistakes": [
                    {"tag": t, "count": c}
                    for t, c in sorted(mistakes.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
                ],
            }
        )

    notebooks = []
    for nb in sorted({e["notebook"] for e in exercises}):
        names = [e["exercise"] for e in exercises if e["notebook"] == nb]
        started = completed = 0
        attempts: list[int] = []
        for learner in learners:
            recs = [learner.records.get((nb, q)) for q in names]
            if any(r is not None and (r.attempts or r.passed) for r in recs):
                started += 1
            if all(r is not None and r.passed for r in recs):
                completed += 1
            attempts += [r.attempts for r in recs if r is not None and r.attempts]
        notebooks.append(
            {
                "notebook": nb,
                "stage": NOTEBOOK_STAGES.get(nb, ""),
                "exercises": len(names),
                "learners_started": started,
                "learners_completed": completed,
                "share_completed": _share(completed, n),
                "median_attempts": _median(attempts),
            }
        )

    def tag_rows(form: bool) -> list[dict[str, Any]]:
        rows = []
        for tag in sorted(tag_count, key=lambda t: (-len(tag_learners[t]), -tag_count[t], t)):
            if (tag in FORM_TAGS) != form:
                continue
            row: dict[str, Any] = {
                "tag": tag,
                "explanation": explanations.get(tag, "(not described in this course version)"),
            }
            if not form:
                row["prompt"] = DISCUSSION_PROMPTS.get(
                    tag, "Ask who made this mistake and what they expected."
                )
            row.update(
                learners=len(tag_learners[tag]),
                count=tag_count[tag],
                exercises=[w for w, _ in tag_where[tag].most_common()],
            )
            rows.append(row)
        return rows

    stuck = []
    for learner in learners:
        for nb, name, _ in cat:
            r = learner.records.get((nb, name))
            if r is not None and not r.passed and (r.attempts or 0) >= stuck_attempts:
                top = max(r.mistakes.items(), key=lambda kv: (kv[1], kv[0]), default=(None, 0))
                stuck.append(
                    {
                        "learner": learner.pseudonym,
                        "notebook": nb,
                        "exercise": name,
                        "attempts": r.attempts,
                        "most_frequent_mistake": top[0],
                    }
                )
    stuck.sort(key=lambda s: (-s["attempts"], s["learner"].casefold(), s["notebook"]))

    heat = [
        [_cell(c.records.get((nb, name)), stuck_attempts)[1] for c in learners]
        for nb, name, _ in cat
    ]
    return {
        "format": REPORT_FORMAT,
        "format_version": 1,
        "course_version": __version__,
        "learners": n,
        "stuck_attempts": stuck_attempts,
        "notes": notes,
        "notebooks": notebooks,
        "exercises": exercises,
        "misconceptions": tag_rows(form=False),
        "other_mistakes": tag_rows(form=True),
        "stuck": stuck,
        "heatmap": {
            "exercises": [f"{nb} {name}" for nb, name, _ in cat],
            "learners": [c.pseudonym for c in learners],
            "cells": heat,
        },
    }


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em auto;
max-width:1100px;padding:0 1em;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6em}h2{margin-top:1.8em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow:auto;max-width:100%;border:1px solid #ddd}
.note{color:#5a3b00;background:#fff7e0;padding:2px 6px}
figure{margin:1em 0}figcaption{font-size:.9em;color:#444}
code{background:#f3f3f3;padding:0 3px}.legend span.sw{display:inline-block;width:1.3em;
height:1.1em;border:1px solid #777;text-align:center;font-size:.85em;margin-right:.3em}
"""


def _inline(text: str) -> str:
    """Escape ``text`` for HTML; `backticks` become <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]], caption: str = "") -> str:
    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for v in row:
            if isinstance(v, int | float) and not isinstance(v, bool):
                cells.append(f"<td class='num'>{escape(str(v))}</td>")
            else:
                cells.append(f"<td>{v}</td>")  # already escaped by the caller
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _heatmap_svg(summary: dict[str, Any]) -> str:
    """Exercises (rows) x learners (columns); each cell a colour *and* a symbol."""
    heat = summary["heatmap"]
    ex, names, cells = heat["exercises"], heat["learners"], heat["cells"]
    size, left, top = 16, 56, 96
    width, height = left + size * len(names) + 70, top + size * len(ex) + 10
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' aria-labelledby='heat-title' "
        "font-family='sans-serif'>",
        "<title id='heat-title'>Heat map: one row per exercise, one column per learner; the "
        "table after the figure gives the same cells as text.</title>",
        f"<rect width='{width}' height='{height}' fill='white'/>",
    ]
    by_text = {"1": "first", "!": "stuck", "x": "failed", "+": "unknown", "": "none"}
    for j, name in enumerate(names):
        x = left + j * size + size / 2
        out.append(
            f"<text x='{x:g}' y='{top - 4}' font-size='9' transform='rotate(-60 {x:g} {top - 4})'"
            f">{escape(name[:14])}</text>"
        )
    for i, label in enumerate(ex):
        y = top + i * size
        out.append(f"<text x='2' y='{y + 12}' font-size='10'>{escape(label)}</text>")
        for j, text in enumerate(cells[i]):
            state = by_text.get(text, "later")
            colour = _STATES[state][0]
            x = left + j * size
            out.append(
                f"<rect x='{x}' y='{y}' width='{size - 1}' height='{size - 1}' fill='{colour}'/>"
            )
            if text:
                fill = "white" if state in ("stuck", "unknown") else "black"
                out.append(
                    f"<text x='{x + 7.5:g}' y='{y + 12}' font-size='10' text-anchor='middle' "
                    f"fill='{fill}'>{escape(text)}</text>"
                )
    out.append("</svg>")
    return "".join(out)


def _bars_svg(rows: list[dict[str, Any]], n_learners: int) -> str:
    """Horizontal bars: learners who made each misconception; the numbers are written."""
    rows = rows[:15]
    if not rows:
        return ""
    left, bar_w, h = 210, 420, 22
    width, height = left + bar_w + 190, h * len(rows) + 30
    scale = bar_w / max(1, n_learners)
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' aria-labelledby='bars-title' "
        "font-family='sans-serif' font-size='12'>",
        "<title id='bars-title'>Bar chart: learners who made each misconception; the "
        "misconceptions table above gives the same numbers.</title>",
        f"<rect width='{width}' height='{height}' fill='white'/>",
    ]
    for i, r in enumerate(rows):
        y = 10 + i * h
        w = max(1.0, r["learners"] * scale)
        out.append(f"<text x='{left - 6}' y='{y + 14}' text-anchor='end'>{escape(r['tag'])}</text>")
        out.append(
            f"<rect x='{left}' y='{y + 2}' width='{w:.1f}' height='{h - 6}' fill='#0072B2'/>"
        )
        out.append(
            f"<text x='{left + w + 6:.1f}' y='{y + 14}'>{r['learners']} learner(s), "
            f"{r['count']} time(s)</text>"
        )
    axis_y = 10 + len(rows) * h
    out.append(
        f"<line x1='{left}' y1='{axis_y}' x2='{left + bar_w}' y2='{axis_y}' stroke='#333'/>"
        f"<text x='{left}' y='{axis_y + 14}' font-size='10'>0</text>"
        f"<text x='{left + bar_w}' y='{axis_y + 14}' font-size='10' text-anchor='end'>"
        f"{n_learners} learners</text></svg>"
    )
    return "".join(out)


def render_html(summary: dict[str, Any], *, title: str = "Class report") -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no script).

    >>> html = render_html(summarise([Learner.from_export(d) for d in simulate_class(3)]))
    >>> html.startswith("<!DOCTYPE html>") and "<script" not in html
    True
    """
    n = summary["learners"]
    e = escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{e(title)} - Apple or Banana?</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f"<p id='summary'><strong>{n}</strong> learner(s), course version "
        f"{e(summary['course_version'])}. Built from the learners' progress exports: "
        "attempts, passes and mistake tags only - no answers.</p>",
    ]
    if summary["notes"]:
        items = "".join(f"<li class='note'>{e(x)}</li>" for x in summary["notes"])
        parts.append(f"<h2 id='notes'>Notes on the files read</h2><ul>{items}</ul>")

    mis = summary["misconceptions"]
    parts.append("<h2 id='misconceptions'>Misconceptions to discuss</h2>")
    if mis:
        parts.append(
            "<p>Most learners first. Each row: what the mistake means and a question to open "
            "the discussion (from the instructor guide).</p>"
        )
        parts.append(
            _table(
                [
                    "#",
                    "misconception",
                    "what it means",
                    "learners",
                    "times",
                    "where",
                    "discussion prompt",
                ],
                (
                    [
                        i + 1,
                        f"<code>{e(r['tag'])}</code>",
                        e(r["explanation"]),
                        r["learners"],
                        r["count"],
                        e(", ".join(r["exercises"])),
                        _inline(r["prompt"]),
                    ]
                    for i, r in enumerate(mis)
                ),
                caption="Misconceptions (the text equivalent of the bar chart)",
            )
        )
        parts.append(
            "<figure id='bars'><div class='scroll'>" + _bars_svg(mis, n) + "</div><figcaption>"
            "Figure 1. Learners who made each misconception (top 15). The table above gives "
            "the same numbers.</figcaption></figure>"
        )
    else:
        parts.append("<p>No misconception recorded yet.</p>")
    other = summary["other_mistakes"]
    if other:
        parts.append(
            "<h3>Other mistakes (the form of the answer)</h3>"
            + _table(
                ["mistake", "what it means", "learners", "times", "where"],
                (
                    [
                        f"<code>{e(r['tag'])}</code>",
                        e(r["explanation"]),
                        r["learners"],
                        r["count"],
                        e(", ".join(r["exercises"])),
                    ]
                    for r in other
                ),
            )
        )

    parts.append("<h2 id='stuck'>Learners who seem stuck</h2>")
    if summary["stuck"]:
        parts.append(
            f"<p>At least {summary['stuck_attempts']} attempts at an exercise without "
            "passing it. A word in the next session may help.</p>"
            + _table(
                ["learner", "exercise", "attempts", "most frequent mistake"],
                (
                    [
                        e(s["learner"]),
                        f"{e(s['notebook'])} {e(s['exercise'])}",
                        s["attempts"],
                        f"<code>{e(s['most_frequent_mistake'] or '-')}</code>",
                    ]
                    for s in summary["stuck"]
                ),
            )
        )
    else:
        parts.append(
            f"<p>Nobody: no exercise has {summary['stuck_attempts']}+ attempts without a pass.</p>"
        )

    parts.append("<h2 id='notebooks'>Per notebook</h2>")
    parts.append(
        _table(
            [
                "notebook",
                "stage",
                "exercises",
                "learners started",
                "passed all",
                "share passed all",
                "median attempts per exercise",
            ],
            (
                [
                    e(r["notebook"]),
                    e(r["stage"]),
                    r["exercises"],
                    r["learners_started"],
                    r["learners_completed"],
                    _pct(r["share_completed"]),
                    _num(r["median_attempts"]),
                ]
                for r in summary["notebooks"]
            ),
        )
    )
    parts.append("<h2 id='exercises'>Per exercise</h2>")
    parts.append(
        f"<p>Share passed: of all {n} learners. Median attempts: of those who attempted it; "
        "to pass: of those who passed it.</p>"
        + _table(
            [
                "exercise",
                "title",
                "attempted",
                "passed",
                "share passed",
                "median attempts",
                "median attempts to pass",
                "most frequent mistakes",
            ],
            (
                [
                    f"{e(r['notebook'])} {e(r['exercise'])}",
                    e(r["title"]),
                    r["learners_attempted"],
                    r["learners_passed"],
                    _pct(r["share_passed"]),
                    _num(r["median_attempts"]),
                    _num(r["median_attempts_to_pass"]),
                    e(", ".join(f"{m['tag']} ({m['count']})" for m in r["top_mistakes"]) or "-"),
                ]
                for r in summary["exercises"]
            ),
        )
    )

    legend = "".join(
        f"<li><span class='sw' style='background:{c}'>{e(sym)}</span>{e(text)}</li>"
        for c, text, sym in _STATES.values()
    )
    heat = summary["heatmap"]
    parts.append("<h2 id='heatmap'>Exercises x learners</h2>")
    parts.append(f"<ul class='legend'>{legend}</ul>")
    parts.append(
        "<figure id='heat'><div class='scroll'>" + _heatmap_svg(summary) + "</div><figcaption>"
        "Figure 2. One row per exercise, one column per learner. Each cell has a symbol as "
        "well as a colour (legend above); the table below gives the same cells as text."
        "</figcaption></figure>"
    )
    rows = (
        [e(name)] + [e(heat["cells"][i][j]) or "&nbsp;" for i in range(len(heat["exercises"]))]
        for j, name in enumerate(heat["learners"])
    )
    parts.append(
        "<details id='heat-table'><summary>Figure 2 as a table (learners x exercises)</summary>"
        "<div class='scroll'>"
        + _table(["learner", *heat["exercises"]], rows, caption="Figure 2 as text")
        + "</div></details>"
    )
    parts.append(
        "<h2>How to use this report</h2><p>Open the next session with the top two or three "
        "misconceptions: show the prompt, let pairs discuss for a few minutes, then run the "
        "exercise's check on a wrong answer together. See <em>docs/instructor-guide.md</em>."
        "</p></body></html>"
    )
    return "".join(parts)


# --------------------------------------------------------------------------- building


def _write_outputs(summary: dict[str, Any], out: Path, title: str) -> None:
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out} is a file; give a folder for the report")
    out.mkdir(parents=True, exist_ok=True)
    (out / REPORT_JSON).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (out / REPORT_HTML).write_text(render_html(summary, title=title), encoding="utf-8")


def build_report(
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    stuck_attempts: int = STUCK_ATTEMPTS,
    merge_pseudonyms: bool = False,
    title: str = "Class report",
) -> dict[str, Any]:
    """Read the exports in ``inputs``; write ``report.html`` and ``report.json`` to ``out``.

    Returns the summary (the JSON document). Raises :class:`ReportError` when nothing can be
    read or ``out`` is not a folder. ``merge_pseudonyms``: see :func:`collect`.
    Example: ``build_report(["exports/"], "class-report")``.
    """
    learners, notes = collect(inputs, merge_pseudonyms=merge_pseudonyms)
    summary = summarise(learners, notes, stuck_attempts=stuck_attempts)
    _write_outputs(summary, Path(out), title)
    return summary


def simulate_class(n_learners: int = 40, *, seed: int = 0) -> list[dict[str, Any]]:
    """Export documents of a simulated class whose mistakes follow :data:`DEMO_PATTERNS`.

    Each learner has an ability, a persistence (attempts before giving up) and gets through
    the notebooks up to some point; each failed attempt draws a mistake tag from the
    exercise's pattern. Seeded: the same ``seed`` gives the same class.

    >>> docs = simulate_class(5, seed=3)
    >>> len(docs), docs[0]["format"]
    (5, 'apple-or-banana/progress-export')
    """
    from course_utils import __version__

    rng = np.random.default_rng(seed)
    names = [
        "apricot", "avocado", "bilberry", "blackberry", "blueberry", "cherry", "clementine",
        "coconut", "cranberry", "damson", "date", "elderberry", "feijoa", "fig", "gooseberry",
        "grape", "guava", "jujube", "kiwi", "kumquat", "lemon", "lime", "lychee", "mango",
        "medlar", "melon", "mulberry", "nectarine", "olive", "orange", "papaya", "peach",
        "pear", "persimmon", "plum", "pomelo", "quince", "raspberry", "salak", "tangerine",
    ]  # fmt: skip
    order = [(nb, q) for nb, q, _ in _catalogue()]
    notebooks = sorted({nb for nb, _ in order})
    docs = []
    for i in range(n_learners):
        ability = rng.normal(0.0, 1.0)
        persistence = int(rng.integers(3, 11))
        reached = int(np.clip(round(rng.normal(7.5, 2.5)), 1, len(notebooks)))
        exercises = []
        for nb, q in order:
            if notebooks.index(nb) >= reached:
                continue
            difficulty, pattern = DEMO_PATTERNS.get((nb, q), (0.5, {"wrong_value": 1}))
            tags = [t for t, w in pattern.items() if w > 0]
            weights = np.array([pattern[t] for t in tags], dtype=float)
            mistakes: Counter[str] = Counter()
            first_pass = None
            attempts = 0
            while attempts < persistence:
                attempts += 1
                logit = 1.1 * ability - 3.0 * difficulty + 1.2 + 0.4 * (attempts - 1)
                if rng.random() < 1 / (1 + math.exp(-logit)):
                    first_pass = attempts
                    break
                mistakes[tags[int(rng.choice(len(tags), p=weights / weights.sum()))]] += 1
            exercises.append(
                {
                    "notebook": nb,
                    "exercise": q,
                    "attempts": attempts,
                    "passed": first_pass is not None,
                    "first_pass_attempt": first_pass,
                    "mistakes": dict(sorted(mistakes.items())),
                }
            )
        docs.append(
            {
                "format": EXPORT_FORMAT,
                "format_version": EXPORT_VERSION,
                "course_version": __version__,
                "pseudonym": f"{names[i % len(names)]}-{i + 1:02d}",
                "learner_id": f"{seed:08x}{i:08x}",
                "exported_on": "2026-01-01",
                "exercises": exercises,
            }
        )
    return docs


def build_demo(
    out: str | Path, *, n_learners: int = 40, seed: int = 0, stuck_attempts: int = STUCK_ATTEMPTS
) -> dict[str, Any]:
    """Write a simulated class's exports to ``out/demo-exports/`` and the report from them.

    Example: ``build_demo("class-report-demo")`` then open ``class-report-demo/report.html``.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out} is a file; give a folder for the report")
    exports = out / "demo-exports"
    exports.mkdir(parents=True, exist_ok=True)
    for old in exports.glob("*.json"):
        old.unlink()
    for doc in simulate_class(n_learners, seed=seed):
        (exports / f"{doc['pseudonym']}.json").write_text(json.dumps(doc, indent=2) + "\n")
    return build_report(
        [exports],
        out,
        stuck_attempts=stuck_attempts,
        title=f"Class report - demo: a simulated class of {n_learners} (seed {seed})",
    )
