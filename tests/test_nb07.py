"""Notebook 07 "Deploy": its exercises, the fruit-stand app, and the service it starts.

The lesson's solution code runs once, in-process, in a throw-away work folder (as the
build and nbval do); the tests then read its variables, its registry and its prediction
log. Because it runs in *this* process, a service left running would still hold its port
afterwards - so "the port refuses connections" proves the notebook stopped its server.
The exercise and app tests talk to a second service started from the lesson's registry.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import socket
import sqlite3
import threading

import httpx
import ipywidgets as W
import numpy as np
import pandas as pd
import pytest
from lesson_runner import run_lesson  # noqa: E402
from sklearn.linear_model import LogisticRegression

from course_utils import lessons, predlog, progress, service
from course_utils.exercises import MISTAKES
from course_utils.exercises.nb07 import VISIT_Q2, q1, q2, q3, q4
from course_utils.widgets import app, p95, update_times

(LESSON,) = lessons.find_lessons(["07"])


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    progress._reset_session()
    yield
    progress._reset_session()


@pytest.fixture(scope="module")
def lesson(tmp_path_factory) -> dict:
    """Run the solutions version of lesson 07 in-process; return its variables."""

    def stop_server(namespace: dict) -> None:  # never leave a server behind
        if "srv" in namespace:
            namespace["_running_after_lesson"] = namespace["srv"].running
            namespace["srv"].stop()

    return run_lesson("07", tmp_path_factory.mktemp("work"), on_exit=stop_server)


@pytest.fixture(scope="module")
def srv(lesson, tmp_path_factory):
    """A fresh service on the lesson's registry (its production model), its own log."""
    log = tmp_path_factory.mktemp("log") / "predictions.sqlite"
    handle = service.start_in_background(lesson["registry"], log_path=log)
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def closed_url():
    """The address of a port where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _mistake(exercise, answer, **inputs) -> str | None:
    fb = exercise.evaluate(answer, **inputs)
    assert fb.status != "not_attempted", answer
    assert fb.message and (fb.mistake is None or fb.mistake in MISTAKES), fb
    return fb.mistake


def _run_solution(exercise, ns: dict, capsys) -> str:
    ns = dict(ns, **{exercise.name: exercise})
    exec(exercise._solution, ns)
    return capsys.readouterr().out


ODD = ["banana", 3, float("nan"), pd.DataFrame({"x": [1, 2]}), LogisticRegression(), [1, 2]]


# --------------------------------------------------------------------------- the lesson


def test_the_notebook_stops_its_server_frees_the_port_and_restarts_it_for_the_app(lesson):
    srv = lesson["srv"]
    assert "service running: False; its port refuses connections: True" in lesson["_stdout"]
    # started again on the same port, so the app (built with the old url) still works
    assert "started again on the same port: True" in lesson["_stdout"]
    assert lesson["_running_after_lesson"] is True and lesson["stand"].url == srv.url
    # the fixture stopped it: no server left behind
    with socket.socket() as probe:
        assert probe.connect_ex((srv.host, srv.port)) != 0
    alive = [t.name for t in threading.enumerate() if t.name == f"fruit-stand-{srv.port}"]
    assert alive == []


def test_the_app_shown_is_left_at_its_defaults(lesson):
    """The code demo uses a second form: the one the learner sees keeps its values."""
    assert lesson["stand"].values()["age"] == lesson["app"].DEFAULT_FIELDS["age"]
    assert "age" in lesson["demo"].result_text


def test_every_check_in_the_lesson_passes_but_the_shown_mistakes(lesson):
    out = lesson["_stdout"]
    assert out.count("✔ Correct") == 4
    assert "`except` never even sees it" in out  # q1's shown misconception
    assert "did you mean `weekday`?" in out  # q2's shown wrong field name
    assert "Hello from inside the file!" in out  # the pickle ran code while loading


def test_registered_promoted_and_carded(lesson):
    reg, card = lesson["registry"], lesson["card"]
    assert reg.aliases() == {"production": "v1"} and card.version == "v1"
    assert card.training_data["rows"] == len(lesson["X_train"])
    assert card.training_data["includes_labels"] is True
    assert set(card.metrics) == {"expected_cost", "accuracy_at_threshold"}
    assert set(card.intervals) == {"expected_cost", "accuracy_at_threshold", "method"}
    low, high = card.intervals["expected_cost"]
    assert low < card.metrics["expected_cost"] < high <= card.contract["minimum"]
    assert card.intended_use and card.out_of_scope and card.limitations
    assert card.metrics["expected_cost"] <= card.contract["minimum"]
    assert card.threshold == pytest.approx(0.75)
    assert card.schema.names == list(lesson["X_train"].columns)
    # the trusted-types lesson: our function is needed, and not trusted by the rule
    assert "course_utils.features.add_features" in lesson["needed"]
    assert reg.trusted_types("production") == sorted(lesson["needed"])
    assert not (lesson["_work"] / "scratch_07.skops").exists()
    # the model served is the model fitted: same probabilities
    pipeline, _ = reg.load("production")
    X = lesson["X_test"].head(50)
    np.testing.assert_allclose(
        pipeline.predict_proba(X), lesson["model"].predict_proba(X), rtol=0, atol=1e-12
    )


def test_metrics_are_read_from_notebook_06s_verdict_when_present(lesson, tmp_path, monkeypatch):
    (cell,) = [
        c.source
        for c in lessons.read_lesson(LESSON.source).cells
        if c.cell_type == "code" and "verdict_06.json" in c.source
    ]
    monkeypatch.setenv("COURSE_WORK_DIR", str(tmp_path))
    verdict = {
        "test_metrics": {"expected_cost": 0.0123, "accuracy_at_threshold": 0.9, "visits": 10},
        "intervals_95": {"expected_cost": [0.01, 0.015], "saving_on_rule_of_thumb": [1, 2]},
        "intended_use": "testing",
        "out_of_scope": ["a"],
        "limitations": ["b"],
    }
    (tmp_path / "verdict_06.json").write_text(json.dumps(verdict), encoding="utf-8")
    ns = dict(lesson)
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(lessons.solution_code(cell), ns)
    assert "read from notebook 06's verdict" in out.getvalue()
    assert ns["test_metrics"] == {"expected_cost": 0.0123, "accuracy_at_threshold": 0.9}
    assert ns["card_intervals"] == {"expected_cost": [0.01, 0.015]}  # only the card's metrics
    assert ns["card_words"] == {
        "intended_use": "testing",
        "out_of_scope": ["a"],
        "limitations": ["b"],
    }
    # an older verdict (before the intervals) is recomputed, not half-read
    old = {"test_metrics": {"expected_cost": 0.0123, "accuracy": 0.9, "visits": 10}}
    (tmp_path / "verdict_06.json").write_text(json.dumps(old), encoding="utf-8")
    ns = dict(lesson)
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(lessons.solution_code(cell), ns)
    assert "recomputed" in out.getvalue() and ns["test_metrics"] == lesson["test_metrics"]
    # without it, the lesson recomputed them; they agree with the card it registered
    assert lesson["test_metrics"] == lesson["card"].metrics


def test_the_log_holds_exactly_what_was_served(lesson):
    log = predlog.read_log(lesson["log_path"])
    # the prose's count (309) when the log is queried, then the static fallback's visit;
    # refused requests are never logged
    assert len(log) == 309 + 1
    assert set(log["model_version"]) == {"v1"}
    assert log["fruit"].isna().all()  # no labels yet
    assert not (log["age"] == 230).any() and "Airport" not in set(log["store"])
    per_store = lesson["per_store"].set_index(["store", "decision"])["predictions"]
    counted = log.head(309).groupby(["store", "decision"]).size()
    assert per_store.to_dict() == counted.to_dict()


def test_static_fallback_is_the_apps_first_visit(lesson):
    result = lesson["result"]
    assert result.ok and result.model_version == "v1"
    assert result.p_banana == pytest.approx(lesson["answer"]["p_banana"])
    assert "Decision: BANANA" in lesson["_stdout"]


# --------------------------------------------------------------------------- q1


def test_q1_pickle_misconception(lesson, capsys):
    assert _run_solution(q1, lesson, capsys).startswith("✔ Correct")
    assert q1.evaluate("C").ok and q1.evaluate(" (c) ").ok
    assert _mistake(q1, "a") == "pickle_runs_code"
    assert _mistake(q1, "b") == "try_except_is_no_sandbox"
    fb = q1.evaluate("d")
    assert fb.mistake == "pickle_runs_code" and "laptop" in fb.message
    for answer in (..., None):
        assert q1.evaluate(answer).status == "not_attempted"
    for odd in ODD:
        assert _mistake(q1, odd) == "wrong_type"


# --------------------------------------------------------------------------- q2


def test_q2_solution_is_validated_and_accepted_by_the_service(lesson, srv, capsys):
    before = httpx.get(srv.url + "/health").json()["served"]
    out = _run_solution(q2, dict(lesson, srv=srv), capsys)
    assert out.startswith("✔ Correct") and "accepted it" in out
    assert httpx.get(srv.url + "/health").json()["served"] == before + 1
    # the same visit as JSON text, with 1/0 for yes/no and 34.0 for 34, passes too
    text = json.dumps(dict(VISIT_Q2, has_kids=1, loyalty_member=1, age=34.0))
    assert q2.evaluate(text, url=srv.url).ok


@pytest.mark.parametrize(
    ("changes", "mistake", "says"),
    [
        ({"weekday": 6}, "wrong_value", "Monday = 0"),
        ({"price_apple": 55, "price_banana": 30}, "unit_cents", "cents"),
        ({"temperature_c": 64.4}, "unit_fahrenheit", "Fahrenheit"),
        ({"age": "34"}, "wrong_type", "in quotes"),
        ({"has_kids": "yes"}, "wrong_type", "has_kids"),
        ({"store": "riverside"}, "wrong_value", "Spelling and capitals"),
        ({"hour": 35}, "out_of_range", "from 0 to 23"),
        ({"hour": 23, "promo": "none"}, "wrong_value", "`hour`"),
        ({"age": None}, "wrong_value", "the customer is 34"),
    ],
)
def test_q2_typical_mistakes(srv, changes, mistake, says):
    fb = q2.evaluate(dict(VISIT_Q2, **changes), url=srv.url)
    assert fb.mistake == mistake and says in fb.message, fb


def test_q2_field_names_and_shapes(srv):
    renamed = {("children" if k == "has_kids" else k): v for k, v in VISIT_Q2.items()}
    fb = q2.evaluate(renamed, url=srv.url)
    assert fb.mistake == "extra_columns" and "did you mean `has_kids`?" in fb.message
    partial = {k: v for k, v in VISIT_Q2.items() if k != "temperature_c"}
    fb = q2.evaluate(partial, url=srv.url)
    assert fb.mistake == "missing_columns" and "`temperature_c`" in fb.message
    assert _mistake(q2, [VISIT_Q2], url=srv.url) == "wrong_shape"
    assert _mistake(q2, {"visits": [VISIT_Q2]}, url=srv.url) == "wrong_shape"
    assert _mistake(q2, "not json", url=srv.url) == "wrong_type"
    assert _mistake(q2, "[1, 2]", url=srv.url) == "wrong_type"
    assert _mistake(q2, pd.DataFrame([VISIT_Q2]), url=srv.url) == "wrong_type"
    for odd in ODD:
        assert _mistake(q2, odd, url=srv.url) in ("wrong_type", "wrong_shape")
    for answer in (..., None):
        assert q2.evaluate(answer, url=srv.url).status == "not_attempted"
    assert _mistake(q2, VISIT_Q2) == "missing_input"  # url= forgotten


def test_q2_service_not_running(closed_url):
    fb = q2.evaluate(VISIT_Q2, url=closed_url)
    assert fb.mistake == "check_error" and "did not answer" in fb.message
    # a wrong visit is still diagnosed without the service (the course's own schema)
    assert q2.evaluate(dict(VISIT_Q2, weekday=6), url=closed_url).mistake == "wrong_value"
    assert q2.evaluate(VISIT_Q2, url=12).mistake == "check_error"


# --------------------------------------------------------------------------- q3


def test_q3_diagnose_the_rejected_request(lesson, capsys):
    assert _run_solution(q3, lesson, capsys).startswith("✔ Correct")
    assert _mistake(q3, "a") == "retry_4xx"
    assert _mistake(q3, "e") == "widen_the_rules"
    assert _mistake(q3, "d") == "missing_columns"
    fb = q3.evaluate("c")
    assert fb.mistake == "wrong_choice" and "decimals are fine" in fb.message
    for answer in (..., None):
        assert q3.evaluate(answer).status == "not_attempted"
    for odd in ODD:
        assert _mistake(q3, odd) == "wrong_type"
    # the scenario the exercise shows is really refused on temperature_c alone
    assert "temperature_c: expected a number from -30 to 50" in lesson["_stdout"]


# --------------------------------------------------------------------------- q4


@pytest.fixture(scope="module")
def log_counts(lesson):
    log = predlog.read_log(lesson["log_path"])
    station, banana = log["store"] == "Station", log["decision"] == "banana"
    return {
        "right": int((station & banana).sum()),
        "station": int(station.sum()),
        "bananas": int(banana.sum()),
        "station_apples": int((station & ~banana).sum()),
        "rows": len(log),
    }


def test_q4_solution_and_typical_mistakes(lesson, log_counts, capsys):
    counts = log_counts
    assert len(set(counts.values())) == len(counts)  # the mistakes are distinguishable
    con = sqlite3.connect(lesson["log_path"])
    try:
        out = _run_solution(q4, dict(lesson, con=con), capsys)
        assert out.startswith("✔ Correct")
        one_cell = pd.read_sql_query(
            "SELECT COUNT(*) FROM predictions WHERE decision = 'banana' "
            "AND json_extract(inputs, '$.store') = 'Station'",
            con,
        )
        per_store = pd.read_sql_query(
            "SELECT json_extract(inputs, '$.store') AS store, COUNT(*) AS n FROM predictions "
            "WHERE decision = 'banana' GROUP BY store",
            con,
        )
    finally:
        con.close()
    path = lesson["log_path"]
    assert q4.evaluate(one_cell, log_path=path).ok
    assert q4.evaluate(np.int64(counts["right"]), log_path=path).ok
    assert _mistake(q4, counts["station"], log_path=path) == "one_filter_only"
    assert _mistake(q4, counts["bananas"], log_path=path) == "one_filter_only"
    assert _mistake(q4, counts["rows"], log_path=path) == "one_filter_only"
    assert _mistake(q4, counts["station_apples"], log_path=path) == "complement"
    fb = q4.evaluate(per_store, log_path=path)
    assert fb.mistake == "wrong_shape" and "3 rows and 2 columns" in fb.message
    assert _mistake(q4, counts["right"] + 0.5, log_path=path) == "not_integer"
    assert _mistake(q4, -1, log_path=path) == "out_of_range"
    for answer in (..., None):
        assert q4.evaluate(answer, log_path=path).status == "not_attempted"
    for odd in ODD:
        assert _mistake(q4, odd, log_path=path) in (
            "wrong_type",
            "nan",
            "wrong_shape",
            "wrong_value",
        )
    fb = q4.evaluate(counts["right"], log_path=lesson["_work"] / "nothing.sqlite")
    assert fb.mistake == "check_error" and "no prediction log" in fb.message


def test_q4_counts_the_log_when_checked(lesson, log_counts, tmp_path):
    """The truth follows the log: a copy with one more Station banana wants one more."""
    copy = tmp_path / "copy.sqlite"
    src = sqlite3.connect(lesson["log_path"])
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    with predlog.PredictionLog(copy) as log:
        log.write(
            [
                {
                    "request_id": "extra",
                    "time": predlog.now(),
                    "model_version": "v1",
                    "inputs": dict(VISIT_Q2, store="Station"),
                    "p_banana": 0.9,
                    "decision": "banana",
                }
            ]
        )
    assert q4.evaluate(log_counts["right"] + 1, log_path=copy).ok
    assert not q4.evaluate(log_counts["right"], log_path=copy).ok


# --------------------------------------------------------------------------- the app


def test_build_request_turns_form_values_into_a_visit():
    payload = app.build_request(app.DEFAULT_FIELDS)
    assert list(payload) == list(app.FIELD_NAMES)
    assert payload["weekday"] == 1 and payload["has_kids"] is False
    assert payload["age"] == 29 and payload["temperature_c"] == 9.5
    form = dict(app.DEFAULT_FIELDS, weekday="Saturday", age=" ", has_kids="unknown")
    form.update(temperature_c="12,5", price_apple="0.4", loyalty_member="yes")
    payload = app.build_request(form)
    assert payload["weekday"] == 5 and payload["age"] is None and payload["has_kids"] is None
    assert payload["temperature_c"] == 12.5 and payload["price_apple"] == 0.4
    assert payload["loyalty_member"] is True
    # no checking: odd values go to the service as they are, missing fields stay missing
    odd = app.build_request({"age": "abc", "hour": "nan", "store": "Airport"})
    assert odd == {"store": "Airport", "hour": "nan", "age": "abc"}
    with pytest.raises(TypeError, match="dict"):
        app.build_request(["age"])


def test_call_service_answers_refuses_and_never_raises(srv, closed_url):
    ok = app.call_service(srv.url, app.build_request(app.DEFAULT_FIELDS))
    assert ok.ok and ok.status == 200 and ok.decision in ("apple", "banana")
    assert 0 <= ok.p_banana <= 1 and ok.threshold == pytest.approx(0.75)
    assert app.call_service(srv.url + "/predict/", VISIT_Q2).ok  # either address works
    refused = app.call_service(srv.url, dict(VISIT_Q2, age=230, price_banana=-0.3))
    assert not refused.ok and refused.status == 422
    assert [f for f, _ in refused.errors] == ["age", "price_banana"]
    text = app.describe(refused)
    assert "HTTP 422" in text and "age: expected a number from 16 to 110" in text
    not_json = app.call_service(srv.url, {"age": float("nan")})  # httpx 0.28 refuses NaN
    assert not not_json.ok and not_json.status in (None, 400)
    assert app.call_service(srv.url, {"x": {1, 2}}).status is None  # not JSON at all
    away = app.call_service(closed_url, VISIT_Q2)
    assert away.status is None and "Could not reach" in app.describe(away)
    assert "No service address" in app.describe(app.call_service(None, VISIT_Q2))
    assert app.bar_html(refused) == "" and "P(banana)" in app.bar_html(ok)
    assert "threshold" in app.bar_html(ok) and 'aria-label="P(banana)' in app.bar_html(ok)


def test_app_headless_fields_click_and_text(srv):
    stand = app.make_widget(srv.url)
    assert set(stand.controls) == set(app.FIELD_NAMES)
    assert isinstance(stand.controls["store"], W.Dropdown)
    assert list(stand.controls["store"].options) == ["Central", "Riverside", "Station"]
    assert isinstance(stand.button, W.Button) and stand.result_text == ""
    served = httpx.get(srv.url + "/health").json()["served"]
    stand.button.click()
    first = stand.result_text
    assert first.startswith("Decision: BANANA") and "model v1" in first
    assert "P(banana)" in stand.bar.value and "✔ Prediction" in stand.result_html.value
    # the commuter becomes a middle-aged Riverside shopper in the afternoon: apple
    stand.controls["store"].value = "Riverside"
    stand.controls["hour"].value = 14
    stand.controls["age"].value = "45"
    stand.controls["weekday"].value = 6
    stand.controls["has_kids"].value = "no"
    stand.button.click()
    assert stand.result.ok and stand.result.p_banana < 0.75
    assert stand.result_text.startswith("Decision: APPLE")
    # a refused request shows the service's message, clearly
    stand.controls["age"].value = "230"
    stand.button.click()
    assert not stand.result.ok and stand.bar.value == ""
    assert "Refused by the service (HTTP 422)" in stand.result_text
    assert "age: expected a number from 16 to 110, or null if unknown, got 230" in (
        stand.result_text
    )
    assert "✘ No prediction" in stand.result_html.value
    stand.controls["age"].value = ""  # unknown: allowed
    stand.controls["price_banana"].value = -0.3
    stand.button.click()
    assert "price_banana: expected a number from 0.01 to 20, got -0.3" in stand.result_text
    stand.controls["price_banana"].value = 0.3
    stand.button.click()
    assert stand.result.ok and stand.payload["age"] is None
    assert httpx.get(srv.url + "/health").json()["served"] == served + 3
    assert stand.calls == 5


def test_app_fields_update_the_preview_without_the_network(srv, closed_url):
    stand = app.make_widget(closed_url, fields={"weekday": "Sunday", "store": "Central"})
    assert stand.payload["weekday"] == 6 and stand.payload["store"] == "Central"
    stand.controls["age"].value = "45"
    assert stand.payload["age"] == 45 and "&quot;age&quot;: 45" in stand.request_html.value
    times = update_times(stand, *app.BENCH)
    assert len(times) >= len(app.BENCH[1]) - 1 and p95(times) > 0  # speed: make bench
    assert stand.calls == 0  # typing never calls the service
    stand.button.click()
    assert stand.result_text.startswith("No answer: Could not reach the service")
    offline = app.make_widget()  # what `make bench` builds: no url at all
    offline.button.click()
    assert "No service address" in offline.result_text


def test_app_text_bar_and_describe():
    assert app.text_bar(0.0, 0.75, width=4) == "0 [---|] 1"
    assert app.text_bar(1.2, 0.5, width=4) == "0 [##|#] 1"
    r = app.Result(True, 200, "apple", 0.31, 0.75, "v1")
    assert "below the threshold 0.75" in app.describe(r)
    assert "not your input" in app.describe(app.Result(False, 500, detail="boom"))
    assert "- bad" in app.describe(app.Result(False, 400, detail="bad"))
    assert not math.isnan(r.p_banana)
