"""Exercises of notebook 03 "Prepare the data": clean, de-duplicate, fit without leaking.

In the notebook::

    from course_utils.exercises.nb03 import q1, q2, q3, q4, q5

    q1.check(temp_c)                                      # °F -> °C at Riverside
    q2.check(deduped)                                     # one row per visit
    q3.check(["..."])                                     # which columns get a missing indicator
    q4.check(make_preprocessing)                          # build task: the preparation pipeline
    q5.check(fitted_prep, X_train=X_train, X_test=X_test)  # fitted on the training rows only
    wrapup_a.check({1: "b", ...})                         # the wrap-up quizzes of 03a and 03b

``q4`` runs the learner's ``make_preprocessing()`` on visits of another world (seed 7):
it fits the returned pipeline on some of them and transforms later ones that have gaps, a
store and a promotion the training rows never saw, and compares with the course's pipeline
(:func:`course_utils.checkpoints.preprocessor`).

The expected values come from the joined, uncleaned history of the default data
(``course_utils.checkpoints.raw_joined()``) and the defect manifest, computed once and
cached. The leakage check uses :func:`course_utils.misconceptions.expect_fitted_on_train_only`.

>>> q1.evaluate(...).status
'not_attempted'
>>> q3.evaluate(["age", "has_kids"]).mistake
'wrong_choice'
"""

from __future__ import annotations

import re
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
from course_utils.exercises.functions import Case, check_function
from course_utils.exercises.quiz import Question, Quiz

__all__ = ["q1", "q2", "q3", "q4", "q5", "wrapup_a", "wrapup_b"]

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
    explanation="**age** is missing for 7 % of the visits, and those visits end with a "
    "banana 73 % of the time against 61 % otherwise: its gaps are not missing completely at "
    "random (not MCAR). Whether they are MAR or MNAR - older customers skipping the "
    "question - the data cannot tell (notebook 02), and here it does not need to: either "
    "way the fact that it is missing says something about the fruit, so it gets an "
    "indicator. **has_kids**: 62 % bananas either way - consistent with MCAR, a record lost "
    "by accident. **temperature_c** is missing on the days a sensor failed - whole "
    "store-days. Its higher banana share comes from *which* days happened to fail (banana "
    "offers fell more often on them), not from anything a broken thermometer could tell "
    "about the next customer. Neither gets an indicator.",
    success="The gaps in age are not completely at random - the rows without an age buy "
    "differently - so 'age was missing' is information the model can use, whatever the "
    "cause (MAR or MNAR). Imputing alone would hide it.",
)


# --------------------------------------------------------------------------- q4

#: The world the build task's check draws its visits from: not the learner's (seed 42).
HELD_BACK_SEED = 7
NEW_STORE, NEW_PROMO = "Harbour", "two for one"
#: The columns after ``add_features``, by what the specification does with them.
_MEDIAN_INDICATOR = ["age"]
_MEDIAN = ["age_sq", "has_kids", "temperature_c"]
_AS_IS = ["rel_price", "loyalty_member", "station_rush", "weekend"]
_ONE_HOT = ["store", "promo"]
_SPEC_COLUMNS = [*_MEDIAN_INDICATOR, *_MEDIAN, *_AS_IS, *_ONE_HOT]
_NUMERIC = [*_MEDIAN_INDICATOR, *_MEDIAN, *_AS_IS]


@cache
def _held_back_visits() -> pd.DataFrame:
    """Visits of another world, with the cleaned table's columns and types, and gaps."""
    from course_utils import world

    visits = world.generate(HELD_BACK_SEED).visits.sort_values("timestamp")
    X = visits[world.FEATURES].reset_index(drop=True)
    X = X.astype({"age": float, "has_kids": float, "loyalty_member": int, "weekday": "int32"})
    rng = np.random.default_rng(HELD_BACK_SEED)
    for column, share in (("age", 0.08), ("has_kids", 0.05), ("temperature_c", 0.03)):
        X.loc[rng.random(len(X)) < share, column] = np.nan
    return X


