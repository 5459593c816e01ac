"""The success contract: what notebook 01 decides success means, read back by 06, 08 and 09.

A contract names the metric, the minimum to beat, the baseline, and the cost of each of
the two mistakes. Notebook 01 writes it with :func:`save`; later notebooks read it with
:func:`load`, which falls back to :data:`DEFAULT` (a checkpoint) if 01 was not run.

>>> c = Contract(metric="expected_cost", minimum=0.20, baseline=0.39,
...              cost_false_banana=0.30, cost_false_apple=0.10)
>>> round(c.cost_ratio, 6)
3.0
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from .paths import work_dir

FILENAME = "success_contract.json"
METRICS = ("accuracy", "expected_cost", "log_loss", "balanced_accuracy", "f1")


@dataclass(frozen=True)
class Contract:
    """What success means for the fruit stand.

    ``cost_false_banana``: euros lost when we predict banana and the customer takes an
    apple (a banana stocked for nothing, an offer that misses). ``cost_false_apple``: the
    other way round. ``minimum``: the score a model must beat to be deployed (for a cost
    metric, the highest acceptable cost per visit). ``baseline``: the score of the
    best strategy without a model (a constant answer or a rule of thumb), same metric.
    """

    metric: str
    minimum: float
    baseline: float
    cost_false_banana: float
    cost_false_apple: float
    note: str = ""

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise ValueError(f"metric must be one of {', '.join(METRICS)}; got {self.metric!r}.")
        for name in ("minimum", "baseline", "cost_false_banana", "cost_false_apple"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value != value:
                raise TypeError(f"{name} must be a number, got {value!r}.")
        if self.cost_false_banana < 0 or self.cost_false_apple < 0:
            raise ValueError("costs must be zero or positive (euros lost per mistake).")

    @property
    def cost_ratio(self) -> float:
        """How many times more a false banana costs than a false apple."""
        if self.cost_false_apple == 0:
            return float("inf")
        return self.cost_false_banana / self.cost_false_apple

    @property
    def lower_is_better(self) -> bool:
        """True for cost-like metrics (expected cost, log-loss)."""
        return self.metric in ("expected_cost", "log_loss")

    def is_met(self, score: float) -> bool:
        """Does a model with this score meet the contract?"""
        return score <= self.minimum if self.lower_is_better else score >= self.minimum

    def best_threshold(self) -> float:
        """Probability of banana above which predicting banana costs less on average."""
        total = self.cost_false_banana + self.cost_false_apple
        # rounded so that 0.30 / 0.40 is exactly 0.75, as a learner types it
        return 0.5 if total == 0 else round(self.cost_false_banana / total, 12)


#: The checkpoint used when notebook 01 has not been run.
DEFAULT = Contract(
    metric="expected_cost",
    minimum=0.042,
    baseline=0.0578,
    cost_false_banana=0.30,
    cost_false_apple=0.10,
    note="Expected cost per visit in EUR, scored on held-out visits. Baseline: the rule of "
    "thumb (banana at the Station in the rush hours or for households with children), the "
    "best strategy without a model. Minimum: half-way from that baseline to perfect "
    "knowledge.",
)


def path() -> Path:
    """Where the contract is saved."""
    return work_dir() / FILENAME


def save(contract: Contract, where: str | os.PathLike | None = None) -> Path:
    """Write the contract as JSON (atomically); return the file's path."""
    if not isinstance(contract, Contract):
        raise TypeError(f"save() expects a Contract, got {type(contract).__name__}.")
    target = Path(where) if where is not None else path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".contract.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(contract), fh, indent=2)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)
    return target


def load(where: str | os.PathLike | None = None, *, quiet: bool = False) -> Contract:
    """Read the saved contract; fall back to :data:`DEFAULT` (and say so) if there is none."""
    source = Path(where) if where is not None else path()
    if not source.exists():
        if not quiet:
            print(f"No success contract at {source}; using the course default (see notebook 01).")
        return DEFAULT
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        known = {f.name for f in fields(Contract)}
        return Contract(**{k: v for k, v in data.items() if k in known})
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"The success contract at {source} cannot be read ({exc}). "
            "Re-run the contract cell of notebook 01, or delete the file to use the default."
        ) from None
