"""The cost-of-errors explorer of notebook 01: what do the two mistakes cost, per strategy?

Two sliders set the cost of a *false banana* (we predicted banana, the customer took an
apple: a banana stocked and offered for nothing) and of a *false apple* (we predicted
apple, the customer wanted a banana: a missed sale). For each strategy - always banana,
always apple, the rule of thumb, and perfect knowledge (the world's true probabilities
with the best threshold) - the explorer shows the expected cost per visit, and draws the
expected cost of perfect knowledge against the decision threshold.

The logic is plain and tested: :func:`prepare` turns the arrays into precomputed counts
once, :func:`compute_costs` answers for any two costs in microseconds, :func:`describe`,
:func:`table_html` and :func:`plot_costs` render the result. The widget is thin wiring.

>>> import numpy as np
>>> data = prepare(np.array([0.9, 0.2, 0.6]), np.array(["banana", "apple", "apple"]),
...                np.array([True, False, False]))
>>> result = compute_costs(data, cost_false_banana=0.30, cost_false_apple=0.10)
>>> result["threshold"]
0.75
>>> round(result["costs"]["always banana"], 3)  # two apples out of three visits, 0.30 each
0.2
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
from course_utils.widgets import Explorer

__all__ = [
    "BENCH",
    "STRATEGIES",
    "CostData",
    "CostPlot",
    "best_threshold",
    "compute_costs",
    "default_data",
    "describe",
    "make_widget",
    "plot_costs",
    "prepare",
    "rule_of_thumb",
    "table_html",
]

#: The strategies compared, in the order of the table.
STRATEGIES = ("always banana", "always apple", "rule of thumb", "perfect knowledge")
#: The thresholds of the curve: predict banana when P(banana) >= threshold.
THRESHOLDS = np.linspace(0.0, 1.0, 201)
#: For ``make bench``: the control to move and the values it takes.
BENCH = ("cost_false_banana", [0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0, 0.5, 0.25])

# Okabe-Ito colours (colour-blind safe); every line also has its own style and a label.
_BLUE, _ORANGE, _VERMILLION, _GREY = "#0072B2", "#E69F00", "#D55E00", "#555555"


@dataclass(frozen=True)
class CostData:
    """Counts precomputed once from the visits, so any pair of costs is answered instantly.

    Build it with :func:`prepare`. ``fb_curve[i]`` and ``fa_curve[i]`` count the false
    bananas and false apples of perfect knowledge at ``THRESHOLDS[i]``.
    """

    n: int
    n_banana: int
    p_apple_sorted: np.ndarray
    p_banana_sorted: np.ndarray
    rule_false_banana: int
    rule_false_apple: int
    fb_curve: np.ndarray
    fa_curve: np.ndarray

    @property
    def n_apple(self) -> int:
        """Visits that ended with an apple."""
        return self.n - self.n_banana

    def errors_at(self, threshold: float) -> tuple[int, int]:
        """(false bananas, false apples) when predicting banana for P(banana) >= threshold."""
        fb = self.n_apple - int(np.searchsorted(self.p_apple_sorted, threshold, side="left"))
        fa = int(np.searchsorted(self.p_banana_sorted, threshold, side="left"))
        return fb, fa


def _as_bool(values: Any, name: str, positive: str = "banana") -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one value per visit (1-D), got shape {arr.shape}.")
    if arr.dtype == bool:
        return arr
    if arr.dtype.kind in "OUS":
        text = pd.Series(arr, dtype=object).astype(str).str.strip().str.lower()
        unknown = sorted(set(text) - {"apple", "banana"})
        if unknown:
            raise ValueError(f"{name} must hold 'apple' or 'banana', found {unknown[:3]}.")
        return (text == positive).to_numpy()
    if arr.dtype.kind in "biuf" and np.isin(arr, [0, 1]).all():
        return arr.astype(bool)
    raise ValueError(f"{name} must be True/False or 'apple'/'banana' per visit.")


def prepare(p_banana: Any, fruit: Any, rule_says_banana: Any) -> CostData:
    """Precompute the counts the explorer needs.

    ``p_banana``: the true probability of banana per visit; ``fruit``: what each visit
    bought ("apple"/"banana" or True for banana); ``rule_says_banana``: the rule of thumb's
    prediction per visit (True = banana). All three have one value per visit.
    """
    p = np.asarray(p_banana, dtype=float)
    is_banana = _as_bool(fruit, "fruit")
    rule = _as_bool(rule_says_banana, "rule_says_banana")
    if not (len(p) == len(is_banana) == len(rule)) or len(p) == 0:
        raise ValueError(
            "p_banana, fruit and rule_says_banana need one value per visit each; got "
            f"{len(p)}, {len(is_banana)} and {len(rule)}."
        )
    if not np.isfinite(p).all() or (p < 0).any() or (p > 1).any():
        raise ValueError("p_banana must hold probabilities between 0 and 1 (no NaN).")
    p_apple = np.sort(p[~is_banana])
    p_banana_sorted = np.sort(p[is_banana])
    fb_curve = len(p_apple) - np.searchsorted(p_apple, THRESHOLDS, side="left")
    fa_curve = np.searchsorted(p_banana_sorted, THRESHOLDS, side="left")
    return CostData(
        n=len(p),
        n_banana=int(is_banana.sum()),
        p_apple_sorted=p_apple,
        p_banana_sorted=p_banana_sorted,
        rule_false_banana=int((rule & ~is_banana).sum()),
        rule_false_apple=int((~rule & is_banana).sum()),
        fb_curve=fb_curve,
        fa_curve=fa_curve,
    )


def rule_of_thumb(visits: pd.DataFrame) -> np.ndarray:
    """Notebook 01's rule: banana at the Station in the rush hours or for households with
    children, else apple (True = banana)."""
    station_rush = (visits["store"] == "Station") & visits["hour"].isin([7, 8, 9, 16, 17, 18])
    return (station_rush | (visits["has_kids"] == 1)).to_numpy(dtype=bool)


@cache
def default_data() -> CostData:
    """The training rows of the standard split, with their true probabilities (cached)."""
    from course_utils import checkpoints, world

    train, _ = checkpoints.split()
    truth = train[["visit_id"]].merge(world.generate().visits, on="visit_id", how="left")
    return prepare(world.true_proba(truth), train["fruit"], rule_of_thumb(train))


def best_threshold(cost_false_banana: float, cost_false_apple: float) -> float:
    """Predict banana when P(banana) is at least this: c_fb / (c_fb + c_fa).

    Predicting banana costs ``c_fb * (1 - p)`` on average, apple ``c_fa * p``; banana is
    cheaper when ``p >= c_fb / (c_fb + c_fa)``. With both costs zero, 0.5.

    >>> best_threshold(0.30, 0.10)
    0.75
    """
    total = cost_false_banana + cost_false_apple
    return 0.5 if total <= 0 else round(cost_false_banana / total, 10)


def compute_costs(
    data: CostData, cost_false_banana: float = 0.30, cost_false_apple: float = 0.10
) -> dict[str, Any]:
    """Expected cost per visit (euros) and accuracy of each strategy, for these two costs.

    Returns a dict: ``costs`` and ``accuracy`` (strategy -> value, see :data:`STRATEGIES`),
    ``threshold`` (the best threshold), ``cheapest_simple`` (the cheapest strategy that
    needs no model), ``curve`` (expected cost of perfect knowledge at each of
    :data:`THRESHOLDS`) and the two costs.
    """
    c_fb, c_fa = float(cost_false_banana), float(cost_false_apple)
    if not (np.isfinite(c_fb) and np.isfinite(c_fa)) or c_fb < 0 or c_fa < 0:
        raise ValueError("the two costs must be zero or positive numbers (euros per mistake).")
    n = data.n
    threshold = best_threshold(c_fb, c_fa)
    errors = {
        "always banana": (data.n_apple, 0),
        "always apple": (0, data.n_banana),
        "rule of thumb": (data.rule_false_banana, data.rule_false_apple),
        "perfect knowledge": data.errors_at(threshold),
    }
    costs = {k: (c_fb * fb + c_fa * fa) / n for k, (fb, fa) in errors.items()}
    accuracy = {k: 1 - (fb + fa) / n for k, (fb, fa) in errors.items()}
    simple = [k for k in STRATEGIES if k != "perfect knowledge"]
    cheapest = min(simple, key=lambda k: (round(costs[k], 12), simple.index(k)))
    curve = (c_fb * data.fb_curve + c_fa * data.fa_curve) / n
    return {
        "cost_false_banana": c_fb,
        "cost_false_apple": c_fa,
        "threshold": threshold,
        "costs": costs,
        "accuracy": accuracy,
        "cheapest_simple": cheapest,
        "thresholds": THRESHOLDS,
        "curve": curve,
    }


def describe(result: dict[str, Any]) -> str:
    """The result as plain text: a table and the best threshold (the widget's text twin)."""
    lines = [
        f"Costs: false banana {result['cost_false_banana']:.2f} EUR, "
        f"false apple {result['cost_false_apple']:.2f} EUR",
        f"{'strategy':<19}{'accuracy':>10}{'cost per visit':>16}",
    ]
    for k in STRATEGIES:
        mark = "  <- cheapest without a model" if k == result["cheapest_simple"] else ""
        lines.append(f"{k:<19}{result['accuracy'][k]:>10.3f}{result['costs'][k]:>12.4f} EUR{mark}")
    lines.append(_threshold_sentence(result))
    return "\n".join(lines)


def _threshold_sentence(result: dict[str, Any]) -> str:
    c_fb, c_fa, t = result["cost_false_banana"], result["cost_false_apple"], result["threshold"]
    if c_fb + c_fa == 0:
        return (
            "Both mistakes are free: every strategy costs nothing (threshold 0.50 by convention)."
        )
    return (
        f"Best decision threshold: predict banana when P(banana) >= {t:.2f} "
        f"(= {c_fb:.2f} / ({c_fb:.2f} + {c_fa:.2f}))."
    )


def table_html(result: dict[str, Any]) -> str:
    """The result as an HTML table and a sentence: the widget's text equivalent."""
    rows = []
    for k in STRATEGIES:
        mark = " ← cheapest without a model" if k == result["cheapest_simple"] else ""
        rows.append(
            f"<tr><td style='text-align:left'>{html.escape(k)}</td>"
            f"<td>{result['accuracy'][k]:.3f}</td><td>{result['costs'][k]:.4f} €</td>"
            f"<td style='text-align:left'>{html.escape(mark)}</td></tr>"
        )
    head = (
        "<tr><th style='text-align:left'>strategy</th><th>accuracy</th>"
        "<th>expected cost per visit</th><th></th></tr>"
    )
    return (
        "<table style='border-collapse:collapse'>"
        + head
        + "".join(rows)
        + "</table><p>"
        + html.escape(_threshold_sentence(result))
        + "</p>"
    )


class CostPlot:
    """The figure of :func:`plot_costs`, built once and updated in place (fast redraws).

    ``update(result)`` moves the lines, markers and labels to a new result of
    :func:`compute_costs`; ``png()`` renders the figure (used by the widget).
    """

    def __init__(self, ax: Any) -> None:
        self.ax = ax
        self.fig = ax.figure
        x = THRESHOLDS
        (self.curve,) = ax.plot(
            x, np.zeros_like(x), color=_BLUE, lw=2, label="perfect knowledge,\nby threshold"
        )
        self.rule = ax.axhline(0, color=_ORANGE, lw=2, ls="--", label="rule of thumb")
        self.vline = ax.axvline(0.5, color="black", lw=1.2, ls=":", label="best threshold")
        (self.best,) = ax.plot([0.5], [0], "o", color=_BLUE, ms=7, mec="black")
        (self.banana,) = ax.plot(
            [0.0], [0], "s", color=_VERMILLION, ms=7, mec="black", label="always banana"
        )
        (self.apple,) = ax.plot(
            [1.0], [0], "^", color=_GREY, ms=8, mec="black", label="always apple"
        )
        self.label = ax.text(0.5, 0, "", va="top", fontsize=9)
        ax.set_xlim(-0.03, 1.03)
        ax.set_xlabel("decision threshold t: predict banana when P(banana) ≥ t")
        ax.set_ylabel("expected cost per visit (€)")
        self.title = ax.set_title("", fontsize=11)
        ax.legend(
            loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=figures.SMALL, frameon=False
        )
        ax.grid(alpha=0.3)

    def update(self, result: dict[str, Any]) -> None:
        """Show ``result`` (a dict from :func:`compute_costs`)."""
        costs, t, y = result["costs"], result["threshold"], result["curve"]
        top = max(float(y.max()), costs["rule of thumb"], 1e-3)
        self.curve.set_ydata(y)
        self.rule.set_ydata([costs["rule of thumb"]] * 2)
        self.vline.set_xdata([t, t])
        self.best.set_data([t], [costs["perfect knowledge"]])
        self.banana.set_data([0.0], [costs["always banana"]])
        self.apple.set_data([1.0], [costs["always apple"]])
        left = t > 0.6
        self.label.set_position((t - 0.015 if left else t + 0.015, top * 1.33))
        self.label.set_horizontalalignment("right" if left else "left")
        self.label.set_text(
            f"best threshold t = {t:.2f}\ncost {costs['perfect knowledge']:.3f} € per visit"
        )
        self.ax.set_ylim(0, top * 1.38)
        self.title.set_text(
            f"False banana {result['cost_false_banana']:.2f} €, "
            f"false apple {result['cost_false_apple']:.2f} €: expected cost by threshold"
        )

    def png(self, dpi: int = figures.WIDGET_DPI) -> bytes:
        """The figure as PNG bytes."""
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", dpi=dpi)
        return buf.getvalue()


def _new_figure(pyplot: bool) -> Any:
    size = (8.0, 3.7)
    if pyplot:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=size)
    else:  # not registered with pyplot: never shown twice, never left open
        from matplotlib.figure import Figure

        fig = Figure(figsize=size)
        ax = fig.add_subplot()
    fig.subplots_adjust(left=0.09, right=0.79, bottom=0.14, top=0.9)
    return ax


