"""Production months after deployment, with named drift scenarios and a strength knob.

Each scenario changes exactly one thing about the world, so the course can show what each
kind of change looks like to a monitor. In the usual taxonomy (x the inputs, y the fruit):
**covariate shift** moves P(x) and keeps P(y | x); **label (prior) shift** moves P(y) and
keeps P(x | y) - the same kind of banana buyer, only more or fewer of them; **concept
drift** moves P(y | x). A data-quality break is none of these: the world is unchanged, only
what a column *means* changed.

==================  =====================================================================
``seasonality``     an ordinary month: weather and apple prices follow the calendar.
                    Nothing a monitor should page anyone about. ``strength`` scales the
                    seasonal swing (1 = a normal year).
``covariate_shift`` a new student clientele (young, no children, few loyalty members) makes
                    up ``40% x strength`` of visits. Inputs move, within the range the
                    model was trained on (the history has young customers); P(banana | x)
                    does not move. Covariate shift.
``price_shock``     banana prices rise by ``60% x strength`` (a supply problem). P(x) moves
                    and P(banana | x) does not: **covariate shift**, here *beyond the
                    training range* - the relative price leaves every value of the history,
                    so the model must extrapolate. The share of bananas falls because the
                    inputs moved; it is not label shift (P(x | banana) changes too: the
                    banana buyers now face dear bananas).
``taste_change``    one segment (default: households with children) goes off bananas:
                    their log-odds fall by ``2 x strength``. Inputs are unchanged;
                    P(banana | x) changes for that segment only (concept drift).
``unit_switch``     a sensor firmware update silently reports temperature in degrees
                    Fahrenheit from a day of the month on (``strength`` = share of the month
                    after the update). Only the reported temperature changes: a data
                    quality break that retraining cannot fix.
==================  =====================================================================

For a given ``seed`` and month, every scenario starts from the same draw of visits (and the
same label noise), so comparing a scenario with ``seasonality`` isolates its effect.

Example
-------
>>> from course_utils import drift
>>> m = drift.month("2026-03", "taste_change", strength=1.0)
>>> len(m.visits), m.scenario
(2000, 'taste_change')
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import world

SCENARIOS = ("seasonality", "covariate_shift", "price_shock", "taste_change", "unit_switch")
PRODUCTION_START = "2026-01"
VISITS_PER_MONTH = 2000
STUDENT_SHARE = 0.40
PRICE_SHOCK = 0.60
TASTE_SHIFT = -2.0

#: The year after deployment that notebooks 08-10 replay: one change at a time.
DEFAULT_SCHEDULE = (
    [("seasonality", 1.0)] * 3  # Jan-Mar: an ordinary winter and spring
    + [("covariate_shift", 1.0)] * 2  # Apr-May: students discover the stands
    + [("price_shock", 1.0)] * 2  # Jun-Jul: bananas get expensive (beyond the training range)
    + [("taste_change", 1.0)] * 3  # Aug-Oct: families go off bananas
    + [("unit_switch", 1.0)] * 2  # Nov-Dec: a sensor firmware update reports Fahrenheit
)


@dataclass
class Month:
    """One month of production traffic.

    ``visits`` holds what the service sees (the features as reported: the temperature is
    the store sensor's live reading, in whatever unit the sensor reports) plus the
    ``fruit`` actually bought, which in production arrives later. ``p_banana`` is the
    world's true probability for each visit (from the day's true temperature).
    """

    period: str
    scenario: str
    strength: float
    visits: pd.DataFrame
    p_banana: np.ndarray
    details: dict = field(default_factory=dict)
    true_temperature_c: np.ndarray | None = None

    def true_inputs(self) -> pd.DataFrame:
        """The visits with the day's *true* temperature instead of the sensor's reading.

        What the world's model (``world.true_proba``) is a function of - only the world
        knows it; the service sees ``visits``.
        """
        if self.true_temperature_c is None:
            return self.visits.copy()
        return self.visits.assign(temperature_c=self.true_temperature_c)

    @property
    def bayes_accuracy(self) -> float:
        """Accuracy of the true probabilities on this month's labels."""
        y = self.visits["fruit"].to_numpy() == "banana"
        return float(np.mean((self.p_banana >= 0.5) == y))


def _check(scenario: str, strength: float) -> None:
    if scenario not in SCENARIOS:
        raise ValueError(f"Unknown scenario {scenario!r}. Choose one of: {', '.join(SCENARIOS)}.")
    if not isinstance(strength, int | float) or not 0 <= strength <= 3:
        raise ValueError(f"strength must be a number between 0 and 3, got {strength!r}.")


