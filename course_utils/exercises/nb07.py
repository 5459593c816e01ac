"""Exercises of notebooks 07a and 07b "Deploy": load models safely, talk to the service.

In notebook 07a::

    from course_utils.exercises.nb07 import q1, wrapup_a

In notebook 07b::

    from course_utils.exercises.nb07 import q2, q3, q4, wrapup_b

* ``q1`` - the misconception check: a colleague sends a pickled model - what do you do?
  (loading a pickle runs code; ``try``/``except`` or a laptop is no protection);
* ``q2`` - send a valid request: build the JSON of a described visit; the check validates
  it against the served model's input schema, then sends it (``url=srv.url``);
* ``q3`` - query the prediction log: how many banana decisions at the Station
  (``log_path=log_path``; the truth is counted from the log itself, when you check);
* ``q4`` - build task: ``ask_service(visit, url)``, a client that returns the prediction
  on 200, raises ``ValueError`` with the service's reasons on a 4xx and ``RuntimeError``
  on a 5xx, and never sends a request twice. The check runs it on unseen visits against
  the real service (``url=srv.url``) and against stand-in services answering 422, 400 and 503;
* ``wrapup_a``, ``wrapup_b`` - the wrap-up quizzes of 07a and 07b.

>>> q1.evaluate(...).status
'not_attempted'
>>> q1.evaluate("a").mistake
'pickle_runs_code'
>>> q4.evaluate(...).status
'not_attempted'
"""

from __future__ import annotations

import difflib
import json
import math
import numbers
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercises import (
    MISTAKES,
    Exercise,
    Feedback,
    NearMiss,
    correct,
    describe,
    expect_choice,
    expect_number,
    incorrect,
)

__all__ = ["q1", "q2", "q3"]

NOTEBOOK = "07"

# Mistakes specific to this notebook, registered with the others (tags must be known).
MISTAKES.setdefault(
    "pickle_runs_code", "trusted a pickle file: loading a pickle can run any code it holds"
)
MISTAKES.setdefault(
    "try_except_is_no_sandbox", "thought try/except protects against code run by a pickle"
)
MISTAKES.setdefault("retry_4xx", "sent a refused request again: a 4xx means the request is wrong")
MISTAKES.setdefault(
    "widen_the_rules", "loosened the input rules so that a wrong value gets through"
)
MISTAKES.setdefault(
    "one_filter_only", "counted with one of two conditions (store, decision) instead of both"
)


# --------------------------------------------------------------------------- q1


_Q1_CHOICES = ["a", "b", "c", "d"]

q1 = Exercise(
    NOTEBOOK,
    "q1",
    "A model file from a colleague",
    prompt="A colleague e-mails you `better_model.pkl`: 'my model beats yours - just "
    "`pickle.load` it and compare'. What do you do?\n"
    "(a) Load it with `pickle.load` and score it on our test rows: if its predictions are "
    "good, keep it.\n"
    "(b) Load it with `pickle.load` inside `try`/`except`, so that nothing bad can happen.\n"
    "(c) Don't unpickle it. Ask for a skops file (or the code and data to retrain it), list "
    "the types it needs with `skops.io.get_untrusted_types`, and load it only if you trust "
    "every one.\n"
    "(d) Load it with `pickle.load` on your own laptop rather than on the server: that is "
    "safe enough.\n"
    "Answer with a letter, e.g. `'a'`.",
    expects="one of 'a', 'b', 'c', 'd'",
    checker=lambda answer: expect_choice(
        answer,
        "c",
        _Q1_CHOICES,
        explanations={
            "a": (
                "pickle_runs_code",
                "Loading *is* running: a pickle can execute any command at the moment you "
                "load it - before you ever call `predict`. Good predictions afterwards prove "
                "nothing; the harm is already done.",
            ),
            "b": (
                "try_except_is_no_sandbox",
                "`try`/`except` only catches errors. Code hidden in a pickle runs without any "
                "error - it can copy your files or install something quietly - so `except` "
                "never even sees it.",
            ),
            "d": (
                "pickle_runs_code",
                "Your laptop holds your passwords, your e-mail and your access to the "
                "company's systems: code run there by a pickle can use all of them. Where "
                "you load it changes the victim, not the danger.",
            ),
        },
        success="A pickle is a program as much as a file. skops files list what they "
        "contain, and nothing outside your trusted list is built - the registry of this "
        "notebook does exactly that.",
    ),
    hints=[
        "Go back to the demonstration at the start of the notebook: *when* did the "
        "surprise line run - at `pickle.dumps`, at `pickle.loads`, or later?",
        "An answer is safe only if no code from the file can run before you have decided "
        "to trust it. `try`/`except` and a different computer don't change what runs.",
        "The safe answer never calls `pickle.load` on the file: it asks for a format "
        "that lists its contents and checks that list first.",
    ],
    solution="answer_q1 = 'c'\nq1.check(answer_q1)",
    explanation="Unpickling calls whatever functions the file names, with the arguments it "
    "gives - that is how pickle rebuilds objects, and why a pickle from someone else is "
    "a program you are about to run. skops stores the same model as data and refuses to "
    "build any type you have not trusted.",
)


# --------------------------------------------------------------------------- q2

#: The visit of exercise q2, as the service expects it.
VISIT_Q2: dict[str, Any] = {
    "store": "Riverside",
    "hour": 11,
    "weekday": 5,
    "age": 34,
    "has_kids": True,
    "loyalty_member": True,
    "price_apple": 0.55,
    "price_banana": 0.30,
    "promo": "banana",
    "temperature_c": 18,
}
_SAYS = {
    "store": "the Riverside stand",
    "hour": "11 in the morning, on the 24-hour clock",
    "weekday": "a Saturday; days count from Monday = 0",
    "age": "the customer is 34",
    "has_kids": "children at home: True",
    "loyalty_member": "a loyalty card: True",
    "price_apple": "apples at 0.55 €, in euros",
    "price_banana": "bananas at 0.30 €, in euros",
    "promo": "a banana promotion",
    "temperature_c": "18 °C",
}


