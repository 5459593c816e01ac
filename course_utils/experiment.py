"""An online experiment (A/B test): two models serve at once, each to a random half.

Observed data tells what happened; an **experiment** makes data that answers a causal
question. To compare a challenger with the champion, assign each visit at random to one
of them, serve it, and compare the two halves' costs once the labels arrive. Because the
assignment is random, the two halves are alike in everything - stores, days, customers,
prices, seen or unseen - so the difference in cost is caused by the model alone, and its
interval says how sure we can be.

The course's world can check what no real shop can: the *true* effect. For the visits of
the experiment it knows each visit's true P(banana), so it can compute the expected cost
of both models' decisions on every visit (:func:`true_difference`). A test of the course
shows that the experiment's interval covers that truth about 95 % of the time.

Example
-------
>>> import numpy as np
>>> from course_utils import contract, experiment
>>> rng = np.random.default_rng(0)
>>> bought = rng.random(4000) < 0.6
>>> to_b = experiment.assign(4000, seed=1)
>>> cost_a = experiment.decision_cost(np.ones(4000, bool), bought, contract.DEFAULT)
>>> cost_b = experiment.decision_cost(np.zeros(4000, bool), bought, contract.DEFAULT)
>>> result = experiment.compare(cost_a[~to_b], cost_b[to_b])
>>> result["low"] < result["difference"] < result["high"]
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import stats

__all__ = ["assign", "compare", "decision_cost", "expected_decision_cost", "true_difference"]


def assign(n_visits: int, *, share: float = 0.5, seed: int = 0) -> np.ndarray:
    """Random assignment: ``True`` for the visits that go to the challenger (B).

    Each visit independently, with probability ``share``; seeded, so the experiment can be
    replayed.

    >>> assign(6, seed=0).tolist()
    [False, True, True, True, False, False]
    """
    if not isinstance(n_visits, int | np.integer) or n_visits < 0:
        raise ValueError(f"n_visits must be a whole number >= 0, got {n_visits!r}.")
    if not 0 < share < 1:
        raise ValueError(f"share must lie strictly between 0 and 1, got {share!r}.")
    return np.random.default_rng(seed).random(int(n_visits)) < share


def decision_cost(decided_banana: Sequence, bought_banana: Sequence, contract: Any) -> np.ndarray:
    """Cost of each decision once the fruit is known: the contract's price of a mistake.

    A banana decided for an apple buyer costs ``contract.cost_false_banana``, an apple
    decided for a banana buyer ``contract.cost_false_apple``, a right decision nothing.
    """
    decided = np.asarray(decided_banana, dtype=bool)
    bought = np.asarray(bought_banana, dtype=bool)
    if decided.shape != bought.shape:
        raise ValueError(f"{decided.size} decisions but {bought.size} labels; they must match.")
    return np.where(decided & ~bought, contract.cost_false_banana, 0.0) + np.where(
        ~decided & bought, contract.cost_false_apple, 0.0
    )


def expected_decision_cost(
    decided_banana: Sequence, p_banana_true: Sequence, contract: Any
) -> np.ndarray:
    """Expected cost of each decision under the *true* probability (only the world has it)."""
    decided = np.asarray(decided_banana, dtype=bool)
    p = np.asarray(p_banana_true, dtype=float)
    return np.where(decided, contract.cost_false_banana * (1 - p), contract.cost_false_apple * p)


def true_difference(
    decided_a: Sequence, decided_b: Sequence, p_banana_true: Sequence, contract: Any
) -> float:
    """The world's true effect of B against A: mean expected cost of B minus that of A.

    Both models' decisions on *every* visit of the experiment, each visit's true
    P(banana): the number a perfect experiment would measure on these visits.
    """
    a = expected_decision_cost(decided_a, p_banana_true, contract)
    b = expected_decision_cost(decided_b, p_banana_true, contract)
    return float(np.mean(b - a))


def compare(cost_a: Sequence, cost_b: Sequence, *, level: float = 0.95) -> dict[str, float]:
    """Difference in mean cost, B minus A, with its confidence interval.

    The two arms are independent random halves, so the standard error of the difference
    of means is ``sqrt(var_a / n_a + var_b / n_b)`` (Welch), and the interval is the
    difference plus or minus the normal quantile times it (thousands of visits per arm).
    A negative difference means B is cheaper.

    >>> r = compare([0.0, 0.1, 0.0, 0.1], [0.0, 0.0, 0.0, 0.1])
    >>> round(r["difference"], 3), r["n_a"], r["n_b"]
    (-0.025, 4, 4)
    """
    a = np.asarray(cost_a, dtype=float)
    b = np.asarray(cost_b, dtype=float)
    if a.size < 2 or b.size < 2:
        raise ValueError("each arm needs at least two labelled visits to compare.")
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}.")
    difference = float(b.mean() - a.mean())
    se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    z = float(stats.norm.ppf(0.5 + level / 2))
    return {
        "mean_a": float(a.mean()),
        "mean_b": float(b.mean()),
        "difference": difference,
        "se": se,
        "low": difference - z * se,
        "high": difference + z * se,
        "n_a": int(a.size),
        "n_b": int(b.size),
    }
