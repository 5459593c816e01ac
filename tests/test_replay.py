"""Replaying production traffic (course_utils.replay): the batch path is the service's path,
labels arrive late and join on the request id, and on the default seed the monitor raises
the right alerts over the replayed year - and none for seasonality alone.
"""

from __future__ import annotations

import math

import httpx
import numpy as np
import pandas as pd
import pytest

from course_utils import checkpoints, contract, drift, monitoring, predlog, replay, service, world
from course_utils.registry import Registry

TRUSTED = ["course_utils.features.add_features"]
LABEL_DELAY = 1


@pytest.fixture(scope="module")
def months():
    return list(drift.production_schedule(drift.DEFAULT_SCHEDULE))


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    """The tuned model, registered with its test metrics and promoted - as notebook 08 does."""
    train, test = checkpoints.split()
    X_train, y_train = checkpoints.xy(train)
    model = checkpoints.tuned_model()
    banana = list(model.classes_).index("banana")
    scores = monitoring.live_metrics(
        test["fruit"], model.predict_proba(test[world.FEATURES])[:, banana], contract.DEFAULT
    )
    registry = Registry(tmp_path_factory.mktemp("registry"), extra_trusted=TRUSTED)
    card = registry.register(
        model,
        X_train=X_train,
        y_train=y_train,
        metrics={"expected_cost": scores["expected_cost"], "accuracy": scores["accuracy"]},
        contract=contract.DEFAULT,
    )
    registry.promote(card.version)
    return registry, card, train


# --------------------------------------------------------------------------- requests


def test_to_requests_gives_plain_json_values():
    visits = pd.DataFrame(
        {
            "store": pd.Categorical(["Station", "Central"]),
            "hour": np.array([7, 18], dtype=np.int32),
            "age": [34.0, np.nan],
            "has_kids": [True, False],
        }
    )
    out = replay.to_requests(visits, ["store", "hour", "age", "has_kids"])
    assert out == [
        {"store": "Station", "hour": 7, "age": 34.0, "has_kids": True},
        {"store": "Central", "hour": 18, "age": None, "has_kids": False},
    ]
    assert type(out[0]["hour"]) is int and type(out[0]["has_kids"]) is bool
    with pytest.raises(KeyError, match="temperature_c"):
        replay.to_requests(visits, ["store", "temperature_c"])
    with pytest.raises(TypeError, match="DataFrame"):
        replay.to_requests([{"store": "Central"}])
    with pytest.raises(KeyError, match="visit_id"):
        replay.replay_month(visits)


# --------------------------------------------------------------------------- same path


def test_the_service_path_and_the_batch_path_give_identical_rows(deployed, months, tmp_path):
    registry, card, _ = deployed
    visits = months[0].visits.head(300)
    requests = replay.to_requests(visits)
    answers = []
    with service.start_in_background(registry, log_path=tmp_path / "service.sqlite") as srv:
        with httpx.Client(base_url=srv.url, timeout=60) as client:
            for start in range(0, len(requests), 150):
                r = client.post("/predict", json={"visits": requests[start : start + 150]})
                assert r.status_code == 200, r.text
                answers += r.json()["predictions"]
    batch = replay.replay_month(visits, registry, log_path=tmp_path / "batch.sqlite")

    assert list(batch.columns) == replay.ANSWER_COLUMNS
    via_http = np.array([a["p_banana"] for a in answers])
    # The same computation; only the last bit may differ: a linear model's dot products are
    # summed in an order that depends on the batch size (150 over HTTP, 300 in the batch).
    np.testing.assert_allclose(via_http, batch["p_banana"].to_numpy(), rtol=0, atol=1e-12)
    assert [a["decision"] for a in answers] == batch["decision"].tolist()
    assert batch["problem"].isna().all() and batch["request_id"].is_unique

    # The same rows in both logs (only the request ids and the times differ).
    cols = ["model_version", "p_banana", "decision", *world.FEATURES]
    a = predlog.read_log(tmp_path / "service.sqlite", with_labels=False)[cols]
    b = predlog.read_log(tmp_path / "batch.sqlite", with_labels=False)[cols]
    pd.testing.assert_frame_equal(a, b)
    assert (b["model_version"] == card.version).all()
    # And the logged inputs are the visits' inputs.
    assert list(b["store"]) == list(visits["store"].astype(str))
    np.testing.assert_array_equal(b["age"], visits["age"].to_numpy(dtype=float))


