"""Detectors of classic ML misconceptions, for the exercise checks of later notebooks.

Each detector is a plain function that returns a :class:`~course_utils.exercises.Feedback`
naming the misconception (with a ``mistake`` tag) or ``None`` when it finds none:

* :func:`fitted_on_test_rows` - a scaler, encoder, imputer or model fitted on rows that
  include the test set (``"leakage"``), or on the test rows alone (``"fitted_on_test"``);
* :func:`scored_on_training_rows` - a score measured on the rows the model learned from
  (``"scored_on_train"``);
* :func:`test_used_for_tuning` - a hyperparameter search run on data that includes the
  test rows (``"test_used_for_tuning"``);
* :func:`accuracy_with_skewed_costs` - accuracy chosen although one error costs far more
  than the other (``"accuracy_with_skewed_costs"``).

The ``expect_*`` functions at the end are ready-made *checkers* for exercises: they always
return a Feedback (correct or not). Imports run one way: this module builds on the
exercise building blocks of :mod:`course_utils.exercises`, never the other way round.
None of these functions raises on odd input.

The comparison behind the first three: refit a clone of the learner's estimator on
``X_train``, on ``X_train + X_test`` and on ``X_test``, and see which one the learner's
fitted state (means, categories, coefficients, ...) and outputs match. Estimators that
are random without a fixed ``random_state`` can't be matched: the detectors then stay
silent (``None``).
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Collection
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercises.describe import _is_estimator, _is_fitted, _is_missing, describe
from course_utils.exercises.expect import _as_real
from course_utils.exercises.feedback import Feedback, answer_problem, correct, incorrect

__all__ = [
    "accuracy_with_skewed_costs",
    "expect_cost_aware_metric",
    "expect_fitted_on_train_only",
    "expect_score_on_test",
    "expect_tuned_on_train_only",
    "fitted_on_test_rows",
    "scored_on_training_rows",
    "test_used_for_tuning",
]

# --------------------------------------------------------------------------- helpers

_TINY = 1e-9
_MARGIN = 0.1  # a match must be at least 10x closer than the alternative
_PROBE_ROWS = 200
_SKIP_STATE = {"n_iter_", "feature_names_in_", "n_features_in_"}


def _display_name(estimator: Any, what: str | None) -> str:
    """ "Your StandardScaler" or, with ``what="the scaler"``, "The scaler"."""
    if what:
        return what[:1].upper() + what[1:]
    return f"Your {type(estimator).__name__}"


def _is_model(estimator: Any) -> bool:
    return any(hasattr(estimator, m) for m in ("predict", "predict_proba"))


def _needs_y(estimator: Any) -> bool:
    from sklearn.base import is_classifier, is_regressor

    try:
        return bool(is_classifier(estimator) or is_regressor(estimator))
    except Exception:
        return False


def _not_fitted(estimator: Any, what: str | None) -> Feedback:
    return incorrect(
        f"{_display_name(estimator, what)} is not fitted yet: call `.fit(X_train)` "
        "(or `.fit(X_train, y_train)` for a model) first, then check again.",
        "not_fitted",
    )


def _n_rows(X: Any) -> int:
    return int(X.shape[0]) if hasattr(X, "shape") else len(X)


def _concat(a: Any, b: Any) -> Any:
    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        return pd.concat([a, b])
    if isinstance(a, pd.Series) and isinstance(b, pd.Series):
        return pd.concat([a, b])
    return np.concatenate([np.asarray(a), np.asarray(b)])


def _head(X: Any, n: int) -> Any:
    return X.iloc[:n] if isinstance(X, pd.DataFrame | pd.Series) else np.asarray(X)[:n]


def _collect(out: dict[str, Any], key: str, value: Any, depth: int) -> None:
    if depth > 6:
        return
    if _is_estimator(value):
        out.update(_state(value, key + ".", depth + 1))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _collect(out, f"{key}[{i}]", item, depth + 1)
    elif isinstance(value, np.ndarray):
        if value.dtype.kind in "biuf":
            out[key] = value.astype(float)
        elif value.dtype.kind in "OUS":
            out[key] = (value.shape, tuple(str(x) for x in value.ravel()))
    elif isinstance(value, bool | str):
        out[key] = value
    elif isinstance(value, numbers.Real):
        out[key] = float(value)


def _state(estimator: Any, prefix: str = "", depth: int = 0) -> dict[str, Any]:
    """The learned state of a fitted estimator: its ``name_`` attributes, recursively."""
    out: dict[str, Any] = {}
    for key, value in vars(estimator).items():
        if key.startswith("_") or not key.endswith("_") or key in _SKIP_STATE:
            continue
        _collect(out, prefix + key, value, depth)
    try:
        params = estimator.get_params(deep=False)
    except Exception:
        params = {}
    for key, value in params.items():  # Pipeline.steps, FeatureUnion.transformer_list
        if isinstance(value, list):
            for item in value:
                if isinstance(item, tuple) and len(item) >= 2 and _is_estimator(item[1]):
                    out.update(_state(item[1], f"{prefix}{key}.{item[0]}.", depth + 1))
    return out


def _output(estimator: Any, probe: Any) -> np.ndarray | None:
    for method in ("transform", "predict_proba", "decision_function"):
        if hasattr(estimator, method):
            try:
                result = getattr(estimator, method)(probe)
                if hasattr(result, "toarray"):
                    result = result.toarray()
                return np.asarray(result, dtype=float)
            except Exception:
                return None
    return None


def _array_distance(a: np.ndarray, b: np.ndarray) -> float:
    if a.shape != b.shape:
        return 1.0
    fa, fb = np.isfinite(a), np.isfinite(b)
    if (fa != fb).any() or not np.array_equal(a[~fa], b[~fb], equal_nan=True):
        return 1.0
    a, b = a[fa], b[fb]
    if a.size == 0:
        return 0.0
    scale = max(float(np.abs(a).max()), float(np.abs(b).max()))
    rel = np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-3 * scale + 1e-12)
    return float(min(rel.max(), 1.0))


def _distance(s1: dict[str, Any], s2: dict[str, Any]) -> float:
    keys = s1.keys() & s2.keys()
    if not keys:
        return math.inf
    worst = 0.0
    for key in keys:
        a, b = s1[key], s2[key]
        if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
            d = _array_distance(a, b)
        elif isinstance(a, float) and isinstance(b, float):
            d = _array_distance(np.array([a]), np.array([b]))
        else:
            d = 0.0 if (type(a) is type(b) and a == b) else 1.0
        worst = max(worst, d)
    return worst


def _fingerprint(estimator: Any, probe: Any) -> dict[str, Any]:
    state = _state(estimator)
    out = _output(estimator, probe)
    if out is not None:
        state["<output>"] = out
    return state


def _fit_verdict(
    estimator: Any, X_train: Any, X_test: Any, y_train: Any, y_test: Any, what: str | None
) -> tuple[str, Feedback | None]:
    """Which rows was ``estimator`` fitted on? ("train", "all", "test" or "unknown").

    Also returns a Feedback for problems that stop the comparison ("not_fitted",
    "wrong_type", "missing_input", "columns").
    """
    from sklearn.base import clone

    name = _display_name(estimator, what)
    if not _is_estimator(estimator):
        return "wrong_type", incorrect(
            f"Expected a scikit-learn estimator (e.g. a StandardScaler or a Pipeline), "
            f"got {describe(estimator)}.",
            "wrong_type",
        )
    if _is_fitted(estimator) is False:
        return "not_fitted", _not_fitted(estimator, what)
    if _is_missing(X_train) or _is_missing(X_test):
        return "missing_input", incorrect(
            "This check needs the training and the test rows: X_train and X_test.",
            "missing_input",
        )
    supervised = not _is_missing(y_train)
    if _needs_y(estimator) and (not supervised or _is_missing(y_test)):
        return "missing_input", incorrect(
            "To check a model this needs the labels too: y_train and y_test.", "missing_input"
        )
    n_features = getattr(estimator, "n_features_in_", None)
    if isinstance(n_features, numbers.Integral) and getattr(X_train, "ndim", 2) == 2:
        n_cols = np.shape(X_train)[1]
        if n_features != n_cols:
            return "columns", incorrect(
                f"{name} was fitted on {n_features} column(s), but X_train has {n_cols}. "
                "Fit it on X_train itself.",
                "wrong_shape",
            )
    names = getattr(estimator, "feature_names_in_", None)
    if names is not None and isinstance(X_train, pd.DataFrame):
        if [str(c) for c in names] != [str(c) for c in X_train.columns]:
            return "columns", incorrect(
                f"{name} was fitted on other columns than those of X_train. "
                "Fit it on X_train itself.",
                "wrong_column",
            )
    n_train, n_test = _n_rows(X_train), _n_rows(X_test)
    seen = getattr(estimator, "n_samples_seen_", None)
    if isinstance(seen, numbers.Integral) and n_test > 0 and seen == n_train + n_test:
        return "all", None

    candidates = {
        "train": (X_train, y_train),
        "all": (_concat(X_train, X_test), _concat(y_train, y_test) if supervised else None),
        "test": (X_test, y_test),
    }
    probe = _head(X_train, _PROBE_ROWS)
    mine = _fingerprint(estimator, probe)
    dist: dict[str, float] = {}
    for key, (X, y) in candidates.items():
        try:
            twin = clone(estimator)
            twin.fit(X, y) if supervised else twin.fit(X)
            dist[key] = _distance(mine, _fingerprint(twin, probe))
        except Exception:
            dist[key] = math.inf
    if dist["train"] <= _TINY:
        return "train", None
    best = min(dist, key=lambda k: dist[k])
    others = [d for k, d in dist.items() if k != best]
    if math.isfinite(dist[best]) and (
        dist[best] <= _TINY or all(dist[best] <= _MARGIN * d for d in others)
    ):
        return best, None
    return "unknown", None


def _leak_feedback(estimator: Any, verdict: str, what: str | None) -> Feedback | None:
    name = _display_name(estimator, what)
    if verdict == "all":
        if _is_model(estimator):
            return incorrect(
                f"{name} was fitted on the training rows *and* the test rows (leakage): it "
                "has already seen the test set, so its test score will look better than it "
                "really is. Fit it on X_train, y_train only; keep X_test for the final score.",
                "leakage",
            )
        return incorrect(
            f"{name} was fitted on the training rows *and* the test rows (leakage): what it "
            "learned (means, categories, ...) already contains the test set. Fit it on "
            "X_train only - `.fit(X_train)` - then use it to transform X_test.",
            "leakage",
        )
    if verdict == "test":
        return incorrect(
            f"{name} was fitted on the test rows. Fit it on X_train (the training rows); "
            "the test rows are kept for the final check only.",
            "fitted_on_test",
        )
    return None


def _quiet(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


# --------------------------------------------------------------------------- detectors


def fitted_on_test_rows(
    estimator: Any,
    X_train: Any,
    X_test: Any,
    *,
    y_train: Any = None,
    y_test: Any = None,
    what: str | None = None,
) -> Feedback | None:
    """Spot a transformer or model fitted on rows that include the test set (leakage).

    Works for any deterministic scikit-learn estimator: scalers, imputers, encoders,
    ColumnTransformer, Pipeline (a Pipeline ending in a model needs ``y_train`` and
    ``y_test``). Returns a Feedback tagged ``"leakage"`` (fitted on train + test),
    ``"fitted_on_test"`` (on the test rows only) or ``"not_fitted"``; ``None`` when it was
    fitted on the training rows or nothing can be concluded (e.g. an encoder whose
    categories are the same either way - then the leak has no effect). ``what`` names the
    object in messages ("the scaler").

    >>> import pandas as pd
    >>> from sklearn.preprocessing import StandardScaler
    >>> X_train = pd.DataFrame({"age": [20, 30, 40, 50]})
    >>> X_test = pd.DataFrame({"age": [90, 80]})
    >>> leaky = StandardScaler().fit(pd.concat([X_train, X_test]))
    >>> fitted_on_test_rows(leaky, X_train, X_test).mistake
    'leakage'
    >>> fitted_on_test_rows(StandardScaler().fit(X_train), X_train, X_test) is None
    True
    """
    try:
        verdict, problem = _quiet(_fit_verdict, estimator, X_train, X_test, y_train, y_test, what)
    except Exception:
        return None
    if verdict in ("not_fitted", "wrong_type", "missing_input"):
        return problem
    return _leak_feedback(estimator, verdict, what)


def _score(estimator: Any, X: Any, y: Any, scoring: str | Callable[..., float] | None) -> float:
    if scoring is None:
        return float(estimator.score(X, y))
    if callable(scoring):
        return float(scoring(estimator, X, y))
    from sklearn.metrics import get_scorer

    return float(get_scorer(scoring)(estimator, X, y))


def _close(score: float, reference: float, tol: float) -> bool:
    return abs(score - reference) <= tol or (
        score > 1.0 and abs(score / 100 - reference) <= tol  # a percentage
    )


def scored_on_training_rows(
    score: Any,
    estimator: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any = None,
    y_test: Any = None,
    *,
    scoring: str | Callable[..., float] | None = None,
    tol: float = 0.0005,
) -> Feedback | None:
    """Spot a reported ``score`` that is the training-set score, not the held-out one.

    ``scoring`` is a scikit-learn scorer name (``"accuracy"``, ``"roc_auc"`` ...) or
    callable ``(estimator, X, y)``; default ``estimator.score``. A score given as a
    percentage is recognised too. Returns a Feedback tagged ``"scored_on_train"`` (or
    ``"not_fitted"``) or ``None`` - also when train and test scores are too close to tell.

    >>> import numpy as np
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(200, 3)), rng.integers(0, 2, 200)
    >>> tree = DecisionTreeClassifier(random_state=0).fit(X[:150], y[:150])
    >>> train_score = tree.score(X[:150], y[:150])
    >>> scored_on_training_rows(train_score, tree, X[:150], y[:150], X[150:], y[150:]).mistake
    'scored_on_train'
    """
    try:
        if not _is_estimator(estimator):
            return None
        if _is_fitted(estimator) is False:
            return _not_fitted(estimator, None)
        value = _as_real(score, "a score")
        if isinstance(value, Feedback) or not math.isfinite(value):
            return None
        train_score = _quiet(_score, estimator, X_train, y_train, scoring)
        if not _close(value, train_score, tol):
            return None
        if not _is_missing(X_test) and not _is_missing(y_test):
            test_score = _quiet(_score, estimator, X_test, y_test, scoring)
            if _close(value, test_score, tol):
                return None  # train and test scores agree: can't tell
    except Exception:
        return None
    return incorrect(
        "This is the score on the training rows - the rows the model learned from, so it "
        "looks better than the model will do on new visits. Score it on the held-out rows "
        "instead: `model.score(X_test, y_test)` (or cross-validation on the training rows).",
        "scored_on_train",
    )


def test_used_for_tuning(
    search: Any, X_train: Any, y_train: Any, X_test: Any, y_test: Any
) -> Feedback | None:
    """Spot a GridSearchCV/RandomizedSearchCV that was run on data including the test rows.

    Compares the search's refitted ``best_estimator_`` with refits of the same settings
    on the training rows, on train + test and on the test rows. Returns a Feedback tagged
    ``"test_used_for_tuning"`` (or ``"not_fitted"``), or ``None`` (run on the training
    rows, or nothing to compare: ``refit=False``).

    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(300, 3)), rng.integers(0, 2, 300)
    >>> grid = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=3)
    >>> _ = grid.fit(X, y)  # all rows: the test rows X[240:] too
    >>> test_used_for_tuning(grid, X[:240], y[:240], X[240:], y[240:]).mistake
    'test_used_for_tuning'
    """
    try:
        if not _is_estimator(search):
            return None
        if _is_fitted(search) is False:
            return _not_fitted(search, "the search")
        best = getattr(search, "best_estimator_", None)
        if best is None:
            return None
        verdict, problem = _quiet(_fit_verdict, best, X_train, X_test, y_train, y_test, None)
    except Exception:
        return None
    if verdict in ("all", "test"):
        rows = "rows that include the test set" if verdict == "all" else "the test rows"
        return incorrect(
            f"Your search was run on {rows}: the hyperparameters were picked while looking "
            "at the test set, so the final test score is no longer an honest estimate. Run "
            "the search on X_train, y_train only (its cross-validation makes the validation "
            "folds); use X_test once, at the very end.",
            "test_used_for_tuning",
        )
    if verdict == "missing_input":
        return problem
    return None


_ACCURACY_NAMES = {"accuracy", "acc", "accuracy_score", "percent_correct", "correct_rate"}


def _metric_name(metric: Any) -> str | None:
    if isinstance(metric, str):
        return metric.strip().casefold().replace("-", "_").replace(" ", "_")
    func = getattr(metric, "_score_func", metric)  # a scorer object wraps the function
    name = getattr(func, "__name__", None)
    return name.casefold() if isinstance(name, str) else None


def _cost(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        return None
    value = float(x)
    return value if math.isfinite(value) and value >= 0 else None


test_used_for_tuning.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def accuracy_with_skewed_costs(
    metric_name: Any,
    cost_false_positive: float,
    cost_false_negative: float,
    ratio: float = 3.0,
) -> Feedback | None:
    """Spot accuracy chosen when one kind of error costs at least ``ratio`` times the other.

    ``metric_name`` is a name ("accuracy", "acc", "recall" ...) or a metric function.
    Returns a Feedback tagged ``"accuracy_with_skewed_costs"`` or ``None``.

    >>> accuracy_with_skewed_costs("accuracy", 1.0, 5.0).mistake
    'accuracy_with_skewed_costs'
    >>> accuracy_with_skewed_costs("recall", 1.0, 5.0) is None
    True
    """
    name = _metric_name(metric_name)
    if name not in _ACCURACY_NAMES:
        return None
    fp, fn = _cost(cost_false_positive), _cost(cost_false_negative)
    if fp is None or fn is None or max(fp, fn) == 0:
        return None
    low, high = min(fp, fn), max(fp, fn)
    if low > 0 and high / low < ratio * (1 - 1e-9):  # 0.30 / 0.10 is 2.9999999999999996
        return None
    if fn >= fp:
        costly, alone = "a false negative (a missed positive)", "recall"
    else:
        costly, alone = "a false positive (a false alarm)", "precision"
    times = (
        f"costs {high / low:.3g} times as much as the other kind"
        if low > 0
        else "costs something while the other kind costs nothing"
    )
    return incorrect(
        f"Accuracy counts every mistake the same, but here {costly} {times}. Choose a "
        "metric that weighs each kind of mistake by its cost: the expected cost per visit "
        f"(errors of each kind times their price). The {alone} of the positive class alone "
        "would not do: it watches the costly mistake but ignores the other kind, which "
        "costs money too.",
        "accuracy_with_skewed_costs",
    )


# --------------------------------------------------------------------------- checkers


def expect_fitted_on_train_only(
    estimator: Any,
    X_train: Any,
    X_test: Any,
    *,
    y_train: Any = None,
    y_test: Any = None,
    what: str | None = None,
    success: str = "Well done!",
) -> Feedback:
    """Checker: correct only if ``estimator`` is fitted on exactly the training rows.

    >>> import pandas as pd
    >>> from sklearn.preprocessing import StandardScaler
    >>> X_train, X_test = pd.DataFrame({"a": [1.0, 2, 3]}), pd.DataFrame({"a": [9.0]})
    >>> expect_fitted_on_train_only(StandardScaler().fit(X_train), X_train, X_test).ok
    True
    >>> expect_fitted_on_train_only(StandardScaler(), X_train, X_test).mistake
    'not_fitted'
    """
    if (missing := answer_problem(estimator, "your fitted object")) is not None:
        return missing
    try:
        verdict, problem = _quiet(_fit_verdict, estimator, X_train, X_test, y_train, y_test, what)
    except Exception as exc:
        return incorrect(
            f"Could not check {describe(estimator)} ({type(exc).__name__}). Expected a "
            "scikit-learn estimator fitted on X_train.",
            "check_error",
        )
    if problem is not None:
        return problem
    if verdict == "train":
        return correct(success)
    leak = _leak_feedback(estimator, verdict, what)
    if leak is not None:
        return leak
    return incorrect(
        f"{_display_name(estimator, what)} does not match one fitted on X_train: fit it on "
        "exactly X_train (all its rows, no others), with the settings asked for.",
        "wrong_rows",
    )


def expect_score_on_test(
    score: Any,
    estimator: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    scoring: str | Callable[..., float] | None = None,
    tol: float = 0.0005,
    success: str = "Well done!",
) -> Feedback:
    """Checker: ``score`` must be the estimator's score on the test rows (± ``tol``).

    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(200, 2)), rng.integers(0, 2, 200)
    >>> m = LogisticRegression().fit(X[:150], y[:150])
    >>> expect_score_on_test(m.score(X[150:], y[150:]), m, X[:150], y[:150], X[150:], y[150:]).ok
    True
    """
    if (missing := answer_problem(score, "your score")) is not None:
        return missing
    value = _as_real(score, "a score (a number)")
    if isinstance(value, Feedback):
        return value
    if not math.isfinite(value):
        return incorrect(f"Your score is {describe(score)}; expected a number.", "nan")
    fitted = (
        incorrect(f"Expected a fitted model, got {describe(estimator)}.", "wrong_type")
        if not _is_estimator(estimator)
        else (_not_fitted(estimator, None) if _is_fitted(estimator) is False else None)
    )
    if fitted is not None:
        return fitted
    on_train = scored_on_training_rows(
        value, estimator, X_train, y_train, X_test, y_test, scoring=scoring, tol=tol
    )
    if on_train is not None:
        return on_train
    try:
        test_score = _quiet(_score, estimator, X_test, y_test, scoring)
    except Exception as exc:
        return incorrect(
            f"Could not score the model on X_test ({type(exc).__name__}). Was it fitted on "
            "the same columns?",
            "check_error",
        )
    if abs(value - test_score) <= tol:
        return correct(success)
    if abs(value - 100 * test_score) <= 100 * tol:
        return incorrect(
            "That looks like a percentage. Give the score as a fraction between 0 and 1.",
            "percent_not_fraction",
        )
    return incorrect(
        "That is not this model's score on the test rows. Compute it on X_test, y_test "
        "with the metric asked for.",
        "wrong_value",
    )


def expect_tuned_on_train_only(
    search: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    success: str = "Well done!",
) -> Feedback:
    """Checker: a fitted search (GridSearchCV ...) that saw the training rows only.

    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(300, 3)), rng.integers(0, 2, 300)
    >>> grid = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=3)
    >>> expect_tuned_on_train_only(grid.fit(X[:240], y[:240]), X[:240], y[:240],
    ...                            X[240:], y[240:]).ok
    True
    """
    if (missing := answer_problem(search, "your fitted search")) is not None:
        return missing
    is_search = hasattr(search, "param_grid") or hasattr(search, "param_distributions")
    if not _is_estimator(search) or not is_search:
        return incorrect(
            f"Expected a hyperparameter search (GridSearchCV or RandomizedSearchCV), got "
            f"{describe(search)}.",
            "wrong_type",
        )
    if _is_fitted(search) is False:
        return _not_fitted(search, "the search")
    best = getattr(search, "best_estimator_", None)
    if best is None:
        return incorrect(
            "Your search has no `best_estimator_`: run it with `refit=True` (the default) so "
            "it refits the best settings on the training rows.",
            "check_error",
        )
    leak = test_used_for_tuning(search, X_train, y_train, X_test, y_test)
    if leak is not None:
        return leak
    try:
        verdict, problem = _quiet(_fit_verdict, best, X_train, X_test, y_train, y_test, None)
    except Exception:
        verdict, problem = "unknown", None
    if problem is not None:
        return problem
    if verdict == "train":
        return correct(success)
    return incorrect(
        "Your search does not match one run on X_train, y_train: run it on exactly the "
        "training rows.",
        "wrong_rows",
    )


def expect_cost_aware_metric(
    metric_name: Any,
    cost_false_positive: float,
    cost_false_negative: float,
    *,
    ratio: float = 3.0,
    accept: Collection[str] | None = None,
    success: str = "Well done!",
) -> Feedback:
    """Checker: a metric that suits the costs (not accuracy when they are skewed).

    ``accept`` optionally lists the metric names that count as right.

    >>> expect_cost_aware_metric("acc", 1, 10).mistake
    'accuracy_with_skewed_costs'
    >>> expect_cost_aware_metric("recall", 1, 10, accept={"recall", "expected_cost"}).ok
    True
    """
    if (missing := answer_problem(metric_name, "the name of a metric (a str)")) is not None:
        return missing
    name = _metric_name(metric_name)
    if name is None:
        return incorrect(
            f"Expected the name of a metric (a str such as 'recall'), got {describe(metric_name)}.",
            "wrong_type",
        )
    skewed = accuracy_with_skewed_costs(name, cost_false_positive, cost_false_negative, ratio)
    if skewed is not None:
        return skewed
    if accept is not None and name not in {_metric_name(a) for a in accept}:
        options = ", ".join(repr(a) for a in sorted(accept))
        return incorrect(
            f"{metric_name!r} is not one of the metrics that fit these costs ({options}).",
            "wrong_choice",
        )
    return correct(success)
