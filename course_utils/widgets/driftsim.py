"""The drift simulator of notebook 08: pick a kind of change and a strength, see what the
monitor sees - and what the model loses.

Two controls: a **scenario** (seasonality, a new student clientele, a banana price shock,
families going off bananas, a thermometer switching to Fahrenheit - see
:mod:`course_utils.drift`) and its **strength** (0 = no change, 1 = the course's year,
2 = twice as strong). For one production month they show

* the drift measures: the PSI of each input against a *normal* month (the same visits
  with no change), as a bar chart with the 0.25 alert line, and the alerts the course's
  rules raise (:func:`course_utils.monitoring.check_month` on the inputs, and - once the
  labels arrive - :func:`course_utils.monitoring.check_live`), as text;
* the cost move, in the success contract's metric: the tuned model's expected cost per
  visit on that month (decided at the contract's threshold, as the service decides), next
  to the best possible (the world's true probabilities at the same threshold: perfect
  knowledge) and the model's cost in a normal month.

Everything heavy happens once in :func:`prepare` (a few strengths per scenario, a modest
number of visits, the model fitted beforehand); :func:`compute` is a dictionary lookup and
the figure of each setting is drawn once, then reused, so an update stays far below the
course's 150 ms budget.

>>> data = prepare(model, history=train, reference_cost=0.027)       # doctest: +SKIP
>>> r = compute(data, scenario="taste_change", strength=1.0)         # doctest: +SKIP
>>> [a["input"] for a in r["alerts"]]                                # doctest: +SKIP
['expected_cost']
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from course_utils import figures
from course_utils.widgets import Explorer, blit_png

__all__ = [
    "BENCH",
    "LABELS",
    "MONTH",
    "STRENGTHS",
    "DriftData",
    "DriftPlot",
    "compute",
    "describe",
    "make_widget",
    "plot_drift",
    "plot_scenarios",
    "prepare",
    "simulate",
    "summary",
]

#: The production month the simulator shows (a summer month: seasons matter most).
MONTH = "2026-07"
#: The strengths computed in advance for each scenario (the slider's stops).
STRENGTHS = (0.0, 0.5, 1.0, 1.5, 2.0)
#: Visits per simulated month (a modest sample keeps :func:`prepare` quick).
N_VISITS = 1000
#: The scenarios in the dropdown, with a label for people.
LABELS = {
    "seasonality": "seasonality (an ordinary month)",
    "covariate_shift": "covariate shift (students arrive)",
    "price_shock": "price shock (bananas get expensive)",
    "taste_change": "taste change (families go off bananas)",
    "unit_switch": "unit switch (thermometer in °F)",
}
#: For ``make bench``: the control to move and the values it takes.
BENCH = ("strength", [0.0, 0.5, 1.0, 1.5, 2.0, 1.0, 0.5, 0.0, 1.5, 2.0])

# Okabe-Ito colours (colour-blind safe); bars above the line are also hatched and labelled.
_BLUE, _ORANGE, _VERMILLION, _GREY = "#0072B2", "#E69F00", "#D55E00", "#555555"
_PSI_MAX = 1.5  # the bar chart's fixed scale: bars beyond it are cut and labelled
PSI_MOVED = 0.10  # below this PSI an input counts as steady (the "stable" level)
_COST_MAX = 0.08  # the cost panel's fixed scale (€ per visit): longer bars are cut and labelled


@dataclass(frozen=True)
class DriftData:
    """Every (scenario, strength) of the simulator, computed once by :func:`prepare`."""

    month: str
    n_visits: int
    strengths: tuple[float, ...]
    results: dict[tuple[str, float], dict[str, Any]]
    normal_cost: float
    reference_cost: float


def simulate(
    model: Any,
    scenario: str,
    strength: float,
    *,
    month: str = MONTH,
    n_visits: int = N_VISITS,
    reference: pd.DataFrame,
    history: pd.DataFrame,
    window: pd.DataFrame,
    contract: Any,
    reference_cost: float,
) -> dict[str, Any]:
    """One month under one scenario: PSI per input, alerts, cost and accuracy (plain data).

    Cost and accuracy come from the same decisions, at the contract's threshold; the
    best possible is the world's true probabilities decided at that threshold.

    ``reference``: the normal month's visits (the PSI's reference); ``history``: the
    training rows with timestamps (seasonal rules); ``window``: the first production
    month (input-drift rule); ``reference_cost``: the model's expected cost on the test
    set (live-metric rule).
    """
    from course_utils import drift, monitoring, world

    m = drift.month(month, scenario, strength, n_visits=n_visits)
    visits = m.visits
    banana = list(model.classes_).index("banana")
    with threadpool_limits(1):  # a small batch: threads cost more than they save
        p = model.predict_proba(visits[world.FEATURES])[:, banana]
    y = visits["fruit"].to_numpy() == "banana"
    psi = pd.Series(
        {c: monitoring.psi(reference[c], visits[c]) for c in world.FEATURES}, name="psi"
    )
    calendar_month = pd.Period(month, freq="M").month
    rules = pd.concat(
        [
            monitoring.check_month(visits, history=history, window=window, month=calendar_month),
            monitoring.check_live(visits["fruit"], p, contract, reference_cost=reference_cost),
        ],
        ignore_index=True,
    )
    fired = rules[rules["alert"]]
    live = monitoring.live_metrics(visits["fruit"], p, contract)
    best = monitoring.live_metrics(visits["fruit"], m.p_banana, contract)
    return {
        "scenario": scenario,
        "strength": float(strength),
        "month": m.period,
        "n_visits": len(visits),
        "psi": psi,
        "alerts": fired.to_dict("records"),
        "threshold": live["threshold"],
        "expected_cost": live["expected_cost"],
        "accuracy": live["accuracy"],
        "best_cost": best["expected_cost"],
        "banana_share": float(y.mean()),
    }


def prepare(
    model: Any = None,
    *,
    history: pd.DataFrame | None = None,
    reference_cost: float | None = None,
    contract: Any = None,
    month: str = MONTH,
    n_visits: int = N_VISITS,
    strengths: tuple[float, ...] = STRENGTHS,
) -> DriftData:
    """Simulate every scenario at every strength once (about a second).

    ``model``: a fitted pipeline (default: ``checkpoints.tuned_model()``, a few seconds);
    ``history``: the training rows with timestamps (default: ``checkpoints.split()[0]``);
    ``reference_cost``: the model's expected cost on the test set (default: computed on
    ``checkpoints.split()[1]``); ``contract``: the success contract (default: the course's).
    """
    from course_utils import checkpoints, drift, monitoring, world
    from course_utils import contract as contracts

    if model is None:
        model = checkpoints.tuned_model()
    contract = contracts.DEFAULT if contract is None else contract
    if history is None or reference_cost is None:
        train, test = checkpoints.split()
        history = train if history is None else history
        if reference_cost is None:
            banana = list(model.classes_).index("banana")
            with threadpool_limits(1):
                p = model.predict_proba(test[world.FEATURES])[:, banana]
            reference_cost = monitoring.live_metrics(test["fruit"], p, contract)["expected_cost"]
    normal = drift.month(month, "seasonality", 1.0, n_visits=n_visits).visits
    window = drift.month(drift.PRODUCTION_START, "seasonality", 1.0, n_visits=n_visits).visits
    common = {
        "month": month,
        "n_visits": n_visits,
        "reference": normal,
        "history": history,
        "window": window,
        "contract": contract,
        "reference_cost": float(reference_cost),
    }
    results: dict[tuple[str, float], dict[str, Any]] = {}
    unchanged: dict[str, Any] | None = None
    for scenario in drift.SCENARIOS:
        for strength in strengths:
            # Strength 0 of a change, and seasonality at 1, are the same normal month.
            is_normal = (scenario == "seasonality" and strength == 1.0) or (
                scenario != "seasonality" and strength == 0.0
            )
            if is_normal and unchanged is not None:
                result = {**unchanged, "scenario": scenario, "strength": float(strength)}
            else:
                result = simulate(model, scenario, strength, **common)
                if is_normal:
                    unchanged = result
            results[(scenario, float(strength))] = result
    assert unchanged is not None
    return DriftData(
        month=month,
        n_visits=n_visits,
        strengths=tuple(float(s) for s in strengths),
        results=results,
        normal_cost=unchanged["expected_cost"],
        reference_cost=float(reference_cost),
    )


def compute(data: DriftData, scenario: str, strength: float) -> dict[str, Any]:
    """The result for a scenario and a strength (the nearest one computed in advance)."""
    if not any(key[0] == scenario for key in data.results):
        known = ", ".join(sorted({k[0] for k in data.results}))
        raise ValueError(f"unknown scenario {scenario!r}; choose one of {known}")
    nearest = min(data.strengths, key=lambda s: abs(s - float(strength)))
    result = dict(data.results[(scenario, nearest)])
    result["normal_cost"] = data.normal_cost
    result["reference_cost"] = data.reference_cost
    return result


def _alert_text(alert: dict[str, Any]) -> str:
    value, threshold = alert["value"], alert["threshold"]
    return (
        f"{alert['rule']}: {alert['input']} - {alert['measure']} {value:.3g} "
        f"(threshold {threshold:.3g})"
    )


def describe(result: dict[str, Any]) -> str:
    """The result as HTML: cost move, the inputs that moved, the alerts (the text twin)."""
    label = LABELS.get(result["scenario"], result["scenario"])
    moved = result["psi"][result["psi"] > PSI_MOVED].sort_values(ascending=False)
    moved_text = (
        ", ".join(f"{html.escape(c)} {v:.2f}" for c, v in moved.items())
        if len(moved)
        else "none (every PSI at most 0.10)"
    )
    above = result["expected_cost"] - result["best_cost"]
    parts = [
        f"<p><b>{html.escape(label)}</b>, strength {result['strength']:.1f}, "
        f"{result['month']} ({result['n_visits']:,} visits).</p>",
        f"<p>Expected cost of the tuned model: <b>{result['expected_cost']:.4f} €</b> per visit "
        f"(in a normal month: {result['normal_cost']:.4f} €; test set: "
        f"{result['reference_cost']:.4f} €); best possible this month (perfect knowledge): "
        f"{result['best_cost']:.4f} € - {above:.4f} € above it. Accuracy of the same "
        f"decisions (at {result['threshold']:.2f}): {result['accuracy']:.3f}.</p>",
        f"<p>Inputs that moved (PSI above 0.10 against a normal month): {moved_text}.</p>",
    ]
    if result["alerts"]:
        items = "".join(f"<li>{html.escape(_alert_text(a))}</li>" for a in result["alerts"])
        parts.append(f"<p><b>Alerts ({len(result['alerts'])}):</b></p><ul>{items}</ul>")
    else:
        parts.append("<p><b>Alerts: none</b> - nobody is paged.</p>")
    return "".join(parts)


class DriftPlot:
    """The widget's figure, built once and updated in place (fast redraws).

    Left: the PSI of each input against a normal month, one bar each, with the 0.25 alert
    line; bars above it are vermillion, hatched *and* labelled with their value. Right:
    expected cost of the tuned model this month, in a normal month, and the best possible.
    """

    def __init__(
        self, fig: Any, names: list[str], *, compact: bool = False, ax: Any = None
    ) -> None:
        self.fig, self.compact = fig, compact
        self.names = list(names)[::-1]  # first input at the top
        size = figures.SMALL
        if compact:
            self.ax, self.acc = (ax if ax is not None else fig.subplots()), None
        else:
            self.ax, self.acc = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.7, 1.0]})
        ax = self.ax
        self.bars = ax.barh(
            self.names, np.zeros(len(self.names)), color=_BLUE, edgecolor="black", linewidth=0.6
        )
        self.labels = [
            ax.text(0, i, "", va="center", fontsize=size, fontweight="bold")
            for i in range(len(self.names))
        ]
        self.quiet = ax.text(
            _PSI_MAX * 0.62,
            (len(self.names) - 1) / 2,
            "",
            ha="center",
            va="center",
            fontsize=size + 1,
            style="italic",
        )
        ax.axvline(0.25, color="black", ls="--", lw=1.2)
        ax.text(0.27, len(self.names) - 0.4, "alert 0.25", fontsize=size, va="top")
        ax.set_xlim(0, _PSI_MAX)
        ax.tick_params(axis="y", labelsize=size)
        ax.grid(axis="x", alpha=0.3)
        ax.set_xlabel(
            "PSI vs a normal month" if compact else "PSI against a normal month (alert above 0.25)",
            fontsize=size if compact else None,
        )
        self.title = ax.set_title("", fontsize=size if compact else 10)
        if self.acc is not None:
            acc = self.acc
            names = [
                "best possible\n(perfect knowledge)",
                "tuned model,\nnormal month",
                "tuned model,\nthis month",
            ]
            self.acc_bars = acc.barh(
                names, np.zeros(3), color=[_GREY, _ORANGE, _BLUE], edgecolor="black"
            )
            for bar, hatch in zip(self.acc_bars, ["..", "", "//"], strict=True):
                bar.set_hatch(hatch)
            self.acc_labels = [
                acc.text(0, i, "", va="center", ha="left", fontsize=figures.SMALL) for i in range(3)
            ]
            acc.set_xlim(0, _COST_MAX)
            acc.set_xlabel("expected cost (€ per visit)")
            acc.set_title("What the mistakes cost", fontsize=10)
            acc.tick_params(axis="y", labelsize=8)
            fig.subplots_adjust(left=0.13, right=0.98, bottom=0.17, top=0.89, wspace=0.6)

    def update(self, result: dict[str, Any]) -> None:
        """Show ``result`` (a dict from :func:`compute`)."""
        values = result["psi"][self.names].to_numpy()
        for bar, label, v in zip(self.bars, self.labels, values, strict=True):
            alert = v > 0.25
            x = min(v, _PSI_MAX)
            bar.set_width(x)
            bar.set_facecolor(_VERMILLION if alert else _BLUE)
            bar.set_hatch("//" if alert else "")
            inside = x > _PSI_MAX * 0.6
            shown = f"{v:.2f}" + (" (cut)" if v > _PSI_MAX else "")
            label.set_text(shown if v > PSI_MOVED else "")
            label.set_x(x - 0.03 if inside else x + 0.03)
            label.set_horizontalalignment("right" if inside else "left")
            label.set_bbox(
                {"facecolor": "white", "edgecolor": "none", "pad": 1} if inside else None
            )
        moved = bool((values > PSI_MOVED).any())
        self.quiet.set_text("" if moved else f"no input moved\n(every PSI ≤ {PSI_MOVED:.2f})")
        if self.compact:
            n = len(result["alerts"])
            label = LABELS.get(result["scenario"], result["scenario"])
            self.title.set_text(
                label.replace(" (", "\n(")
                + f"\ncost {result['expected_cost']:.4f} € (best {result['best_cost']:.4f})"
                + f"\n{n} alert{'s' if n != 1 else ''}"
            )
            return
        self.title.set_text(
            f"Drift of each input: {result['scenario']}, strength {result['strength']:.1f}"
        )
        values = [result["best_cost"], result["normal_cost"], result["expected_cost"]]
        for bar, label, v in zip(self.acc_bars, self.acc_labels, values, strict=True):
            bar.set_width(min(v, _COST_MAX))
            label.set_text(f"{v:.4f}" + (" (cut)" if v > _COST_MAX else ""))
            label.set_x(min(v, _COST_MAX * 0.78) + 0.001)

    def png(self, dpi: int = figures.WIDGET_DPI) -> bytes:
        """The figure as PNG bytes (drawn with the Agg canvas, fast compression)."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image

        canvas = self.fig.canvas
        if not isinstance(canvas, FigureCanvasAgg):
            canvas = FigureCanvasAgg(self.fig)
        self.fig.set_dpi(dpi)
        canvas.draw()
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw")
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="png", compress_level=1)
        return buf.getvalue()


