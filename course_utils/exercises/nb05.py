"""Exercises of notebook 05 "Tune": hyperparameters, validation curves, searches, no peeking.

In the notebook::

    from course_utils.exercises.nb05 import q1, q2, q3, q4

    q1.check(leaves_key)                      # a hyperparameter's name inside a pipeline
    q2.check(best_depth, curve=curve)         # the depth of the lowest validation cost
    q3.check(tree_best_cost, search=tree_search)    # the best candidate's cost, in euros
    q4.check(depth_search, X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test)

q1's names come from the notebook's own pipeline (``get_params()`` of the preparation
pipeline with gradient-boosted trees at its end). q2 reads its expected value from the
learner's curve (what the question is about: reading it), and spots the classic slip of
reading the *training* cost instead. q3 first proves that ``search=`` is the notebook's
``tree_search`` - the same grid, scored by the contract's cost on the same folds and rows
(its scores are compared with a search the check runs itself, once) - and only then reads
the answer from it, so another search cannot move the expected value. q4 checks the asked
grid, the contract's scorer and that the search saw the training rows only
(:func:`course_utils.misconceptions.expect_tuned_on_train_only`).

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
    MISTAKES,
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

MISTAKES.setdefault(
    "negated_score", "a scikit-learn score of a loss read without undoing its sign (minus)"
)
MISTAKES.setdefault(
    "wrong_search", "the check was given another search than the one the exercise is about"
)
MISTAKES.setdefault(
    "default_scoring", "a search scored by the default accuracy at 0.5, not the contract's cost"
)

#: The grids of the notebook's tree searches (exercise 3's and exercise 4's).
TREE_GRID = {
    "decisiontreeclassifier__max_depth": [7, 10],
    "decisiontreeclassifier__min_samples_leaf": [1, 20, 50],
}
DEPTH_GRID = {"decisiontreeclassifier__max_depth": [4, 7, 10]}
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
    _, c_fb, c_fa = _contract_costs()
    if (valid < 0).any() or (training < 0).any():
        return incorrect(
            "`curve=` holds negative numbers: those are scikit-learn's *negated* costs. The "
            "table `curve` of the notebook turns them back into euros (`-valid_scores`).",
            "wrong_column",
        )
    if valid.max() > max(c_fb, c_fa):
        return incorrect(
            "`curve=` does not hold costs in euros per visit (no visit can cost more than the "
            "dearer mistake) - these look like accuracies, the default scoring. The notebook's "
            "curve is scored with `scoring=cost_scorer`: pass the table `curve` made there.",
            "wrong_column",
        )
    best_row = int(valid.to_numpy().argmin())
    best = float(table["max_depth"].iloc[best_row])
    best_train = float(table["max_depth"].iloc[int(training.to_numpy().argmin())])
    gap = (valid - training).to_numpy()
    smallest_gap = float(table["max_depth"].iloc[int(gap.argmin())])
    highest = float(table["max_depth"].iloc[int(valid.to_numpy().argmax())])
    misses = []
    if best_train != best:
        misses.append(
            NearMiss(
                best_train,
                "scored_on_train",
                "That is where the *training* cost is lowest. The training cost only falls "
                "with depth - a deep tree memorises its own rows - so it can't tell you the "
                "best depth. Pick the depth where the *validation* cost is lowest.",
                tol=0,
            )
        )
    if smallest_gap != best:
        misses.append(
            NearMiss(
                smallest_gap,
                "wrong_value",
                "That is where training and validation are closest - but there both are "
                "high: the tree under-fits. A small gap is not the goal; a low validation "
                "cost is.",
                tol=0,
            )
        )
    if highest != best:
        misses.append(
            NearMiss(
                highest,
                "wrong_value",
                "That is where the validation cost is *highest*: a cost is better when it is "
                "lower. Use `idxmin()`, not `idxmax()`.",
                tol=0,
            )
        )
    if best_row != best and best_row not in (best_train, smallest_gap, highest):
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
        if 0 < value < 1 and abs(value - float(valid.min())) <= 0.0005:
            return incorrect(
                "That is the lowest validation *cost*. The question asks for the depth that "
                "reaches it.",
                "wrong_column",
            )
        matches = table.index[table["max_depth"] == value]
        if len(matches) and value != best:
            rise = float(valid.iloc[matches[0]] - valid.min())
            if rise <= 0.0003 and value not in (best_train, smallest_gap):
                return incorrect(
                    f"Close: the validation cost at depth {value:.0f} is within "
                    f"{100 * rise:.2f} cents of the lowest - on this plateau the difference is "
                    "mostly noise. But the question asks for the lowest: check the "
                    "`validation` column, e.g. with `idxmin()`.",
                    "close",
                )
    return expect_number(
        answer,
        best,
        tol=0,
        what="a whole number (the max_depth with the lowest validation cost)",
        lo=float(table["max_depth"].min()),
        hi=float(table["max_depth"].max()),
        integer=True,
        near_misses=misses,
        wrong="Not the depth with the lowest validation cost. Find the lowest value of the "
        "`validation` column and read the `max_depth` of that row.",
        success="The validation cost is lowest there: deeper trees fit their training rows "
        "better and new visits worse. That is the depth to keep - give or take its "
        "neighbours on the plateau.",
    )


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "The best depth of a validation curve",
    prompt="Which `max_depth` has the lowest mean validation cost in the table `curve`? "
    "Give the depth, a whole number.",
    expects="a whole number (a depth)",
    inputs={"curve": "the table `curve` of the validation curve (max_depth, training, validation)"},
    checker=_check_q2,
    hints=[
        "Two costs per depth, but only one of them says how the tree does on visits it "
        "has not seen - and a cost is better when it is lower.",
        "Find the row where the `validation` column is lowest: `curve['validation']"
        ".idxmin()` gives its index label; `.loc[...]` reads that row.",
        "`curve.loc[curve['validation'].idxmin(), 'max_depth']`.",
    ],
    solution="best_depth = curve.loc[curve['validation'].idxmin(), 'max_depth']\n"
    "q2.check(best_depth, curve=curve)",
    explanation="`idxmin()` gives the index label of the lowest validation cost; "
    "`.loc[label, 'max_depth']` reads the depth of that row.",
)


# --------------------------------------------------------------------------- q3


def _contract_costs() -> tuple[float, float, float]:
    """The learner's contract (or the course default): threshold and the two costs."""
    from course_utils import contract

    signed = contract.load(quiet=True)
    return signed.best_threshold(), signed.cost_false_banana, signed.cost_false_apple


