"""Replay production traffic through a registered model, the way the service serves it.

Notebook 08 sends one month of visits to the real HTTP service (:mod:`course_utils.service`)
and replays the other months in batch, for speed. The batch path must be *the same path*:
the same registered pipeline, the same input validation, the same probabilities, the same
rows in the prediction log. :func:`replay_month` is that path as a plain function:

1. each visit becomes the JSON a client would send (:func:`to_requests`) and is validated
   alone with the model card's input schema - as if each visit were its own request; a
   visit the service would refuse (a 422) is not predicted and not logged;
2. the valid visits go through ``schema.to_frame`` and ``pipeline.predict_proba``, exactly
   as in the service, and get the card's decision threshold;
3. one row per prediction is written to the prediction log (:mod:`course_utils.predlog`):
   a fresh ``request_id``, the time, the model version, the inputs, ``p_banana`` and the
   ``decision``.

It returns what the client would have received, one row per visit sent: ``visit_id``,
``request_id``, ``p_banana``, ``decision`` and ``problem`` (why the visit was refused, or
``None``). Labels arrive later and are joined on the ``request_id``
(:func:`course_utils.predlog.record_labels`); :func:`labels_for` builds those pairs.

Example
-------
>>> from course_utils import drift, replay                            # doctest: +SKIP
>>> answers = replay.replay_month(drift.month("2026-02").visits, registry,
...                               log_path="work/predictions.sqlite")  # doctest: +SKIP
>>> answers.columns.tolist()                                          # doctest: +SKIP
['visit_id', 'request_id', 'p_banana', 'decision', 'problem']
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError
from threadpoolctl import threadpool_limits

from .predlog import PredictionLog
from .registry import Registry
from .schema import human_errors
from .service import log_rows

__all__ = ["ANSWER_COLUMNS", "labels_for", "load_model", "replay_month", "to_requests"]

#: The columns of the table :func:`replay_month` returns, one row per visit sent.
ANSWER_COLUMNS = ["visit_id", "request_id", "p_banana", "decision", "problem"]

_CACHE: dict[tuple[str, str, str], tuple[Any, Any]] = {}
_CACHE_LOCK = threading.Lock()


def _plain(value: Any) -> Any:
    """A table cell as the JSON value a client sends: Python types, ``None`` if missing."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def to_requests(visits: pd.DataFrame, features: Sequence[str] | None = None) -> list[dict]:
    """The visits as the JSON bodies a client sends: one dict per visit.

    Only the ``features`` columns (default: ``world.FEATURES``), as plain Python values
    (``True``, ``34``, ``"Station"``), ``None`` for a missing value.

    >>> import pandas as pd
    >>> to_requests(pd.DataFrame({"store": ["Station"], "age": [float("nan")]}), ["store", "age"])
    [{'store': 'Station', 'age': None}]
    """
    if not isinstance(visits, pd.DataFrame):
        raise TypeError(f"visits must be a pandas DataFrame, got {type(visits).__name__}")
    if features is None:
        from .world import FEATURES

        features = FEATURES
    features = list(features)
    missing = [c for c in features if c not in visits.columns]
    if missing:
        raise KeyError(
            f"the visits lack the column(s) {missing}; a request needs every input the "
            f"model was trained on: {features}"
        )
    rows = visits[features].astype(object).to_dict("records")
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def load_model(registry: Registry | str | os.PathLike | None = None, alias: str = "production"):
    """``(pipeline, card)`` of ``alias``, loaded safely once and then reused.

    The service loads its model once when it starts; a replay of twelve months does too.
    The cache key includes the model file's sha256 from the card, so registering or
    promoting another version loads that one.
    """
    reg = registry if isinstance(registry, Registry) else Registry(registry)
    card = reg.card(alias)
    key = (str(reg.root.resolve()), card.version, card.model_sha256)
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE.clear()  # one model at a time is plenty
            _CACHE[key] = reg.load(card.version)
        return _CACHE[key]


