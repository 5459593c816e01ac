"""Exercises of notebook 05 "Tune": hyperparameters, validation curves, searches, no peeking.

In the notebook::

    from course_utils.exercises.nb05 import q1, q2, q3, q4

    q1.check(leaves_key)                      # a hyperparameter's name inside a pipeline
    q2.check(best_depth, curve=curve)         # the depth of the lowest validation cost
    q3.check(tree_best_cost, search=tree_search)    # the best candidate's cost, in euros
    q4.check(tune)                            # build: tune(pipeline, param_grid, X, y, cv, signed)

q1's names come from the notebook's own pipeline (``get_params()`` of the preparation
pipeline with gradient-boosted trees at its end). q2 reads its expected value from the
learner's curve (what the question is about: reading it), and spots the classic slip of
reading the *training* cost instead. q3 first proves that ``search=`` is the notebook's
``tree_search`` - the same grid, scored by the contract's cost on the same folds and rows
(its scores are compared with a search the check runs itself, once) - and only then reads
the answer from it, so another search cannot move the expected value. q4 is a build task:
the learner's ``tune`` runs on another world's rows, other grids, folds and contracts, and
its scores are compared with those of the right scorer and of the typical slips (accuracy,
a cost not negated, the threshold 0.5, the notebook's contract instead of the one given);
then the refit and the rows the kept model learned from are checked.

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
    _is_estimator,
    _is_fitted,
    describe,
    expect_number,
    incorrect,
)
from course_utils.exercises.quiz import Question, Quiz

__all__ = ["q1", "q2", "q3", "q4", "wrapup_a", "wrapup_b"]

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
    near = table.loc[valid <= float(valid.min()) + 0.001, "max_depth"]
    plateau = f"{near.min():.0f} to {near.max():.0f}" if len(near) > 1 else f"{best:.0f}"
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
        success=f"The validation cost is lowest at depth {best:.0f} ({float(valid.min()):.4f} € "
        f"per visit): deeper trees fit their training rows better and new visits worse. "
        f"Depths {plateau} all lie within a tenth of a cent of it - differences of the size of "
        "the fold-to-fold spread - so the honest reading is that plateau, not one depth.",
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
    """The notebook's search (``"tree"``: exercise 3's grid), run
    by the check on the training rows with the notebook's folds and scorer; its results."""
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.tree import DecisionTreeClassifier

    from course_utils import checkpoints

    grid = {"tree": TREE_GRID}[which]
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


def _settings(results: pd.DataFrame, row: int) -> str:
    """One candidate's settings in words: 'max_depth 7, min_samples_leaf 50'."""
    params = results["params"].iloc[row]
    return ", ".join(f"{k.split('__')[-1]} {v}" for k, v in params.items())


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
        f"top row of the table, {_settings(reference, best_i)} - and with a cost scorer it is "
        "the cost with a minus sign. The top candidates lie within hundredths of a cent of "
        "each other, so on that plateau the grid's choice is mostly luck; and a search only "
        "finds what its grid contains (the validation curve's best depth was not in it). "
        "Remember `best_score_` is the best of several scores: a little optimistic (notebook "
        "05b measures that).",
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
# The build task: `tune(pipeline, param_grid, X, y, cv, signed)`, checked by running it on
# rows and contracts the notebook never showed.

TUNE_PARAMS = ("pipeline", "param_grid", "X", "y", "cv", "signed")


class _ByValue:
    """Equal when the settings and the fitted state are equal.

    ``check_function`` tells a changed input by ``==``; scikit-learn objects compare by
    identity, so the deep copy of an untouched pipeline would look changed. The cases' pipeline
    and folds compare by value instead, and a pipeline fitted in place still shows.
    """

    def __eq__(self, other: object) -> bool:
        return (
            type(self) is type(other)
            and repr(self) == repr(other)
            and _is_fitted(self) == _is_fitted(other)
        )

    __hash__ = object.__hash__