#: Names learners reach for, and the field they mean.
_SYNONYMS = {
    "children": "has_kids",
    "kids": "has_kids",
    "has_children": "has_kids",
    "loyalty": "loyalty_member",
    "loyalty_card": "loyalty_member",
    "member": "loyalty_member",
    "day": "weekday",
    "promotion": "promo",
    "temperature": "temperature_c",
    "temp": "temperature_c",
    "apple_price": "price_apple",
    "banana_price": "price_banana",
    "shop": "store",
    "time": "hour",
}


@cache
def _local_schema() -> Any:
    """The input schema of the checkpoint's training table (when the service is away)."""
    from course_utils import checkpoints
    from course_utils.schema import infer_schema

    train, _ = checkpoints.split()
    return infer_schema(checkpoints.xy(train)[0])


def _served_schema(url: str) -> Any | None:
    """The input schema of the model the service at ``url`` serves, or None if unreachable."""
    import httpx

    from course_utils.schema import InputSchema

    try:
        response = httpx.get(str(url).rstrip("/") + "/model", timeout=10)
        return InputSchema.from_dict(response.json()["input_schema"])
    except Exception:
        return None


def _as_visit(answer: Any) -> dict | Feedback:
    """The learner's answer as one visit (a dict), or a Feedback saying what it is instead."""
    if isinstance(answer, str):
        try:
            parsed = json.loads(answer)
        except ValueError:
            return incorrect(
                f"Expected the visit as a dict, got {describe(answer)} that is not JSON "
                "either. Write a dict: `{'store': 'Riverside', 'hour': 11, ...}`.",
                "wrong_type",
            )
        if not isinstance(parsed, dict):
            return incorrect(
                "Your text is JSON, but not one object: a visit is `{...}` with one key per field.",
                "wrong_type",
            )
        answer = parsed
    if isinstance(answer, list | tuple):
        return incorrect(
            "You built a list. One visit is one JSON object - a dict: drop the brackets "
            "around it. (A batch would be `{'visits': [...]}`.)",
            "wrong_shape",
        )
    if isinstance(answer, pd.DataFrame | pd.Series):
        return incorrect(
            f"Expected the visit as a dict, got {describe(answer)}. The service reads JSON, "
            "and one visit is one object: a dict with one key per field.",
            "wrong_type",
        )
    if not isinstance(answer, Mapping):
        return incorrect(
            f"Expected the visit as a dict (one key per field), got {describe(answer)}.",
            "wrong_type",
        )
    if "visits" in answer:
        return incorrect(
            "That is a batch (`{'visits': [...]}`). The exercise asks for one visit: the "
            "dict with the fields itself.",
            "wrong_shape",
        )
    return {str(k): v for k, v in answer.items()}


def _same(value: Any, expected: Any) -> bool:
    if isinstance(expected, bool):
        return not isinstance(value, str) and value in (expected, int(expected))
    if isinstance(expected, numbers.Real):
        return (
            isinstance(value, numbers.Real)
            and not isinstance(value, bool)
            and math.isclose(float(value), float(expected), abs_tol=1e-6)
        )
    return value == expected


def _close_to(value: Any, target: float, tol: float) -> bool:
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and abs(float(value) - target) <= tol
    )


def _schema_feedback(errors: list[dict[str, str]], visit: dict, schema: Any) -> Feedback:
    kinds = {f.name: f.kind for f in schema.features}
    first = errors[0]["field"]
    value = visit.get(first)
    if kinds.get(first) == "bool":
        mistake, tip = (
            "wrong_type",
            " Yes/no fields take `True` or `False` (Python's spelling of JSON's true/false).",
        )
    elif kinds.get(first) in ("integer", "number") and isinstance(value, str):
        mistake, tip = (
            "wrong_type",
            " A number in quotes is text in JSON: write `34`, not `'34'`.",
        )
    elif kinds.get(first) in ("integer", "number"):
        mistake, tip = "out_of_range", ""
    else:
        mistake, tip = "wrong_value", " Spelling and capitals count: the values are listed."
    problems = "; ".join(f"`{e['field']}` {e['message']}" for e in errors[:4])
    return incorrect(f"The service would refuse this visit (422): {problems}.{tip}", mistake)


