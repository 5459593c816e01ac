"""Exercises of notebook 04 "Train": cross-validate models honestly and read learning curves.

Notebook 04 comes in two parts, 04a (cross-validate) and 04b (compare models)::

    from course_utils.exercises.nb04 import q1, q2, q3, wrapup_a   # in 04a
    q1.check(tree_cv)              # the cross-validated accuracy of the decision tree
    q2.check(knn_cv, model=knn)    # a k-NN pipeline, cross-validated (scaling matters)
    q3.check(compare_models)       # build task: the function, run on unseen visits and folds
    wrapup_a.check(answers)        # wrap-up quiz of 04a

    from course_utils.exercises.nb04 import q4, q5, q6, wrapup_b   # in 04b
    q4.check("b")                  # which model over-fits, from the learning curves
    q5.check(gap)                  # points between the logistic regression and the Bayes line
    q6.check(back_table, beats_baseline=True)  # transfer: will the customer come back?
    wrapup_b.check(answers)        # wrap-up quiz of 04b

The expected values are computed once from the training rows of the standard split
(``course_utils.checkpoints``) with the notebook's folds, ``StratifiedKFold(n_splits=5,
shuffle=True, random_state=0)``, never typed in. The typical wrong values (a score on the
training rows, on the test rows, with folds in time order, a percentage ...) are computed
only when an answer is wrong, and only as far as needed. ``q1`` and ``q2`` are the
misconception checks of the notebook: a score measured on the training rows gets the
``scored_on_train`` feedback, a k-NN without scaling the ``unscaled_features`` one.

>>> q4.evaluate(...).status
'not_attempted'
>>> q4.evaluate("a").mistake
'wrong_choice'
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from course_utils.exercises import (
    MISTAKES,
    Exercise,
    Feedback,
    _as_real,
    _is_estimator,
    correct,
    describe,
    expect_choice,
    incorrect,
    not_attempted,
)
from course_utils.exercises.quiz import Question, Quiz

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "wrapup_a", "wrapup_b"]

NOTEBOOK = "04"

# Mistakes specific to this notebook, registered with the others (tags must be known).
MISTAKES.setdefault(
    "unshuffled_folds",
    "cv=5 on rows in time order: blocks of months, neither shuffled like the test split nor "
    "forward in time like TimeSeriesSplit",
)
MISTAKES.setdefault(
    "unscaled_features", "a distance-based model (k-NN) on features that were not scaled"
)
MISTAKES.setdefault("no_preprocessing", "a model without the preparation pipeline in front of it")

CV_CODE = "StratifiedKFold(n_splits=5, shuffle=True, random_state=0)"
_TOL = 0.0005  # the same folds and seeds give the same score to many decimals
_CLOSE = 0.004  # other folds or seeds move a cross-validated score by a few tenths of a point


# --------------------------------------------------------------------------- the data


@cache
def _data() -> dict[str, Any]:
    from course_utils import checkpoints, world

    train, test = checkpoints.split()
    X_train, y_train = checkpoints.xy(train)
    X_test, y_test = checkpoints.xy(test)
    truth = world.generate().visits.set_index("visit_id").loc[train["visit_id"]]
    majority = float((y_train == "banana").mean())
    return {
        "X_train": X_train,
        "y_train": y_train,
        "X_test": X_test,
        "y_test": y_test,
        "bayes": float(world.bayes_optimal(truth, y_train)["accuracy"]),
        "majority": max(majority, 1 - majority),
    }


def _cv():
    from sklearn.model_selection import StratifiedKFold

    return StratifiedKFold(n_splits=5, shuffle=True, random_state=0)


def _model(name: str):
    """The notebook's pipelines: the preparation pipeline of notebook 03, then a model."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.tree import DecisionTreeClassifier

    from course_utils import checkpoints

    if name == "knn_unscaled":  # every step of the preparation but the final scaler
        return make_pipeline(checkpoints.preprocessor()[:-1], KNeighborsClassifier())
    models = {
        "tree": lambda: DecisionTreeClassifier(random_state=0),
        "knn": lambda: KNeighborsClassifier(),
        "logistic": lambda: LogisticRegression(max_iter=1000),
    }
    return make_pipeline(checkpoints.preprocessor(), models[name]())


@cache
def _fold_scores(name: str) -> np.ndarray:
    """Validation accuracy of each of the notebook's five shuffled folds."""
    from sklearn.model_selection import cross_val_score

    d = _data()
    return cross_val_score(_model(name), d["X_train"], d["y_train"], cv=_cv())


@cache
def _cv_train_score(name: str) -> float:
    """The mean *training* score of the folds (``return_train_score=True``'s train_score)."""
    from sklearn.model_selection import cross_validate

    d = _data()
    result = cross_validate(
        _model(name), d["X_train"], d["y_train"], cv=_cv(), return_train_score=True
    )
    return float(result["train_score"].mean())


@cache
def _unshuffled(name: str) -> float:
    """``cv=5``: stratified folds in the rows' order - blocks of about two months."""
    from sklearn.model_selection import cross_val_score

    d = _data()
    return float(cross_val_score(_model(name), d["X_train"], d["y_train"], cv=5).mean())


@cache
def _fitted(name: str):
    d = _data()
    return _model(name).fit(d["X_train"], d["y_train"])


def _train_score(name: str) -> float:
    d = _data()
    return float(_fitted(name).score(d["X_train"], d["y_train"]))


def _test_score(name: str) -> float:
    d = _data()
    return float(_fitted(name).score(d["X_test"], d["y_test"]))


def expected_cv(name: str) -> float:
    """The cross-validated accuracy the notebook asks for (``tree``, ``knn``, ``logistic``)."""
    return float(_fold_scores(name).mean())


# --------------------------------------------------------------------------- building blocks


@dataclass(frozen=True)
class _Lazy:
    """A typical wrong value computed only when needed: ``value()`` -> ``mistake``."""

    value: Callable[[], float | Iterator[float]]
    mistake: str
    message: str
    tol: float = _TOL


def _matches(candidate: float, lazy: _Lazy) -> bool:
    values = lazy.value()
    if isinstance(values, numbers.Real):
        values = [values]
    return any(abs(candidate - float(v)) <= lazy.tol for v in values)


def _cross_validation_misses(name: str) -> list[_Lazy]:
    """The usual wrong scores of a cross-validated accuracy, cheapest first."""
    return [
        _Lazy(
            lambda: float(_fold_scores(name).std()),
            "wrong_value",
            "That is the *spread* (standard deviation) of the five fold scores. The "
            "cross-validated score is their mean: `.mean()`, not `.std()`.",
        ),
        _Lazy(
            lambda: iter(_fold_scores(name)),
            "wrong_shape",
            "That is the score of a single fold. Cross-validation scores the model on each "
            "of the five folds in turn; the estimate is the mean of all five.",
            tol=0.00005,  # fold scores lie close together: only (almost) exact matches
        ),
        _Lazy(
            lambda: _data()["majority"],
            "wrong_value",
            "That is the majority baseline's score (always 'banana'), not this model's. "
            "Did you cross-validate the DummyClassifier by mistake?",
        ),
        _Lazy(
            lambda: _train_score(name),
            "scored_on_train",
            "That is the score on the training rows - the very rows the model learned "
            "from, so it looks far better than the model will do on new visits. Score it "
            "on rows it has not seen: `cross_val_score(model, X_train, y_train, cv=cv)` "
            "fits on four folds and scores on the fifth, five times.",
            tol=0.0015,
        ),
        _Lazy(
            lambda: _test_score(name),
            "test_used_for_tuning",
            "That is the score on the *test* rows. They stay locked until notebook 06: a "
            "model chosen because it scored well on the test rows makes the final test "
            "score too optimistic. Compare models by cross-validation on X_train, y_train.",
            tol=0.00005,  # cross-validated scores scatter near the test score: exact only
        ),
        _Lazy(
            lambda: _cv_train_score(name),
            "scored_on_train",
            "That is the mean *training* score of the folds (`train_score` of "
            "`cross_validate`): each fold's model scored on the rows it learned from. The "
            "honest number is the validation score, `test_score` (scikit-learn's name for "
            "the held-out fold).",
            tol=0.0015,
        ),
        _Lazy(
            lambda: _unshuffled(name),
            "unshuffled_folds",
            "That is `cv=5`: stratified folds *in the rows' order* - blocks of about two "
            "months, each predicted from the months before *and after* it. That answers "
            "neither of the notebook's questions: use its `cv` (shuffled, random_state=0), "
            "whose folds look like the random test split. (For 'the months after', "
            "notebook 04 uses `TimeSeriesSplit`, which only ever learns from the past.)",
        ),
    ]


