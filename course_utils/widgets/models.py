"""The model picker of notebook 04: a model family and two features -> decision regions.

Pick a model family (logistic regression, a decision tree, k-nearest neighbours, a random
forest, gradient-boosted trees) and two of the numeric inputs (age, hour, temperature,
relative price). The picker shows

* the model's predicted P(banana) over a grid of the two features (its *decision regions*),
  with the boundary P = 0.5 drawn as a line and a sample of training visits marked by shape
  *and* colour (apple: orange circle, banana: blue triangle);
* the cross-validated accuracy of that two-feature model (text), next to the majority
  baseline and the Bayes line of the same visits.

Everything is computed once, when the widget is made: for every family and every pair of
features, 3-fold shuffled stratified cross-validation and a fit on a seeded sample of
training visits (about 1,500), each model inside a small pipeline that imputes the gaps
(median) and scales, fitted per fold. Moving a control only draws a small figure. The
random forest and the boosted trees use modest sizes (fewer trees) to keep that fast.

>>> ex = make_widget(n_rows=600)
>>> ex.controls["family"].value = "decision tree"
>>> ex.result["family"], ex.result["x"], ex.result["y"]
('decision tree', 'age', 'rel_price')
>>> 0.5 < ex.result["cv_mean"] < 1
True
"""

from __future__ import annotations

import html
import itertools
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from course_utils import figures
from course_utils.widgets import Explorer

__all__ = [
    "BENCH",
    "FAMILIES",
    "FEATURES",
    "compute",
    "figure",
    "figure_bytes",
    "make_model",
    "make_widget",
    "precompute",
    "prepare",
    "score_table",
    "text",
]

#: The model families, in the order of notebook 04's comparison.
FAMILIES = (
    "logistic regression",
    "decision tree",
    "k-nearest neighbours",
    "random forest",
    "gradient-boosted trees",
)
#: The numeric features to choose from, with their axis labels (units).
FEATURES = {
    "age": "age (years)",
    "hour": "hour of the day (h)",
    "temperature_c": "temperature (°C)",
    "rel_price": "relative price, log(banana / apple price)",
}
DEFAULT_FAMILY, DEFAULT_X, DEFAULT_Y = "random forest", "age", "rel_price"
#: Points per axis of the grid on which P(banana) is drawn.
GRID = 50
#: Training visits drawn on the figure (a sample of the sample).
N_POINTS = 160
#: For ``make bench``: the control to move and the values it takes.
BENCH = (
    "family",
    [
        "logistic regression",
        "decision tree",
        "k-nearest neighbours",
        "gradient-boosted trees",
        "random forest",
    ],
)

# Okabe-Ito colours (colour-blind safe); the two fruits also differ in marker shape.
_APPLE, _BANANA = "#E69F00", "#0072B2"