def _tree_pipeline():
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.tree import DecisionTreeClassifier

    from course_utils import checkpoints

    class CasePipeline(_ByValue, Pipeline):
        pass

    steps = make_pipeline(checkpoints.preprocessor(), DecisionTreeClassifier(random_state=0))
    return CasePipeline(steps.steps)


def _folds(n_splits: int, random_state: int):
    from sklearn.model_selection import StratifiedKFold

    class CaseFolds(_ByValue, StratifiedKFold):
        pass

    return CaseFolds(n_splits=n_splits, shuffle=True, random_state=random_state)


@cache
def _other_rows(seed: int, n_visits: int) -> tuple[pd.DataFrame, pd.Series]:
    """Training rows of another world (another seed): rows the learner has never seen."""
    from course_utils import checkpoints, world

    train, _ = world.standard_split(world.generate(seed=seed, n_visits=n_visits).visits)
    X, y = checkpoints.xy(train.reset_index(drop=True))
    return X, y


def _cases() -> list:
    from course_utils import contract
    from course_utils.exercises.functions import Case

    X7, y7 = _other_rows(7, 1500)
    X11, y11 = _other_rows(11, 1500)
    dearer_apples = contract.Contract(
        metric="expected_cost",
        minimum=0.05,
        baseline=0.08,
        cost_false_banana=0.10,
        cost_false_apple=0.30,
    )
    return [
        Case(
            args=(
                _tree_pipeline(),
                {"decisiontreeclassifier__max_depth": [2, 4, 6]},
                X7,
                y7,
                _folds(3, random_state=1),
                contract.DEFAULT,
            ),
            label="another world's visits (seed 7), the course contract, max_depth 2/4/6, 3 folds",
        ),
        Case(
            args=(
                _tree_pipeline(),
                {
                    "decisiontreeclassifier__max_depth": [3, 8],
                    "decisiontreeclassifier__min_samples_leaf": [5, 60],
                },
                X11,
                y11,
                _folds(4, random_state=2),
                dearer_apples,
            ),
            label="another world (seed 11) and a contract where a false apple costs 0.30 € "
            "(threshold 0.25), a 2 x 2 grid, 4 folds",
        ),
    ]


def _scorers(signed) -> dict:
    """The right scorer and the scorers of the typical slips, by name."""
    from sklearn.metrics import make_scorer

    from course_utils import contract

    def cost_at(threshold: float, c_fb: float, c_fa: float):
        def cost(y_true, p_banana):
            took = np.asarray(y_true) == "banana"
            says = np.asarray(p_banana) >= threshold
            return (c_fb * (says & ~took).sum() + c_fa * (~says & took).sum()) / len(took)

        return cost

    right = cost_at(signed.best_threshold(), signed.cost_false_banana, signed.cost_false_apple)
    course = contract.DEFAULT
    scorers = {
        "right": make_scorer(right, greater_is_better=False, response_method="predict_proba"),
        "not_negated": make_scorer(right, response_method="predict_proba"),
        "at_half": make_scorer(
            cost_at(0.5, signed.cost_false_banana, signed.cost_false_apple),
            greater_is_better=False,
            response_method="predict_proba",
        ),
        "accuracy": "accuracy",
    }
    if signed != course:
        scorers["notebook_contract"] = make_scorer(
            cost_at(course.best_threshold(), course.cost_false_banana, course.cost_false_apple),
            greater_is_better=False,
            response_method="predict_proba",
        )
    return scorers


_REFERENCES: dict[str, pd.DataFrame] = {}


def _case_reference(case) -> pd.DataFrame:
    """Mean validation score of every candidate of the case, under each scorer (one search)."""
    if case.label not in _REFERENCES:
        from sklearn.base import clone
        from sklearn.model_selection import GridSearchCV

        pipeline, grid, X, y, cv, signed = case.args
        scorers = _scorers(signed)
        search = GridSearchCV(clone(pipeline), grid, scoring=scorers, cv=cv, refit=False)
        search.fit(X, y)
        results = pd.DataFrame(search.cv_results_)
        table = pd.DataFrame(
            {name: results[f"mean_test_{name}"].to_numpy() for name in scorers},
            index=[_key(p) for p in results["params"]],
        )
        _REFERENCES[case.label] = table
    return _REFERENCES[case.label]


