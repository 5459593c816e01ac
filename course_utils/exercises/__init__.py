"""Exercise checks for the notebooks: ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

One line in a notebook makes its exercises available::

    from course_utils.exercises.nb00 import *   # q1, q2, q3

``q1.check(answer)`` shows kind, specific feedback and never raises, whatever the answer;
``q1.check(...)`` (the ``...`` left in place) says "Not attempted yet", so a notebook with
open exercises runs top to bottom. ``q1.evaluate(answer)`` returns the same
:class:`Feedback` without showing it (tests use it). Passing checks are recorded by
:mod:`course_utils.progress`.

Writing an exercise (a module ``nbNN.py`` next to this file, exporting ``q1, q2, ...`` in
``__all__``) takes a checker: a function of the answer (and any keyword inputs) that
returns a :class:`Feedback` or ``None`` ("nothing wrong found" = correct). The building
blocks below do the diagnosing: :func:`expect_number`, :func:`expect_choice`,
:func:`expect_series`, :func:`expect_frame`, :func:`expect_type`, :func:`expect_fitted`,
chained with :func:`first_problem`. Misconception checkers (leakage, score on the training
rows, test set used for tuning, accuracy with skewed costs) live in
:mod:`course_utils.misconceptions` and are re-exported here (``expect_fitted_on_train_only``
...).

>>> fb = expect_number(42.0, 0.42, tol=0.005, lo=0, hi=1, kind="fraction")
>>> fb.status, fb.mistake
('incorrect', 'percent_not_fraction')
"""

from __future__ import annotations

import html
import importlib
import math
import numbers
import pkgutil
import re
import warnings
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "Exercise",
    "Feedback",
    "MISTAKES",
    "NearMiss",
    "all_exercises",
    "catalogue",
    "correct",
    "describe",
    "expect_choice",
    "expect_fitted",
    "expect_frame",
    "expect_number",
    "expect_series",
    "expect_type",
    "first_problem",
    "incorrect",
    "not_attempted",
    "show",
]

STATUSES = ("correct", "incorrect", "not_attempted")

#: The machine tags of :attr:`Feedback.mistake`, with what each one means.
MISTAKES: dict[str, str] = {
    "wrong_type": "the answer has the wrong type (a str instead of a number, ...)",
    "wrong_shape": "the answer has the wrong shape or number of values",
    "nan": "the answer is NaN or infinite",
    "not_integer": "a whole number was expected",
    "out_of_range": "the number lies outside the possible range",
    "close": "close to the answer, but outside the tolerance (rounding?)",
    "wrong_value": "a plausible but wrong value",
    "percent_not_fraction": "a percentage (25) instead of a fraction (0.25)",
    "fraction_not_percent": "a fraction (0.25) instead of a percentage (25)",
    "unit_cents": "cents instead of euros (a factor 100)",
    "unit_euros": "euros instead of cents (a factor 100)",
    "unit_fahrenheit": "degrees Fahrenheit instead of Celsius",
    "unit_celsius": "degrees Celsius instead of Fahrenheit",
    "unit_factor_100": "values 100 times too large or too small (a unit mix-up)",
    "complement": "the other class's share (apple instead of banana)",
    "count_not_share": "a count instead of a share",
    "rows_not_unique": "counted rows instead of distinct values",
    "wrong_choice": "a wrong option of a multiple choice",
    "wrong_index": "the index holds the wrong labels",
    "proportions_not_counts": "proportions instead of counts",
    "missing_columns": "expected columns are missing",
    "extra_columns": "columns that should not be there",
    "wrong_column": "the values come from another column",
    "rows_lost": "rows were lost (dropna, inner join, filter ...)",
    "rows_added": "rows were added (duplicates from a join ...)",
    "missing_values": "missing values remain",
    "not_fitted": "a scikit-learn estimator that is not fitted yet",
    "leakage": "fitted on rows that include the test set",
    "fitted_on_test": "fitted on the test rows instead of the training rows",
    "wrong_rows": "fitted on other rows than the training set",
    "scored_on_train": "the score was measured on the training rows",
    "test_used_for_tuning": "a hyperparameter search that saw the test rows",
    "accuracy_with_skewed_costs": "accuracy chosen although one error costs far more",
    "missing_input": "the check needs another keyword input",
    "unknown_input": "the check got a keyword input it does not know",
    "check_error": "the answer could not be checked",
}


# --------------------------------------------------------------------------- feedback

