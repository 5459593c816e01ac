"""The over-/under-fitting explorer of notebook 05: slide one hyperparameter, watch two scores.

Choose a model - a **decision tree** (its ``max_depth``), a **logistic regression** (its
regularisation ``C``, on a log scale) or **k-nearest neighbours** (its ``k``) - and move its
slider. The widget shows the training and the validation accuracy all along that
hyperparameter, marks the current value (a vertical line *and* a text label), draws the
baseline ("always banana") and the best possible accuracy (Bayes), and says in a sentence
whether the model is **under-fitting**, **about right** or **over-fitting** at that value.

The verdict comes from the *level* and the *gap*: within the noise of the best validation
score the curve reaches (two standard errors of an accuracy measured on the sample's
rows - about 1.5 points for 3,000 rows - and at least 0.4 points), the model is about
right, so a plateau of nearly equal values is not split by chance; below that, a gap between
training and validation wider than at the best value means over-fitting (the model learns
the noise of its training rows), a narrower one means under-fitting (both scores are low:
the model is too simple).

Every curve is computed once, in :func:`make_widget` (3 shuffled stratified folds on a
seeded sample of the training rows, the preparation pipeline of notebook 03 refitted in
every fold, so nothing leaks), so a slider move only looks up numbers and draws a small
figure. The logistic regression gets all pairwise products of the prepared columns (135
columns), so that it has enough freedom to over-fit when ``C`` is large.

>>> ex = make_widget(n_rows=900)
>>> ex.controls["depth"].value = 20
>>> ex.result["verdict"]
'over-fitting'
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from course_utils import figures
from course_utils.widgets import Explorer

__all__ = [
    "BENCH",
    "DEPTHS",
    "KS",
    "LOG10_C",
    "MODELS",
    "compute",
    "curves",
    "figure",
    "make_widget",
    "overview",
    "summary",
    "text",
    "verdict",
]

#: The values each slider can take (every one is precomputed).
DEPTHS = np.arange(1, 21)
LOG10_C = np.arange(-4.0, 4.01, 0.5)
KS = np.arange(1, 201)
#: The width of the model buttons: each label in full.
TOGGLE_WIDTH = "170px"
#: Within this much accuracy (0.4 points) of the best validation score: about right.
TOLERANCE = 0.004
BENCH = ("depth", [2, 5, 8, 12, 16, 20, 3])

#: model key -> (label, hyperparameter, slider control, does a larger value mean more complex?)
MODELS: dict[str, dict[str, Any]] = {
    "tree": {
        "label": "decision tree",
        "param": "max_depth",
        "control": "depth",
        "more_complex_when_larger": True,
        "xlabel": "max_depth (levels of yes/no questions)",
        "log": False,
    },
    "logistic": {
        "label": "logistic regression",
        "param": "C",
        "control": "C",
        "more_complex_when_larger": True,
        "xlabel": "C (inverse regularisation strength, log scale)",
        "log": True,
    },
    "knn": {
        "label": "k-nearest neighbours",
        "param": "k",
        "control": "k",
        "more_complex_when_larger": False,
        "xlabel": "k, number of neighbours (log scale, reversed)",
        "log": True,
    },
}

_LOG_TICKS = {"logistic": [1e-4, 1e-2, 1, 1e2, 1e4], "knn": [1, 2, 5, 10, 20, 50, 100, 200]}

# Okabe-Ito colours (colour-blind safe); each line also has its own style and marker.
_TRAIN, _VALID, _MARK = "#0072B2", "#D55E00", "#000000"


# --------------------------------------------------------------------------- the curves


def _folds(train: pd.DataFrame, n_rows: int, seed: int, n_folds: int) -> tuple[list, dict]:
    """Prepared arrays of each fold (preprocessing fitted on the fold's training part)."""
    from sklearn.model_selection import StratifiedKFold

    from course_utils import checkpoints, world

    sample = train.sample(min(n_rows, len(train)), random_state=seed)
    X, labels = checkpoints.xy(sample)
    y = (labels.astype(str).to_numpy() == world.POSITIVE).astype(int)
    folds = []
    splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    for fit_rows, val_rows in splitter.split(X, y):
        prep = checkpoints.preprocessor().fit(X.iloc[fit_rows])
        folds.append(
            (
                prep.transform(X.iloc[fit_rows]),
                y[fit_rows],
                prep.transform(X.iloc[val_rows]),
                y[val_rows],
            )
        )
    truth = world.generate().visits.set_index("visit_id").loc[sample["visit_id"]]
    lines = {
        "baseline": float(max(y.mean(), 1 - y.mean())),
        "bayes": world.bayes_optimal(truth, y)["accuracy"],
        "n_rows": len(sample),
        "n_folds": n_folds,
    }
    return folds, lines


def _tree_scores(folds: list) -> np.ndarray:
    from sklearn.tree import DecisionTreeClassifier

    out = np.zeros((len(folds), len(DEPTHS), 2))
    for f, (A, ya, B, yb) in enumerate(folds):
        for i, depth in enumerate(DEPTHS):
            tree = DecisionTreeClassifier(max_depth=int(depth), random_state=0).fit(A, ya)
            out[f, i] = tree.score(A, ya), tree.score(B, yb)
    return out


def _logistic_scores(folds: list) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    out = np.zeros((len(folds), len(LOG10_C), 2))
    for f, (A, ya, B, yb) in enumerate(folds):
        pairs = make_pipeline(PolynomialFeatures(2, include_bias=False), StandardScaler())
        A2 = pairs.fit_transform(A)
        B2 = pairs.transform(B)
        # warm_start: each C starts from the previous solution (same result, much faster)
        model = LogisticRegression(max_iter=500, warm_start=True)
        for i, log_c in enumerate(LOG10_C):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.set_params(C=10.0**log_c).fit(A2, ya)
            out[f, i] = model.score(A2, ya), model.score(B2, yb)
    return out


def _knn_scores(folds: list) -> np.ndarray:
    """Accuracy for every k at once: the votes of the k nearest are cumulative sums.

    As in scikit-learn, a training row is its own nearest neighbour when the training rows
    are scored, and a tie between the two fruits goes to the first class ("apple").
    """
    from sklearn.neighbors import NearestNeighbors

    k_max = int(KS.max())
    out = np.zeros((len(folds), len(KS), 2))
    for f, (A, ya, B, yb) in enumerate(folds):
        index = NearestNeighbors(n_neighbors=k_max).fit(A)
        for j, (rows, truth) in enumerate([(A, ya), (B, yb)]):
            neighbours = index.kneighbors(rows, n_neighbors=k_max, return_distance=False)
            votes = np.cumsum(ya[neighbours], axis=1)  # bananas among the k nearest, k = 1..
            banana = 2 * votes > KS[None, :]
            out[f, :, j] = (banana == truth[:, None].astype(bool)).mean(axis=0)
    return out


def _table(values: np.ndarray, scores: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "value": values,
            "train": scores[:, :, 0].mean(axis=0),
            "validation": scores[:, :, 1].mean(axis=0),
            "validation_std": scores[:, :, 1].std(axis=0),
        }
    )