#: The scorer of each typical slip: (its mistake tag, what the learner reads).
_SLIPS = {
    "accuracy": "default_scoring",
    "not_negated": "negated_score",
    "at_half": "default_threshold",
    "notebook_contract": "wrong_value",
}
_SLIP_MESSAGES = {
    "accuracy": "Your search was scored by **accuracy** (the default, or "
    '`scoring="accuracy"`): the share of right answers at 0.5. The contract judges by the '
    "expected cost at its own threshold - pass `scoring=` a `make_scorer` of that cost.",
    "not_negated": "Your scores are the costs *with a plus sign*: the scorer lacks "
    "`greater_is_better=False`. The search keeps the highest score, so it picked the "
    "*dearest* candidate. Add `greater_is_better=False` to `make_scorer`.",
    "at_half": "Your cost is right, but at the threshold **0.5** - `predict`'s "
    "decision, or a 0.5 written in. The contract decides banana from "
    "`signed.best_threshold()`; compare P(banana) (`response_method='predict_proba'`) "
    "with it.",
    "notebook_contract": "Your cost uses the notebook's contract (0.30 € / 0.10 €, threshold "
    "0.75), not the one passed as `signed`. Read the threshold and both costs from "
    "`signed`, so that the function works for any contract.",
}


def _judge_q4(search: Any, case) -> Feedback | None:
    pipeline, grid, X, y, cv, signed = case.args
    if _is_estimator(search) and not hasattr(search, "cv_results_"):
        if hasattr(search, "param_grid") or hasattr(search, "param_distributions"):
            return incorrect(
                "Your function returns a search that was never fitted: call `.fit(X, y)` "
                "on it before returning it.",
                "not_fitted",
            )
        return incorrect(
            f"Your function returns {describe(search)}, not the fitted search. Return the "
            "`GridSearchCV` itself (after `.fit(X, y)`): it keeps the model *and* every "
            "candidate's scores.",
            "wrong_type",
        )
    if not hasattr(search, "cv_results_"):
        return incorrect(
            f"Your function returns {describe(search)}; expected the fitted `GridSearchCV`. "
            "Return the search object: `return search.fit(X, y)` returns it.",
            "wrong_type",
        )
    results = pd.DataFrame(search.cv_results_)
    if "mean_test_score" not in results:
        return incorrect(
            "Your search recorded several scores (`scoring=` a dict or a list). This task "
            "wants one: `scoring=` the contract's cost scorer.",
            "wrong_search",
        )
    tried = {_key(p) for p in results["params"]}
    if tried != _grid_keys(grid):
        notebook = _grid_keys(TREE_GRID)
        where = " - the notebook's `grid`, not the `param_grid` given" if tried == notebook else ""
        return incorrect(
            f"Your search tried {len(tried)} candidates{where}; the `param_grid` given has "
            f"{len(_grid_keys(grid))}. Pass the function's own `param_grid` to `GridSearchCV`.",
            "wrong_search",
        )
    n_splits = sum(1 for c in results.columns if c.startswith("split") and c.endswith("_score"))
    if n_splits != cv.get_n_splits():
        return incorrect(
            f"Your search used {n_splits} folds; the `cv` given makes "
            f"{cv.get_n_splits()}. Pass the function's own `cv` (`cv=cv`), not a number or "
            "the notebook's folds.",
            "wrong_search",
        )
    mine = results["mean_test_score"].to_numpy(dtype=float)
    if np.isnan(mine).any():
        reason = ""
        try:  # score one candidate again, to quote the error the search turned into NaN
            from sklearn.base import clone

            model = clone(pipeline).set_params(**results["params"].iloc[0]).fit(X, y)
            search.scorer_(model, X, y)
        except Exception as exc:
            reason = (
                f" Scoring one candidate again raised `{type(exc).__name__}: {str(exc)[:140]}`."
            )
        return incorrect(
            "Some of your search's scores are NaN: the scorer failed on a fold, and "
            f"`GridSearchCV` turned the error into NaN.{reason} Does your scorer get "
            "probabilities (`make_scorer(cost, greater_is_better=False, "
            "response_method='predict_proba')`), and does the cost function take them as "
            "they come - one P(banana) per visit, already the banana column - and return one "
            "number?",
            "wrong_search",
        )
    if not hasattr(search, "best_estimator_"):
        return incorrect(
            "Your search ran with `refit=False`, so it kept no model: leave `refit` at its "
            "default (True) - the search then refits the best candidate on all of `X, y`.",
            "not_fitted",
        )
    seen = _rows_seen(search.best_estimator_)
    if seen is not None and seen != len(X):
        return incorrect(
            f"The model your search kept learned from {seen:,} rows, but `X` has "
            f"{len(X):,}: your function fitted on other rows than the ones it was given "
            "(the notebook's `X_train`? test rows added?). A search may see only the rows "
            "passed to it - `search.fit(X, y)`.",
            "wrong_rows",
        )
    reference = _case_reference(case)
    mine = pd.Series(mine, index=[_key(p) for p in results["params"]]).loc[reference.index]

    def same(name: str) -> bool:
        return bool(np.allclose(mine.to_numpy(), reference[name].to_numpy(), atol=1e-9))

    if not same("right"):
        for slip, tag in _SLIPS.items():
            if slip in reference and same(slip):
                return incorrect(_SLIP_MESSAGES[slip], tag)
        flipped = -reference["at_half"].to_numpy()
        if np.allclose(mine.to_numpy(), flipped, atol=1e-9):
            return incorrect(
                "Two slips: your cost is computed at 0.5 (not `signed.best_threshold()`), "
                "and without `greater_is_better=False`.",
                "default_threshold",
            )
        return incorrect(
            "Your search's scores are not the contract's expected cost per visit on the "
            "folds `cv` given: score with `make_scorer(cost, greater_is_better=False, "
            "response_method='predict_proba')`, where `cost` charges "
            "`signed.cost_false_banana` per false banana and `signed.cost_false_apple` per "
            "false apple at `signed.best_threshold()`, divided by the number of visits.",
            "wrong_search",
        )
    return None


