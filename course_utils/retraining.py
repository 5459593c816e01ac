"""Retraining policies, simulated month by month over a year of production.

Notebook 09 asks *when* a deployed model should be retrained. This module replays the year
of :data:`course_utils.drift.DEFAULT_SCHEDULE` (an ordinary winter, students in April and
May, expensive bananas in June and July, families going off bananas from August to
October, a thermometer reporting °F in November and December) under a **policy**:

==============  ======================================================================
``never``       keep the first model all year.
``schedule``    retrain every ``period`` months, whatever happens.
``on_alert``    retrain when an alert fires: an input alert of
                :func:`course_utils.monitoring.check_month`, or a live-metric alert of
                :func:`course_utils.monitoring.check_live` on the last labelled month
                (its expected cost fails the success contract, or has risen well above
                the first model's cost on the test rows - notebook 08's rules).
==============  ======================================================================

The **training window** is the other knob: ``"all"`` (the history the first model was
trained on, plus every labelled production month) or ``"recent"`` (the last ``k`` labelled
months only).

Each month the current model predicts the month's visits; the contract's expected cost per
visit and the accuracy of the same decisions (both at the contract's threshold, as the
service decides) are recorded next to the **best possible** cost: the world's true
probabilities decided at the same threshold (perfect knowledge). Policies are compared by
the contract's metric, the expected cost. At the end of the month the policy
decides, with what is known *then*: the month's inputs are seen at once, but **labels
arrive one month late** (what a customer bought is known when the month's sales are
reconciled), so at the end of month ``i`` the labelled months are ``0 .. i - 1``. A new
model serves from the next month on. A decision at the end of December would only serve
next year, so it is not made: a year has at most 10 retrains (none at the end of January
either, when no label has arrived yet).

A retrain fits a **fresh** pipeline - notebook 03's preparation
(:func:`course_utils.checkpoints.preprocessor`) and notebook 05's tuned logistic regression
(:func:`course_utils.checkpoints.tuned_pipeline`) - on the window. The tuned settings are
kept as they are, and each fit runs on one CPU thread, which is fastest on a small or busy
machine. Fitted models and their predictions are cached per window, so the policies share
the retrains they have in common: all the standard policies of the notebook take a few
seconds together.

Example
-------
>>> from course_utils import retraining
>>> retraining.decide("schedule", 2, period=3)  # end of March, every 3 months
(True, 'every 3 months')
>>> retraining.decide("on_alert", 0, input_alerts=["age"])  # end of January
(False, 'no labels yet')
>>> retraining.decide("on_alert", 9, live_alerts=["contract minimum"])
(True, 'live metric: contract minimum')
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import figures, world

__all__ = [
    "LABEL_DELAY",
    "POLICIES",
    "RECENT_MONTHS",
    "STANDARD_VARIANTS",
    "WINDOWS",
    "Simulation",
    "Year",
    "compare",
    "decide",
    "n_retrains",
    "new_model",
    "plot_policies",
    "production_year",
    "retrain",
    "simulate",
    "standard_policies",
    "summary",
    "training_window",
    "variant_label",
]

POLICIES = ("never", "schedule", "on_alert")
WINDOWS = ("all", "recent")
#: Labels of a month are known this many months after it.
LABEL_DELAY = 1
#: The "recent" window: this many labelled months.
RECENT_MONTHS = 3
#: The months of "the end of the year" in the comparisons: the last quarter.
FINAL_QUARTER = 3

#: The policy variants of the notebook's comparison and of the policy comparer widget:
#: ``(label, policy, keyword arguments of simulate)``.
STANDARD_VARIANTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("never", "never", {}),
    ("every month", "schedule", {"period": 1}),
    ("every 3 months", "schedule", {"period": 3}),
    ("every 6 months", "schedule", {"period": 6}),
    ("on alert, all data", "on_alert", {"window": "all"}),
    ("on alert, last 3 months", "on_alert", {"window": "recent"}),
)


# --------------------------------------------------------------------------- models


def new_model(*, max_iter: int | None = None) -> Any:
    """A fresh, unfitted pipeline: notebook 03's preparation and 05's tuned model.

    That is :func:`course_utils.checkpoints.tuned_pipeline` (logistic regression with
    :data:`~course_utils.checkpoints.TUNED_PARAMS`). ``max_iter`` caps the solver's
    iterations (default: 1000; the fit converges in a few dozen).
    """
    from . import checkpoints

    if max_iter is None:
        return checkpoints.tuned_pipeline()
    return checkpoints.tuned_pipeline(max_iter=int(max_iter))


def _one_thread():
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def _fit(X: pd.DataFrame, y: pd.Series, max_iter: int | None = None) -> Any:
    with _one_thread():
        return new_model(max_iter=max_iter).fit(X, y)


def _banana_proba(model: Any, X: pd.DataFrame) -> np.ndarray:
    with _one_thread():
        proba = model.predict_proba(X)
    return proba[:, list(model.classes_).index(world.POSITIVE)]


# --------------------------------------------------------------------------- the year


@dataclass(eq=False)
class Year:
    """A year of production months, the history before it, and the caches of the policies.

    Build it with :func:`production_year`. ``months`` are :class:`course_utils.drift.Month`
    objects; ``history`` is the cleaned history's training rows (what the first model was
    trained on); ``reference`` the full cleaned history (the alert rules compare each month
    with the same month of it); ``contract`` the success contract; ``seed`` the world's
    seed when it is not the course's (``None``).
    """

    months: list
    history: pd.DataFrame
    reference: pd.DataFrame
    contract: Any
    max_iter: int | None = None
    seed: int | None = None
    _fits: dict = field(default_factory=dict, repr=False)
    _proba: dict = field(default_factory=dict, repr=False)
    _alerts: dict = field(default_factory=dict, repr=False)
    _sims: dict = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.months)

    @property
    def periods(self) -> list[str]:
        """The months as text, ``["2026-01", ...]``."""
        return [m.period for m in self.months]

    @property
    def month_names(self) -> list[str]:
        """Short month names, ``["Jan", ...]``."""
        return [pd.Period(p, freq="M").strftime("%b") for p in self.periods]

    @property
    def scenarios(self) -> list[str]:
        """The drift scenario of each month."""
        return [m.scenario for m in self.months]

    @functools.cached_property
    def best(self) -> pd.DataFrame:
        """Perfect knowledge, month by month: the world's true probabilities, decided at the
        contract's threshold - ``expected_cost`` (the lowest any model can expect, in € per
        visit) and ``accuracy`` of those decisions."""
        from . import monitoring

        rows = [
            monitoring.live_metrics(m.visits[world.TARGET], m.p_banana, self.contract)
            for m in self.months
        ]
        return pd.DataFrame(rows, index=self.periods)[["expected_cost", "accuracy"]]

    @property
    def best_cost(self) -> np.ndarray:
        """The best possible expected cost of each month (€ per visit, perfect knowledge)."""
        return self.best["expected_cost"].to_numpy()

    @property
    def threshold(self) -> float:
        """The decision threshold of every number here: the contract's cost-optimal one."""
        return round(float(self.contract.best_threshold()), 10)

    def _check_month(self, i: Any) -> int:
        if isinstance(i, bool) or not isinstance(i, int | np.integer):
            raise TypeError(f"a month is its position 0-{len(self) - 1} (0 = January), got {i!r}")
        if not 0 <= int(i) < len(self):
            raise IndexError(f"month {i} is outside the year: use 0-{len(self) - 1}")
        return int(i)

    def inputs(self, i: int) -> pd.DataFrame:
        """The model's inputs of month ``i`` (``world.FEATURES``, with the history's dtypes)."""
        visits = self.months[self._check_month(i)].visits
        X = visits[world.FEATURES].copy()
        X["age"] = X["age"].astype(float)
        X["has_kids"] = X["has_kids"].astype(float)
        X["loyalty_member"] = X["loyalty_member"].astype(int)
        return X

    def repaired_inputs(self, i: int) -> pd.DataFrame:
        """Month ``i``'s inputs with the readings reported in °F converted back to °C.

        Notebook 09's repair, for checks and tests: the rows from the day of a sensor's
        unit switch on (none in other months) get ``(F - 32) * 5 / 9``, rounded to 0.1.
        """
        X = self.inputs(i)
        month = self.months[i]
        first = month.details.get("first_day") if month.scenario == "unit_switch" else None
        if first is not None:
            since = month.visits["timestamp"].dt.day.to_numpy() >= first
            fahrenheit = X.loc[since, "temperature_c"]
            X.loc[since, "temperature_c"] = ((fahrenheit - 32) * 5 / 9).round(1)
        return X

    def labels(self, i: int) -> pd.Series:
        """What the customers of month ``i`` bought ("apple"/"banana")."""
        return self.months[self._check_month(i)].visits[world.TARGET].astype(object)

    def input_alerts(self, i: int) -> list[str]:
        """The inputs that raise an alert in month ``i`` (the rules of ``check_month``)."""
        from . import monitoring

        i = self._check_month(i)
        if i not in self._alerts:
            table = monitoring.check_month(
                self.months[i].visits,
                history=self.reference,
                window=self.months[0].visits,
                month=pd.Period(self.months[i].period, freq="M").month,
            )
            fired = table.loc[table["alert"].astype(bool), "input"].astype(str)
            self._alerts[i] = list(dict.fromkeys(fired))
        return list(self._alerts[i])

    @functools.cached_property
    def reference_cost(self) -> float:
        """The first model's expected cost per visit on the test rows (its model card's).

        The live-metric rules compare each labelled month with it.
        """
        from . import checkpoints, monitoring

        _, test = checkpoints.split(self.seed)
        X, y = _xy(test)
        return float(
            monitoring.live_metrics(y, _banana_proba(self.first_model(), X), self.contract)[
                "expected_cost"
            ]
        )

    def live_alerts(self, key: tuple, i: int) -> list[str]:
        """The live-metric alerts of month ``i`` predicted by model ``key``, once labelled."""
        from . import monitoring

        table = monitoring.check_live(
            self.labels(i), self.proba(key, i), self.contract, reference_cost=self.reference_cost
        )
        return list(table.loc[table["alert"].astype(bool), "measure"].astype(str))

    def first_model(self) -> Any:
        """The model deployed at the start of the year: notebook 05's, on the history."""
        return self._model(("history",))

    def _model(self, key: tuple) -> Any:
        if key not in self._fits:
            if key == ("history",):
                X, y = _xy(self.history)
                self._fits[key] = _fit(X, y)
            else:
                _, last, window, k = key
                X, y = training_window(self, last, window=window, k=k or RECENT_MONTHS)
                self._fits[key] = _fit(X, y, self.max_iter)
        return self._fits[key]

    def proba(self, key: tuple, i: int) -> np.ndarray:
        """P(banana) of month ``i``'s visits by the model ``key`` (cached)."""
        if (key, i) not in self._proba:
            self._proba[(key, i)] = _banana_proba(self._model(key), self.inputs(i))
        return self._proba[(key, i)]