def _as_score(answer: Any, what: str) -> float | Feedback:
    """The answer as one number, or a Feedback explaining what it is instead."""
    if isinstance(answer, dict):
        if "test_score" in answer:
            return incorrect(
                "That is the whole result of `cross_validate` (a dict). The validation "
                "scores are in `result['test_score']`; take their `.mean()`.",
                "wrong_type",
            )
        return incorrect(f"Expected {what}, got {describe(answer)}.", "wrong_type")
    if _is_estimator(answer):
        return incorrect(
            f"Expected {what}, got {describe(answer)} - the model itself. Score it: "
            "`cross_val_score(model, X_train, y_train, cv=cv).mean()`.",
            "wrong_type",
        )
    if isinstance(answer, np.ndarray | list | tuple) and not isinstance(answer, str):
        try:
            values = np.asarray(answer, dtype=float).ravel()
        except (TypeError, ValueError):
            values = None
        if values is not None and len(values) > 1 and np.isfinite(values).all():
            return incorrect(
                f"That is {len(values)} scores, one per fold. The cross-validated score is "
                "one number: their `.mean()`.",
                "wrong_shape",
            )
    value = _as_real(answer, what)
    if isinstance(value, Feedback):
        return value
    if not math.isfinite(value):
        return incorrect(
            "Your score is NaN. `cross_val_score` gives NaN when the model failed to fit "
            "(look for the warning above it): usually text or missing values reached a "
            "model that needs numbers. Put `checkpoints.preprocessor()` first.",
            "nan",
        )
    return value


def _check_cv_score(
    answer: Any, name: str, *, extra: list[_Lazy] = (), wrong: str, success: str
) -> Feedback:
    """Check a cross-validated accuracy: the right one, or name the typical mistake."""
    what = "a number between 0 and 1 (the mean validation accuracy)"
    value = _as_score(answer, what)
    if isinstance(value, Feedback):
        return value
    expected = expected_cv(name)
    exact = 0.00005
    if abs(value - expected) > exact:
        # A typical wrong number that the answer matches exactly wins over the tolerance
        # (the tree's test score can lie within _TOL of its cross-validated score).
        for lazy in [*_cross_validation_misses(name), *extra]:
            if lazy.tol <= exact and _matches(value, lazy):
                return incorrect(lazy.message, lazy.mistake)
    if abs(value - expected) <= _TOL:
        return correct(success)
    percent = 1 < value <= 100
    if percent and abs(value / 100 - expected) <= _TOL:
        return incorrect(
            "That looks like a percentage. Give the accuracy as a fraction between 0 and 1 "
            "(divide by 100), as scikit-learn returns it.",
            "percent_not_fraction",
        )
    candidate = value / 100 if percent else value
    for lazy in [*_cross_validation_misses(name), *extra]:
        if _matches(candidate, lazy):
            tail = " (And give a fraction between 0 and 1, not a percentage.)" if percent else ""
            return incorrect(lazy.message + tail, lazy.mistake)
    if not 0 <= value <= 1:
        return incorrect(
            f"Expected {what}, got {value:.6g}: an accuracy lies between 0 and 1.",
            "out_of_range",
        )
    if abs(value - expected) <= _CLOSE:
        return incorrect(
            "Close, but not these exact folds. Use the notebook's `cv` "
            f"(`{CV_CODE}`) and `random_state=0` in the model; other folds or seeds move "
            "the score by a few tenths of a point - that wobble is the uncertainty of the "
            "estimate.",
            "close",
        )
    return incorrect(wrong, "wrong_value")


# --------------------------------------------------------------------------- q1


def _check_q1(answer: Any) -> Feedback:
    logistic = _Lazy(
        lambda: expected_cv("logistic"),
        "wrong_value",
        "That is the logistic regression's score (from the cells above). Swap the model at "
        "the end of the pipeline for `DecisionTreeClassifier(random_state=0)`.",
    )
    return _check_cv_score(
        answer,
        "tree",
        extra=[logistic],
        wrong="Not the cross-validated accuracy of the tree. Build "
        "`make_pipeline(checkpoints.preprocessor(), DecisionTreeClassifier(random_state=0))`, "
        "score it with `cross_val_score(..., X_train, y_train, cv=cv)` and take the mean.",
        success="The unpruned tree scores well below the logistic regression on visits it "
        "has not seen. Keep this number in mind for the next cell.",
    )


q1 = Exercise(
    NOTEBOOK,
    "q1",
    "Cross-validate a decision tree",
    prompt="Make `tree`: the preparation pipeline (`checkpoints.preprocessor()`) followed by "
    "a `DecisionTreeClassifier(random_state=0)`, and `tree_cv`: its mean accuracy over the "
    "notebook's five folds `cv` on the training rows. A fraction between 0 and 1 (± 0.0005).",
    expects="a number between 0 and 1 (the mean validation accuracy)",
    checker=_check_q1,
    hints=[
        "Do as for the logistic regression above: same pipeline, another model at its end, "
        "and the same folds `cv`.",
        "`make_pipeline(checkpoints.preprocessor(), DecisionTreeClassifier(random_state=0))`, "
        "then `cross_val_score(model, X_train, y_train, cv=cv)` gives five scores.",
        "`tree = make_pipeline(checkpoints.preprocessor(), "
        "DecisionTreeClassifier(random_state=0))` and "
        "`tree_cv = cross_val_score(tree, X_train, y_train, cv=cv).mean()`.",
    ],
    solution="tree = make_pipeline(checkpoints.preprocessor(), "
    "DecisionTreeClassifier(random_state=0))\n"
    "tree_cv = cross_val_score(tree, X_train, y_train, cv=cv).mean()\n"
    "q1.check(tree_cv)",
    explanation="`cross_val_score` refits a copy of the whole pipeline on four folds and "
    "scores it on the fifth, five times; the mean is the estimate for new visits.",
)


# --------------------------------------------------------------------------- q2


def _parts(est: Any, depth: int = 0) -> Iterator[Any]:
    """Every estimator inside ``est``: pipeline steps, ColumnTransformer parts, ..."""
    if depth > 8 or not _is_estimator(est):
        return
    yield est
    children: list[Any] = []
    for attr in ("steps", "transformers", "transformer_list"):
        for item in getattr(est, attr, None) or []:
            if isinstance(item, tuple) and len(item) >= 2:
                children.append(item[1])
    for attr in ("transformers_",):
        for item in getattr(est, attr, None) or []:
            if isinstance(item, tuple) and len(item) >= 2:
                children.append(item[1])
    for child in children:
        yield from _parts(child, depth + 1)


_SCALERS = (
    "StandardScaler",
    "MinMaxScaler",
    "RobustScaler",
    "MaxAbsScaler",
    "Normalizer",
    "QuantileTransformer",
    "PowerTransformer",
    "SplineTransformer",
)