def plot_costs(result: dict[str, Any], ax: Any = None) -> Any:
    """Expected cost per visit of perfect knowledge against the decision threshold.

    The best threshold is marked by a dotted vertical line and a text label; the rule of
    thumb is a dashed line; the two ends of the curve are the constant strategies (t = 0:
    always banana, t = 1: always apple). Returns the figure.
    """
    plot = CostPlot(_new_figure(pyplot=True) if ax is None else ax)
    plot.update(result)
    return plot.fig


class _CostExplorer(Explorer):
    """An Explorer that redraws one figure in place instead of drawing a new one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._plot = CostPlot(_new_figure(pyplot=False))
        super().__init__(*args, **kwargs)

    def refresh(self) -> None:
        self.result = self.compute(**self.values())
        self.text_html.value = self._text(self.result)
        if self.image is not None:
            self._plot.update(self.result)
            self.image.value = self._plot.png()
        self.updates += 1


def make_widget(
    data: CostData | None = None,
    *,
    cost_false_banana: float = 0.30,
    cost_false_apple: float = 0.10,
) -> Explorer:
    """The cost-of-errors explorer: two cost sliders -> table, best threshold and figure.

    ``data`` comes from :func:`prepare` (default: the training rows of the standard split,
    :func:`default_data`).
    """
    import ipywidgets as W

    data = default_data() if data is None else data
    style = {"description_width": "initial"}
    layout = W.Layout(width="340px")
    controls = {
        "cost_false_banana": W.FloatSlider(
            value=cost_false_banana,
            min=0.0,
            max=1.0,
            step=0.05,
            description="False banana (€):",
            readout_format=".2f",
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "cost_false_apple": W.FloatSlider(
            value=cost_false_apple,
            min=0.0,
            max=1.0,
            step=0.05,
            description="False apple (€):",
            readout_format=".2f",
            style=style,
            layout=layout,
            continuous_update=False,
        ),
    }
    return _CostExplorer(
        controls,
        partial(compute_costs, data),
        text=table_html,
        figure=plot_costs,  # the same drawing, updated in place by _CostExplorer
        title="Cost-of-errors explorer: what does each strategy cost per visit?",
    )