def _held_back(label: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows to fit on, later rows to transform) of a case."""
    X = _held_back_visits()
    fit_rows, new_rows = X.iloc[:3000].copy(), X.iloc[-600:].copy()
    if "never saw" in label:
        for column, value in (("store", NEW_STORE), ("promo", NEW_PROMO)):
            new_rows[column] = new_rows[column].cat.add_categories([value])
            new_rows.iloc[::7, new_rows.columns.get_loc(column)] = value
    return fit_rows, new_rows


_CASES = (
    "visits of another world (seed 7): fitted on its first 3,000 visits, then 600 later "
    "visits transformed, some with gaps in age, has_kids and temperature_c",
    "the same, but among the later visits a store and a promotion the training rows "
    f"never saw ({NEW_STORE!r}, {NEW_PROMO!r})",
)


def _steps(estimator: Any) -> list:
    """Every estimator inside ``estimator`` (pipelines and column transformers opened)."""
    found = [estimator]
    for _, step in getattr(estimator, "steps", []):
        found += _steps(step)
    for _, step, _ in getattr(estimator, "transformers_", getattr(estimator, "transformers", [])):
        if not isinstance(step, str):
            found += _steps(step)
    return found


def _column_transformer(estimator: Any) -> Any:
    from sklearn.compose import ColumnTransformer

    return next((s for s in _steps(estimator) if isinstance(s, ColumnTransformer)), None)


def _branches(ct: Any) -> list[tuple[Any, list[str]]]:
    """(transformer, its columns) of a fitted ColumnTransformer, without dropped ones."""
    out = []
    for name, step, cols in getattr(ct, "transformers_", ct.transformers):
        if isinstance(step, str) and step == "drop":
            continue
        if name == "remainder" and not isinstance(cols, list | tuple):
            cols = [ct.feature_names_in_[i] for i in cols] if len(cols) else []
        out.append((step, [str(c) for c in np.atleast_1d(cols)]))
    return out


def _prefitted(answer: Any) -> Feedback | None:
    """The pipeline came back fitted: on which rows? (the notebook's sizes name them)."""
    seen = [getattr(s, "n_samples_seen_", None) for s in _steps(answer)]
    seen = [int(n) for n in seen if isinstance(n, int | float | np.number) and n == int(n)]
    fitted = seen or any(
        hasattr(s, "transformers_") or hasattr(s, "statistics_") for s in _steps(answer)
    )
    if not fitted:
        return None
    from course_utils import checkpoints

    train, test = checkpoints.split()
    n = seen[-1] if seen else None
    if n == len(train) + len(test):
        return incorrect(
            f"`make_preprocessing()` returned a pipeline already fitted on {n:,} rows - "
            "the training *and* the test rows. That is leakage: the medians and scales "
            "would include the test rows. Return it unfitted; it is fitted later, on the "
            "training rows only.",
            "leakage",
        )
    if n == len(test):
        return incorrect(
            f"`make_preprocessing()` returned a pipeline already fitted on the {n:,} test "
            "rows. What it learns must come from the training rows only. Return it "
            "unfitted (no `.fit(...)` inside the function).",
            "fitted_on_test",
        )
    return incorrect(
        "`make_preprocessing()` returned a pipeline that is already fitted. The function "
        "only *builds* it - which rows it learns from is decided later, by the code that "
        "calls `.fit(X_train)`. Remove the `.fit(...)` from the function.",
        "wrong_rows",
    )


def _fit_error(exc: Exception) -> Feedback:
    text = str(exc)
    if "convert string to float" in text or "non-numeric data" in text:
        return incorrect(
            "Fitting failed on a text column: `store` and `promo` are categories, so a "
            "scaler or a median cannot use them (`could not convert string to float`). "
            "One-hot encode them; impute and pass through only the numbers.",
            "wrong_column",
        )
    if "is not a column of the dataframe" in text:  # scikit-learn 1.6 does not name it
        return incorrect(
            "The `ColumnTransformer` names a column the table does not have. If it is one of "
            "the derived columns (rel_price, station_rush, weekend, age_sq), `add_features` "
            "makes them: put `FunctionTransformer(add_features)` first in the pipeline, "
            "before the `ColumnTransformer`. Otherwise check the spelling.",
            "missing_columns",
        )
    if "not columns of the dataframe" in text or "not in index" in text:
        missing = re.findall(r"'([^']+)'", text)
        derived = sorted(set(missing) & {"rel_price", "station_rush", "weekend", "age_sq"})
        if derived:
            return incorrect(
                f"The column(s) {', '.join(derived)} do not exist in `X_train`: "
                "`add_features` makes them. Put `FunctionTransformer(add_features)` first "
                "in the pipeline, before the `ColumnTransformer`.",
                "missing_columns",
            )
        return incorrect(
            f"The `ColumnTransformer` names a column the table does not have ({text}). "
            "Check the spelling against the specification.",
            "missing_columns",
        )
    return incorrect(
        f"Fitting your pipeline on the training rows failed: `{type(exc).__name__}: "
        f"{text[:160]}`. Build it as the specification says, then try "
        "`make_preprocessing().fit(X_train)` in a cell of its own.",
        "raised",
    )


def _judge_q4(answer: Any, case: Any) -> Feedback | None:
    from sklearn.base import clone

    from course_utils import checkpoints

    if hasattr(answer, "predict"):
        return incorrect(
            f"Expected the preparation only, got {describe(answer)} that can `predict`: "
            "leave the model out - notebook 04 puts one at the end.",
            "wrong_type",
        )
    if not (hasattr(answer, "fit") and hasattr(answer, "transform")):
        return incorrect(
            f"`make_preprocessing()` should return a scikit-learn pipeline (with `fit` and "
            f"`transform`), got {describe(answer)}.",
            "wrong_type",
        )
    if (problem := _prefitted(answer)) is not None:
        return problem
    fit_rows, new_rows = _held_back(case.label)
    try:
        fitted = clone(answer).fit(fit_rows.copy())
    except Exception as exc:
        return _fit_error(exc)
    try:
        out = np.asarray(fitted.transform(new_rows.copy()), dtype=float)
    except Exception as exc:
        if "unknown categor" in str(exc):
            return incorrect(
                f"Transforming failed on a category never seen in training "
                f"(`{str(exc)[:90]}`). New stores open and offers change: give the "
                '`OneHotEncoder` `handle_unknown="ignore"`, so an unseen category becomes '
                "all zeros instead of an error.",
                "raised",
            )
        return incorrect(
            f"Fitting worked, but transforming new rows failed: `{type(exc).__name__}: "
            f"{str(exc)[:160]}`. Every step must be able to turn rows it has not seen into "
            "numbers: build the pipeline step by step and call `fit` then `transform` on "
            "`X_train.head()` after each step added, to find the one that fails.",
            "raised",
        )
    ct = _column_transformer(fitted)
    if ct is None:
        return incorrect(
            "Your pipeline has no `ColumnTransformer`: the specification treats each group "
            "of columns its own way, and that is the `ColumnTransformer`'s job.",
            "wrong_type",
        )
    branches = _branches(ct)
    used = {c for _, cols in branches for c in cols}
    dropped = [c for c in _SPEC_COLUMNS if c not in used]
    if dropped:
        return incorrect(
            f"The column(s) {', '.join(dropped)} never reach the model: a "
            "`ColumnTransformer` silently drops every column it is not given "
            "(`remainder='drop'`). List each column of the specification in one group.",
            "missing_columns",
        )
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

    for step, cols in branches:
        if any(isinstance(s, OrdinalEncoder) for s in _steps(step)):
            return incorrect(
                "An `OrdinalEncoder` turns the stores into 0, 1, 2: the model then reads "
                "Station as 'twice Riverside', an order the stores do not have. Use a "
                '`OneHotEncoder(handle_unknown="ignore")`: one 0/1 column per store and '
                "per offer.",
                "wrong_column",
            )
        encoders = [s for s in _steps(step) if isinstance(s, OneHotEncoder)]
        numbers = [c for c in cols if c in _NUMERIC]
        if encoders and numbers:
            return incorrect(
                f"You one-hot encoded numbers ({', '.join(numbers)}): every value seen "
                "becomes its own column, and a value never seen (an age of 83, a warmer "
                "day) becomes all zeros. One-hot encode only `store` and `promo`.",
                "wrong_column",
            )
    if np.isnan(out).any():
        return incorrect(
            f"{int(np.isnan(out).any(axis=0).sum())} output column(s) still hold NaN: a "
            "column with gaps was not imputed. `age`, `age_sq`, `has_kids` and "
            '`temperature_c` go through a `SimpleImputer(strategy="median")`.',
            "missing_values",
        )
    reference = checkpoints.preprocessor().fit(fit_rows.copy())
    expected = reference.transform(new_rows.copy())
    indicators = sum(
        getattr(s, "indicator_", None) is not None
        for s in _steps(fitted)
        if hasattr(s, "statistics_")
    )
    if out.shape[1] < expected.shape[1] and indicators == 0:
        return incorrect(
            'No missing indicator: `age` gets `SimpleImputer(strategy="median", '
            "add_indicator=True)` - the fact that an age is missing tells something about "
            "the fruit (exercise 3).",
            "missing_columns",
        )
    for step, cols in branches:
        flagged = [
            c
            for c in cols
            if c != "age"
            and any(getattr(s, "add_indicator", False) for s in _steps(step))
            and c in _MEDIAN
        ]
        if flagged:
            return incorrect(
                f"A missing indicator on {', '.join(flagged)} too: exercise 3 found that "
                "only age's gaps tell something about the fruit - the others would add "
                "columns of noise. Give `add_indicator=True` to age's imputer only.",
                "extra_columns",
            )
    if out.shape[1] > expected.shape[1]:
        return incorrect(
            f"Your pipeline outputs {out.shape[1]} columns, the specification "
            f"{expected.shape[1]}: extra columns (a missing indicator on every column, or "
            "`remainder='passthrough'` letting the raw columns in?).",
            "extra_columns",
        )
    if out.shape != expected.shape:
        return incorrect(
            f"Your pipeline outputs {out.shape[1]} columns, the specification "
            f"{expected.shape[1]}. Compare your groups with the specification.",
            "wrong_shape",
        )
    train_out = np.asarray(fitted.transform(fit_rows.copy()), dtype=float)
    spread = train_out.std(axis=0)
    scaled = np.isclose(train_out.mean(axis=0), 0, atol=1e-6) & (
        np.isclose(spread, 1) | (spread == 0)
    )
    if not scaled.any():
        return incorrect(
            "The columns are not scaled: on the training rows each output column should "
            "have mean 0 and standard deviation 1. End the pipeline with `StandardScaler()`.",
            "wrong_value",
        )
    if not scaled.all():
        return incorrect(
            f"{int((~scaled).sum())} output column(s) are not scaled (the one-hot columns, if "
            "you scaled the numbers inside their groups): the specification ends with one "
            "`StandardScaler()` after the `ColumnTransformer`, over every column.",
            "wrong_value",
        )
    if _same_columns(out, expected):
        return None
    imputers = [s for s in _steps(fitted) if hasattr(s, "statistics_")]
    if any(getattr(s, "strategy", "median") != "median" for s in imputers):
        return incorrect(
            "The gaps are filled with another value than the median of the training rows: "
            'the specification says `strategy="median"` (the median is not pulled by the '
            "few very old customers).",
            "wrong_value",
        )
    return incorrect(
        "Your pipeline runs, but its output differs from the specification's. Compare each "
        "group (which columns, which transformer) with the specification.",
        "wrong_value",
    )


def _same_columns(out: np.ndarray, expected: np.ndarray) -> bool:
    """Equal up to the order of the columns (groups may be listed in any order)."""
    left = list(range(out.shape[1]))
    for j in range(expected.shape[1]):
        match = next((i for i in left if np.allclose(out[:, i], expected[:, j], atol=1e-6)), None)
        if match is None:
            return False
        left.remove(match)
    return True


def _check_q4(answer: Any) -> Feedback | None:

    cases = [Case(label=label) for label in _CASES]
    return check_function(answer, cases, _judge_q4, what="`make_preprocessing`", params=())


q4 = Exercise(
    NOTEBOOK,
    "q4",
    "Build the preparation pipeline",
    prompt="Write `make_preprocessing()`: it returns an *unfitted* `Pipeline` of three "
    "steps - `FunctionTransformer(add_features)`; a `ColumnTransformer` that imputes `age` "
    "with its median and a missing indicator, imputes `age_sq`, `has_kids` and "
    "`temperature_c` with their medians, passes `rel_price`, `loyalty_member`, "
    "`station_rush` and `weekend` through, and one-hot encodes `store` and `promo` "
    "(a category never seen in training becomes all zeros); then a `StandardScaler()`. The "
    "check fits it on visits of another world and transforms later visits with gaps and "
    "a store it never saw.",
    expects="a function that returns an unfitted scikit-learn Pipeline",
    checker=_check_q4,
    hints=[
        "One `ColumnTransformer` entry per group: `(name, transformer, list_of_columns)`. "
        "Four groups: age (imputer with indicator), the other numbers with gaps (imputer), "
        'the complete numbers (`"passthrough"`), the categories (one-hot).',
        '`SimpleImputer(strategy="median", add_indicator=True)`, '
        '`OneHotEncoder(handle_unknown="ignore", sparse_output=False)`; then '
        "`make_pipeline(FunctionTransformer(add_features), columns_step, StandardScaler())`. "
        "No `.fit` inside the function.",
        "```python\ncolumns_step = ColumnTransformer([\n"
        '    ("age", SimpleImputer(strategy="median", add_indicator=True), ["age"]),\n'
        '    ("numbers", SimpleImputer(strategy="median"), '
        '["age_sq", "has_kids", "temperature_c"]),\n'
        '    ("as_is", "passthrough", ["rel_price", "loyalty_member", '
        '"station_rush", "weekend"]),\n'
        '    ("categories", OneHotEncoder(...), ["store", "promo"]),\n])\n```',
    ],
    solution="def make_preprocessing():\n"
    "    one_hot = OneHotEncoder(handle_unknown='ignore', sparse_output=False)\n"
    "    columns_step = ColumnTransformer([\n"
    "        ('age', SimpleImputer(strategy='median', add_indicator=True), ['age']),\n"
    "        ('numbers', SimpleImputer(strategy='median'), "
    "['age_sq', 'has_kids', 'temperature_c']),\n"
    "        ('as_is', 'passthrough', "
    "['rel_price', 'loyalty_member', 'station_rush', 'weekend']),\n"
    "        ('categories', one_hot, ['store', 'promo']),\n"
    "    ])\n"
    "    return make_pipeline(FunctionTransformer(add_features), columns_step, "
    "StandardScaler())\n\n"
    "q4.check(make_preprocessing)",
    explanation="The `ColumnTransformer` gives each group of columns its own treatment and "
    "drops whatever it is not given, so every column is listed once. The imputers fill the "
    "gaps with medians *learned in fit*, the encoder learns the list of categories and "
    "ignores new ones, the scaler learns means and spreads - all from the rows `fit` gets, "
    "so the function returns the pipeline unfitted.",
    success="Your pipeline, fitted on visits of another world, transforms later visits - "
    "gaps, a new store and a new promotion included - exactly as the course's. Because it "
    "learns only inside `fit`, cross-validation and the service can refit it on any rows.",
)


# --------------------------------------------------------------------------- q5


def _check_q5(answer: Any, X_train: Any, X_test: Any) -> Feedback:
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


q5 = Exercise(
    NOTEBOOK,
    "q5",
    "Fit the preprocessing without leaking",
    prompt="`preprocess` imputes, encodes, derives features and scales, but is not fitted "
    "yet. Make `fitted_prep`, a copy of it (`clone(preprocess)`) fitted so that it can "
    "transform the test rows honestly, and `X_test_ready`, the test rows transformed by it.",
    expects="a fitted scikit-learn transformer (a copy of `preprocess`)",
    inputs={"X_train": "the training features", "X_test": "the test features"},
    checker=_check_q5,
    hints=[
        "Everything a transformer learns (medians, categories, means and scales) must come "
        "from the rows the model will learn from - never from the test rows.",
        "`fit` on the training rows, then only `transform` the test rows.",
        "`fitted_prep = clone(preprocess).fit(X_train)` and "
        "`X_test_ready = fitted_prep.transform(X_test)`.",
    ],
    solution="fitted_prep = clone(preprocess).fit(X_train)\n"
    "X_test_ready = fitted_prep.transform(X_test)\n"
    "q5.check(fitted_prep, X_train=X_train, X_test=X_test)",
    explanation="`fit` learns from the training rows only; `transform` applies what was "
    "learned to any rows. Fitting on train + test would let the test rows shape the "
    "preprocessing (leakage).",
)


# --------------------------------------------------------------------------- wrap-up quizzes

wrapup_a = Quiz(
    NOTEBOOK,
    "wrapup_a",
    "Wrap-up quiz (03a)",
    questions=[
        Question(
            "Two scans of the same visit differ only in their scan time (seconds apart). "
            "How do you keep one row per visit?",
            {
                "a": "`df.drop_duplicates(keep='first')`",
                "b": "`df.drop_duplicates(subset='visit_id')`",
                "c": "`df.drop_duplicates(subset='customer_id')`",
            },
            answer="b",
            why={
                "a": "No: without `subset`, two rows count as duplicates only if *every* "
                "column matches - the copies differ in their scan time, so most survive.",
                "b": "Yes: the visit id says 'the same visit'; by default (`keep='first'`) the "
                "first scan, the real one, stays.",
                "c": "No: customers come back many times - that would delete real visits.",
            },
            tag="rows_lost",
        ),
        Question(
            "Why is the table split into training and test rows *before* any gap is "
            "filled or any column scaled?",
            {
                "a": "Filling and scaling are faster on fewer rows, so split first.",
                "b": "scikit-learn refuses to fit on a table that still holds test rows.",
                "c": "A median or a scale learned with them lets the test rows shape the model.",
            },
            answer="c",
            why={
                "a": "No: speed has nothing to do with it - the order protects the test score.",
                "b": "No: scikit-learn cannot know which rows you mean to test on; it is your "
                "job to keep them out of every `fit`.",
                "c": "Yes: everything that is *learned* must come from the training rows only, "
                "or the test score is no longer a score on new visits.",
            },
            tag="leakage",
        ),
        Question(
            "What does `stratify=clean['fruit']` do in `train_test_split`?",
            {
                "a": "It keeps the same share of bananas in the training and the test rows.",
                "b": "It makes both parts 50 % apples and 50 % bananas, balancing the classes.",
                "c": "It keeps each store's share of the visits the same in both parts.",
            },
            answer="a",
            why={
                "a": "Yes: each part keeps the label's proportions (about 62 % bananas); the "
                "other columns are only split at random, not matched.",
                "b": "No: stratifying keeps the proportions of the data (about 62 % bananas), "
                "it does not balance the classes.",
                "c": "No: it stratifies on the column you give it - here the label, not the store.",
            },
            tag="wrong_choice",
        ),
        Question(
            "A customer's age is 230. What did this notebook do with it, and why?",
            {
                "a": "Capped it at the oldest plausible age, so the row keeps a number.",
                "b": "Dropped the whole visit, since none of its data can be trusted.",
                "c": "Set it missing, like the empty ages, and kept the visit.",
            },
            answer="c",
            why={
                "a": "No: a cap invents a precise age nobody gave - the model would learn "
                "from a made-up value.",
                "b": "No: the store, the prices, the hour and the fruit of that visit are "
                "fine; dropping it throws them away (and could bias the rows that are left).",
                "c": "Yes: we cannot guess what was meant, and the visit's other columns are "
                "still good; the imputer fills the age later, learned from the training rows.",
            },
            tag="wrong_choice",
        ),
        Question(
            "Notebook 01 left `amount_paid` out of the model's inputs although it is in "
            "the till's data. Why?",
            {
                "a": "It has too many missing values to be a useful input.",
                "b": "It is written only after the fruit is paid for.",
                "c": "It is in euros at some stores and in cents at others.",
            },
            answer="b",
            why={
                "a": "No: gaps can be filled. The problem is *when* the value exists.",
                "b": "Yes: an input must exist at the moment of prediction - this one gives "
                "the answer away, and the service will not have it.",
                "c": "No: units can be converted (this notebook did it for the prices).",
            },
            revisits="01",
            tag="leakage",
        ),
        Question(
            "The visits without an age end with a banana 73 % of the time, against 61 % "
            "for the others. What does that rule out (notebook 02's audit)?",
            {
                "a": "That the ages are missing completely at random (MCAR).",
                "b": "That the ages are missing at random given other columns (MAR).",
                "c": "That the ages are missing because of the age itself (MNAR).",
            },
            answer="a",
            why={
                "a": "Yes: gaps that happen whoever the customer is could not buy "
                "differently - so the fact 'age missing' carries information.",
                "b": "No: the data cannot tell MAR from MNAR - both remain possible.",
                "c": "No: older customers skipping the question would give exactly this "
                "pattern - MNAR stays possible (and cannot be told apart from MAR).",
            },
            revisits="02",
            tag="wrong_choice",
        ),
    ],
)

wrapup_b = Quiz(
    NOTEBOOK,
    "wrapup_b",
    "Wrap-up quiz (03b)",
    questions=[
        Question(
            "A `ColumnTransformer` is given groups for eight columns; the table has ten. "
            "What happens to the other two?",
            {
                "a": "It raises an error.",
                "b": "They pass through unchanged.",
                "c": "They are dropped, silently.",
            },
            answer="c",
            why={
                "a": "No: nothing warns you - which is why a forgotten column goes unnoticed.",
                "b": "No: only with `remainder='passthrough'`; the default is `'drop'`.",
                "c": "Yes: the default `remainder='drop'` keeps only the columns you listed.",
            },
            tag="missing_columns",
        ),
        Question(
            "A new store opens and the service receives its first visit. What does "
            "`OneHotEncoder(handle_unknown='ignore')` do with it?",
            {
                "a": "Its store columns are all zeros; the rest is used as usual.",
                "b": "It raises an error for the unknown store, as the default encoder does.",
                "c": "It treats it as the most frequent store seen in training.",
            },
            answer="a",
            why={
                "a": "Yes: no known store is switched on, and the prediction still comes.",
                "b": "No: that is the default (`handle_unknown='error'`) - which would make "
                "the service fail on every visit to the new store.",
                "c": "No: the encoder does not guess a category; it switches none on.",
            },
            tag="raised",
        ),
        Question(
            "With the customer's banana share computed from all their visits, "
            "cross-validation gives 0.872 - above the best possible, 0.851. What is it?",
            {
                "a": "An excellent feature: keep it.",
                "b": "Leakage: each visit's own label went into its own feature.",
                "c": "Luck: another split of the folds would bring it back below 0.851.",
            },
            answer="b",
            why={
                "a": "No: no honest model can beat the Bayes line - a score above it means the "
                "answer got into the question.",
                "b": "Yes: a score too good to be true is the signature of leakage.",
                "c": "No: on 15,000 rows chance moves an accuracy by a few thousandths, not by "
                "0.02 - and the cause is in the feature itself: it holds each visit's own label.",
            },
            tag="leakage",
        ),
        Question(
            "Fitting the preparation on all the training rows before cross-validation "
            "changed the score by almost nothing. Why did the customer's share leak so much "
            "more?",
            {
                "a": "The scaler is a linear step, and linear steps barely leak.",
                "b": "A median barely moves with more rows; the share uses the labels.",
                "c": "The share has more missing values, and the imputer filled them.",
            },
            answer="b",
            why={
                "a": "No: linear or not, what matters is *what* a step learns from.",
                "b": "Yes: statistics of the inputs move little with a few more rows; a "
                "feature built from the labels - the row's own label included - carries the "
                "answer itself.",
                "c": "No: the leaky share has no gaps at all - every visit counts itself. "
                "The leak comes from the label, not from the gaps.",
            },
            tag="leakage",
        ),
        Question(
            "Always answering 'banana' scores 0.616. What is that number for (notebook 01)?",
            {
                "a": "It is the best accuracy any model can reach on these inputs.",
                "b": "It is the cross-validated score of the prepared pipeline.",
                "c": "It is a baseline: the simplest score any model must beat.",
            },
            answer="c",
            why={
                "a": "No: the best possible here is the Bayes line, 0.851.",
                "b": "No: the prepared pipeline reaches 0.837 in cross-validation.",
                "c": "Yes: the simplest baseline, the majority class. Notebook 01 also built "
                "cheaper ones: the contract's bar starts from the stand's rule of thumb, in "
                "euros per visit.",
            },
            revisits="01",
            tag="wrong_choice",
        ),
        Question(
            "Done right, the customer's share uses only their *earlier* visits. Which "
            "principle of notebook 02 is that?",
            {
                "a": "Point in time: a feature holds only what was known when predicting.",
                "b": "Use the most recent information available, even if it came later.",
                "c": "Average over the whole history, to reduce the noise of few visits.",
            },
            answer="a",
            why={
                "a": "Yes: the same rule as the temperature's last reading *before* the visit.",
                "b": "No: information from after the visit does not exist when the customer "
                "is at the stand - that is a point-in-time leak.",
                "c": "No: the whole history includes the visit itself and later ones.",
            },
            revisits="02",
            tag="leakage",
        ),
    ],
)