def _knn_structure(model: Any) -> Feedback | None:
    """What is wrong with the learner's k-NN pipeline, if anything."""
    if not _is_estimator(model):
        return incorrect(
            f"`model=` should be your k-NN pipeline (the `knn` you built), got {describe(model)}.",
            "wrong_type",
        )
    steps = getattr(model, "steps", None)
    final = steps[-1][1] if isinstance(steps, list) and steps else model
    before = [s for _, s in steps[:-1]] if isinstance(steps, list) else []
    if type(final).__name__ != "KNeighborsClassifier":
        return incorrect(
            f"The last step of your pipeline is {describe(final)}; this exercise is about "
            "k-nearest neighbours: end the pipeline with `KNeighborsClassifier()`.",
            "wrong_type",
        )
    if getattr(final, "n_neighbors", 5) != 5:
        return incorrect(
            f"Your k-NN uses {final.n_neighbors} neighbours. Keep the default, 5 "
            "(`KNeighborsClassifier()`), so that your score can be compared with the five "
            "families of notebook 04b; choosing the number of neighbours is notebook 05's job.",
            "wrong_value",
        )
    if not before:
        return incorrect(
            "k-NN compares visits by their *distance*, so every input must be a number - but "
            "X_train has text (store, promo) and gaps (NaN). Put the preparation pipeline in "
            "front: `make_pipeline(checkpoints.preprocessor(), KNeighborsClassifier())`.",
            "no_preprocessing",
        )
    names = {type(p).__name__ for s in before for p in _parts(s)}
    if not names & set(_SCALERS):
        return incorrect(
            "Your pipeline has no scaling step, so k-NN adds up differences in raw units: a "
            "few years of age outweigh any difference in price, and the columns with big "
            "numbers alone decide which visits are 'near'. Scale first - "
            "`checkpoints.preprocessor()` ends with a StandardScaler; keep it.",
            "unscaled_features",
        )
    return None


def _check_q2(answer: Any, model: Any) -> Feedback:
    structure = _knn_structure(model)
    if structure is not None:  # also explains a NaN score: the pipeline could not fit
        return structure
    unscaled = _Lazy(
        lambda: expected_cv("knn_unscaled"),
        "unscaled_features",
        "That is the score of k-NN *without* the scaler. The score must come from the "
        "pipeline you pass as `model=`: cross-validate `make_pipeline("
        "checkpoints.preprocessor(), KNeighborsClassifier())`.",
    )
    return _check_cv_score(
        answer,
        "knn",
        extra=[unscaled],
        wrong="Not the cross-validated accuracy of this k-NN. Score the pipeline with "
        "`cross_val_score(knn, X_train, y_train, cv=cv)` and take the mean.",
        success="k-NN with scaled features does far better than the unpruned tree, though "
        "not as well as the logistic regression. The next cells show what scaling is worth.",
    )


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "A k-nearest-neighbours pipeline",
    prompt="Make `knn`: the preparation pipeline (`checkpoints.preprocessor()`) followed by "
    "a `KNeighborsClassifier()` (5 neighbours, the default), and `knn_cv`: its mean "
    "accuracy over the notebook's folds `cv`, a fraction between 0 and 1 (± 0.0005). Check "
    "with `q2.check(knn_cv, model=knn)`.",
    expects="a number between 0 and 1 (the mean validation accuracy)",
    inputs={"model": "your k-NN pipeline, `knn`"},
    checker=_check_q2,
    hints=[
        "Same recipe as the tree: the preparation pipeline, then the model, then "
        "cross-validation with `cv`.",
        "`KNeighborsClassifier` lives in `sklearn.neighbors` (imported above). Put it at the "
        "end of `make_pipeline(checkpoints.preprocessor(), ...)`.",
        "`knn = make_pipeline(checkpoints.preprocessor(), KNeighborsClassifier())` and "
        "`knn_cv = cross_val_score(knn, X_train, y_train, cv=cv).mean()`.",
    ],
    solution="knn = make_pipeline(checkpoints.preprocessor(), KNeighborsClassifier())\n"
    "knn_cv = cross_val_score(knn, X_train, y_train, cv=cv).mean()\n"
    "q2.check(knn_cv, model=knn)",
    explanation="k-NN predicts the majority fruit of the 5 most similar training visits. "
    "'Similar' is a distance, so the inputs must be numbers on comparable scales: the "
    "preparation pipeline imputes, encodes and scales them.",
)


# --------------------------------------------------------------------------- q4

Q4_OPTIONS = {
    "a": "the logistic regression on the raw columns",
    "b": "the decision tree",
    "c": "the logistic regression on the prepared columns",
    "d": "none of them",
}
_Q4_ALIASES = {
    "tree": "b",
    "decision tree": "b",
    "the decision tree": "b",
    "none": "d",
    "none of them": "d",
}


def _check_q4(answer: Any) -> Feedback:
    if isinstance(answer, str):
        key = answer.strip().casefold()
        answer = _Q4_ALIASES.get(key, next((k for k, v in Q4_OPTIONS.items() if v == key), answer))
    return expect_choice(
        answer,
        "b",
        list(Q4_OPTIONS),
        what="one of the letters 'a', 'b', 'c', 'd'",
        explanations={
            "a": (
                "wrong_choice",
                "Its two curves lie close together - it does about as well on new visits as "
                "on the rows it learned from - but both are low, far under the Bayes line. "
                "That is *under*-fitting: the model is too simple for the data (a straight "
                "line in the raw columns cannot follow the U-shape of age or the rush hours). "
                "Over-fitting shows as a wide *gap* between the two curves.",
            ),
            "c": (
                "wrong_choice",
                "Its two curves meet just under the Bayes line: it scores about as well on "
                "new visits as on its training rows, and close to the best possible. That "
                "is a good fit, not over-fitting.",
            ),
            "d": (
                "wrong_choice",
                "Look at the gap between the training curve and the validation curve of each "
                "model. One of them is almost perfect on the rows it learned from and much "
                "worse on visits it has not seen.",
            ),
        },
        success="The unpruned tree is almost perfect on its training rows and far worse on "
        "new visits: it memorised its rows, noise included. Its validation curve still "
        "rises with more rows - more data, or a simpler tree, would help it.",
    )


q4 = Exercise(
    NOTEBOOK,
    "q4",
    "Which model over-fits?",
    prompt="Read the learning curves (the figure or the table above it). Which model "
    "over-fits? (a) the logistic regression on the raw columns, (b) the decision tree, "
    "(c) the logistic regression on the prepared columns, (d) none of them. Answer with "
    "a letter.",
    expects="one of the letters 'a', 'b', 'c', 'd'",
    checker=_check_q4,
    hints=[
        "For each model, compare its two curves: the score on the rows it learned from and "
        "the score on rows it has not seen.",
        "Over-fitting: much better on the training rows than on new rows - a wide gap. "
        "Under-fitting: both curves low and close together.",
        "Which model scores about 0.99 on its training rows but much less in validation?",
    ],
    solution='q4.check("b")',
    explanation="The decision tree over-fits: 0.99 to 1.00 on its training rows at every "
    "size, 0.73 to 0.77 in validation - the widest gap by far. Its validation curve still "
    "climbs, so more rows would help a little; a simpler tree, or many trees averaged (the "
    "random forest), helps far more - notebook 05 tunes exactly that. The raw logistic "
    "regression under-fits: both curves stay near 0.72 from the smallest size to the "
    "largest, so more rows change nothing; only better columns lift it (the same model on "
    "the prepared columns reaches the top of the table). The prepared logistic regression "
    "fits well: both curves high and close, just under the Bayes line.",
)