def _xy(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    return table[world.FEATURES], table[world.TARGET].astype(object)


@functools.lru_cache(maxsize=4)
def _year(seed: int, contract: Any, schedule: tuple | None, max_iter: int | None) -> Year:
    from . import checkpoints, drift

    months = list(drift.production_schedule(schedule or drift.DEFAULT_SCHEDULE, seed=seed))
    if not months:
        raise ValueError("the schedule is empty: give at least one (scenario, strength) month")
    world_seed = None if seed == world.DEFAULT_SEED else seed
    train, _ = checkpoints.split(world_seed)
    return Year(
        months=months,
        history=train,
        reference=checkpoints.clean_history(world_seed),
        contract=contract,
        max_iter=max_iter,
        seed=world_seed,
    )


def production_year(
    schedule: Sequence[tuple[str, float]] | None = None,
    *,
    seed: int = world.DEFAULT_SEED,
    contract: Any = None,
    max_iter: int | None = None,
) -> Year:
    """The year after deployment: the months of ``schedule`` (default: the course's year).

    A year is built once per session for the same arguments and shared, with its fitted
    models, so the notebook, the widget and the exercises reuse the same retrains.
    ``contract`` defaults to the saved success contract (:func:`course_utils.contract.load`,
    the course default if there is none); its metric decides the live alert (the expected
    cost per visit). ``max_iter`` shortens the retrains (the first model always has the
    tuned settings).
    """
    from . import contract as contract_module

    if contract is None:
        contract = contract_module.load(quiet=True)
    if not isinstance(contract, contract_module.Contract):
        raise TypeError(f"contract must be a Contract, got {type(contract).__name__}")
    key = tuple((str(s), float(v)) for s, v in schedule) if schedule is not None else None
    return _year(int(seed), contract, key, None if max_iter is None else int(max_iter))


# --------------------------------------------------------------------------- windows


def training_window(
    year: Year, last_labelled: int, *, window: str = "all", k: int = RECENT_MONTHS
) -> tuple[pd.DataFrame, pd.Series]:
    """The rows a retrain learns from, when months ``0 .. last_labelled`` have labels.

    ``window="all"``: the history plus every labelled month; ``"recent"``: the last ``k``
    labelled months only. Returns ``(X, y)``.
    """
    _check_window(window, k)
    last = year._check_month(last_labelled)
    first = 0 if window == "all" else max(0, last - k + 1)
    parts = [(year.inputs(i), year.labels(i)) for i in range(first, last + 1)]
    if window == "all":
        parts.insert(0, _xy(year.history))
    X = pd.concat([p[0] for p in parts], ignore_index=True)
    y = pd.concat([p[1] for p in parts], ignore_index=True)
    for col in ("store", "promo"):  # categories survive the concat only if they match
        X[col] = X[col].astype(object)
    return X, y


def _check_window(window: Any, k: Any) -> None:
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {WINDOWS}, got {window!r}")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k (months in the recent window) must be a whole number >= 1, got {k!r}")


