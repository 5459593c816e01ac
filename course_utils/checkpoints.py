"""Checkpoints: the state earlier notebooks would have produced, so you can start anywhere.

Each function rebuilds, deterministically, what the lessons before a notebook create. A
learner who starts at notebook 04 calls ``checkpoints.split()`` in the first cells and gets
the same cleaned training and test tables that notebook 03 ends with.

>>> from course_utils import checkpoints
>>> train, test = checkpoints.split()
>>> len(train) > len(test)
True
"""

from __future__ import annotations

import functools
import sqlite3
from io import StringIO

import numpy as np
import pandas as pd

from . import sources, world

#: The columns of the cleaned history (notebook 03's result), in order.
CLEAN_COLUMNS = ["visit_id", "timestamp", "customer_id", *world.FEATURES, world.TARGET]


#: How old the last sensor reading before a visit may be: older readings describe another
#: moment (a sensor that was down), so the visit's temperature is left missing instead.
READING_TOLERANCE = pd.Timedelta("2h")


def last_reading(
    scans: pd.DataFrame,
    readings: pd.DataFrame,
    *,
    tolerance: pd.Timedelta = READING_TOLERANCE,
) -> pd.Series:
    """The temperature of the last sensor reading of the scan's store at or before its time.

    A **point-in-time** join (``pd.merge_asof``, backward, by store): each scan gets only
    what was known at its moment - never the day's mean, which includes later readings.
    ``scans`` needs ``timestamp`` and ``store``; ``readings`` needs ``reading_at``,
    ``store`` and ``temp``. A scan with no reading within ``tolerance`` gets ``NaN``.
    Returns one value per scan, aligned with ``scans``' index.

    >>> scans = pd.DataFrame({"timestamp": pd.to_datetime(["2025-01-01 07:22"]),
    ...                       "store": ["Central"]})
    >>> readings = pd.DataFrame({
    ...     "reading_at": pd.to_datetime(["2025-01-01 06:00", "2025-01-01 07:05",
    ...                                   "2025-01-01 08:40"]),
    ...     "store": ["Central"] * 3, "temp": [4.0, 5.5, 9.0]})
    >>> float(last_reading(scans, readings).iloc[0])
    5.5
    """
    left = pd.DataFrame(
        {
            "timestamp": pd.to_datetime(scans["timestamp"]).astype("datetime64[ns]"),
            "store": scans["store"].astype(str).to_numpy(),
            "_row": np.arange(len(scans)),
        }
    ).sort_values("timestamp", kind="stable")
    right = pd.DataFrame(
        {
            "reading_at": pd.to_datetime(readings["reading_at"]).astype("datetime64[ns]"),
            "store": readings["store"].astype(str).to_numpy(),
            "temp": readings["temp"].to_numpy(dtype=float),
        }
    ).sort_values("reading_at", kind="stable")
    joined = pd.merge_asof(
        left,
        right,
        left_on="timestamp",
        right_on="reading_at",
        by="store",
        direction="backward",
        tolerance=tolerance,
    )
    temp = joined.sort_values("_row")["temp"].to_numpy()
    return pd.Series(temp, index=scans.index, name="temp")


@functools.lru_cache(maxsize=2)
def _sensor_readings(seed: int | None = None) -> pd.DataFrame:
    """The sensor log with parsed times and store names, as notebook 02 reads it."""
    path = sources.data_dir(seed) / "sensors.jsonl"
    log = pd.read_json(StringIO(path.read_text(encoding="utf-8")), lines=True)
    names = {v: k for k, v in sources.STORE_IDS.items()}
    log["reading_at"] = pd.to_datetime(log["time"])
    log["store"] = log["store_id"].map(names)
    return log