def _check_q2(answer: Any, url: Any) -> Feedback:
    visit = _as_visit(answer)
    if isinstance(visit, Feedback):
        return visit
    schema = _served_schema(url) if isinstance(url, str) else None
    reachable = schema is not None
    schema = schema or _local_schema()
    names = schema.names
    extra = [k for k in visit if k not in names]
    missing = [n for n in names if n not in visit]
    if extra:
        guesses = []
        for k in extra:
            close = [_SYNONYMS[k.lower()]] if k.lower() in _SYNONYMS else []
            close = close or difflib.get_close_matches(k, missing or names, n=1, cutoff=0.4)
            guesses.append(f"`{k}`" + (f" (did you mean `{close[0]}`?)" if close else ""))
        return incorrect(
            f"The service refuses fields it does not know: {', '.join(guesses)}. The field "
            "names are exactly those of the schema table above.",
            "extra_columns",
        )
    if missing:
        return incorrect(
            f"Every field is required, and your visit has no {', '.join(f'`{m}`' for m in missing)}"
            ". (A value that is truly unknown is sent as `None` - JSON null.)",
            "missing_columns",
        )
    for price in ("price_apple", "price_banana"):
        if _close_to(visit[price], 100 * VISIT_Q2[price], 0.5):
            return incorrect(
                f"`{price}` looks like cents. The model was trained on prices in euros: "
                "divide by 100.",
                "unit_cents",
            )
    if _close_to(visit["temperature_c"], VISIT_Q2["temperature_c"] * 9 / 5 + 32, 0.6):
        return incorrect(
            "`temperature_c` looks like degrees Fahrenheit. The field is in degrees Celsius, "
            "as its name says - the thermometer's reading in the description is already °C.",
            "unit_fahrenheit",
        )
    errors = schema.errors(visit)
    if errors:
        return _schema_feedback(errors, visit, schema)
    wrong = [k for k, v in VISIT_Q2.items() if not _same(visit[k], v)]
    if wrong:
        if wrong == ["weekday"] and visit["weekday"] == 6:
            return incorrect(
                "Almost: only `weekday` is off. The service counts days from Monday = 0 "
                "(as pandas' `dt.weekday`), so Saturday is not 6.",
                "wrong_value",
            )
        listed = "; ".join(f"`{k}` ({_SAYS[k]})" for k in wrong)
        return incorrect(
            "The service would accept this visit, but it is not the one described. "
            f"Look again at: {listed}.",
            "wrong_value",
        )
    if not reachable:
        return incorrect(
            f"Your visit follows the model's rules, but the service at {url!r} did not answer, "
            "so it could not be sent. Run the cell that starts the service "
            "(`srv = service.start_in_background(...)`) and pass `url=srv.url`.",
            "check_error",
        )
    import httpx

    try:
        response = httpx.post(str(url).rstrip("/") + "/predict", json=visit, timeout=10)
    except (httpx.HTTPError, TypeError, ValueError) as exc:
        return incorrect(
            f"Your visit follows the rules, but sending it failed ({type(exc).__name__}). "
            "Is the service still running?",
            "check_error",
        )
    if response.status_code != 200:
        body = response.json() if "json" in response.headers.get("content-type", "") else {}
        problems = "; ".join(
            f"`{e.get('field')}` {e.get('message')}" for e in body.get("errors", [])[:4]
        )
        return incorrect(
            f"The service refused it (HTTP {response.status_code}): "
            f"{problems or body.get('detail', response.text[:200])}.",
            "wrong_value",
        )
    first = response.json()["predictions"][0]
    return correct(
        f"The service accepted it and answered {first['decision']} (P(banana) = "
        f"{first['p_banana']:.2f}), and logged the prediction. A family with a loyalty card, "
        "on a Saturday, with a banana promotion: what would you have guessed?"
    )


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "Send a valid request",
    prompt="A customer of 34 with children at home and a loyalty card stops at the "
    "**Riverside** stand on a **Saturday** at **11 in the morning**. Apples cost 0.55 € and "
    "bananas 0.30 €; there is a **banana promotion**; the thermometer says 18 °C. Build the "
    "JSON body of this one visit as a Python dict (httpx turns it into JSON). The check "
    "validates it against the served model's input schema, then sends it to the service.",
    expects="a dict with the visit's fields",
    inputs={"url": "the service's address: `srv.url`"},
    checker=_check_q2,
    hints=[
        "Start from the visit sent earlier in this notebook (`visit`) and change the "
        "values; the schema table lists every field and what it accepts.",
        "The names are `store, hour, weekday, age, has_kids, loyalty_member, price_apple, "
        "price_banana, promo, temperature_c`. Days count from Monday = 0; yes/no fields "
        "take `True`/`False`; prices in euros.",
        "`{'store': 'Riverside', 'hour': 11, 'weekday': 5, 'age': 34, 'has_kids': True, "
        "'loyalty_member': True, 'price_apple': 0.55, 'price_banana': ..., 'promo': ..., "
        "'temperature_c': ...}`.",
    ],
    solution=(
        "riverside_visit = {\n"
        '    "store": "Riverside", "hour": 11, "weekday": 5, "age": 34,\n'
        '    "has_kids": True, "loyalty_member": True,\n'
        '    "price_apple": 0.55, "price_banana": 0.30, "promo": "banana",\n'
        '    "temperature_c": 18,\n'
        "}\n"
        "q2.check(riverside_visit, url=srv.url)"
    ),
    explanation="One visit is one JSON object with every field of the schema: the names "
    "exactly as listed, numbers as numbers, yes/no as true/false, Saturday as 5 (Monday = 0).",
)


# --------------------------------------------------------------------------- q3


def _log_counts(log_path: Any) -> dict[str, int] | Feedback:
    from course_utils import predlog

    path = Path(str(log_path))
    if not path.is_file():
        return incorrect(
            f"There is no prediction log at {str(path)!r}: pass `log_path=log_path`, the "
            "file the service writes (run the cells that start it and send visits first).",
            "check_error",
        )
    log = predlog.read_log(path, with_labels=False)
    store = log["store"].astype(str) if "store" in log else pd.Series("", index=log.index)
    decision = log["decision"].astype(str)
    at_station = store == "Station"
    banana = decision == "banana"
    return {
        "expected": int((at_station & banana).sum()),
        "station": int(at_station.sum()),
        "bananas": int(banana.sum()),
        "station_apples": int((at_station & ~banana).sum()),
        "rows": len(log),
    }


def _check_q3(answer: Any, log_path: Any) -> Feedback:
    counts = _log_counts(log_path)
    if isinstance(counts, Feedback):
        return counts
    if isinstance(answer, pd.DataFrame):
        if answer.shape == (1, 1):
            answer = answer.iloc[0, 0]
        else:
            r, c = answer.shape
            return incorrect(
                f"Your query returned a table of {r} row{'s' if r != 1 else ''} and {c} "
                f"column{'s' if c != 1 else ''}. Ask for one number: `SELECT COUNT(*) ... "
                "WHERE ...` with both conditions, or pick the cell you need from the table "
                "(e.g. `table.iloc[0, 0]`).",
                "wrong_shape",
            )
    elif isinstance(answer, pd.Series) and len(answer) == 1:
        answer = answer.iloc[0]
    if isinstance(answer, np.generic):
        answer = answer.item()
    return expect_number(
        answer,
        counts["expected"],
        tol=0,
        what="a whole number (a count of predictions)",
        lo=0,
        integer=True,
        near_misses=[
            NearMiss(
                counts["station"],
                "one_filter_only",
                "That counts every prediction at the Station, apples too. Add the second "
                "condition: `AND decision = 'banana'`.",
            ),
            NearMiss(
                counts["bananas"],
                "one_filter_only",
                "That counts the banana decisions at every store. Add the second condition: "
                "the store, inside the `inputs` JSON - `json_extract(inputs, '$.store') = "
                "'Station'`.",
            ),
            NearMiss(
                counts["station_apples"],
                "complement",
                "That is the number of *apple* decisions at the Station. The question asks "
                "for the bananas.",
            ),
            NearMiss(
                counts["rows"],
                "one_filter_only",
                "That is the number of rows in the whole log: no condition applied. Filter "
                "with `WHERE` on the store and the decision.",
            ),
        ],
        wrong="Not the number of banana decisions at the Station in your log. Count the rows "
        "of `predictions` where the decision is 'banana' and the store (inside `inputs`) is "
        "'Station' - and run the query again: the log grows with every prediction.",
        success="One WHERE with two conditions. The store sits inside the `inputs` JSON, "
        "which is why `json_extract` is needed. Questions like this one - what is the model "
        "deciding, where, how often? - are the start of monitoring (notebook 08).",
    )


