"""Drift measures and alert rules for a deployed model.

Notebook 08 computes the population stability index (PSI) by hand once; this module is the
helper it uses afterwards, plus the statistical tests (scipy) and the alert rules.

Alert rules (documented thresholds, the usual rules of thumb):

* **PSI** of an input against the training data: below 0.10 stable, 0.10-0.25 worth a
  look, **above 0.25 an alert**.
* **PSI's blind spot**: without any drift, sampling noise alone gives a PSI of about
  ``(bins - 1) * (1/n + 1/m)`` (:func:`psi_no_drift`), and the thresholds ignore sample
  size: on a small window noise alone raises "alerts". :func:`drift_table` reports that
  expectation and calls a PSI that noise reaches "within noise".
* **KS** (continuous numbers) and **chi-square** (categories, and whole numbers with few
  values) tests give p-values. They assume independent rows; prices, promotion and
  temperature are set per store and day, so :func:`drift_table` compares those one value
  per store-day when given the groups. With thousands of rows a tiny, harmless
  difference is "significant", so p-values are reported but never page anyone on their
  own: an alert needs PSI above 0.25 as well.
* **Live metric**: when labels arrive, the contract's metric (the expected cost per visit,
  decided at the contract's threshold) failing the success contract is an alert of its
  own. Before that, a month whose expected cost is more than 10% above the cost measured
  on the test set (the model card's) is a degradation alert: the model is losing its
  margin (:func:`check_live`).

Example
-------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> ref, same, moved = rng.normal(0, 1, 2000), rng.normal(0, 1, 2000), rng.normal(1, 1, 2000)
>>> psi(ref, same) < 0.1 < 0.25 < psi(ref, moved)
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .bounds import PLAUSIBLE

PSI_WATCH = 0.10
PSI_ALERT = 0.25
_EPS = 1e-4


def _is_categorical(values: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)


def psi(
    reference: Sequence | np.ndarray | pd.Series,
    current: Sequence | np.ndarray | pd.Series,
    *,
    bins: int = 10,
    categorical: bool | None = None,
) -> float:
    """Population stability index of ``current`` against ``reference``.

    Numeric values are cut into ``bins`` bins at the reference's quantiles (values outside
    the reference range fall into the outer bins); categorical values use one bin per
    category. Missing values are a bin of their own. Empty bins get a small floor so the
    logarithm stays finite.
    """
    ref = pd.Series(np.asarray(reference, dtype=object) if categorical else reference)
    cur = pd.Series(np.asarray(current, dtype=object) if categorical else current)
    if len(ref) == 0 or len(cur) == 0:
        raise ValueError("psi needs at least one reference and one current value.")
    if categorical is None:
        categorical = _is_categorical(ref)
    if categorical:
        r = ref.astype(object).where(ref.notna(), "<missing>").astype(str)
        c = cur.astype(object).where(cur.notna(), "<missing>").astype(str)
        cats = sorted(set(r) | set(c))
        e = r.value_counts(normalize=True).reindex(cats, fill_value=0).to_numpy()
        a = c.value_counts(normalize=True).reindex(cats, fill_value=0).to_numpy()
    else:
        r = pd.to_numeric(ref, errors="coerce").to_numpy(dtype=float)
        c = pd.to_numeric(cur, errors="coerce").to_numpy(dtype=float)
        r_ok, c_ok = r[~np.isnan(r)], c[~np.isnan(c)]
        inner = np.unique(np.quantile(r_ok, np.linspace(0, 1, bins + 1)[1:-1]))
        edges = np.concatenate([[-np.inf], inner, [np.inf]])
        e = np.append(np.histogram(r_ok, edges)[0], np.isnan(r).sum()) / len(r)
        a = np.append(np.histogram(c_ok, edges)[0], np.isnan(c).sum()) / len(c)
    e, a = np.clip(e, _EPS, None), np.clip(a, _EPS, None)
    return float(np.sum((a - e) * np.log(a / e)))


def psi_level(value: float) -> str:
    """'stable', 'watch' or 'alert' for a PSI value (thresholds 0.10 and 0.25)."""
    if value > PSI_ALERT:
        return "alert"
    return "watch" if value > PSI_WATCH else "stable"


#: Inputs set once per store and day (prices, promotion, weekday) or driven by the day
#: (temperature): their rows are not independent. With ``groups`` (the store-day of each
#: row), :func:`drift_table` compares them one value per store-day.
DAY_LEVEL = ("weekday", "price_apple", "price_banana", "promo", "temperature_c")
#: Numbers with at most this many distinct whole values (hour, weekday) are compared as
#: categories: the KS test assumes a continuous distribution.
MAX_DISCRETE = 31


def psi_no_drift(n_reference: float, n_current: float, *, bins: int = 10) -> float:
    """The PSI expected from sampling noise alone, when nothing drifted.

    PSI is the symmetrised Kullback-Leibler (Jeffreys) divergence; for two samples of one
    distribution, ``PSI / (1/n + 1/m)`` is approximately chi-square with ``bins - 1``
    degrees of freedom, so its mean is about ``(bins - 1) * (1/n + 1/m)``. On a small window
    this alone passes the rule-of-thumb thresholds (0.10, 0.25): they ignore sample size.
    Pass *effective* sample sizes - independent units, not rows that share a value.

    >>> round(psi_no_drift(2000, 2000), 4)
    0.009
    >>> round(psi_no_drift(89, 89), 2)  # two windows of 89 rows: noise near 0.2
    0.2
    """
    if n_reference <= 0 or n_current <= 0:
        raise ValueError("psi_no_drift needs positive sample sizes.")
    return (bins - 1) * (1 / n_reference + 1 / n_current)


def psi_noise_quantile(
    n_reference: float, n_current: float, *, bins: int = 10, q: float = 0.95
) -> float:
    """The PSI that sampling noise alone exceeds with probability ``1 - q`` (no drift).

    From the same chi-square approximation as :func:`psi_no_drift`.

    >>> psi_noise_quantile(89, 89) > 0.25  # an "alert" in more than 5 % of quiet months
    True
    """
    if n_reference <= 0 or n_current <= 0:
        raise ValueError("psi_noise_quantile needs positive sample sizes.")
    return float(stats.chi2.ppf(q, max(bins - 1, 1)) * (1 / n_reference + 1 / n_current))


def _is_discrete(values: pd.Series) -> bool:
    """Whole numbers with few distinct values (an hour, a weekday)."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return False
    known = pd.to_numeric(values, errors="coerce").dropna()
    return (
        bool(len(known))
        and bool((known == np.round(known)).all())
        and (known.nunique() <= MAX_DISCRETE)
    )


