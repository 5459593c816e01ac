"""Exercises of notebook 03 "Prepare the data": clean, de-duplicate, fit without leaking.

In the notebook::

    from course_utils.exercises.nb03 import q1, q2, q3, q4

    q1.check(temp_c)                                      # °F -> °C at Riverside
    q2.check(deduped)                                     # one row per visit
    q3.check(["..."])                                     # which columns get a missing indicator
    q4.check(fitted_prep, X_train=X_train, X_test=X_test)  # fitted on the training rows only

The expected values come from the joined, uncleaned history of the default data
(``course_utils.checkpoints.raw_joined()``) and the defect manifest, computed once and
cached. The leakage check uses :func:`course_utils.misconceptions.expect_fitted_on_train_only`.

>>> q1.evaluate(...).status
'not_attempted'
>>> q3.evaluate(["age", "has_kids"]).mistake
'wrong_choice'
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercises import (
    Exercise,
    Feedback,
    describe,
    incorrect,
)

__all__ = ["q1", "q2", "q3", "q4"]

NOTEBOOK = "03"
FAHRENHEIT_STORE = "Riverside"


@cache
def _raw() -> pd.DataFrame:
    from course_utils import checkpoints

    return checkpoints.raw_joined()


@cache
def _first_scans() -> pd.DataFrame:
    return _raw().drop_duplicates(subset="visit_id", keep="first")


# --------------------------------------------------------------------------- q1


def _temperature_column(answer: Any) -> pd.Series | Feedback:
    """The temperatures in the answer: a Series, or a column of a DataFrame."""
    if isinstance(answer, pd.DataFrame):
        for name in ("temperature_c", "temp_c", "temp"):
            if name in answer.columns:
                return answer[name]
        return incorrect(
            f"Expected the temperatures as a Series (or the table with the converted "
            f"`temp` column), got {describe(answer)} without a temperature column.",
            "missing_columns",
        )
    if isinstance(answer, pd.Series):
        return answer
    if isinstance(answer, np.ndarray) and answer.ndim == 1 and answer.dtype.kind in "OSU":
        return pd.Series(answer, index=_raw().index[: len(answer)])  # text: caught below
    if isinstance(answer, np.ndarray) and answer.ndim == 1 and len(answer) == len(_raw()):
        return pd.Series(answer, index=_raw().index)  # e.g. from np.where: row by row
    if isinstance(answer, np.ndarray | list | tuple):
        return incorrect(
            f"Expected a pandas Series, got {describe(answer)}. Keep the result as a Series "
            "(for example with `.where(...)`), so each value stays next to its row.",
            "wrong_type",
        )
    return incorrect(
        f"Expected a pandas Series of temperatures in °C (one per row), got {describe(answer)}.",
        "wrong_type",
    )


def _text_values(column: pd.Series) -> str | None:
    """A text value of ``column`` if it holds text (str), else ``None``.

    >>> _text_values(pd.Series(["15.2", "16.0"])), _text_values(pd.Series([15.2, None]))
    ('15.2', None)
    """
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return None
    for value in column.dropna():
        if isinstance(value, str | bytes):
            return value if isinstance(value, str) else value.decode(errors="replace")
    return None


def _close(a: np.ndarray, b: np.ndarray, tol: float = 0.051) -> bool:
    """Equal within ``tol`` where both are numbers (rounding to 0.1 °C is fine)."""
    both = ~np.isnan(a) & ~np.isnan(b)
    return bool(both.any()) and bool(np.allclose(a[both], b[both], rtol=0, atol=tol))


def _check_q1(answer: Any) -> Feedback | None:
    raw = _raw()
    column = _temperature_column(answer)
    if isinstance(column, pd.Series) and len(column) == len(_first_scans()):
        if column.index.equals(_first_scans().index):  # built from the de-duplicated `df`
            raw = _first_scans()
    if isinstance(column, Feedback):
        return column
    text = _text_values(column)
    if text is not None:
        return incorrect(
            f"Your Series holds text (dtype {column.dtype}), such as {text!r}, not numbers. "
            "A temperature you can compute with is a float: keep the result of the "
            "arithmetic as it is (no `.astype(str)`, no f-string or `round` into text).",
            "wrong_dtype",
        )
    try:
        values = pd.to_numeric(column, errors="raise").to_numpy(dtype=float)
    except (TypeError, ValueError):
        return incorrect(
            f"Expected numbers (temperatures), got values like {str(column.iloc[0])[:30]!r}.",
            "wrong_type",
        )
    riverside_rows = int((raw["store"] == FAHRENHEIT_STORE).sum())
    if len(values) < len(raw):
        if len(values) == riverside_rows:
            return incorrect(
                "Your Series only has the Riverside rows. The other stores need their "
                "temperatures too (they are already in °C): convert Riverside's values and keep "
                "the rest, e.g. with `.where(...)` or `df.loc[riverside, ...] = ...`.",
                "rows_lost",
            )
        return incorrect(
            f"Your Series has {len(values):,} values but the table has {len(raw):,} rows: rows "
            "were lost (a `dropna()` or a filter?). Keep one temperature per row - the days "
            "without readings stay missing for now.",
            "rows_lost",
        )
    if len(values) > len(raw):
        return incorrect(
            f"Your Series has {len(values):,} values but the table has {len(raw):,} rows: rows "
            "were added on the way. Convert the column of the table itself.",
            "rows_added",
        )
    if set(column.index) == set(raw.index):
        values = column.reindex(raw.index).to_numpy(dtype=float)
    original = raw["temp"].to_numpy(dtype=float)
    riverside = (raw["store"] == FAHRENHEIT_STORE).to_numpy()
    expected = np.where(riverside, (original - 32) * 5 / 9, original)

    gaps = np.isnan(values) & ~np.isnan(expected)
    if gaps.any():
        where = "at other stores" if not (gaps & riverside).any() else "in some rows"
        return incorrect(
            f"{int(gaps.sum()):,} rows {where} became missing. Only Riverside's values "
            "change; the other stores keep theirs (`np.where(mask, converted, original)` or "
            "`.where(...)` keep both).",
            "missing_values",
        )
    if (~np.isnan(values) & np.isnan(expected)).any():
        return incorrect(
            "Some rows that had no temperature (sensor outage days) now have one. Leave those "
            "gaps missing: they are filled later, inside the model's pipeline, from the "
            "training rows only.",
            "wrong_value",
        )
    others, riv = ~riverside, riverside
    if not _close(values[others], original[others]):
        if _close(values[others], (original[others] - 32) * 5 / 9):
            return incorrect(
                "You converted every store. Only the Riverside thermometer reports °F; "
                "Central and Station already report °C. Convert the Riverside rows only "
                "(a mask: `raw['store'] == 'Riverside'`).",
                "wrong_rows",
            )
        return incorrect(
            "The temperatures of Central and Station changed, but they were already in °C. "
            "Convert the Riverside rows only.",
            "wrong_rows",
        )
    a, f = values[riv], original[riv]
    if _close(a, (f - 32) * 5 / 9):
        return None
    if _close(a, ((f - 32) * 5 / 9 - 32) * 5 / 9):
        return incorrect(
            "Riverside's temperatures were converted twice: the column you started from was "
            "already in °C (a later cell converts `df` in place - after Run All, `df` is the "
            "cleaned table). Start from `raw`, which no cell changes.",
            "wrong_value",
        )
    if _close(a, f):
        return incorrect(
            "Riverside's temperatures are still in degrees Fahrenheit (around 60). Convert "
            "them: subtract 32, then scale.",
            "unit_fahrenheit",
        )
    if _close(a, (f - 32) * 9 / 5):
        return incorrect(
            "The factor is upside down: from °F to °C you multiply by 5/9 (a Fahrenheit degree "
            "is smaller than a Celsius degree); 9/5 goes the other way.",
            "wrong_value",
        )
    if _close(a, f * 5 / 9 - 32) or _close(a, f * 5 / 9):
        return incorrect(
            "Mind the order: subtract 32 first, then multiply by 5/9 - brackets matter.",
            "wrong_value",
        )
    if _close(a, f - 32):
        return incorrect(
            "Subtracting 32 is only half of it: a Fahrenheit degree is also smaller than a "
            "Celsius degree, so scale the result too.",
            "wrong_value",
        )
    if _close(a, (f - 32) * 5 / 9 + 273.15):
        return incorrect("These look like kelvin. The course uses degrees Celsius.", "wrong_value")
    return incorrect(
        "Riverside's converted temperatures are not right. Which formula turns °F into °C?",
        "wrong_value",
    )


q1 = Exercise(
    NOTEBOOK,
    "q1",
    "Fahrenheit to Celsius at Riverside",
    prompt="Riverside's thermometer reports degrees Fahrenheit; the other stores report "
    "degrees Celsius. Make `temp_c`: a Series with one temperature per row of `raw` (the "
    "table as it came, which no later cell changes), in °C everywhere. Leave the missing "
    "days missing.",
    expects="a pandas Series of temperatures in °C, one per row",
    checker=_check_q1,
    hints=[
        "Two things: *which rows* to convert (a True/False mask on the `store` column) and "
        "*how* (the °F → °C formula). The other rows keep their value.",
        "°C = (°F − 32) × 5/9. `riverside = raw['store'] == 'Riverside'`; then "
        "`Series.where(cond, other)` keeps the values where `cond` is True and takes "
        "`other` elsewhere.",
        "`temp_c = raw['temp'].where(~riverside, (raw['temp'] - 32) * 5 / 9)`",
    ],
    solution="riverside = raw['store'] == 'Riverside'\n"
    "temp_c = raw['temp'].where(~riverside, (raw['temp'] - 32) * 5 / 9)\n"
    "q1.check(temp_c)",
    explanation="A mask selects Riverside's rows; `.where` keeps the other stores' values "
    "and puts the converted ones in Riverside's rows. Missing days stay missing: NaN in, NaN out.",
    success="All three stores now report °C, and no row was lost. A unit mix-up is the "
    "kind of bug no model can fix for you - it must be fixed in the data.",
)


# --------------------------------------------------------------------------- q2


def _timestamps_match(answer: pd.DataFrame, reference: pd.DataFrame) -> bool | None:
    """Do the answer's scan times (per visit) match ``reference``? None if it can't tell."""
    for col in ("timestamp", "scanned_at"):
        if col in answer.columns:
            mine = answer.set_index("visit_id")[col].astype(str)
            ref = reference.set_index("visit_id")[col].astype(str).reindex(mine.index)
            return bool((mine.to_numpy() == ref.to_numpy()).all())
    return None


def _check_q2(answer: Any) -> Feedback | None:
    raw, first = _raw(), _first_scans()
    if isinstance(answer, pd.Series):
        return incorrect(
            f"Expected the whole table without its duplicate scans, got {describe(answer)}. "
            "Drop duplicates from the DataFrame itself - `df.drop_duplicates(...)` - so "
            "every column is kept.",
            "wrong_type",
        )
    if not isinstance(answer, pd.DataFrame):
        return incorrect(
            f"Expected a DataFrame (the table without duplicate scans), got {describe(answer)}.",
            "wrong_type",
        )
    if "visit_id" not in answer.columns:
        return incorrect(
            "Your table has no `visit_id` column: keep every column of `df` (the visit id is "
            "how you recognise two scans of the same visit).",
            "missing_columns",
        )
    lacking = [c for c in raw.columns if c not in answer.columns]
    if lacking:
        shown = ", ".join(map(repr, lacking[:6])) + (", …" if len(lacking) > 6 else "")
        return incorrect(
            f"Your table lacks {len(lacking)} column(s) of `df`: {shown}. Keep every column: "
            "`drop_duplicates(subset=...)` *compares* only the subset but keeps whole rows - "
            "don't select columns before or after it.",
            "missing_columns",
        )
    ids = answer["visit_id"]
    n, n_expected = len(answer), len(first)
    n_visits_twice = int(raw["visit_id"].duplicated(keep=False).sum() // 2)
    if not set(first["visit_id"]) <= set(ids):
        if n == n_expected - n_visits_twice:
            return incorrect(
                "You dropped *both* copies of every duplicated visit (`keep=False`?). The "
                "visit did happen - once: keep one scan of it, the first.",
                "rows_lost",
            )
        return incorrect(
            "Some visits disappeared completely, not just their extra copy. De-duplicate on "
            "the column that identifies a visit (customers come back many times, so "
            "`customer_id` is not it).",
            "rows_lost",
        )
    if ids.duplicated().any():
        extra = int(ids.duplicated().sum())
        if n == len(raw):
            return incorrect(
                "Nothing was dropped: the table still has every scan. Some visits were "
                "scanned twice - find them by their `visit_id`.",
                "rows_added",
            )
        if n == len(raw.drop_duplicates()):
            return incorrect(
                f"`drop_duplicates()` on all columns left {extra:,} duplicate visits. The "
                "copy of a scan was made a few seconds later, so its time differs and the "
                "two rows are not identical. Compare only the column that identifies a "
                "visit: `subset='visit_id'`.",
                "rows_added",
            )
        return incorrect(
            f"{extra:,} visits still appear more than once. Each `visit_id` should be left "
            "exactly once.",
            "rows_added",
        )
    if n != n_expected:  # pragma: no cover - unique ids covering all visits means n matches
        return incorrect("Your table does not have one row per visit.", "wrong_value")
    match = _timestamps_match(answer, first)
    if match is False:
        last = raw.drop_duplicates(subset="visit_id", keep="last")
        if _timestamps_match(answer, last):
            return incorrect(
                "You kept the *later* copy of each duplicated visit. The first scan is the "
                "real one (the copy came seconds later, by mistake): keep the first.",
                "wrong_value",
            )
        return incorrect(
            "One row per visit - but the scan times of some visits are not those of the "
            "first scan. Keep the first scan of each visit, unchanged.",
            "wrong_value",
        )
    return None


q2 = Exercise(
    NOTEBOOK,
    "q2",
    "De-duplicate the scans",
    prompt="Some visits were scanned twice at the till. Make `deduped`: the table `df` with "
    "one row per visit - keep the first scan of each visit, and keep every column.",
    expects="a pandas DataFrame with one row per visit",
    checker=_check_q2,
    hints=[
        "Which column says which *visit* a scan belongs to? Two scans of the same visit "
        "share it, even when other columns differ.",
        "`DataFrame.drop_duplicates` has a `subset=` argument (which columns to compare) and "
        "`keep=` ('first', 'last' or False).",
        "`deduped = df.drop_duplicates(subset='visit_id', keep='first')`",
    ],
    solution="deduped = df.drop_duplicates(subset='visit_id', keep='first')\nq2.check(deduped)",
    explanation="Two scans of one visit have the same `visit_id` but a different time (the "
    "copy came seconds later), so rows are compared on `visit_id` only, and the first kept.",
    success="One row per visit, and the first scan of each kept. Counting a visit twice "
    "would give it twice the weight in training - and could put one copy in the training "
    "set and the other in the test set.",
)


# --------------------------------------------------------------------------- q3

_WHY = {
    "has_kids": "`has_kids` looks missing completely at random (MCAR): the rows without it "
    "buy bananas as often as the others (62 % either way), as if a few percent of the "
    "records were lost whoever the customer. A gap that says nothing about the fruit makes "
    "an indicator add only noise.",
    "temperature_c": "`temperature_c` is missing when a store's sensor failed for a whole "
    "day. A broken thermometer has nothing to do with who buys what; with a few dozen "
    "outage days, any difference in banana share on them is chance, and an indicator "
    "would learn that coincidence.",
}
_NO_GAPS = (
    "store",
    "hour",
    "weekday",
    "loyalty_member",
    "price_apple",
    "price_banana",
    "promo",
)


def _check_q3(answer: Any) -> Feedback | None:
    from course_utils import world

    if isinstance(answer, str):
        answer = [answer]
    if isinstance(answer, pd.Index | pd.Series | np.ndarray):
        answer = list(answer)
    if not isinstance(answer, list | tuple | set | frozenset):
        return incorrect(
            f"Expected a list of column names, e.g. ['age'], got {describe(answer)}.",
            "wrong_type",
        )
    if not all(isinstance(a, str) for a in answer):
        return incorrect(
            "Expected column names as text, e.g. ['age', 'promo'].",
            "wrong_type",
        )
    names = {a.strip() for a in answer}
    unknown = sorted(n for n in names if n not in world.FEATURES)
    if unknown:
        return incorrect(
            f"{', '.join(repr(u) for u in unknown)} {'is' if len(unknown) == 1 else 'are'} not "
            f"a column of X_train. Choose among {', '.join(world.FEATURES)}.",
            "wrong_choice",
        )
    no_gaps = sorted(n for n in names if n in _NO_GAPS)
    if no_gaps:
        return incorrect(
            f"{', '.join(no_gaps)} {'has' if len(no_gaps) == 1 else 'have'} no missing values "
            "at all: a missing indicator would be a column of zeros.",
            "wrong_choice",
        )
    for name, why in _WHY.items():
        if name in names:
            return incorrect(why, "wrong_choice")
    if not names:
        return incorrect(
            "An empty list: no indicator at all. Look again at the banana share of the rows "
            "where each column is missing, and at *why* each one is missing.",
            "wrong_choice",
        )
    return None  # only "age" is left


q3 = Exercise(
    NOTEBOOK,
    "q3",
    "Which columns get a missing indicator?",
    prompt="A missing indicator adds a column 'this value was missing'. It helps when the "
    "*fact* that a value is missing tells something about the outcome. Give the list of "
    "the columns of X_train that should get one, e.g. `['age', 'promo']`.",
    expects="a list of column names",
    checker=_check_q3,
    hints=[
        "Only three columns have gaps: `age`, `has_kids` and `temperature_c`. For each, ask "
        "*why* a value is missing: a customer's choice, a random loss, a broken sensor?",
        "The table of banana shares above compares the rows where a column is missing with "
        "the rest. Which gap comes from who the customer is?",
        "The rows without an age buy bananas far more often (73 % against 61 %): that gap is "
        "not missing completely at random, and being missing tells something about the "
        "fruit. The other two gaps look like chance.",
    ],
    solution="indicator_columns = ['age']\nq3.check(indicator_columns)",
    explanation="Age's gaps are not missing completely at random: the rows without an age "
    "buy differently, so 'age was missing' predicts the fruit - whether the cause is the "
    "missing age itself (MNAR) or other traits (MAR), which the data cannot tell apart. "
    "`has_kids` looks lost completely at random and `temperature_c` is missing on "
    "sensor-outage days: their gaps carry no information.",
    success="The gaps in age are not completely at random - the rows without an age buy "
    "differently - so 'age was missing' is information the model can use, whatever the "
    "cause (MAR or MNAR). Imputing alone would hide it.",
)


# --------------------------------------------------------------------------- q4


def _check_q4(answer: Any, X_train: Any, X_test: Any) -> Feedback:
    from course_utils.misconceptions import expect_fitted_on_train_only

    if isinstance(answer, np.ndarray | pd.DataFrame):
        return incorrect(
            f"Expected the fitted preprocessing object, got {describe(answer)} - that is what "
            "it *outputs*. Pass the object you called `.fit(...)` on.",
            "wrong_type",
        )
    if hasattr(answer, "predict") and hasattr(answer, "fit"):
        return incorrect(
            f"Expected the preprocessing only (no model at the end), got "
            f"{describe(answer)}. Fit a copy of `preprocess`.",
            "wrong_type",
        )
    return expect_fitted_on_train_only(
        answer,
        X_train,
        X_test,
        what="your preprocessing",
        success="Fitted on the training rows only: the medians, categories and scales it "
        "learned come from X_train, so transforming X_test is honest. That is what a "
        "Pipeline does for you inside `cross_val_score` and `fit`.",
    )


q4 = Exercise(
    NOTEBOOK,
    "q4",
    "Fit the preprocessing without leaking",
    prompt="`preprocess` imputes, encodes, derives features and scales, but is not fitted "
    "yet. Make `fitted_prep`, a copy of it (`clone(preprocess)`) fitted so that it can "
    "transform the test rows honestly, and `X_test_ready`, the test rows transformed by it.",
    expects="a fitted scikit-learn transformer (a copy of `preprocess`)",
    inputs={"X_train": "the training features", "X_test": "the test features"},
    checker=_check_q4,
    hints=[
        "Everything a transformer learns (medians, categories, means and scales) must come "
        "from the rows the model will learn from - never from the test rows.",
        "`fit` on the training rows, then only `transform` the test rows.",
        "`fitted_prep = clone(preprocess).fit(X_train)` and "
        "`X_test_ready = fitted_prep.transform(X_test)`.",
    ],
    solution="fitted_prep = clone(preprocess).fit(X_train)\n"
    "X_test_ready = fitted_prep.transform(X_test)\n"
    "q4.check(fitted_prep, X_train=X_train, X_test=X_test)",
    explanation="`fit` learns from the training rows only; `transform` applies what was "
    "learned to any rows. Fitting on train + test would let the test rows shape the "
    "preprocessing (leakage).",
)