# --------------------------------------------------------------------------- q5


def _check_q5(answer: Any) -> Feedback:
    what = "a number of accuracy points (e.g. 2.5 for 0.025)"
    if _is_estimator(answer) or isinstance(answer, dict):
        return incorrect(f"Expected {what}, got {describe(answer)}.", "wrong_type")
    value = _as_real(answer, what)
    if isinstance(value, Feedback):
        return value
    if not math.isfinite(value):
        return incorrect(f"Your answer is {describe(answer)}; expected {what}.", "nan")
    d = _data()
    gap = 100 * (d["bayes"] - expected_cv("logistic"))
    tol = 0.05
    if abs(value - gap) <= tol:
        return correct(
            "About one point: the logistic regression on the prepared columns is already "
            "close to the best any model could do on these visits."
        )
    if abs(value - gap / 100) <= tol / 100:
        return incorrect(
            "That is the difference of the two accuracies as a fraction. Give it in "
            "accuracy *points*: multiply by 100 (0.025 is 2.5 points).",
            "fraction_not_percent",
        )
    if abs(value + gap) <= tol or abs(value + gap / 100) <= tol / 100:
        return incorrect(
            "Right size, wrong sign: the model is *below* the Bayes line, so the gap is "
            "Bayes minus the model, a positive number.",
            "wrong_value",
        )
    misses = [
        (
            lambda: 100 * (d["bayes"] - _cv_train_score("logistic")),
            "scored_on_train",
            "That gap uses the logistic regression's score on its *training* rows. Use its "
            "cross-validated (validation) score.",
        ),
        (
            lambda: 100 * (d["bayes"] - _unshuffled("logistic")),
            "unshuffled_folds",
            "That gap uses the score with folds in time order (`cv=5`). Use the notebook's "
            "shuffled folds `cv`, as in the comparison table.",
        ),
        (
            lambda: 100 * (expected_cv("logistic") - d["majority"]),
            "wrong_value",
            "That is the distance to the majority baseline, the line at the *bottom*. The "
            "question asks how far the model is from the Bayes line at the top.",
        ),
    ]
    for value_fn, mistake, message in misses:
        target = value_fn()
        if abs(value - target) <= tol or abs(value - target / 100) <= tol / 100:
            return incorrect(message, mistake)
    if value < 0:
        return incorrect(
            "A negative gap would mean the model beats the Bayes line, which no model can "
            "do on these visits. Compute Bayes minus the model's cross-validated score.",
            "out_of_range",
        )
    if abs(value - gap) <= 0.3:
        return incorrect(
            "Close, but not within ± 0.05 points. Use the unrounded numbers: `bayes` and the "
            "logistic regression's mean validation score.",
            "close",
        )
    return incorrect(
        "Not the gap. Take the Bayes-optimal accuracy (`bayes`), subtract the logistic "
        "regression's cross-validated accuracy, and multiply by 100.",
        "wrong_value",
    )


q5 = Exercise(
    NOTEBOOK,
    "q5",
    "How far from the Bayes line?",
    prompt="How many accuracy points is the logistic regression's cross-validated accuracy "
    "below the Bayes line (`bayes`)? One accuracy point is 0.01 of accuracy: 0.80 against "
    "0.85 is 5 points. Checked to ± 0.05 points.",
    expects="a number of accuracy points",
    checker=_check_q5,
    hints=[
        "Both numbers are already in the notebook: `bayes`, and the logistic regression's "
        "mean validation score.",
        "The comparison table has it: `comparison.loc['logistic regression', 'validation mean']`.",
        "`gap = 100 * (bayes - comparison.loc['logistic regression', 'validation mean'])`.",
    ],
    solution="gap = 100 * (bayes - comparison.loc['logistic regression', 'validation mean'])"
    "\nq5.check(gap)",
    explanation="The Bayes line is the accuracy of the true probabilities on these very "
    "visits; the difference, times 100, is the room left for any model. The three best "
    "families (logistic regression, gradient-boosted trees, random forest) all sit about "
    "one point below it: `(100 * (bayes - comparison['validation mean'].nlargest(3)))` "
    "shows the three gaps.",
)


# --------------------------------------------------------------------------- q3 (build task)

MISTAKES.setdefault(
    "ignored_cv", "the folds passed as `cv` were not used (other folds, or none at all)"
)
MISTAKES.setdefault("only_best", "returned only the best model instead of one row per model")
MISTAKES.setdefault("no_spread", "a mean score without its spread over the folds")
MISTAKES.setdefault(  # the same tag as notebook 05's
    "negated_score", "a scikit-learn score of a loss read without undoing its sign (minus)"
)
MISTAKES.setdefault(
    "accuracy_on_rare_class",
    "accuracy on a rare outcome: always answering 'no' scores as well as any model",
)
MISTAKES.setdefault(
    "shuffled_future", "shuffled folds for a question about the future: past and future mixed"
)

_EXACT = 1e-6  # the same folds give the same scores to many decimals

#: Which split() calls the watched folds saw, by token (a deep copy keeps the token).
_SPLITS_SEEN: dict[str, int] = {}


class WatchedFolds:
    """Folds that note when they are used: wraps a scikit-learn splitter (``cv``).

    ``check_function`` deep-copies each case's inputs, so the copy handed to the learner's
    function reports to the module-level ``_SPLITS_SEEN`` under its ``token``.
    """

    def __init__(self, folds: Any, token: str) -> None:
        self.folds = folds
        self.token = token

    def split(self, X: Any, y: Any = None, groups: Any = None):
        _SPLITS_SEEN[self.token] = _SPLITS_SEEN.get(self.token, 0) + 1
        return self.folds.split(X, y, groups)

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        return self.folds.get_n_splits(X, y, groups)

    def __repr__(self) -> str:
        return repr(self.folds)

    def __eq__(self, other: object) -> bool:  # the mutation check compares by value
        return isinstance(other, WatchedFolds) and (self.token, repr(self)) == (
            other.token,
            repr(other),
        )

    __hash__ = object.__hash__


class _SameSettings:
    """Mixin: models equal when their settings are (``check_function`` compares each input
    before and after the call; a plain scikit-learn model only equals itself)."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and repr(self) == repr(other)

    __hash__ = object.__hash__


@cache
def _compared(cls: type) -> type:
    """``cls`` with :class:`_SameSettings` (same name, so feedback and reprs read as usual)."""
    return type(cls.__name__, (_SameSettings, cls), {"__module__": cls.__module__})


@cache
def _other_world(seed: int, n: int) -> tuple[Any, Any]:
    """``n`` visits of another world (``seed``), oldest first: inputs and label."""
    from course_utils import world

    visits = world.generate(seed=seed, n_visits=n).visits
    visits = visits.sort_values("timestamp", kind="stable").reset_index(drop=True)
    return visits[world.FEATURES], visits[world.TARGET]


def _case_models(names: tuple[str, ...]) -> dict[str, Any]:
    from sklearn.dummy import DummyClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.tree import DecisionTreeClassifier

    from course_utils import checkpoints

    def pipeline(model: Any) -> Any:
        steps = make_pipeline(checkpoints.preprocessor(), model).steps
        return _compared(Pipeline)(steps)

    dummy = _compared(DummyClassifier)
    makers = {
        "always banana": lambda: dummy(strategy="most_frequent"),
        "shares": lambda: dummy(strategy="prior"),
        "logistic": lambda: pipeline(LogisticRegression(max_iter=1000)),
        "small tree": lambda: pipeline(DecisionTreeClassifier(max_depth=3, random_state=0)),
    }
    return {name: makers[name]() for name in names}


def _q3_cases() -> list:
    """Cases the learner has not seen: another world's visits, other folds and scorers."""
    from sklearn.model_selection import KFold, StratifiedKFold, TimeSeriesSplit

    from course_utils.exercises.functions import Case

    X7, y7 = _other_world(7, 900)
    X11, y11 = _other_world(11, 600)
    stratified = StratifiedKFold(n_splits=3, shuffle=True, random_state=1)
    return [
        Case(
            args=(_case_models(("always banana", "logistic", "small tree")), X7, y7),
            kwargs={"cv": WatchedFolds(stratified, "q3-a"), "scoring": "accuracy"},
            label="900 visits of another world (seed 7), three models, 3 shuffled folds, accuracy",
        ),
        Case(
            args=(_case_models(("shares", "logistic")), X7, y7),
            kwargs={
                "cv": WatchedFolds(TimeSeriesSplit(n_splits=4), "q3-b"),
                "scoring": "neg_log_loss",
            },
            label="the same visits in time order, TimeSeriesSplit(n_splits=4), log-loss",
        ),
        Case(
            args=(_case_models(("logistic",)), X11, y11),
            kwargs={"cv": WatchedFolds(KFold(n_splits=2), "q3-c"), "scoring": "roc_auc"},
            label="600 visits of a third world (seed 11), one model, 2 unshuffled folds, AUC",
        ),
        Case(
            args=(
                _case_models(("always banana", "logistic")),
                X11,
                y11,
                WatchedFolds(KFold(n_splits=3, shuffle=True, random_state=2), "q3-e"),
            ),
            label="the third world, folds passed by position and no scoring "
            "(the default, accuracy)",
        ),
    ]


