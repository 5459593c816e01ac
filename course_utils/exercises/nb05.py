"""Exercises of notebook 05 "Tune": hyperparameters, validation curves, searches, no peeking.

In the notebook::

    from course_utils.exercises.nb05 import q1, q2, q3, q4

    q1.check(leaves_key)                      # a hyperparameter's name inside a pipeline
    q2.check(best_depth, curve=curve)         # the best depth of a validation curve
    q3.check(tree_best_score, search=tree_search)   # the best cross-validated score
    q4.check(depth_search, X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test)

q1's names come from the notebook's own pipeline (``get_params()`` of the preparation
pipeline with gradient-boosted trees at its end). q2 and q3 read their expected values
from the learner's curve and search (what the question is about: reading them), and spot
the classic slip of reading the *training* score instead. q4 is the misconception check:
a search that saw the test rows (:func:`course_utils.misconceptions.expect_tuned_on_train_only`).

>>> q1.evaluate("max_leaf_nodes").mistake
'wrong_value'
>>> q1.evaluate(...).status
'not_attempted'
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercises import (
    Exercise,
    Feedback,
    NearMiss,
    _as_real,
    describe,
    expect_number,
    incorrect,
)

__all__ = ["q1", "q2", "q3", "q4"]

NOTEBOOK = "05"
STEP = "histgradientboostingclassifier"
TARGET = "max_leaf_nodes"


@cache
def _boosting_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The step names and every setting name of the notebook's pipeline."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import make_pipeline

    from course_utils import checkpoints

    pipeline = make_pipeline(checkpoints.preprocessor(), HistGradientBoostingClassifier())
    steps = tuple(name for name, _ in pipeline.steps)
    return steps, tuple(pipeline.get_params())


@cache
def _training_rows() -> tuple[pd.DataFrame, pd.Series]:
    from course_utils import checkpoints

    train, _ = checkpoints.split()
    return checkpoints.xy(train)


# --------------------------------------------------------------------------- q1

#: What the other hyperparameters of the boosting step do (for the coaching message).
_OTHER_SETTINGS = {
    "max_depth": "limits how many levels deep a tree grows, not how many leaves it has",
    "max_iter": "is the most trees the model adds, not the leaves of each tree",
    "min_samples_leaf": "is the fewest visits a leaf must hold, not the number of leaves",
    "learning_rate": "sets how much each tree corrects the ones before",
}
_TWO_UNDERSCORES = (
    "Nearly: the step name and the setting are joined by *two* underscores, `step__setting`."
)


def _check_q1(answer: Any) -> Feedback | None:
    expected = f"{STEP}__{TARGET}"
    if isinstance(answer, dict):
        return incorrect(
            "Expected the name as a str, got a dict. A search space is a dict of names; this "
            "exercise asks for just the one name (a key), in quotes.",
            "wrong_type",
        )
    if not isinstance(answer, str):
        return incorrect(
            f"Expected the name of a setting as a str (in quotes), got {describe(answer)}.",
            "wrong_type",
        )
    name = answer.strip()
    if name == expected:
        return None
    steps, params = _boosting_names()
    if not name:
        return incorrect("The name is empty: write it between the quotes.", "wrong_value")
    if name.endswith("_") and not name.endswith("__"):
        return incorrect(
            f"`{name}` ends with an underscore: in scikit-learn that marks something *learned* "
            "by `fit` (a parameter, like `coef_` or `n_iter_`). You can't choose it, so no "
            "search can tune it. Give the name of a setting you choose before `fit`.",
            "wrong_choice",
        )
    if name.lower() == expected:
        return incorrect(
            "Nearly: names are case-sensitive, and `make_pipeline` names each step after its "
            "class in *lower case*.",
            "wrong_value",
        )
    if name.replace("_", "").lower() == expected.replace("_", ""):
        return incorrect(_TWO_UNDERSCORES, "wrong_value")
    if "__" not in name:
        if name.lower() == TARGET:
            return incorrect(
                "That is the setting's name *inside* the model. But the model sits in a "
                "pipeline, and the search must know which step it belongs to: put the step's "
                "name and two underscores in front (`step__setting`).",
                "wrong_value",
            )
        if name in _OTHER_SETTINGS:
            return incorrect(
                f"Two problems: `{name}` {_OTHER_SETTINGS[name]}; and in a pipeline every "
                "name needs the step's name and two underscores in front.",
                "wrong_choice",
            )
        return incorrect(
            f"`{name}` is not a setting of this pipeline. In a pipeline, names look like "
            "`step__setting`; `boosting.get_params().keys()` lists them all.",
            "wrong_value",
        )
    prefix, setting = name.split("__", 1)
    if name in params:
        if prefix != STEP:
            return incorrect(
                f"`{name}` is a setting of the preparation step (`{prefix}`), not of the "
                "gradient-boosted trees.",
                "wrong_choice",
            )
        what = _OTHER_SETTINGS.get(setting, "does not limit the number of leaves per tree")
        return incorrect(
            f"`{name}` is a real hyperparameter of the boosting step, but it {what}.",
            "wrong_choice",
        )
    if setting == TARGET and prefix in steps:
        return incorrect(
            f"The setting is right, but `{prefix}` is the preparation step: it has no trees "
            "and no leaves. Use the name of the step that holds the model.",
            "wrong_value",
        )
    if setting == TARGET:
        return incorrect(
            f"The setting is right, but this pipeline has no step called `{prefix}`. "
            "`make_pipeline` names each step after its class, in lower case: "
            "`[name for name, step in boosting.steps]` lists them.",
            "wrong_value",
        )
    return incorrect(
        f"`{name}` is not a setting of this pipeline; `boosting.get_params().keys()` lists "
        "every name it knows.",
        "wrong_value",
    )


q1 = Exercise(
    NOTEBOOK,
    "q1",
    "Name the hyperparameter",
    prompt="`boosting` is the preparation pipeline with `HistGradientBoostingClassifier` at "
    "its end. Under which name does a search (or `set_params`) know the maximum number of "
    "leaves per tree of this pipeline? Give it as a str.",
    expects="the name of a setting, as a str",
    checker=_check_q1,
    hints=[
        "The model's own setting is called `max_leaf_nodes` - but the model is one step "
        "of a pipeline, and the pipeline must know which step you mean.",
        "In a pipeline, a setting is named `<step name>__<setting>` (two underscores). "
        "`make_pipeline` names each step after its class in lower case: print "
        "`[name for name, step in boosting.steps]`.",
        "`'histgradientboostingclassifier__' + 'max_leaf_nodes'`.",
    ],
    solution="leaves_key = 'histgradientboostingclassifier__max_leaf_nodes'\nq1.check(leaves_key)",
    explanation="`make_pipeline` named the model's step `histgradientboostingclassifier`; the "
    "step name, two underscores and the setting's own name make the pipeline's name for it. "
    "`boosting.get_params()` lists them all.",
    success="That is the name `GridSearchCV`, `RandomizedSearchCV` and `set_params` expect. "
    "Names ending with an underscore (`n_iter_`) are learned by `fit`; this one you choose.",
)


# --------------------------------------------------------------------------- q2


def _curve_table(curve: Any) -> pd.DataFrame | Feedback:
    """The validation curve as a table with the columns max_depth, training, validation."""
    if not isinstance(curve, pd.DataFrame):
        return incorrect(
            f"`curve=` should be the table `curve` made in the notebook (a DataFrame), got "
            f"{describe(curve)}. Call it as `q2.check(best_depth, curve=curve)`.",
            "missing_input",
        )
    table = curve.reset_index() if "max_depth" not in curve.columns else curve
    missing = [c for c in ("max_depth", "training", "validation") if c not in table.columns]
    if missing:
        return incorrect(
            f"`curve=` lacks the column(s) {', '.join(repr(c) for c in missing)}: pass the "
            "table `curve` made in the notebook (columns max_depth, training, validation).",
            "missing_columns",
        )
    table = table[["max_depth", "training", "validation"]].apply(pd.to_numeric, errors="coerce")
    table = table.dropna()
    if table.empty:
        return incorrect(
            "`curve=` has no numbers in its columns max_depth, training and validation: pass "
            "the table `curve` made in the notebook.",
            "missing_columns",
        )
    return table.reset_index(drop=True)


def _check_q2(answer: Any, curve: Any) -> Feedback:
    table = _curve_table(curve)
    if isinstance(table, Feedback):
        return table
    valid, training = table["validation"], table["training"]
    best_row = int(valid.to_numpy().argmax())
    best = float(table["max_depth"].iloc[best_row])
    best_train = float(table["max_depth"].iloc[int(training.to_numpy().argmax())])
    gap = (training - valid).to_numpy()
    smallest_gap = float(table["max_depth"].iloc[int(gap.argmin())])
    misses = []
    if best_train != best:
        misses.append(
            NearMiss(
                best_train,
                "scored_on_train",
                "That is where the *training* score peaks. The training score only rises with "
                "depth - a deep tree memorises its own rows - so it can't tell you the best "
                "depth. Pick the depth where the *validation* score is highest.",
                tol=0,
            )
        )
    if smallest_gap != best:
        misses.append(
            NearMiss(
                smallest_gap,
                "wrong_value",
                "That is where training and validation are closest - but there both are "
                "low: the tree under-fits. A small gap is not the goal; a high validation "
                "score is.",
                tol=0,
            )
        )
    if best_row != best and best_row not in (best_train, smallest_gap):
        misses.append(
            NearMiss(
                best_row,
                "wrong_index",
                "That is the *row number* of the best depth in the table (counting from 0), "
                "not the depth itself. Read the `max_depth` column of that row.",
                tol=0,
            )
        )
    value = _as_real(answer, "a whole number (a depth)")
    if not isinstance(value, Feedback) and math.isfinite(value):
        if 0 < value < 1 and abs(value - float(valid.max())) <= 0.0005:
            return incorrect(
                "That is the best validation *score*. The question asks for the depth that "
                "reaches it.",
                "wrong_column",
            )
        matches = table.index[table["max_depth"] == value]
        if len(matches) and value != best:
            drop = float(valid.max() - valid.iloc[matches[0]])
            if drop <= 0.003 and value not in (best_train, smallest_gap):
                return incorrect(
                    f"Close: the validation score at depth {value:.0f} is within "
                    f"{100 * drop:.1f} points of the best - on this plateau the difference is "
                    "mostly noise. But the question asks for the highest: check the "
                    "`validation` column, e.g. with `idxmax()`.",
                    "close",
                )
    return expect_number(
        answer,
        best,
        tol=0,
        what="a whole number (the max_depth with the highest validation score)",
        lo=float(table["max_depth"].min()),
        hi=float(table["max_depth"].max()),
        integer=True,
        near_misses=misses,
        wrong="Not the depth with the highest validation score. Find the highest value of "
        "the `validation` column and read the `max_depth` of that row.",
        success="The validation score peaks there: deeper trees fit their training rows "
        "better and new visits worse. That is the depth to keep.",
    )


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "The best depth of a validation curve",
    prompt="Which `max_depth` has the highest mean validation score in the table `curve`? "
    "Give the depth, a whole number.",
    expects="a whole number (a depth)",
    inputs={"curve": "the table `curve` of the validation curve (max_depth, training, validation)"},
    checker=_check_q2,
    hints=[
        "Two scores per depth, but only one of them says how the tree does on visits it "
        "has not seen.",
        "Find the row where the `validation` column is highest: `curve['validation']"
        ".idxmax()` gives its index label; `.loc[...]` reads that row.",
        "`curve.loc[curve['validation'].idxmax(), 'max_depth']`.",
    ],
    solution="best_depth = curve.loc[curve['validation'].idxmax(), 'max_depth']\n"
    "q2.check(best_depth, curve=curve)",
    explanation="`idxmax()` gives the index label of the highest validation score; "
    "`.loc[label, 'max_depth']` reads the depth of that row.",
)


# --------------------------------------------------------------------------- q3


def _search_results(search: Any) -> pd.DataFrame | Feedback:
    if not (hasattr(search, "cv_results_") or hasattr(search, "param_grid")):
        return incorrect(
            f"`search=` should be the fitted search (`tree_search`), got {describe(search)}. "
            "Call it as `q3.check(tree_best_score, search=tree_search)`.",
            "missing_input",
        )
    if not hasattr(search, "cv_results_"):
        return incorrect(
            "`search=` is a search that has not been fitted yet: run its `.fit(X_train, "
            "y_train)` cell first.",
            "not_fitted",
        )
    results = pd.DataFrame(search.cv_results_)
    if "mean_test_score" not in results or results["mean_test_score"].isna().all():
        return incorrect("`search=` has no validation scores to read.", "missing_input")
    return results


def _check_q3(answer: Any, search: Any) -> Feedback:
    results = _search_results(search)
    if isinstance(results, Feedback):
        return results
    means = results["mean_test_score"].astype(float)
    best_i = int(means.to_numpy().argmax())
    best = float(means.iloc[best_i])
    misses = [
        NearMiss(
            float(results["std_test_score"].iloc[best_i]),
            "wrong_column",
            "That is the *spread* of the best candidate's scores over the folds "
            "(`std_test_score`), not their mean.",
            tol=1e-6,
        ),
        NearMiss(
            float(results["split0_test_score"].iloc[best_i]),
            "wrong_value",
            "That is the best candidate's score on the first fold only. The search judges by "
            "the *mean* over all folds.",
            tol=1e-6,
        ),
        NearMiss(
            float(means.mean()),
            "wrong_value",
            "That is the average over all candidates. The question asks for the best "
            "candidate's score.",
            tol=1e-6,
        ),
        NearMiss(
            float(means.min()),
            "wrong_value",
            "That is the *lowest* score of the table - the worst candidate. Rank 1 is the best.",
            tol=1e-6,
        ),
    ]
    try:
        X, y = _training_rows()
        on_train = float(search.score(X, y))
        misses.insert(
            0,
            NearMiss(
                on_train,
                "scored_on_train",
                "That is the refitted model's score on the training rows - the rows it "
                "learned from, so it looks better than the model will do on new visits. The "
                "search's own estimate is the mean over the validation folds.",
                tol=1e-6,
            ),
        )
    except Exception:  # a search on other data: no training score to compare with
        pass
    if isinstance(answer, dict):
        return incorrect(
            "That is a dict - probably `best_params_`, the winning *settings*. The question "
            "asks for the winner's score.",
            "wrong_type",
        )
    return expect_number(
        answer,
        best,
        tol=1e-6,
        what="a number between 0 and 1 (a cross-validated accuracy)",
        lo=0,
        hi=1,
        kind="fraction",
        near_misses=misses,
        close_factor=1000,
        wrong="Not the best candidate's mean validation score. It is the `mean_test_score` "
        "of the row with `rank_test_score` 1 - or simply `tree_search.best_score_`.",
        success="`best_score_` is the mean validation accuracy of the winning candidate - the "
        "top row of the table. Remember it is the best of several scores: a little optimistic "
        "(more about that in section 5).",
    )


q3 = Exercise(
    NOTEBOOK,
    "q3",
    "Read the search",
    prompt="What is the cross-validated accuracy of the best candidate of `tree_search`? Give "
    "the number (a fraction between 0 and 1), not rounded.",
    expects="a number between 0 and 1",
    inputs={"search": "the fitted search, `tree_search`"},
    checker=_check_q3,
    hints=[
        "The search scored every candidate on the validation folds and ranked them. You want "
        "the score of rank 1 - not a score on the training rows.",
        "It is the `mean_test_score` of the top row of `tidy(tree_search)` - and the search "
        "also keeps it in an attribute whose name starts with `best_`.",
        "`tree_search.best_score_`.",
    ],
    solution="tree_best_score = tree_search.best_score_\n"
    "q3.check(tree_best_score, search=tree_search)",
    explanation="`best_score_` is the mean validation score (over the 5 folds) of the "
    "candidate in `best_params_`; `cv_results_` holds the same number as the "
    "`mean_test_score` of the row ranked 1.",
)


# --------------------------------------------------------------------------- q4


def _check_q4(answer: Any, X_train: Any, y_train: Any, X_test: Any, y_test: Any) -> Feedback:
    from course_utils.misconceptions import expect_tuned_on_train_only

    if hasattr(answer, "cv_results_") and not hasattr(answer, "best_estimator_"):
        return incorrect(
            "Your search was run with `refit=False`, so it kept no model. Leave `refit` at its "
            "default (True): the search then refits the best depth on the rows it was given.",
            "check_error",
        )
    if isinstance(answer, np.ndarray | pd.DataFrame | pd.Series):
        return incorrect(
            f"Expected the fitted search object, got {describe(answer)}. Pass `depth_search` "
            "itself.",
            "wrong_type",
        )
    return expect_tuned_on_train_only(
        answer,
        X_train,
        y_train,
        X_test,
        y_test,
        success="Your search saw the training rows only: its cross-validation made the "
        "validation folds, and the test rows are still new to the chosen model. Their score "
        "in notebook 06 will be an honest estimate.",
    )


q4 = Exercise(
    NOTEBOOK,
    "q4",
    "A search that never sees the test rows",
    prompt="Make `depth_search`: a `GridSearchCV` of the pipeline `tree` over `max_depth` "
    "4, 7 and 10, with `cv=cv` and `n_jobs=2`, fitted on the rows a search may use.",
    expects="a fitted GridSearchCV",
    inputs={
        "X_train": "the training features",
        "y_train": "the training labels",
        "X_test": "the test features",
        "y_test": "the test labels",
    },
    checker=_check_q4,
    hints=[
        "A search is a model-maker: everything it fits or compares must come from the rows "
        "the model may learn from. Its own cross-validation provides the validation folds.",
        "`GridSearchCV(tree, {'decisiontreeclassifier__max_depth': [4, 7, 10]}, cv=cv, "
        "n_jobs=2)`, then `.fit(...)` on the training rows.",
        "`depth_search = GridSearchCV(tree, {'decisiontreeclassifier__max_depth': [4, 7, 10]}, "
        "cv=cv, n_jobs=2).fit(X_train, y_train)`.",
    ],
    solution="depth_search = GridSearchCV(\n"
    "    tree, {'decisiontreeclassifier__max_depth': [4, 7, 10]}, cv=cv, n_jobs=2\n"
    ").fit(X_train, y_train)\n"
    "q4.check(depth_search, X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test)",
    explanation="`fit` on X_train, y_train only. The search's own folds play the part of new "
    "data while it chooses; the test rows stay unseen until the final score in notebook 06.",
)
