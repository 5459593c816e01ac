"""Each drift scenario does what it says, and nothing else."""

import numpy as np
import pandas as pd
import pytest

from course_utils import drift, world

PERIOD = "2026-05"
INPUTS = [c for c in world.FEATURES] + ["timestamp", "customer_id"]


@pytest.fixture(scope="module")
def base():
    return drift.month(PERIOD, "seasonality", 1.0)


def test_every_scenario_keeps_the_true_model_except_taste(base):
    for scenario in drift.SCENARIOS:
        m = drift.month(PERIOD, scenario, 1.0)
        assert len(m.visits) == drift.VISITS_PER_MONTH
        if scenario in ("taste_change", "unit_switch"):
            continue  # checked below
        # P(banana | x) is the world's unchanged function of the (true) inputs.
        np.testing.assert_allclose(m.p_banana, world.true_proba(m.true_inputs()))
        # The service sees the sensor's reading: the true temperature plus noise.
        noise = m.visits["temperature_c"] - m.true_temperature_c
        if scenario != "unit_switch":
            assert abs(noise.mean()) < 0.1 and 0.7 < noise.std() < 0.9


def test_covariate_shift_moves_inputs_not_the_concept(base):
    m = drift.month(PERIOD, "covariate_shift", 1.0)
    assert m.visits["age"].mean() < base.visits["age"].mean() - 4
    assert m.visits["has_kids"].mean() < base.visits["has_kids"].mean()
    np.testing.assert_allclose(m.p_banana, world.true_proba(m.true_inputs()))
    # Same days, stores, prices and weather: only who shops changed.
    for col in ("store", "hour", "price_apple", "price_banana", "temperature_c"):
        pd.testing.assert_series_equal(m.visits[col], base.visits[col])


def test_price_shock_moves_prices_and_the_prior_only(base):
    m = drift.month(PERIOD, "price_shock", 1.0)
    assert m.visits["price_banana"].mean() > 1.4 * base.visits["price_banana"].mean()
    assert (m.visits["fruit"] == "banana").mean() < (base.visits["fruit"] == "banana").mean() - 0.1
    np.testing.assert_allclose(m.p_banana, world.true_proba(m.true_inputs()))
    for col in ("store", "age", "has_kids", "price_apple", "temperature_c"):
        pd.testing.assert_series_equal(m.visits[col], base.visits[col])


def test_taste_change_changes_the_segment_only(base):
    m = drift.month(PERIOD, "taste_change", 1.0, segment="kids")
    pd.testing.assert_frame_equal(m.visits[INPUTS], base.visits[INPUTS])
    seg = world.segment_mask(m.visits, "kids")
    assert seg.any() and (~seg).any()
    np.testing.assert_allclose(m.p_banana[~seg], base.p_banana[~seg])
    logit_change = world.true_logit(m.true_inputs(), {"segment": "kids", "shift": 0}) - np.log(
        m.p_banana / (1 - m.p_banana)
    )
    np.testing.assert_allclose(logit_change[seg], -drift.TASTE_SHIFT)
    assert (m.p_banana[seg] < base.p_banana[seg]).all()
    # The old model of the world is now wrong for that segment.
    assert not np.allclose(m.p_banana, world.true_proba(m.true_inputs()))


def test_unit_switch_changes_the_temperature_scale_only(base):
    m = drift.month(PERIOD, "unit_switch", 1.0)
    others = [c for c in m.visits.columns if c != "temperature_c"]
    pd.testing.assert_frame_equal(m.visits[others], base.visits[others])
    np.testing.assert_allclose(
        m.visits["temperature_c"], np.round(base.visits["temperature_c"] * 9 / 5 + 32, 1)
    )
    np.testing.assert_allclose(m.p_banana, base.p_banana)  # the world did not change
    half = drift.month(PERIOD, "unit_switch", 0.5)
    switched = half.visits["temperature_c"] != base.visits["temperature_c"]
    assert 0.3 < switched.mean() < 0.7


def test_seasonality_is_nothing_to_alarm_about():
    history = world.generate().visits
    for period in ("2026-01", "2026-07"):
        m = drift.month(period, "seasonality", 1.0)
        np.testing.assert_allclose(m.p_banana, world.true_proba(m.true_inputs()))
        same_month = history[history["timestamp"].dt.month == pd.Period(period).month]
        # Per store, each input looks like the same calendar month of the history.
        for store in world.STORE_NAMES:
            old = same_month[same_month["store"] == store]
            new = m.visits[m.visits["store"] == store]
            for col in ("temperature_c", "age", "price_apple", "price_banana", "hour"):
                shift = abs(new[col].mean() - old[col].mean()) / old[col].std()
                assert shift < 0.75, (period, store, col, shift)
        assert m.visits["temperature_c"].between(-15, 40).all()
        assert abs(m.bayes_accuracy - world.bayes_optimal(history)["accuracy"]) < 0.04
    winter, summer = drift.month("2026-01"), drift.month("2026-07")
    assert summer.visits["temperature_c"].mean() > winter.visits["temperature_c"].mean() + 8


def test_strength_zero_is_no_drift(base):
    for scenario in ("covariate_shift", "price_shock", "taste_change", "unit_switch"):
        m = drift.month(PERIOD, scenario, 0.0)
        pd.testing.assert_frame_equal(m.visits, base.visits)


def test_months_and_schedule():
    months = list(drift.production_months("price_shock", 0.5, n_months=3))
    assert [m.period for m in months] == ["2026-01", "2026-02", "2026-03"]
    sched = list(drift.production_schedule([("seasonality", 1), ("unit_switch", 1)]))
    assert [m.scenario for m in sched] == ["seasonality", "unit_switch"]
    assert months[0].visits["visit_id"].is_unique


def test_bad_scenario_and_strength():
    with pytest.raises(ValueError, match="Unknown scenario"):
        drift.month(PERIOD, "alien_invasion")
    with pytest.raises(ValueError, match="strength"):
        drift.month(PERIOD, "price_shock", -1)
    with pytest.raises(ValueError, match="n_months"):
        list(drift.production_months(n_months=0))