def make_model(family: str):
    """The pipeline of one family for the picker: impute (median), scale, model; seeded."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    models = {
        "logistic regression": lambda: LogisticRegression(),
        "decision tree": lambda: DecisionTreeClassifier(random_state=0),
        "k-nearest neighbours": lambda: KNeighborsClassifier(),
        # Smaller than in the notebook's comparison, so that all pairs fit in a second.
        "random forest": lambda: RandomForestClassifier(
            n_estimators=10, min_samples_leaf=5, random_state=0
        ),
        "gradient-boosted trees": lambda: HistGradientBoostingClassifier(
            max_iter=20, learning_rate=0.3, random_state=0
        ),
    }
    if family not in models:
        raise ValueError(f"family must be one of {', '.join(FAMILIES)}; got {family!r}")
    return make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), models[family]())


# --------------------------------------------------------------------------- the data


def prepare(train: pd.DataFrame | None = None, *, n_rows: int = 1500, seed: int = 0) -> dict:
    """A seeded sample of training visits: the four features, the label, the Bayes line.

    ``train`` is the cleaned training table (``checkpoints.split()[0]`` if None).
    """
    from course_utils import checkpoints, world

    if train is None:
        train = checkpoints.split()[0]
    sample = train.sample(min(n_rows, len(train)), random_state=seed)
    columns = {
        "age": sample["age"].to_numpy(dtype=float),
        "hour": sample["hour"].to_numpy(dtype=float),
        "temperature_c": sample["temperature_c"].to_numpy(dtype=float),
        "rel_price": np.log(
            sample["price_banana"].to_numpy(dtype=float)
            / sample["price_apple"].to_numpy(dtype=float)
        ),
    }
    fruit = sample["fruit"].astype(str).to_numpy()
    y = (fruit == "banana").astype(int)
    truth = world.generate().visits.set_index("visit_id").loc[sample["visit_id"]]
    ranges = {}
    for name, values in columns.items():
        lo, hi = np.nanpercentile(values, [1, 99])
        pad = 0.04 * (hi - lo)
        ranges[name] = (float(lo - pad), float(hi + pad))
    rng = np.random.default_rng(seed)
    shown = rng.choice(len(y), size=min(N_POINTS, len(y)), replace=False)
    return {
        "columns": columns,
        "y": y,
        "ranges": ranges,
        "shown": shown,
        "jitter": rng.uniform(-0.3, 0.3, size=len(shown)),  # hours are whole numbers
        "baseline": float(max(y.mean(), 1 - y.mean())),
        "bayes": float(world.bayes_optimal(truth, fruit)["accuracy"]),
        "n_rows": len(y),
    }


def _grid(data: dict, x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    gx = np.linspace(*data["ranges"][x], GRID)
    gy = np.linspace(*data["ranges"][y], GRID)
    return gx, gy


def _fit_pair(data: dict, family: str, pair: tuple[str, str]) -> dict:
    """Cross-validate and fit one family on one pair of features (in that order)."""
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    X = np.column_stack([data["columns"][f] for f in pair])
    y = data["y"]
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    scores = cross_val_score(make_model(family), X, y, cv=folds)
    model = make_model(family).fit(X, y)
    gx, gy = _grid(data, *pair)
    xx, yy = np.meshgrid(gx, gy)  # rows follow the second feature
    proba = model.predict_proba(np.column_stack([xx.ravel(), yy.ravel()]))[:, 1]
    return {
        "cv_mean": float(scores.mean()),
        "cv_std": float(scores.std()),
        "proba": proba.reshape(xx.shape),
    }


def precompute(data: dict) -> dict[tuple[str, tuple[str, str]], dict]:
    """Every family on every pair of features (unordered), computed once (about a second).

    Gradient-boosted trees run on one thread here: their OpenMP threads only slow small
    fits down on a busy machine.
    """
    from threadpoolctl import threadpool_limits

    results = {}
    with threadpool_limits(limits=1):
        for pair in itertools.combinations(FEATURES, 2):
            for family in FAMILIES:
                results[family, pair] = _fit_pair(data, family, pair)
    return results


# --------------------------------------------------------------------------- compute


def compute(data: dict, fits: dict, *, family: str, x: str, y: str) -> dict:
    """Everything the picker shows for one choice (plain data).

    ``x == y`` gives a result with an ``error`` message (two different features needed).
    """
    base = {"family": family, "x": x, "y": y, "n_rows": data["n_rows"]}
    base.update(baseline=data["baseline"], bayes=data["bayes"])
    if family not in FAMILIES or x not in FEATURES or y not in FEATURES:
        return {**base, "error": "Choose a family and two features from the lists."}
    if x == y:
        return {**base, "error": "Choose two different features: one for each axis."}
    if (family, (x, y)) in fits:
        fit = fits[family, (x, y)]
        proba = fit["proba"]
    else:  # the same pair the other way round: swap the axes of the grid
        fit = fits[family, (y, x)]
        proba = fit["proba"].T
    gx, gy = _grid(data, x, y)
    shown = data["shown"]
    pts_x, pts_y = data["columns"][x][shown], data["columns"][y][shown]
    if x == "hour":
        pts_x = pts_x + data["jitter"]
    if y == "hour":
        pts_y = pts_y + data["jitter"]
    inside = (  # the visits inside the drawn area (a missing value is not drawn)
        (pts_x >= gx[0]) & (pts_x <= gx[-1]) & (pts_y >= gy[0]) & (pts_y <= gy[-1])
    )
    scores = {f: fits.get((f, (x, y)), fits.get((f, (y, x)))) for f in FAMILIES}
    return {
        **base,
        "error": None,
        "cv_mean": fit["cv_mean"],
        "cv_std": fit["cv_std"],
        "grid_x": gx,
        "grid_y": gy,
        "proba": proba,
        "points_x": pts_x[inside],
        "points_y": pts_y[inside],
        "points_banana": data["y"][shown][inside].astype(bool),
        "all_scores": {f: (s["cv_mean"], s["cv_std"]) for f, s in scores.items()},
    }


def score_table(result: dict) -> pd.DataFrame:
    """The cross-validated accuracy of every family on the result's pair (static fallback)."""
    if result.get("error"):
        return pd.DataFrame(columns=["family", "accuracy (mean)", "spread (std)"])
    rows = [
        {"family": f, "accuracy (mean)": round(m, 3), "spread (std)": round(s, 3)}
        for f, (m, s) in result["all_scores"].items()
    ]
    return pd.DataFrame(rows)


def text(result: dict) -> str:
    """The picker's text equivalent (HTML)."""
    r = result
    if r.get("error"):
        return f"<p><b>{html.escape(r['error'])}</b></p>"
    best = max(r["all_scores"], key=lambda f: r["all_scores"][f][0])
    return (
        f"<p><b>{html.escape(r['family'].capitalize())}</b> on <b>{r['x']}</b> and "
        f"<b>{r['y']}</b> only: cross-validated accuracy <b>{r['cv_mean']:.3f}</b> "
        f"± {r['cv_std']:.3f} (3 shuffled folds of {r['n_rows']:,} training visits). "
        f"Best family on this pair: {best} ({r['all_scores'][best][0]:.3f}).</p>"
        f"<p>For comparison, on these visits: always saying banana scores "
        f"{r['baseline']:.3f}; the Bayes line, which knows everything about each visit, "
        f"{r['bayes']:.3f} - two features alone cannot get there. Shaded: the model's "
        "P(banana); line: P = 0.5, where its answer flips; circles: apples, triangles: "
        "bananas.</p>"
    )


