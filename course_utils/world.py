"""The simulated fruit-stand world, with known ground truth.

A small grocery chain has a fruit stand in each of three stores. Every visit to a stand
ends with the customer buying **an apple or a banana**. The world generates customers,
stores, daily prices and promotions, store sensors and visits, and - unlike any real
data set - it knows the *true* probability of "banana" for every visit. That gives the
course a line no model can beat: the Bayes-optimal score.

The true model (``true_logit``) is documented term by term below; it has real structure
that a straight line on the raw columns cannot capture:

* households with children prefer bananas, more so at the weekend;
* age has a U-shaped effect (young and old buyers prefer bananas, middle-aged apples);
* commuters at the station kiosk grab a banana in the rush hours, an apple otherwise;
* the *relative* price matters (log of banana price over apple price), not each price;
* promotions move choices, and loyalty members (who get app offers) react more strongly;
* hot days push towards bananas, cold days towards apples (a hinge, not a line).

Example
-------
>>> from course_utils import world
>>> w = world.generate(seed=42)
>>> round(float(w.visits["p_banana"].mean()), 2) > 0.5
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

DEFAULT_SEED = 42
HISTORY_START = "2025-01-01"
HISTORY_DAYS = 365

STORES = pd.DataFrame(
    {
        "store_id": ["S1", "S2", "S3"],
        "store": ["Central", "Riverside", "Station"],
        "kind": ["city-centre supermarket", "suburban family store", "commuter kiosk"],
        "city": ["Lindenfeld", "Lindenfeld", "Lindenfeld"],
    }
)
STORE_NAMES = tuple(STORES["store"])

# Passers-by per day near each stand (the sensors count them), before weekday effects.
FOOTFALL_PER_DAY = {"Central": 2600.0, "Riverside": 1500.0, "Station": 4200.0}
# Share of passers-by who buy a fruit at the stand (the same everywhere).
CONVERSION = 0.01
# Clienteles: share with children, share in the loyalty programme, age distribution.
CLIENTELE = {
    "Central": {"kids": 0.30, "loyalty": 0.55, "age_mean": 48.0, "age_sd": 16.0},
    "Riverside": {"kids": 0.60, "loyalty": 0.70, "age_mean": 42.0, "age_sd": 12.0},
    "Station": {"kids": 0.20, "loyalty": 0.12, "age_mean": 36.0, "age_sd": 11.0},
}
# Opening hours and hour-of-day weights of visits at each stand.
_HOURS = np.arange(6, 22)
_HOUR_WEIGHTS = {
    "Central": np.array([0, 1, 2, 3, 4, 5, 8, 8, 5, 4, 5, 7, 7, 5, 3, 1], dtype=float),
    "Riverside": np.array([0, 0, 1, 3, 5, 5, 5, 5, 5, 6, 7, 7, 5, 3, 1, 0], dtype=float),
    "Station": np.array([6, 14, 14, 7, 2, 2, 2, 2, 2, 4, 12, 14, 11, 4, 2, 1], dtype=float),
}
RUSH_HOURS = (7, 8, 9, 16, 17, 18)
# Day-to-day noise: weather (degrees C) and prices (log scale), around the seasonal curves.
DAILY_NOISE = {"temp": 1.0, "temp_station": 1.5, "apple": 0.04, "banana": 0.05, "walk": 0.002}
# A store sensor's reading: the day's temperature plus measurement noise (degrees C, sd).
SENSOR_NOISE_C = 0.8

#: The columns a model may use: all known at the moment the customer reaches the stand.
FEATURES = [
    "store",
    "hour",
    "weekday",
    "age",
    "has_kids",
    "loyalty_member",
    "price_apple",
    "price_banana",
    "promo",
    "temperature_c",
]
TARGET = "fruit"
PROMOS = ("none", "apple", "banana")
POSITIVE = "banana"

# Coefficients of the true model (see ``true_logit``).
COEF = {
    "intercept": 0.6,
    "kids": 1.875,
    "kids_weekend": 0.875,
    "age_u": 2.25,
    "station_rush": 3.0,
    "station_offpeak": -2.0,
    "rel_price": -5.0,
    "promo": 1.625,
    "promo_loyalty_boost": 1.25,
    "heat": 0.2,
    "cold": -0.15,
}


@dataclass
class World:
    """Everything the simulation knows. ``visits`` is the clean truth, with ``p_banana``."""

    seed: int
    customers: pd.DataFrame
    daily: pd.DataFrame
    visits: pd.DataFrame
    population_visits: int = 0
    notes: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- the truth


def true_logit(visits: pd.DataFrame, taste: dict | None = None) -> np.ndarray:
    """Log-odds of "banana" for each visit, from the world's documented model.

    ``taste`` optionally changes tastes for one segment (used by the drift scenarios):
    ``{"segment": "kids" | "station_commuters" | "seniors", "shift": float}`` adds
    ``shift`` to the log-odds of that segment only.
    """
    _require(visits, FEATURES, "true_logit")
    c = COEF
    kids = visits["has_kids"].to_numpy(dtype=float)
    weekend = (visits["weekday"].to_numpy() >= 5).astype(float)
    age = visits["age"].to_numpy(dtype=float)
    hour = visits["hour"].to_numpy()
    station = _equals(visits["store"], "Station").astype(float)
    rush = np.isin(hour, RUSH_HOURS).astype(float)
    rel = np.log(visits["price_banana"].to_numpy(dtype=float)) - np.log(
        visits["price_apple"].to_numpy(dtype=float)
    )
    promo_sign = _equals(visits["promo"], "banana").astype(float) - _equals(
        visits["promo"], "apple"
    ).astype(float)
    loyal = visits["loyalty_member"].to_numpy(dtype=float)
    temp = visits["temperature_c"].to_numpy(dtype=float)

    z = (
        c["intercept"]
        + c["kids"] * kids
        + c["kids_weekend"] * kids * weekend
        + c["age_u"] * (((age - 46.0) / 16.0) ** 2 - 1.0)
        + station * (c["station_rush"] * rush + c["station_offpeak"] * (1.0 - rush))
        + c["rel_price"] * (rel - np.log(0.65))
        + promo_sign * (c["promo"] + c["promo_loyalty_boost"] * loyal)
        + c["heat"] * np.maximum(temp - 20.0, 0.0)
        + c["cold"] * np.maximum(8.0 - temp, 0.0)
    )
    if taste:
        z = z + taste["shift"] * segment_mask(visits, taste["segment"])
    return z


SEGMENTS = ("kids", "station_commuters", "seniors")


def _equals(column: pd.Series, value: str) -> np.ndarray:
    """Fast ``column == value`` as a boolean array, for categorical or text columns."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        cats = list(column.cat.categories)
        if value not in cats:
            return np.zeros(len(column), dtype=bool)
        return column.cat.codes.to_numpy() == cats.index(value)
    return (column.astype(object).to_numpy() == value).astype(bool)


