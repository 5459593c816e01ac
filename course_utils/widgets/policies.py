"""The policy comparer of notebook 09: when should a deployed model be retrained?

Two drop-downs choose a retraining **policy** - never, on a schedule, when an alert fires -
and its **setting** (how often for a schedule; which training window when an alert fires).
The comparer shows the policy's expected cost per visit (the success contract's metric)
month by month over the production year against never retraining and the best possible
(perfect knowledge at the same threshold), and says in words how many times it retrained,
when, and how far above the best possible it ends the year.

The logic is plain and tested: :func:`prepare` simulates every policy variant once with
:func:`course_utils.retraining.simulate` (a few seconds; the fitted models are shared with
the notebook), :func:`compute` picks one in microseconds, :func:`describe`,
:func:`text_html` and :func:`plot_comparison` render it. :func:`plot_all` and
:func:`table_all` are the static fallback: every variant at once.

>>> SETTINGS["schedule"][1]
('every 3 months', '3')
>>> label_of("on_alert", "recent")
'on alert, last 3 months'
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from course_utils import figures, retraining
from course_utils.widgets import Explorer, blit_png

__all__ = [
    "BENCH",
    "POLICY_OPTIONS",
    "SETTINGS",
    "PolicyData",
    "compute",
    "describe",
    "label_of",
    "make_widget",
    "plot_all",
    "plot_comparison",
    "prepare",
    "table_all",
    "text_html",
]

#: The policy drop-down: (shown text, value).
POLICY_OPTIONS = [
    ("never retrain", "never"),
    ("retrain on a schedule", "schedule"),
    ("retrain when an alert fires", "on_alert"),
]
#: The setting drop-down of each policy: (shown text, value).
SETTINGS: dict[str, list[tuple[str, str]]] = {
    "never": [("(nothing to set)", "-")],
    "schedule": [("every month", "1"), ("every 3 months", "3"), ("every 6 months", "6")],
    "on_alert": [("train on all data", "all"), ("train on the last 3 months", "recent")],
}
DEFAULT_SETTING = {"never": "-", "schedule": "3", "on_alert": "all"}
#: For ``make bench``: the control to move and the values it takes.
BENCH = ("policy", ["never", "on_alert", "schedule", "never", "schedule", "on_alert"] * 2)

_LABELS = {
    ("never", "-"): "never",
    ("schedule", "1"): "every month",
    ("schedule", "3"): "every 3 months",
    ("schedule", "6"): "every 6 months",
    ("on_alert", "all"): "on alert, all data",
    ("on_alert", "recent"): "on alert, last 3 months",
}


def label_of(policy: str, setting: str) -> str:
    """The label of a policy variant (as in :data:`course_utils.retraining.STANDARD_VARIANTS`)."""
    key = (policy, str(setting))
    if key not in _LABELS:
        options = ", ".join(repr(v) for _, v in SETTINGS.get(policy, []))
        if policy not in SETTINGS:
            raise ValueError(f"policy must be one of {list(SETTINGS)}, got {policy!r}")
        raise ValueError(f"the setting of {policy!r} must be one of {options}, got {setting!r}")
    return _LABELS[key]


@dataclass(frozen=True)
class PolicyData:
    """Every policy variant simulated once: ``sims`` by label, and the ``year``."""

    year: Any
    sims: dict


def prepare(year: Any = None) -> PolicyData:
    """Simulate the standard policy variants (shared with the notebook: fits are cached)."""
    year = retraining.production_year() if year is None else year
    return PolicyData(year=year, sims=retraining.standard_policies(year))


def compute(data: PolicyData, policy: str = "schedule", setting: str = "3") -> dict[str, Any]:
    """One policy variant against never retraining and the best possible.

    Returns a dict: ``label``, ``policy``, the ``sim`` and ``never`` simulations, ``best``
    (the best possible cost per month), ``months`` (names), ``retrains``,
    ``retrain_months`` (the months at whose end it retrained), ``mean`` and ``final`` cost
    (€ per visit; final = last quarter), ``gap`` and ``never_gap`` (final-quarter cost
    above the best possible, € per visit).
    """
    label = label_of(policy, setting)
    sim, never = data.sims[label], data.sims["never"]
    year = data.year
    names = year.month_names
    tail = retraining.FINAL_QUARTER
    return {
        "label": label,
        "policy": policy,
        "setting": str(setting),
        "sim": sim,
        "never": never,
        "best": year.best_cost,
        "months": names,
        "retrains": sim.retrains,
        "retrain_months": [names[i] for i in np.flatnonzero(sim.log["retrain"].to_numpy())],
        "mean": float(sim.log["expected_cost"].mean()),
        "never_mean": float(never.log["expected_cost"].mean()),
        "final": sim.final_cost(tail),
        "gap": sim.final_excess(tail),
        "never_gap": never.final_excess(tail),
        "quarter": f"{names[-tail]}-{names[-1]}",
        "year": year,
        "ylim": _ylim(data),
    }


_POLICY_WORDS = {
    "never": "Never retrain",
    "schedule": "Retrain on a schedule",
    "on_alert": "Retrain when an alert fires",
}


def _headline(r: dict[str, Any]) -> str:
    words = _POLICY_WORDS[r["policy"]]
    if r["policy"] == "never":
        return f"{words}: the first model serves all year (0 retrains)."
    setting = dict(SETTINGS[r["policy"]])
    shown = {v: k for k, v in setting.items()}[r["setting"]]
    n = r["retrains"]
    when = ", ".join(r["retrain_months"]) or "never"
    return f"{words}, {shown}: {n} retrain{'s' if n != 1 else ''} (at the end of {when})."


def describe(result: dict[str, Any]) -> str:
    """The result in words: retrains, mean and final-quarter cost, how far above the best."""
    r = result
    lines = [
        _headline(r),
        f"Mean cost over the year: {r['mean']:.4f} € per visit (never retraining: "
        f"{r['never_mean']:.4f} €).",
        f"Last quarter ({r['quarter']}): {r['final']:.4f} € per visit, {r['gap']:.4f} € above "
        f"the best possible (never retraining: {r['never_gap']:.4f} € above).",
    ]
    return "\n".join(lines)


def text_html(result: dict[str, Any]) -> str:
    """The widget's text: the sentence of :func:`describe` and a month-by-month table."""
    r = result
    sim, never = r["sim"].log, r["never"].log
    head = "".join(f"<th style='padding:1px 6px'>{html.escape(m)}</th>" for m in ["", *r["months"]])

    def row(name: str, values: np.ndarray, marks: np.ndarray | None = None) -> str:
        cells = []
        for i, v in enumerate(values):
            star = "*" if marks is not None and marks[i] else ""
            cells.append(f"<td style='padding:1px 6px;text-align:right'>{1000 * v:.1f}{star}</td>")
        return f"<tr><th style='text-align:left;padding:1px 6px'>{name}</th>{''.join(cells)}</tr>"

    new_model = np.zeros(len(sim), dtype=bool)
    idx = np.flatnonzero(sim["retrain"].to_numpy()) + 1
    new_model[idx[idx < len(sim)]] = True
    table = (
        "<table style='border-collapse:collapse;font-size:90%'>"
        f"<tr>{head}</tr>"
        + row(html.escape(r["label"]), sim["expected_cost"].to_numpy(), new_model)
        + row("never", never["expected_cost"].to_numpy())
        + row("best possible", r["best"])
        + "</table>"
    )
    sentences = "<br>".join(html.escape(line) for line in describe(r).splitlines())
    return (
        f"<p>{sentences}</p>{table}<p style='font-size:90%'>Expected cost in € per 1,000 "
        "visits, month by month (lower is better); * = the first month of a freshly "
        "retrained model.</p>"
    )