def retrain(year: Year, last_labelled: int, *, window: str = "all", k: int = RECENT_MONTHS) -> Any:
    """A fresh pipeline fitted on :func:`training_window` (cached: same window, same model)."""
    _check_window(window, k)
    last = year._check_month(last_labelled)
    return year._model(_key(last, window, k))


def _key(last: int, window: str, k: int) -> tuple:
    return ("retrain", last, window, k if window == "recent" else 0)


def _describe_key(year: Year, key: tuple) -> str:
    if key == ("history",):
        return "first model (history)"
    _, last, window, k = key
    names = year.month_names
    if window == "all":
        return f"history + {names[0]}-{names[last]}" if last else f"history + {names[0]}"
    first = max(0, last - k + 1)
    return f"{names[first]}-{names[last]}" if first != last else names[last]


# --------------------------------------------------------------------------- the rule


def decide(
    policy: str,
    month: int,
    *,
    period: int = 3,
    input_alerts: Iterable[str] = (),
    live_alerts: Iterable[str] = (),
) -> tuple[bool, str]:
    """Retrain at the end of ``month`` (0 = January)? Returns ``(retrain, reason)``.

    Only what is known at the end of the month counts: the month's ``input_alerts`` and
    the ``live_alerts`` of the last *labelled* month. With labels one month late, nothing
    can be retrained at the end of the first month.

    >>> decide("on_alert", 4, input_alerts=["age"])
    (True, 'input alert: age')
    >>> decide("schedule", 3, period=3)
    (False, 'not due (every 3 months)')
    """
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {POLICIES}, got {policy!r}")
    if policy == "never":
        return False, "never retrains"
    if month < LABEL_DELAY:
        return False, "no labels yet"
    if policy == "schedule":
        if isinstance(period, bool) or not isinstance(period, int | np.integer) or period < 1:
            raise ValueError(f"period must be a whole number of months >= 1, got {period!r}")
        due = (month + 1) % period == 0
        every = "every month" if period == 1 else f"every {period} months"
        return (True, every) if due else (False, f"not due ({every})")
    alerts = list(input_alerts)
    reasons = []
    if alerts:
        shown = ", ".join(alerts[:2]) + (f" (+{len(alerts) - 2} more)" if len(alerts) > 2 else "")
        reasons.append(f"input alert: {shown}")
    live = list(live_alerts)
    if live:
        reasons.append(f"live metric: {', '.join(live)}")
    return (True, "; ".join(reasons)) if reasons else (False, "no alert")