def _per_group(values: pd.Series, groups: pd.Series, categorical: bool) -> pd.Series:
    """One value per group: the mean of a number, the most frequent category."""
    frame = pd.DataFrame({"v": values.to_numpy(), "g": np.asarray(groups)})
    if categorical:
        return frame.groupby("g")["v"].agg(lambda v: v.mode().iloc[0] if v.notna().any() else None)
    return frame.groupby("g")["v"].mean()


def _n_bins(ref: pd.Series, cur: pd.Series, categorical: bool, bins: int) -> int:
    """How many bins :func:`psi` uses for these two samples (a missing-value bin counts)."""
    missing = int(ref.isna().any() or cur.isna().any())
    if categorical:
        cats = set(ref.dropna().astype(str)) | set(cur.dropna().astype(str))
        return len(cats) + missing
    r = pd.to_numeric(ref, errors="coerce").dropna().to_numpy(dtype=float)
    if len(r) == 0:
        return 1 + missing
    inner = np.unique(np.quantile(r, np.linspace(0, 1, bins + 1)[1:-1]))
    return len(inner) + 1 + missing


def drift_table(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    groups: tuple[Sequence, Sequence] | None = None,
    day_level: Sequence[str] = DAY_LEVEL,
) -> pd.DataFrame:
    """One row per input column: PSI, its no-drift expectation, a test and its p-value.

    * ``psi``, and ``psi_no_drift``: the PSI sampling noise alone gives for the sample
      sizes compared (:func:`psi_no_drift`). ``level`` is "stable", "watch" or "alert"
      by the rule of thumb - or **"within noise"** when the PSI is one that noise alone
      exceeds more than 5 % of the time: too few rows to judge.
    * ``test``: KS for continuous numbers, chi-square for categories and for whole
      numbers with few values (hour, weekday - the KS test assumes continuous data);
      ``p_value`` is reported, never an alert on its own.
    * ``n``: the units compared, reference / current. Rows that share a value are not
      independent: with ``groups`` - ``(reference_keys, current_keys)``, the store-day of
      each row - the ``day_level`` columns are compared one value per store-day, the
      effective sample size. Without it every row counts, and the p-values of those
      columns are too small.

    >>> from course_utils import drift, world
    >>> ref = world.generate().visits
    >>> table = drift_table(ref, drift.month("2026-06", "price_shock").visits)
    >>> table.loc["price_banana", "level"]
    'alert'
    """
    columns = (
        list(columns)
        if columns is not None
        else [c for c in reference.columns if c in current.columns]
    )
    missing = [c for c in columns if c not in reference.columns or c not in current.columns]
    if missing:
        raise KeyError(f"column(s) {missing} are not in both tables; compare common columns.")
    if groups is not None:
        ref_groups, cur_groups = (pd.Series(np.asarray(g)) for g in groups)
        if len(ref_groups) != len(reference) or len(cur_groups) != len(current):
            raise ValueError(
                "groups must give one key per row of each table: (reference_keys, "
                f"current_keys) with {len(reference)} and {len(current)} keys, got "
                f"{len(ref_groups)} and {len(cur_groups)}."
            )
    rows = []
    for col in columns:
        ref, cur = reference[col].reset_index(drop=True), current[col].reset_index(drop=True)
        categorical = _is_categorical(ref)
        if groups is not None and col in day_level:
            ref = _per_group(ref, ref_groups, categorical)
            cur = _per_group(cur, cur_groups, categorical)
            unit = "store-days"
        else:
            unit = "rows"
        value = psi(ref, cur, categorical=categorical)
        n_ref, n_cur = len(ref), len(cur)
        k = _n_bins(ref, cur, categorical, 10)
        expected = psi_no_drift(n_ref, n_cur, bins=k)
        noise = psi_noise_quantile(n_ref, n_cur, bins=k)
        if categorical or _is_discrete(ref):
            r = ref.astype(object).where(ref.notna(), "<missing>").astype(str)
            c = cur.astype(object).where(cur.notna(), "<missing>").astype(str)
            cats = sorted(set(r) | set(c))
            table = np.array(
                [
                    r.value_counts().reindex(cats, fill_value=0).to_numpy(),
                    c.value_counts().reindex(cats, fill_value=0).to_numpy(),
                ]
            )
            table = table[:, table.sum(axis=0) > 0]
            if table.shape[1] < 2:
                stat, p = 0.0, 1.0
            else:
                stat, p = stats.chi2_contingency(table)[:2]
            test = "chi-square"
        else:
            r = pd.to_numeric(ref, errors="coerce").dropna()
            c = pd.to_numeric(cur, errors="coerce").dropna()
            stat, p = stats.ks_2samp(r, c)
            test = "KS"
        level = psi_level(value)
        if level != "stable" and value <= noise:
            level = "within noise"
        rows.append(
            {
                "column": col,
                "psi": round(value, 4),
                "psi_no_drift": round(expected, 4),
                "n": f"{n_ref:,} / {n_cur:,} {unit}",
                "test": test,
                "statistic": round(float(stat), 4),
                "p_value": float(p),
                "level": level,
            }
        )
    return pd.DataFrame(rows).set_index("column")


