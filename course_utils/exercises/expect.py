"""The building blocks of exercise checks: ``expect_number``, ``expect_choice``,
``expect_series``, ``expect_frame``, ``expect_type``, ``expect_fitted``, chained with
``first_problem``. Each returns a :class:`~course_utils.exercises.feedback.Feedback`
that names the typical mistake it found, and never raises on odd answers.

>>> expect_number(42.0, 0.42, tol=0.005, lo=0, hi=1, kind="fraction").mistake
'percent_not_fraction'
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercises.describe import (
    _is_estimator,
    _is_fitted,
    _num,
    _short,
    describe,
)
from course_utils.exercises.feedback import Feedback, answer_problem, correct, incorrect

__all__ = [
    "NearMiss",
    "expect_choice",
    "expect_fitted",
    "expect_frame",
    "expect_number",
    "expect_series",
    "expect_type",
    "first_problem",
]


def first_problem(*checks: Feedback | None | Callable[[], Feedback | None]) -> Feedback | None:
    """The first check that is not correct, or ``None`` when all pass.

    Each check is a :class:`Feedback`, ``None`` (nothing wrong found) or a function of no
    arguments returning one of these - functions run only if all earlier checks passed.

    >>> first_problem(correct(), lambda: incorrect("No.", "wrong_value")).mistake
    'wrong_value'
    >>> first_problem(correct(), None) is None
    True
    """
    for check in checks:
        result = check() if callable(check) else check
        if result is not None and not result.ok:
            return result
    return None


def expect_type(answer: Any, types: type | tuple[type, ...], what: str) -> Feedback:
    """Correct when ``answer`` is an instance of ``types``; else a ``wrong_type`` message.

    >>> expect_type("3", int, "a whole number").message
    "Expected a whole number, got a str: '3'."
    """
    if (missing := answer_problem(answer, what)) is not None:
        return missing
    if isinstance(answer, types):
        return correct()
    return incorrect(f"Expected {what}, got {describe(answer)}.", "wrong_type")


def expect_fitted(estimator: Any, what: str = "the model") -> Feedback:
    """Correct when ``estimator`` is a *fitted* scikit-learn estimator.

    >>> from sklearn.preprocessing import StandardScaler
    >>> expect_fitted(StandardScaler(), "the scaler").mistake
    'not_fitted'
    """
    if (missing := answer_problem(estimator, what)) is not None:
        return missing
    if not _is_estimator(estimator):
        return incorrect(
            f"Expected {what} (a scikit-learn estimator), got {describe(estimator)}.",
            "wrong_type",
        )
    if _is_fitted(estimator) is False:
        return incorrect(
            f"Your {type(estimator).__name__} is not fitted yet: call its `.fit(...)` on the "
            "training rows first (`fit` learns, `transform`/`predict` apply what was learned).",
            "not_fitted",
        )
    return correct()


@dataclass(frozen=True)
class NearMiss:
    """A typical wrong value: if the answer is within ``tol`` of ``value``, say ``message``.

    >>> nm = NearMiss(0.58, "complement", "That is the apple share.", tol=0.005)
    >>> expect_number(0.58, 0.42, tol=0.005, near_misses=[nm]).mistake
    'complement'
    """

    value: float
    mistake: str
    message: str
    tol: float | None = None


# Presets of typical unit mistakes: (transform of the expected value, factor of the
# tolerance, mistake, message).
_KIND_MISSES: dict[str, list[tuple[Callable[[float], float], float, str, str]]] = {
    "fraction": [
        (
            lambda e: e * 100,
            100,
            "percent_not_fraction",
            "That looks like a percentage. Give a fraction between 0 and 1 instead "
            "(divide by 100: 25% is 0.25).",
        )
    ],
    "percent": [
        (
            lambda e: e / 100,
            0.01,
            "fraction_not_percent",
            "That looks like a fraction. Give a percentage instead (multiply by 100).",
        )
    ],
    "eur": [
        (
            lambda e: e * 100,
            100,
            "unit_cents",
            "That looks like cents. Give the amount in euros (divide by 100).",
        )
    ],
    "cents": [
        (
            lambda e: e / 100,
            0.01,
            "unit_euros",
            "That looks like euros. Give the amount in cents (multiply by 100).",
        )
    ],
    "celsius": [
        (
            lambda e: e * 9 / 5 + 32,
            9 / 5,
            "unit_fahrenheit",
            "That looks like degrees Fahrenheit. Give degrees Celsius: (°F − 32) × 5/9.",
        )
    ],
    "fahrenheit": [
        (
            lambda e: (e - 32) * 5 / 9,
            5 / 9,
            "unit_celsius",
            "That looks like degrees Celsius. Give degrees Fahrenheit: °C × 9/5 + 32.",
        )
    ],
}


def _as_real(answer: Any, what: str) -> float | Feedback:
    """The answer as a float, or an incorrect Feedback explaining why it is not a number."""
    if isinstance(answer, bool | np.bool_):
        return incorrect(
            f"Expected {what}, got a bool ({bool(answer)}). "
            "A comparison gives True/False; take its `.mean()` or `.sum()` to get a number.",
            "wrong_type",
        )
    if isinstance(answer, str):
        try:
            float(answer.strip().rstrip("%"))
        except ValueError:
            return incorrect(f"Expected {what}, got {describe(answer)}.", "wrong_type")
        return incorrect(
            f"Expected {what}, got {describe(answer)}: a number in quotes is text. "
            "Remove the quotes.",
            "wrong_type",
        )
    if isinstance(answer, pd.Series | pd.DataFrame):
        tip = (
            "Pick the one value you need, e.g. `s['banana']` or `s.iloc[0]`."
            if isinstance(answer, pd.Series)
            else "Select one column and reduce it to one value, e.g. `df['col'].mean()`."
        )
        return incorrect(f"Expected {what}, got {describe(answer)}. {tip}", "wrong_type")
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()
    if isinstance(answer, np.ndarray | list | tuple | set | dict):
        return incorrect(
            f"Expected {what}, got {describe(answer)}: pick or compute a single number from it.",
            "wrong_type",
        )
    if isinstance(answer, numbers.Complex) and not isinstance(answer, numbers.Real):
        return incorrect(f"Expected {what}, got a complex number.", "wrong_type")
    if not isinstance(answer, numbers.Real):
        return incorrect(f"Expected {what}, got {describe(answer)}.", "wrong_type")
    return float(answer)


def expect_number(
    answer: Any,
    expected: float,
    *,
    tol: float = 1e-9,
    what: str = "a number",
    lo: float | None = None,
    hi: float | None = None,
    integer: bool = False,
    kind: str | None = None,
    near_misses: Iterable[NearMiss] = (),
    close_factor: float = 5.0,
    wrong: str | None = None,
    success: str = "Well done!",
) -> Feedback:
    """Check a numeric answer and diagnose the usual mistakes, never revealing ``expected``.

    Diagnoses, in order: not attempted, wrong type (str, bool, Series, list ...), NaN,
    not a whole number (``integer=True``), the ``near_misses`` given, unit mistakes of
    ``kind`` (``"fraction"``: a percentage; ``"percent"``: a fraction; ``"eur"``: cents;
    ``"cents"``: euros; ``"celsius"``: °F; ``"fahrenheit"``: °C), outside ``[lo, hi]``,
    the answer rounded or cut to fewer decimals (``"close"``, named only then), near the
    answer but not a rounding of it (``"near"``: within ``close_factor`` tolerances), and
    finally a wrong value (message ``wrong`` if given, else what the value looks like: too
    high, too low, far off, the wrong sign - never the answer itself).

    >>> expect_number("banana", 0.42, what="a number between 0 and 1").message
    "Expected a number between 0 and 1, got a str: 'banana'."
    >>> expect_number(0.421, 0.42, tol=0.005).ok
    True
    >>> expect_number(42.0, 0.42, tol=0.005, kind="fraction").mistake
    'percent_not_fraction'
    """
    if (missing := answer_problem(answer, what)) is not None:
        return missing
    value = _as_real(answer, what)
    if isinstance(value, Feedback):
        return value
    if not math.isfinite(value):
        return incorrect(
            f"Your answer is {describe(answer)}. A NaN often comes from dividing by zero or "
            "from the mean of an empty selection: check the filter before it.",
            "nan",
        )
    if integer and not float(value).is_integer():
        return incorrect(
            f"Expected {what}, got {_num(value)}, which is not a whole number.", "not_integer"
        )
    if abs(value - expected) <= tol:
        return correct(success)
    for nm in near_misses:
        t = tol if nm.tol is None else nm.tol
        if abs(value - nm.value) <= t:
            return incorrect(nm.message, nm.mistake)
    if kind is not None:
        if kind not in _KIND_MISSES:
            raise ValueError(f"kind must be one of {sorted(_KIND_MISSES)}, got {kind!r}")
        for transform, factor, mistake, message in _KIND_MISSES[kind]:
            if abs(value - transform(expected)) <= max(tol * abs(factor), 1e-12):
                return incorrect(message, mistake)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        lo_s = "" if lo is None else _num(lo)
        hi_s = "" if hi is None else _num(hi)
        bounds = (
            f"between {lo_s} and {hi_s}"
            if lo is not None and hi is not None
            else (f"at least {lo_s}" if lo is not None else f"at most {hi_s}")
        )
        return incorrect(
            f"Expected {what}, got {_num(value)}: the answer must be {bounds}.", "out_of_range"
        )
    decimals = _rounding_of(value, expected)
    if decimals is not None:
        places = (
            f"{decimals} decimal{'s' if decimals != 1 else ''}" if decimals else "a whole number"
        )
        return incorrect(
            f"Your value looks like the answer rounded to {places}, but the check needs it "
            f"within ± {_num(tol)}. Keep more decimals: don't round before you check.",
            "close",
        )
    looks = _looks_like(value, expected)
    if tol > 0 and abs(value - expected) <= close_factor * tol:
        return incorrect(
            f"Near, but not within the tolerance (± {_num(tol)}): {_num(value)} is a little "
            f"{looks}, and it is not a rounding of the answer. Something small differs in "
            "the computation: recheck the rows, the column and each step.",
            "near",
        )
    return incorrect(
        wrong
        or f"{_num(value)} is not right: it is {looks}. Recheck which rows and which "
        f"column you used, and each step of the computation (tolerance ± {_num(tol)}).",
        "wrong_value",
    )


def _rounding_of(value: float, expected: float, max_decimals: int = 6) -> int | None:
    """The number of decimals ``d`` if ``value`` is ``expected`` rounded (or cut) to ``d``.

    >>> _rounding_of(0.42, 0.4237), _rounding_of(0.43, 0.4237), _rounding_of(0.0, 0.4237)
    (2, None, None)
    """
    if value == 0:  # a 0 is no rounding of a non-zero answer worth naming
        return None
    for d in range(0 if abs(expected) >= 1 else 1, max_decimals + 1):
        scale = 10.0**d
        candidates = (round(expected, d), math.trunc(expected * scale) / scale)
        if any(abs(c - value) <= 1e-9 * max(1.0, abs(value)) for c in candidates):
            if abs(value - expected) > 1e-12:
                return d
            return None
    return None


def _looks_like(value: float, expected: float) -> str:
    """What a wrong ``value`` looks like next to ``expected``, without revealing it.

    >>> _looks_like(0.021, 0.42), _looks_like(0.5, 0.42), _looks_like(-1.0, 0.42)
    ('far too low (less than a tenth of the answer)', 'too high', 'of the wrong sign')
    """
    if value == 0:
        return "zero, and the answer is not (an empty selection, or an integer division?)"
    if expected == 0:
        return "too high" if value > 0 else "too low"
    if (value > 0) != (expected > 0):
        return "of the wrong sign"
    ratio = value / expected
    direction = "high" if ratio > 1 else "low"
    if ratio >= 10:
        return "far too high (more than ten times the answer)"
    if ratio <= 0.1:
        return "far too low (less than a tenth of the answer)"
    if ratio >= 2:
        return "much too high (more than twice the answer)"
    if ratio <= 0.5:
        return "much too low (less than half the answer)"
    return f"too {direction}"


def _norm_choice(x: Any) -> Any:
    if isinstance(x, str):
        s = x.strip().casefold()
        s = re.sub(r"^[\(\[]?\s*([a-z0-9])\s*[\)\].:]?$", r"\1", s)  # "(a)", "a)", "A."
        return s
    return x


def expect_choice(
    answer: Any,
    expected: Any,
    choices: Sequence[Any],
    *,
    explanations: Mapping[Any, str | tuple[str, str]] | None = None,
    what: str | None = None,
    success: str = "Well done!",
) -> Feedback:
    """Check a multiple-choice answer (case and surrounding spaces ignored).

    ``expected`` is one choice or a collection of accepted choices (a ``set``/``list``).
    ``explanations`` maps a wrong choice to coaching text, or to ``(mistake, text)``.

    >>> expect_choice("B", "a", ["a", "b", "c"], explanations={"b": "B ignores costs."}).message
    'B ignores costs.'
    >>> expect_choice("d", "a", ["a", "b", "c"]).mistake
    'wrong_type'
    """
    options = ", ".join(repr(c) for c in choices)
    what = what or f"one of {options}"
    if (missing := answer_problem(answer, what)) is not None:
        return missing
    try:
        hash(answer)
    except TypeError:
        return incorrect(f"Expected {what}, got {describe(answer)}.", "wrong_type")
    normalised = {_norm_choice(c): c for c in choices}
    key = _norm_choice(answer)
    if key not in normalised:
        return incorrect(f"Expected {what}, got {describe(answer)}.", "wrong_type")
    chosen = normalised[key]
    accepted = (
        expected
        if isinstance(expected, Collection) and not isinstance(expected, str)
        else [expected]
    )
    if chosen in accepted or key in {_norm_choice(a) for a in accepted}:
        return correct(success)
    explanation = (explanations or {}).get(chosen)
    if isinstance(explanation, tuple):
        return incorrect(explanation[1], explanation[0])
    return incorrect(
        explanation or f"{chosen!r} is not the best choice. Read the options again.",
        "wrong_choice",
    )


def _labels(index: Iterable[Any], limit: int = 6) -> str:
    items = [repr(x) if isinstance(x, str) else str(x) for x in list(index)[: limit + 1]]
    if len(items) > limit:
        items = items[:limit] + ["…"]
    return ", ".join(items)


def _text_value(series: pd.Series) -> str | None:
    """A str value of ``series`` if it holds text (numbers written as text count), else None.

    >>> _text_value(pd.Series(["1.5", "2"])), _text_value(pd.Series([1.5, None], dtype=object))
    ('1.5', None)
    """
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
        return None
    for value in series.dropna():
        if isinstance(value, str):
            return value
    return None


def _numeric(series: pd.Series) -> np.ndarray | None:
    try:
        arr = pd.to_numeric(series, errors="raise").to_numpy(dtype=float)
    except Exception:
        return None
    return arr


def expect_series(
    answer: Any,
    expected: pd.Series,
    *,
    what: str = "a pandas Series",
    tol: float = 1e-9,
    counts: bool = False,
    reveal_index: bool = True,
    check_order: bool = False,
    index_hint: str = "",
    success: str = "Well done!",
) -> Feedback:
    """Check a Series answer: type, index labels, then values (order ignored by default).

    Index labels are compared as strings (so a categorical index matches a plain one).
    With ``counts=True`` it spots proportions (``value_counts(normalize=True)``) or
    percentages instead of counts, and counts that add up to fewer rows than expected
    (a filter or ``dropna`` on the way). Values are never revealed.

    >>> exp = pd.Series({"Central": 5, "Station": 3})
    >>> expect_series(exp / 8, exp, counts=True).mistake
    'proportions_not_counts'
    >>> expect_series(exp.reset_index(drop=True), exp).mistake
    'wrong_index'
    """
    if (missing := answer_problem(answer, what)) is not None:
        return missing
    if isinstance(answer, pd.DataFrame):
        if answer.shape[1] == 1:
            col = answer.columns[0]
            return incorrect(
                f"Expected {what}, got a DataFrame with one column ({col!r}). "
                f"Select the column to get a Series: `df[{col!r}]`.",
                "wrong_type",
            )
        return incorrect(
            f"Expected {what}, got {describe(answer)}. A Series is a single column with an "
            "index; `value_counts()` or `groupby(...).size()` give one directly.",
            "wrong_type",
        )
    if isinstance(answer, dict):
        return incorrect(
            f"Expected {what}, got a dict. Build a Series from it with `pd.Series(your_dict)` "
            "- or let pandas count for you.",
            "wrong_type",
        )
    if isinstance(answer, list | tuple | np.ndarray):
        return incorrect(
            f"Expected {what}, got {describe(answer)}, which has no index labels. "
            "Keep the result as a pandas Series (don't convert it with `.tolist()`/`.values`).",
            "wrong_type",
        )
    if not isinstance(answer, pd.Series):
        return incorrect(f"Expected {what}, got {describe(answer)}.", "wrong_type")

    got = [str(x) for x in answer.index]
    want = [str(x) for x in expected.index]
    if len(set(got)) != len(got):
        return incorrect(
            "Your Series has repeated index labels: each label should appear once.",
            "wrong_index",
        )
    missing = [w for w in want if w not in set(got)]
    extra = [g for g in got if g not in set(want)]
    if missing or extra:
        if not set(got) & set(want):
            msg = f"The index of your Series holds {_labels(answer.index)}"
            if reveal_index:
                msg += f", but it should hold {_labels(expected.index)}"
            msg += "."
            if index_hint:
                msg += " " + index_hint
            return incorrect(msg, "wrong_index")
        parts = []
        if missing and reveal_index:
            parts.append(f"missing label(s): {_labels(missing)}")
        elif missing:
            parts.append(f"{len(missing)} label(s) missing")
        if extra:
            parts.append(f"unexpected label(s): {_labels(extra)}")
        msg = "The index of your Series is not right (" + "; ".join(parts) + ")."
        if index_hint:
            msg += " " + index_hint
        return incorrect(msg, "wrong_index")
    if check_order and got != want:
        return incorrect(
            "The labels are right but not in the expected order. Sort the Series as asked.",
            "wrong_index",
        )

    exp_vals = _numeric(expected)
    ans_aligned = pd.Series(answer.to_numpy(), index=got).reindex(want)
    got_vals = _numeric(ans_aligned)
    if exp_vals is None:  # non-numeric expected values: compare as text
        same = [str(a) == str(b) for a, b in zip(ans_aligned, expected, strict=True)]
        if all(same):
            return correct(success)
        wrong_labels = [w for w, s in zip(want, same, strict=True) if not s]
        return incorrect(f"The value for {_labels(wrong_labels)} is not right.", "wrong_value")
    text = _text_value(answer)
    if text is not None:
        return incorrect(
            f"Your Series holds text (dtype {answer.dtype}), such as {_short(repr(text))}, "
            "not numbers. Keep the numbers as numbers: no `.astype(str)`, no formatting "
            "into strings.",
            "wrong_dtype",
        )
    if got_vals is None:
        return incorrect(
            f"Expected numbers in the Series, got values like {_short(repr(answer.iloc[0]))}.",
            "wrong_type",
        )
    if np.isnan(got_vals).any():
        return incorrect(
            "Your Series contains missing values (NaN); every label should have a value.",
            "missing_values",
        )
    if np.allclose(got_vals, exp_vals, rtol=0, atol=tol):
        return correct(success)
    total = float(exp_vals.sum())
    if counts and total > 0:
        if np.allclose(got_vals, exp_vals / total, atol=1e-6):
            return incorrect(
                "These are proportions (shares that add up to 1), but counts were asked for. "
                "Drop `normalize=True`, or don't divide by the total.",
                "proportions_not_counts",
            )
        if np.allclose(got_vals, 100 * exp_vals / total, atol=1e-4):
            return incorrect(
                "These are percentages, but counts were asked for: count the rows per label.",
                "proportions_not_counts",
            )
        if got_vals.sum() < total - tol and (got_vals <= exp_vals + tol).all():
            return incorrect(
                f"Your counts add up to {_num(got_vals.sum())}, fewer than the "
                f"{_num(total)} rows of the table: some rows were left out. Count all rows "
                "(no filter, no `dropna`).",
                "rows_lost",
            )
        if got_vals.sum() > total + tol and (got_vals >= exp_vals - tol).all():
            return incorrect(
                f"Your counts add up to {_num(got_vals.sum())}, more than the {_num(total)} "
                "rows of the table: some rows were counted twice.",
                "rows_added",
            )
    off = [w for w, a, e in zip(want, got_vals, exp_vals, strict=True) if abs(a - e) > tol]
    return incorrect(
        f"The index is right, but the value for {_labels(off, 3)} is not. "
        "Check which column you used and how you computed it.",
        "wrong_value",
    )


# Unit mix-ups spotted in any numeric column when no unit is declared for it.
_GENERIC_COLUMN_MISSES: list[tuple[Callable[[np.ndarray], np.ndarray], str, str]] = [
    (
        lambda e: e * 100,
        "unit_factor_100",
        "is 100 times too large (cents instead of euros? a percentage instead of a fraction?)",
    ),
    (
        lambda e: e / 100,
        "unit_factor_100",
        "is 100 times too small (euros instead of cents? a fraction instead of a percentage?)",
    ),
    (lambda e: e * 9 / 5 + 32, "unit_fahrenheit", "looks like degrees Fahrenheit, not Celsius"),
]


def expect_frame(
    answer: Any,
    expected: pd.DataFrame | None = None,
    *,
    columns: Sequence[str] | None = None,
    exact_columns: bool = False,
    n_rows: int | None = None,
    reveal_rows: bool = True,
    units: Mapping[str, str] | None = None,
    tol: float = 1e-9,
    what: str = "a pandas DataFrame",
    success: str = "Well done!",
) -> Feedback:
    """Check a DataFrame answer: type, columns, number of rows, then values.

    ``columns`` (default: those of ``expected``) must be present; with
    ``exact_columns=True`` no others are allowed. ``n_rows`` (default: rows of
    ``expected``) spots rows lost (``rows_lost``) or added (``rows_added``); with
    ``reveal_rows=False`` the expected count is not named (when it *is* the answer).
    If ``expected`` is given, values are compared column by column (rows matched by
    position after sorting both by index), spotting missing values left in a column and
    unit mix-ups: ``units`` maps a column to its unit kind (``"eur"``, ``"cents"``,
    ``"celsius"``, ``"fahrenheit"``, ``"fraction"``, ``"percent"``, as in
    :func:`expect_number`); other numeric columns get a generic factor-100 / °F check.

    >>> df = pd.DataFrame({"price": [0.5, 0.6], "store": ["Central", "Station"]})
    >>> expect_frame(df.iloc[:1], df).mistake
    'rows_lost'
    >>> expect_frame(df.assign(price=df.price * 100), df, units={"price": "eur"}).mistake
    'unit_cents'
    """
    if (missing := answer_problem(answer, what)) is not None:
        return missing
    if isinstance(answer, pd.Series):
        return incorrect(
            f"Expected {what}, got {describe(answer)}. A Series is one column; keep a table "
            "with double brackets `df[['a', 'b']]` or `.to_frame()`.",
            "wrong_type",
        )
    if not isinstance(answer, pd.DataFrame):
        return incorrect(f"Expected {what}, got {describe(answer)}.", "wrong_type")
    if columns is not None:
        cols = list(columns)
    else:
        cols = list(expected.columns) if expected is not None else []
    missing = [c for c in cols if c not in answer.columns]
    if missing:
        msg = f"Your table lacks the column(s) {_labels(missing)}."
        if len(answer.columns) <= 20:
            msg += f" It has {_labels(answer.columns, 20)}."
        return incorrect(msg, "missing_columns")
    if exact_columns:
        extra = [c for c in answer.columns if c not in cols]
        if extra:
            return incorrect(
                f"Your table has column(s) that should not be there: {_labels(extra)}.",
                "extra_columns",
            )
    if n_rows is not None:
        want_rows: int | None = n_rows
    else:
        want_rows = len(expected) if expected is not None else None
    if want_rows is not None and len(answer) != want_rows:
        lost = len(answer) < want_rows
        if reveal_rows:
            msg = f"Your table has {len(answer):,} rows, the expected table has {want_rows:,}"
        else:
            msg = f"Your table has {'fewer' if lost else 'more'} rows than expected"
        if lost:
            msg += ": rows were lost on the way (a `dropna`, an inner join or a filter?)."
        else:
            msg += ": rows were added on the way (duplicates from a join, or a concat twice?)."
        return incorrect(msg, "rows_lost" if lost else "rows_added")
    if expected is None:
        return correct(success)
    try:
        a = answer.sort_index()
        e = expected.sort_index()
    except TypeError:
        a, e = answer, expected
    units = dict(units or {})
    for col in cols:
        av, ev = a[col], e[col]
        n_na = int(av.isna().sum()) - int(ev.isna().sum())
        if n_na > 0:
            return incorrect(
                f"Column {col!r} still has {n_na:,} more missing value(s) than expected.",
                "missing_values",
            )
        ea, aa = _numeric(ev), _numeric(av)
        text = _text_value(av) if ea is not None else None
        if text is not None:
            return incorrect(
                f"Column {col!r} holds text (dtype {av.dtype}), such as {_short(repr(text))}, "
                "not numbers. Keep the numbers as numbers (no `.astype(str)`).",
                "wrong_dtype",
            )
        if ea is not None and aa is not None:
            if np.allclose(aa, ea, rtol=0, atol=tol, equal_nan=True):
                continue
            if col in units:
                kind = units[col]
                misses = [(f, m, text) for f, _, m, text in _KIND_MISSES[kind]]
                for transform, mistake, text in misses:
                    if np.allclose(aa, transform(ea), rtol=1e-6, atol=1e-6, equal_nan=True):
                        return incorrect(f"Column {col!r}: {text}", mistake)
            else:
                for transform, mistake, text in _GENERIC_COLUMN_MISSES:
                    if np.allclose(aa, transform(ea), rtol=1e-6, atol=1e-6, equal_nan=True):
                        return incorrect(f"Column {col!r} {text}.", mistake)
            return incorrect(f"The values of column {col!r} are not right.", "wrong_value")
        same = (av.astype(str).to_numpy() == ev.astype(str).to_numpy()) | (
            av.isna().to_numpy() & ev.isna().to_numpy()
        )
        if not same.all():
            return incorrect(
                f"The values of column {col!r} are not right ({int((~same).sum()):,} rows differ).",
                "wrong_value",
            )
    return correct(success)
