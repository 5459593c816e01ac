"""Notebooks 07a and 07b "Deploy": their exercises, the fruit-stand app, the service.

The lessons' solution code runs once, in-process, in a throw-away work folder (as the
build and nbval do): 07a, then 07b in the same folder, so 07b serves 07a's registry. The
tests then read their variables, the registry and the prediction log. Because 07b runs in
*this* process, a service left running would still hold its port
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
from course_utils.exercises.nb07 import VISIT_Q2, q1, q2, q3, q4, wrapup_a, wrapup_b
from course_utils.widgets import app, p95, update_times

(LESSON_A,) = lessons.find_lessons(["07a"])


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    progress._reset_session()
    yield
    progress._reset_session()


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("work")


@pytest.fixture(scope="module")
def lesson_a(work) -> dict:
    """Run the solutions version of lesson 07a in-process; return its variables."""
    return run_lesson("07a", work)


@pytest.fixture(scope="module")
def lesson(lesson_a, work) -> dict:
    """Run the solutions version of lesson 07b after 07a, in the same work folder."""

    def stop_server(namespace: dict) -> None:  # never leave a server behind
        if "srv" in namespace:
            namespace["_running_after_lesson"] = namespace["srv"].running
            namespace["srv"].stop()

    return run_lesson("07b", work, on_exit=stop_server)


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
    assert lesson["stand"].values()["age"] == lesson["app"].DEFAULT_FIELDS["age"]


def test_07b_starts_alone_from_the_checkpoint(tmp_path, monkeypatch):
    """Without 07a, the checkpoint registers and promotes the tuned model, once."""
    from course_utils import checkpoints

    monkeypatch.setenv("COURSE_WORK_DIR", str(tmp_path))
    registry = checkpoints.production_registry()
    assert registry.aliases() == {"production": "v1"}
    card = registry.card("production")
    assert set(card.metrics) == {"expected_cost", "accuracy_at_threshold"}
    assert card.metrics["expected_cost"] <= card.contract["minimum"]
    assert registry.versions() == ["v1"]
    assert checkpoints.production_registry().aliases() == {"production": "v1"}  # no v2


def test_every_check_in_the_lessons_passes(lesson_a, lesson):
    out_a, out_b = lesson_a["_stdout"], lesson["_stdout"]
    assert out_a.count("✔ Correct") == 2  # q1 and the quiz
    assert "All 6 right!" in out_a and "All 6 right!" in out_b
    assert out_b.count("✔ Correct") == 4  # q2, q3, q4 and the quiz
    assert "✘" not in out_a + out_b  # no wrong answer is shown
    assert "Hello from inside the file!" in out_a  # the pickle ran code while loading


def test_registered_promoted_and_carded(lesson_a):
    lesson = lesson_a
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


def test_metrics_are_read_from_notebook_06s_verdict_when_present(lesson_a, tmp_path, monkeypatch):
    lesson = lesson_a
    (cell,) = [
        c.source
        for c in lessons.read_lesson(LESSON_A.source).cells
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
    # the prose's count (308) when the log is queried, then q4's check (its own three
    # reference visits and the three your function sends), then the static fallback's
    # visit; refused requests are never logged
    assert len(log) == 308 + 3 + 3 + 1
    assert set(log["model_version"]) == {"v1"}
    assert log["fruit"].isna().all()  # no labels yet
    assert not (log["age"] == 230).any() and "Airport" not in set(log["store"])
    assert not (log["temperature_c"] > 50).any()  # q4's visit in °F was refused
    per_decision = lesson["per_decision"].set_index("decision")["predictions"]
    assert per_decision.to_dict() == log.head(308).groupby("decision").size().to_dict()


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


def test_q3_solution_and_typical_mistakes(lesson, log_counts, capsys):
    counts = log_counts
    assert len(set(counts.values())) == len(counts)  # the mistakes are distinguishable
    con = sqlite3.connect(lesson["log_path"])
    try:
        out = _run_solution(q3, dict(lesson, con=con), capsys)
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
    assert q3.evaluate(one_cell, log_path=path).ok
    assert q3.evaluate(np.int64(counts["right"]), log_path=path).ok
    assert _mistake(q3, counts["station"], log_path=path) == "one_filter_only"
    assert _mistake(q3, counts["bananas"], log_path=path) == "one_filter_only"
    assert _mistake(q3, counts["rows"], log_path=path) == "one_filter_only"
    assert _mistake(q3, counts["station_apples"], log_path=path) == "complement"
    fb = q3.evaluate(per_store, log_path=path)
    assert fb.mistake == "wrong_shape" and "3 rows and 2 columns" in fb.message
    assert _mistake(q3, counts["right"] + 0.5, log_path=path) == "not_integer"
    assert _mistake(q3, -1, log_path=path) == "out_of_range"
    for answer in (..., None):
        assert q3.evaluate(answer, log_path=path).status == "not_attempted"
    for odd in ODD:
        assert _mistake(q3, odd, log_path=path) in (
            "wrong_type",
            "nan",
            "wrong_shape",
            "wrong_value",
        )
    fb = q3.evaluate(counts["right"], log_path=lesson["_work"] / "nothing.sqlite")
    assert fb.mistake == "check_error" and "no prediction log" in fb.message


def test_q3_counts_the_log_when_checked(lesson, log_counts, tmp_path):
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
    assert q3.evaluate(log_counts["right"] + 1, log_path=copy).ok
    assert not q3.evaluate(log_counts["right"], log_path=copy).ok


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


# --------------------------------------------------------------------------- q4


def _ask(visit, url):  # the task's solution, as a test double
    response = httpx.post(url + "/predict", json=visit)
    if response.status_code == 200:
        return response.json()["predictions"][0]
    body = response.json()
    if 400 <= response.status_code < 500:
        problems = "; ".join(f"{e['field']} {e['message']}" for e in body["errors"])
        raise ValueError(f"refused ({response.status_code}): {problems}")
    raise RuntimeError(f"the service failed ({response.status_code}): {body['detail']}")


def test_q4_solution_passes_and_the_skeleton_is_not_attempted(lesson, srv, capsys):
    out = _run_solution(q4, dict(lesson, srv=srv), capsys)
    assert out.startswith("✔ Correct"), out
    assert q4.evaluate(_ask, url=srv.url).ok
    for answer in (..., None):
        assert q4.evaluate(answer, url=srv.url).status == "not_attempted"

    def skeleton(visit, url):
        return ...

    assert q4.evaluate(skeleton, url=srv.url).status == "not_attempted"
    # the student notebook's skeleton really is that
    (student, _) = lessons.make_notebooks(lessons.find_lessons(["07b"])[0])
    (cell,) = [c for c in student.cells if "def ask_service" in c.source]
    assert "return ...  # your code here" in cell.source and "httpx.post" not in cell.source


def _no_status_check(visit, url):
    return httpx.post(url + "/predict", json=visit).json()["predictions"][0]


def _returns_the_error_body(visit, url):
    response = httpx.post(url + "/predict", json=visit)
    body = response.json()
    return body["predictions"][0] if "predictions" in body else body


def _prints_and_returns_none(visit, url):
    response = httpx.post(url + "/predict", json=visit)
    if response.status_code == 200:
        return response.json()["predictions"][0]
    print("refused:", response.json()["detail"])


def _raise_for_status(visit, url):
    response = httpx.post(url + "/predict", json=visit)
    response.raise_for_status()
    return response.json()["predictions"][0]


def _retries(visit, url):
    for _ in range(5):
        response = httpx.post(url + "/predict", json=visit)
        if response.status_code == 200:
            return response.json()["predictions"][0]
    raise ValueError(str(response.json()))


def _vague(visit, url):
    response = httpx.post(url + "/predict", json=visit)
    if response.status_code == 200:
        return response.json()["predictions"][0]
    if response.status_code < 500:
        raise ValueError("the service refused the visit")
    raise RuntimeError(f"{response.status_code}: {response.json()['detail']}")


def _value_error_for_all(visit, url):
    response = httpx.post(url + "/predict", json=visit)
    if response.status_code == 200:
        return response.json()["predictions"][0]
    body = response.json()
    problems = "; ".join(f"{e['field']} {e['message']}" for e in body["errors"])
    raise ValueError(f"{response.status_code} {body['detail']} {problems}")


def _converts_fahrenheit(visit, url):
    visit = dict(visit)
    if visit.get("temperature_c") is not None and visit["temperature_c"] > 50:
        visit["temperature_c"] = (visit["temperature_c"] - 32) * 5 / 9
    return _ask(visit, url)


def _converts_in_place(visit, url):
    if visit.get("temperature_c") is not None and visit["temperature_c"] > 50:
        visit["temperature_c"] = (visit["temperature_c"] - 32) * 5 / 9
    return _ask(visit, url)


def _whole_answer(visit, url):
    response = httpx.post(url + "/predict", json=visit)
    if response.status_code != 200:
        return _ask(visit, url)
    return response.json()


def _forgot_return(visit, url):
    _ask(visit, url)


@pytest.mark.parametrize(
    ("fn", "mistake", "says"),
    [
        (_no_status_check, "crash_on_4xx", "KeyError"),
        (_returns_the_error_body, "ignored_status", "status_code"),
        (_prints_and_returns_none, "swallowed_error", "returned `None`"),
        (_raise_for_status, "error_detail_lost", "raise_for_status"),
        (_retries, "retry_4xx", "4 times"),
        (_vague, "error_detail_lost", "'store'"),
        (_value_error_for_all, "wrong_exception", "5xx"),
        (_converts_fahrenheit, "widen_the_rules", "must not guess"),
        (_converts_in_place, "mutates_input", "in place"),
        (_whole_answer, "wrong_shape", "whole JSON answer"),
        (_forgot_return, "returned_none", "forget `return`"),
    ],
)
def test_q4_typical_mistakes(srv, fn, mistake, says):
    fb = q4.evaluate(fn, url=srv.url)
    assert not fb.ok and fb.mistake == mistake and says in fb.message, fb
    assert fb.mistake in MISTAKES


def test_q4_hard_coded_address_wrong_order_and_not_a_function(srv):
    def hard_coded(visit, url):
        return _ask(visit, srv.url)  # the notebook's service, not the url given

    fb = q4.evaluate(hard_coded, url=srv.url)
    assert fb.mistake == "hardcoded_url" and "never heard from it" in fb.message

    def swapped(url, visit):
        return _ask(visit, url)

    assert _mistake(q4, swapped, url=srv.url) == "signature"
    assert _mistake(q4, lambda visit: None, url=srv.url) == "signature"
    assert _mistake(q4, _ask(dict(VISIT_Q2), srv.url), url=srv.url) == "not_a_function"
    assert _mistake(q4, "def ask_service(visit, url): ...", url=srv.url) == "not_a_function"


def test_q4_without_the_service(closed_url):
    fb = q4.evaluate(_ask, url=closed_url)
    assert fb.mistake == "check_error" and "did not answer" in fb.message
    assert q4.evaluate(_ask, url="127.0.0.1:80").mistake == "check_error"
    assert _mistake(q4, _ask) == "missing_input"  # url= forgotten


def test_q4_stand_in_service_answers_and_counts():
    from course_utils.exercises.nb07 import _FAKE_503, _StandIn

    with _StandIn(503, _FAKE_503, give_up_after=2) as stand_in:
        first = httpx.post(stand_in.url + "/predict", json={})
        second = httpx.post(stand_in.url + "/predict", json={})
    assert first.status_code == 503 and first.json() == _FAKE_503
    assert second.status_code == 200 and stand_in.requests == 2
    assert stand_in.paths == ["/predict", "/predict"]
    with pytest.raises(httpx.TransportError):
        httpx.post(stand_in.url + "/predict", json={}, timeout=2)  # stopped for good


# --------------------------------------------------------------------------- quizzes


@pytest.mark.parametrize(
    ("quiz", "right"),
    [
        (wrapup_a, {1: "c", 2: "a", 3: "b", 4: "c", 5: "b", 6: "a"}),
        (wrapup_b, {1: "b", 2: "c", 3: "a", 4: "c", 5: "a", 6: "b"}),
    ],
)
def test_wrapup_quizzes(quiz, right):
    assert quiz.evaluate(right).ok
    assert quiz.evaluate({k: ... for k in right}).status == "not_attempted"
    assert sum(q.revisits is not None for q in quiz.questions) >= 2
    for number, question in enumerate(quiz.questions, start=1):
        for letter in question.options:
            if letter == question.answer:
                continue
            fb = quiz.evaluate({**right, number: letter})
            assert not fb.ok and question.why[letter] in fb.message
            assert fb.mistake == question.tag and fb.mistake in MISTAKES


def test_quiz_tags_name_the_misconceptions():
    tags = {q.tag for q in wrapup_a.questions} | {q.tag for q in wrapup_b.questions}
    assert {"pickle_runs_code", "scored_on_train", "retry_4xx", "unit_fahrenheit"} <= tags
    assert "default_threshold" in tags


def test_q4_client_must_report_every_problem_and_any_4xx(srv):
    """Only the first problem (the `detail`) is not enough; a 400 is a 4xx like a 422."""
    import httpx

    def detail_only(visit, url):
        response = httpx.post(url + "/predict", json=visit)
        if response.status_code == 200:
            return response.json()["predictions"][0]
        body = response.json()
        if 400 <= response.status_code < 500:
            raise ValueError(body["detail"])
        raise RuntimeError(f"{response.status_code}: {body['detail']}")

    fb = q4.evaluate(detail_only, url=srv.url)
    assert fb.mistake == "error_detail_lost", fb.message

    def only_422(visit, url):
        response = httpx.post(url + "/predict", json=visit)
        if response.status_code == 200:
            return response.json()["predictions"][0]
        body = response.json()
        if response.status_code == 422:
            problems = "; ".join(f"{e['field']} {e['message']}" for e in body["errors"])
            raise ValueError(problems)
        raise RuntimeError(f"{response.status_code}: {body['detail']}")

    fb = q4.evaluate(only_422, url=srv.url)
    assert fb.mistake == "wrong_exception" and "400" in fb.message, fb.message