def segment_mask(visits: pd.DataFrame, segment: str) -> np.ndarray:
    """Boolean mask of the visits that belong to a named customer segment."""
    if segment == "kids":
        return visits["has_kids"].to_numpy(dtype=bool)
    if segment == "station_commuters":
        return _equals(visits["store"], "Station") & np.isin(visits["hour"].to_numpy(), RUSH_HOURS)
    if segment == "seniors":
        return visits["age"].to_numpy(dtype=float) >= 65
    raise ValueError(f"Unknown segment {segment!r}; expected one of {', '.join(SEGMENTS)}.")


def true_proba(visits: pd.DataFrame, taste: dict | None = None) -> np.ndarray:
    """True probability that each visit ends with a banana (the world's ground truth).

    ``visits`` needs the clean columns in ``FEATURES`` (temperature in degrees Celsius,
    prices in euros).

    >>> w = generate(seed=1, n_visits=500)
    >>> p = true_proba(w.visits)
    >>> bool(((p > 0) & (p < 1)).all())
    True
    """
    return 1.0 / (1.0 + np.exp(-true_logit(visits, taste)))


def bayes_optimal(visits: pd.DataFrame, y: pd.Series | np.ndarray | None = None) -> dict:
    """Best scores any model could reach on these visits: accuracy and log-loss.

    Without ``y``, the *expected* scores (averaged over the label noise). With ``y`` (the
    labels that actually happened, "banana"/"apple" or 1/0) the scores the true
    probabilities get on those labels - the line no model can beat on this data.

    >>> w = generate(seed=1, n_visits=2000)
    >>> s = bayes_optimal(w.visits)
    >>> 0.5 < s["accuracy"] < 1.0
    True
    """
    p = np.clip(true_proba(visits), 1e-12, 1 - 1e-12)
    if y is None:
        acc = float(np.mean(np.maximum(p, 1 - p)))
        ll = float(np.mean(-(p * np.log(p) + (1 - p) * np.log(1 - p))))
    else:
        yb = _as_binary(y)
        acc = float(np.mean((p >= 0.5) == yb))
        ll = float(np.mean(-(yb * np.log(p) + (1 - yb) * np.log(1 - p))))
    return {"accuracy": acc, "log_loss": ll}


