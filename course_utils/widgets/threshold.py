"""The threshold-by-cost slider of notebook 06: what does each decision threshold cost?

The tuned model gives every test visit a probability of banana. The stand predicts banana
when that probability is at least the **decision threshold**. Three sliders - the
threshold and the prices of the two mistakes (a *false banana*: predicted banana, the
customer took an apple; a *false apple*: the other way round) - update together:

* the expected cost per visit, in euros, and the accuracy at that threshold;
* the confusion matrix (counts of true apples, false bananas, false apples, true bananas);
* the verdict against the success contract: "meets the contract: yes/no";
* a figure: expected cost against the threshold (the model and, where the world's true
  probabilities are known, perfect knowledge), with the chosen threshold marked by a line
  *and* a label, next to the confusion matrix drawn as a table of counts.

The logic is plain and tested: :func:`prepare` sorts the probabilities once (so any
threshold is answered by a binary search), :func:`compute` answers for one threshold and
two costs in microseconds, :func:`describe`, :func:`table_html` and :func:`plot_threshold`
render the result. The widget is thin wiring; its figure is drawn once and updated in
place, so a slider move stays well under the course's 150 ms budget.

>>> import numpy as np
>>> data = prepare(np.array([0.9, 0.6, 0.2, 0.8]), np.array(["banana", "apple", "apple", "apple"]))
>>> r = compute(data, threshold=0.75, cost_false_banana=0.30, cost_false_apple=0.10)
>>> r["counts"]["false banana"], r["counts"]["true banana"]
(1, 1)
>>> round(r["cost"], 3)  # one false banana (0.30 EUR) over four visits
0.075
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

import numpy as np
import pandas as pd

from course_utils import figures
from course_utils.widgets import Explorer, blit_png

__all__ = [
    "BENCH",
    "CELLS",
    "GRID",
    "ThresholdData",
    "ThresholdPlot",
    "compute",
    "default_data",
    "describe",
    "make_widget",
    "plot_threshold",
    "prepare",
    "table_html",
]

#: The thresholds of the cost curve: predict banana when P(banana) >= threshold.
GRID = np.linspace(0.0, 1.0, 201)
#: The four cells of the confusion matrix, (true fruit, predicted fruit) -> name.
CELLS = {
    ("apple", "apple"): "true apple",
    ("apple", "banana"): "false banana",
    ("banana", "apple"): "false apple",
    ("banana", "banana"): "true banana",
}
#: For ``make bench``: the control to move and the values it takes.
BENCH = ("threshold", [0.1, 0.3, 0.5, 0.6, 0.75, 0.9, 0.2, 0.45, 0.8, 0.95])

# Okabe-Ito colours (colour-blind safe); every line also has its own style and a label.
_BLUE, _ORANGE, _VERMILLION, _GREY = "#0072B2", "#E69F00", "#D55E00", "#555555"


def _sorted_pair(p: np.ndarray, is_banana: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.sort(p[~is_banana]), np.sort(p[is_banana])


@dataclass(frozen=True)
class ThresholdData:
    """Probabilities sorted once per true fruit, so any threshold is answered instantly.

    Build it with :func:`prepare`. ``p_apple``/``p_banana``: the model's P(banana) of the
    visits that ended with an apple / a banana, sorted. ``true_apple``/``true_banana``: the
    same for the world's true probabilities (``None`` when unknown). ``minimum``,
    ``cost_false_banana`` and ``cost_false_apple`` come from the success contract.
    """

    n: int
    p_apple: np.ndarray
    p_banana: np.ndarray
    true_apple: np.ndarray | None
    true_banana: np.ndarray | None
    minimum: float
    cost_false_banana: float
    cost_false_apple: float
    fb_curve: np.ndarray
    fa_curve: np.ndarray
    true_fb_curve: np.ndarray | None
    true_fa_curve: np.ndarray | None

    @property
    def n_banana(self) -> int:
        """Visits that ended with a banana."""
        return len(self.p_banana)

    @property
    def n_apple(self) -> int:
        """Visits that ended with an apple."""
        return len(self.p_apple)

    def counts(self, threshold: float, *, truth: bool = False) -> dict[str, int]:
        """The confusion matrix at ``threshold``: cell name -> number of visits.

        With ``truth=True``, for the world's true probabilities (perfect knowledge).
        """
        p_apple, p_banana = (
            (self.true_apple, self.true_banana) if truth else (self.p_apple, self.p_banana)
        )
        if p_apple is None or p_banana is None:
            raise ValueError("no true probabilities were given to prepare().")
        true_apple = int(np.searchsorted(p_apple, threshold, side="left"))
        false_apple = int(np.searchsorted(p_banana, threshold, side="left"))
        return {
            "true apple": true_apple,
            "false banana": len(p_apple) - true_apple,
            "false apple": false_apple,
            "true banana": len(p_banana) - false_apple,
        }


def _is_banana(fruit: Any) -> np.ndarray:
    arr = np.asarray(fruit)
    if arr.ndim != 1:
        raise ValueError(f"fruit must be one value per visit (1-D), got shape {arr.shape}.")
    if arr.dtype == bool:
        return arr
    if arr.dtype.kind in "OUST":
        text = pd.Series(arr, dtype=object).astype(str).str.strip().str.lower()
        unknown = sorted(set(text) - {"apple", "banana"})
        if unknown:
            raise ValueError(f"fruit must hold 'apple' or 'banana', found {unknown[:3]}.")
        return (text == "banana").to_numpy()
    if arr.dtype.kind in "biuf" and np.isin(arr, [0, 1]).all():
        return arr.astype(bool)
    raise ValueError("fruit must be 'apple'/'banana' (or True for banana) per visit.")


def _probabilities(p: Any, name: str, n: int) -> np.ndarray:
    arr = np.asarray(p, dtype=float)
    if arr.ndim != 1 or len(arr) != n:
        raise ValueError(f"{name} needs one probability per visit: {n} values, got {arr.shape}.")
    if not np.isfinite(arr).all() or (arr < 0).any() or (arr > 1).any():
        raise ValueError(f"{name} must hold probabilities between 0 and 1 (no NaN).")
    return arr


def prepare(
    proba: Any,
    fruit: Any,
    *,
    p_true: Any = None,
    minimum: float = 0.042,
    cost_false_banana: float = 0.30,
    cost_false_apple: float = 0.10,
) -> ThresholdData:
    """Sort the probabilities once; the rest of the explorer only counts.

    ``proba``: the model's P(banana) per visit; ``fruit``: what each visit bought
    ("apple"/"banana"); ``p_true``: optionally the world's true P(banana) per visit.
    ``minimum`` and the two costs: the success contract's (the defaults are the course's).
    """
    is_banana = _is_banana(fruit)
    n = len(is_banana)
    if n == 0:
        raise ValueError("prepare() needs at least one visit.")
    p = _probabilities(proba, "proba", n)
    p_apple, p_banana = _sorted_pair(p, is_banana)
    true_apple = true_banana = true_fb = true_fa = None
    if p_true is not None:
        true_apple, true_banana = _sorted_pair(_probabilities(p_true, "p_true", n), is_banana)
        true_fb = len(true_apple) - np.searchsorted(true_apple, GRID, side="left")
        true_fa = np.searchsorted(true_banana, GRID, side="left")
    return ThresholdData(
        n=n,
        p_apple=p_apple,
        p_banana=p_banana,
        true_apple=true_apple,
        true_banana=true_banana,
        minimum=float(minimum),
        cost_false_banana=float(cost_false_banana),
        cost_false_apple=float(cost_false_apple),
        fb_curve=len(p_apple) - np.searchsorted(p_apple, GRID, side="left"),
        fa_curve=np.searchsorted(p_banana, GRID, side="left"),
        true_fb_curve=true_fb,
        true_fa_curve=true_fa,
    )


@cache
def default_data() -> ThresholdData:
    """The tuned model's probabilities on the test rows, with the true ones (cached).

    Fits notebook 05's tuned pipeline on the training rows once (a few seconds).
    """
    from course_utils import checkpoints, contract, world

    _, test = checkpoints.split()
    model = checkpoints.tuned_model()
    X_test, y_test = checkpoints.xy(test)
    proba = model.predict_proba(X_test)[:, list(model.classes_).index("banana")]
    truth = world.generate().visits.set_index("visit_id").loc[test["visit_id"]]
    signed = contract.load(quiet=True)
    return prepare(
        proba,
        y_test,
        p_true=world.true_proba(truth),
        minimum=signed.minimum,
        cost_false_banana=signed.cost_false_banana,
        cost_false_apple=signed.cost_false_apple,
    )


def compute(
    data: ThresholdData,
    threshold: float = 0.75,
    cost_false_banana: float | None = None,
    cost_false_apple: float | None = None,
) -> dict[str, Any]:
    """Everything the explorer shows for one threshold and two costs (euros per mistake).

    Costs default to the contract's. Returns a dict with ``threshold``, the two costs,
    ``counts`` (the confusion matrix, see :data:`CELLS`), ``cost`` (expected cost per
    visit, euros), ``accuracy``, ``meets`` (cost at most the contract's ``minimum``),
    ``best_threshold`` (c_fb / (c_fb + c_fa)), ``contract_costs`` (True when the costs are
    the contract's, for which its minimum was set), the ``curve`` of expected cost along
    :data:`GRID`, and for perfect knowledge ``true_cost`` and ``true_curve`` (or ``None``).
    """
    c_fb = data.cost_false_banana if cost_false_banana is None else float(cost_false_banana)
    c_fa = data.cost_false_apple if cost_false_apple is None else float(cost_false_apple)
    t = float(threshold)
    if not (np.isfinite(c_fb) and np.isfinite(c_fa)) or c_fb < 0 or c_fa < 0:
        raise ValueError("the two costs must be zero or positive numbers (euros per mistake).")
    if not (np.isfinite(t) and 0.0 <= t <= 1.0):
        raise ValueError(f"the threshold must be a probability between 0 and 1, got {threshold}.")
    n = data.n
    counts = data.counts(t)
    cost = (c_fb * counts["false banana"] + c_fa * counts["false apple"]) / n
    accuracy = (counts["true apple"] + counts["true banana"]) / n
    total = c_fb + c_fa
    result: dict[str, Any] = {
        "threshold": t,
        "cost_false_banana": c_fb,
        "cost_false_apple": c_fa,
        "n": n,
        "counts": counts,
        "cost": cost,
        "accuracy": accuracy,
        "minimum": data.minimum,
        "meets": bool(cost <= data.minimum + 1e-12),
        "best_threshold": 0.5 if total <= 0 else round(c_fb / total, 10),
        "contract_costs": bool(
            np.isclose(c_fb, data.cost_false_banana) and np.isclose(c_fa, data.cost_false_apple)
        ),
        "grid": GRID,
        "curve": (c_fb * data.fb_curve + c_fa * data.fa_curve) / n,
        "true_cost": None,
        "true_curve": None,
    }
    if data.true_fb_curve is not None and data.true_fa_curve is not None:
        true_counts = data.counts(t, truth=True)
        result["true_cost"] = (
            c_fb * true_counts["false banana"] + c_fa * true_counts["false apple"]
        ) / n
        result["true_curve"] = (c_fb * data.true_fb_curve + c_fa * data.true_fa_curve) / n
    return result


def _verdict(result: dict[str, Any]) -> str:
    yes = "yes" if result["meets"] else "no"
    return (
        f"Meets the contract (at most {result['minimum']:.3f} EUR per visit): {yes} - "
        f"{result['cost']:.4f} EUR per visit at threshold {result['threshold']:.2f}."
    )


def _cost_note(result: dict[str, Any]) -> str:
    if result["contract_costs"]:
        return ""
    return (
        "Note: these are not the contract's costs; its minimum was set for its own costs, so "
        "read the verdict as a rough guide."
    )


def describe(result: dict[str, Any]) -> str:
    """The result as plain text: costs, confusion matrix and verdict (the widget's twin)."""
    c = result["counts"]
    lines = [
        f"Threshold {result['threshold']:.2f}: predict banana when P(banana) >= "
        f"{result['threshold']:.2f}",
        f"Costs: false banana {result['cost_false_banana']:.2f} EUR, false apple "
        f"{result['cost_false_apple']:.2f} EUR (best threshold for these costs: "
        f"{result['best_threshold']:.2f})",
        f"{'':<17}{'predicted apple':>17}{'predicted banana':>18}",
        f"{'took an apple':<17}{c['true apple']:>6,} true apples{c['false banana']:>7,} false "
        "bananas",
        f"{'took a banana':<17}{c['false apple']:>6,} false apples{c['true banana']:>6,} true "
        "bananas",
        f"Expected cost {result['cost']:.4f} EUR per visit "
        f"({1000 * result['cost']:.2f} EUR per 1,000 visits), accuracy at "
        f"{result['threshold']:.2f}: {result['accuracy']:.3f}",
    ]
    if result["true_cost"] is not None:
        lines.append(
            f"Perfect knowledge at the same threshold: {result['true_cost']:.4f} EUR per visit"
        )
    lines.append(_verdict(result))
    note = _cost_note(result)
    if note:
        lines.append(note)
    return "\n".join(lines)


def table_html(result: dict[str, Any]) -> str:
    """The result as HTML: the confusion matrix as a table, the cost and the verdict."""
    c = result["counts"]
    t = result["threshold"]

    def cell(name: str) -> str:
        return f"<td style='padding:2px 10px'><b>{c[name]:,}</b> {html.escape(name)}s</td>"

    matrix = (
        "<table style='border-collapse:collapse'>"
        f"<tr><th></th><th>predicted apple</th><th>predicted banana</th></tr>"
        f"<tr><th style='text-align:left'>took an apple</th>{cell('true apple')}"
        f"{cell('false banana')}</tr>"
        f"<tr><th style='text-align:left'>took a banana</th>{cell('false apple')}"
        f"{cell('true banana')}</tr></table>"
    )
    mark = "✔ yes" if result["meets"] else "✘ no"
    parts = [
        f"<p>Predict banana when P(banana) ≥ <b>{t:.2f}</b>. Expected cost "
        f"<b>{result['cost']:.4f} € per visit</b> ({1000 * result['cost']:.2f} € per 1,000 "
        f"visits), accuracy at {result['threshold']:.2f}: {result['accuracy']:.3f}.</p>",
        matrix,
        f"<p><b>Meets the contract</b> (at most {result['minimum']:.3f} € per visit): "
        f"<b>{mark}</b>. Best threshold for these costs: {result['best_threshold']:.2f} "
        f"(= {result['cost_false_banana']:.2f} / ({result['cost_false_banana']:.2f} + "
        f"{result['cost_false_apple']:.2f})).</p>",
    ]
    if result["true_cost"] is not None:
        parts.append(
            f"<p>Perfect knowledge at the same threshold: {result['true_cost']:.4f} € per "
            "visit.</p>"
        )
    note = _cost_note(result)
    if note:
        parts.append(f"<p><i>{html.escape(note)}</i></p>")
    return "".join(parts)


class ThresholdPlot:
    """The figure of :func:`plot_threshold`, built once and updated in place (fast redraws).

    Left: expected cost per visit against the threshold, the chosen threshold marked by a
    dotted line and a text label, the contract's minimum by a dash-dotted line and a label.
    Right: the confusion matrix as a table of counts, each cell named in words.
    """

    def __init__(self, fig: Any, data_has_truth: bool) -> None:
        self.fig = fig
        ax, cm = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.7, 1.0]})
        self.ax, self.cm = ax, cm
        (self.curve,) = ax.plot(GRID, np.zeros_like(GRID), color=_BLUE, lw=2, label="tuned model")
        self.true_curve = None
        if data_has_truth:
            (self.true_curve,) = ax.plot(
                GRID, np.zeros_like(GRID), color=_ORANGE, lw=2, ls="--", label="perfect knowledge"
            )
        self.minimum = ax.axhline(0, color=_GREY, lw=1.2, ls="-.", label="contract minimum")
        self.min_label = ax.text(0.02, 0, "", va="top", fontsize=figures.SMALL, color="black")
        self.vline = ax.axvline(0.5, color="black", lw=1.2, ls=":", label="chosen threshold")
        (self.point,) = ax.plot([0.5], [0], "o", color=_BLUE, ms=7, mec="black")
        self.label = ax.text(0.5, 0, "", va="top", fontsize=figures.SMALL)
        ax.set_xlim(0, 1)
        ax.set_xlabel("decision threshold: predict banana when P(banana) ≥ t")
        ax.set_ylabel("expected cost per visit (€)")
        ax.grid(alpha=0.3)
        handles, labels = ax.get_legend_handles_labels()
        fig.legend(
            handles,
            labels,
            loc="lower left",
            bbox_to_anchor=(0.01, 0.01),
            fontsize=figures.SMALL,
            ncol=4,
            frameon=False,
        )
        self.title = ax.set_title("", fontsize=9)

        self.cells: dict[str, Any] = {}
        self.image = cm.imshow(np.zeros((2, 2)), cmap="Blues", vmin=0, vmax=1)
        for (true, pred), name in CELLS.items():
            i, j = ["apple", "banana"].index(true), ["apple", "banana"].index(pred)
            self.cells[name] = cm.text(j, i, "", ha="center", va="center", fontsize=9)
        cm.set_xticks([0, 1], ["apple", "banana"])
        cm.set_yticks([0, 1], ["apple", "banana"])
        cm.set_xlabel("predicted fruit")
        cm.set_ylabel("fruit the customer took")
        self.cm_title = cm.set_title("", fontsize=10)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.28, top=0.9, wspace=0.35)

    def update(self, result: dict[str, Any]) -> None:
        """Show ``result`` (a dict from :func:`compute`)."""
        t, curve = result["threshold"], result["curve"]
        top = max(float(curve.max()), result["minimum"], 1e-3)
        self.curve.set_ydata(curve)
        if self.true_curve is not None and result["true_curve"] is not None:
            self.true_curve.set_ydata(result["true_curve"])
        self.minimum.set_ydata([result["minimum"]] * 2)
        self.min_label.set_position((0.02, result["minimum"] - top * 0.03))
        self.min_label.set_text(f"contract minimum {result['minimum']:.3f} €")
        self.vline.set_xdata([t, t])
        self.point.set_data([t], [result["cost"]])
        right = t > 0.55
        self.label.set_position((t - 0.02 if right else t + 0.02, top * 1.1))
        self.label.set_horizontalalignment("right" if right else "left")
        at_best = bool(np.isclose(t, result["best_threshold"]))
        whose = "contract's " if result["contract_costs"] and at_best else ""
        self.label.set_text(f"{whose}threshold {t:.2f}\n{result['cost']:.4f} € per visit")
        self.ax.set_ylim(0, top * 1.4)
        self.title.set_text(
            f"Cost by threshold (false banana {result['cost_false_banana']:.2f} €, "
            f"false apple {result['cost_false_apple']:.2f} €)"
        )
        counts = result["counts"]
        n = result["n"]
        matrix = np.zeros((2, 2))
        for (true, pred), name in CELLS.items():
            i, j = ["apple", "banana"].index(true), ["apple", "banana"].index(pred)
            matrix[i, j] = counts[name] / n
            self.cells[name].set_text(f"{counts[name]:,}\n{name}s")
            self.cells[name].set_color("white" if matrix[i, j] > 0.3 else "black")
        self.image.set_data(matrix)
        self.image.set_clim(0, max(matrix.max(), 1e-9) / 0.8)
        verdict = "meets the contract" if result["meets"] else "misses the contract"
        self.cm_title.set_text(f"Visits at t = {t:.2f}: {verdict}")

    def png(self, dpi: int = figures.WIDGET_DPI) -> bytes:
        """The figure as PNG bytes."""
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", dpi=dpi)
        return buf.getvalue()


