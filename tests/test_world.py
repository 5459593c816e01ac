"""The world: determinism, the true model, and the calibration targets of the design."""

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from course_utils import world

NUMERIC = [
    "hour",
    "weekday",
    "age",
    "has_kids",
    "loyalty_member",
    "price_apple",
    "price_banana",
    "temperature_c",
]
CATEGORICAL = ["store", "promo"]
# Found by a small randomized search on the training rows (notebook 05 does this search).
TUNED_HGB = {"learning_rate": 0.05, "max_iter": 300, "max_leaf_nodes": 15, "min_samples_leaf": 40}


@pytest.fixture(scope="module")
def split():
    w = world.generate()
    return world.standard_split(w.visits)


def accuracy(model, train, test):
    model.fit(train[NUMERIC + CATEGORICAL], train["fruit"])
    return float((model.predict(test[NUMERIC + CATEGORICAL]) == test["fruit"]).mean())


def test_same_seed_same_world_and_different_seed_differs():
    a, b, c = world.generate(7), world.generate(7), world.generate(8)
    pd.testing.assert_frame_equal(a.visits, b.visits)
    pd.testing.assert_frame_equal(a.daily, b.daily)
    assert not a.visits["fruit"].equals(c.visits["fruit"])


def test_history_size_and_columns():
    w = world.generate()
    assert 15_000 <= len(w.visits) <= 25_000  # "roughly 20k visits"
    assert set(world.FEATURES) <= set(w.visits.columns)
    assert set(w.visits["fruit"]) == {"apple", "banana"}
    assert w.visits["visit_id"].is_unique


def test_majority_rate_in_target(split):
    train, test = split
    for part in (train, test):
        share = (part["fruit"] == "banana").mean()
        assert 0.55 <= max(share, 1 - share) <= 0.65


def test_bayes_accuracy_in_target(split):
    _, test = split
    realised = world.bayes_optimal(test, test["fruit"])
    expected = world.bayes_optimal(test)
    assert 0.80 <= realised["accuracy"] <= 0.90
    assert 0.80 <= expected["accuracy"] <= 0.90
    assert 0 < realised["log_loss"] < np.log(2)


def test_plain_logistic_regression_falls_short(split):
    train, test = split
    bayes = world.bayes_optimal(test, test["fruit"])["accuracy"]
    prep = make_column_transformer((OneHotEncoder(), CATEGORICAL), (StandardScaler(), NUMERIC))
    lr = make_pipeline(prep, LogisticRegression(max_iter=1000))
    assert accuracy(lr, train, test) <= bayes - 0.03


def test_tuned_tree_ensemble_gets_within_1_5_points(split):
    train, test = split
    bayes = world.bayes_optimal(test, test["fruit"])["accuracy"]
    prep = make_column_transformer((OneHotEncoder(), CATEGORICAL), ("passthrough", NUMERIC))
    hgb = make_pipeline(prep, HistGradientBoostingClassifier(random_state=0, **TUNED_HGB))
    acc = accuracy(hgb, train, test)
    assert bayes - 0.015 <= acc <= bayes + 0.01


def test_true_proba_has_the_documented_structure():
    base = world.generate(seed=3, n_visits=1).visits.iloc[[0] * 4].reset_index(drop=True)
    base["store"] = pd.Categorical(["Station"] * 4, categories=world.STORE_NAMES)
    base["hour"] = [8, 13, 8, 13]
    p = world.true_proba(base)
    assert p[0] > p[1]  # commuters grab a banana in the rush hour
    cheap = base.copy()
    cheap["price_banana"] = base["price_banana"] / 2
    assert (world.true_proba(cheap) > p).all()  # cheaper bananas, more bananas
    young, mid = base.copy(), base.copy()
    young["age"], mid["age"] = 20, 46
    assert (world.true_proba(young) > world.true_proba(mid)).all()  # the U in age


def test_sampling_bias_under_represents_the_station():
    w = world.generate()
    recorded = w.visits["store"].value_counts(normalize=True)
    foot = w.daily.groupby("store", observed=True)["footfall"].sum()
    foot = foot / foot.sum()
    assert recorded["Station"] / foot["Station"] < 0.85
    assert recorded["Riverside"] / foot["Riverside"] > 1.1


def test_clear_errors_for_wrong_input():
    with pytest.raises(KeyError, match="temperature_c"):
        world.true_proba(pd.DataFrame({"store": ["Station"]}))
    with pytest.raises(TypeError, match="DataFrame"):
        world.true_proba([1, 2, 3])
    with pytest.raises(ValueError, match="n_visits"):
        world.generate(n_visits=-1)
    with pytest.raises(ValueError, match="segment"):
        world.segment_mask(world.generate(n_visits=5).visits, "aliens")
