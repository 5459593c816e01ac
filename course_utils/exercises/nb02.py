"""Exercises of notebook 02 "Collect the data": joins that lose rows, duplicates, units, bias.

In the notebook::

    from course_utils.exercises.nb02 import q1, q2, q3, q4

    q1.check(my_join)   # each scan with the last sensor reading before it (point in time)
    q2.check(n_dup)     # how many rows of the sales export are extra copies of a scan
    q3.check("...")     # which store's thermometer reports degrees Fahrenheit
    q4.check(ratio)     # the Station's share of recorded visits over its share of footfall

The expected values are computed once from the data sources (``course_utils.sources``),
never typed in. ``q1`` is the misconception check of the notebook: a join that uses
information from after the visit (the day's mean, a reading taken later) gets the
``future_information`` feedback; one that silently drops scans gets ``rows_lost``.

>>> q2.evaluate(...).status
'not_attempted'
"""

from __future__ import annotations

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

__all__ = ["q1", "q2", "q3", "q4"]

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


# --------------------------------------------------------------------------- q1


def silent_row_loss(answer: pd.DataFrame, n_expected: int, n_inner: int) -> Feedback | None:
    """The "silent loss" misconception: a join that dropped rows without a word.

    Returns a ``rows_lost`` (or ``rows_added``) Feedback naming the join that does it, or
    ``None`` when the table has as many rows as the left table had. ``n_inner`` is the
    number of rows an inner join would keep.

    >>> silent_row_loss(pd.DataFrame({"x": [1]}), 3, 1).mistake
    'rows_lost'
    """
    n = len(answer)
    if n == n_expected:
        return None
    if n < n_expected:
        lost = n_expected - n
        if n == n_inner:
            return incorrect(
                f"Your table lost {lost:,} scans without a word: exactly the scans that "
                "found no sensor reading (an inner join, or a `dropna()` after the join). "
                "Every visit on a day the sensor was down silently disappears - no error, no "
                "warning, only counting rows before and after shows it. Keep every scan "
                "(`pd.merge_asof` keeps every row of the left table; `merge` needs "
                "`how='left'`): their temperature becomes missing (NaN), which notebook 03 "
                "deals with.",
                "rows_lost",
            )
        return incorrect(
            f"Your table has {lost:,} fewer rows than `with_prices` has scans: rows were "
            "lost on the way (an inner or right join, a `dropna`, a filter?). Every scan "
            "must keep its row: start from `with_prices`.",
            "rows_lost",
        )
    return incorrect(
        f"Your table has {n - n_expected:,} more rows than there are scans: some scans "
        "matched several sensor rows. A plain `merge` on the day and the store copies each "
        "scan once per reading of its day; `pd.merge_asof` picks one reading per scan.",
        "rows_added",
    )


@cache
def _q1_alternatives() -> dict[str, np.ndarray]:
    """The temperature per scan that each typical point-in-time mistake produces.

    Aligned with the scans sorted by ``visit_id`` and ``timestamp``.
    """
    from course_utils import checkpoints

    joined = checkpoints.raw_joined()
    scans = joined.sort_values(["visit_id", "timestamp"], kind="stable").reset_index(drop=True)
    readings = _readings()
    tol = checkpoints.READING_TOLERANCE

    def asof(**kw) -> np.ndarray:
        left = scans[["timestamp", "store"]].astype({"store": object})
        left = left.assign(_row=np.arange(len(scans)))
        left = left.sort_values("timestamp", kind="stable")
        right = readings.sort_values("reading_at", kind="stable")
        out = pd.merge_asof(left, right, left_on="timestamp", right_on="reading_at", **kw)
        return out.sort_values("_row")["temp"].to_numpy(dtype=float)

    day_mean = scans[["date", "store"]].merge(
        readings.assign(date=readings["reading_at"].dt.normalize())
        .groupby(["date", "store"], as_index=False)["temp"]
        .mean(),
        on=["date", "store"],
        how="left",
    )["temp"]
    return {
        "expected": scans["temp"].to_numpy(dtype=float),
        "day_mean": day_mean.to_numpy(dtype=float),
        "forward": asof(by="store", direction="forward", tolerance=tol),
        "nearest": asof(by="store", direction="nearest", tolerance=tol),
        "no_tolerance": asof(by="store", direction="backward"),
        "no_store": asof(direction="backward", tolerance=tol),
        "keys": scans["visit_id"].to_numpy(),
    }


