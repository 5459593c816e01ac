"""Retraining policies over the production year: the rule, the windows, the simulation.

The year is built once per session (``retraining.production_year()`` is cached), so these
tests and notebook 09's share the fitted models.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from course_utils import checkpoints, drift, monitoring, retraining, world  # noqa: E402


@pytest.fixture(scope="module")
def year():
    return retraining.production_year()


@pytest.fixture(scope="module")
def sims(year):
    return retraining.standard_policies(year)


# --------------------------------------------------------------------------- the rule


def test_decide_follows_the_policy_and_the_label_delay():
    assert retraining.decide("never", 5) == (False, "never retrains")
    assert retraining.decide("schedule", 0, period=1) == (False, "no labels yet")
    assert retraining.decide("on_alert", 0, input_alerts=["age"])[0] is False
    due = [i for i in range(11) if retraining.decide("schedule", i, period=3)[0]]
    assert due == [2, 5, 8]  # the ends of March, June and September
    assert retraining.decide("on_alert", 4) == (False, "no alert")
    retrain, reason = retraining.decide("on_alert", 4, input_alerts=["a", "b", "c", "d"])
    assert retrain and reason == "input alert: a, b (+2 more)"
    retrain, reason = retraining.decide("on_alert", 8, live_alerts=["contract minimum"])
    assert retrain and "live metric" in reason


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"policy": "sometimes", "month": 3}, "policy must be one of"),
        ({"policy": "schedule", "month": 3, "period": 0}, "period must be"),
        ({"policy": "schedule", "month": 3, "period": 1.5}, "period must be"),
    ],
)
def test_decide_refuses_odd_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        retraining.decide(**kwargs)


# --------------------------------------------------------------------------- windows


def test_training_windows_hold_only_labelled_months(year):
    n_history = len(year.history)
    X, y = retraining.training_window(year, 2, window="all")
    assert len(X) == len(y) == n_history + 3 * drift.VISITS_PER_MONTH
    assert list(X.columns) == world.FEATURES
    assert set(y) == {"apple", "banana"}
    X, y = retraining.training_window(year, 6, window="recent")
    assert len(X) == 3 * drift.VISITS_PER_MONTH
    pd.testing.assert_series_equal(
        y.iloc[-drift.VISITS_PER_MONTH :].reset_index(drop=True),
        year.labels(6).reset_index(drop=True),
    )
    X, _ = retraining.training_window(year, 0, window="recent", k=3)  # only January exists
    assert len(X) == drift.VISITS_PER_MONTH


def test_windows_and_months_give_clear_errors(year):
    with pytest.raises(ValueError, match="window must be one of"):
        retraining.training_window(year, 3, window="last year")
    with pytest.raises(ValueError, match="k \\(months"):
        retraining.training_window(year, 3, window="recent", k=0)
    with pytest.raises(IndexError, match="outside the year"):
        year.inputs(12)
    with pytest.raises(TypeError, match="0 = January"):
        year.labels("March")
    with pytest.raises(ValueError, match="policy must be one of"):
        retraining.simulate("always", year=year)


def test_the_inputs_have_the_histories_types(year):
    X = year.inputs(3)
    for col in ("age", "has_kids", "loyalty_member"):
        assert X[col].dtype == year.history[col].dtype, col


def test_the_repair_gives_back_the_true_temperatures(year):
    for i in (10, 11):
        assert year.months[i].scenario == "unit_switch"
        repaired = year.repaired_inputs(i)["temperature_c"].to_numpy()
        truth = drift.month(year.periods[i]).visits["temperature_c"].to_numpy()
        assert np.abs(repaired - truth).max() <= 0.06  # two roundings to 0.1
        assert monitoring.out_of_range(year.repaired_inputs(i), monitoring.VALID_RANGES).max() == 0
    pd.testing.assert_frame_equal(year.repaired_inputs(4), year.inputs(4))


# --------------------------------------------------------------------------- the first model


def test_the_first_model_is_notebook_05s(year):
    with threadpool_limits(limits=1):
        tuned = checkpoints.tuned_model()
        X = year.inputs(0)
        assert np.allclose(tuned.predict_proba(X), year.first_model().predict_proba(X))
    assert 0 < year.reference_cost < year.contract.minimum


# --------------------------------------------------------------------------- simulation


def test_every_model_learns_only_from_labels_that_had_arrived(sims):
    for sim in sims.values():
        log = sim.log
        assert len(log) == 12
        for i, through in enumerate(log["trained_through"]):
            # decided at the end of month i - 1, with labels up to month i - 2
            assert through == -1 or through <= i - 2, (sim.label, i, through)
        assert not log["retrain"].iloc[-1]  # nothing decided at the end of the year
        assert not log["retrain"].iloc[0]  # nor before any label has arrived
        assert sim.retrains == log["retrain"].sum() == len(sim.retrain_months)


def test_retrains_of_the_schedules(year, sims):
    assert sims["never"].retrains == 0
    assert sims["every month"].retrains == 10
    assert sims["every 3 months"].retrains == 3
    assert sims["every 6 months"].retrains == 1
    assert retraining.simulate("schedule", period=2, year=year).retrains == 5
    assert sims["every 3 months"].retrain_months == ["2026-03", "2026-06", "2026-09"]


def test_never_serves_the_first_model_all_year(year, sims):
    log = sims["never"].log
    assert (log["trained_through"] == -1).all()
    for i in (0, 7, 11):
        p = year.first_model().predict_proba(year.inputs(i))[:, 1]
        expected = monitoring.live_metrics(year.labels(i), p, year.contract)
        assert log["accuracy"].iloc[i] == pytest.approx(expected["accuracy"])
        assert log["expected_cost"].iloc[i] == pytest.approx(expected["expected_cost"])
    assert np.allclose(log["best_cost"], year.best_cost)
    assert np.allclose(log["excess_cost"], log["expected_cost"] - log["best_cost"])


def test_every_number_is_decided_at_the_contract_threshold(year, sims):
    """One metric language: the accuracy is of the decisions the service makes (at 0.75)."""
    assert year.threshold == 0.75
    p = year.first_model().predict_proba(year.inputs(2))[:, 1]
    y = (year.labels(2) == "banana").to_numpy()
    log = sims["never"].log
    assert log["accuracy"].iloc[2] == pytest.approx(np.mean((p >= 0.75) == y))
    # The best possible: the true probabilities at the same threshold, the lowest cost.
    m = year.months[2]
    best = monitoring.live_metrics(m.visits["fruit"], m.p_banana, year.contract)
    assert year.best_cost[2] == pytest.approx(best["expected_cost"])
    assert (log["excess_cost"] > -0.003).all()  # a month of 2,000 visits: luck is small


def test_on_alert_reacts_to_the_alerts_of_notebook_08(sims):
    log = sims["on alert, all data"].log.set_index("month")
    # The students, the price shock and the thermometers raise input alerts ...
    assert "age" in log.loc["2026-04", "input_alerts"]
    assert "price_banana" in log.loc["2026-06", "input_alerts"]
    assert "temperature_c" in log.loc["2026-11", "input_alerts"]
    # ... seasonality raises none, and the taste change only shows in the live metric.
    assert log.loc[["2026-02", "2026-03"], "input_alerts"].eq("").all()
    assert log.loc[["2026-08", "2026-09", "2026-10"], "input_alerts"].eq("").all()
    assert log.loc[["2026-09", "2026-10"], "live_alerts"].ne("").any()
    assert log["retrain"].equals(log["reason"].str.match("input alert|live metric"))


def test_final_quarter_is_measured_in_the_contract_metric(sims):
    """ "Ends the year" = the mean expected cost over October to December, and how far
    above perfect knowledge it is."""
    on_alert = sims["on alert, all data"]
    assert retraining.FINAL_QUARTER == 3
    tail = slice(9, 12)
    assert on_alert.final_cost() == pytest.approx(on_alert.log["expected_cost"].iloc[tail].mean())
    manual = (on_alert.log["expected_cost"] - on_alert.log["best_cost"]).iloc[tail].mean()
    assert on_alert.final_excess() == pytest.approx(manual)
    assert all(s.final_excess() > 0 for s in sims.values())  # nobody beats perfect knowledge


def test_simulations_are_cached_and_share_their_fits(year, sims):
    assert retraining.simulate("schedule", period=3, year=year) is sims["every 3 months"]
    assert retraining.simulate("on_alert", year=year) is sims["on alert, all data"]
    assert retraining.production_year() is year
    # one first model, at most one per last labelled month and window
    assert len(year._fits) <= 1 + 2 * 10
    before = len(year._fits)
    retraining.standard_policies(year)
    assert len(year._fits) == before


def test_retrain_is_a_fresh_pipeline_on_the_window(year):
    model = retraining.retrain(year, 1, window="all")
    assert model is retraining.retrain(year, 1, window="all")
    fresh = retraining.new_model()
    assert type(fresh[-1]).__name__ == "LogisticRegression"
    assert not hasattr(fresh[-1], "coef_")  # unfitted
    for key, value in checkpoints.TUNED_PARAMS.items():
        assert model.get_params()[f"logisticregression__{key}"] == value
    assert retraining.new_model(max_iter=50)[-1].max_iter == 50
    assert model[-1].n_features_in_ > 0  # fitted


def test_summary_and_figure(year, sims):
    table = retraining.summary(sims)
    assert list(table.index) == [label for label, _, _ in retraining.STANDARD_VARIANTS]
    assert table.loc["never", "retrains"] == 0
    assert list(table.columns) == [
        "retrains",
        "mean cost (€/visit)",
        "final-quarter cost (€/visit)",
        "above best (€/visit)",
        "final-quarter accuracy (at 0.75)",
    ]
    assert table["final-quarter cost (€/visit)"].between(0.01, 0.06).all()
    assert (table["above best (€/visit)"] > 0).all()
    fig = retraining.plot_policies(sims, year)
    ax = fig.axes[0]
    labels = ax.get_legend_handles_labels()[1]
    assert labels[0].startswith("best possible")
    assert "€ per visit" in ax.get_ylabel()
    assert any(label.startswith("never (0 retrains)") for label in labels)
    lines = [line for line in ax.lines if line.get_linestyle() != "None"]
    styles = {(str(x.get_color()), x.get_linestyle(), x.get_marker()) for x in lines}
    assert len(styles) == len(lines) == 1 + len(sims)  # no two lines look alike
    assert len({(x.get_linestyle(), x.get_marker()) for x in lines}) == len(lines)
    assert ax.get_ylabel() and ax.get_xlabel() and ax.get_title()
    plt.close(fig)


def test_compare_policies_is_a_paired_bootstrap_on_the_served_models(year, sims):
    never, on_alert = sims["never"], sims["on alert, all data"]
    r = retraining.compare(never, on_alert)  # the final quarter by default
    assert r["n_visits"] == 3 * len(year.labels(9))
    manual = (
        on_alert.log["expected_cost"].iloc[9:].mean() - never.log["expected_cost"].iloc[9:].mean()
    )
    assert r["difference"] == pytest.approx(manual)
    assert r["low"] <= r["difference"] <= r["high"]
    same = retraining.compare(sims["every month"], on_alert)  # the same models at year's end
    assert same["low"] == same["high"] == 0.0
    one = retraining.compare(never, on_alert, months=[0])  # January: the same first model
    assert one["difference"] == 0.0 and one["n_visits"] == len(year.labels(0))
    with pytest.raises(TypeError, match="two simulations"):
        retraining.compare(never, "on alert")
    with pytest.raises(ValueError, match="at least one month"):
        retraining.compare(never, on_alert, months=[])