def _case_cv(case) -> WatchedFolds:
    """The folds of a case, passed by keyword or as the fourth argument."""
    return case.kwargs["cv"] if "cv" in case.kwargs else case.args[3]


def _case_scoring(case) -> str:
    """The case's scoring name; the function's default, "accuracy", when none is passed."""
    return case.kwargs.get("scoring", "accuracy")


def _scores(case, how: str) -> dict[str, np.ndarray]:
    """Each model's scores on the case, measured ``how``: as asked, or a typical slip."""
    from sklearn.base import clone
    from sklearn.metrics import get_scorer
    from sklearn.model_selection import cross_validate

    models, X, y = case.args[:3]
    cv, scoring = _case_cv(case).folds, _case_scoring(case)
    scorer = get_scorer(scoring)
    out = {}
    for name, model in models.items():
        if how == "training fit":  # fitted on every row, scored on the same rows
            fitted = clone(model).fit(X, y)
            out[name] = np.array([scorer(fitted, X, y)])
        elif how == "test rows":  # fitted on the case, scored on the notebook's test rows
            d = _data()
            fitted = clone(model).fit(X, y)
            out[name] = np.array([scorer(fitted, d["X_test"], d["y_test"])])
        else:
            result = cross_validate(
                clone(model), X, y, cv=cv, scoring=scoring, return_train_score=True
            )
            out[name] = result["train_score" if how == "fold training rows" else "test_score"]
    return out


def _as_table(result: Any, names: list[str]) -> Any:
    """The learner's result as a DataFrame indexed by model name, or a Feedback."""
    import pandas as pd

    if isinstance(result, pd.Series):
        if len(result) == len(names) and not (set(result.index) - set(names)):
            return incorrect(
                "You returned one number per model - the mean, without its spread. A mean "
                "over a few folds means little without the standard deviation beside it: "
                "return a DataFrame with two columns, `mean` and `std`.",
                "no_spread",
            )
        return incorrect(
            f"Expected a DataFrame with one row per model, got {describe(result)}.",
            "wrong_type",
        )
    if isinstance(result, dict):
        return incorrect(
            "You returned a dict. Turn it into a table: "
            "`pd.DataFrame.from_dict(rows, orient='index')` gives one row per model.",
            "wrong_type",
        )
    if isinstance(result, str) or _is_estimator(result):
        return incorrect(
            f"You returned {describe(result)} - only the best model? Return the whole "
            "table: one row per model, so the reader can see how close the others came.",
            "only_best",
        )
    if not isinstance(result, pd.DataFrame):
        return incorrect(
            f"Expected a DataFrame with one row per model, got {describe(result)}.",
            "wrong_type",
        )
    table = result
    for column in ("model", "name"):
        if column in table.columns and set(table[column]) == set(names):
            table = table.set_index(column)
    if len(names) > 1 and len(table) == 1:
        return incorrect(
            f"Your table has one row, but {len(names)} models were given. Return every "
            "model, not only the best: the differences between them - and their spreads - "
            "are what the comparison is for.",
            "only_best",
        )
    if [str(i) for i in table.index] != names:
        return incorrect(
            f"The rows should be the models' names in the dict's order, {names}; yours are "
            f"{[str(i) for i in table.index][:6]}. Use the dict's keys as the index.",
            "wrong_index",
        )
    if "mean" not in table.columns:
        return incorrect(
            f"Your table has no column `mean` (its columns: {list(table.columns)[:6]}). "
            "Name the two columns `mean` and `std`.",
            "missing_columns",
        )
    if "std" not in table.columns:
        return incorrect(
            "Your table has the mean but no `std` column: a mean without its spread cannot "
            "say whether two models really differ. Add the standard deviation of the fold "
            "scores.",
            "no_spread",
        )
    return table


def _close(a: Any, b: Any) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=0, atol=_EXACT, equal_nan=True))


def _judge_q3(result: Any, case) -> Feedback | None:
    models = case.args[0]
    names = list(models)
    table = _as_table(result, names)
    if isinstance(table, Feedback):
        return table
    try:
        means = table["mean"].astype(float).to_numpy()
        stds = table["std"].astype(float).to_numpy()
    except (TypeError, ValueError):
        return incorrect("The `mean` and `std` columns must hold numbers.", "wrong_dtype")
    scoring = _case_scoring(case)
    sign = -1.0 if scoring.startswith("neg_") else 1.0
    right = _scores(case, "as asked")
    want = np.array([sign * right[n].mean() for n in names])
    if not _close(means, want):
        if sign < 0 and _close(means, -want):
            return incorrect(
                f"Your means are negative: `{scoring}` is a loss that scikit-learn negates "
                "so that 'higher is better' holds for every scorer. Report the loss itself "
                "(flip the sign for scorers named `neg_...`), so a reader sees a log-loss "
                "of 0.6, not -0.6.",
                "negated_score",
            )
        slips = [
            (
                "training fit",
                "scored_on_train",
                "These are the scores of each model fitted on all the rows and scored on the "
                "same rows - no cross-validation. That measures memory: score each model on "
                "folds it did not learn from, `cross_val_score(model, X, y, cv=cv, ...)`.",
            ),
            (
                "fold training rows",
                "scored_on_train",
                "These are the folds' *training* scores (`train_score`): each fold's model "
                "scored on the rows it learned from. Report the validation scores.",
            ),
            (
                "test rows",
                "test_used_for_tuning",
                "These scores come from the notebook's *test* rows. A comparison of models "
                "uses only the rows it is given (`X`, `y`) - the test rows stay locked until "
                "notebook 06.",
            ),
        ]
        for how, tag, message in slips:
            other = _scores(case, how)
            if _close(means, [sign * other[n].mean() for n in names]) or _close(
                means, [other[n].mean() for n in names]
            ):
                return incorrect(message, tag)
        if not _SPLITS_SEEN.get(_case_cv(case).token):
            return incorrect(
                f"Your function never used the folds it was given (`cv` = "
                f"{_case_cv(case)!r}). The caller chooses the folds because they decide "
                "the question the scores answer (time-ordered folds: the months after). "
                "Pass them on: `cross_val_score(model, X, y, cv=cv, scoring=scoring)`.",
                "ignored_cv",
            )
        if scoring != "accuracy":
            accuracy = [_scores_with(case, "accuracy")[n].mean() for n in names]
            if _close(means, accuracy) or _close(means, -np.asarray(accuracy)):
                return incorrect(
                    f"These are accuracies, but the caller asked for `{scoring}`. Pass "
                    "`scoring=scoring` to `cross_val_score`.",
                    "wrong_value",
                )
        return incorrect(
            "The `mean` column is not the mean validation score of each model over the "
            f"folds `cv`, scored with `{scoring}` (expected {np.round(want, 4).tolist()}). "
            "Inside the function, use only its parameters (`models`, `X`, `y`, `cv`, "
            "`scoring`), never the notebook's `X_train` or `cv`: the check passes other data.",
            "wrong_value",
        )
    spreads = [[right[n].std(ddof=d) for n in names] for d in (0, 1)]
    if not any(_close(stds, s) for s in spreads):
        return incorrect(
            "The `mean` column is right, but `std` is not the standard deviation of each "
            "model's fold scores (expected "
            f"{np.round(spreads[0], 4).tolist()}).",
            "wrong_value",
        )
    return None