def out_of_range(current: pd.DataFrame, ranges: dict[str, tuple[float, float]]) -> pd.Series:
    """Share of values outside their expected range, per column (data validation).

    >>> df = pd.DataFrame({"temperature_c": [10.0, 20.0, 75.0, 80.0]})
    >>> float(out_of_range(df, {"temperature_c": (-30, 50)})["temperature_c"])
    0.5
    """
    shares = {}
    for col, (lo, hi) in ranges.items():
        values = pd.to_numeric(current[col], errors="coerce")
        known = values.dropna()
        shares[col] = float(((known < lo) | (known > hi)).mean()) if len(known) else 0.0
    return pd.Series(shares, name="share_out_of_range")


# --------------------------------------------------------------------------- alert rules

#: Inputs whose level follows the calendar: compared with the same month of the history.
SEASONAL = ("temperature_c", "price_apple", "price_banana")
#: Inputs that should not move with the seasons: compared by PSI with a reference window.
NON_SEASONAL = ("store", "hour", "weekday", "age", "has_kids", "loyalty_member", "promo")
#: Data validation: the range each reported input must stay in - the course's one set of
#: plausible bounds (:mod:`course_utils.bounds`), the same the service's schema enforces.
VALID_RANGES = {
    col: tuple(float(x) for x in PLAUSIBLE[col])
    for col in ("temperature_c", "price_apple", "price_banana")
}
#: Seasonal level rules: monthly median per store against the same month of the history.
TEMPERATURE_TOLERANCE_C = 5.0
PRICE_TOLERANCE_RATIO = 1.25
OUT_OF_RANGE_ALERT = 0.01


