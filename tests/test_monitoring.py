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


# --------------------------------------------------------------------------- one decision


def test_live_metrics_decide_once_at_the_contract_threshold():
    from course_utils.contract import DEFAULT

    y = ["banana", "banana", "apple", "apple"]
    p = [0.9, 0.6, 0.6, 0.1]  # 0.6: banana at 0.5, apple at the contract's 0.75
    at_contract = monitoring.live_metrics(y, p, DEFAULT)
    assert at_contract["threshold"] == 0.75
    # at 0.75: right, wrong (a false apple), right, right
    assert at_contract["accuracy"] == 0.75
    assert at_contract["expected_cost"] == pytest.approx(DEFAULT.cost_false_apple / 4)
    at_half = monitoring.live_metrics(y, p, DEFAULT, threshold=0.5)
    # at 0.5: right, right, wrong (a false banana), right - the same decision for both numbers
    assert at_half["threshold"] == 0.5 and at_half["accuracy"] == 0.75
    assert at_half["expected_cost"] == pytest.approx(DEFAULT.cost_false_banana / 4)
    costs = monitoring.visit_costs(y, p, DEFAULT)
    assert costs.tolist() == [0.0, DEFAULT.cost_false_apple, 0.0, 0.0]
    assert costs.mean() == pytest.approx(at_contract["expected_cost"])


def test_live_metrics_accuracy_matches_the_decisions_the_service_makes():
    from course_utils.contract import DEFAULT

    m = drift.month("2026-03")
    p = world.true_proba(m.visits)
    y = m.visits["fruit"].to_numpy() == "banana"
    live = monitoring.live_metrics(m.visits["fruit"], p, DEFAULT)
    assert live["accuracy"] == pytest.approx(np.mean((p >= 0.75) == y))
    assert live["accuracy"] != pytest.approx(np.mean((p >= 0.5) == y))


def test_live_metrics_bad_input_says_what_was_expected():
    from course_utils.contract import DEFAULT

    with pytest.raises(TypeError, match="list or column of labels"):
        monitoring.live_metrics("banana", [0.3], DEFAULT)
    with pytest.raises(TypeError, match="must be numbers"):
        monitoring.live_metrics(["banana"], ["high"], DEFAULT)
    with pytest.raises(ValueError, match="between 0 and 1"):
        monitoring.live_metrics(["banana"], [0.3], DEFAULT, threshold=75)
    with pytest.raises(ValueError, match="needs labels"):
        monitoring.live_metrics([], [], DEFAULT)


# --------------------------------------------------------------------------- paired bootstrap


def test_paired_bootstrap_matches_scipy_and_pairs_the_visits():
    from scipy import stats

    from course_utils.contract import DEFAULT

    m = drift.month("2026-09", "taste_change")
    y = m.visits["fruit"]
    truth = m.p_banana
    rng = np.random.default_rng(1)
    noisy = np.clip(truth + rng.normal(0, 0.15, len(truth)), 0, 1)
    r = monitoring.paired_bootstrap(y, truth, noisy, DEFAULT, n_resamples=2000, seed=0)
    diff = monitoring.visit_costs(y, noisy, DEFAULT) - monitoring.visit_costs(y, truth, DEFAULT)
    assert r["difference"] == pytest.approx(diff.mean())
    assert r["low"] < r["difference"] < r["high"]
    assert r["n_visits"] == len(y)
    ref = stats.bootstrap(
        (diff,), np.mean, n_resamples=2000, method="percentile", random_state=0
    ).confidence_interval
    assert r["low"] == pytest.approx(ref.low, abs=0.002)
    assert r["high"] == pytest.approx(ref.high, abs=0.002)
    # Pairing removes the month's luck: the unpaired interval (two independent draws) is wider.
    unpaired = []
    for _ in range(500):
        i, j = rng.integers(0, len(y), len(y)), rng.integers(0, len(y), len(y))
        a = monitoring.visit_costs(y, noisy, DEFAULT)[i].mean()
        unpaired.append(a - monitoring.visit_costs(y, truth, DEFAULT)[j].mean())
    assert np.subtract(*np.quantile(unpaired, [0.975, 0.025])) > r["high"] - r["low"]
    # Same seed, same interval; a model against itself: exactly no difference.
    assert monitoring.paired_bootstrap(y, truth, noisy, DEFAULT, seed=0) == r
    same = monitoring.paired_bootstrap(y, truth, truth, DEFAULT)
    assert same["low"] == same["high"] == same["difference"] == 0.0
    assert monitoring.read_comparison(same) == "no clear difference"


def test_read_comparison_follows_the_interval():
    assert monitoring.read_comparison({"low": -0.01, "high": -0.001}) == "challenger cheaper"
    assert monitoring.read_comparison({"low": 0.001, "high": 0.01}) == "champion cheaper"
    assert monitoring.read_comparison({"low": -0.001, "high": 0.01}) == "no clear difference"
    with pytest.raises(TypeError, match="paired_bootstrap"):
        monitoring.read_comparison(0.01)


def test_paired_bootstrap_refuses_bad_input():
    from course_utils.contract import DEFAULT

    y = ["apple", "banana"] * 100
    with pytest.raises(ValueError, match="must match"):
        monitoring.paired_bootstrap(y, [0.1] * 200, [0.1] * 199, DEFAULT)
    with pytest.raises(ValueError, match="at least 100"):
        monitoring.paired_bootstrap(y, [0.1] * 200, [0.2] * 200, DEFAULT, n_resamples=10)
    with pytest.raises(ValueError, match="confidence"):
        monitoring.paired_bootstrap(y, [0.1] * 200, [0.2] * 200, DEFAULT, confidence=95)