def read_sources() -> dict[str, pd.DataFrame]:
    """The four sources read as they are (notebook 02's first step), one table each.

    Keys: ``sales``, ``customers`` (joined in SQL with the store names), ``prices`` (the
    HTML table, numbers as published), ``sensors`` (the readings, one row per line).
    """
    from bs4 import BeautifulSoup

    folder = sources.data_dir()
    sales = pd.read_csv(
        folder / "sales.csv",
        dtype={
            "visit_id": "int64",
            "scanned_at": object,
            "store": object,
            "customer_id": "int64",
            "fruit": object,
            "amount_paid": "float64",
        },
    )
    con = sqlite3.connect(folder / "customers.sqlite")
    try:
        customers = pd.read_sql_query(
            """
            SELECT c.customer_id, c.age, c.household_kids, c.loyalty_member,
                   s.name AS home_store
            FROM customers AS c JOIN stores AS s ON s.store_id = c.home_store_id
            """,
            con,
        )
    finally:
        con.close()
    soup = BeautifulSoup((folder / "prices.html").read_text(encoding="utf-8"), "html.parser")
    rows = [
        [td.get_text() for td in tr.find_all("td")]
        for tr in soup.find("table", id="daily-prices").find("tbody").find_all("tr")
    ]
    prices = pd.DataFrame(rows, columns=["date", "store", "apple", "banana", "offer"])
    prices["date"] = pd.to_datetime(prices["date"], format="%Y-%m-%d")
    prices[["apple", "banana"]] = prices[["apple", "banana"]].astype(float)
    sensors = pd.read_json(
        StringIO((folder / "sensors.jsonl").read_text(encoding="utf-8")), lines=True
    )
    return {"sales": sales, "customers": customers, "prices": prices, "sensors": sensors}


