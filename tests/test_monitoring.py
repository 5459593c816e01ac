"""Drift measures: PSI by the book, the right test per column kind, data validation."""

import numpy as np
import pandas as pd
import pytest

from course_utils import drift, monitoring, world


def test_psi_is_zero_for_identical_and_grows_with_the_shift():
    rng = np.random.default_rng(0)
    ref = rng.normal(0, 1, 5000)
    assert monitoring.psi(ref, ref) == pytest.approx(0, abs=1e-9)
    small = monitoring.psi(ref, rng.normal(0.2, 1, 5000))
    large = monitoring.psi(ref, rng.normal(1.0, 1, 5000))
    assert 0 < small < monitoring.PSI_WATCH * 2 and large > monitoring.PSI_ALERT
    assert large > small


def test_psi_matches_the_formula_on_categories():
    ref = pd.Series(["a"] * 50 + ["b"] * 50)
    cur = pd.Series(["a"] * 80 + ["b"] * 20)
    expected = (0.8 - 0.5) * np.log(0.8 / 0.5) + (0.2 - 0.5) * np.log(0.2 / 0.5)
    assert monitoring.psi(ref, cur) == pytest.approx(expected)


def test_missing_values_are_a_bin_of_their_own():
    ref = pd.Series([1.0, 2.0, 3.0, 4.0] * 25)
    cur = ref.copy()
    cur[:50] = np.nan
    assert monitoring.psi(ref, cur) > monitoring.PSI_ALERT


def test_drift_table_flags_the_price_shock_and_the_unit_switch():
    ref = world.generate().visits
    shock = monitoring.drift_table(ref, drift.month("2026-06", "price_shock").visits)
    assert shock.loc["price_banana", "level"] == "alert"
    assert shock.loc["store", "test"] == "chi-square"
    assert shock.loc["age", "test"] == "KS"
    assert shock.loc["age", "level"] == "stable"


def _store_days(visits: pd.DataFrame) -> np.ndarray:
    return (visits["store"].astype(str) + " " + visits["timestamp"].dt.date.astype(str)).to_numpy()


def test_drift_table_counts_store_days_not_rows_for_day_level_inputs():
    jan, feb = drift.month("2026-01").visits, drift.month("2026-02").visits
    rows = monitoring.drift_table(jan, feb, world.FEATURES)
    days = monitoring.drift_table(
        jan, feb, world.FEATURES, groups=(_store_days(jan), _store_days(feb))
    )
    n_days = (len(set(_store_days(jan))), len(set(_store_days(feb))))
    for col in monitoring.DAY_LEVEL:
        assert days.loc[col, "n"] == f"{n_days[0]:,} / {n_days[1]:,} store-days"
        # fewer independent units: a larger p-value and a larger no-drift PSI
        assert days.loc[col, "p_value"] >= rows.loc[col, "p_value"]
        assert days.loc[col, "psi_no_drift"] > 10 * rows.loc[col, "psi_no_drift"]
    assert days.loc["age", "n"] == f"{len(jan):,} / {len(feb):,} rows"
    # Discrete whole numbers get the chi-square test, never KS; continuous numbers get KS.
    assert rows.loc["hour", "test"] == rows.loc["weekday", "test"] == "chi-square"
    assert rows.loc["age", "test"] == "KS"
    with pytest.raises(ValueError, match="one key per row"):
        monitoring.drift_table(jan, feb, groups=(_store_days(jan)[:5], _store_days(feb)))


def test_psi_no_drift_matches_the_noise_of_two_samples_of_one_population():
    rng = np.random.default_rng(1)
    for n in (89, 500):
        noise = [monitoring.psi(rng.normal(size=n), rng.normal(size=n)) for _ in range(300)]
        expected = monitoring.psi_no_drift(n, n)
        assert expected == pytest.approx(9 * 2 / n)
        assert 0.85 * expected < np.mean(noise) < 1.25 * expected
        q95 = monitoring.psi_noise_quantile(n, n)
        assert 0.9 < np.mean(np.array(noise) <= q95) < 0.99
    # Two small windows of the same population: "alerts" from noise alone, which the
    # table calls "within noise".
    a = pd.DataFrame({"x": rng.normal(size=60)})
    b = pd.DataFrame({"x": rng.normal(size=60)})
    table = monitoring.drift_table(a, b)
    assert table.loc["x", "psi_no_drift"] == pytest.approx(9 * 2 / 60, abs=1e-4)
    assert table.loc["x", "psi"] > monitoring.PSI_WATCH  # the rule of thumb would page ...
    assert table.loc["x", "level"] == "within noise"  # ... the table says what it is
    with pytest.raises(ValueError, match="positive"):
        monitoring.psi_no_drift(0, 10)


def test_out_of_range_catches_fahrenheit_in_summer():
    ranges = {"temperature_c": (-30.0, 45.0)}
    summer = drift.month("2026-07", "unit_switch").visits
    normal = drift.month("2026-07").visits
    assert monitoring.out_of_range(summer, ranges)["temperature_c"] > 0.9
    assert monitoring.out_of_range(normal, ranges)["temperature_c"] == 0


def test_clear_errors():
    with pytest.raises(ValueError, match="at least one"):
        monitoring.psi([], [1.0])
    with pytest.raises(KeyError, match="not in both"):
        monitoring.drift_table(pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [1]}), ["a"])
    assert monitoring.psi_level(0.05) == "stable" and monitoring.psi_level(0.3) == "alert"


@pytest.fixture(scope="module")
def year():
    history = world.generate().visits
    window = drift.month("2026-01").visits
    fired = {}
    for scenario in drift.SCENARIOS:
        alerts = set()
        for k in range(1, 13):
            m = drift.month(f"2026-{k:02d}", scenario)
            t = monitoring.check_month(m.visits, history=history, window=window, month=k)
            alerts |= {
                (r, i) for r, i in zip(t.loc[t.alert, "rule"], t.loc[t.alert, "input"], strict=True)
            }
        fired[scenario] = alerts
    return fired


def test_seasonality_alone_pages_nobody(year):
    assert year["seasonality"] == set()


def test_each_input_shift_raises_its_own_alert(year):
    assert ("input drift", "age") in year["covariate_shift"]
    assert {i for r, i in year["price_shock"]} >= {f"price_banana @ {s}" for s in world.STORE_NAMES}
    assert ("data validation", "temperature_c") in year["unit_switch"]
    # A taste change moves no input: only the live metric (with labels) can see it.
    assert year["taste_change"] == set()


def test_live_metrics_see_the_taste_change():
    from course_utils.contract import DEFAULT

    before = drift.month("2026-08")
    after = drift.month("2026-08", "taste_change")
    # Use the world's old truth as a perfect model of the past: it goes wrong on the segment.
    old_model = world.true_proba(after.visits)
    good = monitoring.live_metrics(before.visits["fruit"], world.true_proba(before.visits), DEFAULT)
    bad = monitoring.live_metrics(after.visits["fruit"], old_model, DEFAULT)
    assert good["expected_cost"] < bad["expected_cost"]
    assert good["meets_contract"] is True
    with pytest.raises(ValueError, match="must match"):
        monitoring.live_metrics(["apple"], [0.1, 0.2], DEFAULT)


def test_default_schedule_is_a_year():
    assert len(drift.DEFAULT_SCHEDULE) == 12
    assert {s for s, _ in drift.DEFAULT_SCHEDULE} == set(drift.SCENARIOS)