q3 = Exercise(
    NOTEBOOK,
    "q3",
    "Query the prediction log",
    prompt="How many predictions in the log are **banana** decisions at the **Station**? "
    "Answer with an SQL query on the log (`pd.read_sql_query(..., con)`), and give the "
    "number - or the one-cell table your query returns. The check counts the log itself, "
    "so your own predictions count too.",
    expects="a whole number (or a one-cell table)",
    inputs={"log_path": "the prediction log's file: `log_path`"},
    checker=_check_q3,
    hints=[
        "Two conditions at once: the decision, and the store. Where does each one live in "
        "the `predictions` table?",
        "`decision` is a column; the store is inside the `inputs` JSON text: "
        "`json_extract(inputs, '$.store')`, as in the query above. Combine both with "
        "`WHERE ... AND ...` and `COUNT(*)`.",
        "`pd.read_sql_query(\"SELECT COUNT(*) FROM predictions WHERE decision = 'banana' "
        "AND json_extract(inputs, '$.store') = 'Station'\", con).iloc[0, 0]`",
    ],
    solution=(
        "station_bananas = pd.read_sql_query(\n"
        '    """SELECT COUNT(*) AS n FROM predictions\n'
        "       WHERE decision = 'banana'\n"
        "         AND json_extract(inputs, '$.store') = 'Station'\"\"\",\n"
        "    con,\n"
        ").iloc[0, 0]\nq3.check(station_bananas, log_path=log_path)"
    ),
    explanation="`decision` is a column of the log; the store is one field of the `inputs` "
    "JSON, read with SQLite's `json_extract`. `COUNT(*)` with both conditions in `WHERE` "
    "gives one number.",
)


# --------------------------------------------------------------------------- q4

MISTAKES.setdefault(
    "ignored_status", "read the answer without looking at the HTTP status code first"
)
MISTAKES.setdefault(
    "crash_on_4xx", "crashed on a refusal (KeyError...) instead of reporting the service's reasons"
)
MISTAKES.setdefault(
    "swallowed_error", "hid a refused request: returned None or a message instead of raising"
)
MISTAKES.setdefault(
    "error_detail_lost", "reported a refusal without the problems the service listed"
)
MISTAKES.setdefault(
    "wrong_exception", "mixed up a 4xx (the request is wrong) and a 5xx (the service failed)"
)
MISTAKES.setdefault("hardcoded_url", "called a fixed address instead of the `url` it was given")

#: Visits the learner never saw: two ordinary ones, one with an unknown age, and two that
#: break the rules (a temperature in °F, a missing field). Each is sent by the learner's
#: function to the real service.
_Q4_VALID = [
    (
        "a lunchtime visit at Central",
        {
            "store": "Central", "hour": 13, "weekday": 2, "age": 61, "has_kids": False,
            "loyalty_member": True, "price_apple": 0.45, "price_banana": 0.35,
            "promo": "apple", "temperature_c": 14.5,
        },
    ),
    (
        "a Sunday family at Riverside",
        {
            "store": "Riverside", "hour": 16, "weekday": 6, "age": 38, "has_kids": True,
            "loyalty_member": False, "price_apple": 0.50, "price_banana": 0.28,
            "promo": "none", "temperature_c": 26.0,
        },
    ),
    (
        "a visit whose age is unknown (null)",
        {
            "store": "Station", "hour": 17, "weekday": 4, "age": None, "has_kids": False,
            "loyalty_member": False, "price_apple": 0.52, "price_banana": 0.31,
            "promo": "banana", "temperature_c": 5.0,
        },
    ),
]  # fmt: skip
_Q4_BAD = [
    (
        "a visit from Central's old till, its temperature in °F",
        dict(_Q4_VALID[0][1], temperature_c=77.0),
        "temperature_c",
    ),
    (
        "a visit with no `promo` field",
        {k: v for k, v in _Q4_VALID[1][1].items() if k != "promo"},
        "promo",
    ),
]
#: What the stand-in services answer: a refusal and a failure the real service rarely gives.
_FAKE_422 = {
    "detail": "2 problems in the request (first: store is not one of 'Central', 'Riverside', "
    "'Station'); nothing was predicted or logged",
    "errors": [
        {"field": "store", "message": "is not one of 'Central', 'Riverside', 'Station'"},
        {"field": "age", "message": "expected a number from 16 to 110, got 230"},
    ],
}
_FAKE_400 = {
    "detail": "the request body is not valid JSON; nothing was predicted or logged",
    "errors": [{"field": "body", "message": "is not valid JSON"}],
}
_FAKE_503 = {
    "detail": "the model is being reloaded; try again in a minute",
    "errors": [],
}
_FAKE_OK = {
    "model_version": "stand-in",
    "threshold": 0.75,
    "predictions": [{"request_id": "stand-in-1", "p_banana": 0.5, "decision": "apple"}],
}


