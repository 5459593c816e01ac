"""Exercises of notebook 00 "Start here": learn how checks, hints and solutions work.

In the notebook::

    from course_utils.exercises.nb00 import *
    visits = course_utils.world.generate().visits

    q1.check(...)      # "Not attempted yet"
    q1.hint()          # first hint; q1.hint(2) for the next one
    q1.solution()      # a full solution

The expected values come from the clean visit table of the default world (seed 42),
computed once and cached.

>>> q1.evaluate(...).status
'not_attempted'
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd

from course_utils.exercises import (
    Exercise,
    Feedback,
    NearMiss,
    expect_number,
    expect_series,
    incorrect,
)
from course_utils.exercises.quiz import Question, Quiz

__all__ = ["q1", "q2", "q3", "wrapup"]

NOTEBOOK = "00"


@cache
def _visits() -> pd.DataFrame:
    from course_utils import world

    return world.generate().visits


def _banana_share() -> float:
    return float((_visits()["fruit"] == "banana").mean())


# --------------------------------------------------------------------------- q1


def _check_q1(answer: Any) -> Feedback:
    share = _banana_share()
    n = len(_visits())
    bananas = round(share * n)
    return expect_number(
        answer,
        share,
        tol=0.005,
        what="a number between 0 and 1 (the share of banana visits)",
        lo=0,
        hi=1,
        kind="fraction",
        near_misses=[
            NearMiss(
                1 - share,
                "complement",
                "That is the share of *apple* visits. Compare the `fruit` column with "
                "'banana' instead.",
            ),
            NearMiss(
                100 * (1 - share),
                "complement",
                "That is the apple share, and as a percentage. Compare `fruit` with 'banana' "
                "and keep a fraction between 0 and 1.",
                tol=0.5,
            ),
            NearMiss(
                bananas,
                "count_not_share",
                "That is a count of visits, not a share. Divide it by the number of visits "
                "(or take the `.mean()` of the True/False comparison).",
                tol=0.5,
            ),
            NearMiss(
                n - bananas,
                "count_not_share",
                "That is a count - of apple visits - not a share of banana visits. Compare "
                "`fruit` with 'banana' and take the `.mean()`.",
                tol=0.5,
            ),
            NearMiss(
                n,
                "count_not_share",
                "That is the number of visits (rows). The question asks for the share of "
                "them that ended with a banana.",
                tol=0.5,
            ),
        ],
        wrong="Not the share of banana visits. Compare the `fruit` column with the text "
        "'banana' (lower case) and take the `.mean()` of the result.",
        success=f"{share:.1%} of the visits end with a banana: a 'model' that always says "
        "banana is right that often. That is the **baseline** any real model must beat - "
        "notebook 01 starts from it.",
    )


q1 = Exercise(
    NOTEBOOK,
    "q1",
    "Share of banana visits",
    prompt="What share of the visits in the history ended with a banana? Give a fraction "
    "between 0 and 1 (e.g. 0.25, not 25%). Checked to ± 0.005.",
    expects="a number between 0 and 1",
    checker=_check_q1,
    hints=[
        "The column `fruit` holds what each visit bought: 'apple' or 'banana'.",
        "`visits['fruit'] == 'banana'` gives True/False per visit. True counts as 1 and "
        "False as 0, so what does the mean of it tell you?",
        "`(visits['fruit'] == 'banana').mean()` - or "
        "`visits['fruit'].value_counts(normalize=True)['banana']`.",
    ],
    solution="banana_share = (visits['fruit'] == 'banana').mean()\nq1.check(banana_share)",
    explanation="Comparing the column with 'banana' gives True/False per visit; the mean of "
    "True/False is the share of True.",
)


# --------------------------------------------------------------------------- q2


def _check_q2(answer: Any) -> Feedback:
    v = _visits()
    ids = v["customer_id"]
    return expect_number(
        answer,
        ids.nunique(),
        tol=0,
        what="a whole number (how many different customers)",
        lo=0,
        integer=True,
        near_misses=[
            NearMiss(
                len(v),
                "rows_not_unique",
                "That is the number of visits (rows). Many customers come back several "
                "times: count each customer only once.",
            ),
            NearMiss(
                int(ids.max()),
                "wrong_value",
                "That is the largest customer id. An id is a label, not a count: some ids "
                "may never appear among the visits. Count the distinct ids instead.",
            ),
        ],
        wrong="Not the number of different customers. Which pandas method counts the "
        "distinct values of a column?",
        success="Most customers visit many times, so rows and customers are not "
        "the same thing. Keep that in mind when you split the data later.",
    )


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "Number of different customers",
    prompt="How many *different* customers appear in the visit history? Each row of "
    "`visits` is one visit; the column `customer_id` says who it was.",
    expects="a whole number",
    checker=_check_q2,
    hints=[
        "A customer who came ten times has ten rows, but is one customer.",
        "pandas has a method that counts the distinct values of a column: "
        "`visits['customer_id'].n...()`.",
        "`visits['customer_id'].nunique()`.",
    ],
    solution="n_customers = visits['customer_id'].nunique()\nq2.check(n_customers)",
    explanation="`nunique()` counts the distinct values of a column; `len(visits)` would "
    "count visits.",
)


# --------------------------------------------------------------------------- q3


def _expected_q3() -> pd.Series:
    counts = _visits()["store"].astype(str).value_counts()
    counts.index.name = "store"
    return counts


def _check_q3(answer: Any) -> Feedback:
    expected = _expected_q3()
    if isinstance(answer, pd.Series):
        labels = {str(x) for x in answer.index}
        if labels and labels <= {"apple", "banana"}:
            return incorrect(
                "These are counts per fruit. Count the visits per *store*: use the `store` column.",
                "wrong_column",
            )
        if labels and labels <= {"S1", "S2", "S3"}:
            return incorrect(
                "Your index holds store ids (S1, S2, S3); use the store *names* from the "
                "`store` column.",
                "wrong_index",
            )
    return expect_series(
        answer,
        expected,
        what="a pandas Series of visit counts indexed by store name",
        counts=True,
        index_hint="Count the values of the `store` column.",
        success="The stores are not equally busy - keep it in mind when you compare "
        "them later. (The order of the stores does not matter here.)",
    )


q3 = Exercise(
    NOTEBOOK,
    "q3",
    "Visits per store",
    prompt="Make a pandas Series with the number of visits at each store: the index holds "
    "the store names (Central, Riverside, Station), the values are counts. Any order.",
    expects="a pandas Series of counts indexed by store name",
    checker=_check_q3,
    hints=[
        "The column `store` says where each visit happened.",
        "One pandas method counts how often each value of a column occurs - and returns a "
        "Series indexed by those values.",
        "`visits['store'].value_counts()` (without `normalize=True`: counts, not shares).",
    ],
    solution="visits_per_store = visits['store'].value_counts()\nq3.check(visits_per_store)",
    explanation="`value_counts()` returns a Series: the index holds each distinct value, the "
    "values how often it occurs. `visits.groupby('store', observed=True).size()` works too.",
)


# --------------------------------------------------------------------------- wrap-up quiz

wrapup = Quiz(
    NOTEBOOK,
    "wrapup",
    "Wrap-up quiz: how this course works",
    prompt="5 questions on this notebook (the next notebooks' quizzes also come back to "
    "earlier ones). For each, choose one letter: `answers = {1: ..., 2: ..., ...}` with a "
    'letter such as `"b"` in place of each `...`, then run `wrapup.check(answers)`. A '
    "wrong choice gets the reason it is wrong; change it and check again.",
    questions=[
        Question(
            "Why is the lifecycle drawn as a loop rather than a line?",
            {
                "a": "because the world changes after deployment, and monitoring says when "
                "to go round again",
                "b": "because each notebook stands alone, so you can start at any stage and "
                "go in any order",
                "c": "because a model is trained several times, a bit better each round, "
                "before it works",
            },
            answer="a",
            why={
                "a": "Yes: deploying is not the end - customers, prices and sensors change, "
                "so you retrain, or even rethink what success means.",
                "b": "Each notebook can be *started* on its own, but the stages follow each "
                "other; the loop is about what happens after deployment.",
                "c": "Training several models is part of tuning (one stage); the loop goes "
                "all the way back from monitoring to the start.",
            },
        ),
        Question(
            "You leave an exercise's `...` in place and run the cell. What happens?",
            {
                "a": "an error stops the notebook, and the cells below it do not run",
                "b": "the check fills in the solution for you and marks the exercise done",
                "c": "the check says 'not attempted yet' and the notebook runs on",
            },
            answer="c",
            why={
                "a": "Checks never raise: skipping an exercise breaks nothing.",
                "b": "Nothing is filled in for you: `q1.solution()` shows a solution only "
                "when you ask for it.",
                "c": "Yes: `...` means 'not attempted yet'.",
            },
        ),
        Question(
            "Which is the best order when you are stuck on an exercise?",
            {
                "a": "`q1.solution()` first, then the hints to understand why it works",
                "b": "`q1.hint()`, then `q1.hint(2)` ..., and `q1.solution()` last",
                "c": "run the check again with small random changes until it passes",
            },
            answer="b",
            why={
                "a": "The solution ends the thinking; the hints go from a nudge to nearly "
                "the answer, so you still find it yourself.",
                "b": "Yes: each hint says a bit more.",
                "c": "The feedback names the kind of mistake: read it and change the answer.",
            },
        ),
        Question(
            "About six visits in ten end with a banana. What does that make 'always say banana'?",
            {
                "a": "a useless rule, not worth a mention, since it ignores every input",
                "b": "the best possible model, since it is right on most visits",
                "c": "a simple baseline: a score that any real model must beat",
            },
            answer="c",
            why={
                "a": "It is one of the first things to compare with: a model that does not "
                "beat it is worth nothing.",
                "b": "It ignores every input; a model that uses the customer, the store and "
                "the prices does better.",
                "c": "Yes: notebook 01 compares it with other baselines, such as the stand's "
                "rule of thumb, and sets the bar from the best of them.",
            },
            tag="wrong_choice",
        ),
        Question(
            "What does your progress file store when you run a check?",
            {
                "a": "whether the check passed and which mistake it spotted, on your computer",
                "b": "your answers, sent to the course's server so that they can be graded",
                "c": "nothing at all: the progress map is rebuilt from the notebooks",
            },
            answer="a",
            why={
                "a": "Yes: never your answer, and nothing is sent anywhere; you can export a "
                "copy under a pseudonym if your instructor asks.",
                "b": "Your answers are never stored, and nothing leaves your computer.",
                "c": "It keeps the outcome and the mistake tag, so the map can show your progress.",
            },
        ),
    ],
)