def test_a_visit_the_service_refuses_is_refused_and_not_logged(deployed, months, tmp_path):
    registry, _, _ = deployed
    november = months[10].visits  # Fahrenheit: temperatures above 50 "°C" are refused
    too_hot = november["temperature_c"].to_numpy() > 50
    assert 0 < too_hot.sum() < len(november)
    answers = replay.replay_month(november, registry, log_path=tmp_path / "log.sqlite")
    refused = answers["problem"].notna().to_numpy()
    np.testing.assert_array_equal(refused, too_hot)
    assert answers.loc[refused, "request_id"].isna().all()
    assert answers.loc[refused, "p_banana"].isna().all()
    assert "temperature_c" in answers.loc[refused, "problem"].iloc[0]
    assert predlog.read_log(tmp_path / "log.sqlite").shape[0] == (~too_hot).sum()
    # The service says the same, with a 422.
    one = replay.to_requests(november[too_hot].head(1))[0]
    with service.start_in_background(registry, log_path=tmp_path / "service.sqlite") as srv:
        r = httpx.post(srv.url + "/predict", json=one, timeout=30)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "temperature_c"


def test_replay_follows_a_promotion(deployed, months, tmp_path):
    registry, card, _ = deployed
    model, _ = replay.load_model(registry)
    assert replay.load_model(registry)[0] is model  # loaded once, reused
    answers = replay.replay_month(months[1].visits.head(5), registry, log_path=tmp_path / "l")
    assert predlog.read_log(tmp_path / "l")["model_version"].eq(card.version).all()
    assert answers["decision"].isin(["apple", "banana"]).all()


# --------------------------------------------------------------------------- labels


def test_labels_arrive_late_and_join_on_the_request_id(deployed, months, tmp_path):
    registry, _, _ = deployed
    log_path = tmp_path / "log.sqlite"
    sent = {}
    for k, month in enumerate(months[:3]):
        sent[month.period] = replay.replay_month(month.visits, registry, log_path=log_path)
        if k >= LABEL_DELAY:
            due = months[k - LABEL_DELAY]
            pairs = replay.labels_for(sent[due.period], due.visits)
            assert predlog.record_labels(log_path, pairs) == len(due.visits)
        if k == 1:  # end of February: January is labelled, February is not yet
            log = predlog.read_log(log_path)
            assert log["fruit"].notna().sum() == len(months[0].visits)
    requests = pd.concat([a.assign(period=p) for p, a in sent.items()], ignore_index=True)
    log = predlog.read_log(log_path).merge(requests, on="request_id", suffixes=("", "_sent"))
    labelled = log.groupby("period")["fruit"].count()
    assert labelled.to_dict() == {"2026-01": 2000, "2026-02": 2000, "2026-03": 0}
    # Each label is the fruit of *its* visit.
    fruit = pd.concat([m.visits[["visit_id", "fruit"]] for m in months[:2]])
    joined = log.dropna(subset=["fruit"]).merge(fruit, on="visit_id", suffixes=("", "_true"))
    assert len(joined) == 4000 and (joined["fruit"] == joined["fruit_true"]).all()
    assert (log["p_banana"] == log["p_banana_sent"]).all()
    assert replay.labels_for(sent["2026-01"].head(0), months[0].visits) == []


# --------------------------------------------------------------------------- the year


