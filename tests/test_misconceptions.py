"""Tests of the misconception detectors: each one positive AND negative."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, make_scorer
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from course_utils import exercises as ex
from course_utils import misconceptions as mc
from course_utils import progress, world

NUM = ["age", "hour", "price_apple", "price_banana", "temperature_c"]
CAT = ["store", "promo"]


@pytest.fixture(autouse=True)
def _isolated_progress(tmp_path, monkeypatch):
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    progress._reset_session()


@pytest.fixture(scope="module")
def data():
    visits = world.generate(seed=1, n_visits=1200).visits
    train, test = world.standard_split(visits)
    return {
        "X_train": train[world.FEATURES],
        "X_test": test[world.FEATURES],
        "y_train": train[world.TARGET],
        "y_test": test[world.TARGET],
    }


def _all(a, b):
    return pd.concat([a, b])


def _columns():
    return ColumnTransformer(
        [("num", StandardScaler(), NUM), ("cat", OneHotEncoder(handle_unknown="ignore"), CAT)]
    )


def _model():
    return make_pipeline(_columns(), LogisticRegression(max_iter=500))


# --------------------------------------------------------------------------- leakage


@pytest.mark.parametrize(
    "make", [StandardScaler, SimpleImputer, lambda: SimpleImputer(strategy="median")]
)
def test_numeric_transformers_fitted_on_all_rows_are_leakage(data, make):
    X_train, X_test = data["X_train"][NUM], data["X_test"][NUM]
    leaky = make().fit(_all(X_train, X_test))
    fb = mc.fitted_on_test_rows(leaky, X_train, X_test)
    assert fb is not None and fb.mistake == "leakage"
    assert "X_train only" in fb.message
    assert mc.fitted_on_test_rows(make().fit(X_train), X_train, X_test) is None


def test_leakage_found_whatever_the_order_or_container(data):
    X_train, X_test = data["X_train"][NUM], data["X_test"][NUM]
    reversed_order = StandardScaler().fit(_all(X_test, X_train))
    assert mc.fitted_on_test_rows(reversed_order, X_train, X_test).mistake == "leakage"
    as_numpy = StandardScaler().fit(np.vstack([X_train.to_numpy(), X_test.to_numpy()]))
    assert mc.fitted_on_test_rows(as_numpy, X_train, X_test).mistake == "leakage"
    on_test = StandardScaler().fit(X_test)
    assert mc.fitted_on_test_rows(on_test, X_train, X_test).mistake == "fitted_on_test"


def test_imputer_with_missing_values(data):
    X_train = data["X_train"][NUM].copy()
    X_test = data["X_test"][NUM].copy()
    X_train.iloc[:50, 0] = np.nan
    X_test.iloc[:30, 0] = np.nan
    assert mc.fitted_on_test_rows(SimpleImputer().fit(X_train), X_train, X_test) is None
    leaky = SimpleImputer().fit(_all(X_train, X_test))
    assert mc.fitted_on_test_rows(leaky, X_train, X_test).mistake == "leakage"
    scaler = StandardScaler().fit(_all(X_train, X_test))  # per-column sample counts
    assert mc.fitted_on_test_rows(scaler, X_train, X_test).mistake == "leakage"


def test_one_hot_encoder(data):
    X_train = data["X_train"][CAT].astype(str)
    X_test = data["X_test"][CAT].astype(str)
    X_test.iloc[:3, 1] = "mango"  # a category only the test rows have
    leaky = OneHotEncoder().fit(_all(X_train, X_test))
    assert mc.fitted_on_test_rows(leaky, X_train, X_test).mistake == "leakage"
    assert mc.fitted_on_test_rows(OneHotEncoder().fit(X_train), X_train, X_test) is None
    # Same categories either way: the leak changes nothing, so nothing is reported.
    same = data["X_test"][CAT].astype(str)
    assert mc.fitted_on_test_rows(OneHotEncoder().fit(_all(X_train, same)), X_train, same) is None


def test_column_transformer_and_pipeline(data):
    X_train, X_test = data["X_train"], data["X_test"]
    y_train, y_test = data["y_train"], data["y_test"]
    assert mc.fitted_on_test_rows(_columns().fit(X_train), X_train, X_test) is None
    leaky = _columns().fit(_all(X_train, X_test))
    assert mc.fitted_on_test_rows(leaky, X_train, X_test).mistake == "leakage"

    ys = {"y_train": y_train, "y_test": y_test}
    good = _model().fit(X_train, y_train)
    assert mc.fitted_on_test_rows(good, X_train, X_test, **ys) is None
    bad = _model().fit(_all(X_train, X_test), _all(y_train, y_test))
    fb = mc.fitted_on_test_rows(bad, X_train, X_test, **ys)
    assert fb.mistake == "leakage" and "X_train, y_train only" in fb.message
    fb = mc.fitted_on_test_rows(bad, X_train, X_test)  # a model needs the labels
    assert fb.mistake == "missing_input" and "y_train" in fb.message


def test_not_fitted_and_odd_inputs_never_raise(data):
    X_train, X_test = data["X_train"][NUM], data["X_test"][NUM]
    fb = mc.fitted_on_test_rows(StandardScaler(), X_train, X_test)
    assert fb.mistake == "not_fitted" and "not fitted yet" in fb.message
    assert mc.fitted_on_test_rows("banana", X_train, X_test).mistake == "wrong_type"
    assert mc.fitted_on_test_rows(None, X_train, X_test).mistake == "wrong_type"
    fitted = StandardScaler().fit(X_train)
    assert mc.fitted_on_test_rows(fitted, None, X_test).mistake == "missing_input"
    for odd in ("x", [1, 2], pd.DataFrame({"a": ["b"]}), np.array([np.nan])):
        mc.fitted_on_test_rows(fitted, odd, X_test)
        mc.fitted_on_test_rows(fitted, X_train, odd)
    other_columns = StandardScaler().fit(X_train[["age"]])
    assert mc.fitted_on_test_rows(other_columns, X_train, X_test) is None
    fb = mc.expect_fitted_on_train_only(other_columns, X_train, X_test)
    assert fb.mistake == "wrong_shape"


def test_expect_fitted_on_train_only(data):
    X_train, X_test = data["X_train"][NUM], data["X_test"][NUM]
    assert mc.expect_fitted_on_train_only(StandardScaler().fit(X_train), X_train, X_test).ok
    leaky = StandardScaler().fit(_all(X_train, X_test))
    fb = mc.expect_fitted_on_train_only(leaky, X_train, X_test, what="the scaler")
    assert fb.mistake == "leakage" and fb.message.startswith("The scaler was fitted")
    half = StandardScaler().fit(X_train.iloc[: len(X_train) // 2])
    assert mc.expect_fitted_on_train_only(half, X_train, X_test).mistake == "wrong_rows"
    assert mc.expect_fitted_on_train_only(..., X_train, X_test).status == "not_attempted"


def test_an_exercise_built_on_the_leakage_checker(data, capsys):
    X_train, X_test = data["X_train"][NUM], data["X_test"][NUM]
    q = ex.Exercise(
        "99",
        "q1",
        "Scale without leaking",
        prompt="Fit a StandardScaler `scaler` on the training rows.",
        expects="a fitted StandardScaler",
        inputs={"X_train": "the training features", "X_test": "the test features"},
        checker=lambda scaler, X_train, X_test: ex.first_problem(
            ex.expect_type(scaler, StandardScaler, "a StandardScaler"),
            lambda: mc.expect_fitted_on_train_only(scaler, X_train, X_test, what="the scaler"),
        ),
        hints=["fit on X_train", "StandardScaler().fit(X_train)"],
        solution="scaler = StandardScaler().fit(X_train)",
    )
    leaky = StandardScaler().fit(_all(X_train, X_test))
    assert q.evaluate(leaky, X_train=X_train, X_test=X_test).mistake == "leakage"
    assert q.evaluate(StandardScaler(), X_train=X_train, X_test=X_test).mistake == "not_fitted"
    assert q.evaluate(SimpleImputer(), X_train=X_train, X_test=X_test).mistake == "wrong_type"
    assert q.evaluate(StandardScaler().fit(X_train), X_train=X_train, X_test=X_test).ok
    q.check(leaky, X_train=X_train, X_test=X_test)
    assert "(leakage)" in capsys.readouterr().out


# --------------------------------------------------------------------------- train score


@pytest.fixture(scope="module")
def tree(data):
    return DecisionTreeClassifier(random_state=0).fit(data["X_train"][NUM], data["y_train"])


def test_scored_on_training_rows(data, tree):
    X_train, X_test = data["X_train"][NUM], data["X_test"][NUM]
    y_train, y_test = data["y_train"], data["y_test"]
    train_score = tree.score(X_train, y_train)
    test_score = tree.score(X_test, y_test)
    assert train_score - test_score > 0.1  # a deep tree overfits
    args = (tree, X_train, y_train, X_test, y_test)
    fb = mc.scored_on_training_rows(train_score, *args)
    assert fb.mistake == "scored_on_train" and "X_test, y_test" in fb.message
    assert mc.scored_on_training_rows(100 * train_score, *args).mistake == "scored_on_train"
    assert mc.scored_on_training_rows(train_score, tree, X_train, y_train).mistake == (
        "scored_on_train"
    )
    assert mc.scored_on_training_rows(test_score, *args) is None
    assert mc.scored_on_training_rows("high", *args) is None
    assert mc.scored_on_training_rows(float("nan"), *args) is None
    scorer = make_scorer(accuracy_score)
    assert mc.scored_on_training_rows(train_score, *args, scoring=scorer).mistake == (
        "scored_on_train"
    )
    assert mc.scored_on_training_rows(train_score, *args, scoring="accuracy") is not None
    unfitted = mc.scored_on_training_rows(0.9, DecisionTreeClassifier(), X_train, y_train)
    assert unfitted.mistake == "not_fitted"


def test_expect_score_on_test(data, tree):
    X_train, X_test = data["X_train"][NUM], data["X_test"][NUM]
    y_train, y_test = data["y_train"], data["y_test"]
    args = (tree, X_train, y_train, X_test, y_test)
    test_score = tree.score(X_test, y_test)
    assert mc.expect_score_on_test(round(test_score, 4), *args).ok
    assert mc.expect_score_on_test(tree.score(X_train, y_train), *args).mistake == (
        "scored_on_train"
    )
    assert mc.expect_score_on_test(100 * test_score, *args).mistake == "percent_not_fraction"
    assert mc.expect_score_on_test(0.123, *args).mistake == "wrong_value"
    assert mc.expect_score_on_test("0.8", *args).mistake == "wrong_type"
    assert mc.expect_score_on_test(..., *args).status == "not_attempted"
    assert mc.expect_score_on_test(0.8, "tree", *args[1:]).mistake == "wrong_type"


# --------------------------------------------------------------------------- tuning


def test_test_used_for_tuning(data):
    X_train, X_test = data["X_train"], data["X_test"]
    y_train, y_test = data["y_train"], data["y_test"]
    grid = {"logisticregression__C": [0.1, 1.0]}
    args = (X_train, y_train, X_test, y_test)

    leaky = GridSearchCV(_model(), grid, cv=3).fit(_all(X_train, X_test), _all(y_train, y_test))
    fb = mc.test_used_for_tuning(leaky, *args)
    assert fb.mistake == "test_used_for_tuning" and "X_train, y_train only" in fb.message
    assert mc.expect_tuned_on_train_only(leaky, *args).mistake == "test_used_for_tuning"

    honest = GridSearchCV(_model(), grid, cv=3).fit(X_train, y_train)
    assert mc.test_used_for_tuning(honest, *args) is None
    assert mc.expect_tuned_on_train_only(honest, *args).ok

    tuned_on_test = RandomizedSearchCV(_model(), grid, n_iter=2, cv=3, random_state=0)
    tuned_on_test.fit(X_test, y_test)
    assert mc.test_used_for_tuning(tuned_on_test, *args).mistake == "test_used_for_tuning"

    assert mc.test_used_for_tuning(GridSearchCV(_model(), grid), *args).mistake == "not_fitted"
    no_refit = GridSearchCV(_model(), grid, cv=3, refit=False).fit(X_train, y_train)
    assert mc.test_used_for_tuning(no_refit, *args) is None
    assert mc.expect_tuned_on_train_only(no_refit, *args).mistake == "check_error"
    assert mc.expect_tuned_on_train_only(_model(), *args).mistake == "wrong_type"
    assert mc.test_used_for_tuning("grid", *args) is None


# --------------------------------------------------------------------------- metric choice


def test_accuracy_with_skewed_costs():
    for name in ("accuracy", "acc", " Accuracy ", "accuracy_score", accuracy_score):
        fb = mc.accuracy_with_skewed_costs(name, 1.0, 5.0)
        assert fb is not None and fb.mistake == "accuracy_with_skewed_costs", name
        assert "recall" in fb.message and "5 times" in fb.message
        # The advice is the cost itself; recall alone is named only as what would not do.
        assert "expected cost" in fb.message and "ignores the other kind" in fb.message
    fb = mc.accuracy_with_skewed_costs("accuracy", 10, 1)
    assert "precision" in fb.message and "false positive" in fb.message
    assert mc.accuracy_with_skewed_costs("accuracy", 0, 2).mistake == ("accuracy_with_skewed_costs")
    assert mc.accuracy_with_skewed_costs(make_scorer(accuracy_score), 1, 3) is not None
    assert mc.accuracy_with_skewed_costs("accuracy", 1, 2.9) is None  # below the ratio
    assert mc.accuracy_with_skewed_costs("accuracy", 1, 2, ratio=2) is not None
    assert mc.accuracy_with_skewed_costs("recall", 1, 10) is None
    assert mc.accuracy_with_skewed_costs("accuracy", 0, 0) is None
    for odd in (None, 3, ["accuracy"], "acc"):
        mc.accuracy_with_skewed_costs(odd, "x", None)  # never raises


def test_expect_cost_aware_metric():
    assert mc.expect_cost_aware_metric("Accuracy", 1, 10).mistake == "accuracy_with_skewed_costs"
    assert mc.expect_cost_aware_metric("accuracy", 1, 1).ok
    assert mc.expect_cost_aware_metric("recall", 1, 10).ok
    fb = mc.expect_cost_aware_metric("f1", 1, 10, accept={"recall", "expected_cost"})
    assert fb.mistake == "wrong_choice"
    assert mc.expect_cost_aware_metric(42, 1, 10).mistake == "wrong_type"
    assert mc.expect_cost_aware_metric(None, 1, 10).status == "not_attempted"