_STYLE = {
    # Okabe-Ito colours (colour-blind safe); every box also carries a text label.
    "correct": ("✔ Correct", "#009E73"),
    "incorrect": ("✘ Not quite", "#D55E00"),
    "not_attempted": ("○ Not attempted yet", "#6B6B6B"),
    "hint": ("➤ Hint", "#0072B2"),
    "solution": ("✎ Solution", "#CC79A7"),
    "info": ("ℹ Note", "#6B6B6B"),
}


def _inline_html(text: str) -> str:
    """Escape ``text`` for HTML; `backticks` become <code>, newlines <br>."""
    escaped = html.escape(text)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return escaped.replace("\n", "<br>")


def _box_html(kind: str, label: str, body: str, code: str = "") -> str:
    colour = _STYLE[kind][1]
    parts = [
        f'<div style="border-left:5px solid {colour};padding:6px 10px;margin:4px 0;'
        f'background:rgba(127,127,127,0.08)">',
        f'<strong style="color:{colour}">{html.escape(label)}</strong>',
    ]
    if body:
        parts.append(f" <span>{_inline_html(body)}</span>")
    if code:
        parts.append(
            '<pre style="margin:6px 0 0 0;padding:6px;background:rgba(127,127,127,0.12)">'
            f"{html.escape(code)}</pre>"
        )
    parts.append("</div>")
    return "".join(parts)


class _Box:
    """A hint, a solution or a note: shown as HTML in Jupyter, as text elsewhere."""

    def __init__(self, kind: str, label: str, body: str, code: str = "") -> None:
        self.kind, self.label, self.body, self.code = kind, label, body, code

    def __str__(self) -> str:
        text = f"{self.label}: {self.body}" if self.body else self.label
        if self.code:
            text += "\n\n" + "\n".join("    " + line for line in self.code.splitlines())
        return text

    def _repr_html_(self) -> str:
        return _box_html(self.kind, self.label, self.body, self.code)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self))

    __repr__ = __str__


@dataclass(frozen=True)
class Feedback:
    """The result of a check: ``status``, a kind ``message`` and a ``mistake`` tag.

    ``status`` is one of ``"correct"``, ``"incorrect"``, ``"not_attempted"``; ``mistake``
    is a short machine tag from :data:`MISTAKES` (``None`` when correct). Shown as
    coloured HTML with a text label in Jupyter and as plain text elsewhere.

    >>> fb = incorrect("Expected a number, got a str: 'banana'.", "wrong_type")
    >>> print(fb)
    ✘ Not quite: Expected a number, got a str: 'banana'.
    >>> fb.ok
    False
    """

    status: str
    message: str
    mistake: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")

    @property
    def ok(self) -> bool:
        """True when the answer is correct."""
        return self.status == "correct"

    @property
    def label(self) -> str:
        """The text label of the status, e.g. "✔ Correct"."""
        return _STYLE[self.status][0]

    def text(self) -> str:
        """Plain-text rendering: label and message."""
        return f"{self.label}: {self.message}" if self.message else self.label

    def html(self) -> str:
        """HTML rendering: colour *and* the text label."""
        return _box_html(self.status, self.label, self.message)

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(self.text())


def correct(message: str = "Well done!") -> Feedback:
    """A correct :class:`Feedback`. ``correct().ok`` is True.

    >>> correct("Nice.").status
    'correct'
    """
    return Feedback("correct", message)


def incorrect(message: str, mistake: str = "wrong_value") -> Feedback:
    """An incorrect :class:`Feedback` with a ``mistake`` tag (see :data:`MISTAKES`).

    >>> incorrect("Expected a list.", "wrong_type").mistake
    'wrong_type'
    """
    return Feedback("incorrect", message, mistake)


def not_attempted(message: str = "") -> Feedback:
    """A "not attempted yet" :class:`Feedback`.

    >>> not_attempted().status
    'not_attempted'
    """
    return Feedback(
        "not_attempted",
        message or "Replace the `...` with your answer and run the cell again.",
    )