def curves(
    train: pd.DataFrame | None = None, *, n_rows: int = 3000, seed: int = 0, n_folds: int = 3
) -> dict:
    """Training and validation accuracy along each model's hyperparameter (plain data).

    Returns ``{"tree": DataFrame, "logistic": ..., "knn": ..., "baseline": float,
    "bayes": float, "n_rows": int, "n_folds": int}``; each DataFrame has the columns
    ``value`` (max_depth, C or k), ``train``, ``validation`` and ``validation_std``.
    ``train`` is the cleaned training table (``checkpoints.split()[0]`` if None).
    """
    from threadpoolctl import threadpool_limits

    from course_utils import checkpoints

    if train is None:
        train = checkpoints.split()[0]
    # Small problems run fastest on one thread (no waiting for busy cores).
    with threadpool_limits(limits=1):
        folds, lines = _folds(train, n_rows, seed, n_folds)
        return {
            "tree": _table(DEPTHS.astype(float), _tree_scores(folds)),
            "logistic": _table(10.0**LOG10_C, _logistic_scores(folds)),
            "knn": _table(KS.astype(float), _knn_scores(folds)),
            **lines,
        }


def summary(data: dict) -> pd.DataFrame:
    """One row per model: its best value and the scores there (the widget as a table).

    >>> list(summary(_cached(900, 0, 3)).columns)  # the curves of make_widget(n_rows=900)
    ['model', 'hyperparameter', 'best value', 'training', 'validation']
    """
    rows = []
    for key, spec in MODELS.items():
        curve = data[key]
        best = curve.loc[curve["validation"].idxmax()]
        rows.append(
            {
                "model": spec["label"],
                "hyperparameter": spec["param"],
                "best value": _format_value(key, float(best["value"])),
                "training": round(float(best["train"]), 3),
                "validation": round(float(best["validation"]), 3),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- compute


def noise_band(best: float, n_rows: int | None) -> float:
    """How far below the best validation accuracy a score is still "as good": two standard
    errors of an accuracy ``best`` measured on ``n_rows`` rows, and at least
    :data:`TOLERANCE`. Without ``n_rows``, :data:`TOLERANCE`.

    >>> round(noise_band(0.80, 3000), 4), noise_band(0.80, None)
    (0.0146, 0.004)
    """
    if not n_rows:
        return TOLERANCE
    return max(TOLERANCE, 2 * float(np.sqrt(best * (1 - best) / n_rows)))


def verdict(
    curve: pd.DataFrame,
    i: int,
    *,
    more_complex_when_larger: bool = True,
    n_rows: int | None = None,
) -> str:
    """ "under-fitting", "about right" or "over-fitting" at row ``i`` of a curve.

    About right: the validation score is within :func:`noise_band` of the curve's best
    (``n_rows``: the rows the validation scores were measured on), so values on the
    plateau around the best - which another sample could rank differently - all count.
    Below it, on the more complex side of the best value - where the gap between training
    and validation has widened - the model is over-fitting; on the simpler side, where
    both scores are low, it is under-fitting. Rows are in increasing order of ``value``.

    >>> c = pd.DataFrame({"train": [0.70, 0.84, 0.99], "validation": [0.70, 0.83, 0.76]})
    >>> [verdict(c, i) for i in range(3)]
    ['under-fitting', 'about right', 'over-fitting']
    """
    valid = curve["validation"].to_numpy()
    best = int(np.argmax(valid))
    if valid[best] - valid[i] <= noise_band(float(valid[best]), n_rows) + 1e-12:
        return "about right"
    more_complex = i > best if more_complex_when_larger else i < best
    return "over-fitting" if more_complex else "under-fitting"


def _position(model: str, depth: Any, C: Any, k: Any) -> int:
    """The row of the model's curve nearest to the slider's value."""
    if model == "tree":
        return int(np.argmin(np.abs(DEPTHS - float(depth))))
    if model == "logistic":
        return int(np.argmin(np.abs(LOG10_C - np.log10(max(float(C), 1e-12)))))
    return int(np.argmin(np.abs(KS - float(k))))


def _format_value(model: str, value: float) -> str:
    if model == "logistic":
        return f"{value:.4g}"
    return f"{int(round(value))}"


def compute(data: dict, *, model: str, depth: Any = 5, C: Any = 1.0, k: Any = 25) -> dict:
    """Everything the widget shows for one model at one value of its hyperparameter.

    ``data`` is what :func:`curves` returns; only the slider of ``model`` matters.
    """
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}; got {model!r}")
    spec = MODELS[model]
    curve = data[model]
    i = _position(model, depth, C, k)
    best = int(curve["validation"].to_numpy().argmax())
    row, top = curve.iloc[i], curve.iloc[best]
    return {
        "model": model,
        "label": spec["label"],
        "param": spec["param"],
        "index": i,
        "value": float(row["value"]),
        "value_text": _format_value(model, float(row["value"])),
        "train": float(row["train"]),
        "validation": float(row["validation"]),
        "gap": float(row["train"] - row["validation"]),
        "best_value": float(top["value"]),
        "best_value_text": _format_value(model, float(top["value"])),
        "best_validation": float(top["validation"]),
        "verdict": verdict(
            curve,
            i,
            more_complex_when_larger=spec["more_complex_when_larger"],
            n_rows=data.get("n_rows"),
        ),
        "curve": curve,
        "baseline": data["baseline"],
        "bayes": data["bayes"],
        "n_rows": data["n_rows"],
        "n_folds": data["n_folds"],
    }


_ADVICE = {
    "under-fitting": "both scores are low: the model is too simple to capture the pattern. "
    "Give it more freedom",
    "about right": "the validation score is as good as the best this model reaches, "
    "within the noise of the measurement. Keep it here (or take the simplest value that is "
    "this good)",
    "over-fitting": "the model learns the noise of its training rows: a high training score, "
    "a lower validation score. Make it simpler",
}
_MORE_FREEDOM = {
    "tree": "a deeper tree",
    "logistic": "a larger C (less regularisation)",
    "knn": "a smaller k",
}
_LESS_FREEDOM = {
    "tree": "a shallower tree",
    "logistic": "a smaller C (more regularisation)",
    "knn": "a larger k",
}


def text(result: dict) -> str:
    """The widget's text equivalent (HTML): the scores, the gap and the verdict."""
    r = result
    advice = _ADVICE[r["verdict"]]
    if r["verdict"] == "under-fitting":
        advice += f": {_MORE_FREEDOM[r['model']]}."
    elif r["verdict"] == "over-fitting":
        advice += f": {_LESS_FREEDOM[r['model']]}."
    else:
        advice += "."
    below = 100 * (r["best_validation"] - r["validation"])
    return (
        f"<p><b>{r['label'].capitalize()}, {r['param']} = {r['value_text']}</b>: training "
        f"accuracy <b>{r['train']:.3f}</b>, validation accuracy <b>{r['validation']:.3f}</b> "
        f"- a gap of {100 * r['gap']:.1f} points; {below:.1f} points below the best "
        f"validation score of this model ({r['best_validation']:.3f} at {r['param']} = "
        f"{r['best_value_text']}).</p>"
        f"<p><b>{r['verdict'].capitalize()}</b>: {advice}</p>"
        f"<p>For scale: always saying 'banana' scores {r['baseline']:.3f}, the best possible "
        f"(Bayes) {r['bayes']:.3f}. Scores from {r['n_folds']}-fold cross-validation on "
        f"{r['n_rows']:,} training visits.</p>"
    )


def _draw(ax: Any, result: dict, *, compact: bool = False) -> None:
    """Draw one curve; the marker of the current value is the last line and last text."""
    spec = MODELS[result["model"]]
    curve = result["curve"]
    x = curve["value"].to_numpy()
    if spec["log"]:  # markers evenly spread on the log scale
        where = np.unique(
            np.searchsorted(x, np.geomspace(x.min(), x.max(), 14)).clip(0, len(x) - 1)
        )
        markers = {"markevery": where.tolist(), "markersize": 4}
    else:
        markers = {"markevery": max(1, len(x) // 20), "markersize": 4}
    ax.plot(x, curve["train"], color=_TRAIN, marker="o", ls="-", label="training", **markers)
    ax.plot(
        x, curve["validation"], color=_VALID, marker="s", ls="--", label="validation", **markers
    )
    ax.axhline(result["bayes"], color="0.2", ls="-.", lw=1)
    ax.axhline(result["baseline"], color="0.45", ls=":", lw=1.2)
    # The reference lines are named on the simple side, where the curves are low.
    simple = x.max() if not spec["more_complex_when_larger"] else x.min()
    size = figures.SMALL
    ax.text(simple, result["bayes"] + 0.006, " best possible (Bayes)", fontsize=size)
    ax.text(simple, result["baseline"] - 0.006, " always 'banana'", fontsize=size, va="top")
    if spec["log"]:  # a few plain tick labels: clearer, and much faster to draw
        ax.set_xscale("log")
        ticks = _LOG_TICKS[result["model"]]
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
        ax.minorticks_off()
    else:
        ax.set_xticks([1, 5, 10, 15, 20])
    if not spec["more_complex_when_larger"]:
        ax.invert_xaxis()
    ax.set_ylim(0.5, 1.02)
    ax.set_xlabel(spec["xlabel"], fontsize=size + 1)
    ax.set_ylabel("accuracy at 0.5 (share of visits right)", fontsize=size + 1)
    ax.tick_params(labelsize=size)
    ax.set_title(f"{spec['label'].capitalize()}: simpler ← → more complex", fontsize=size + 2)
    marker = ax.axvline(result["value"], color=_MARK, lw=1.5)
    box = {"facecolor": "white", "edgecolor": "0.3", "alpha": 0.9, "boxstyle": "round,pad=0.3"}
    label = ax.text(0, 0.515, "", fontsize=size, va="bottom", bbox=box)
    _move_marker(ax, marker, label, result)


def _move_marker(ax: Any, marker: Any, label: Any, result: dict) -> None:
    """Put the vertical line and its label at the current value (label inside the axes)."""
    value = result["value"]
    marker.set_xdata([value, value])
    label.set_x(value)
    label.set_text(f"{result['param']} = {result['value_text']}\n{result['verdict']}")
    x_axes = ax.transAxes.inverted().transform(ax.transData.transform((value, 0.6)))[0]
    label.set_horizontalalignment("right" if x_axes > 0.55 else "left")


def figure(result: dict):
    """Training and validation accuracy along the hyperparameter, current value marked."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.6, 3.3))
    _draw(ax, result)
    ax.legend(loc="upper left", fontsize=figures.SMALL, frameon=False)
    return fig


def overview(data: dict):
    """The static fallback: the three curves side by side, each at its best value."""
    import matplotlib.pyplot as plt

    # at most the course's figure width: two panels a row
    fig, axes = plt.subplots(2, 2, figsize=(figures.MAX_WIDTH, 7.0), sharey=True)
    axes = axes.ravel()
    for ax, model in zip(axes, MODELS, strict=False):
        best = data[model].loc[data[model]["validation"].idxmax(), "value"]
        result = compute(data, model=model, depth=best, C=best, k=best)
        _draw(ax, result, compact=True)
    axes[-1].set_visible(False)
    axes[0].legend(loc="upper left", fontsize=figures.SMALL, frameon=False)
    fig.suptitle(
        "Training versus validation accuracy: every model has a sweet spot between\n"
        "under- and over-fitting (marked: the best validation score)",
        fontsize=11,
    )
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- the widget


@lru_cache(maxsize=4)
def _cached(n_rows: int, seed: int, n_folds: int) -> dict:
    return curves(n_rows=n_rows, seed=seed, n_folds=n_folds)


class _Sliders(Explorer):
    """An Explorer that shows only the slider of the chosen model, and draws fast.

    One figure per model is drawn once and kept (outside pyplot, so a notebook never shows
    it by itself); an update only moves the marker and its label and saves the PNG.
    ``data`` (every curve, from :func:`curves`) stays available for the static fallback.
    """

    def __init__(self, *args: Any, data: dict, **kwargs: Any) -> None:
        self.data = data
        self._figures: dict[str, tuple[Any, Any, Any, Any]] = {}
        super().__init__(*args, **kwargs)

    def _png(self, result: dict) -> bytes:
        import io

        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from PIL import Image

        model = result["model"]
        if model not in self._figures:  # draw everything but the marker once, keep the pixels
            fig = Figure(figsize=(5.6, 3.3), dpi=figures.WIDGET_DPI)
            canvas = FigureCanvasAgg(fig)
            ax = fig.add_subplot()
            _draw(ax, result)
            ax.legend(loc="upper left", fontsize=figures.SMALL, frameon=False)
            fig.tight_layout()
            marker, label = ax.lines[-1], ax.texts[-1]
            marker.set_animated(True)
            label.set_animated(True)
            canvas.draw()
            self._figures[model] = (fig, canvas.copy_from_bbox(fig.bbox), marker, label)
        fig, background, marker, label = self._figures[model]
        ax = fig.axes[0]
        _move_marker(ax, marker, label, result)
        fig.canvas.restore_region(background)  # then draw only the marker and its label
        ax.draw_artist(marker)
        ax.draw_artist(label)
        buf = io.BytesIO()
        Image.fromarray(np.asarray(fig.canvas.buffer_rgba())).save(buf, "png", compress_level=1)
        return buf.getvalue()

    def refresh(self) -> None:
        chosen = MODELS[self.controls["model"].value]["control"]
        for spec in MODELS.values():
            slider = self.controls[spec["control"]]
            slider.layout.display = None if spec["control"] == chosen else "none"
        self.result = self.compute(**self.values())
        self.text_html.value = self._text(self.result)
        if self.image is not None:
            self.image.value = self._png(self.result)
        self.updates += 1


def make_widget(
    train: pd.DataFrame | None = None, *, n_rows: int = 3000, seed: int = 0, n_folds: int = 3
) -> Explorer:
    """The explorer: pick a model, move its hyperparameter, read the verdict.

    ``train`` is the cleaned training table (default: the checkpoint's). The curves are
    computed here, once (a second or two), so a slider move is a look-up and a small figure.
    """
    import ipywidgets as W

    data = (
        _cached(n_rows, seed, n_folds)
        if train is None
        else curves(train, n_rows=n_rows, seed=seed, n_folds=n_folds)
    )

    def run(**values: Any) -> dict:
        return compute(data, **values)

    wide = {"description_width": "initial"}  # labels in full, in ipywidgets 7 and 8
    controls = {
        "model": W.ToggleButtons(
            options=[(spec["label"], key) for key, spec in MODELS.items()],
            value="tree",
            description="Model:",
            # wide enough for "k-nearest neighbours" in full (the default cuts it)
            style={**wide, "button_width": TOGGLE_WIDTH},
        ),
        "depth": W.IntSlider(
            value=5,
            min=int(DEPTHS.min()),
            max=int(DEPTHS.max()),
            description="max_depth",
            style=wide,
            continuous_update=False,
        ),
        "C": W.FloatLogSlider(
            value=1.0,
            base=10,
            min=float(LOG10_C.min()),
            max=float(LOG10_C.max()),
            step=0.5,
            description="C",
            style=wide,
            continuous_update=False,
        ),
        "k": W.IntSlider(
            value=25,
            min=int(KS.min()),
            max=int(KS.max()),
            description="k (neighbours)",
            style=wide,
            continuous_update=False,
        ),
    }
    return _Sliders(
        controls,
        run,
        text=text,
        figure=figure,
        title="Under- or over-fitting? Move one hyperparameter",
        data=data,
    )