def cost_scorer(threshold: float, cost_false_banana: float, cost_false_apple: float):
    """The notebook's scorer: minus the expected cost per visit at ``threshold``."""
    from sklearn.metrics import make_scorer

    def expected_cost(y_true, p_banana):
        took = np.asarray(y_true) == "banana"
        says = np.asarray(p_banana) >= threshold
        return (
            cost_false_banana * (says & ~took).sum() + cost_false_apple * (~says & took).sum()
        ) / len(took)

    return make_scorer(expected_cost, greater_is_better=False, response_method="predict_proba")


def _key(params: dict) -> str:
    """A type-blind key of one candidate's settings (7 and 7.0 are the same setting)."""
    return repr(sorted((str(k), float(v)) for k, v in params.items()))


def _grid_keys(grid: dict) -> set:
    from sklearn.model_selection import ParameterGrid

    return {_key(p) for p in ParameterGrid(grid)}


@cache
def _reference(which: str, costs: tuple[float, float, float]) -> pd.DataFrame:
    """The notebook's search (``"tree"``: exercise 3's grid, ``"depth"``: exercise 4's), run
    by the check on the training rows with the notebook's folds and scorer; its results."""
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.tree import DecisionTreeClassifier

    from course_utils import checkpoints

    grid = {"tree": TREE_GRID, "depth": DEPTH_GRID}[which]
    tree = make_pipeline(checkpoints.preprocessor(), DecisionTreeClassifier(random_state=0))
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    search = GridSearchCV(tree, grid, scoring=cost_scorer(*costs), cv=cv)
    search.fit(*_training_rows())
    results = pd.DataFrame(search.cv_results_)
    results.index = [_key(p) for p in results["params"]]
    return results


