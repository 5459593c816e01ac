"""The fourth source: a randomised experiment recovers the world's true effect.

The world knows each visit's true P(banana), so it knows the true difference in expected
cost between two ways of deciding; the experiment only sees one random half per arm and
the fruits actually bought. Its 95 % interval must cover the truth about 95 % of the time
(over fresh assignments and fresh label draws). Notebook 09's own experiment is checked
in ``test_nb09.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import checkpoints, contract, drift, experiment, world


@pytest.fixture(scope="module")
def october():
    """October of the production year (the taste change), the tuned model's probabilities."""
    month = drift.month("2026-10", "taste_change")
    model = checkpoints.tuned_model()
    X = month.visits[world.FEATURES]
    p_model = model.predict_proba(X)[:, list(model.classes_).index("banana")]
    return month, p_model


def test_the_interval_covers_the_true_effect_about_95_percent_of_the_time(october):
    month, p_model = october
    signed = contract.DEFAULT
    decided_a = p_model >= signed.best_threshold()  # A: the contract's threshold
    decided_b = p_model >= 0.5  # B: the default threshold - dearer, says the contract
    truth = experiment.true_difference(decided_a, decided_b, month.p_banana, signed)
    assert truth > 0  # B really costs more: the effect to recover
    rng = np.random.default_rng(0)
    covered, below_zero = [], []
    for seed in range(300):
        bought = rng.random(len(p_model)) < month.p_banana  # a fresh draw of the fruits
        to_b = experiment.assign(len(p_model), seed=seed)
        cost_a = experiment.decision_cost(decided_a[~to_b], bought[~to_b], signed)
        cost_b = experiment.decision_cost(decided_b[to_b], bought[to_b], signed)
        r = experiment.compare(cost_a, cost_b)
        covered.append(r["low"] <= truth <= r["high"])
        below_zero.append(r["low"] > 0)
    coverage = np.mean(covered)
    # A 95 % interval, within simulation noise (300 experiments: about ± 2.5 points); the
    # difference-of-means standard error of a randomised comparison errs on the safe side.
    assert 0.92 <= coverage <= 0.99, coverage
    assert np.mean(below_zero) > 0.5  # and it usually finds that B is worse


def test_one_experiment_on_the_months_own_labels_covers_the_truth(october):
    """One experiment on October's labels as they happened (notebook 09 runs one too)."""
    month, p_model = october
    signed = contract.DEFAULT
    decided_a = p_model >= signed.best_threshold()
    decided_b = p_model >= 0.5
    bought = month.visits["fruit"].to_numpy() == "banana"
    to_b = experiment.assign(len(p_model), seed=2026)
    r = experiment.compare(
        experiment.decision_cost(decided_a[~to_b], bought[~to_b], signed),
        experiment.decision_cost(decided_b[to_b], bought[to_b], signed),
    )
    truth = experiment.true_difference(decided_a, decided_b, month.p_banana, signed)
    assert r["low"] <= truth <= r["high"]
    assert r["n_a"] + r["n_b"] == len(p_model) and abs(r["n_a"] - r["n_b"]) < 200


def test_assignment_is_random_balanced_and_seeded():
    a, b = experiment.assign(10_000, seed=3), experiment.assign(10_000, seed=3)
    assert np.array_equal(a, b) and 0.48 < a.mean() < 0.52
    assert not np.array_equal(a, experiment.assign(10_000, seed=4))
    assert experiment.assign(1000, share=0.2, seed=0).mean() < 0.3


def test_bad_input_gets_a_clear_message():
    with pytest.raises(ValueError, match="share"):
        experiment.assign(10, share=1.5)
    with pytest.raises(ValueError, match="whole number"):
        experiment.assign(-1)
    with pytest.raises(ValueError, match="at least two"):
        experiment.compare([0.1], [0.2, 0.3])
    with pytest.raises(ValueError, match="must match"):
        experiment.decision_cost([True, False], [True], contract.DEFAULT)


def test_costs_follow_the_contract():
    c = contract.DEFAULT
    cost = experiment.decision_cost([True, True, False, False], [True, False, True, False], c)
    assert cost.tolist() == [0.0, c.cost_false_banana, c.cost_false_apple, 0.0]
    expected = experiment.expected_decision_cost([True, False], [0.8, 0.8], c)
    assert expected == pytest.approx([0.2 * c.cost_false_banana, 0.8 * c.cost_false_apple])