# --------------------------------------------------------------------------- simulation


@dataclass(frozen=True)
class Simulation:
    """One policy over the year: ``log`` has a row per month (see :func:`simulate`)."""

    label: str
    policy: str
    period: int | None
    window: str | None
    k: int | None
    log: pd.DataFrame
    threshold: float = 0.5
    #: The model that served each month (keys of the year's cache), for :func:`compare`.
    models: tuple = field(default=(), repr=False)

    @property
    def retrains(self) -> int:
        """How many times the policy retrained (each new model served at least a month)."""
        return int(self.log["retrain"].sum())

    @property
    def retrain_months(self) -> list[str]:
        """The months at whose end a retrain happened."""
        return list(self.log.loc[self.log["retrain"], "month"])

    @property
    def cost(self) -> np.ndarray:
        """Expected cost of each month, € per visit (the contract's metric)."""
        return self.log["expected_cost"].to_numpy()

    @property
    def accuracy(self) -> np.ndarray:
        """Accuracy of each month, of the decisions at the contract's threshold."""
        return self.log["accuracy"].to_numpy()

    def final_cost(self, months: int = FINAL_QUARTER) -> float:
        """Mean expected cost over the last ``months`` (€ per visit): how the year ends."""
        return float(self.log["expected_cost"].tail(months).mean())

    def final_excess(self, months: int = FINAL_QUARTER) -> float:
        """Mean cost above the best possible over the last ``months`` (€ per visit)."""
        return float(self.log["excess_cost"].tail(months).mean())