@cache
def _readings() -> pd.DataFrame:
    from course_utils import checkpoints

    log = checkpoints._sensor_readings()
    return log[["reading_at", "store", "temp"]].astype({"temp": float, "store": object})


_Q1_MISTAKES = {
    "day_mean": (
        "future_information",
        "Your temperatures are the day's *mean* of the readings. The mean includes readings "
        "taken after the visit - at 7:22 in the morning nobody knows the afternoon's "
        "temperature - and the service will only ever receive one live reading. Take the "
        "last reading *before* each scan instead: `pd.merge_asof(..., direction='backward')`.",
    ),
    "forward": (
        "future_information",
        "Your join takes the first reading *after* each scan (`direction='forward'`): "
        "information from the future, which the service will never have at the moment of "
        "prediction. Use `direction='backward'` (the default): the last reading at or before "
        "the scan.",
    ),
    "nearest": (
        "future_information",
        "Your join takes the *nearest* reading, which is often one taken after the scan: "
        "information from the future. At the moment of prediction only earlier readings "
        "exist - use `direction='backward'`.",
    ),
    "no_tolerance": (
        "stale_value",
        "Close: every reading you attached was taken before its scan. But without a "
        "`tolerance`, a scan on a day the sensor was down gets a reading from the day "
        "before - a stale value that looks like a real one. Add "
        "`tolerance=pd.Timedelta('2h')` so that those scans stay missing (NaN), visibly.",
    ),
    "no_store": (
        "wrong_group",
        "Your join takes the last reading of *any* store, not of the scan's own store. "
        "Add `by='store'` so that each scan looks only at its own store's sensor.",
    ),
}


def _check_q1(answer: Any) -> Feedback:
    d = _data()
    if isinstance(answer, int | float | np.integer | np.floating) and not isinstance(answer, bool):
        return incorrect(
            f"Expected the joined table itself (a DataFrame), got {describe(answer)}. "
            "Pass the result of the join; the check counts its rows for you.",
            "wrong_type",
        )
    if not isinstance(answer, pd.DataFrame):
        return incorrect(
            f"Expected a DataFrame (the scans with a `temp` column), got {describe(answer)}.",
            "wrong_type",
        )
    # every column of the scans (`with_prices`) and the reading's `temp`
    needed = [c for c in d["joined"].columns if c != "footfall"]
    missing = [c for c in needed if c not in answer.columns]
    if missing:
        if "temp_mean" in answer.columns:
            return _feedback_q1("day_mean")
        renamed = [c for c in answer.columns if str(c).endswith(("_x", "_y"))]
        if "store_y" in answer.columns:  # merge_asof without by=: both tables' store columns
            return _feedback_q1("no_store")
        if renamed:
            return incorrect(
                f"Your table has the column(s) {', '.join(map(repr, renamed))}: pandas adds "
                "`_x`/`_y` to a column both tables have when it is not a join key. Keep the "
                "scan's own store with `by='store'`.",
                "missing_columns",
            )
        return incorrect(
            f"Your table lacks the column(s) {', '.join(map(repr, missing))}. Keep every "
            "column of `with_prices` (no column selection before or after the join) and add "
            "the reading's `temp` from `readings`.",
            "missing_columns",
        )
    if not pd.api.types.is_numeric_dtype(answer["temp"]):
        return incorrect(
            f"The column 'temp' of your table holds {answer['temp'].dtype} values, not "
            "numbers. Join `readings` as it is, without converting its columns.",
            "wrong_dtype",
        )
    loss = silent_row_loss(answer, d["n_scans"], d["n_with_reading"])
    if loss is not None:
        return loss
    alt = _q1_alternatives()
    try:
        got = answer.sort_values(["visit_id", "timestamp"], kind="stable")
        temp = pd.to_numeric(got["temp"]).to_numpy(dtype=float)
        keys_ok = np.array_equal(got["visit_id"].to_numpy(), alt["keys"])
    except (TypeError, ValueError):
        return incorrect(
            "The `temp` column should hold numbers (the readings as reported), and "
            "`visit_id` and `timestamp` should be the scans' own.",
            "wrong_value",
        )
    if not keys_ok:
        return incorrect(
            "Your table has the right number of rows, but not the scans of `with_prices`: "
            "start from `with_prices` (sorted by `timestamp`) as the left table.",
            "wrong_value",
        )
    if np.allclose(temp, alt["expected"], equal_nan=True):
        return None
    if "store_y" in answer.columns:  # merge_asof without by=: both tables' store columns
        return _feedback_q1("no_store")
    for name in ("day_mean", "forward", "nearest", "no_tolerance", "no_store"):
        if np.allclose(temp, alt[name], equal_nan=True):
            return _feedback_q1(name)
    return incorrect(
        "The number of rows is right, but the temperatures don't match the last reading of "
        "each scan's store before the scan. Check the keys (`left_on='timestamp'`, "
        "`right_on='reading_at'`, `by='store'`), the direction (`'backward'`) and the "
        "tolerance (two hours).",
        "wrong_value",
    )