def _in_kernel() -> bool:
    """True inside a Jupyter (or Colab) kernel, where rich HTML output is shown."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def show(obj: Any) -> None:
    """Display ``obj`` as rich output in a Jupyter kernel, print it elsewhere.

    >>> show(correct("Nice."))
    ✔ Correct: Nice.
    """
    if _in_kernel():
        from IPython.display import display

        display(obj)
    else:
        print(str(obj))


# --------------------------------------------------------------------------- describing


def _is_missing(answer: Any) -> bool:
    return answer is None or answer is Ellipsis


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _num(x: float) -> str:
    """A number for a message: integers with thousands separators, floats short."""
    if isinstance(x, numbers.Integral) or (isinstance(x, float) and x.is_integer()):
        return f"{int(x):,}"
    return f"{x:.6g}"


def _is_estimator(obj: Any) -> bool:
    return hasattr(obj, "fit") and hasattr(obj, "get_params") and not isinstance(obj, type)


def _is_fitted(est: Any) -> bool | None:
    try:
        from sklearn.exceptions import NotFittedError
        from sklearn.utils.validation import check_is_fitted
    except ImportError:  # pragma: no cover
        return None
    try:
        check_is_fitted(est)
    except NotFittedError:
        return False
    except Exception:
        return None
    return True


def describe(value: Any) -> str:
    """A short, learner-friendly description of any value, for feedback messages.

    >>> describe("banana")
    "a str: 'banana'"
    >>> describe([1, 2, 3])
    'a list of 3 items'
    """
    try:
        if value is None:
            return "None"
        if value is Ellipsis:
            return "`...` (the placeholder)"
        if isinstance(value, bool | np.bool_):
            return f"a bool: {bool(value)}"
        if isinstance(value, str):
            return f"a str: {_short(repr(value))}"
        if isinstance(value, numbers.Real):
            x = float(value)
            if math.isnan(x):
                return "NaN (not a number)"
            return f"the number {_num(value)}"
        if isinstance(value, pd.DataFrame):
            r, c = value.shape
            return f"a DataFrame with {r:,} rows and {c} column{'s' if c != 1 else ''}"
        if isinstance(value, pd.Series):
            name = f" named {value.name!r}" if value.name is not None else ""
            return f"a Series of {len(value):,} values{name}"
        if isinstance(value, np.ndarray):
            return f"a NumPy array of shape {value.shape}"
        if isinstance(value, list | tuple | set | frozenset | dict):
            n = len(value)
            return f"a {type(value).__name__} of {n} item{'s' if n != 1 else ''}"
        if _is_estimator(value):
            fitted = _is_fitted(value)
            state = {True: " (fitted)", False: " (not fitted yet)", None: ""}[fitted]
            return f"a {type(value).__name__}{state}"
        if callable(value):
            return f"a function ({getattr(value, '__name__', type(value).__name__)})"
        return f"a {type(value).__name__}"
    except Exception:
        return f"a {type(value).__name__}"


# --------------------------------------------------------------------------- building blocks


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
    if _is_missing(answer):
        return not_attempted(f"Replace the `...` with {what}.")
    if isinstance(answer, types):
        return correct()
    return incorrect(f"Expected {what}, got {describe(answer)}.", "wrong_type")


def expect_fitted(estimator: Any, what: str = "the model") -> Feedback:
    """Correct when ``estimator`` is a *fitted* scikit-learn estimator.

    >>> from sklearn.preprocessing import StandardScaler
    >>> expect_fitted(StandardScaler(), "the scaler").mistake
    'not_fitted'
    """
    if _is_missing(estimator):
        return not_attempted(f"Replace the `...` with {what}.")
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
    close but outside the tolerance (rounding), and finally a plain wrong value (message
    ``wrong`` if given).

    >>> expect_number("banana", 0.42, what="a number between 0 and 1").message
    "Expected a number between 0 and 1, got a str: 'banana'."
    >>> expect_number(0.421, 0.42, tol=0.005).ok
    True
    >>> expect_number(42.0, 0.42, tol=0.005, kind="fraction").mistake
    'percent_not_fraction'
    """
    if _is_missing(answer):
        return not_attempted(f"Replace the `...` with {what}, then run the cell again.")
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
    if tol > 0 and abs(value - expected) <= close_factor * tol:
        return incorrect(
            f"Close, but not within the tolerance (± {_num(tol)}). Keep more decimals: "
            "don't round before you check.",
            "close",
        )
    return incorrect(wrong or f"{_num(value)} is not the right value. Try again.", "wrong_value")


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
    if _is_missing(answer):
        return not_attempted(f"Replace the `...` with {what}, then run the cell again.")
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
    if _is_missing(answer):
        return not_attempted(f"Replace the `...` with {what}, then run the cell again.")
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
    if _is_missing(answer):
        return not_attempted(f"Replace the `...` with {what}, then run the cell again.")
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