def variant_label(policy: str, *, period: int = 3, window: str = "all", k: int = RECENT_MONTHS):
    """A short name for a policy and its knob, e.g. ``"every 3 months"``."""
    if policy == "never":
        return "never"
    if policy == "schedule":
        base = "every month" if period == 1 else f"every {period} months"
    else:
        base = "on alert"
    if policy == "on_alert" or window != "all":
        where = "all data" if window == "all" else f"last {k} months"
        return f"{base}, {where}"
    return base


def simulate(
    policy: str = "never",
    *,
    period: int = 3,
    window: str = "all",
    k: int = RECENT_MONTHS,
    year: Year | None = None,
) -> Simulation:
    """Replay the year under ``policy``; return a :class:`Simulation` (cached per year).

    The ``log`` has one row per month: ``month``, ``scenario``, ``model`` (what the model
    serving the month was trained on), ``trained_through`` (the last production month in
    its training window, -1 for the history only), ``expected_cost`` (the contract's
    metric, € per visit) and ``accuracy`` (of the same decisions, at the contract's
    threshold), ``best_cost`` (perfect knowledge at that threshold), ``excess_cost``
    (expected minus best), then what was known at the end of the month - ``input_alerts`` and
    ``live_alerts`` (of the last labelled month) - and the decision: ``retrain`` and
    ``reason``.
    """
    from . import monitoring

    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {POLICIES}, got {policy!r}")
    _check_window(window, k)
    decide(policy, LABEL_DELAY, period=period)  # validates the period
    year = production_year() if year is None else year
    if policy == "never":
        period_, window_, k_ = None, None, None
    elif policy == "schedule":
        period_, window_, k_ = int(period), window, (int(k) if window == "recent" else None)
    else:
        period_, window_, k_ = None, window, (int(k) if window == "recent" else None)
    cache_key = (policy, period_, window_, k_)
    if cache_key in year._sims:
        return year._sims[cache_key]

    contract = year.contract
    best_cost = year.best_cost
    key: tuple = ("history",)
    keys: list[tuple] = []
    rows: list[dict[str, Any]] = []
    for i, month in enumerate(year.months):
        y = year.labels(i)
        live = monitoring.live_metrics(y, year.proba(key, i), contract)
        row: dict[str, Any] = {
            "month": month.period,
            "scenario": month.scenario,
            "model": _describe_key(year, key),
            "trained_through": -1 if key == ("history",) else int(key[1]),
            "expected_cost": live["expected_cost"],
            "accuracy": live["accuracy"],
            "best_cost": best_cost[i],
        }
        row["excess_cost"] = row["expected_cost"] - row["best_cost"]
        keys.append(key)
        labelled = i - LABEL_DELAY  # the last month whose labels are known now
        alerts = year.input_alerts(i) if policy == "on_alert" else []
        live_alerts: list[str] = []
        if policy == "on_alert" and labelled >= 0:
            live_alerts = year.live_alerts(keys[labelled], labelled)
        row["input_alerts"] = ", ".join(alerts)
        row["live_alerts"] = ", ".join(live_alerts)
        if i == len(year) - 1:
            retrain_now, reason = False, "end of the year"
        else:
            retrain_now, reason = decide(
                policy, i, period=period, input_alerts=alerts, live_alerts=live_alerts
            )
        row["retrain"], row["reason"] = retrain_now, reason
        rows.append(row)
        if retrain_now:
            key = _key(labelled, window, k)
    sim = Simulation(
        label=variant_label(policy, period=period, window=window, k=k),
        policy=policy,
        period=period_,
        window=window_,
        k=k_,
        log=pd.DataFrame(rows),
        threshold=year.threshold,
        models=tuple(keys),
    )
    year._sims[cache_key] = sim
    return sim


