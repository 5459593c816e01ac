"""Describing a learner's answer in a few words, for feedback messages.

>>> describe([1, 2, 3])
'a list of 3 items'
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["describe"]


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
        if isinstance(value, type):
            return f"a class ({value.__name__})"
        if callable(value):
            return f"a function ({getattr(value, '__name__', type(value).__name__)})"
        return f"a {type(value).__name__}"
    except Exception:
        return f"a {type(value).__name__}"