@pytest.fixture(scope="module")
def year(deployed, months, tmp_path_factory):
    """Replay the default year through the replay code, labels a month late; apply the rules."""
    registry, card, train = deployed
    log_path = tmp_path_factory.mktemp("year") / "predictions.sqlite"
    sent = {}
    for k, month in enumerate(months):
        sent[month.period] = replay.replay_month(month.visits, registry, log_path=log_path)
        if k >= LABEL_DELAY:
            due = months[k - LABEL_DELAY]
            predlog.record_labels(log_path, replay.labels_for(sent[due.period], due.visits))
    requests = pd.concat([a.assign(period=p) for p, a in sent.items()], ignore_index=True)
    log = predlog.read_log(log_path).merge(requests[["request_id", "period"]], on="request_id")
    yes_no = {"has_kids": "boolean", "loyalty_member": "boolean"}
    inputs = {p: g[world.FEATURES].astype(yes_no) for p, g in log.groupby("period")}
    window = inputs[months[0].period]
    alerts: dict[str, set] = {}
    for month in months:
        rules = monitoring.check_month(
            inputs[month.period],
            history=train,
            window=window,
            month=pd.Period(month.period, freq="M").month,
        )
        rows = log[(log["period"] == month.period) & log["fruit"].notna()]
        if len(rows):
            rules = pd.concat(
                [
                    rules,
                    monitoring.check_live(
                        rows["fruit"],
                        rows["p_banana"],
                        contract.DEFAULT,
                        reference_cost=card.metrics["expected_cost"],
                    ),
                ]
            )
        fired = rules[rules["alert"]]
        alerts[month.period] = set(
            zip(fired["rule"], fired["input"].str.split(" @ ").str[0], strict=True)
        )
    refused = requests.groupby("period")["problem"].apply(lambda s: int(s.notna().sum()))
    labelled = log.groupby("period")["fruit"].count()
    return {m.period: m.scenario for m in months}, alerts, refused, labelled


def _periods(year, scenario):
    return [p for p, s in year[0].items() if s == scenario]


def test_seasonality_alone_pages_nobody(year):
    _, alerts, refused, _ = year
    for period in _periods(year, "seasonality"):
        assert alerts[period] == set(), period
        assert refused[period] == 0


def test_the_students_raise_input_drift_on_age_and_nothing_else(year):
    for period in _periods(year, "covariate_shift"):
        assert year[1][period] == {("input drift", "age")}, period


def test_the_price_shock_raises_the_banana_price_level_alert(year):
    for period in _periods(year, "price_shock"):
        assert year[1][period] == {("seasonal level", "price_banana")}, period


def test_the_taste_change_shows_only_in_the_live_metric(year):
    for period in _periods(year, "taste_change"):
        assert year[1][period] == {("live metric", "expected_cost")}, period
    others = [p for p, s in year[0].items() if s != "taste_change"]
    for period in others:
        assert ("live metric", "expected_cost") not in year[1][period], period


def test_the_unit_switch_is_caught_by_data_validation(year):
    _, alerts, refused, labelled = year
    for period in _periods(year, "unit_switch"):
        assert ("data validation", "temperature_c") in alerts[period], period
        assert refused[period] > 0  # the schema refuses the hottest "°C" at the door
    assert labelled[max(year[0])] == 0  # the last month's labels have not arrived yet


def test_load_model_refuses_an_empty_registry(tmp_path):
    from course_utils.registry import UnknownModelError

    with pytest.raises(UnknownModelError):
        replay.replay_month(drift.month("2026-01", n_visits=3).visits, Registry(tmp_path))


def test_plain_values():
    assert replay._plain(np.float64("nan")) is None
    assert replay._plain(pd.NA) is None and replay._plain(None) is None
    assert replay._plain(np.int64(3)) == 3 and type(replay._plain(np.int64(3))) is int
    assert math.isclose(replay._plain(np.float32(0.5)), 0.5)
    assert replay._plain("Central") == "Central"