def check_month(
    current: pd.DataFrame,
    *,
    history: pd.DataFrame,
    window: pd.DataFrame,
    month: int,
) -> pd.DataFrame:
    """Apply the course's alert rules to one month of production inputs.

    * **data validation**: more than 1% of a month's values outside their valid range,
      or a store's monthly median temperature more than 5 °C away from the same month of
      the history (a unit or sensor problem, not weather);
    * **seasonal level**: a store's monthly median price more than 25% above or below the
      same month of the history;
    * **input drift**: PSI above 0.25 for a non-seasonal input against ``window``, the
      reference window (the first month in production: the training history is biased,
      as notebook 02 found, so production differs from it from day one).

    ``history`` needs a ``timestamp`` column; ``month`` is the calendar month (1-12) of
    ``current``. Returns one row per rule and input with the measured value and whether it
    alerts.
    """
    rows = []
    past = history[history["timestamp"].dt.month == month]
    shares = out_of_range(current, VALID_RANGES)
    for col, share in shares.items():
        rows.append(
            (
                "data validation",
                col,
                "share out of range",
                share,
                OUT_OF_RANGE_ALERT,
                share > OUT_OF_RANGE_ALERT,
            )
        )
    for store in sorted(set(current["store"].astype(str))):
        now = current[current["store"].astype(str) == store]
        then = past[past["store"].astype(str) == store]
        if len(now) == 0 or len(then) == 0:
            continue
        diff = float(now["temperature_c"].median() - then["temperature_c"].median())
        rows.append(
            (
                "data validation",
                f"temperature_c @ {store}",
                "median change (°C)",
                diff,
                TEMPERATURE_TOLERANCE_C,
                abs(diff) > TEMPERATURE_TOLERANCE_C,
            )
        )
        for col in ("price_apple", "price_banana"):
            ratio = float(now[col].median() / then[col].median())
            bad = not (1 / PRICE_TOLERANCE_RATIO <= ratio <= PRICE_TOLERANCE_RATIO)
            rows.append(
                (
                    "seasonal level",
                    f"{col} @ {store}",
                    "median ratio",
                    ratio,
                    PRICE_TOLERANCE_RATIO,
                    bad,
                )
            )
    for col in NON_SEASONAL:
        value = psi(window[col], current[col])
        rows.append(("input drift", col, "PSI", value, PSI_ALERT, value > PSI_ALERT))
    return pd.DataFrame(rows, columns=["rule", "input", "measure", "value", "threshold", "alert"])


def _decision_inputs(y_true, p_banana, threshold=None, contract=None):
    """Labels as booleans, probabilities as floats, and the threshold, checked."""
    if isinstance(y_true, str) or not hasattr(y_true, "__len__"):
        raise TypeError(
            f"y_true must be a list or column of labels ('apple'/'banana'), got {y_true!r}."
        )
    y = np.asarray(pd.Series(y_true).astype(str).str.strip().str.lower()) == "banana"
    try:
        p = np.asarray(p_banana, dtype=float).ravel()
    except (TypeError, ValueError):
        raise TypeError(
            "p_banana must be numbers (the model's P(banana) per visit), "
            f"got {type(p_banana).__name__}."
        ) from None
    if len(y) != len(p):
        raise ValueError(f"{len(y)} labels but {len(p)} probabilities; they must match.")
    if len(y) == 0:
        raise ValueError("no labelled visits yet: the live metric needs labels.")
    if threshold is None:  # rounded as the model card stores it: the service's decision
        threshold = round(float(contract.best_threshold()), 10)
    threshold = float(threshold)
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be a probability between 0 and 1, got {threshold}.")
    return y, p, threshold