def replay_month(
    visits: pd.DataFrame,
    registry: Registry | str | os.PathLike | None = None,
    *,
    alias: str = "production",
    log_path: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """Serve one month of visits in batch, exactly as the service would, and log them.

    ``visits`` needs a ``visit_id`` column and the model's inputs (e.g. a
    :class:`course_utils.drift.Month`'s ``.visits``). ``registry`` and ``alias`` name the
    model (as for :func:`course_utils.service.start_in_background`); ``log_path`` is the
    prediction log (default ``work_dir()/"predictions.sqlite"``, the service's default).

    Returns one row per visit, in the order given: ``visit_id``, ``request_id`` and
    ``p_banana`` and ``decision`` (``None``/NaN for a refused visit), and ``problem``
    (``None``, or the service's message for a visit it would refuse with a 422).
    """
    if not isinstance(visits, pd.DataFrame):
        raise TypeError(f"visits must be a pandas DataFrame, got {type(visits).__name__}")
    if "visit_id" not in visits.columns:
        raise KeyError("the visits need a 'visit_id' column, to know which answer is whose")
    pipeline, card = load_model(registry, alias)
    schema = card.schema
    Visit = schema.model()
    positive = [str(c) for c in card.classes].index("banana")
    threshold = float(card.threshold)

    requests = to_requests(visits, schema.names)
    valid: list[dict[str, Any]] = []
    problems: list[str | None] = []
    for request in requests:  # each visit alone, as if it were its own request
        try:
            valid.append(Visit.model_validate(request).model_dump())
            problems.append(None)
        except ValidationError as exc:
            errors = human_errors(exc, schema)
            problems.append("; ".join(f"{e['field']} {e['message']}" for e in errors))

    answers = pd.DataFrame(
        {
            "visit_id": visits["visit_id"].to_numpy(),
            "request_id": pd.Series([None] * len(visits), dtype=object),
            "p_banana": np.full(len(visits), np.nan),
            "decision": pd.Series([None] * len(visits), dtype=object),
            "problem": pd.Series(problems, dtype=object),
        }
    )
    if valid:
        # What the service does for a request: the same prediction, the same log rows.
        frame = schema.to_frame(valid)
        # One thread: the result is the same, and a month is too small a batch for threads
        # to pay off (on a busy machine they cost seconds in synchronisation).
        with threadpool_limits(1):
            proba = pipeline.predict_proba(frame)[:, positive]
        rows = log_rows(valid, proba, version=card.version, threshold=threshold)
        with PredictionLog(log_path) as log:
            log.write(rows)
        ok = answers["problem"].isna().to_numpy()
        answers.loc[ok, "request_id"] = [r["request_id"] for r in rows]
        answers.loc[ok, "p_banana"] = [r["p_banana"] for r in rows]
        answers.loc[ok, "decision"] = [r["decision"] for r in rows]
    return answers[ANSWER_COLUMNS]


def labels_for(answers: pd.DataFrame, visits: pd.DataFrame) -> list[tuple[str, str]]:
    """The ``(request_id, fruit)`` pairs to record once a month's labels arrive.

    ``answers``: the table of answers (``visit_id``, ``request_id``; refused visits have no
    request id and get no label); ``visits``: the visits with the ``fruit`` bought.

    >>> import pandas as pd
    >>> answers = pd.DataFrame({"visit_id": [1, 2], "request_id": ["r1", None]})
    >>> labels_for(answers, pd.DataFrame({"visit_id": [2, 1], "fruit": ["apple", "banana"]}))
    [('r1', 'banana')]
    """
    served = answers.loc[answers["request_id"].notna(), ["visit_id", "request_id"]]
    joined = served.merge(visits[["visit_id", "fruit"]], on="visit_id", how="inner")
    return list(zip(joined["request_id"].astype(str), joined["fruit"].astype(str), strict=True))