class _StandIn:
    """A tiny HTTP server on 127.0.0.1 that answers every POST with one scripted status.

    It counts the requests it gets; from the ``give_up_after``-th on it answers 200 (so a
    function that retries until it succeeds ends instead of looping for ever, and the count
    shows the retries).
    """

    def __init__(self, status: int, body: dict, *, give_up_after: int = 4) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        stand_in = self
        self.requests = 0
        self.paths: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                stand_in.requests += 1
                stand_in.paths.append(self.path)
                late = stand_in.requests >= give_up_after
                code, content = (200, _FAKE_OK) if late else (status, body)
                data = json.dumps(content).encode()
                self.send_response(code)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args: Any) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> _StandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Outcome:
    """What one call of the learner's function did: returned ``value`` or raised ``error``."""

    def __init__(self, value: Any = None, error: BaseException | None = None) -> None:
        self.value, self.error = value, error


def _capturing(fn: Any) -> Any:
    """``fn`` wrapped so that an exception becomes an :class:`_Outcome` (refusals must raise)."""
    import functools

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:
            return _Outcome(error=exc)
        return result if result is Ellipsis else _Outcome(value=result)

    return call


def _judge_answer(outcome: _Outcome, expected: dict) -> Feedback | None:
    """A valid visit: the function must return the service's one prediction, as a dict."""
    value, error = outcome.value, outcome.error
    if error is not None:
        text = str(error)
        refused = next((c for c in ("404", "405", "415", "422", "400") if c in text), None)
        advice = (
            f" The text names a {refused}: your *request* was refused before the model saw "
            "it. Check the address (`url + '/predict'`) and send the visit unchanged as JSON "
            "(`json=visit`, not `data=`)."
            if refused
            else ""
        )
        return incorrect(
            f"This visit is valid and the service answers it, but your function raised "
            f"`{type(error).__name__}: {text[:160]}`.{advice} On status 200, return "
            "`response.json()['predictions'][0]`.",
            "raised",
        )
    if value is None:
        return incorrect(
            "your function returned `None`. Did you forget `return`? (`print` shows the "
            "answer but does not give it back to the caller.)",
            "returned_none",
        )
    if hasattr(value, "status_code") and hasattr(value, "json"):
        return incorrect(
            "your function returned the whole HTTP response. Return the prediction itself: "
            "the dict `response.json()['predictions'][0]`.",
            "wrong_shape",
        )
    if isinstance(value, Mapping) and "predictions" in value:
        return incorrect(
            "your function returned the whole JSON answer. Return only the one prediction: "
            "`['predictions'][0]` of it - a dict with `p_banana` and `decision`.",
            "wrong_shape",
        )
    if not isinstance(value, Mapping) or not {"p_banana", "decision"} <= set(value):
        return incorrect(
            f"expected the prediction as a dict with `p_banana` and `decision` (as the "
            f"service sends it), got {describe(value)}.",
            "wrong_shape",
        )
    p = value["p_banana"]
    if not _close_to(p, expected["p_banana"], 1e-6) or value["decision"] != expected["decision"]:
        return incorrect(
            f"your function returned P(banana) = {p!r} and {value['decision']!r}, but the "
            f"service answers {expected['p_banana']:.4f} and {expected['decision']!r} for this "
            "visit. Send the visit exactly as given - no field changed, added or dropped.",
            "wrong_value",
        )
    return None


def _judge_refusal(
    outcome: _Outcome,
    stand_in: _StandIn | None,
    status: int,
    fields: list[str],
    messages: list[str],
) -> Feedback | None:
    """A refused (4xx) or failed (5xx) request: the function must raise, once, with reasons."""
    value, error = outcome.value, outcome.error
    server_error = status >= 500
    if stand_in is not None and stand_in.requests == 0:
        return incorrect(
            "the service at the `url` your function was given never heard from it. Use the "
            "parameter - `url + '/predict'` - not an address written into the function "
            "(nor `srv.url`): the same client must work for any service.",
            "hardcoded_url",
        )
    if stand_in is not None and stand_in.requests > 1:
        if server_error:
            return incorrect(
                f"your function sent the request {stand_in.requests} times. The task says: "
                "send once. Retrying at once hammers a service that is already failing; "
                "report the failure and let the caller decide when to try again.",
                "retry_4xx",
            )
        return incorrect(
            f"your function sent the refused request {stand_in.requests} times. A 4xx means "
            "the *request* is wrong: the same request gets the same refusal every time. "
            "Raise the service's reasons instead.",
            "retry_4xx",
        )
    if error is None:
        if value is None:
            return incorrect(
                f"the service answered {status}, and your function returned `None`. The "
                "caller cannot tell a refusal from an answer - and a `print` is lost in a "
                f"till's log. Raise `{'RuntimeError' if server_error else 'ValueError'}` "
                "with the service's reasons.",
                "swallowed_error",
            )
        if isinstance(value, Mapping) and ({"detail", "errors"} & set(value)):
            return incorrect(
                f"the service answered {status}, and your function returned its error body "
                "as if it were a prediction. Look at `response.status_code` first: only 200 "
                "is an answer.",
                "ignored_status",
            )
        if stand_in is None and isinstance(value, Mapping) and "p_banana" in value:
            return incorrect(
                "the service refuses this visit as it is, yet your function got a prediction "
                "for it: it changed the visit before sending it (converted a unit, filled in "
                "a field). A client must not guess - 77 might be °F, or a typo. Send the visit "
                "as given and raise the service's reasons, so the sender fixes it.",
                "widen_the_rules",
            )
        if isinstance(value, Mapping) and "p_banana" in value:
            return incorrect(
                f"the service answered {status}, yet your function returned a prediction. "
                "Look at `response.status_code` before reading the answer.",
                "ignored_status",
            )
        return incorrect(
            f"the service answered {status}, and your function returned {describe(value)} "
            "instead of raising. A returned message is easily mistaken for an answer: raise "
            f"`{'RuntimeError' if server_error else 'ValueError'}`.",
            "swallowed_error",
        )
    text = str(error)
    name = type(error).__name__
    if type(error).__module__.startswith(("httpx", "requests", "urllib")) and name in (
        "HTTPStatusError",
        "HTTPError",
    ):
        return incorrect(
            f"`raise_for_status()` (or urllib) raised an `{name}`: it gives the status, but not "
            "what the service said is wrong. Build your own error from the body's `errors` "
            "(or `detail`).",
            "error_detail_lost",
        )
    if isinstance(error, KeyError | IndexError | TypeError | json.JSONDecodeError):
        return incorrect(
            f"the service answered {status} and your function crashed with `{name}: "
            f"{text[:100]}` - it read the answer as if it were a prediction. Check "
            "`response.status_code` first, then raise the error the task asks for.",
            "crash_on_4xx",
        )
    if server_error and isinstance(error, ValueError):
        return incorrect(
            f"a {status} is a 5xx: the *service* failed, the visit may be fine. Raise "
            "`RuntimeError` for it; `ValueError` is for a 4xx, when the request is wrong.",
            "wrong_exception",
        )
    if not server_error and not isinstance(error, ValueError):
        return incorrect(
            f"a {status} is a 4xx: the *request* is wrong, so raise `ValueError` (you raised "
            f"`{name}`). `RuntimeError` is for a 5xx, when the service itself failed.",
            "wrong_exception",
        )
    if server_error and not isinstance(error, RuntimeError):
        return incorrect(
            f"for a {status}, raise `RuntimeError` (you raised `{name}`).", "wrong_exception"
        )
    lost = [f for f in fields if f not in text] + [m for m in messages if m not in text]
    if server_error and str(status) not in text:
        lost.insert(0, f"the status {status}")
    if lost:
        return incorrect(
            f"your function raised `{name}: {text[:120]}`, but its message leaves out what "
            f"the service said: {', '.join(repr(x) for x in lost[:3])}. Put each problem's "
            "field and message (or, for a 5xx, the status and `detail`) into it.",
            "error_detail_lost",
        )
    return None