def _scores_with(case, scoring: str) -> dict[str, np.ndarray]:
    from course_utils.exercises.functions import Case

    other = Case(
        args=case.args[:3], kwargs={"cv": _case_cv(case), "scoring": scoring}, label=case.label
    )
    return _scores(other, "as asked")


Q3_SOLUTION = """def compare_models(models, X, y, cv, scoring="accuracy"):
    rows = {}
    for name, model in models.items():
        scores = cross_val_score(model, X, y, cv=cv, scoring=scoring)
        if scoring.startswith("neg_"):
            scores = -scores  # report the loss itself: positive, lower is better
        rows[name] = {"mean": scores.mean(), "std": scores.std()}
    return pd.DataFrame.from_dict(rows, orient="index")"""


def _check_q3(answer: Any) -> Feedback:
    from course_utils.exercises.functions import check_function

    _SPLITS_SEEN.clear()
    problem = check_function(
        answer,
        _q3_cases(),
        _judge_q3,
        what="`compare_models`",
        params=("models", "X", "y", "cv", "scoring"),
    )
    if problem is not None:
        return problem
    return correct(
        "Your function gave the right table on four sets of visits it had never seen - "
        "other worlds' visits, shuffled, time-ordered and unshuffled folds, accuracy, "
        "log-loss and AUC, folds passed by position and the default scoring. The rest of "
        "the notebook compares models with it."
    )


q3 = Exercise(
    NOTEBOOK,
    "q3",
    "Build it: compare models under cross-validation",
    prompt='Write `compare_models(models, X, y, cv, scoring="accuracy")`. `models` is a dict '
    "name -> unfitted model (or pipeline). Cross-validate each one on `X, y` with exactly "
    "the folds `cv` and the scorer `scoring` given, and return a DataFrame with one row "
    "per model (the dict's keys as index, in order) and two columns: `mean` and `std` of "
    "its validation scores. For a scorer whose name starts with `neg_`, report the loss "
    "itself (a positive number). Checked by running it on visits you have not seen, with "
    "other folds and scorers (± 0.000001).",
    expects="a function",
    checker=_check_q3,
    hints=[
        "Loop over `models.items()`; for each model, the exercises above already showed "
        "the one call that cross-validates it. Collect one row per model, then build the "
        "table at the end.",
        "`cross_val_score(model, X, y, cv=cv, scoring=scoring)` returns one score per fold; "
        '`rows[name] = {"mean": scores.mean(), "std": scores.std()}`; '
        '`pd.DataFrame.from_dict(rows, orient="index")` turns the dict of rows into a '
        "table. For `neg_` scorers, multiply the scores by -1 first.",
        "Eight lines:\n\n```python\n" + Q3_SOLUTION + "\n```",
    ],
    solution=Q3_SOLUTION + "\n\nq3.check(compare_models)",
    explanation="`cross_val_score` refits a fresh copy of each model on all folds but one and "
    "scores it on the fold left out, once per fold, with the folds the caller chose - "
    "they decide which question the score answers (shuffled: known customers; "
    "`TimeSeriesSplit`: the months after). The mean is the estimate, the standard "
    "deviation how much it wobbles from fold to fold: two models whose means differ by "
    "less than that cannot be told apart. scikit-learn negates losses (`neg_log_loss`) so "
    "that every scorer is 'higher is better'; a table for people shows the loss itself. "
    "And the table keeps every model, not only the winner: how close the others came is "
    "part of the answer.",
)


# --------------------------------------------------------------------------- wrap-up of 04a

wrapup_a = Quiz(
    NOTEBOOK,
    "wrapup_a",
    "Wrap-up quiz (04a)",
    questions=[
        Question(
            "Each cross-validated pipeline contains the whole preparation (imputer, encoder, "
            "scaler). Why not fit the preparation once on all the training rows, then "
            "cross-validate the model alone?",
            {
                "a": "It would give the same scores, only faster: one fold more or less "
                "barely moves a median or a scale.",
                "b": "Each validation fold would have helped fit the medians and scales used "
                "on it: a leak that flatters the score.",
                "c": "It would fail: scikit-learn cannot fit an imputer or a scaler on a "
                "plain pandas DataFrame, outside a pipeline.",
            },
            answer="b",
            why={
                "a": "Not the same: a preparation fitted on all rows has seen each "
                "validation fold - its medians and scales include them. Small or not, that "
                "is leakage (notebook 03): the score looks better than it will be on new visits.",
                "b": "Yes. Inside the pipeline, every fold refits the preparation on its "
                "four training folds only, as notebook 03 fitted it on the training rows only.",
                "c": "It can (notebook 03 did). The reason is leakage: the validation fold "
                "must not shape anything the model learns from.",
            },
            revisits="03",
            tag="leakage",
        ),
        Question(
            "The success contract says banana when P(banana) >= 0.75, not 0.5. Why?",
            {
                "a": "About three visits in four end in a banana, so 0.75 simply matches the share "
                "of bananas in the history.",
                "b": "0.75 gives the highest accuracy on the training rows, found by trying "
                "every threshold.",
                "c": "A false banana costs 0.30 €, a false apple 0.10 €: banana pays only "
                "when P >= 0.30 / (0.30 + 0.10).",
            },
            answer="c",
            why={
                "a": "The share of bananas is about 62 %, and it is not what sets the "
                "threshold: the costs of the two errors do (notebook 01).",
                "b": "Accuracy counts both errors alike and is highest near 0.5 for honest "
                "probabilities. The contract weighs the errors by what they cost "
                "(notebook 01), and fixed 0.75 before any model existed.",
                "c": "Yes: banana costs (1 - p) x 0.30 € in expectation, apple p x 0.10 €; "
                "banana is cheaper when p >= 0.75.",
            },
            revisits="01",
            tag="accuracy_with_skewed_costs",
        ),
        Question(
            "An unpruned decision tree scores 0.997 on the rows it was fitted on. What does "
            "that number measure?",
            {
                "a": "Mostly memory: the tree learned its training visits by heart; it says "
                "little about new visits.",
                "b": "That the tree is the best model of the notebook: no other model comes "
                "anywhere close on these rows.",
                "c": "A bug: no model can beat the Bayes line, so the tree must have seen "
                "the labels as a column.",
            },
            answer="a",
            why={
                "a": "Yes. Only a score on rows the model did not learn from - validation "
                "folds, later the test rows - estimates how it will do on new visits.",
                "b": "On visits it has not seen, it is the weakest of the real models. A "
                "score on the training rows cannot rank models.",
                "c": "No model can beat the Bayes line on *new* visits. On its own training "
                "rows a model can pass it by memorising them - that is why such a score misleads.",
            },
            tag="scored_on_train",
        ),
        Question(
            "On the same five folds, model A scores 0.841 ± 0.007 and model B 0.838 ± 0.008. "
            "What can you conclude?",
            {
                "a": "A is better: both met the same folds, so a higher mean on them is a "
                "fair win.",
                "b": "Not yet: on shared folds, the yardstick is how steady the fold-by-fold "
                "gap A - B is.",
                "c": "They are surely tied: the gap, 0.003, is smaller than each model's "
                "own spread over the folds.",
            },
            answer="b",
            why={
                "a": "A mean alone hides how much the comparison wobbles: a gap of 0.003 "
                "could come from the folds, not the models. Look at the gap fold by fold "
                "before naming a winner.",
                "b": "Yes. An easy fold lifts both scores, so much of each ± is shared, and "
                "the two ± say little about the gap. Its own wobble is the spread of the "
                "five differences A - B: a gap with the same sign on every fold points to a "
                "real difference, one that flips sign does not (scikit-learn's example "
                "'Statistical comparison of models using grid search' does this properly).",
                "c": "Smaller than each ± does not make them equal: on the same folds an "
                "easy fold lifts both scores, so each ± mostly measures the folds. Compare "
                "the five differences A - B: if A wins on every fold, the gap is steady.",
            },
            tag="no_spread",
        ),
        Question(
            "Why does k-nearest neighbours need the scaler, while a decision tree would not care?",
            {
                "a": "k-NN adds up differences across all columns, so big units drown the "
                "rest; a tree splits one column at a time.",
                "b": "The scaler also fills in the missing values, and k-NN, unlike a tree, "
                "cannot handle a gap in a column.",
                "c": "Scaling makes every model more accurate; a tree would gain from it "
                "too, only the notebook skipped it.",
            },
            answer="a",
            why={
                "a": "Yes. Scaling puts every column on the same footing (a standard "
                "deviation of 1), so each counts in the distance.",
                "b": "The imputer fills the gaps, before the scaler. Scaling is about "
                "units: years of age against ratios of prices.",
                "c": "A tree gives the same answers with or without it; scaling matters for "
                "models built on distances or on weighted sums.",
            },
            tag="unscaled_features",
        ),
    ],
)