# --------------------------------------------------------------------------- exercises


class Exercise:
    """One exercise of a notebook: ``check``, ``evaluate``, ``hint``, ``solution``.

    ``checker(answer, **inputs)`` returns a :class:`Feedback` or ``None`` (= correct).
    ``inputs`` names extra keyword inputs and describes them, e.g.
    ``{"X_train": "the training features"}``: the learner then calls
    ``q3.check(scaler, X_train=X_train)``. ``expects`` says in a few words what the answer
    is ("a number between 0 and 1"); it appears in messages.

    >>> q = Exercise("99", "q1", "Two plus two", prompt="What is 2 + 2?", expects="a number",
    ...              checker=lambda a: expect_number(a, 4), hints=["Count."], solution="4")
    >>> q.evaluate(...).status
    'not_attempted'
    >>> q.evaluate("four").mistake
    'wrong_type'
    >>> q.evaluate(4).ok
    True
    """

    def __init__(
        self,
        notebook: str,
        name: str,
        title: str,
        *,
        prompt: str,
        checker: Callable[..., Feedback | None],
        hints: Sequence[str],
        solution: str,
        explanation: str = "",
        expects: str = "your answer",
        inputs: Mapping[str, str] | None = None,
        success: str = "Well done!",
    ) -> None:
        self.notebook = notebook
        self.name = name
        self.title = title
        self.prompt = prompt
        self.expects = expects
        self.inputs = dict(inputs or {})
        self.hints = list(hints)
        self.success = success
        self._checker = checker
        self._solution = solution
        self._explanation = explanation
        self.__doc__ = f"{title}\n\n{prompt}\n\nCall: {self.usage}"

    # -- describing -----------------------------------------------------------------

    @property
    def usage(self) -> str:
        """How to call the check, e.g. ``q3.check(scaler, X_train=X_train)``."""
        extra = "".join(f", {k}={k}" for k in self.inputs)
        return f"{self.name}.check(answer{extra})"

    def __repr__(self) -> str:
        lines = [f"Exercise {self.notebook}.{self.name}: {self.title}", self.prompt]
        for key, text in self.inputs.items():
            lines.append(f"  {key}=  {text}")
        lines.append(f"Check with `{self.usage}`; stuck? `{self.name}.hint()`.")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        inputs = "".join(
            f"<li><code>{html.escape(k)}=</code> {_inline_html(v)}</li>"
            for k, v in self.inputs.items()
        )
        return (
            f'<div style="border-left:5px solid #0072B2;padding:6px 10px">'
            f"<strong>Exercise {html.escape(self.name)}: {html.escape(self.title)}</strong>"
            f"<br>{_inline_html(self.prompt)}"
            + (f"<ul>{inputs}</ul>" if inputs else "<br>")
            + f"Check with <code>{html.escape(self.usage)}</code>; stuck? "
            f"<code>{html.escape(self.name)}.hint()</code></div>"
        )

    # -- checking -------------------------------------------------------------------

    def evaluate(self, answer: Any = ..., /, **inputs: Any) -> Feedback:
        """Check ``answer`` (and keyword ``inputs``) and return the :class:`Feedback`.

        Never raises: odd answers get a message naming what was expected.
        """
        try:
            return self._evaluate(answer, inputs)
        except Exception as exc:  # the safety net: a check never raises
            return incorrect(
                f"Could not check {describe(answer)} ({type(exc).__name__}: "
                f"{_short(str(exc), 120)}). Expected {self.expects}.",
                "check_error",
            )

    def _evaluate(self, answer: Any, inputs: dict[str, Any]) -> Feedback:
        if _is_missing(answer):
            return not_attempted(
                f"Replace the `...` with {self.expects} and run the cell again: "
                f"`{self.usage}`. Stuck? `{self.name}.hint()` gives a hint."
            )
        unknown = [k for k in inputs if k not in self.inputs]
        if unknown:
            accepted = ", ".join(f"{k}=" for k in self.inputs) or "no keyword inputs"
            return incorrect(
                f"`{self.name}.check()` does not know {', '.join(f'{k}=' for k in unknown)}; "
                f"it takes {accepted}. Call it as `{self.usage}`.",
                "unknown_input",
            )
        missing = [k for k in self.inputs if _is_missing(inputs.get(k))]
        if missing:
            return incorrect(
                f"This check also needs {', '.join(f'{k}=' for k in missing)} "
                f"({self.inputs[missing[0]]}). Call it as `{self.usage}`.",
                "missing_input",
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = self._checker(answer, **inputs)
        if result is None:
            return correct(self.success)
        if not isinstance(result, Feedback):
            raise TypeError(f"the checker returned {describe(result)}, not a Feedback")
        if result.ok and result.message == "Well done!":
            return correct(self.success)
        return result

    def check(self, answer: Any = ..., /, **inputs: Any) -> None:
        """Check your answer and show the feedback. The attempt is saved in your progress
        (outcome and mistake tag, never the answer; see :mod:`course_utils.progress`)."""
        feedback = self.evaluate(answer, **inputs)
        try:
            from course_utils import progress

            progress.record_attempt(self.notebook, self.name, feedback.status, feedback.mistake)
        except Exception:  # progress is a bonus; never break a check for it
            pass
        show(feedback)

    # -- helping --------------------------------------------------------------------

    def hint_text(self, n: Any = 1) -> str:
        """The text of hint ``n`` (1 = the first), or a polite note if there is none."""
        total = len(self.hints)
        if not total:
            return f"There are no hints for {self.name}; `{self.name}.solution()` shows one."
        try:
            k = int(n)
        except (TypeError, ValueError):
            return f"Hints are numbered 1 to {total}: try `{self.name}.hint(1)`."
        if k < 1:
            return f"Hints are numbered 1 to {total}: try `{self.name}.hint(1)`."
        if k > total:
            return (
                f"There {'is' if total == 1 else 'are'} only {total} hint"
                f"{'s' if total != 1 else ''} for {self.name}; you have seen them all. "
                f"`{self.name}.solution()` shows a full solution - no shame in looking."
            )
        return self.hints[k - 1]

    def hint(self, n: Any = 1) -> None:
        """Show hint ``n`` (start with 1; later hints say more)."""
        total = len(self.hints)
        try:
            k = int(n)
        except (TypeError, ValueError):
            k = 0
        if 1 <= k <= total:
            more = f" More: `{self.name}.hint({k + 1})`." if k < total else ""
            label = f"{_STYLE['hint'][0]} {k} of {total}"
            show(_Box("hint", label, self.hints[k - 1] + more))
        else:
            show(_Box("info", _STYLE["info"][0], self.hint_text(n)))

    def solution_text(self) -> str:
        """The solution as plain text: explanation and code."""
        return (self._explanation + "\n\n" + self._solution).strip()

    def solution(self) -> None:
        """Show a solution (try the hints first!)."""
        label = f"{_STYLE['solution'][0]} to {self.name}"
        show(_Box("solution", label, self._explanation, self._solution))


# --------------------------------------------------------------------------- catalogue

_NB_MODULE = re.compile(r"^nb(\d\d)$")


def _notebook_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if _NB_MODULE.match(m.name))


