"""Exercises of notebook 02 "Collect the data": joins that lose rows, duplicates, units, bias.

In the notebook::

    from course_utils.exercises.nb02 import q1, q2, q3, q4

    q1.check(my_join)   # the scans joined with the daily sensor summary, none lost
    q2.check(n_dup)     # how many rows of the sales export are extra copies of a scan
    q3.check("...")     # which store's thermometer reports degrees Fahrenheit
    q4.check(ratio)     # the Station's share of recorded visits over its share of footfall

The expected values are computed once from the data sources (``course_utils.sources``),
never typed in. ``q1`` is the misconception check of the notebook: an inner join that
silently drops the scans of sensor-outage days gets the ``rows_lost`` feedback.

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
        "n_inner": int(joined["temp_mean"].notna().sum()),
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
    ``None`` when the table has as many rows as the left table had.

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
                f"Your join dropped {lost:,} scans without a word. `merge` does an *inner* "
                "join unless told otherwise: it keeps only the scans that found a sensor "
                "day, so every visit on a day the sensor was down silently disappears - no "
                "error, no warning, only counting rows before and after shows it. Keep every "
                "scan with `how='left'`: their sensor values become missing (NaN), which "
                "notebook 03 deals with.",
                "rows_lost",
            )
        return incorrect(
            f"Your table has {lost:,} fewer rows than `with_prices` has scans: rows were "
            "lost on the way (an inner or right join, a `dropna`, a filter?). Every scan "
            "must keep its row: start from `with_prices` and use `how='left'`.",
            "rows_lost",
        )
    return incorrect(
        f"Your table has {n - n_expected:,} more rows than there are scans: some scans "
        "matched several sensor rows. Did you join the raw `sensors` readings (many per store "
        "and day) instead of the daily summary `daily`, or join on one key only? "
        "`validate='many_to_one'` makes pandas refuse such a join.",
        "rows_added",
    )


def _check_q1(answer: Any) -> Feedback:
    d = _data()
    if isinstance(answer, int | float | np.integer | np.floating) and not isinstance(answer, bool):
        return incorrect(
            f"Expected the joined table itself (a DataFrame), got {describe(answer)}. "
            "Pass the result of the `merge`; the check counts its rows for you.",
            "wrong_type",
        )
    if not isinstance(answer, pd.DataFrame):
        return incorrect(
            f"Expected a DataFrame (the scans with their sensor summary), got {describe(answer)}.",
            "wrong_type",
        )
    needed = list(d["joined"].columns)  # every column of the scans and of `daily`
    missing = [c for c in needed if c not in answer.columns]
    if missing:
        if "temp" in answer.columns or "time" in answer.columns:
            return incorrect(
                "Your table has the columns of the raw sensor readings (`temp`, `time`): "
                "join the daily summary `daily` (one row per store and day) instead.",
                "wrong_column",
            )
        renamed = [c for c in answer.columns if c.endswith(("_x", "_y"))]
        if renamed:
            return incorrect(
                f"Your table has the column(s) {', '.join(map(repr, renamed))}: pandas adds "
                "`_x`/`_y` to a column both tables have when it is not a join key. Join on "
                "both shared columns, `on=['date', 'store']`.",
                "missing_columns",
            )
        return incorrect(
            f"Your table lacks the column(s) {', '.join(map(repr, missing))}. Keep every "
            "column of `with_prices` and of the daily sensor summary `daily`: join the two "
            "whole tables (no column selection before or after the merge).",
            "missing_columns",
        )
    for col in ("temp_mean", "footfall"):
        if not pd.api.types.is_numeric_dtype(answer[col]):
            return incorrect(
                f"The column {col!r} of your table holds {answer[col].dtype} values, not "
                "numbers. Join the summary `daily` as it is, without converting its columns.",
                "wrong_dtype",
            )
    loss = silent_row_loss(answer, d["n_scans"], d["n_inner"])
    if loss is not None:
        return loss
    exp = d["joined"].sort_values("visit_id", kind="stable")
    try:
        got = answer.sort_values("visit_id", kind="stable")
        same = all(
            np.allclose(
                pd.to_numeric(got[col]).to_numpy(dtype=float),
                exp[col].to_numpy(dtype=float),
                equal_nan=True,
            )
            for col in ("temp_mean", "footfall")
        ) and np.array_equal(got["visit_id"].to_numpy(), exp["visit_id"].to_numpy())
    except (TypeError, ValueError):
        same = False
    if not same:
        return incorrect(
            "The number of rows is right, but the sensor values don't line up with the "
            "scans. Join on both keys - the day (`date`) and the `store` - so each scan gets "
            "the summary of its own store on its own day.",
            "wrong_value",
        )
    return None


q1 = Exercise(
    NOTEBOOK,
    "q1",
    "Join the sensors without losing a scan",
    prompt="Join `with_prices` (one row per scan) with the daily sensor summary `daily` "
    "(one row per store and day) on the day and the store, so that *every scan keeps its "
    "row*. Pass the joined DataFrame to the check.",
    expects="a DataFrame: the scans with `temp_mean` and `footfall`",
    checker=_check_q1,
    hints=[
        "It is the same kind of join as the two before it: `with_prices.merge(daily, ...)`, "
        "with the keys they share.",
        "The two tables share the columns `date` and `store`. Which `how=` keeps every row "
        "of the left table, even when the right table has no match? And which `validate=` "
        "says 'each scan matches at most one sensor day'?",
        "`with_prices.merge(daily, on=['date', 'store'], how='left', validate='many_to_one')`.",
    ],
    solution="my_join = with_prices.merge(\n"
    "    daily, on=['date', 'store'], how='left', validate='many_to_one'\n)\n"
    "q1.check(my_join)",
    explanation="A left join keeps every scan; `validate='many_to_one'` makes pandas check "
    "that each scan matches at most one row of `daily` (a duplicate key would raise).",
    success="Every scan kept its row. Scans on days without sensor readings now have NaN "
    "for `temp_mean` and `footfall` - visible, countable, and notebook 03's job.",
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