def visit_costs(y_true, p_banana, contract, *, threshold: float | None = None) -> np.ndarray:
    """What each visit's decision cost, in euros: 0 when right, the mistake's cost when wrong.

    The decision is banana when ``p_banana >= threshold`` (default: the contract's
    cost-optimal threshold). Its mean is the expected cost per visit of
    :func:`live_metrics`; keeping the visits apart lets two models be compared on the same
    visits (:func:`paired_bootstrap`).

    >>> from course_utils.contract import DEFAULT
    >>> visit_costs(["banana", "apple", "apple"], [0.9, 0.8, 0.1], DEFAULT).tolist()
    [0.0, 0.3, 0.0]
    """
    y, p, t = _decision_inputs(y_true, p_banana, threshold, contract)
    return _costs(y, p >= t, contract)


def _costs(y: np.ndarray, decide: np.ndarray, contract) -> np.ndarray:
    return np.where(decide & ~y, contract.cost_false_banana, 0.0) + np.where(
        ~decide & y, contract.cost_false_apple, 0.0
    )


def live_metrics(y_true, p_banana, contract, *, threshold: float | None = None) -> dict:
    """The contract's expected cost per visit and the accuracy of the same decisions.

    ``y_true``: the fruit bought ("apple"/"banana"); ``p_banana``: the model's
    probabilities; ``contract``: a :class:`course_utils.contract.Contract`. Every number
    comes from **one decision**: banana when ``p_banana >= threshold``, by default the
    contract's cost-optimal threshold (what the service answers). Pass ``threshold=0.5``
    to see the accuracy of the "most likely fruit" rule instead - and name it so.

    Returns ``threshold``, ``accuracy`` (share of right decisions at that threshold),
    ``expected_cost`` (€ per visit) and ``meets_contract`` (``None`` if the contract's
    metric is not the expected cost).

    >>> from course_utils.contract import DEFAULT
    >>> m = live_metrics(["banana", "apple"], [0.6, 0.2], DEFAULT)
    >>> m["threshold"], m["accuracy"], round(m["expected_cost"], 2)  # 0.6 < 0.75: apple
    (0.75, 0.5, 0.05)
    >>> live_metrics(["banana", "apple"], [0.6, 0.2], DEFAULT, threshold=0.5)["accuracy"]
    1.0
    """
    y, p, t = _decision_inputs(y_true, p_banana, threshold, contract)
    expected_cost = float(_costs(y, p >= t, contract).mean())
    return {
        "threshold": t,
        "accuracy": float(np.mean((p >= t) == y)),
        "expected_cost": expected_cost,
        "meets_contract": bool(expected_cost <= contract.minimum)
        if contract.metric == "expected_cost"
        else None,
    }


