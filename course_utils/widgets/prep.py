"""The imputation/encoding comparer of notebook 03: how you fill the gaps changes the model.

Pick how the missing ages are filled (``mean``, ``median``, ``most_frequent`` or a
``constant`` 0, as :class:`sklearn.impute.SimpleImputer` does it), whether a "was missing"
indicator column is added, and how the categorical columns ``store`` and ``promo`` are
encoded (``one-hot`` or ``ordinal`` codes). The widget shows

* a small histogram: the ages that were recorded, the *true* ages of the customers who left
  the field empty (only the simulation knows them) and the value the strategy puts in
  their place;
* the cross-validated accuracy of a logistic regression with that preprocessing, next to
  every other combination.

All combinations are scored once, when the widget is made (3 folds on a seeded sample of
training rows), so moving a control only looks up a number and redraws a small figure.
Every fold fits its imputer, scaler and model on its own training part only (no leakage).
The model's inputs are those of notebook 03's pipeline: age and its square (the U-shape),
children, loyalty, temperature, the relative price, rush hour at the station, weekend,
store and promotion.

>>> ex = make_widget(n_rows=1500)
>>> ex.controls["strategy"].value = "constant"
>>> ex.result["fill_value"]
0.0
>>> sorted(score_table(ex.result).columns)[:2]
['accuracy', 'age filled with']
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from course_utils import figures
from course_utils.widgets import Explorer, figure_png

__all__ = [
    "BENCH",
    "ENCODINGS",
    "STRATEGIES",
    "compute",
    "figure",
    "make_widget",
    "prepare",
    "score_all",
    "score_table",
    "text",
]

STRATEGIES = ("mean", "median", "most_frequent", "constant")
ENCODINGS = ("one-hot", "ordinal")
#: SimpleImputer(strategy="constant") fills numbers with 0 unless told otherwise.
CONSTANT_AGE = 0.0
RUSH_HOURS = (7, 8, 9, 16, 17, 18)
CATEGORIES = {"store": ("Central", "Riverside", "Station"), "promo": ("apple", "banana", "none")}
#: Histogram bins of the age figure (years).
AGE_BINS = np.arange(0, 97, 3)
BENCH = ("strategy", ["median", "mean", "most_frequent", "constant", "median"])

# Okabe-Ito colours (colour-blind safe); each series also has its own hatch or line style.
_OBSERVED, _TRUE, _IMPUTED = "#56B4E9", "#D55E00", "#000000"


# --------------------------------------------------------------------------- the data


def prepare(train: pd.DataFrame | None = None, *, n_rows: int = 6000, seed: int = 0) -> dict:
    """A seeded sample of training rows as plain arrays, plus the true ages of the gaps.

    ``train`` is the cleaned training table (``checkpoints.split()[0]`` if None): the
    columns of ``course_utils.world.FEATURES``, ``fruit`` and ``visit_id``.
    """
    from course_utils import checkpoints, world

    if train is None:
        train = checkpoints.split()[0]
    sample = train.sample(min(n_rows, len(train)), random_state=seed)
    store = sample["store"].astype(str).to_numpy()
    hour = sample["hour"].to_numpy()
    numbers = np.column_stack(
        [
            sample["has_kids"].to_numpy(dtype=float),
            sample["loyalty_member"].to_numpy(dtype=float),
            sample["temperature_c"].to_numpy(dtype=float),
            np.log(sample["price_banana"].to_numpy(float) / sample["price_apple"].to_numpy(float)),
            ((store == "Station") & np.isin(hour, RUSH_HOURS)).astype(float),
            (sample["weekday"].to_numpy() >= 5).astype(float),
        ]
    )
    truth = world.generate().visits.set_index("visit_id")["age"]
    age = sample["age"].to_numpy(dtype=float)
    missing = np.isnan(age)
    true_age = truth.reindex(sample["visit_id"]).to_numpy(dtype=float)
    observed, _ = np.histogram(age[~missing], bins=AGE_BINS, density=True)
    true_missing, _ = np.histogram(true_age[missing], bins=AGE_BINS, density=True)
    return {
        "age": age,
        "numbers": numbers,
        "hist_observed": observed,
        "hist_true_missing": true_missing,
        "categories": {c: sample[c].astype(str).to_numpy() for c in CATEGORIES},
        "y": (sample["fruit"].astype(str).to_numpy() == "banana").astype(int),
        "true_missing_age": true_age[missing],
        "n_rows": len(sample),
    }


def fill_value(age: np.ndarray, strategy: str) -> float:
    """The number SimpleImputer(strategy=...) would put into the gaps of ``age``."""
    known = age[~np.isnan(age)]
    if strategy == "mean":
        return float(known.mean())
    if strategy == "median":
        return float(np.median(known))
    if strategy == "most_frequent":  # the smallest of the most frequent values, as sklearn
        values, counts = np.unique(known, return_counts=True)
        return float(values[np.argmax(counts)])
    if strategy == "constant":
        return CONSTANT_AGE
    raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}; got {strategy!r}")


def _design(data: dict, rows: np.ndarray, fill: float, medians: np.ndarray, **choice: Any):
    age = data["age"][rows]
    was_missing = np.isnan(age)
    age = np.where(was_missing, fill, age)
    numbers = data["numbers"][rows]
    numbers = np.where(np.isnan(numbers), medians, numbers)
    parts = [age[:, None], (((age - 45.0) / 15.0) ** 2)[:, None], numbers]
    if choice["indicator"]:
        parts.append(was_missing[:, None].astype(float))
    for name, cats in CATEGORIES.items():
        values = data["categories"][name][rows]
        if choice["encoding"] == "one-hot":
            parts.append(np.column_stack([(values == c).astype(float) for c in cats]))
        else:  # ordinal: one column of codes 0, 1, 2 in alphabetical order
            codes = np.searchsorted(np.array(cats), values).astype(float)
            parts.append(codes[:, None])
    return np.column_stack(parts)


def cv_accuracy(data: dict, *, strategy: str, indicator: bool, encoding: str) -> float:
    """3-fold cross-validated accuracy of a logistic regression, everything fitted per fold."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    y = data["y"]
    scores = []
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    for fit_rows, val_rows in folds.split(data["numbers"], y):
        fill = fill_value(data["age"][fit_rows], strategy)
        medians = np.nanmedian(data["numbers"][fit_rows], axis=0)
        choice = {"indicator": indicator, "encoding": encoding}
        X_fit = _design(data, fit_rows, fill, medians, **choice)
        X_val = _design(data, val_rows, fill, medians, **choice)
        mean, std = X_fit.mean(axis=0), X_fit.std(axis=0)
        std[std == 0] = 1.0
        model = LogisticRegression(max_iter=1000)
        model.fit((X_fit - mean) / std, y[fit_rows])
        scores.append(model.score((X_val - mean) / std, y[val_rows]))
    return float(np.mean(scores))