def _as_binary(y) -> np.ndarray:
    arr = np.asarray(y)
    if arr.dtype.kind in "OUS" or isinstance(getattr(y, "dtype", None), pd.StringDtype):
        return (pd.Series(arr).astype(str).str.strip().str.lower() == POSITIVE).to_numpy()
    return arr.astype(bool)


# --------------------------------------------------------------------------- generation


def make_customers(rng: np.random.Generator, n: int, *, start_id: int = 1) -> pd.DataFrame:
    """Customers with a home store, age, children in the household and loyalty membership."""
    stores = rng.choice(len(STORE_NAMES), size=n, p=[0.40, 0.25, 0.35])
    names = np.array(STORE_NAMES)[stores]
    kids_p = np.array([CLIENTELE[s]["kids"] for s in STORE_NAMES])[stores]
    loy_p = np.array([CLIENTELE[s]["loyalty"] for s in STORE_NAMES])[stores]
    mean = np.array([CLIENTELE[s]["age_mean"] for s in STORE_NAMES])[stores]
    sd = np.array([CLIENTELE[s]["age_sd"] for s in STORE_NAMES])[stores]
    age = np.clip(np.round(rng.normal(mean, sd)), 18, 90).astype(int)
    has_kids = (rng.random(n) < kids_p) & (age < 70)
    loyalty = rng.random(n) < loy_p
    return pd.DataFrame(
        {
            "customer_id": np.arange(start_id, start_id + n),
            "home_store": pd.Categorical(names, categories=STORE_NAMES),
            "age": age,
            "has_kids": has_kids,
            "loyalty_member": loyalty,
        }
    )


