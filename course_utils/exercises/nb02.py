"""Exercises of stage 02, notebooks 02a "Collect the data" and 02b "Audit the data".

In notebook 02a::

    q1.check(join_sources)   # build task: the join chain as a function, run on unseen cases
    wrapup_a.check(answers)  # the wrap-up quiz

In notebook 02b::

    q2.check(n_dup)     # how many rows of the sales export are extra copies of a scan
    q3.check("...")     # which store's thermometer reports degrees Fahrenheit
    q4.check(ratio)     # the Station's share of recorded visits over its share of footfall
    wrapup_b.check(answers)

``q1`` runs the learner's ``join_sources(scans, prices, readings)`` on tables the notebook
never shows - two hand-made days (a sensor outage, readings exactly at visit times, two
stores) and a month of another seed's world - and names the point-in-time mistakes (the
day's mean or a later reading: ``future_information``; no tolerance: ``stale_value``; no
``by='store'``: ``wrong_group``), lost or copied scans, an order not restored
(``wrong_index``), and a prices join that does not refuse a duplicated key (``rows_added``).
The other expected values are computed once from the data sources
(``course_utils.sources``), never typed in.

>>> q2.evaluate(...).status
'not_attempted'
"""

from __future__ import annotations

import contextlib
import copy
import io
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercises import (
    MISTAKES,
    Exercise,
    Feedback,
    NearMiss,
    describe,
    expect_choice,
    expect_number,
    incorrect,
)
from course_utils.exercises.functions import Case, check_function
from course_utils.exercises.quiz import Question, Quiz

__all__ = ["q1", "q2", "q3", "q4", "wrapup_a", "wrapup_b"]

NOTEBOOK = "02"

# Mistakes specific to this notebook, registered with the others (tags must be known).
MISTAKES.setdefault(
    "duplicates_all_columns",
    "duplicates searched on all columns, though the copies differ in one (the scan time)",
)
MISTAKES.setdefault("counted_both_copies", "counted the first copy of a duplicate too")
MISTAKES.setdefault("inverted_ratio", "the ratio upside down (b / a instead of a / b)")
MISTAKES.setdefault(
    "future_information",
    "a feature built from information after the moment of prediction (point-in-time leak)",
)
MISTAKES.setdefault("stale_value", "a join without a tolerance: stale values look like real ones")
MISTAKES.setdefault("wrong_group", "a join across groups (another store's readings)")


@cache
def _data() -> dict[str, Any]:
    """The numbers the checks need, computed once from the four sources."""
    from course_utils import checkpoints, sources

    src = checkpoints.read_sources()
    joined = checkpoints.raw_joined()
    sales = src["sales"]
    names = {v: k for k, v in sources.STORE_IDS.items()}
    footfall = src["sensors"].groupby(src["sensors"]["store_id"].map(names))["footfall"].sum()
    footfall_share = footfall / footfall.sum()
    visits = sales.drop_duplicates("visit_id")
    recorded_share = visits["store"].value_counts(normalize=True)
    # The wrong way: footfall summed over the scans of the joined table.
    per_scan = joined.groupby("store")["footfall"].sum()
    per_scan = per_scan / per_scan.sum()
    n_station_visits = int((visits["store"] == "Station").sum())
    return {
        "joined": joined,
        "n_scans": len(sales),
        "n_with_reading": int(joined["temp"].notna().sum()),
        "n_visits": int(sales["visit_id"].nunique()),
        "dup_visit_id": int(sales["visit_id"].duplicated().sum()),
        "dup_all_columns": int(sales.duplicated().sum()),
        "dup_both_copies": int(sales["visit_id"].duplicated(keep=False).sum()),
        "n_duplicated_visits": int(sales.loc[sales["visit_id"].duplicated(), "visit_id"].nunique()),
        "recorded_share": float(recorded_share["Station"]),
        "footfall_share": float(footfall_share["Station"]),
        "ratio": float(recorded_share["Station"] / footfall_share["Station"]),
        "ratio_per_scan": float(recorded_share["Station"] / per_scan["Station"]),
        "ratio_counts": n_station_visits / float(footfall["Station"]),
        "fahrenheit_store": sources.FAHRENHEIT_STORE,
    }


# --------------------------------------------------------------------------- q1 (build)

#: The columns each case's scans carry (a small version of notebook 02a's `with_customers`).
_SCAN_COLUMNS = ["visit_id", "timestamp", "date", "store", "customer_id", "fruit"]


