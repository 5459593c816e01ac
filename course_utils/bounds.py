"""The plausible range of each numeric input: one set of bounds for the whole course.

A value outside its range cannot be true (an age of 230, a temperature of 72 °C at a fruit
stand): it is a typing error, a unit mix-up or a broken sensor. The same bounds are used
everywhere the course asks "can this value be true?":

* notebook 02's audit and notebook 03's cleaning (an impossible age is set to missing);
* the service's input schema (:mod:`course_utils.schema`), which refuses such a request;
* the monitor's data validation (:mod:`course_utils.monitoring`), which counts them;
* the data-audit widget.

Where the bounds lie is a decision, not a calculation; what matters is that it is made
once. Change a range here and every one of those places follows.

Example
-------
>>> from course_utils import bounds
>>> bounds.PLAUSIBLE["age"]
(16, 110)
>>> bounds.is_plausible("temperature_c", 72.0)
False
"""

from __future__ import annotations

#: The plausible range (inclusive) of each numeric input, in the units the model uses:
#: years, degrees Celsius, euros per piece, hours of the day, days from Monday = 0.
PLAUSIBLE: dict[str, tuple[float, float]] = {
    "age": (16, 110),
    "temperature_c": (-30, 50),
    "price_apple": (0.01, 20),
    "price_banana": (0.01, 20),
    "hour": (0, 23),
    "weekday": (0, 6),
}

#: Units of the ranges, for messages and tables.
UNITS: dict[str, str] = {
    "age": "years",
    "temperature_c": "°C",
    "price_apple": "euros",
    "price_banana": "euros",
    "hour": "hour of the day",
    "weekday": "days from Monday = 0",
}


def is_plausible(column: str, value: float) -> bool:
    """Whether ``value`` lies in the plausible range of ``column`` (bounds included).

    >>> is_plausible("age", 16), is_plausible("age", 14)
    (True, False)
    """
    if column not in PLAUSIBLE:
        raise KeyError(
            f"No plausible range for {column!r}; the course defines ranges for "
            f"{', '.join(PLAUSIBLE)}."
        )
    lo, hi = PLAUSIBLE[column]
    return lo <= value <= hi