_SIZE = (8.4, 3.4)


def plot_drift(result: dict[str, Any]) -> Any:
    """The widget's figure as a static figure: PSI per input and the cost move."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=_SIZE)
    DriftPlot(fig, list(result["psi"].index)).update(result)
    return fig


def plot_scenarios(data: DriftData, strength: float = 1.0) -> Any:
    """The static twin of the widget: every scenario at one strength, side by side."""
    import matplotlib.pyplot as plt

    from course_utils import drift

    ncols = 3  # at most the course's figure width: panels in rows of three
    nrows = -(-len(drift.SCENARIOS) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(figures.MAX_WIDTH, 3.6 * nrows), sharey=True, squeeze=False
    )
    axes = axes.ravel()
    for ax, scenario in zip(axes, drift.SCENARIOS, strict=False):
        result = compute(data, scenario, strength)
        DriftPlot(fig, list(result["psi"].index), compact=True, ax=ax).update(result)
    for ax in axes[len(drift.SCENARIOS) :]:
        ax.remove()  # an empty place in the last row
    fig.suptitle(
        f"Each kind of change at strength {strength:.1f}, {data.month}: which inputs move\n"
        "(hatched bars: PSI above 0.25) and what the model's mistakes cost",
        fontsize=11,
    )
    fig.tight_layout()
    return fig


def _alert_summary(alerts: list[dict[str, Any]]) -> str:
    """ "rule: input (n checks)" per rule and input, the stores counted together."""
    counts: dict[str, int] = {}
    for a in alerts:
        key = f"{a['rule']}: {str(a['input']).split(' @ ')[0]}"
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return "none"
    return "; ".join(k + (f" ({n} checks)" if n > 1 else "") for k, n in counts.items())


def summary(data: DriftData, strength: float = 1.0) -> pd.DataFrame:
    """One row per scenario at ``strength``: the input that moved most, alerts, cost.

    Costs in € per visit; the accuracy is of the same decisions, at the contract's
    threshold (named in the column)."""
    rows = []
    for (scenario, s), _ in data.results.items():
        if s != float(strength):
            continue
        r = compute(data, scenario, s)
        top = r["psi"].idxmax()
        rows.append(
            {
                "scenario": scenario,
                "largest PSI": f"{top} {r['psi'][top]:.2f}",
                "alerts": _alert_summary(r["alerts"]),
                "cost (€/visit)": round(r["expected_cost"], 4),
                "best possible (€/visit)": round(r["best_cost"], 4),
                f"accuracy (at {r['threshold']:.2f})": round(r["accuracy"], 3),
            }
        )
    return pd.DataFrame(rows).set_index("scenario")


class _BlittedDriftPlot(DriftPlot):
    """The widget's figure: the axes are drawn once, only bars and labels are redrawn."""

    def __init__(self, fig: Any, names: list[str], dpi: int = figures.WIDGET_DPI) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        super().__init__(fig, names)
        fig.set_dpi(dpi)
        self.canvas = FigureCanvasAgg(fig)
        self.moving = [*self.bars, *self.labels, self.title, self.quiet]
        self.moving += [*self.acc_bars, *self.acc_labels]
        for artist in self.moving:
            artist.set_animated(True)
        self._background: Any = None

    def png(self, dpi: int = figures.WIDGET_DPI) -> bytes:
        png, self._background = blit_png(self.fig, self.moving, self._background)
        return png


