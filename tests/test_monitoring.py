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