def paired_bootstrap(
    y_true,
    p_champion,
    p_challenger,
    contract,
    *,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict:
    """How much cheaper is the challenger than the champion, with a bootstrap interval?

    A **paired** bootstrap: each resample draws visits with replacement and scores *both*
    models on the *same* visits, so the luck of the draw (an easy or a hard month) cancels
    out of the difference. Returns ``difference`` (challenger minus champion, € per visit:
    negative = the challenger is cheaper), the percentile interval ``low`` and ``high`` at
    ``confidence``, the share of resamples where the challenger is cheaper
    (``share_challenger_cheaper``) and ``n_visits``.

    >>> from course_utils.contract import DEFAULT
    >>> y = ["banana", "apple"] * 200
    >>> r = paired_bootstrap(y, [0.9, 0.1] * 200, [0.9, 0.8] * 200, DEFAULT)
    >>> r["difference"], r["low"] > 0  # the challenger says banana to every apple buyer
    (0.15, True)
    """
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, int | np.integer):
        raise TypeError(f"n_resamples must be a whole number, got {n_resamples!r}.")
    if n_resamples < 100:
        raise ValueError(f"n_resamples must be at least 100, got {n_resamples}.")
    if not 0.5 <= float(confidence) < 1.0:
        raise ValueError(f"confidence must be between 0.5 and 1 (e.g. 0.95), got {confidence}.")
    champion = visit_costs(y_true, p_champion, contract)
    challenger = visit_costs(y_true, p_challenger, contract)
    if len(champion) != len(challenger):
        raise ValueError(
            f"{len(champion)} champion but {len(challenger)} challenger probabilities: "
            "score both models on the same visits."
        )
    diff = challenger - champion  # per visit: the pairing
    rng = np.random.default_rng(seed)
    n = len(diff)
    means = np.empty(n_resamples)
    for b in range(n_resamples):  # one resample at a time: little memory for big months
        means[b] = diff[rng.integers(0, n, n)].mean()
    alpha = (1 - float(confidence)) / 2
    low, high = np.quantile(means, [alpha, 1 - alpha])
    return {
        "difference": round(float(diff.mean()), 10),
        "low": float(low),
        "high": float(high),
        "confidence": float(confidence),
        "share_challenger_cheaper": float(np.mean(means < 0)),
        "n_visits": int(n),
    }


def read_comparison(interval: dict) -> str:
    """The decision an interval of :func:`paired_bootstrap` supports, in words.

    * the whole interval below 0: ``"challenger cheaper"`` - promote it;
    * the whole interval above 0: ``"champion cheaper"`` - keep (or put back) the champion;
    * 0 inside the interval: ``"no clear difference"`` - the data cannot tell them apart;
      keep the model in production, which needs no change (and no review).

    >>> read_comparison({"low": -0.004, "high": -0.001})
    'challenger cheaper'
    >>> read_comparison({"low": -0.002, "high": 0.001})
    'no clear difference'
    """
    try:
        low, high = float(interval["low"]), float(interval["high"])
    except (KeyError, TypeError, ValueError):
        raise TypeError(
            "read_comparison expects the dict of paired_bootstrap (with 'low' and 'high')."
        ) from None
    if high < 0:
        return "challenger cheaper"
    if low > 0:
        return "champion cheaper"
    return "no clear difference"


#: Live-metric rule: a month's expected cost more than 10% above the test-set cost alerts.
LIVE_COST_RATIO = 1.1


def check_live(y_true, p_banana, contract, *, reference_cost: float) -> pd.DataFrame:
    """Apply the live-metric rules to one month whose labels have arrived.

    * **degradation**: the month's expected cost per visit more than
      :data:`LIVE_COST_RATIO` times ``reference_cost`` (the cost measured on the test set,
      as recorded in the model card) - the model is losing its margin;
    * **contract breach**: the expected cost above the contract's ``minimum``.

    Returns rows like :func:`check_month` (``rule``, ``input``, ``measure``, ``value``,
    ``threshold``, ``alert``), so the two tables can be concatenated.

    >>> from course_utils.contract import DEFAULT
    >>> t = check_live(["banana", "apple"], [0.9, 0.8], DEFAULT, reference_cost=0.03)
    >>> t["alert"].tolist()  # one false banana in two visits: 0.15 EUR per visit
    [True, True]
    """
    reference = float(reference_cost)
    if not math.isfinite(reference) or reference <= 0:
        raise ValueError(f"reference_cost must be a positive number, got {reference_cost!r}.")
    cost = live_metrics(y_true, p_banana, contract)["expected_cost"]
    ratio = cost / reference
    rows = [
        (
            "live metric",
            "expected_cost",
            "ratio to test-set cost",
            ratio,
            LIVE_COST_RATIO,
            ratio > LIVE_COST_RATIO,
        ),
        (
            "live metric",
            "expected_cost",
            "EUR per visit vs contract minimum",
            cost,
            float(contract.minimum),
            cost > contract.minimum,
        ),
    ]
    return pd.DataFrame(rows, columns=["rule", "input", "measure", "value", "threshold", "alert"])