def _feedback_q1(name: str) -> Feedback:
    tag, message = _Q1_MISTAKES[name]
    return incorrect(message, tag)


q1 = Exercise(
    NOTEBOOK,
    "q1",
    "The temperature the visit could know: a point-in-time join",
    prompt="Attach to every scan of `with_prices` the temperature of the **last sensor "
    "reading of its store at or before the scan**, no older than two hours (`readings` "
    "has one row per reading: `reading_at`, `store`, `temp`). Every scan keeps its row. "
    "Pass the joined DataFrame to the check.",
    expects="a DataFrame: the scans of `with_prices` with a `temp` column",
    checker=_check_q1,
    hints=[
        "`pd.merge_asof(left, right, ...)` joins each row of `left` with the last row of "
        "`right` whose key is at or before its own. Both tables must be sorted by their "
        "time column.",
        "The time columns have different names: `left_on='timestamp'`, "
        "`right_on='reading_at'`. Which argument keeps each scan to its own store's "
        "sensor? Which one refuses a reading that is too old?",
        "`pd.merge_asof(with_prices.sort_values('timestamp'), readings, "
        "left_on='timestamp', right_on='reading_at', by='store', direction='backward', "
        "tolerance=pd.Timedelta('2h'))`.",
    ],
    solution="my_join = pd.merge_asof(\n"
    "    with_prices.sort_values('timestamp'),\n"
    "    readings,  # sorted by reading_at\n"
    "    left_on='timestamp',\n"
    "    right_on='reading_at',\n"
    "    by='store',\n"
    "    direction='backward',\n"
    "    tolerance=pd.Timedelta('2h'),\n"
    ")\n"
    "q1.check(my_join)",
    explanation="`merge_asof` with `direction='backward'` takes, for each scan, the last "
    "reading at or before its time - what was known at the moment of prediction; "
    "`by='store'` keeps to the scan's own sensor; the `tolerance` leaves a scan missing "
    "rather than attaching a reading from another day.",
    success="Every scan kept its row and got only what was known at its moment. Scans on "
    "days without sensor readings have NaN for `temp` - visible, countable, and notebook "
    "03's job.",
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
        success="The same visit twice would count twice in every total, and twice in "
        "training. Notebook 03 removes the copies on `visit_id`, not on all columns.",
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
        "production too, where the sensor might switch units again.",
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