class _BlittedPlot(ThresholdPlot):
    """The widget's figure: the parts that only move with the threshold are blitted.

    A full draw happens when the costs change (the curves and the y axis move); a threshold
    move restores that drawing and redraws only the marker line, its label and the
    confusion matrix - a few milliseconds instead of a whole figure.
    """

    def __init__(self, fig: Any, data_has_truth: bool, dpi: int = figures.WIDGET_DPI) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        super().__init__(fig, data_has_truth)
        fig.set_dpi(dpi)
        self.canvas = FigureCanvasAgg(fig)
        self.moving = [self.vline, self.point, self.label, self.image, self.cm_title]
        self.moving += list(self.cells.values())
        for artist in self.moving:
            artist.set_animated(True)
        self._background: Any = None
        self._key: tuple | None = None

    def update(self, result: dict[str, Any]) -> None:
        key = (result["cost_false_banana"], result["cost_false_apple"], result["minimum"])
        super().update(result)
        if key != self._key:
            self._key, self._background = key, None

    def png(self, dpi: int = figures.WIDGET_DPI) -> bytes:
        png, self._background = blit_png(self.fig, self.moving, self._background)
        return png


_SIZE = (9.0, 4.0)


def plot_threshold(result: dict[str, Any]) -> Any:
    """The static figure: expected cost against the threshold, and the confusion matrix.

    The chosen threshold is marked by a dotted line *and* a label with its cost; the
    contract's minimum by a dash-dotted line and a label. Returns the figure.
    """
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=_SIZE)
    plot = ThresholdPlot(fig, result["true_curve"] is not None)
    plot.update(result)
    return fig