def raw_joined() -> pd.DataFrame:
    """One row per till scan with every source joined on - nothing cleaned yet.

    What notebook 02 ends with: the scan time parsed from its two formats (``timestamp``,
    ``date``), the customer's record, the day's published prices (``apple``, ``banana``,
    as published: cents at one store, a few negative), the temperature of the last sensor
    reading of the store before the scan (``temp``, as reported - Fahrenheit at one store;
    see :func:`last_reading`) and the day's ``footfall`` (an audit column, known only
    after the day: never a model input).
    Duplicate scans, odd spellings and impossible values are all still there.
    """
    src = read_sources()
    sales = src["sales"].copy()
    iso = pd.to_datetime(sales["scanned_at"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    dayfirst = pd.to_datetime(sales["scanned_at"], format="%d/%m/%Y %H:%M", errors="coerce")
    sales["timestamp"] = iso.fillna(dayfirst)
    sales["date"] = sales["timestamp"].dt.normalize()

    names = {v: k for k, v in sources.STORE_IDS.items()}
    sensors = src["sensors"].copy()
    sensors["reading_at"] = pd.to_datetime(sensors["time"])
    sensors["date"] = sensors["reading_at"].dt.normalize()
    sensors["store"] = sensors["store_id"].map(names)
    daily = sensors.groupby(["date", "store"], as_index=False).agg(footfall=("footfall", "sum"))
    joined = sales.merge(
        src["customers"], on="customer_id", how="left", validate="many_to_one"
    ).merge(src["prices"], on=["date", "store"], how="left", validate="many_to_one")
    joined["temp"] = last_reading(joined, sensors).to_numpy()
    joined = joined.merge(daily, on=["date", "store"], how="left", validate="many_to_one")
    if len(joined) != len(sales):  # pragma: no cover - the validate= arguments prevent it
        raise RuntimeError("the join changed the number of rows")
    return joined


def clean_history(seed: int | None = None) -> pd.DataFrame:
    """The history after notebook 03's cleaning, before any imputation.

    Spellings unified, units converted (prices in euros, temperature in °C: the last
    sensor reading before the visit, point in time), duplicate scans dropped, impossible
    ages set to missing.
    Missing values stay missing (``age``, ``has_kids``, ``temperature_c``): they are
    imputed inside the model's pipeline, after the split. Scan times are what the tills
    wrote (the Station till records minutes only). A test proves notebook 03's cleaned
    table equals this one. ``seed`` picks another world (default: the course's, 42); its
    sources are built once into a cache folder (:func:`course_utils.sources.data_dir`).
    """
    manifest = sources.read_manifest(sources.data_dir(seed))
    w = world.generate(manifest["seed"])
    v = w.visits.copy()

    def rows(kind: str, source: str) -> list:
        return [
            r
            for d in manifest["defects"]
            if d["kind"] == kind and d["source"] == source
            for r in d["rows"]
        ]

    no_age = set(rows("missing_not_at_random", "customers.sqlite")) | set(
        rows("impossible_value", "customers.sqlite")
    )
    no_kids = set(rows("missing_random", "customers.sqlite"))
    v["age"] = v["age"].astype(float).where(~v["customer_id"].isin(no_age))
    v["has_kids"] = v["has_kids"].astype(float).where(~v["customer_id"].isin(no_kids))
    v["loyalty_member"] = v["loyalty_member"].astype(int)
    # The day-first till records scan times to the minute only.
    dayfirst = (v["store"] == sources.DAYFIRST_STORE).to_numpy()
    v.loc[dayfirst, "timestamp"] = v.loc[dayfirst, "timestamp"].dt.floor("min")

    readings = _sensor_readings(None if seed is None else int(seed))
    temp = last_reading(v, readings)
    # As notebook 03 does it: the reading as reported, then Fahrenheit converted.
    fahrenheit = (v["store"].astype(str) == sources.FAHRENHEIT_STORE).to_numpy()
    temp = temp.where(~fahrenheit, (temp - 32) * 5 / 9)
    v["temperature_c"] = temp.round(1).to_numpy()
    return v[CLEAN_COLUMNS].reset_index(drop=True)


def split(seed: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cleaned history split into training and test rows (the standard split).

    ``seed`` picks another world (default: the course's); see :func:`clean_history`.
    """
    return world.standard_split(clean_history(seed))


def preprocessor():
    """Notebook 03's preparation pipeline, unfitted: derive features, impute, encode, scale.

    Built on :func:`course_utils.features.add_features` (importable, so a fitted pipeline
    can be saved and reloaded by the service). Put a model at its end with
    ``make_pipeline(preprocessor(), model)``.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    from .features import add_features

    columns_step = ColumnTransformer(
        [
            ("age", SimpleImputer(strategy="median", add_indicator=True), ["age"]),
            (
                "numbers",
                SimpleImputer(strategy="median"),
                ["age_sq", "has_kids", "temperature_c"],
            ),
            ("as_is", "passthrough", ["rel_price", "loyalty_member", "station_rush", "weekend"]),
            (
                "categories",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                ["store", "promo"],
            ),
        ]
    )
    return make_pipeline(FunctionTransformer(add_features), columns_step, StandardScaler())


def xy(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Split a cleaned table into the model's inputs (``world.FEATURES``) and the label."""
    return table[world.FEATURES], table[world.TARGET]


#: The settings of the deployed model: notebook 05 compares logistic regression with
#: gradient-boosted trees, picks the logistic regression (as good in cross-validation, better
#: calibrated, simpler, and it extrapolates along the world's log-price effect), and its
#: log-loss search over ``C`` settles here (a test re-runs that search).
TUNED_PARAMS = {"C": 1.0}

#: The compared alternative of notebook 05: the gradient-boosted trees its randomized search
#: tunes (by log-loss). Not deployed; notebooks 05, 06 and 09 use it as the challenger that
#: scores as well in cross-validation but answers flat beyond the prices it saw.
BOOSTING_PARAMS = {
    "learning_rate": 0.1,
    "max_iter": 300,
    "max_leaf_nodes": 7,
    "min_samples_leaf": 80,
}


def tuned_pipeline(**params):
    """Notebook 05's chosen pipeline, unfitted: the preparation, then logistic regression.

    ``params`` override :data:`TUNED_PARAMS` (for example ``max_iter=200``).

    >>> tuned_pipeline()[-1]
    LogisticRegression(max_iter=1000)
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    settings = {"max_iter": 1000, **TUNED_PARAMS, **params}
    return make_pipeline(preprocessor(), LogisticRegression(**settings))


def boosting_pipeline(**params):
    """Notebook 05's alternative, unfitted: the preparation, then the tuned boosted trees.

    ``params`` override :data:`BOOSTING_PARAMS`; the trees are seeded (``random_state=0``).
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import make_pipeline

    settings = {"random_state": 0, **BOOSTING_PARAMS, **params}
    return make_pipeline(preprocessor(), HistGradientBoostingClassifier(**settings))


def tuned_model():
    """Notebook 05's result: the preparation pipeline and the tuned logistic regression,
    fitted on the training rows of the standard split (the test rows are never seen)."""
    train, _ = split()
    X_train, y_train = xy(train)
    return tuned_pipeline().fit(X_train, y_train)


#: The one function of ours the tuned pipeline calls, trusted by name (notebook 07a).
OUR_FUNCTIONS = ("course_utils.features.add_features",)


def production_registry(alias: str = "production"):
    """Notebook 07a's result: the model registry of your work folder, with a model behind
    ``alias``.

    If notebook 07a was run, its registry already has the alias and is returned as it is.
    Otherwise the tuned model (:func:`tuned_model`) is registered with its metrics on the
    test rows, at the contract's threshold, and promoted - as notebook 07a does.

    >>> registry = production_registry()  # doctest: +SKIP
    >>> registry.aliases()  # doctest: +SKIP
    {'production': 'v1'}
    """
    from . import contract, monitoring
    from .registry import Registry

    registry = Registry(extra_trusted=list(OUR_FUNCTIONS))
    if alias in registry.aliases():
        return registry
    signed = contract.load()
    train, test = split()
    X_train, y_train = xy(train)
    X_test, y_test = xy(test)
    model = tuned_model()
    banana = list(model.classes_).index("banana")
    scores = monitoring.live_metrics(y_test, model.predict_proba(X_test)[:, banana], signed)
    card = registry.register(
        model,
        X_train=X_train,
        y_train=y_train,
        metrics={
            "expected_cost": round(scores["expected_cost"], 6),
            "accuracy_at_threshold": round(scores["accuracy"], 6),
        },
        contract=signed,
        notes="Notebook 05's tuned pipeline, registered by checkpoints.production_registry().",
    )
    registry.promote(card.version, alias=alias)
    return registry


def cost_per_visit(y_true, y_pred, cost_false_banana: float, cost_false_apple: float) -> float:
    """Notebook 01's business metric: the average euros lost per visit, from decisions.

    A false banana (``"banana"`` predicted, ``"apple"`` bought) costs ``cost_false_banana``,
    a false apple (the other way round) ``cost_false_apple``; right answers cost nothing.

    >>> cost_per_visit(["apple", "banana"], ["banana", "banana"], 0.30, 0.10)
    0.15
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    false_banana = ((y_pred == "banana") & (y_true == "apple")).sum()
    false_apple = ((y_pred == "apple") & (y_true == "banana")).sum()
    return float((cost_false_banana * false_banana + cost_false_apple * false_apple) / len(y_true))


def join_sources(scans: pd.DataFrame, prices: pd.DataFrame, readings: pd.DataFrame) -> pd.DataFrame:
    """Notebook 02a's join chain: each scan with its day's prices and its point-in-time temp.

    The course's answer to notebook 02a's build task. ``prices`` is joined on ``date`` and
    ``store`` with ``validate="many_to_one"`` (a day and store twice in ``prices`` raises
    ``pandas.errors.MergeError`` instead of copying scans); ``temp`` is the last reading of
    the scan's store at or before the scan, within :data:`READING_TOLERANCE`, else NaN.
    The result has the scans' rows in the scans' order (index renumbered from 0) and no
    ``reading_at`` column.

    >>> scans = pd.DataFrame({"timestamp": pd.to_datetime(["2025-01-01 09:00",
    ...                                                    "2025-01-01 07:22"]),
    ...                       "date": pd.to_datetime(["2025-01-01"] * 2),
    ...                       "store": ["Central"] * 2})
    >>> prices = pd.DataFrame({"date": pd.to_datetime(["2025-01-01"]), "store": ["Central"],
    ...                        "apple": [0.5]})
    >>> readings = pd.DataFrame({"reading_at": pd.to_datetime(["2025-01-01 07:05",
    ...                                                        "2025-01-01 08:40"]),
    ...                          "store": ["Central"] * 2, "temp": [5.5, 9.0]})
    >>> join_sources(scans, prices, readings)["temp"].tolist()
    [9.0, 5.5]
    """
    table = scans.merge(prices, on=["date", "store"], how="left", validate="many_to_one")
    table = table.reset_index(drop=True)
    table["temp"] = last_reading(table, readings).to_numpy()
    return table


def collected() -> dict[str, pd.DataFrame]:
    """The tables notebook 02a ends with, so that notebook 02b can start on its own.

    Keys: ``sales`` (scan times parsed: ``timestamp``, ``date``), ``customers``,
    ``prices``, ``sensors`` (``reading_at``, ``date`` and the store's name ``store``
    added), ``daily`` (one row per store and day: ``temp_mean``, ``footfall``) and
    ``joined`` (:func:`raw_joined`). Fresh copies on each call.
    """
    src = read_sources()
    sales = src["sales"]
    iso = pd.to_datetime(sales["scanned_at"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    dayfirst = pd.to_datetime(sales["scanned_at"], format="%d/%m/%Y %H:%M", errors="coerce")
    sales["timestamp"] = iso.fillna(dayfirst)
    sales["date"] = sales["timestamp"].dt.normalize()
    sensors = src["sensors"]
    sensors["reading_at"] = pd.to_datetime(sensors["time"], format="%Y-%m-%dT%H:%M:%S")
    sensors["date"] = sensors["reading_at"].dt.normalize()
    sensors["store"] = sensors["store_id"].map({v: k for k, v in sources.STORE_IDS.items()})
    daily = sensors.groupby(["date", "store"], as_index=False).agg(
        temp_mean=("temp", "mean"), footfall=("footfall", "sum")
    )
    return {
        "sales": sales,
        "customers": src["customers"],
        "prices": src["prices"],
        "sensors": sensors,
        "daily": daily,
        "joined": raw_joined(),
    }


def store_shares(sales: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """Each store's share of the recorded visits, of the footfall, and their ratio.

    Notebook 02b's sampling-bias table: ``sales`` has one row per scan (duplicates are
    dropped on ``visit_id``), ``daily`` one row per store and day with its ``footfall``.
    A ratio below 1 means the store appears less often among the recorded visits than
    among the passers-by.
    """
    visits = sales.drop_duplicates("visit_id")
    footfall = daily.groupby("store")["footfall"].sum()
    table = pd.DataFrame(
        {
            "share of recorded visits": visits["store"].value_counts(normalize=True),
            "share of footfall": footfall / footfall.sum(),
        }
    )
    table["recorded / footfall"] = table["share of recorded visits"] / table["share of footfall"]
    return table


def temperature_celsius(table: pd.DataFrame) -> pd.Series:
    """The ``temp`` column of the joined history in °C: the Fahrenheit store converted.

    Notebook 03a's exercise 1 asks the learner for this; the cells after it use this
    function, so the notebook runs on whatever the learner answered.

    >>> t = temperature_celsius(pd.DataFrame({"store": ["Riverside", "Central"],
    ...                                       "temp": [50.0, 10.0]}))
    >>> t.tolist()
    [10.0, 10.0]
    """
    fahrenheit = table["store"].astype(str) == sources.FAHRENHEIT_STORE
    return table["temp"].where(~fahrenheit, (table["temp"] - 32) * 5 / 9)


def drop_duplicate_scans(table: pd.DataFrame) -> pd.DataFrame:
    """The table with one row per visit: the first scan of each ``visit_id`` kept.

    Notebook 03a's exercise 2 asks the learner for this; the cells after it use this
    function, so the notebook runs on whatever the learner answered.

    >>> drop_duplicate_scans(pd.DataFrame({"visit_id": [1, 1, 2], "at": [1, 2, 3]}))["at"].tolist()
    [1, 3]
    """
    return table.drop_duplicates(subset="visit_id", keep="first")


def compare_models(models: dict, X, y, cv, scoring: str = "accuracy") -> pd.DataFrame:
    """Notebook 04a's build task, the course's version: cross-validate several models alike.

    Each model of ``models`` (a dict name -> unfitted estimator or pipeline) is scored by
    cross-validation on ``X, y`` with the folds ``cv`` and the scorer ``scoring`` (a
    scikit-learn scoring name). Returns one row per model, in the dict's order, with the
    ``mean`` and the ``std`` of its validation scores over the folds. A scorer whose name
    starts with ``neg_`` (a loss that scikit-learn negates so that higher is better) is
    reported as the loss itself: positive, lower is better.

    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn.model_selection import StratifiedKFold
    >>> X, y = pd.DataFrame({"x": range(10)}), pd.Series(["apple"] * 4 + ["banana"] * 6)
    >>> folds = StratifiedKFold(n_splits=2, shuffle=True, random_state=0)
    >>> compare_models({"majority": DummyClassifier()}, X, y, folds).round(2)
              mean  std
    majority   0.6  0.0
    """
    from sklearn.model_selection import cross_val_score

    rows = {}
    for name, model in models.items():
        scores = cross_val_score(model, X, y, cv=cv, scoring=scoring)
        if isinstance(scoring, str) and scoring.startswith("neg_"):
            scores = -scores
        rows[name] = {"mean": scores.mean(), "std": scores.std()}
    return pd.DataFrame.from_dict(rows, orient="index")


def raw_preprocessor():
    """Notebook 03's "before", unfitted: gaps filled, categories one-hot, then scaled -
    nothing derived. Notebook 04b's learning curves compare it with :func:`preprocessor`.

    >>> [name for name, _ in raw_preprocessor().steps]
    ['columntransformer', 'standardscaler']
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numbers = ["hour", "weekday", "age", "has_kids", "loyalty_member", "price_apple"]
    numbers += ["price_banana", "temperature_c"]
    columns = ColumnTransformer(
        [
            ("numbers", SimpleImputer(strategy="median"), numbers),
            (
                "categories",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                ["store", "promo"],
            ),
        ]
    )
    return make_pipeline(columns, StandardScaler())


def expected_cost(y_true, p_banana, signed=None) -> float:
    """Euros lost per visit when deciding banana for P(banana) >= the contract's threshold.

    Notebook 05a's cost, for the notebooks after it. ``signed`` is a
    :class:`~course_utils.contract.Contract`; by default the saved one (or the course's).

    >>> expected_cost(["banana", "apple"], [0.9, 0.8])  # one false banana in two visits
    0.15
    """
    from . import contract

    signed = contract.load(quiet=True) if signed is None else signed
    if not isinstance(signed, contract.Contract):
        raise TypeError(f"signed must be a Contract (contract.load()), got {signed!r}.")
    took_banana = np.asarray(y_true) == "banana"
    if len(took_banana) == 0:
        raise ValueError("expected_cost needs at least one visit.")
    says_banana = np.asarray(p_banana, dtype=float) >= signed.best_threshold()
    false_bananas = int((says_banana & ~took_banana).sum())
    false_apples = int((~says_banana & took_banana).sum())
    euros = signed.cost_false_banana * false_bananas + signed.cost_false_apple * false_apples
    return euros / len(took_banana)


def cost_scorer(signed=None):
    """Notebook 05a's scorer: minus :func:`expected_cost`, fed P(banana) by the search.

    >>> from sklearn.model_selection import GridSearchCV
    >>> scorer = cost_scorer()  # GridSearchCV(model, grid, scoring=scorer)
    """
    from sklearn.metrics import make_scorer

    from . import contract

    signed = contract.load(quiet=True) if signed is None else signed

    def contract_cost(y_true, p_banana) -> float:  # a named function: scikit-learn 1.6
        return expected_cost(y_true, p_banana, signed)  # prints its name in the scorer's repr

    return make_scorer(
        contract_cost,
        greater_is_better=False,
        response_method="predict_proba",
    )


def findings_on_test(n_resamples: int = 1000, seed: int = 0) -> dict:
    """What notebooks 06a and 06b measured on the test rows, for notebook 06c's verdict.

    The tuned model (:func:`tuned_model`) decides every test visit once, at the success
    contract's threshold (``contract.load()``: a learner's own contract counts). Returned,
    by name: ``threshold``, ``proba`` (P(banana) of each test visit), ``decided``,
    ``model_cost`` (expected cost per visit), the confusion counts ``true_apples``,
    ``false_bananas``, ``false_apples``, ``true_bananas``; the 95 % bootstrap intervals
    ``cost_interval``, ``accuracy_interval`` and ``saving_interval`` (rule of thumb minus
    model, paired), all from ``n_resamples`` resamples drawn with ``seed`` as notebook 06b
    does; the slices ``by_store`` and ``by_age`` (visits, accuracy, cost per visit and
    perfect knowledge's cost); ``station_share`` (the Station's share of the passers-by);
    ``estimates`` (the final test, out of time and new customers); ``calibration_gap``
    (mean distance, in probability, between the calibration curve and the diagonal).

    >>> found = findings_on_test(n_resamples=10)
    >>> found["model_cost"] <= found["cost_interval"][1] + 0.01
    True
    """
    from sklearn.calibration import calibration_curve

    from . import contract
    from .exercises.nb06 import bootstrap_means
    from .widgets.costs import rule_of_thumb

    signed = contract.load(quiet=True)
    c_fb, c_fa = signed.cost_false_banana, signed.cost_false_apple
    threshold = signed.best_threshold()
    train, test = split()
    X_test, y_test = xy(test)
    model = tuned_model()
    proba = model.predict_proba(X_test)[:, list(model.classes_).index("banana")]
    y = y_test.astype(object).to_numpy()

    def costs_of(decided: np.ndarray) -> np.ndarray:
        return np.where((decided == "banana") & (y == "apple"), c_fb, 0.0) + np.where(
            (decided == "apple") & (y == "banana"), c_fa, 0.0
        )

    decided = np.where(proba >= threshold, "banana", "apple")
    visit_cost = costs_of(decided)
    right = (decided == y).astype(float)
    thumb = np.where(rule_of_thumb(test), "banana", "apple")

    def interval(values: np.ndarray) -> list[float]:
        draws = bootstrap_means(values, seed=seed, n_resamples=n_resamples)
        return [float(v) for v in np.percentile(draws, [2.5, 97.5])]

    truth = world.generate().visits.set_index("visit_id").loc[test["visit_id"]]
    p_true = world.true_proba(truth)
    true_cost = costs_of(np.where(p_true >= threshold, "banana", "apple"))

    def slice_table(groups: pd.Series) -> pd.DataFrame:
        frame = pd.DataFrame(
            {"right": right, "cost": visit_cost, "truth": true_cost}, index=test.index
        )
        grouped = frame.groupby(groups, observed=True)
        table = pd.DataFrame(
            {
                "visits": grouped.size(),
                "accuracy at 0.75": grouped["right"].mean(),
                "cost per visit (€)": grouped["cost"].mean(),
                "perfect knowledge (€)": grouped["truth"].mean(),
            }
        )
        table["gap (€)"] = table["cost per visit (€)"] - table["perfect knowledge (€)"]
        return table.round(4)

    bands = ["age <30", "age 30-60", "age 60+"]
    age_band = pd.cut(test["age"], [0, 30, 60, np.inf], right=False, labels=bands)
    age_band = age_band.cat.add_categories("age unknown").fillna("age unknown")

    sensors = pd.read_json(sources.data_dir() / "sensors.jsonl", lines=True)
    store_names = {store_id: name for name, store_id in sources.STORE_IDS.items()}
    footfall = sensors.groupby(sensors["store_id"].map(store_names))["footfall"].sum()

    def estimate(fit_rows: pd.DataFrame, test_rows: pd.DataFrame) -> dict:
        fitted = tuned_pipeline().fit(*xy(fit_rows))
        X, y_rows = xy(test_rows)
        p = fitted.predict_proba(X)[:, 1]
        says = np.where(p >= threshold, "banana", "apple")
        costs = np.where((says == "banana") & (y_rows == "apple"), c_fb, 0.0) + np.where(
            (says == "apple") & (y_rows == "banana"), c_fa, 0.0
        )
        low, high = np.percentile(
            bootstrap_means(costs, seed=seed, n_resamples=n_resamples), [2.5, 97.5]
        )
        return {
            "visits": len(y_rows),
            "cost per visit (€)": costs.mean(),
            "95 % interval (€)": f"{low:.4f} to {high:.4f}",
            "accuracy at 0.75": (says == y_rows).mean(),
        }

    autumn = pd.Timestamp("2025-10-01")
    customers = np.sort(train["customer_id"].unique())
    set_aside = np.random.default_rng(0).choice(customers, size=len(customers) // 5, replace=False)
    estimates = pd.DataFrame.from_dict(
        {
            "final test (known customers, same year)": estimate(train, test),
            "out of time (Oct-Dec, unseen months)": estimate(
                train[train["timestamp"] < autumn], test[test["timestamp"] >= autumn]
            ),
            "new customers (unseen people)": estimate(
                train[~train["customer_id"].isin(set_aside)],
                test[test["customer_id"].isin(set_aside)],
            ),
        },
        orient="index",
    )
    observed, predicted = calibration_curve(y == "banana", proba, n_bins=10)
    bins = pd.cut(proba, np.linspace(0, 1, 11), include_lowest=True)
    visits_in_bin = pd.Series(proba).groupby(bins, observed=True).size().to_numpy()
    counts = {
        "true_apples": int(((decided == "apple") & (y == "apple")).sum()),
        "false_bananas": int(((decided == "banana") & (y == "apple")).sum()),
        "false_apples": int(((decided == "apple") & (y == "banana")).sum()),
        "true_bananas": int(((decided == "banana") & (y == "banana")).sum()),
    }
    return {
        "threshold": threshold,
        "proba": proba,
        "decided": decided,
        "model_cost": float(visit_cost.mean()),
        **counts,
        "cost_interval": interval(visit_cost),
        "accuracy_interval": interval(right),
        "saving_interval": interval(costs_of(thumb) - visit_cost),
        "by_store": slice_table(test["store"]),
        "by_age": slice_table(age_band.rename("age band")),
        "station_share": float(footfall["Station"] / footfall.sum()),
        "estimates": estimates,
        "calibration_gap": float(np.average(np.abs(observed - predicted), weights=visits_in_bin)),
    }


def monitored_year(model=None, *, folder=None, label_delay: int = 1) -> dict:
    """Notebook 08a's result: the production year served, logged, and its labels recorded.

    Registers ``model`` (default: :func:`tuned_model`) in a registry of its own, with its
    test-set scores in the model card, serves the twelve months of
    ``drift.DEFAULT_SCHEDULE`` through the service's batch path
    (:func:`course_utils.replay.replay_month` - the same probabilities as the HTTP service)
    into a fresh prediction log, and records each month's labels ``label_delay`` months
    later, as notebook 08a does. ``folder`` (default ``work_dir()/"monitor_08b"``) is
    emptied first.

    Returns a dict: ``months`` (the :class:`course_utils.drift.Month` s), ``registry``,
    ``card`` (the model card), ``log_path``, ``requests`` (each visit's answer and its
    ``period``), ``log`` (the log read back, with ``period``), ``labels_known_at`` (month of
    the visits -> month at whose end their labels arrived) and ``inputs`` (each month's
    logged inputs, as the monitor reads them).
    """
    import shutil
    from pathlib import Path

    from . import contract, drift, monitoring, paths, predlog, replay
    from .registry import Registry

    signed = contract.load(quiet=True)
    if model is None:
        model = tuned_model()
    train, test = split()
    X_train, y_train = xy(train)
    X_test, y_test = xy(test)
    folder = Path(folder) if folder is not None else paths.work_dir() / "monitor_08b"
    shutil.rmtree(folder, ignore_errors=True)
    banana = list(model.classes_).index("banana")
    scores = monitoring.live_metrics(y_test, model.predict_proba(X_test)[:, banana], signed)
    registry = Registry(folder / "registry", extra_trusted=["course_utils.features.add_features"])
    card = registry.register(
        model,
        X_train=X_train,
        y_train=y_train,
        metrics={k: round(scores[k], 6) for k in ("expected_cost", "accuracy")},
        contract=signed,
        notes="Notebook 05's tuned pipeline, deployed in notebook 08.",
    )
    registry.promote(card.version, alias="production")
    log_path = folder / "predictions.sqlite"
    months = list(drift.production_schedule(drift.DEFAULT_SCHEDULE))
    sent: dict[str, pd.DataFrame] = {}
    labels_known_at: dict[str, str] = {}
    for k, month in enumerate(months):
        sent[month.period] = replay.replay_month(month.visits, registry, log_path=log_path)
        if k >= label_delay:
            due = months[k - label_delay]
            answered = sent[due.period].dropna(subset=["request_id"])
            bought = answered.merge(due.visits[["visit_id", "fruit"]], on="visit_id")
            predlog.record_labels(log_path, zip(bought["request_id"], bought["fruit"], strict=True))
            labels_known_at[due.period] = month.period
    requests = pd.concat([a.assign(period=p) for p, a in sent.items()], ignore_index=True)
    log = predlog.read_log(log_path).merge(requests[["request_id", "visit_id", "period"]])
    yes_no = {"has_kids": "boolean", "loyalty_member": "boolean"}
    inputs = {p: rows[world.FEATURES].astype(yes_no) for p, rows in log.groupby("period")}
    return {
        "months": months,
        "registry": registry,
        "card": card,
        "log_path": log_path,
        "requests": requests,
        "log": log,
        "labels_known_at": labels_known_at,
        "inputs": inputs,
    }