def month(
    period: str,
    scenario: str = "seasonality",
    strength: float = 1.0,
    *,
    seed: int = world.DEFAULT_SEED,
    n_visits: int = VISITS_PER_MONTH,
    segment: str = "kids",
) -> Month:
    """Generate one production month (``period`` like ``"2026-03"``) under a scenario."""
    _check(scenario, strength)
    if n_visits < 1:
        raise ValueError(f"n_visits must be at least 1, got {n_visits}.")
    start = pd.Period(period, freq="M")
    index = (start.year - 2000) * 12 + start.month
    base_rng = np.random.default_rng([seed, 1000 + index])
    scn_rng = np.random.default_rng([seed, 5000 + index])

    customers = world.make_customers(np.random.default_rng(seed), 3000)
    days = start.days_in_month
    season = strength if scenario == "seasonality" else 1.0
    price = 1.0 + PRICE_SHOCK * strength if scenario == "price_shock" else 1.0
    # The same base draws for every scenario: only the knobs below differ.
    daily = world.make_daily(
        base_rng, start=str(start.start_time.date()), n_days=days, season_scale=season
    )
    if price != 1.0:
        daily["price_banana"] = np.round(daily["price_banana"] * price, 2)
    visits = world.sample_visits(base_rng, customers, daily, n=n_visits)
    u = base_rng.random(n_visits)
    details: dict = {}

    if scenario == "covariate_shift":
        students = _students(scn_rng, n_visits)
        take = scn_rng.random(n_visits) < STUDENT_SHARE * strength
        # Students shop at the city-centre store and the station kiosk, never at Riverside.
        take &= visits["store"].astype(str).to_numpy() != "Riverside"
        for col in ("age", "has_kids", "loyalty_member"):
            visits.loc[take, col] = students.loc[take, col].to_numpy()
        visits.loc[take, "customer_id"] = students.loc[take, "customer_id"].to_numpy()
        details["students"] = int(take.sum())

    taste = None
    if scenario == "taste_change":
        taste = {"segment": segment, "shift": TASTE_SHIFT * strength}
        details["segment"] = segment

    p = world.true_proba(visits, taste)
    visits["fruit"] = np.where(u < p, "banana", "apple")
    # The service gets the store sensor's live reading, not the day's true temperature
    # (which only the world knows): the same kind of value as the history's last reading
    # before each visit. Its own generator, so every scenario sees the same readings.
    sensor_rng = np.random.default_rng([seed, 9000 + index])
    true_temperature = visits["temperature_c"].to_numpy(dtype=float)
    visits["temperature_c"] = world.sensor_readings(sensor_rng, true_temperature)

    if scenario == "unit_switch":
        first = int(round((1 - strength) * days)) + 1
        switched = visits["timestamp"].dt.day.to_numpy() >= first
        temp = visits["temperature_c"].to_numpy(dtype=float)
        visits["temperature_c"] = np.where(switched, np.round(temp * 9 / 5 + 32, 1), temp)
        details["switched_rows"] = int(switched.sum())
        details["first_day"] = first

    visits.insert(0, "visit_id", np.arange(n_visits) + 10_000_000 + index * 10_000)
    return Month(
        period=str(start),
        scenario=scenario,
        strength=float(strength),
        visits=visits,
        p_banana=p,
        details=details,
        true_temperature_c=true_temperature,
    )


def _students(rng: np.random.Generator, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": np.arange(900_001, 900_001 + n),
            "age": rng.integers(18, 26, n),
            "has_kids": np.zeros(n, dtype=bool),
            "loyalty_member": rng.random(n) < 0.10,
        }
    )


def production_months(
    scenario: str = "seasonality",
    strength: float = 1.0,
    *,
    n_months: int = 12,
    start: str = PRODUCTION_START,
    seed: int = world.DEFAULT_SEED,
    n_visits: int = VISITS_PER_MONTH,
    segment: str = "kids",
) -> Iterator[Month]:
    """Yield ``n_months`` consecutive production months under one scenario.

    >>> months = list(production_months("price_shock", 0.5, n_months=2))
    >>> [m.period for m in months]
    ['2026-01', '2026-02']
    """
    _check(scenario, strength)
    if n_months < 1:
        raise ValueError(f"n_months must be at least 1, got {n_months}.")
    first = pd.Period(start, freq="M")
    for k in range(n_months):
        yield month(
            str(first + k), scenario, strength, seed=seed, n_visits=n_visits, segment=segment
        )


def production_schedule(
    schedule: Sequence[tuple[str, float]],
    *,
    start: str = PRODUCTION_START,
    seed: int = world.DEFAULT_SEED,
    n_visits: int = VISITS_PER_MONTH,
) -> Iterator[Month]:
    """Yield one month per ``(scenario, strength)`` pair, month after month.

    >>> sched = [("seasonality", 1.0), ("unit_switch", 1.0)]
    >>> [m.scenario for m in production_schedule(sched)]
    ['seasonality', 'unit_switch']
    """
    first = pd.Period(start, freq="M")
    for k, (scenario, strength) in enumerate(schedule):
        yield month(str(first + k), scenario, strength, seed=seed, n_visits=n_visits)