def all_exercises() -> list[Exercise]:
    """Every exercise of every notebook module ``nbNN`` in this package, in order.

    A module that fails to import is skipped with a warning (the progress map still works).

    >>> [e.name for e in all_exercises() if e.notebook == "00"]
    ['q1', 'q2', 'q3']
    """
    found: list[Exercise] = []
    for mod_name in _notebook_modules():
        try:
            module = importlib.import_module(f"{__name__}.{mod_name}")
        except Exception as exc:
            warnings.warn(
                f"Could not load the exercises of {mod_name}: {exc}", RuntimeWarning, stacklevel=2
            )
            continue
        names = getattr(module, "__all__", None) or sorted(vars(module))
        for attr in names:
            obj = getattr(module, attr, None)
            if isinstance(obj, Exercise):
                found.append(obj)
    return found


def catalogue() -> list[tuple[str, str, str]]:
    """``(notebook, name, title)`` of every exercise, e.g. ``("00", "q1", "...")``.

    >>> ("00", "q1") in [(nb, name) for nb, name, _ in catalogue()]
    True
    """
    return [(e.notebook, e.name, e.title) for e in all_exercises()]


# Misconception checkers, re-exported lazily (importing them pulls in scikit-learn).
_MISCONCEPTION_CHECKERS = {
    "expect_fitted_on_train_only",
    "expect_score_on_test",
    "expect_tuned_on_train_only",
    "expect_cost_aware_metric",
}


def __getattr__(name: str) -> Any:
    if name in _MISCONCEPTION_CHECKERS:
        from course_utils import misconceptions

        return getattr(misconceptions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