def make_daily(
    rng: np.random.Generator,
    *,
    start: str = HISTORY_START,
    n_days: int = HISTORY_DAYS,
    banana_price_factor: float = 1.0,
    season_scale: float = 1.0,
) -> pd.DataFrame:
    """One row per store and day: prices, promotion, mean temperature and footfall.

    ``season_scale`` scales the seasonal swings (temperature, apple prices); 1 is a normal
    year. ``banana_price_factor`` multiplies banana prices (a price shock).
    """
    dates = pd.date_range(start, periods=n_days, freq="D")
    doy = dates.day_of_year.to_numpy()
    rows = []
    for s in STORE_NAMES:
        markup = 1.15 if s == "Station" else (0.95 if s == "Riverside" else 1.0)
        # Apples are cheapest after the autumn harvest; bananas are steady.
        season = season_scale * 0.08 * np.cos(2 * np.pi * (doy - 300) / 365.25)
        walk = np.cumsum(rng.normal(0, DAILY_NOISE["walk"], n_days))
        walk -= walk.mean()
        apple = 0.50 * markup * np.exp(season + walk + rng.normal(0, DAILY_NOISE["apple"], n_days))
        banana = (
            0.34
            * markup
            * banana_price_factor
            * np.exp(rng.normal(0, DAILY_NOISE["banana"], n_days))
        )
        u = rng.random(n_days)
        promo = np.where(u < 0.12, "apple", np.where(u < 0.24, "banana", "none"))
        apple = np.where(promo == "apple", apple * 0.75, apple)
        banana = np.where(promo == "banana", banana * 0.75, banana)
        # Station kiosk stands outside, so its temperature swings more.
        amp = 10.0 if s == "Station" else 6.0
        base = 13.0 if s == "Station" else 17.0
        temp = (
            base
            - season_scale * amp * np.cos(2 * np.pi * (doy - 15) / 365.25)
            + rng.normal(0, DAILY_NOISE["temp_station" if s == "Station" else "temp"], n_days)
        )
        weekday = dates.day_of_week.to_numpy()
        wk = (
            np.where(weekday >= 5, 0.6, 1.0) if s == "Station" else np.where(weekday >= 5, 1.3, 1.0)
        )
        footfall = rng.poisson(FOOTFALL_PER_DAY[s] * wk)
        rows.append(
            pd.DataFrame(
                {
                    "date": dates,
                    "store": s,
                    "price_apple": np.round(apple, 2),
                    "price_banana": np.round(banana, 2),
                    "promo": promo,
                    "temperature_c": np.round(temp, 1),
                    "footfall": footfall,
                }
            )
        )
    daily = pd.concat(rows, ignore_index=True)
    daily["store"] = pd.Categorical(daily["store"], categories=STORE_NAMES)
    return daily


def sample_visits(
    rng: np.random.Generator,
    customers: pd.DataFrame,
    daily: pd.DataFrame,
    n: int | None = None,
) -> pd.DataFrame:
    """Visits at the stands: store and day in proportion to footfall, then hour and customer.

    With ``n=None`` the number of visits is drawn from the footfall (``CONVERSION`` of
    passers-by buy); otherwise exactly ``n`` visits are drawn with the same proportions.
    """
    weights = daily["footfall"].to_numpy(dtype=float)
    if n is None:
        n = int(rng.poisson(weights.sum() * CONVERSION))
    row = rng.choice(len(daily), size=n, p=weights / weights.sum())
    row.sort()
    d = daily.iloc[row].reset_index(drop=True)
    store = pd.Categorical(d["store"], categories=STORE_NAMES).codes

    hour = np.empty(n, dtype=np.int64)
    cust_idx = np.empty(n, dtype=np.int64)
    home = pd.Categorical(customers["home_store"], categories=STORE_NAMES).codes
    for code, s in enumerate(STORE_NAMES):
        m = store == code
        k = int(m.sum())
        w = _HOUR_WEIGHTS[s] / _HOUR_WEIGHTS[s].sum()
        hour[m] = rng.choice(_HOURS, size=k, p=w)
        # 85% of a stand's visits are from its own clientele, the rest from anywhere.
        own = np.flatnonzero(home == code)
        pick_own = rng.integers(0, len(own), size=k)
        pick_any = rng.integers(0, len(customers), size=k)
        cust_idx[m] = np.where(rng.random(k) < 0.85, own[pick_own], pick_any)
    minute = rng.integers(0, 60, size=n)
    second = rng.integers(0, 60, size=n)
    ts = (
        d["date"].to_numpy()
        + hour.astype("timedelta64[h]")
        + minute.astype("timedelta64[m]")
        + second.astype("timedelta64[s]")
    )
    c = customers.iloc[cust_idx].reset_index(drop=True)
    visits = pd.DataFrame(
        {
            "timestamp": ts,
            "store": pd.Categorical.from_codes(store, categories=STORE_NAMES),
            "customer_id": c["customer_id"].to_numpy(),
            "hour": hour,
            "weekday": d["date"].dt.day_of_week.to_numpy(),
            "age": c["age"].to_numpy(),
            "has_kids": c["has_kids"].to_numpy(),
            "loyalty_member": c["loyalty_member"].to_numpy(),
            "price_apple": d["price_apple"].to_numpy(),
            "price_banana": d["price_banana"].to_numpy(),
            "promo": pd.Categorical(d["promo"], categories=PROMOS),
            "temperature_c": d["temperature_c"].to_numpy(),
        }
    )
    order = np.argsort(visits["timestamp"].to_numpy(), kind="stable")
    return visits.iloc[order].reset_index(drop=True)