def _service_answers(url: str) -> list[dict] | None:
    """The real service's answers for the valid visits (None if it does not answer)."""
    import httpx

    try:
        response = httpx.post(
            url.rstrip("/") + "/predict",
            json={"visits": [v for _, v in _Q4_VALID]},
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["predictions"]
    except Exception:
        return None


def _service_errors(url: str, visit: dict) -> list[dict] | None:
    import httpx

    try:
        response = httpx.post(url.rstrip("/") + "/predict", json=visit, timeout=10)
        return response.json().get("errors") if response.status_code == 422 else None
    except Exception:
        return None


def _check_q4(answer: Any, url: Any) -> Feedback | None:
    from course_utils.exercises.functions import Case, check_function

    if answer is Ellipsis or not callable(answer) or isinstance(answer, type):
        return check_function(answer, [], lambda r, c: None, what="`ask_service`")
    if not isinstance(url, str) or not url.startswith("http"):
        return incorrect(
            f"Pass the service's address as `url=srv.url` (got {describe(url)}).", "check_error"
        )
    import inspect

    try:
        names = list(inspect.signature(answer).parameters)
    except (TypeError, ValueError):
        names = []
    if names[:2] == ["url", "visit"]:
        return incorrect(
            "Your function takes `(url, visit)`; the task calls `ask_service(visit, url)` - "
            "the visit first. Swap the two parameters.",
            "signature",
        )
    answers = _service_answers(url)
    if answers is None:
        return incorrect(
            f"The service at {url!r} did not answer, so your function could not be tried. "
            "Run the cell that starts the service and pass `url=srv.url`.",
            "check_error",
        )
    wrapped = _capturing(answer)
    params = ("visit", "url")
    what = "`ask_service`"
    valid = [Case(args=(v, url), label=label) for label, v in _Q4_VALID]
    expected = {c.label: a for c, a in zip(valid, answers, strict=True)}
    found = check_function(
        wrapped, valid, lambda r, c: _judge_answer(r, expected[c.label]), what=what, params=params
    )
    if found is not None:
        return found
    for status, body, label in (
        (422, _FAKE_422, "a stand-in service that refuses the visit with two problems (422)"),
        (400, _FAKE_400, "a stand-in service that answers 400, another 4xx (bad request)"),
        (503, _FAKE_503, "a stand-in service that is down for a moment (503)"),
    ):
        with _StandIn(status, body) as stand_in:
            case = Case(args=(_Q4_VALID[0][1], stand_in.url), label=label)
            fields = [e["field"] for e in body["errors"]]
            messages = [e["message"] for e in body["errors"]] or [body["detail"]]
            found = check_function(
                wrapped,
                [case],
                lambda r, c, s=stand_in, st=status, f=fields, m=messages: _judge_refusal(
                    r, s, st, f, m
                ),
                what=what,
                params=params,
            )
        if found is not None:
            return found
    for label, visit, field in _Q4_BAD:
        errors = _service_errors(url, visit) or [{"field": field, "message": ""}]
        fields = [e["field"] for e in errors]
        messages = [e["message"] for e in errors if e["message"]]
        found = check_function(
            wrapped,
            [Case(args=(visit, url), label=label)],
            lambda r, c, f=fields, m=messages: _judge_refusal(r, None, 422, f, m),
            what=what,
            params=params,
        )
        if found is not None:
            return found
    return correct(
        "Your client passed every case: answers for good visits, the service's own reasons "
        "for a refusal (never sent twice), and a failure of the service told apart from a "
        "bad request. That is what the app of this notebook does, and what every till "
        "connected to the service needs."
    )


_Q4_SOLUTION = """def ask_service(visit, url):
    response = httpx.post(url + "/predict", json=visit)
    if response.status_code == 200:
        return response.json()["predictions"][0]
    body = response.json()
    if 400 <= response.status_code < 500:
        problems = "; ".join(f"{e['field']} {e['message']}" for e in body["errors"])
        raise ValueError(f"refused ({response.status_code}): {problems}")
    raise RuntimeError(f"the service failed ({response.status_code}): {body['detail']}")

q4.check(ask_service, url=srv.url)"""

q4 = Exercise(
    NOTEBOOK,
    "q4",
    "Build a client for the till",
    prompt="Write `ask_service(visit, url)`: it sends the one visit `visit` (a dict) as JSON "
    "to `url + '/predict'`, **once**, and\n"
    "* on status **200** returns the prediction: the dict `response.json()['predictions'][0]`"
    " (with `p_banana` and `decision`);\n"
    "* on a **4xx** (the request is wrong) raises `ValueError` whose message holds, for each "
    "problem in the body's `errors`, its `field` and its `message`;\n"
    "* on any other status (a **5xx**: the service failed) raises `RuntimeError` whose "
    "message holds the status code and the body's `detail`.\n"
    "It never changes `visit` and never sends a request twice. The check runs your function "
    "on visits you have not seen - against the real service, and against stand-in "
    "services that answer 422, 400 and 503.",
    expects="a function `ask_service(visit, url)`",
    inputs={"url": "the service's address: `srv.url`"},
    checker=_check_q4,
    hints=[
        "Three steps: send (`httpx.post(url + '/predict', json=visit)`), look at "
        "`response.status_code`, then either return the prediction or raise. Only 200 is "
        "an answer.",
        "A refusal's body is `{'detail': ..., 'errors': [{'field': ..., 'message': ...}]}`. "
        "Join the problems into one text, e.g. `'; '.join(f\"{e['field']} {e['message']}\" "
        "for e in body['errors'])`, and `raise ValueError(...)` with it. `400 <= status < 500`"
        " tells a 4xx.",
        "`if response.status_code == 200: return response.json()['predictions'][0]`; then "
        "`body = response.json()`; for a 4xx `raise ValueError(...)` with the problems; "
        "otherwise `raise RuntimeError(f'{response.status_code}: {body[\"detail\"]}')`.",
    ],
    solution=_Q4_SOLUTION,
    explanation="A client looks at the status before it reads the answer: 200 is a "
    "prediction; a 4xx says the request is wrong - sending it again gets the same refusal, "
    "so the client reports the service's reasons to whoever can fix the visit; a 5xx says "
    "the service failed, which is not the visit's fault. Raising (not returning a message, "
    "not printing) makes sure no caller mistakes a refusal for an answer.",
)

__all__ += ["q4"]


# --------------------------------------------------------------------------- wrap-up quizzes

from course_utils.exercises.quiz import Question, Quiz  # noqa: E402

MISTAKES.setdefault(
    "default_threshold", "decided at the default threshold 0.5 instead of the contract's"
)

wrapup_a = Quiz(
    NOTEBOOK,
    "wrapup_a",
    "Wrap-up quiz: save and register the model",
    questions=[
        Question(
            "You retrain the model and register it again. What happens to `v1`?",
            {
                "a": "It is overwritten by the new model: the registry holds one current model.",
                "b": "It is deleted as soon as `v2` is promoted, since only one version serves.",
                "c": "It stays as it is; the new one is `v2`, served only once you promote it.",
            },
            answer="c",
            why={
                "a": "Registering never overwrites: every version is kept, so you can always "
                "say which model made a prediction - and go back to it.",
                "b": "Promoting only moves the alias; the old version stays, which is what "
                "makes a rollback possible (notebook 09).",
                "c": "Yes: versions are never overwritten, and only a promotion changes what "
                "the service serves.",
            },
            tag="wrong_choice",
        ),
        Question(
            "`skops.io.get_untrusted_types` lists `numpy.dtype` and "
            "`course_utils.features.add_features` for a file. What do you do?",
            {
                "a": "Read the list and trust by name only what you know: a library's class, "
                "your package's function.",
                "b": "Pass the whole list as `trusted=` without reading it: skops wrote it, so "
                "every type on it is safe.",
                "c": "Load it with `pickle` instead: it needs no list, and the model inside is "
                "the same.",
            },
            answer="a",
            why={
                "a": "Yes: the list is the point of skops - you decide, type by type, what "
                "may be built.",
                "b": "Trusting the whole list unread switches the protection off: a function "
                "in it could be one that deletes files. The list is a question to you, not a "
                "verdict.",
                "c": "A pickle would run whatever it names, without even asking.",
            },
            tag="pickle_runs_code",
        ),
        Question(
            "The fingerprint of the training data differs between `v1` and `v2`. What does "
            "that tell you?",
            {
                "a": "The two models make different predictions, since they were fitted apart.",
                "b": "They learned from different data: one changed value changes it.",
                "c": "The file of `v1` was damaged after it was saved, so it must be rebuilt.",
            },
            answer="b",
            why={
                "a": "Not necessarily: different data can give almost the same model. The "
                "fingerprint describes the data, not the predictions.",
                "b": "Yes: it is a hash of every training row and label.",
                "c": "Damage is what the sha256 of the model file detects; the fingerprint "
                "is about the training data.",
            },
            tag="wrong_choice",
        ),
        Question(
            "The registry saves the whole pipeline - notebook 03's preparation and the "
            "logistic regression - not the logistic regression alone. Why?",
            {
                "a": "So that the service can fit the preparation again on each new visit.",
                "b": "Because skops can only save a full pipeline, never a bare estimator.",
                "c": "A visit arrives raw; it must be imputed and encoded as the training rows "
                "were.",
            },
            answer="c",
            why={
                "a": "Refitting on production data would change the meaning of the inputs "
                "from one request to the next; the preparation is fitted once, on the "
                "training rows, like the model.",
                "b": "It can save either; the point is that the model only understands "
                "prepared inputs.",
                "c": "Yes: one object from the raw visit to the probability, fitted once, on "
                "the training rows.",
            },
            revisits="03",
            tag="wrong_choice",
        ),
        Question(
            "Which numbers belong in the model card's metrics?",
            {
                "a": "The scores on the training rows, the rows the model was fitted on.",
                "b": "The test-row scores of notebook 06, at the contract's threshold, with "
                "intervals.",
                "c": "The best cross-validation score of notebook 05's search, over its folds.",
            },
            answer="b",
            why={
                "a": "A model scores best on the rows it learned from - that says nothing "
                "about new visits.",
                "b": "Yes: the test rows were never used to choose anything, so their score "
                "is an honest estimate for new visits from the same world.",
                "c": "The search chose the winner by that score, so it is optimistic; the "
                "test rows give the unbiased number.",
            },
            revisits="06",
            tag="scored_on_train",
        ),
        Question(
            "A teammate's pipeline uses `FunctionTransformer(clean_prices)`, with "
            "`clean_prices` defined in their notebook. Why can the service not load it?",
            {
                "a": "The file names only `__main__.clean_prices`, which the service cannot "
                "import.",
                "b": "skops cannot save a `FunctionTransformer`; it saves estimators only.",
                "c": "The function's code is in the file, but skops refuses to run stored code.",
            },
            answer="a",
            why={
                "a": "Yes: `__main__` is the notebook's own memory. Move `clean_prices` into "
                "an importable module, and trust it by name.",
                "b": "It can: the course's own pipeline starts with one, which calls "
                "`course_utils.features.add_features`.",
                "c": "The file holds no code at all, only the function's name; the code must "
                "come from a module the service can import.",
            },
            tag="wrong_choice",
        ),
    ],
)

wrapup_b = Quiz(
    NOTEBOOK,
    "wrapup_b",
    "Wrap-up quiz: serve the model",
    questions=[
        Question(
            "A till gets a 422: `temperature_c is a number from -30 to 50, got 77`. What "
            "should its client do?",
            {
                "a": "Send the same visit again in a minute: the service may be busy.",
                "b": "Stop, and show the service's reasons to whoever can fix the visit.",
                "c": "Convert every temperature above 50 from °F to °C itself, and resend.",
            },
            answer="b",
            why={
                "a": "A 4xx means the request is wrong: the same request gets the same "
                "refusal every time.",
                "b": "Yes: the reasons go, unchanged, to the person who can act on them.",
                "c": "That is a guess: 77 might be °F, or a typo for 17. A client that "
                "'repairs' values hides the broken thermometer from the people who can fix "
                "it.",
            },
            tag="retry_4xx",
        ),
        Question(
            "Central's thermometer switches to °F on a cold day and reads 41 (5 °C). What "
            "does the service do with that visit?",
            {
                "a": "It refuses it with a 422 as out of range, like the age of 230 in section 3.",
                "b": "It converts 41 to 5 °C, since the field is called `temperature_c`.",
                "c": "It accepts 41 as a plausible °C value and predicts for a hot day.",
            },
            answer="c",
            why={
                "a": "The rules only refuse values no thermometer in °C would show; 41 is "
                "inside -30 to 50, so it passes.",
                "b": "The service never guesses units: it refuses or accepts.",
                "c": "Yes: input rules catch impossible values, not every wrong one. The "
                "thermometer of notebook 02 was in °F too; notebook 08's monitoring catches "
                "such a change from the distribution of many visits.",
            },
            revisits="02",
            tag="unit_fahrenheit",
        ),
        Question(
            "The service answers 503, *service unavailable*. Whose problem is it?",
            {
                "a": "The service's: the visit may be fine. Report it; retry later.",
                "b": "The visit's: a field is wrong, so fix it before sending it again.",
                "c": "Nobody's: a 503 is how the service says the model predicted apple.",
            },
            answer="a",
            why={
                "a": "Yes: a 5xx is the service's own failure (it is restarting, overloaded, "
                "broken).",
                "b": "A 5xx blames the server, not the request: the visit may be perfect.",
                "c": "A prediction comes with status 200; every other status means no prediction.",
            },
            tag="wrong_exception",
        ),
        Question(
            "The service answers `p_banana = 0.70` and the decision `apple`. Why apple, "
            "when banana is the likelier fruit?",
            {
                "a": "A bug: the decision should follow the likelier fruit, banana at 0.70.",
                "b": "The model is not calibrated, so the service lowers its probabilities first.",
                "c": "Banana needs P(banana) >= 0.75: a false banana costs 3x a false apple.",
            },
            answer="c",
            why={
                "a": "0.5 is the right threshold only when both mistakes cost the same.",
                "b": "The service does not change probabilities; it compares them with the "
                "threshold.",
                "c": "Yes: the threshold c_fb / (c_fb + c_fa) = 0.75 comes from notebook 01's "
                "costs.",
            },
            revisits="01",
            tag="default_threshold",
        ),
        Question(
            'A visit arrives with `"age": null` (unknown). What happens to it?',
            {
                "a": "The pipeline's imputer fills it with a value learned from the training rows.",
                "b": "The service puts in 0, a common code for unknown, before the model "
                "ever sees it.",
                "c": "It is refused with a 422, since a required field must hold a value.",
            },
            answer="a",
            why={
                "a": "Yes: the schema allows `age` to be unknown because the training rows "
                "had gaps, and the preparation of notebook 03 imputes them.",
                "b": "An age of 0 would be a (wrong) value; imputation uses what the training "
                "rows taught.",
                "c": "Required means the *field* must be there; its value may be null where "
                "the schema allows it.",
            },
            revisits="03",
            tag="wrong_choice",
        ),
        Question(
            "Notebook 08 will compute the live cost per visit from the prediction log. "
            "What must be joined to it first?",
            {
                "a": "Nothing: the log's decisions already say which visits were banana.",
                "b": "The fruit each customer really bought, matched on `request_id`.",
                "c": "The refused requests, so that the cost covers every visit that came.",
            },
            answer="b",
            why={
                "a": "A decision alone cannot be right or wrong until the fruit is known.",
                "b": "Yes: a cost needs what was decided *and* what happened - once the labels "
                "arrive.",
                "c": "Refused requests were never predicted: they have no decision to judge.",
            },
            tag="wrong_choice",
        ),
    ],
)

__all__ += ["wrapup_a", "wrapup_b"]