def compare(
    champion: Simulation,
    challenger: Simulation,
    *,
    months: Sequence[int] | None = None,
    year: Year | None = None,
    seed: int = 0,
) -> dict:
    """Paired bootstrap of two policies over the same visits (default: the final quarter).

    Each month's visits are scored by the model each policy had in production that month;
    the interval is of ``challenger`` minus ``champion``, in € per visit
    (:func:`course_utils.monitoring.paired_bootstrap`; read it with
    :func:`course_utils.monitoring.read_comparison`).
    """
    from . import monitoring

    year = production_year() if year is None else year
    for sim in (champion, challenger):
        if not isinstance(sim, Simulation) or len(sim.models) != len(year):
            raise TypeError(
                "compare() takes two simulations of this year (from retraining.simulate)."
            )
    chosen = list(range(len(year) - FINAL_QUARTER, len(year))) if months is None else months
    idx = [year._check_month(i) for i in chosen]
    if not idx:
        raise ValueError("give at least one month to compare the policies on.")
    labels = pd.concat([year.labels(i) for i in idx], ignore_index=True)
    p_a = np.concatenate([year.proba(champion.models[i], i) for i in idx])
    p_b = np.concatenate([year.proba(challenger.models[i], i) for i in idx])
    return monitoring.paired_bootstrap(labels, p_a, p_b, year.contract, seed=seed)


def standard_policies(year: Year | None = None) -> dict[str, Simulation]:
    """The policies of :data:`STANDARD_VARIANTS`, by label (a few seconds the first time)."""
    year = production_year() if year is None else year
    return {
        label: simulate(policy, year=year, **kwargs) for label, policy, kwargs in STANDARD_VARIANTS
    }


def summary(sims: Mapping[str, Simulation] | Iterable[Simulation]) -> pd.DataFrame:
    """One row per policy, in the contract's metric: retrains, mean and final-quarter cost.

    The final quarter is October to December (:data:`FINAL_QUARTER` months): how a policy
    **ends the year**. Costs are € per visit; "above best" is the final quarter's cost
    minus perfect knowledge's; the accuracy is of the same decisions, at the contract's
    threshold (named in the column).
    """
    items = list(sims.values()) if isinstance(sims, Mapping) else list(sims)
    rows = []
    for s in items:
        tail = s.log.tail(FINAL_QUARTER)
        rows.append(
            {
                "policy": s.label,
                "retrains": s.retrains,
                "mean cost (€/visit)": round(float(s.log["expected_cost"].mean()), 4),
                "final-quarter cost (€/visit)": round(s.final_cost(), 4),
                "above best (€/visit)": round(s.final_excess(), 4),
                "_accuracy": round(float(tail["accuracy"].mean()), 3),
            }
        )
    table = pd.DataFrame(rows).set_index("policy")
    thresholds = {s.threshold for s in items}
    name = f"at {thresholds.pop():.2f}" if len(thresholds) == 1 else "at each contract's threshold"
    return table.rename(columns={"_accuracy": f"final-quarter accuracy ({name})"})


# --------------------------------------------------------------------------- figure