def _rows_seen(model: Any) -> int | None:
    """How many rows a fitted tree pipeline learned from (None if it cannot tell)."""
    last = model.steps[-1][1] if hasattr(model, "steps") else model
    tree = getattr(last, "tree_", None)
    if tree is None:
        return None
    return int(tree.n_node_samples[0])


def _check_q4(answer: Any) -> Feedback | None:
    from course_utils.exercises.functions import check_function

    return check_function(answer, _cases(), _judge_q4, what="`tune`", params=TUNE_PARAMS)


q4 = Exercise(
    NOTEBOOK,
    "q4",
    "Build a search that judges by the contract",
    prompt="Write `tune(pipeline, param_grid, X, y, cv, signed)`: it builds a scorer of the "
    "expected cost per visit of the contract `signed` (a false banana costs "
    "`signed.cost_false_banana`, a false apple `signed.cost_false_apple`, banana decided "
    "when P(banana) >= `signed.best_threshold()`), runs a `GridSearchCV` of `pipeline` over "
    "`param_grid` with that scorer and the folds `cv`, fits it on `X, y` only, and returns "
    "the fitted search. The check runs it on another world's visits, other grids, other "
    "folds and another contract.",
    expects="a function `tune(pipeline, param_grid, X, y, cv, signed)`",
    checker=_check_q4,
    hints=[
        "Three steps: a cost function of `(y_true, p_banana)` that reads everything from "
        "`signed`; a scorer made from it; a search that uses that scorer, the given grid and "
        "folds, fitted on the given rows. The cell `expected_cost` / `cost_scorer` at the "
        "top of the notebook does the first two for the notebook's contract.",
        "`threshold = signed.best_threshold()`; count false bananas "
        "`(p_banana >= threshold) & (y_true == 'apple')` and false apples the other way; "
        "`make_scorer(cost, greater_is_better=False, response_method='predict_proba')` - "
        "a cost is better when lower, and the threshold needs P(banana), not `predict`.",
        "`search = GridSearchCV(pipeline, param_grid, scoring=scorer, cv=cv)`, then "
        "`return search.fit(X, y)` - `refit` stays True, so the search keeps the winner.",
    ],
    solution="""def tune(pipeline, param_grid, X, y, cv, signed):
    threshold = signed.best_threshold()

    def cost(y_true, p_banana):
        took_banana = np.asarray(y_true) == "banana"
        says_banana = np.asarray(p_banana) >= threshold
        false_bananas = (says_banana & ~took_banana).sum()
        false_apples = (~says_banana & took_banana).sum()
        euros = signed.cost_false_banana * false_bananas + signed.cost_false_apple * false_apples
        return euros / len(took_banana)

    scorer = make_scorer(cost, greater_is_better=False, response_method="predict_proba")
    search = GridSearchCV(pipeline, param_grid, scoring=scorer, cv=cv)
    return search.fit(X, y)


q4.check(tune)""",
    explanation="The scorer turns the contract into the search's yardstick: the euros lost "
    "per visit when deciding at the contract's threshold, negated (`greater_is_better="
    'False`) so that scikit-learn\'s rule "the highest score wins" picks the cheapest '
    "candidate, and fed P(banana) (`response_method='predict_proba'`) so that the threshold "
    "is the contract's, not `predict`'s 0.5. The search sees only the rows it is given: its "
    "own folds play the part of new visits while it chooses, and the test rows stay unseen "
    "until notebook 06 - tuned on them, their score would be the winner of a contest held "
    "on those very rows, and optimistic.",
    success="Your function tunes any pipeline for any contract, on the rows it is given "
    "only - the check ran it on two other worlds, grids, fold plans and contracts. "
    "`tune(...).best_estimator_` is the winner, refitted on all of `X, y`.",
)