# --------------------------------------------------------------------------- q6 (transfer)

BACK_NAMES = ["always no", "logistic regression"]
_SCORE_NAMES = {"roc_auc": "ROC AUC", "average_precision": "average precision"}


@cache
def _back_data() -> tuple[Any, np.ndarray]:
    """The training rows oldest first, and whether each visit's customer came back within a
    week - as the notebook builds them."""
    import pandas as pd

    from course_utils import checkpoints

    train, _ = checkpoints.split()
    by_time = train.sort_values("timestamp", kind="stable")
    history = checkpoints.clean_history().sort_values("timestamp", kind="stable")
    next_visit = history.groupby("customer_id")["timestamp"].shift(-1)
    returns = pd.Series(
        (next_visit - history["timestamp"] <= pd.Timedelta(days=7)).to_numpy(),
        index=history["visit_id"].to_numpy(),
    )
    return checkpoints.xy(by_time)[0], returns.loc[by_time["visit_id"]].to_numpy()


@cache
def _back_table(folds: str, scoring: str) -> Any:
    """``compare_models`` on the new question with the notebook's two models."""
    from sklearn.dummy import DummyClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, TimeSeriesSplit
    from sklearn.pipeline import make_pipeline

    from course_utils import checkpoints

    cv = {
        "time": TimeSeriesSplit(n_splits=5),
        "shuffled": StratifiedKFold(n_splits=5, shuffle=True, random_state=0),
        "in order": 5,
    }[folds]
    models = {
        "always no": DummyClassifier(strategy="most_frequent"),
        "logistic regression": make_pipeline(
            checkpoints.preprocessor(), LogisticRegression(max_iter=1000)
        ),
    }
    X, y = _back_data()
    return checkpoints.compare_models(models, X, y, cv, scoring)


def _same_table(table: Any, reference: Any) -> bool:
    return _close(table["mean"], reference["mean"]) and any(
        _close(table["std"], reference["std"] * f) for f in (1.0, np.sqrt(5 / 4))
    )


def _check_q6(answer: Any, beats_baseline: Any) -> Feedback:
    table = _as_table(answer, BACK_NAMES)
    if isinstance(table, Feedback):
        return table
    try:
        table = table.astype({"mean": float, "std": float})
    except (TypeError, ValueError):
        return incorrect("The `mean` and `std` columns must hold numbers.", "wrong_dtype")
    chosen = next(
        (s for s in ("roc_auc", "average_precision") if _same_table(table, _back_table("time", s))),
        None,
    )
    if chosen is None:
        for folds in ("time", "shuffled", "in order"):
            if _close(table["mean"], _back_table(folds, "accuracy")["mean"]):
                return incorrect(
                    "That table is by accuracy. Only about one visit in eight is followed by "
                    "another within a week, so 'always no' is right 87 % of the time and "
                    "accuracy cannot tell a model that ranks customers well from one that "
                    'knows nothing. Use a score of ranking: `scoring="roc_auc"` (or '
                    '`"average_precision"`).',
                    "accuracy_on_rare_class",
                )
        for scoring in ("roc_auc", "average_precision"):
            if _close(table["mean"], _back_table("shuffled", scoring)["mean"]):
                return incorrect(
                    "Right score, but shuffled folds: every fold then learns from visits "
                    "that come *after* the ones it is judged on - and the label itself looks "
                    "a week ahead. The voucher is for customers met from now on: use "
                    "time-ordered folds, `cv=TimeSeriesSplit(n_splits=5)` on `X_time`.",
                    "shuffled_future",
                )
            if _close(table["mean"], _back_table("in order", scoring)["mean"]):
                return incorrect(
                    "Right score, but `cv=5`: stratified folds in time order, each judged by "
                    "a model that learned from the months before *and after* it. For a "
                    "question about the future, learn from the past only: "
                    "`cv=TimeSeriesSplit(n_splits=5)`.",
                    "unshuffled_folds",
                )
        return incorrect(
            "Not the table of the two models on `X_time, y_back` with time-ordered folds "
            '(`TimeSeriesSplit(n_splits=5)`) and a ranking score (`"roc_auc"` or '
            '`"average_precision"`). Check the rows you passed: `X_time` and `y_back` '
            "are both in time order.",
            "wrong_value",
        )
    if beats_baseline is Ellipsis:
        return not_attempted("Your table is right. Now decide: `beats_baseline = True` or `False`.")
    if not isinstance(beats_baseline, bool | np.bool_):
        return incorrect(
            f"`beats_baseline` should be True or False, got {describe(beats_baseline)}.",
            "wrong_type",
        )
    ref = _back_table("time", chosen)
    gain = ref.loc["logistic regression", "mean"] - ref.loc["always no", "mean"]
    expected = bool(gain > ref.loc["logistic regression", "std"])
    if bool(beats_baseline) != expected:
        return incorrect(
            "Your table is right; read it again. Compare the gap between the two means with "
            "the logistic regression's spread from fold to fold: "
            + (
                "the gap is several times wider, so the ranking is no accident of the folds."
                if expected
                else "the gap is within it, so the folds could explain it."
            ),
            "wrong_choice",
        )
    return correct(
        f"With time-ordered folds, the logistic regression's {_SCORE_NAMES[chosen]} is "
        f"{ref.loc['logistic regression', 'mean']:.3f} ± "
        f"{ref.loc['logistic regression', 'std']:.3f} against "
        f"{ref.loc['always no', 'mean']:.3f} for 'always no': a modest but real signal, "
        "which accuracy would have hidden."
    )