class _DriftExplorer(Explorer):
    """An Explorer that redraws one figure in place and keeps each setting's PNG."""

    def __init__(self, *args: Any, names: list[str], **kwargs: Any) -> None:
        from matplotlib.figure import Figure

        # Not registered with pyplot: never shown twice, never left open.
        self._plot = _BlittedDriftPlot(Figure(figsize=_SIZE), names)
        self._pngs: dict[tuple[str, float], bytes] = {}
        super().__init__(*args, **kwargs)

    def refresh(self) -> None:
        self.result = self.compute(**self.values())
        self.text_html.value = self._text(self.result)
        if self.image is not None:
            key = (self.result["scenario"], self.result["strength"])
            if key not in self._pngs:
                self._plot.update(self.result)
                self._pngs[key] = self._plot.png()
            self.image.value = self._pngs[key]
        self.updates += 1


def make_widget(
    model: Any = None,
    *,
    data: DriftData | None = None,
    history: pd.DataFrame | None = None,
    reference_cost: float | None = None,
    scenario: str = "taste_change",
    strength: float = 1.0,
) -> Explorer:
    """The drift simulator: a scenario dropdown and a strength slider (0-2).

    Pass ``data`` from :func:`prepare`, or the arguments :func:`prepare` takes (``model``,
    ``history``, ``reference_cost``); with nothing, everything is built from the
    checkpoints (a few seconds).
    """
    import ipywidgets as W

    if data is None:
        data = prepare(model, history=history, reference_cost=reference_cost)
    style = {"description_width": "initial"}
    controls = {
        "scenario": W.Dropdown(
            options=[(label, key) for key, label in LABELS.items()],
            value=scenario,
            description="Scenario:",
            style=style,
            layout=W.Layout(width="370px"),
        ),
        "strength": W.FloatSlider(
            value=strength,
            min=min(data.strengths),
            max=max(data.strengths),
            step=float(np.min(np.diff(sorted(data.strengths)))) if len(data.strengths) > 1 else 1,
            description="Strength:",
            readout_format=".1f",
            style=style,
            layout=W.Layout(width="300px"),
            continuous_update=False,
        ),
    }
    return _DriftExplorer(
        controls,
        partial(compute, data),
        text=describe,
        figure=plot_drift,  # the same drawing, updated in place by _DriftExplorer
        names=list(next(iter(data.results.values()))["psi"].index),
        title=f"Drift simulator: one production month ({data.month}) under each kind of change",
    )