# --------------------------------------------------------------------------- wrap-up quizzes

wrapup_a = Quiz(
    NOTEBOOK,
    "wrapup_a",
    "Wrap-up quiz (05a)",
    questions=[
        Question(
            "A grid search scored with `make_scorer(cost, greater_is_better=False)` reports "
            "`best_score_ = -0.031`. What does its best candidate lose per visit?",
            {
                "a": "Nothing: a negative cost is a gain of 0.031 € per visit.",
                "b": "0.031 € per visit, on average over the validation folds.",
                "c": "It cannot be told without the accuracy of the same candidate.",
            },
            answer="b",
            why={
                "a": 'No: scikit-learn negated the cost so that its rule "the highest score '
                'wins" picks the cheapest candidate. The minus sign is bookkeeping, not a gain.',
                "b": "Yes: `-best_score_` is the mean validation cost of the winner.",
                "c": "No: the scorer measures the cost itself; accuracy is another metric, "
                "and not the contract's.",
            },
            tag="negated_score",
        ),
        Question(
            "On a validation curve of a tree's depth, the training cost keeps falling while "
            "the validation cost falls, bottoms out and rises. Which depth do you keep?",
            {
                "a": "The deepest: its training cost is the lowest.",
                "b": "The one where training and validation costs are closest.",
                "c": "The one where the validation cost is lowest.",
            },
            answer="c",
            why={
                "a": "No: the training cost rewards memorising the rows the tree learned from; "
                "deep trees over-fit and do worse on new visits.",
                "b": "No: the gap is smallest for shallow trees, where both costs are high - "
                "they under-fit. A small gap is not the goal.",
                "c": "Yes: the validation folds stand for new visits.",
            },
            tag="scored_on_train",
        ),
        Question(
            "A fitted logistic regression has a weight per column (`coef_`); its `C` was set "
            "before `fit`. Which is which?",
            {
                "a": "The weights are parameters, learned by `fit`; `C` is a hyperparameter, "
                "set before it.",
                "b": "Both are parameters: `fit` learns `C` from the data along with the "
                "weights, then stores it.",
                "c": "The weights are hyperparameters, as you can read and change them; `C` "
                "is learned by `fit`.",
            },
            answer="a",
            why={
                "a": "Yes: scikit-learn ends the names of learned parameters with an "
                "underscore (`coef_`); hyperparameters such as `C` are what a search tunes "
                "on the validation folds.",
                "b": "No: `fit` never changes `C` - it keeps the value it was given. A search "
                "tries several values of `C` and fits the weights anew for each.",
                "c": "No: the underscore of `coef_` marks what `fit` learned from the data. "
                "`C` is a setting passed in; `fit` does not change it.",
            },
            tag="wrong_choice",
        ),
        Question(
            "The folds `cv` are `StratifiedKFold(n_splits=5, shuffle=True, random_state=0)`. "
            "What do `stratified` and `random_state` buy?",
            {
                "a": "Each fold is one period of time, in order, the same periods at every run.",
                "b": "Faster fits: stratified folds are smaller, and a fixed seed lets "
                "scikit-learn reuse them.",
                "c": "Every fold keeps the share of bananas, and the folds are the same at "
                "every run.",
            },
            answer="c",
            why={
                "a": "No: that would be `TimeSeriesSplit`; these folds are shuffled.",
                "b": "No: five folds mean five fits whatever the split; stratifying changes "
                "which rows go where, not the time, and nothing is reused.",
                "c": "Yes: every fold has about the training rows' share of bananas - "
                "comparable folds - and scores that do not move between runs.",
            },
            revisits="04",
            tag="wrong_choice",
        ),
        Question(
            "A colleague picks `max_depth` by the score on the test rows, then reports that "
            "test score. The model itself was fitted on the training rows. The report is:",
            {
                "a": "Honest: the test rows were never used to fit the model's weights.",
                "b": "Optimistic: the depth was chosen because it suited those very rows.",
                "c": "Pessimistic: the test rows are fewer than the training rows, so scores "
                "run low.",
            },
            answer="b",
            why={
                "a": "No: choosing a setting on the test rows is learning from them too; the "
                "winner's score includes the luck of the contest.",
                "b": "Yes: tune on validation folds, and open the test rows once at the end.",
                "c": "No: fewer rows make a score noisier, not lower on average.",
            },
            tag="test_used_for_tuning",
        ),
        Question(
            "Why does the search tune the whole pipeline (preparation and model), not the "
            "model on rows prepared once beforehand?",
            {
                "a": "So the imputer and scaler are refitted on each training part, never on "
                "the fold that scores them.",
                "b": "Because a pipeline is faster: the search can reuse the prepared rows "
                "for every candidate.",
                "c": "Because `GridSearchCV` only accepts pipelines, and refuses a model on "
                "NumPy arrays.",
            },
            answer="a",
            why={
                "a": "Yes: prepared once on all the rows, the medians and scales would carry "
                "information from the validation folds into training - leakage.",
                "b": "No: refitting the preparation in every fold is slower, not faster - and "
                "worth it.",
                "c": "No: it takes arrays; the point is what the preparation learns from.",
            },
            revisits="03",
            tag="leakage",
        ),
    ],
)