_SIZE = (8.0, 4.3)


def plot_comparison(result: dict[str, Any], ax: Any = None) -> Any:
    """The chosen policy, never retraining and the best possible; returns the figure."""
    r = result
    sims = [r["never"]] if r["policy"] == "never" else [r["never"], r["sim"]]
    if ax is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=_SIZE)
        ax = fig.subplots()
    n = retraining.n_retrains(r["retrains"])
    title = f"{r['label']}: {n}, ends {r['gap']:.4f} €/visit above the best"
    retraining.plot_policies(sims, r["year"], ax=ax, title=title)
    ax.set_ylim(*r["ylim"])  # the same scale for every policy: lines can be compared
    return ax.figure


def _ylim(data: PolicyData) -> tuple[float, float]:
    values = [s.cost for s in data.sims.values()] + [data.year.best_cost]
    low, high = float(np.min(values)), float(np.max(values))
    return np.floor(low * 1000) / 1000 - 0.0005, np.ceil(high * 1000) / 1000 + 0.0005


def plot_all(data: PolicyData) -> Any:
    """The static fallback: one panel per policy variant, against never and the best possible."""
    import matplotlib.pyplot as plt

    labels = [label for label in data.sims if label != "never"]
    ncols = 2  # at most the course's figure width
    nrows = int(np.ceil(len(labels) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(figures.MAX_WIDTH, 3.2 * nrows), sharey=True)
    axes = np.atleast_1d(axes).ravel()
    x = np.arange(len(data.year))
    names = data.year.month_names
    never = data.sims["never"]
    for ax, label in zip(axes, labels, strict=False):
        sim = data.sims[label]
        c, ls, mk = retraining.BAYES_STYLE
        ax.plot(x, data.year.best_cost, color=c, ls=ls, marker=mk, ms=6, label="best possible")
        c, ls, mk = retraining.style("never")
        ax.plot(x, never.cost, color=c, ls=ls, marker=mk, ms=4, mfc="white",
                label="never")  # fmt: skip
        c, ls, mk = retraining.style(label)
        ax.plot(x, sim.cost, color=c, ls=ls, marker=mk, ms=5, lw=2, label=label)
        ax.set_title(f"{label}: {retraining.n_retrains(sim.retrains)}", fontsize=10)
        ax.set_xticks(x, [n[0] for n in names])
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=figures.SMALL)
    for ax in axes[len(labels) :]:
        ax.set_visible(False)
    for ax in axes[::ncols]:
        ax.set_ylabel("expected cost (€ per visit)")
    for ax in axes[-ncols:]:
        ax.set_xlabel("month of 2026 (J F M ... D)")
    fig.suptitle("Every policy against never retraining and the best possible", fontsize=12)
    fig.tight_layout()
    return fig