q6 = Exercise(
    NOTEBOOK,
    "q6",
    "Transfer: will this customer come back within a week?",
    prompt="Make `back_table = compare_models(back_models, X_time, y_back, cv=..., "
    "scoring=...)` with the folds and the score that fit the question (customers met from "
    "now on; a rare outcome), then `beats_baseline`: True if the logistic regression's "
    "mean beats the baseline's by more than its own spread over the folds, else False "
    "(with ROC AUC the baseline scores exactly 0.5 on every fold, so the logistic "
    "regression's spread is also the spread of the fold-by-fold gaps). "
    "Check with `q6.check(back_table, beats_baseline=beats_baseline)`.",
    expects="the DataFrame returned by `compare_models`",
    inputs={"beats_baseline": "True or False: your decision"},
    checker=_check_q6,
    hints=[
        "Two choices: which folds ask about the *months after* (section 'Three questions, "
        "three kinds of folds'), and which score is not fooled by 'always no' being right "
        "87 % of the time.",
        "`cv=TimeSeriesSplit(n_splits=5)` (the rows `X_time`, `y_back` are in time order) "
        'and `scoring="roc_auc"` - or `"average_precision"`.',
        "`back_table = compare_models(back_models, X_time, y_back, "
        'cv=TimeSeriesSplit(n_splits=5), scoring="roc_auc")`; then compare the gap '
        "between the two means with the logistic regression's `std`.",
    ],
    solution="back_table = compare_models(back_models, X_time, y_back, "
    'cv=TimeSeriesSplit(n_splits=5), scoring="roc_auc")\nbeats_baseline = True\n'
    "q6.check(back_table, beats_baseline=beats_baseline)",
    explanation="The method carries over; the choices change with the question. A rare "
    "outcome needs a score that ranks (ROC AUC or average precision), not accuracy, which "
    "'always no' already maximises. A question about customers met from now on needs folds "
    "that learn from the past only. And the decision reads the gap against the spread of "
    "the fold-by-fold gaps - with ROC AUC, the logistic regression's own spread, since "
    "'always no' ranks nothing and scores 0.5 on every fold: a gap several times that "
    "spread is a real signal.",
)


# --------------------------------------------------------------------------- wrap-up of 04b

wrapup_b = Quiz(
    NOTEBOOK,
    "wrapup_b",
    "Wrap-up quiz (04b)",
    questions=[
        Question(
            "The model will be used on the visits of the months to come. Which folds "
            "estimate how it will do there?",
            {
                "a": "Shuffled, stratified folds (`StratifiedKFold(shuffle=True)`), like the "
                "random test split.",
                "b": "Folds grouped by customer (`GroupKFold`), so that no customer is on "
                "both sides.",
                "c": "Time-ordered folds (`TimeSeriesSplit`) on the rows sorted by time.",
            },
            answer="c",
            why={
                "a": "Shuffled folds mix every month into both sides: each fold is judged "
                "by a model that has seen its future. They answer 'known customers, same year'.",
                "b": "Grouped folds answer 'new customers': each customer sits on one side. "
                "The months are still mixed.",
                "c": "Yes: each fold learns from the past only and is judged on what comes "
                "next, as deployment will be.",
            },
            tag="shuffled_future",
        ),
        Question(
            "A learning curve: the training score stays near 1.00 at every size, the "
            "validation score sits far lower (0.73 to 0.77) and still climbs. What is it, "
            "and what helps?",
            {
                "a": "Under-fitting: the validation score is low, so better features or a "
                "more flexible model.",
                "b": "Over-fitting: more rows, a simpler model, or many models averaged.",
                "c": "A good fit: a training score near 1.00 shows the model has learned "
                "all there is.",
            },
            answer="b",
            why={
                "a": "Under-fitting shows as two *low* curves close together. Here the "
                "training curve is almost perfect: the gap is the sign.",
                "b": "Yes: the model memorises its rows (the unpruned tree). More rows "
                "narrow the gap; a simpler tree or a forest narrows it more.",
                "c": "A good fit has both curves high and close. A gap of more than 0.2 is "
                "memory, not learning.",
            },
            tag="wrong_choice",
        ),
        Question(
            "Notebook 02 gave each scan the temperature of the last sensor reading *at or "
            "before* the scan, not the nearest reading. Why?",
            {
                "a": "A later reading was not yet known when the prediction is made: using "
                "it would leak the future.",
                "b": "The last reading before is never missing, while the nearest one can "
                "fall after closing time.",
                "c": "Readings taken after a scan are in Fahrenheit and would need "
                "converting before the merge.",
            },
            answer="a",
            why={
                "a": "Yes: an input must be what was known when the prediction is made "
                "(point-in-time correctness) - the same reason the folds of a question "
                "about the future must look forward.",
                "b": "Gaps are not the point: a later reading is information the shop "
                "would not have at the till, however close it is.",
                "c": "The unit depends on the store (Riverside), not on the time. The reason "
                "is what was known when.",
            },
            revisits="02",
            tag="leakage",
        ),
        Question(
            "Only 13 % of visits are followed by another within a week. A model's accuracy "
            "on that question is 0.87. What does that tell you?",
            {
                "a": "The model is good: 87 % of its answers are right, far above the 50 % "
                "of a coin toss.",
                "b": "Nothing yet: 'always no' scores 0.87 too; a ranking score (ROC AUC) "
                "can tell.",
                "c": "The model over-fits: a score this high on a rare outcome means it "
                "memorised its rows.",
            },
            answer="b",
            why={
                "a": "On a rare outcome, answering 'no' every time is right 87 % of the "
                "time. Accuracy cannot separate a useful model from that baseline.",
                "b": "Yes: compare with the baseline, and use a score that rewards ranking "
                "the returning visits first (ROC AUC, average precision).",
                "c": "One score on its own says nothing about over-fitting: that needs the "
                "training score next to the validation score.",
            },
            tag="accuracy_on_rare_class",
        ),
        Question(
            "Which rows may you use to choose between the five families?",
            {
                "a": "The test rows: never used in training, they are the most honest judge "
                "of each family.",
                "b": "All rows, training and test together, by cross-validation: more rows, "
                "steadier scores.",
                "c": "The training rows only, by cross-validation; the test rows wait for "
                "notebook 06.",
            },
            answer="c",
            why={
                "a": "A model chosen because it scored well on the test rows makes their "
                "score optimistic: the test has then been used to choose.",
                "b": "Pooling puts the test rows into the choice as well: the final test "
                "would no longer be on unseen visits.",
                "c": "Yes: notebook 03 split the history once; every choice is made on the "
                "training rows, and the test rows judge the final model once.",
            },
            revisits="03",
            tag="test_used_for_tuning",
        ),
        Question(
            "On their own training rows, the tree scores 0.998, the forest 0.876 and the "
            "logistic regression 0.841. What does that ranking tell you?",
            {
                "a": "Nothing about new visits: cross-validated, the order is reversed.",
                "b": "The tree is the best model: it fits the visits most closely, so it "
                "will predict best.",
                "c": "The logistic regression under-fits: 0.841 on its own rows is low.",
            },
            answer="a",
            why={
                "a": "Yes: training scores reward memory. Only validation scores rank "
                "models for visits they have not seen.",
                "b": "The tree is the weakest real model on visits it has not seen: it "
                "memorised its rows.",
                "c": "It scores about the same on new visits, close to the Bayes line: a "
                "good fit, not under-fitting.",
            },
            tag="scored_on_train",
        ),
    ],
)
