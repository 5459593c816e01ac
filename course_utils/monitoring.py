"""Drift measures and alert rules for a deployed model.

Notebook 08 computes the population stability index (PSI) by hand once; this module is the
helper it uses afterwards, plus the statistical tests (scipy) and the alert rules.

Alert rules (documented thresholds, the usual rules of thumb):

* **PSI** of an input against the training data: below 0.10 stable, 0.10-0.25 worth a
  look, **above 0.25 an alert**.
* **KS** (numeric) and **chi-square** (categorical) tests give p-values. With thousands of
  rows a tiny, harmless difference is "significant", so p-values are reported but do not
  page anyone on their own: an alert needs PSI above 0.25 as well.
* **Live metric**: when labels arrive, accuracy (or the contract's metric) falling below
  the success contract's minimum is an alert of its own.

Example
-------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> ref, same, moved = rng.normal(0, 1, 2000), rng.normal(0, 1, 2000), rng.normal(1, 1, 2000)
>>> psi(ref, same) < 0.1 < 0.25 < psi(ref, moved)
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

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


def drift_table(
    reference: pd.DataFrame, current: pd.DataFrame, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per input column: PSI, the test used (KS or chi-square), its p-value, level.

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
    rows = []
    for col in columns:
        ref, cur = reference[col], current[col]
        categorical = _is_categorical(ref)
        value = psi(ref, cur, categorical=categorical)
        if categorical:
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
        rows.append(
            {
                "column": col,
                "psi": round(value, 4),
                "test": test,
                "statistic": round(float(stat), 4),
                "p_value": float(p),
                "level": psi_level(value),
            }
        )
    return pd.DataFrame(rows).set_index("column")


def out_of_range(current: pd.DataFrame, ranges: dict[str, tuple[float, float]]) -> pd.Series:
    """Share of values outside their expected range, per column (data validation).

    >>> df = pd.DataFrame({"temperature_c": [10.0, 20.0, 75.0, 80.0]})
    >>> out_of_range(df, {"temperature_c": (-30, 45)})["temperature_c"]
    0.5
    """
    shares = {}
    for col, (lo, hi) in ranges.items():
        values = pd.to_numeric(current[col], errors="coerce")
        known = values.dropna()
        shares[col] = float(((known < lo) | (known > hi)).mean()) if len(known) else 0.0
    return pd.Series(shares, name="share_out_of_range")