def _search_results(search: Any, name: str, grid: dict) -> pd.DataFrame | Feedback:
    """The search's ``cv_results_`` if it is the notebook's search, else a Feedback."""
    if not (hasattr(search, "cv_results_") or hasattr(search, "param_grid")):
        return incorrect(
            f"`search=` should be the fitted search (`{name}`), got {describe(search)}.",
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
        return incorrect(
            "`search=` has no column `mean_test_score`: it was scored by several metrics. "
            f"`{name}` of the notebook has one, `scoring=cost_scorer`.",
            "wrong_search",
        )
    estimator = getattr(search, "estimator", None)
    last = estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator
    if type(last).__name__ != "DecisionTreeClassifier":
        return incorrect(
            f"`search=` searches a {type(last).__name__}, not the decision-tree pipeline "
            f"`tree`. Pass `{name}` itself.",
            "wrong_search",
        )
    wanted = _grid_keys(grid)
    tried = {_key(p) for p in results["params"]}
    if tried != wanted:
        asked = ", ".join(f"{k.split('__')[-1]} {v}" for k, v in grid.items())
        return incorrect(
            f"`search=` tried {len(tried)} candidates, not the ones of `{name}` ({asked}). "
            f"Pass the search the exercise is about, `{name}`.",
            "wrong_search",
        )
    if (results["mean_test_score"] > 0).all():
        return incorrect(
            "Its scores are positive: this search was scored by scikit-learn's default, the "
            "accuracy at 0.5. The notebook's search uses the contract's cost, "
            "`scoring=cost_scorer` (whose scores are negated costs, below zero).",
            "default_scoring",
        )
    return results


def _same_scores(results: pd.DataFrame, reference: pd.DataFrame) -> bool:
    mine = pd.Series(
        results["mean_test_score"].to_numpy(), index=[_key(p) for p in results["params"]]
    )
    theirs = reference["mean_test_score"].to_numpy(dtype=float)
    return bool(np.allclose(mine.loc[reference.index].to_numpy(), theirs, atol=1e-9))


def _check_q3(answer: Any, search: Any) -> Feedback:
    results = _search_results(search, "tree_search", TREE_GRID)
    if isinstance(results, Feedback):
        return results
    reference = _reference("tree", _contract_costs())
    if not _same_scores(results, reference):
        return incorrect(
            "`search=` has the grid of `tree_search`, but not its scores: it was not run as in "
            "the notebook - on `X_train, y_train`, with the folds `cv` and "
            "`scoring=cost_scorer`. Pass the notebook's `tree_search`.",
            "wrong_search",
        )
    costs = -reference["mean_test_score"]
    best_i = int(costs.to_numpy().argmin())
    best = float(costs.iloc[best_i])
    misses = [
        NearMiss(
            -best,
            "negated_score",
            "That is `best_score_` as it is - a *negated* cost. scikit-learn maximises every "
            "score, so a loss like our cost comes back with a minus sign. The cost in euros "
            "is the same number without its minus.",
            tol=1e-9,
        ),
        NearMiss(
            float(reference["std_test_score"].iloc[best_i]),
            "wrong_column",
            "That is the *spread* of the best candidate's costs over the folds "
            "(`std_test_score`), not their mean.",
            tol=1e-9,
        ),
        NearMiss(
            float(-reference["split0_test_score"].iloc[best_i]),
            "wrong_value",
            "That is the best candidate's cost on the first fold only. The search judges by "
            "the *mean* over all folds.",
            tol=1e-9,
        ),
        NearMiss(
            float(costs.mean()),
            "wrong_value",
            "That is the average over all candidates. The question asks for the best "
            "candidate's cost.",
            tol=1e-9,
        ),
        NearMiss(
            float(costs.max()),
            "wrong_value",
            "That is the *highest* cost of the table - the worst candidate. Rank 1 is the best.",
            tol=1e-9,
        ),
    ]
    try:
        on_train = -float(search.score(*_training_rows()))
        misses.insert(
            0,
            NearMiss(
                on_train,
                "scored_on_train",
                "That is the refitted model's cost on the training rows - the rows it "
                "learned from, so it looks better than the model will do on new visits. The "
                "search's own estimate is the mean over the validation folds.",
                tol=1e-9,
            ),
        )
    except Exception:  # a search that cannot score the training rows: no such slip to spot
        pass
    if isinstance(answer, dict):
        return incorrect(
            "That is a dict - probably `best_params_`, the winning *settings*. The question "
            "asks for the winner's cost.",
            "wrong_type",
        )
    return expect_number(
        answer,
        best,
        tol=1e-9,
        what="a cost in euros per visit (a positive number)",
        lo=0,
        hi=1,
        kind="eur",
        near_misses=misses,
        close_factor=1e5,
        wrong="Not the best candidate's mean validation cost. It is minus the "
        "`mean_test_score` of the row with `rank_test_score` 1 - or simply "
        "`-tree_search.best_score_`.",
        success="`best_score_` is the mean validation score of the winning candidate - the "
        "top row of the table - and with a cost scorer it is the cost with a minus sign. "
        "Remember it is the best of several scores: a little optimistic (more about that in "
        "section 7).",
    )


q3 = Exercise(
    NOTEBOOK,
    "q3",
    "Read the search",
    prompt="What is the cross-validated expected cost per visit, in euros, of the best "
    "candidate of `tree_search`? Give a positive number, not rounded (± 0.000000001: read "
    "it from the search, don't retype it).",
    expects="a positive number (euros per visit)",
    inputs={"search": "the fitted search, `tree_search`"},
    checker=_check_q3,
    hints=[
        "The search scored every candidate on the validation folds and ranked them. You want "
        "the score of rank 1 - not a score on the training rows.",
        "It is the `mean_test_score` of the top row of `tidy(tree_search)`, which the search "
        "also keeps in an attribute whose name starts with `best_`. Mind its sign: the "
        "scorer negated the cost.",
        "`-tree_search.best_score_`.",
    ],
    solution="tree_best_cost = -tree_search.best_score_\n"
    "q3.check(tree_best_cost, search=tree_search)",
    explanation="`best_score_` is the mean validation score (over the 5 folds) of the "
    "candidate in `best_params_`; with `scoring=cost_scorer` that score is minus the cost, "
    "so the cost in euros is `-best_score_`.",
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
    if hasattr(answer, "cv_results_"):
        results = _search_results(answer, "depth_search", DEPTH_GRID)
        if isinstance(results, Feedback):
            if results.mistake == "wrong_search" and "candidates" in results.message:
                return incorrect(
                    "Your search did not try the asked grid: `max_depth` 4, 7 and 10, and "
                    "nothing else - `{'decisiontreeclassifier__max_depth': [4, 7, 10]}`.",
                    "wrong_search",
                )
            return results
    verdict = expect_tuned_on_train_only(
        answer,
        X_train,
        y_train,
        X_test,
        y_test,
        success="Your search saw the training rows only: its cross-validation made the "
        "validation folds, and the test rows are still new to the chosen model. Their score "
        "in notebook 06 will be an honest estimate.",
    )
    if not verdict.ok:
        return verdict
    if not _same_scores(results, _reference("depth", _contract_costs())):
        return incorrect(
            "Fitted on the training rows - good - but its scores are not those of the asked "
            "search: use the folds `cv` and `scoring=cost_scorer`, as the exercise says.",
            "wrong_search",
        )
    return verdict


q4 = Exercise(
    NOTEBOOK,
    "q4",
    "A search that never sees the test rows",
    prompt="Make `depth_search`: a `GridSearchCV` of the pipeline `tree` over `max_depth` "
    "4, 7 and 10, scored by `cost_scorer`, with `cv=cv` and `n_jobs=2`, fitted on the rows "
    "a search may use.",
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
        "`GridSearchCV(tree, {'decisiontreeclassifier__max_depth': [4, 7, 10]}, "
        "scoring=cost_scorer, cv=cv, n_jobs=2)`, then `.fit(...)` on the training rows.",
        "`depth_search = GridSearchCV(tree, {'decisiontreeclassifier__max_depth': [4, 7, 10]}, "
        "scoring=cost_scorer, cv=cv, n_jobs=2).fit(X_train, y_train)`.",
    ],
    solution="depth_search = GridSearchCV(\n"
    "    tree,\n"
    "    {'decisiontreeclassifier__max_depth': [4, 7, 10]},\n"
    "    scoring=cost_scorer,\n"
    "    cv=cv,\n"
    "    n_jobs=2,\n"
    ").fit(X_train, y_train)\n"
    "q4.check(depth_search, X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test)",
    explanation="`fit` on X_train, y_train only. The search's own folds play the part of new "
    "data while it chooses; the test rows stay unseen until the final score in notebook 06.",
)