def figure(result: dict):
    """Decision regions: P(banana) over the grid, the 0.5 boundary, a sample of visits."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.4, 3.8))
    # Fixed margins instead of a tight bounding box: drawing twice would double the time.
    fig.subplots_adjust(left=0.13, right=0.86, bottom=0.27, top=0.91)
    if result.get("error"):
        ax.text(0.5, 0.5, result["error"], ha="center", va="center", wrap=True)
        ax.set_axis_off()
        return fig
    gx, gy, proba = result["grid_x"], result["grid_y"], result["proba"]
    shade = ax.imshow(
        proba,
        origin="lower",
        extent=(gx[0], gx[-1], gy[0], gy[-1]),
        aspect="auto",
        cmap="PuOr",
        vmin=0,
        vmax=1,
        alpha=0.6,
        interpolation="nearest",
    )
    if proba.min() < 0.5 < proba.max():
        ax.contour(gx, gy, proba, levels=[0.5], colors="black", linewidths=1.5)
    banana = result["points_banana"]
    px, py = result["points_x"], result["points_y"]
    style = {"edgecolor": "black", "linewidth": 0.5}
    ax.scatter(px[~banana], py[~banana], marker="o", s=22, color=_APPLE, label="apple", **style)
    ax.scatter(px[banana], py[banana], marker="^", s=28, color=_BANANA, label="banana", **style)
    ax.plot([], [], color="black", linewidth=1.5, label="P(banana) = 0.5")
    bar = fig.colorbar(shade, ax=ax, ticks=[0, 0.25, 0.5, 0.75, 1], fraction=0.06, pad=0.03)
    bar.set_label("model's P(banana)")
    ax.set(xlabel=FEATURES[result["x"]], ylabel=FEATURES[result["y"]])
    ax.set(xlim=(gx[0], gx[-1]), ylim=(gy[0], gy[-1]))
    ax.set_title(
        f"{result['family'].capitalize()}: accuracy {result['cv_mean']:.3f} (cross-validated)",
        fontsize=10,
    )
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.17),
        ncol=3,
        fontsize=figures.SMALL,
        frameon=False,
    )
    return fig


def figure_bytes(result: dict) -> bytes:
    """The figure as PNG bytes (HiDPI, fixed margins: no second drawing pass)."""
    import io

    import matplotlib.pyplot as plt

    fig = figure(result)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=figures.WIDGET_DPI)
    plt.close(fig)
    return buf.getvalue()


# --------------------------------------------------------------------------- the widget


@lru_cache(maxsize=4)
def _cached(n_rows: int, seed: int) -> tuple[dict, dict]:
    data = prepare(n_rows=n_rows, seed=seed)
    return data, precompute(data)


class _Picker(Explorer):
    """An Explorer that keeps each choice's figure once drawn (``data``, ``fits`` exposed)."""

    def __init__(self, *args: Any, data: dict, fits: dict, **kwargs: Any) -> None:
        self.data, self.fits = data, fits
        self._pngs: dict[tuple[str, str, str], bytes] = {}
        super().__init__(*args, **kwargs)

    def refresh(self) -> None:
        values = self.values()
        self.result = self.compute(**values)
        self.text_html.value = self._text(self.result)
        key = (values["family"], values["x"], values["y"])
        if key not in self._pngs:
            self._pngs[key] = figure_bytes(self.result)
        if self.image is not None:
            self.image.value = self._pngs[key]
        self.updates += 1


def make_widget(
    train: pd.DataFrame | None = None, *, n_rows: int = 1500, seed: int = 0
) -> Explorer:
    """The model picker. All families and pairs are fitted here, once (about a second).

    ``train`` is the cleaned training table (default: the checkpoint's).
    """
    import ipywidgets as W

    if train is None:
        data, fits = _cached(n_rows, seed)
    else:
        data = prepare(train, n_rows=n_rows, seed=seed)
        fits = precompute(data)

    def run(**values: Any) -> dict:
        return compute(data, fits, **values)

    wide = {"description_width": "initial"}  # labels in full, in ipywidgets 7 and 8
    options = list(FEATURES)
    controls = {
        "family": W.Dropdown(
            options=list(FAMILIES), value=DEFAULT_FAMILY, description="Model:", style=wide
        ),
        "x": W.Dropdown(options=options, value=DEFAULT_X, description="x axis:", style=wide),
        "y": W.Dropdown(options=options, value=DEFAULT_Y, description="y axis:", style=wide),
    }
    return _Picker(
        controls,
        run,
        text=text,
        figure=figure,
        title="Model picker: decision regions of a two-feature model",
        data=data,
        fits=fits,
    )