def sensor_readings(rng: np.random.Generator, temperature_c: np.ndarray) -> np.ndarray:
    """What a store sensor reports for a true temperature: plus noise, to 0.1 degree.

    The label depends on the day's true temperature; a model only ever sees a reading -
    in the history the last reading before the visit, in production the live one.

    >>> r = sensor_readings(np.random.default_rng(0), np.array([20.0, 20.0]))
    >>> bool(np.all(np.abs(r - 20.0) < 5))
    True
    """
    temperature_c = np.asarray(temperature_c, dtype=float)
    return np.round(temperature_c + rng.normal(0, SENSOR_NOISE_C, temperature_c.shape), 1)


def draw_labels(
    rng: np.random.Generator, visits: pd.DataFrame, taste: dict | None = None
) -> pd.DataFrame:
    """Add ``p_banana`` (the truth) and the ``fruit`` actually bought."""
    p = true_proba(visits, taste)
    u = rng.random(len(visits))
    out = visits.copy()
    out["p_banana"] = p
    out["fruit"] = np.where(u < p, "banana", "apple")
    return out


def generate(
    seed: int = DEFAULT_SEED,
    *,
    n_visits: int | None = None,
    n_customers: int = 3000,
    start: str = HISTORY_START,
    n_days: int = HISTORY_DAYS,
    loyalty_bias: bool = True,
) -> World:
    """Generate the world's history: customers, daily store data and recorded visits.

    By default the history is the recorded one, with its **sampling bias**: visits by
    loyalty-app users were always recorded, other visits only 40% of the time, so the
    station kiosk (few loyalty members) is under-represented compared with its footfall.
    ``n_visits`` draws that many visits without the footfall link or the bias (fast, for
    benchmarks and tests).

    >>> w = generate(seed=3, n_visits=1000)
    >>> len(w.visits)
    1000
    """
    if n_visits is not None and n_visits < 0:
        raise ValueError(f"n_visits must be zero or positive, got {n_visits}.")
    rng = np.random.default_rng(seed)
    customers = make_customers(rng, n_customers)
    daily = make_daily(rng, start=start, n_days=n_days)
    if n_visits is not None:
        visits = sample_visits(rng, customers, daily, n=n_visits)
        population = n_visits
    else:
        visits = sample_visits(rng, customers, daily)
        population = len(visits)
        if loyalty_bias:
            keep = visits["loyalty_member"].to_numpy() | (rng.random(len(visits)) < 0.40)
            visits = visits[keep].reset_index(drop=True)
    visits = draw_labels(rng, visits)
    visits.insert(0, "visit_id", np.arange(100001, 100001 + len(visits)))
    return World(
        seed=seed,
        customers=customers,
        daily=daily,
        visits=visits,
        population_visits=population,
    )


# --------------------------------------------------------------------------- the split


def standard_split(
    visits: pd.DataFrame, *, test_size: float = 0.2, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The course's standard train/test split: stratified on the label, 20% test, seeded.

    >>> w = generate(seed=1, n_visits=1000)
    >>> train, test = standard_split(w.visits)
    >>> len(train), len(test)
    (800, 200)
    """
    from sklearn.model_selection import train_test_split

    _require(visits, [TARGET], "standard_split")
    train, test = train_test_split(
        visits, test_size=test_size, random_state=seed, stratify=visits[TARGET]
    )
    return train.sort_index(), test.sort_index()


def _require(df: pd.DataFrame, columns: list[str], where: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{where} expects a pandas DataFrame of visits, got {type(df).__name__}.")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(
            f"{where} needs the column(s) {missing}; the table has {list(df.columns)}. "
            "Use the clean visit table (see course_utils.world.FEATURES)."
        )
