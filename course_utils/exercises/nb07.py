"""Exercises of notebook 07 "Deploy": load models safely, talk to the service, read its log.

In the notebook::

    from course_utils.exercises.nb07 import q1, q2, q3, q4

* ``q1`` - the misconception check: a colleague sends a pickled model - what do you do?
  (loading a pickle runs code; ``try``/``except`` or a laptop is no protection);
* ``q2`` - send a valid request: build the JSON of a described visit; the check validates
  it against the served model's input schema, then sends it (``url=srv.url``);
* ``q3`` - diagnose a rejected request: which field, and why (a temperature in °F);
* ``q4`` - query the prediction log: how many banana decisions at the Station
  (``log_path=log_path``; the truth is counted from the log itself, when you check).

>>> q1.evaluate(...).status
'not_attempted'
>>> q1.evaluate("a").mistake
'pickle_runs_code'
>>> q3.evaluate("e").mistake
'widen_the_rules'
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

__all__ = ["q1", "q2", "q3", "q4"]

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

_Q3_CHOICES = ["a", "b", "c", "d", "e"]

q3 = Exercise(
    NOTEBOOK,
    "q3",
    "Why was the request refused?",
    prompt="The Central store's till sent the visit above and got HTTP 422 back. Which "
    "field is wrong, and what is the right fix?\n"
    "(a) None: the service is overloaded. Send the same request again in a minute.\n"
    "(b) `temperature_c`: 71.6 is far above 50, the highest plausible value - the reading "
    "is in degrees Fahrenheit. Convert it to Celsius and send the visit again.\n"
    "(c) `temperature_c`: it must be a whole number. Round 71.6 to 72 and send again.\n"
    "(d) `temperature_c`: leave the field out of the request; the model can do without "
    "it.\n"
    "(e) `temperature_c`: ask the service's owners to widen its range to 100, so that "
    "such requests pass.\n"
    "Answer with a letter.",
    expects="one of 'a', 'b', 'c', 'd', 'e'",
    checker=lambda answer: expect_choice(
        answer,
        "b",
        _Q3_CHOICES,
        explanations={
            "a": (
                "retry_4xx",
                "A 4xx status means the *request* is wrong, not the server: the same request "
                "gets the same refusal every time. (A 5xx would be the service's own "
                "failure.) Read the `errors` list - it names the field.",
            ),
            "c": (
                "wrong_choice",
                "Read the rule in the message again: 'a number from -30 to 50' - decimals are "
                "fine (whole numbers are for hour and weekday). 72 would be refused just "
                "the same, because the problem is the size of the number, not its decimals.",
            ),
            "d": (
                "missing_columns",
                "Every field is required: the service would answer 'temperature_c is "
                "missing'. If the temperature were truly unknown you would send null - but "
                "here it is known, only in the wrong unit.",
            ),
            "e": (
                "widen_the_rules",
                "Then 71.6 would reach the model as if it were °C - a heat wave - and it "
                "would answer confidently, and wrongly. The range is there to catch exactly "
                "this kind of unit mix-up (notebook 02 met a thermometer in °F).",
            ),
        },
        success="The range caught a unit mix-up before it reached the model. Notebook 08 "
        "meets a sensor whose firmware silently switches to °F - and monitoring's data "
        "checks catch it the same way.",
    ),
    hints=[
        "Read the response's `errors`: which field do they name, and which rule does the "
        "message quote?",
        "Which temperatures are plausible in °C? Which scale makes 71.6 a pleasant day? "
        "A 4xx status blames the request, not the server.",
        "(71.6 - 32) × 5/9 = 22 °C: the value is fine, its unit is not. Which option fixes "
        "the unit - without loosening the rules?",
    ],
    solution="answer_q3 = 'b'\nq3.check(answer_q3)",
    explanation="71.6 °F is 22 °C. The schema's range (-30 to 50 °C) refused a value no "
    "thermometer in °C would show; the fix belongs to the sender, who converts the unit.",
)


# --------------------------------------------------------------------------- q4


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


def _check_q4(answer: Any, log_path: Any) -> Feedback:
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


q4 = Exercise(
    NOTEBOOK,
    "q4",
    "Query the prediction log",
    prompt="How many predictions in the log are **banana** decisions at the **Station**? "
    "Answer with an SQL query on the log (`pd.read_sql_query(..., con)`), and give the "
    "number - or the one-cell table your query returns. The check counts the log itself, "
    "so your own predictions count too.",
    expects="a whole number (or a one-cell table)",
    inputs={"log_path": "the prediction log's file: `log_path`"},
    checker=_check_q4,
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
        ").iloc[0, 0]\nq4.check(station_bananas, log_path=log_path)"
    ),
    explanation="`decision` is a column of the log; the store is one field of the `inputs` "
    "JSON, read with SQLite's `json_extract`. `COUNT(*)` with both conditions in `WHERE` "
    "gives one number.",
)