class _ThresholdExplorer(Explorer):
    """An Explorer that redraws one figure in place instead of drawing a new one."""

    def __init__(self, *args: Any, has_truth: bool, **kwargs: Any) -> None:
        from matplotlib.figure import Figure

        # Not registered with pyplot: never shown twice, never left open.
        self._plot = _BlittedPlot(Figure(figsize=_SIZE), has_truth)
        super().__init__(*args, **kwargs)

    def refresh(self) -> None:
        self.result = self.compute(**self.values())
        self.text_html.value = self._text(self.result)
        if self.image is not None:
            self._plot.update(self.result)
            self.image.value = self._plot.png()
        self.updates += 1


def make_widget(data: ThresholdData | None = None, *, threshold: float | None = None) -> Explorer:
    """The threshold-by-cost slider: threshold and two costs -> cost, matrix, verdict, figure.

    ``data`` comes from :func:`prepare` (default: the tuned model on the test rows,
    :func:`default_data`). The sliders start at ``threshold`` (default: the best threshold
    for the contract's costs) and at the contract's costs.
    """
    import ipywidgets as W

    data = default_data() if data is None else data
    total = data.cost_false_banana + data.cost_false_apple
    best = data.cost_false_banana / total if total > 0 else 0.5
    start = best if threshold is None else float(threshold)
    style = {"description_width": "initial"}
    layout = W.Layout(width="300px")

    def slider(value: float, lo: float, hi: float, step: float, description: str) -> Any:
        return W.FloatSlider(
            value=round(min(max(value, lo), hi), 2),
            min=lo,
            max=hi,
            step=step,
            description=description,
            readout_format=".2f",
            style=style,
            layout=layout,
            continuous_update=False,
        )

    controls = {
        "threshold": slider(start, 0.05, 0.95, 0.01, "Threshold:"),
        "cost_false_banana": slider(data.cost_false_banana, 0.0, 1.0, 0.05, "False banana (€):"),
        "cost_false_apple": slider(data.cost_false_apple, 0.0, 1.0, 0.05, "False apple (€):"),
    }
    return _ThresholdExplorer(
        controls,
        partial(compute, data),
        text=table_html,
        figure=plot_threshold,  # the same drawing, updated in place by _ThresholdExplorer
        title="Threshold by cost: what does each decision threshold cost per visit?",
        has_truth=data.true_fb_curve is not None,
    )