def table_all(data: PolicyData) -> pd.DataFrame:
    """Expected cost (€ per 1,000 visits) of every policy variant, month by month, and the
    best possible (perfect knowledge at the contract's threshold)."""
    table = pd.DataFrame(
        {label: 1000 * sim.cost for label, sim in data.sims.items()},
        index=pd.Index(data.year.month_names, name="month"),
    )
    table["best possible"] = 1000 * data.year.best_cost
    return table.round(1).T


class _PolicyPlot:
    """The widget's figure, drawn once; a move restyles the chosen policy's lines only."""

    def __init__(self, data: PolicyData) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.data = data
        self.fig = Figure(figsize=_SIZE, dpi=figures.WIDGET_DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        ax = self.fig.subplots()
        never = data.sims["never"]
        first = compute(data, "never", "-")
        retraining.plot_policies([never, never], data.year, ax=ax, title=" ")
        ax.set_ylim(*first["ylim"])
        # the second copy of "never" is the chosen policy's line and its filled markers
        self.line, self.marks = ax.lines[-2], ax.lines[-1]
        self.ax, self.title = ax, ax.title
        self.legend = ax.get_legend()
        self.legend_text = self.legend.get_texts()
        self.legend_line = self.legend.get_lines()
        self.fig.subplots_adjust(left=0.08, right=0.98, top=0.87, bottom=0.3)
        # Blitting: everything else is drawn once; a move redraws only these.
        self.moving = [self.line, self.marks, self.legend, self.title]
        for artist in self.moving:
            artist.set_animated(True)
        self._background: Any = None

    def png(self, result: dict[str, Any]) -> bytes:
        r = result
        sim = r["sim"]
        colour, ls, marker = retraining.style(sim.label)
        y = sim.cost
        new = np.flatnonzero(sim.log["retrain"].to_numpy()) + 1
        new = new[new < len(y)]
        x = np.arange(len(y))
        visible = r["policy"] != "never"
        self.line.set(data=(x, y), color=colour, ls=ls, marker=marker, visible=visible)
        self.marks.set(data=(x[new], y[new]), color=colour, marker=marker, visible=visible)
        entry = 2  # legend: best possible, never, chosen, filled-marker note
        self.legend_text[entry].set_text(
            f"{sim.label} ({retraining.n_retrains(sim.retrains)})"
            if visible
            else "(no other policy chosen)"
        )
        self.legend_line[entry].set(color=colour, ls=ls, marker=marker)
        self.title.set_text(
            f"{r['label']}: {retraining.n_retrains(r['retrains'])}, ends {r['gap']:.4f} €/visit "
            "above the best"
        )
        png, self._background = blit_png(self.fig, self.moving, self._background)
        return png


class _PolicyExplorer(Explorer):
    """An Explorer whose setting drop-down follows the policy, with one refresh per move."""

    def __init__(self, controls: dict, compute_fn: Any, *, data: PolicyData, **kw: Any) -> None:
        self._plot = _PolicyPlot(data)
        self._syncing = False
        super().__init__(controls, compute_fn, **kw)

    def _on_change(self, change: dict) -> None:
        if self._syncing:
            return
        if change.get("owner") is self.controls["policy"]:
            self._syncing = True
            try:
                setting = self.controls["setting"]
                setting.options = SETTINGS[change["new"]]
                setting.value = DEFAULT_SETTING[change["new"]]
            finally:
                self._syncing = False
        self.refresh()

    def refresh(self) -> None:
        self.result = self.compute(**self.values())
        self.text_html.value = self._text(self.result)
        if self.image is not None:
            self.image.value = self._plot.png(self.result)
        self.updates += 1


def make_widget(
    data: PolicyData | None = None, *, policy: str = "schedule", setting: str | None = None
) -> Explorer:
    """The policy comparer: policy and setting -> cost lines, retrains in words.

    ``data`` comes from :func:`prepare` (default: the course's production year; a few
    seconds the first time, nothing if the notebook already simulated the policies).
    """
    import ipywidgets as W

    data = prepare() if data is None else data
    setting = DEFAULT_SETTING.get(policy, "-") if setting is None else str(setting)
    label_of(policy, setting)  # a clear error for a wrong start
    style = {"description_width": "initial"}
    controls = {
        "policy": W.Dropdown(
            options=POLICY_OPTIONS, value=policy, description="Policy:", style=style
        ),
        "setting": W.Dropdown(
            options=SETTINGS[policy], value=setting, description="Setting:", style=style
        ),
    }
    return _PolicyExplorer(
        controls,
        partial(compute, data),
        text=text_html,
        figure=plot_comparison,
        title="Policy comparer: when should the model be retrained?",
        data=data,
    )