def score_all(data: dict) -> pd.DataFrame:
    """Cross-validated accuracy of every combination, one row each (the static fallback)."""
    rows = []
    for strategy, indicator, encoding in itertools.product(STRATEGIES, (False, True), ENCODINGS):
        acc = cv_accuracy(data, strategy=strategy, indicator=indicator, encoding=encoding)
        rows.append(
            {
                "strategy": strategy,
                "indicator": indicator,
                "encoding": encoding,
                "age filled with": round(fill_value(data["age"], strategy), 1),
                "accuracy": round(acc, 3),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- compute


def compute(data: dict, scores: pd.DataFrame, *, strategy: str, indicator: bool, encoding: str):
    """Everything the widget shows for one choice (plain data)."""
    pick = scores[
        (scores["strategy"] == strategy)
        & (scores["indicator"] == indicator)
        & (scores["encoding"] == encoding)
    ]
    best = scores.loc[scores["accuracy"].idxmax()]
    return {
        "strategy": strategy,
        "indicator": bool(indicator),
        "encoding": encoding,
        "fill_value": fill_value(data["age"], strategy),
        "accuracy": float(pick["accuracy"].iloc[0]),
        "best": best.to_dict(),
        "hist_observed": data["hist_observed"],
        "hist_true_missing": data["hist_true_missing"],
        "mean_true_missing_age": float(np.mean(data["true_missing_age"])),
        "n_missing": int(np.isnan(data["age"]).sum()),
        "n_rows": data["n_rows"],
        "scores": scores,
    }


def score_table(result: dict) -> pd.DataFrame:
    """All combinations' scores, best first (the static fallback table)."""
    table = result["scores"].sort_values("accuracy", ascending=False, kind="stable")
    return table.reset_index(drop=True)


_NAMES = {
    "mean": "the mean",
    "median": "the median",
    "most_frequent": "the most frequent age",
    "constant": "the constant 0",
}


def text(result: dict) -> str:
    """The widget's text equivalent (HTML)."""
    r, b = result, result["best"]
    ind = "with" if r["indicator"] else "without"
    best_ind = "with" if b["indicator"] else "without"
    return (
        f"<p><b>{_NAMES[r['strategy']].capitalize()}</b> fills the {r['n_missing']:,} "
        f"missing ages with "
        f"<b>{r['fill_value']:.1f}</b> years; the customers behind those gaps were in truth "
        f"{r['mean_true_missing_age']:.1f} years old on average (only the simulation "
        f"knows). {r['encoding'].capitalize()} encoding of store and promo, {ind} a missing "
        "indicator.</p>"
        f"<p>Cross-validated accuracy: <b>{r['accuracy']:.3f}</b> (3 folds, "
        f"{r['n_rows']:,} training visits). Best of all {len(r['scores'])} combinations: "
        f"{b['accuracy']:.3f} ({b['strategy']}, {best_ind} indicator, {b['encoding']}).</p>"
    )


def figure(result: dict):
    """Histogram: recorded ages, the true ages behind the gaps, and the value filled in."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.2, 2.8))
    ax.stairs(
        result["hist_observed"],
        AGE_BINS,
        fill=True,
        color=_OBSERVED,
        hatch="//",
        label="recorded ages",
    )
    ax.stairs(
        result["hist_true_missing"],
        AGE_BINS,
        linestyle="--",
        linewidth=2,
        color=_TRUE,
        label="true ages behind the gaps\n(known to the simulation only)",
    )
    fill = result["fill_value"]
    ax.axvline(fill, color=_IMPUTED, linewidth=3, label=f"filled in: {fill:.1f} years")
    ax.set(
        xlim=(-2, 95),
        xlabel="age (years)",
        ylabel="share of visits per year of age",
        title=f"Missing ages filled with {_NAMES[result['strategy']]}",
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=figures.SMALL, frameon=False)
    return fig


# --------------------------------------------------------------------------- the widget


@lru_cache(maxsize=4)
def _cached(n_rows: int, seed: int) -> tuple[dict, pd.DataFrame]:
    data = prepare(n_rows=n_rows, seed=seed)
    return data, score_all(data)


class _Comparer(Explorer):
    """An Explorer whose figures (one per strategy) are drawn once, in advance.

    ``data`` (the sampled rows as arrays) and ``scores`` (every combination's accuracy)
    stay available for the static fallback and for tests.
    """

    def __init__(
        self, *args: Any, data: dict, scores: pd.DataFrame, pngs: dict[str, bytes], **kwargs: Any
    ) -> None:
        self.data, self.scores, self._pngs = data, scores, pngs
        super().__init__(*args, **kwargs)

    def refresh(self) -> None:
        self.result = self.compute(**self.values())
        self.text_html.value = self._text(self.result)
        if self.image is not None:
            self.image.value = self._pngs[self.result["strategy"]]
        self.updates += 1


def make_widget(
    train: pd.DataFrame | None = None, *, n_rows: int = 6000, seed: int = 0
) -> Explorer:
    """The comparer: imputation strategy, missing indicator and encoding -> age and score.

    ``train`` is the cleaned training table (default: the checkpoint's). All combinations
    are scored and the four figures drawn here, once (about a second), so each update is a
    look-up.
    """
    import ipywidgets as W

    if train is None:
        data, scores = _cached(n_rows, seed)
    else:
        data = prepare(train, n_rows=n_rows, seed=seed)
        scores = score_all(data)

    def run(**values: Any) -> dict:
        return compute(data, scores, **values)

    pngs = {
        s: figure_png(figure(run(strategy=s, indicator=False, encoding="one-hot")))
        for s in STRATEGIES
    }
    wide = {"description_width": "initial"}  # labels in full, in ipywidgets 7 and 8
    controls = {
        "strategy": W.Dropdown(
            options=list(STRATEGIES), value="median", description="Fill age with:", style=wide
        ),
        "indicator": W.Checkbox(value=False, description="add a missing indicator", style=wide),
        "encoding": W.ToggleButtons(
            options=list(ENCODINGS), value="one-hot", description="Encode store, promo:", style=wide
        ),
    }
    return _Comparer(
        controls,
        run,
        text=text,
        figure=figure,
        title="Imputation and encoding comparer",
        data=data,
        scores=scores,
        pngs=pngs,
    )