wrapup_b = Quiz(
    NOTEBOOK,
    "wrapup_b",
    "Wrap-up quiz (05b)",
    questions=[
        Question(
            "`RandomizedSearchCV(..., n_iter=8)` over a space of 90 combinations:",
            {
                "a": "cross-validates a random sample of 8 of the combinations.",
                "b": "cross-validates all 90 combinations on 8 folds.",
                "c": "draws 8 values that are not in the space, between its values.",
            },
            answer="a",
            why={
                "a": "Yes: 8 candidates, each on every fold - a fraction of the grid's cost.",
                "b": "No: `n_iter` is the number of candidates; the folds come from `cv`.",
                "c": "No: with lists it samples from the lists given (with distributions it "
                "could draw in between).",
            },
            tag="wrong_choice",
        ),
        Question(
            "Two tuned models tie on cross-validated log-loss and cost. How did this "
            "notebook choose between them?",
            {
                "a": "By their scores on the test rows, the only data neither has seen yet.",
                "b": "By the higher accuracy at 0.5, which breaks ties the cost cannot.",
                "c": "By calibration, simplicity and how they answer beyond the training range.",
            },
            answer="c",
            why={
                "a": "No: choosing on the test rows makes their score optimistic; the test "
                "set judges the chosen model once, in notebook 06.",
                "b": "No: the shop does not decide at 0.5, and a tenth of a point of "
                "accuracy is within the fold-to-fold noise.",
                "c": "Yes: what the scores cannot see decides a tie.",
            },
            tag="test_used_for_tuning",
        ),
        Question(
            "A model is well calibrated. For the visits it gives P(banana) = 0.6:",
            {
                "a": "at the contract's threshold, 60 % of its predictions on them are right.",
                "b": "about 6 in 10 of those visits end in a banana.",
                "c": "it is 60 % sure that its accuracy meets the contract.",
            },
            answer="b",
            why={
                "a": "No: at 0.6 the contract (threshold 0.75) says apple, and apple is "
                "right on only about 4 in 10 of those visits. Calibration compares the "
                "predicted probability with the observed share of bananas, not with accuracy.",
                "b": "Yes: and only then does the contract's threshold do what the costs say.",
                "c": "No: a probability of banana says nothing about the model's accuracy.",
            },
            tag="wrong_choice",
        ),
        Question(
            'Nested cross-validation of "search the depth, then fit" reports:',
            {
                "a": "how well 'search, then fit' does on folds that took no part in either step.",
                "b": "the best depth, more precisely than one search, by averaging the outer "
                "folds' picks.",
                "c": "the test score, without opening the test set: the outer folds act as "
                "test rows.",
            },
            answer="a",
            why={
                "a": "Yes: an outer fold scores a search run on the other folds - an honest "
                "estimate of tuning, then fitting.",
                "b": "No: each outer fold may pick another depth; settings come from the "
                "ordinary search.",
                "c": "No: it estimates on the training rows; the test set still judges once.",
            },
            tag="wrong_choice",
        ),
        Question(
            "Why do the searches score by the contract's expected cost rather than by "
            "accuracy at 0.5?",
            {
                "a": "Accuracy at 0.5 cannot be cross-validated; only a cost can be made into "
                "a scorer.",
                "b": "The cost is quicker to compute, which matters when a search fits "
                "hundreds of models.",
                "c": "The shop decides at 0.75 and its two mistakes differ in cost; accuracy "
                "at 0.5 ignores both.",
            },
            answer="c",
            why={
                "a": "No: accuracy is scikit-learn's default score and cross-validates "
                "fine; the point is what each one measures.",
                "b": "No: both are quick; the point is what they measure.",
                "c": "Yes: tune by what the contract of notebook 01 judges.",
            },
            revisits="01",
            tag="default_scoring",
        ),
        Question(
            "Notebook 04 measured shuffled folds, time-ordered folds and folds by customer. "
            "Which question do this notebook's shuffled folds answer?",
            {
                "a": "How the model does on new customers next year, as no visit is used twice.",
                "b": "How it does on unseen visits of known customers, in the same year.",
                "c": "How the model does on the test rows, which the shuffled folds copy exactly.",
            },
            answer="b",
            why={
                "a": "No: that needs folds by customer and by time (`GroupKFold`, "
                "`TimeSeriesSplit`); shuffled folds mix customers and months.",
                "b": "Yes: the question of the test set of notebook 06, which tuning needs.",
                "c": "No: the folds are made from the training rows only; they ask the test "
                "set's question without touching it.",
            },
            revisits="04",
            tag="wrong_choice",
        ),
    ],
)