def _objects(table: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Text columns as plain ``object``, as notebook 02a's tables have them (pandas 2 and 3)."""
    return table.astype(dict.fromkeys(columns, object))


@cache
def _seed_month() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Another world (seed 7), one month (March): its scans, prices and sensor readings.

    The scans come as a till export lists them - store by store - not in time order.
    """
    import json

    from course_utils import sources, world

    w = world.generate(7, n_visits=3000)
    lines = sources._sensor_lines(w, np.random.default_rng(7), [])
    log = pd.DataFrame([json.loads(line) for line in lines])
    names = {v: k for k, v in sources.STORE_IDS.items()}
    readings = pd.DataFrame(
        {
            "reading_at": pd.to_datetime(log["time"], format="%Y-%m-%dT%H:%M:%S"),
            "store": log["store_id"].map(names),
            "temp": log["temp"].astype(float),
        }
    )
    march = (readings["reading_at"] >= "2025-03-01") & (readings["reading_at"] < "2025-04-01")
    readings = readings[march].sort_values("reading_at", kind="stable").reset_index(drop=True)
    v = w.visits
    v = v[(v["timestamp"] >= "2025-03-01") & (v["timestamp"] < "2025-04-01")].copy()
    v["date"] = v["timestamp"].dt.normalize()
    v["store"] = v["store"].astype(str)
    scans = v.sort_values(["store", "visit_id"], kind="stable")[_SCAN_COLUMNS]
    scans = scans.reset_index(drop=True)
    d = w.daily
    d = d[(d["date"] >= "2025-03-01") & (d["date"] < "2025-04-01")]
    prices = pd.DataFrame(
        {
            "date": d["date"].to_numpy(),
            "store": d["store"].astype(str).to_numpy(),
            "apple": d["price_apple"].to_numpy(dtype=float),
            "banana": d["price_banana"].to_numpy(dtype=float),
        }
    )
    return (
        _objects(scans, "store", "fruit"),
        _objects(prices, "store"),
        _objects(readings, "store"),
    )


def _hand_made(*, duplicate_price: bool = False) -> tuple[pd.DataFrame, ...]:
    """Two stores over three days: a sensor outage, readings exactly at visit times, a gap,
    and a last day the price page does not list yet.

    With ``duplicate_price``, the price page lists Central's first day twice.
    """
    t = pd.Timestamp
    readings = pd.DataFrame(
        {
            "reading_at": [
                t("2025-01-01 06:00"),
                t("2025-01-01 06:30"),
                t("2025-01-01 07:30"),
                t("2025-01-01 08:00"),
                t("2025-01-01 09:10"),
                t("2025-01-02 06:00"),
                t("2025-01-02 10:00"),
                t("2025-01-03 07:00"),
            ],  # fmt: skip
            "store": [
                "Central",
                "Riverside",
                "Central",
                "Riverside",
                "Central",
                "Riverside",
                "Riverside",
                "Riverside",
            ],  # fmt: skip
            "temp": [4.0, 40.0, 6.5, 44.0, 8.0, 41.0, 45.0, 39.0],
        }
    )
    scans = pd.DataFrame(
        {
            "visit_id": [501, 502, 503, 504, 505, 506, 507, 508],
            "timestamp": [
                t("2025-01-01 09:10"),  # exactly at a reading
                t("2025-01-01 07:59"),
                t("2025-01-02 08:00"),  # Central's sensor is down that day
                t("2025-01-01 07:00"),
                t("2025-01-02 11:00"),
                t("2025-01-02 13:00"),  # the last reading is three hours old
                t("2025-01-01 07:30"),  # exactly at a reading
                t("2025-01-03 08:00"),  # the price page has no 3 January yet
            ],
            "store": [
                "Central",
                "Riverside",
                "Central",
                "Central",
                "Riverside",
                "Riverside",
                "Central",
                "Riverside",
            ],  # fmt: skip
            "customer_id": [7, 8, 7, 9, 8, 10, 9, 8],
            "fruit": ["apple", "banana", "banana", "apple", "banana", "apple", "banana", "apple"],
        }
    )
    scans.insert(2, "date", scans["timestamp"].dt.normalize())
    prices = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-02", "2025-01-02"]),
            "store": ["Central", "Riverside", "Central", "Riverside"],
            "apple": [0.50, 0.55, 0.48, 0.52],
            "banana": [0.35, 0.37, 0.36, 0.38],
        }
    )
    if duplicate_price:
        prices = pd.concat([prices, prices.iloc[[0]].assign(apple=0.99)], ignore_index=True)
    return (
        _objects(scans, "store", "fruit"),
        _objects(prices, "store"),
        _objects(readings, "store"),
    )


def _q1_cases() -> list[Case]:
    return [
        Case(
            args=_hand_made(),
            label="three hand-made days at two stores (a sensor outage, readings "
            "exactly at visit times, a reading three hours old, a day without prices)",
        ),  # fmt: skip
        Case(
            args=_seed_month(), label="March in another world (seed 7), scans listed store by store"
        ),  # fmt: skip
    ]


def _asof_temp(scans: pd.DataFrame, readings: pd.DataFrame, **kw: Any) -> np.ndarray:
    """The temperature per scan (in the scans' order) that ``merge_asof(**kw)`` attaches."""
    left = scans[["timestamp", "store"]].assign(_row=np.arange(len(scans)))
    out = pd.merge_asof(
        left.sort_values("timestamp", kind="stable"),
        readings[["reading_at", "store", "temp"]].sort_values("reading_at", kind="stable"),
        left_on="timestamp",
        right_on="reading_at",
        **kw,
    )
    return out.sort_values("_row")["temp"].to_numpy(dtype=float)


def _q1_alternatives(scans: pd.DataFrame, readings: pd.DataFrame) -> dict[str, np.ndarray]:
    """What each typical point-in-time mistake attaches, per scan, for one case."""
    from course_utils.checkpoints import READING_TOLERANCE as tol

    day = readings.assign(date=readings["reading_at"].dt.normalize())
    day = day.groupby(["date", "store"], as_index=False)["temp"].mean()
    day_mean = scans[["date", "store"]].merge(day, on=["date", "store"], how="left")["temp"]
    return {
        "day_mean": day_mean.to_numpy(dtype=float),
        "forward": _asof_temp(scans, readings, by="store", direction="forward", tolerance=tol),
        "nearest": _asof_temp(scans, readings, by="store", direction="nearest", tolerance=tol),
        "no_tolerance": _asof_temp(scans, readings, by="store"),
        "no_store": _asof_temp(scans, readings, tolerance=tol),
        "not_exact": _asof_temp(
            scans, readings, by="store", tolerance=tol, allow_exact_matches=False
        ),
    }


_Q1_MISTAKES = {
    "day_mean": (
        "future_information",
        "your temperatures are the day's *mean* of the readings. The mean includes readings "
        "taken after the visit - at 7:22 in the morning nobody knows the afternoon's "
        "temperature - and the service will only ever receive one live reading. Take the "
        "last reading *before* each scan instead: `pd.merge_asof(..., direction='backward')`.",
    ),
    "forward": (
        "future_information",
        "your join takes the first reading *after* each scan (`direction='forward'`): "
        "information from the future, which the service will never have at the moment of "
        "prediction. Use `direction='backward'` (the default): the last reading at or before "
        "the scan.",
    ),
    "nearest": (
        "future_information",
        "your join takes the *nearest* reading, which is often one taken after the scan: "
        "information from the future. At the moment of prediction only earlier readings "
        "exist - use `direction='backward'`.",
    ),
    "no_tolerance": (
        "stale_value",
        "every reading you attached was taken before its scan - but without a `tolerance`, "
        "a scan on a day the sensor was down gets a reading from the day before, a stale "
        "value that looks like a real one. Add `tolerance=pd.Timedelta('2h')` so that those "
        "scans stay missing (NaN), visibly.",
    ),
    "no_store": (
        "wrong_group",
        "your join takes the last reading of *any* store, not of the scan's own store. Add "
        "`by='store'` so that each scan looks only at its own store's sensor.",
    ),
    "not_exact": (
        "wrong_value",
        "a reading taken at the very second of the scan is known at that moment: it counts "
        "('at or before'). Leave `allow_exact_matches` at its default, `True`.",
    ),
}


def _judge_q1(result: Any, case: Case) -> Feedback | None:
    from course_utils import checkpoints

    scans, prices, readings = case.args
    if not isinstance(result, pd.DataFrame):
        return incorrect(
            f"expected a DataFrame (the scans with their prices and `temp`), got "
            f"{describe(result)}. End the function with `return` and the joined table.",
            "wrong_type",
        )
    n = len(scans)
    expected = checkpoints.join_sources(scans, prices, readings)
    if "visit_id" in result.columns:
        foreign = ~pd.Series(result["visit_id"]).isin(scans["visit_id"])
        if foreign.any():
            return incorrect(
                f"your table has {int(foreign.sum()):,} row(s) whose `visit_id` is not in "
                "the `scans` given to the function: it joined the notebook's own tables. "
                "Use the function's parameters `scans`, `prices` and `readings` inside it, "
                "never the notebook's variables - the check passes other tables.",
                "wrong_value",
            )
    if len(result) < n:
        no_reading = int(expected["temp"].isna().sum())
        no_price = int(expected[prices.columns.drop(["date", "store"])].isna().all(axis=1).sum())
        if no_price and len(result) == n - no_price:
            return incorrect(
                f"your table lost the {no_price} scan(s) whose day and store the price page "
                "does not list - no error, no warning. That is an inner join: join `prices` "
                "with `how='left'`, so every scan keeps its row and a missing price shows "
                "as NaN.",
                "rows_lost",
            )
        with_gaps = int(expected.isna().any(axis=1).sum())
        if with_gaps > no_reading and len(result) == n - with_gaps:
            return incorrect(
                f"your table lost the {with_gaps} scan(s) with a missing price or "
                "temperature (a `dropna()` after the joins?) - no error, no warning. Every "
                "scan keeps its row; its gaps stay NaN, for notebook 03 to handle.",
                "rows_lost",
            )
        if len(result) == n - no_reading:
            return incorrect(
                f"your table lost the {no_reading} scan(s) that found no reading in the two "
                "hours before them (an inner join, or a `dropna()` after the join) - no "
                "error, no warning. Every scan keeps its row: its `temp` is missing (NaN).",
                "rows_lost",
            )
        return incorrect(
            f"your table has {len(result)} rows for {n} scans: rows were lost on the way (an "
            "inner join, a `dropna`, a filter?). Every scan keeps its row.",
            "rows_lost",
        )
    if len(result) > n:
        return incorrect(
            f"your table has {len(result)} rows for {n} scans: some scans were copied. A "
            "plain `merge` with the readings copies a scan once per reading of its day; "
            "`pd.merge_asof` attaches one reading per scan.",
            "rows_added",
        )
    columns = [str(c) for c in result.columns]
    if "temp_mean" in columns:
        return _feedback_q1("day_mean")
    if "store_x" in columns or "store_y" in columns:
        return _feedback_q1("no_store")
    missing = [c for c in expected.columns if c not in columns]
    if missing:
        return incorrect(
            f"your table lacks the column(s) {', '.join(map(repr, missing))}. Keep every "
            "column of `scans`, add those of `prices` and the reading's `temp`.",
            "missing_columns",
        )
    if "reading_at" in columns:
        return incorrect(
            "your table still has the `reading_at` column of the readings. The "
            "specification leaves it out (it is not a feature): drop it before returning.",
            "extra_columns",
        )
    extra = [c for c in columns if c not in {str(e) for e in expected.columns}]
    if extra:
        return incorrect(
            f"your table has column(s) the specification does not ask for: "
            f"{', '.join(map(repr, extra))}. Helper columns (a row number, a merge "
            "indicator) are scaffolding: drop them before returning.",
            "extra_columns",
        )
    ids = result["visit_id"].to_numpy()
    if not np.array_equal(ids, scans["visit_id"].to_numpy()):
        if sorted(ids.tolist()) == sorted(scans["visit_id"].tolist()):
            return incorrect(
                "every scan is there, but not in the scans' order: `merge_asof` returns the "
                "rows sorted by time. Remember each scan's position before sorting (a "
                "column `_row = range(len(table))`, or `reset_index()`), sort back by it at "
                "the end, then drop it.",
                "wrong_index",
            )
        return incorrect(
            "your table has one row per scan, but not the scans given: start from `scans` "
            "as the left table and keep its `visit_id`.",
            "wrong_value",
        )
    try:
        if not pd.api.types.is_numeric_dtype(result["temp"]):
            raise TypeError("not a numeric column")
        temp = result["temp"].to_numpy(dtype=float)
    except (TypeError, ValueError):
        return incorrect(
            f"the column 'temp' holds {result['temp'].dtype} values, not numbers. Attach the "
            "readings' `temp` as it is.",
            "wrong_dtype",
        )
    want = expected["temp"].to_numpy(dtype=float)
    if not np.allclose(temp, want, equal_nan=True):
        for name, alt in _q1_alternatives(scans, readings).items():
            if np.allclose(temp, alt, equal_nan=True):
                return _feedback_q1(name)
        return incorrect(
            "one row per scan, in order - but the temperatures are not the last reading of "
            "each scan's store at or before the scan, within two hours. Check the keys "
            "(`left_on='timestamp'`, `right_on='reading_at'`, `by='store'`), the direction "
            "(`'backward'`) and the tolerance.",
            "wrong_value",
        )
    for column in prices.columns.drop(["date", "store"]):
        got, exp = result[column], expected[column]
        try:
            same = np.allclose(got.to_numpy(dtype=float), exp.to_numpy(dtype=float), equal_nan=True)
        except (TypeError, ValueError):
            same = got.astype(str).equals(exp.astype(str))
        if not same:
            return incorrect(
                f"the temperatures are right, but the column {column!r} is not the price of "
                "each scan's own day and store. Join the `prices` given to the function "
                "on both keys, `on=['date', 'store']`, with `how='left'`.",
                "wrong_value",
            )
    return None


def _feedback_q1(name: str) -> Feedback:
    tag, message = _Q1_MISTAKES[name]
    return incorrect(message, tag)


def _check_validated(answer: Any) -> Feedback | None:
    """The join must refuse a price page that lists a day and store twice."""
    args = _hand_made(duplicate_price=True)
    label = "a price page that lists Central's 1 January twice"
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            out = answer(*copy.deepcopy(args))
    except Exception:  # refused: pandas' MergeError, or the learner's own error
        return None
    n = len(args[0])
    rows = f"{len(out)} rows for {n} scans" if isinstance(out, pd.DataFrame) else "a result"
    return incorrect(
        f"On {label}, your function returned {rows} instead of raising an error. A day and "
        "store twice in `prices` copies the scans of that day (or, deduplicated, picks one "
        "price silently). Add `validate='many_to_one'` to the prices join: pandas then "
        "refuses.",
        "rows_added",
    )


def _check_q1(answer: Any) -> Feedback | None:
    problem = check_function(
        answer,
        _q1_cases(),
        _judge_q1,
        what="`join_sources`",
        params=("scans", "prices", "readings"),
    )
    if problem is not None or answer is Ellipsis:
        return problem
    return _check_validated(answer)


q1 = Exercise(
    NOTEBOOK,
    "q1",
    "Build: the join chain as a function",
    prompt="Write `join_sources(scans, prices, readings)`. It returns one row per scan, in "
    "the scans' order, with the scans' columns, the prices of the scan's day and store "
    "(joined with `validate='many_to_one'`: a day and store twice in `prices` raises an "
    "error) and `temp`: the last reading of the scan's own store at or before the scan, at "
    "most two hours old, NaN otherwise; no `reading_at` column. Pass the function itself: "
    "`q1.check(join_sources)`. It is run on tables you have not seen.",
    expects="a function `join_sources(scans, prices, readings)` returning a DataFrame",
    checker=_check_q1,
    hints=[
        "Two joins in a row. The prices: `scans.merge(prices, on=[...], how='left', "
        "validate=...)`. The temperature: `pd.merge_asof(left, right, ...)`, which takes for "
        "each row of `left` the last row of `right` at or before its time - both tables "
        "sorted by their time column.",
        "`merge_asof` needs `left_on='timestamp'`, `right_on='reading_at'`; which argument "
        "keeps a scan to its own store's sensor, which one refuses a reading older than two "
        "hours? And it returns the rows sorted by time: before sorting, number the rows "
        "(`table.assign(_row=range(len(table)))`) to sort back at the end.",
        "`table = scans.merge(prices, on=['date', 'store'], how='left', "
        "validate='many_to_one')`, `table = table.assign(_row=range(len(table)))`, then "
        "`pd.merge_asof(table.sort_values('timestamp'), readings.sort_values('reading_at'), "
        "left_on='timestamp', right_on='reading_at', by='store', direction='backward', "
        "tolerance=pd.Timedelta('2h'))`, sorted back by `_row`, without `_row` and "
        "`reading_at`.",
    ],
    solution="def join_sources(scans, prices, readings):\n"
    "    table = scans.merge(prices, on=['date', 'store'], how='left', "
    "validate='many_to_one')\n"
    "    table = table.assign(_row=range(len(table)))  # remember the scans' order\n"
    "    table = pd.merge_asof(\n"
    "        table.sort_values('timestamp'),\n"
    "        readings.sort_values('reading_at'),\n"
    "        left_on='timestamp',\n"
    "        right_on='reading_at',\n"
    "        by='store',\n"
    "        direction='backward',\n"
    "        tolerance=pd.Timedelta('2h'),\n"
    "    )\n"
    "    table = table.sort_values('_row').reset_index(drop=True)\n"
    "    return table.drop(columns=['_row', 'reading_at'])\n"
    "\n\n"
    "q1.check(join_sources)",
    explanation="`validate='many_to_one'` makes the prices join refuse a duplicated day and "
    "store instead of copying scans. `merge_asof` with `direction='backward'` takes, for "
    "each scan, the last reading at or before its time - what was known at the moment of "
    "prediction; `by='store'` keeps to the scan's own sensor; the `tolerance` leaves a scan "
    "missing rather than attaching a reading from another day. `merge_asof` works on rows "
    "sorted by time, so the function numbers the scans first and restores their order at "
    "the end: the caller gets back the table it gave, row for row.",
    success="Your function passed on tables it had never seen: every scan kept its row and "
    "its place, got its own day's prices and only the temperature known at its moment; a "
    "duplicated price row is refused. Scans without a reading in the two hours before have "
    "NaN for `temp` - visible, countable, and notebook 03's job.",
)


# --------------------------------------------------------------------------- q2


def _check_q2(answer: Any) -> Feedback:
    d = _data()
    return expect_number(
        answer,
        d["dup_visit_id"],
        tol=0,
        what="a whole number (how many rows are extra copies of a scan)",
        lo=0,
        integer=True,
        near_misses=[
            NearMiss(
                d["dup_all_columns"],
                "duplicates_all_columns",
                "That is what `duplicated()` / `drop_duplicates()` on *all* columns finds: "
                "only rows identical in every column. A scanned-again copy has a later "
                "`scanned_at` (a few seconds), so most copies differ in that one column and "
                "slip through. Look for a repeated `visit_id` instead.",
            ),
            NearMiss(
                d["dup_both_copies"],
                "counted_both_copies",
                "You counted the original scan *and* its copy: `duplicated(keep=False)` "
                "marks every row of a repeated visit. The first scan of a visit is not an "
                "extra copy - count the later ones only (the default, `keep='first'`).",
            ),
            NearMiss(
                d["n_visits"],
                "rows_not_unique",
                "That is the number of *distinct* visits. The question asks how many rows are "
                "extra copies: compare it with the number of rows.",
            ),
            NearMiss(
                d["n_scans"],
                "rows_not_unique",
                "That is the number of rows of `sales`. How many of them repeat a `visit_id` "
                "seen in an earlier row?",
            ),
        ],
        wrong="Not the number of extra copies. A copy repeats the `visit_id` of an earlier "
        "row: which pandas method marks repeated values of a column?",
        success="A copy is scanned again a few seconds later, so its `scanned_at` differs: "
        "`duplicated()` on all columns finds only the copies that look identical - the "
        "Station's, whose till writes no seconds. **Duplicates are defined by a key** (here "
        "`visit_id`), not by identical rows. The same visit twice would count twice in every "
        "total, and twice in training; notebook 03 removes the copies on `visit_id`.",
    )


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "Duplicated scans",
    prompt="A till sometimes scans a visit twice. How many rows of `sales` are *extra* "
    "copies - a `visit_id` that already appeared in an earlier row? (The first scan of a "
    "visit is not a copy.)",
    expects="a whole number",
    checker=_check_q2,
    hints=[
        "Each visit has its own `visit_id`. A copy is a row whose `visit_id` appeared "
        "before; the other columns may differ slightly.",
        "`Series.duplicated()` marks a value that already appeared above it (True/False). "
        "Apply it to one column, not to the whole table - then count the True.",
        "`sales['visit_id'].duplicated().sum()`.",
    ],
    solution="n_dup = sales['visit_id'].duplicated().sum()\nq2.check(n_dup)",
    explanation="`duplicated()` on the key column marks every repeat after the first; "
    "`sales.duplicated()` on all columns would miss the copies scanned a few seconds later.",
)


# --------------------------------------------------------------------------- q3

_STORES = ["Central", "Riverside", "Station", "none"]


def _check_q3(answer: Any) -> Feedback:
    expected = _data()["fahrenheit_store"]
    explanations = {
        "Central": (
            "wrong_choice",
            "Central's daily means stay in a range that is ordinary for degrees Celsius in a "
            "temperate town. Look for the store whose values, read as °C, would be a "
            "deadly heat wave every single day.",
        ),
        "Station": (
            "wrong_choice",
            "Station's temperatures spread more widely (a kiosk by the platform doors gets "
            "cold winter mornings), but they stay in a plausible Celsius range. A wider "
            "spread is not another unit: look at *where* the values sit, not how much they "
            "vary.",
        ),
        "none": (
            "wrong_choice",
            "Look at the figure again: one store's readings sit far above the others all "
            "year round. Read as °C that would be lethal for the fruit and the staff - a "
            "thermometer set to another unit is far likelier.",
        ),
    }
    explanations.pop(expected, None)
    return expect_choice(
        answer,
        expected,
        _STORES,
        explanations=explanations,
        what="one of 'Central', 'Riverside', 'Station' or 'none'",
        success="Its values sit around 45-80: the same weather as the others, in degrees "
        "Fahrenheit. (°F − 32) × 5/9 brings them back to °C - in notebook 03, and in "
        "production too, where the sensor might switch units again. A model fed the raw "
        "column would learn that 'Riverside is hot'; a firmware update that switches a "
        "thermometer's unit would fool it the same way (notebook 08 watches for that).",
    )


q3 = Exercise(
    NOTEBOOK,
    "q3",
    "Which thermometer reports Fahrenheit?",
    prompt="All three stores are in the same town, so they share the same weather. "
    "Judging by the figure of daily temperatures per store, which store's thermometer "
    "reports degrees **Fahrenheit** instead of Celsius? Answer 'Central', 'Riverside', "
    "'Station' or 'none'.",
    expects="a store name, or 'none'",
    checker=_check_q3,
    hints=[
        "Same town, same weather: the three distributions should roughly overlap. Does "
        "one store's sit somewhere else entirely?",
        "Read a value of each store as °C. 20 °C is a mild day; what would 60 °C be? "
        "And what is 60 °F in °C: (60 − 32) × 5/9?",
        "`daily.groupby('store')['temp_mean'].median()` puts one number on each store: "
        "the odd one out has a median around 60.",
    ],
    solution="answer = 'Riverside'  # its median is around 60: °F, not °C\nq3.check(answer)",
    explanation="Riverside's readings sit around 45-80 all year: in °C that is impossible, "
    "in °F it is the same weather as at the other two stores.",
)


# --------------------------------------------------------------------------- q4


def _check_q4(answer: Any) -> Feedback:
    d = _data()
    ratio = d["ratio"]
    return expect_number(
        answer,
        ratio,
        tol=0.01,
        what="a number (the Station's recorded share divided by its footfall share)",
        lo=0,
        near_misses=[
            NearMiss(
                1 / ratio,
                "inverted_ratio",
                "Your ratio is upside down: that is the footfall share over the recorded "
                "share. Divide the Station's share of *recorded visits* by its share of "
                "*footfall*, so that below 1 means 'under-represented'.",
            ),
            NearMiss(
                100 * ratio,
                "percent_not_fraction",
                "That looks like a percentage (the ratio × 100). Give the plain ratio of the "
                "two shares: 0.5 would mean the Station is half as present among recorded "
                "visits as among passers-by.",
                tol=1.0,
            ),
            NearMiss(
                100 / ratio,
                "inverted_ratio",
                "That is the inverted ratio, as a percentage. Divide the recorded share by "
                "the footfall share, and keep it a plain number.",
                tol=1.0,
            ),
            NearMiss(
                d["recorded_share"] - d["footfall_share"],
                "wrong_value",
                "That is the difference of the two shares. The question asks for their "
                "ratio: divide the recorded share by the footfall share.",
                tol=0.005,
            ),
            NearMiss(
                d["recorded_share"],
                "wrong_value",
                "That is only the Station's share of the recorded visits. Divide it by the "
                "Station's share of the footfall counted by the sensors.",
                tol=0.005,
            ),
            NearMiss(
                d["footfall_share"],
                "wrong_value",
                "That is only the Station's share of the footfall. Divide the Station's share "
                "of the recorded visits by it.",
                tol=0.005,
            ),
            NearMiss(
                d["ratio_per_scan"],
                "wrong_value",
                "It looks like you summed `footfall` over the rows of the joined table: each "
                "day's footfall then counts once per scan, so busy-till days weigh more. Sum "
                "the footfall of the sensor readings (or of `daily`, one row per store and "
                "day) instead.",
                tol=0.01,
            ),
            NearMiss(
                d["ratio_counts"],
                "count_not_share",
                "That is a ratio of counts (visits over passers-by): a conversion rate. "
                "Compare *shares* instead: the Station's share of all recorded visits over "
                "its share of all footfall.",
                tol=0.003,
            ),
        ],
        wrong="Not the ratio. Compute two shares for the Station - of the recorded visits "
        "(one row per visit) and of the sensors' footfall - and divide the first by the second.",
        success="Below 1: the Station's commuters are under-represented in the history. The "
        "model will learn from fewer commuters than it will meet in production.",
    )


q4 = Exercise(
    NOTEBOOK,
    "q4",
    "Is the Station under-represented?",
    prompt="Divide the Station's share of the recorded visits (from `sales`, one row per "
    "visit - duplicates removed) by its share of the footfall counted by the sensors "
    "(`sensors` or `daily`). 1 would mean 'represented as often as people pass by'. "
    "Checked to ± 0.01.",
    expects="a positive number",
    checker=_check_q4,
    hints=[
        "Two shares, both for the Station: a share of the recorded visits and a share of "
        "the footfall. Then one division.",
        "`value_counts(normalize=True)` gives shares per store. For the footfall, sum it "
        "per store and divide by the total: `f = daily.groupby('store')['footfall'].sum()`, "
        "then `f / f.sum()`.",
        "`visits = sales.drop_duplicates('visit_id')`, then "
        "`recorded_share = visits['store'].value_counts(normalize=True)['Station']`; "
        "`foot = daily.groupby('store')['footfall'].sum()`, then "
        "`footfall_share = foot['Station'] / foot.sum()`; and `ratio = recorded_share / "
        "footfall_share`.",
    ],
    solution="visits = sales.drop_duplicates('visit_id')\n"
    "recorded_share = visits['store'].value_counts(normalize=True)['Station']\n"
    "foot = daily.groupby('store')['footfall'].sum()\n"
    "footfall_share = foot['Station'] / foot.sum()\n"
    "ratio = recorded_share / footfall_share\n"
    "q4.check(ratio)",
    explanation="Shares make the two counts comparable: visits and passers-by are counted "
    "in different units, but each store's share of each total can be compared.",
)


# --------------------------------------------------------------------------- wrap-up quizzes

wrapup_a = Quiz(
    NOTEBOOK,
    "wrapup_a",
    "Wrap-up quiz: collecting and joining",
    questions=[
        Question(
            "Why does notebook 02a pass `dtype=` to `pd.read_csv`?",
            {
                "a": "It reads the file faster, since pandas skips guessing the types.",
                "b": "Stated types are checked: a file that disagrees fails loudly.",
                "c": "`pd.read_csv` cannot read a file without knowing each column's type.",
            },
            answer="b",
            why={
                "a": "Speed is not the point: a guessed type can be wrong in silence - an id "
                "with one empty cell becomes a float, a code like `007` loses its zeros.",
                "b": "Yes: a stated type turns a quiet wrong guess into a loud error.",
                "c": "`read_csv` reads without it - by guessing every column's type, which is "
                "exactly the risk.",
            },
        ),
        Question(
            "A join with `validate='many_to_one'` raises a `MergeError`. What does it mean?",
            {
                "a": "Some rows of the left table found no match in the right table.",
                "b": "A key appears more than once in the left table, which is not allowed.",
                "c": "A key repeats in the right table, so rows would be copied.",
            },
            answer="c",
            why={
                "a": "No: `validate` says nothing about missing matches; a left join keeps "
                "those rows with NaN. Counting rows before and after shows lost ones.",
                "b": "No: 'many' on the left is allowed - many scans share one customer.",
                "c": "Yes: each left row may match at most one right row; pandas refuses a "
                "join that would copy rows.",
            },
            tag="rows_added",
        ),
        Question(
            "A visit at 7:22. Which temperature may its row carry?",
            {
                "a": "Its store's last reading at or before 7:22, at most two hours old.",
                "b": "The mean of the day's readings at its store, which smooths out noise.",
                "c": "The reading of its store nearest to 7:22, whether before or after.",
            },
            answer="a",
            why={
                "a": "Yes: what was known at the moment of prediction, from its own store, and "
                "not a stale value from another day.",
                "b": "The day's mean includes the afternoon's readings: information from after "
                "the visit, a point-in-time leak.",
                "c": "The nearest reading is often a later one: information from the future.",
            },
            tag="future_information",
        ),
        Question(
            "An inner join with the daily footfall drops 585 scans without a warning. Why "
            "does that matter?",
            {
                "a": "It does not: those scans lack sensor data, so the table is cleaner.",
                "b": "They are the outage days' visits: silently gone, they bias counts.",
                "c": "Only because pandas should have raised an error for unmatched rows.",
            },
            answer="b",
            why={
                "a": "Dropping rows because a feature is missing is a decision for notebook 03, "
                "not a side effect of a join: it removes real visits.",
                "b": "Yes: they bias every count, and the model never meets a visit without a "
                "temperature. A left join keeps them, with the gap visible (NaN).",
                "c": "pandas raises nothing for an inner join - that is why the habit is to "
                "count rows before and after every join.",
            },
            tag="rows_lost",
        ),
        Question(
            "`amount_paid` is still in the joined table. Why, if the model must never use it?",
            {
                "a": "It is a good feature: what was paid tells which fruit was bought.",
                "b": "It is needed later, to compute the label in notebook 03.",
                "c": "Collecting keeps every fact; preparing picks the model's inputs.",
            },
            answer="c",
            why={
                "a": "It tells the fruit because it is known only after the purchase: a leak, "
                "absent at the moment of prediction.",
                "b": "The label is the fruit bought, a column of its own.",
                "c": "Yes: it is known only after the purchase; collecting keeps the facts, "
                "and notebook 03 drops the leak from the model's inputs.",
            },
            revisits="01",
            tag="future_information",
        ),
        Question(
            "Where does collecting the data sit in the lifecycle?",
            {
                "a": "After defining success, before preparing - and again at each retraining.",
                "b": "After training, because the model tells you which data to collect.",
                "c": "At the very start, only once: the history does not change afterwards.",
            },
            answer="a",
            why={
                "a": "Yes: the lifecycle is a loop - monitoring and retraining bring new data "
                "to collect and audit.",
                "b": "A model learns from collected data; it cannot come first.",
                "c": "The lifecycle is a loop: new visits keep arriving, and retraining "
                "collects them again.",
            },
            revisits="00",
        ),
    ],
)


wrapup_b = Quiz(
    NOTEBOOK,
    "wrapup_b",
    "Wrap-up quiz: auditing the data",
    questions=[
        Question(
            "`sales.duplicated()` finds far fewer copies than the repeated `visit_id` s. Why?",
            {
                "a": "`duplicated()` only compares the first column of each row.",
                "b": "The extra rows are real repeat visits and should be kept.",
                "c": "Copies differ in `scanned_at`: only the key shows they repeat.",
            },
            answer="c",
            why={
                "a": "Without arguments it compares *all* columns - which is the problem here.",
                "b": "They share the `visit_id` of an earlier row: the same visit, counted twice.",
                "c": "Yes: a copy is scanned a few seconds later, so look for repeated keys "
                "(`visit_id`), not identical rows.",
            },
            tag="duplicates_all_columns",
        ),
        Question(
            "Customers without an age buy bananas more often and shop more at Central than "
            "the others. What can you conclude?",
            {
                "a": "Not missing completely at random; MAR or MNAR, the data cannot tell.",
                "b": "They are missing not at random: older customers skip the question.",
                "c": "They are missing completely at random: only a few are missing.",
            },
            answer="a",
            why={
                "a": "Yes: the rows with a gap differ from the others in what we observe, so "
                "not MCAR; telling MAR from MNAR needs knowledge from outside the table.",
                "b": "Maybe - but the comparison cannot show it: it would need the missing "
                "ages themselves. Only outside knowledge (the sign-up form, a survey) can.",
                "c": "How many are missing does not decide it: MCAR means the rows with a gap "
                "look like the others - and these do not.",
            },
        ),
        Question(
            "One store's daily temperatures sit around 60, the others' around 16 - in the "
            "same town. What is the best reading?",
            {
                "a": "That store is warmer, maybe in the sun: keep the values as they are.",
                "b": "Its thermometer reports another unit (°F): convert it.",
                "c": "Those are outliers: drop that store's rows before modelling.",
            },
            answer="b",
            why={
                "a": "Same town, same weather: 60 °C would be lethal. Another unit is far "
                "likelier.",
                "b": "Yes: (°F - 32) x 5/9 puts it next to the others.",
                "c": "A whole store on another scale is not a few odd values: dropping it "
                "loses a third of the chain and biases what is left.",
            },
        ),
        Question(
            "How can you see that a store is under-represented in the history?",
            {
                "a": "From its share of the scans: below a third means it is missing visits.",
                "b": "From the missing values in its rows, such as gaps in the temperature.",
                "c": "Compare its share of the scans with an independent count (footfall).",
            },
            answer="c",
            why={
                "a": "The table cannot show what is not in it, and stores differ in size: an "
                "equal third is no yardstick. A share means something only next to an "
                "independent count.",
                "b": "Unrecorded visits are not rows with gaps - they are no rows at all.",
                "c": "Yes: only an independent count reveals who is missing from the sample.",
            },
        ),
        Question(
            "(From 02a) A scan at 7:22; its store's readings are at 7:05 and 8:40. What does "
            "`merge_asof` (backward, by store, two hours' tolerance) attach?",
            {
                "a": "The reading of 7:05.",
                "b": "The reading of 8:40.",
                "c": "Nothing (NaN): no reading at exactly 7:22.",
            },
            answer="a",
            why={
                "a": "Yes: the last reading at or before the scan, 17 minutes old.",
                "b": "That is `direction='forward'`: a reading from after the visit.",
                "c": "An as-of join takes the last earlier row; it needs no exact match.",
            },
            tag="future_information",
        ),
        Question(
            "About 62 % of the visits end with a banana. What does that mean for a model?",
            {
                "a": "Nothing yet: 62 % is already a good accuracy for any model.",
                "b": "It must at least beat simple baselines such as always-banana.",
                "c": "The classes must be rebalanced before anything else is done.",
            },
            answer="b",
            why={
                "a": "62 % is what always answering 'banana' scores, without looking at "
                "anything: a baseline, not a good model.",
                "b": "Yes: a model is worth something only above the baselines; notebook 01 "
                "sets the bar from the best of them, the stand's rule of thumb, in euros.",
                "c": "62/38 is moderately imbalanced; no class is rare, so no special "
                "treatment is needed.",
            },
            revisits="00",
        ),
        Question(
            "The daily `footfall` is in the joined table. May the model use it?",
            {
                "a": "Yes: more passers-by means more bananas sold that day.",
                "b": "No: the day's total is known only after the day ends.",
                "c": "Yes, once the missing days are filled in with the mean.",
            },
            answer="b",
            why={
                "a": "Whatever it predicts, the day's total does not exist yet when a customer "
                "reaches the stand: a leak.",
                "b": "Yes: it is not there at the moment of prediction; it is an audit column, "
                "for the sampling-bias check only.",
                "c": "Filling gaps does not change *when* a value is known: still a leak.",
            },
            revisits="01",
            tag="future_information",
        ),
    ],
)