#: Okabe-Ito colours, line styles and markers: no policy is told apart by colour alone.
STYLES = {
    "never": ("#D55E00", "--", "s"),
    "every month": ("#56B4E9", "-.", "v"),
    "every 3 months": ("#009E73", "-", "o"),
    "every 6 months": ("#E69F00", ":", "D"),
    "on alert, all data": ("#0072B2", "-", "^"),
    "on alert, last 3 months": ("#CC79A7", "--", "P"),
}
BAYES_STYLE = ("black", ":", "*")
_EXTRA = [("#999999", "-", "X"), ("#F0E442", "--", "h")]


def n_retrains(n: int) -> str:
    """ "1 retrain", "3 retrains"."""
    return f"{n} retrain{'' if n == 1 else 's'}"


def style(label: str, n: int = 0) -> tuple[str, str, str]:
    """Colour, line style and marker of a policy's line."""
    return STYLES.get(label, _EXTRA[n % len(_EXTRA)])


def plot_policies(
    sims: Mapping[str, Simulation] | Iterable[Simulation],
    year: Year | None = None,
    *,
    ax: Any = None,
    title: str | None = None,
    mark_retrains: bool = True,
) -> Any:
    """Expected cost month by month of each policy, against the best possible cost.

    The contract's metric (€ per visit, lower is better) next to perfect knowledge (the
    true probabilities decided at the same threshold). Every line has its own colour, line
    style and marker and a legend entry; filled markers show the months a policy's
    retrained model served for the first time. Returns the figure.
    """
    import matplotlib.pyplot as plt

    items = list(sims.values()) if isinstance(sims, Mapping) else list(sims)
    year = production_year() if year is None else year
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 4.6))
    else:
        fig = ax.figure
    x = np.arange(len(year))
    colour, ls, marker = BAYES_STYLE
    ax.plot(x, year.best_cost, color=colour, ls=ls, marker=marker, ms=8, lw=1.8,
            label="best possible (perfect knowledge)")  # fmt: skip
    for n, s in enumerate(items):
        colour, ls, marker = style(s.label, n)
        ax.plot(x, s.cost, color=colour, ls=ls, marker=marker, ms=6, lw=1.8,
                mfc="white", label=f"{s.label} ({n_retrains(s.retrains)})")  # fmt: skip
        if mark_retrains:
            new = np.flatnonzero(s.log["retrain"].to_numpy()) + 1
            new = new[new < len(year)]
            ax.plot(x[new], s.cost[new], ls="none", marker=marker, ms=6,
                    color=colour)  # fmt: skip
    names = year.month_names
    ax.set_xticks(x, names)
    _shade_scenarios(ax, year)
    ax.set_xlabel("month of 2026 (above the plot: what changed in the world that month)")
    ax.set_ylabel("expected cost that month (€ per visit)")
    ax.set_title(
        title or "Cost month by month (lower is better): retraining policies vs the best possible",
        pad=16,
    )
    ax.grid(alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    if mark_retrains:
        from matplotlib.lines import Line2D

        handles.append(Line2D([], [], ls="none", marker="o", color="0.3", ms=6))
        labels.append("filled marker: first month of a retrained model")
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.14),
              fontsize=figures.SMALL, ncol=2, frameon=False)  # fmt: skip
    return fig


_SCENARIO_NAMES = {
    "seasonality": "seasons",
    "covariate_shift": "students",
    "price_shock": "price shock",
    "taste_change": "taste change",
    "unit_switch": "°F sensor",
}


def _shade_scenarios(ax: Any, year: Year) -> None:
    """Name each block of months with the same scenario; shade every other block."""
    scen = year.scenarios
    start, block = 0, 0
    for i in range(1, len(scen) + 1):
        if i == len(scen) or scen[i] != scen[start]:
            if block % 2 == 1:
                ax.axvspan(start - 0.5, i - 0.5, color="0.92", zorder=0)
            name = _SCENARIO_NAMES.get(scen[start], scen[start])
            ax.text((start + i - 1) / 2, 1.01, name, transform=ax.get_xaxis_transform(),
                    ha="center", va="bottom", fontsize=figures.SMALL)  # fmt: skip
            start, block = i, block + 1
