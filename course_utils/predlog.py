"""The prediction log: every prediction the service serves, one row each, in SQLite.

Monitoring (notebook 08) needs to know what the model was asked, what it answered and -
weeks later, when the truth arrives - whether it was right. So the service writes one row
per served prediction, and labels that arrive later go into a second table, joined back
on the request id:

* ``predictions``: ``request_id`` (unique), ``time`` (UTC, ISO 8601), ``model_version``,
  ``inputs`` (the visit as the model saw it, JSON: booleans as 1/0), ``p_banana``,
  ``decision`` ("apple" or "banana");
* ``labels``: ``request_id``, ``fruit`` (what the customer really bought), ``arrived``
  (when the label was recorded). A label sent again replaces the earlier one.

Writes are safe under concurrent requests: one short transaction per request (all the
visits of a batch or none), serialised by a lock inside the process, with SQLite's
write-ahead log (readers never block the writer) and a busy timeout between processes
(a notebook can read the log, or record labels, while the service writes).

Example
-------
>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "log.sqlite")
>>> log = PredictionLog(path)
>>> log.write([{"request_id": "r1", "time": "2026-01-05T08:00:00+00:00",
...             "model_version": "v1", "inputs": {"store": "Station", "hour": 8},
...             "p_banana": 0.9, "decision": "banana"}])
1
>>> log.close()
>>> record_labels(path, [("r1", "apple")])
1
>>> read_log(path)[["request_id", "store", "decision", "fruit"]].to_dict("records")
[{'request_id': 'r1', 'store': 'Station', 'decision': 'banana', 'fruit': 'apple'}]
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

FILENAME = "predictions.sqlite"
DECISIONS = ("apple", "banana")
BUSY_TIMEOUT_S = 30.0
LOG_COLUMNS = ["request_id", "time", "model_version", "p_banana", "decision"]
LABEL_COLUMNS = ["fruit", "label_arrived"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS predictions (
    request_id    TEXT PRIMARY KEY,
    time          TEXT NOT NULL,
    model_version TEXT NOT NULL,
    inputs        TEXT NOT NULL,
    p_banana      REAL NOT NULL CHECK (p_banana >= 0 AND p_banana <= 1),
    decision      TEXT NOT NULL CHECK (decision IN ('apple', 'banana'))
);
CREATE TABLE IF NOT EXISTS labels (
    request_id TEXT PRIMARY KEY REFERENCES predictions (request_id),
    fruit      TEXT NOT NULL CHECK (fruit IN ('apple', 'banana')),
    arrived    TEXT NOT NULL
);
"""


class LabelError(ValueError):
    """Labels that cannot be recorded (unknown request ids, a fruit that is not a fruit)."""


def default_path() -> Path:
    """Where the service logs by default: ``work_dir()/"predictions.sqlite"``."""
    from .paths import work_dir

    return work_dir() / FILENAME


def now() -> str:
    """The current UTC time as ISO 8601 with microseconds (the log's time format)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A short-lived connection: busy timeout, WAL-friendly sync, closed on exit."""
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("PRAGMA foreign_keys=ON")
        yield con
    finally:
        con.close()


class PredictionLog:
    """The log file of one service: create it once, then :meth:`write` from any thread.

    >>> import tempfile, os
    >>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "p.sqlite"))
    >>> log.count()
    0
    >>> log.close()
    """

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One connection for all writes, used under the lock. (A connection per write
            # would make SQLite checkpoint the write-ahead log on every close: ~10 ms.)
            con = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            con.execute("PRAGMA foreign_keys=ON")
            con.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise OSError(f"cannot use {self.path} as a prediction log: {exc}") from None
        self._con: sqlite3.Connection | None = con

    def __repr__(self) -> str:
        return f"PredictionLog({str(self.path)!r})"

    def __enter__(self) -> PredictionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the log's connection (idempotent); later writes raise."""
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def write(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """Append rows in one transaction (all or none); return how many were written.

        Each row: ``request_id``, ``time``, ``model_version``, ``inputs`` (a dict),
        ``p_banana``, ``decision``. Safe to call from many threads at once.
        """
        values = [_row(r) for r in rows]
        if not values:
            return 0
        with self._lock:
            con = self._con
            if con is None:
                raise OSError(f"the prediction log {self.path} is closed")
            con.execute("BEGIN IMMEDIATE")
            try:
                con.executemany(
                    "INSERT INTO predictions "
                    "(request_id, time, model_version, inputs, p_banana, decision) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    values,
                )
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        return len(values)

    def count(self) -> int:
        """How many predictions the log holds."""
        with _connect(self.path) as con:
            return int(con.execute("SELECT COUNT(*) FROM predictions").fetchone()[0])


def _row(r: Mapping[str, Any]) -> tuple:
    try:
        p = float(r["p_banana"])
        decision = str(r["decision"])
        inputs = json.dumps(dict(r["inputs"]), allow_nan=False)
        row = (str(r["request_id"]), str(r["time"]), str(r["model_version"]), inputs, p, decision)
    except KeyError as exc:
        raise ValueError(f"a prediction log row needs {exc.args[0]!r}") from None
    if not (0.0 <= p <= 1.0) or math.isnan(p):
        raise ValueError(f"p_banana must be a probability, got {p}")
    if decision not in DECISIONS:
        raise ValueError(f"decision must be 'apple' or 'banana', got {decision!r}")
    return row


def record_labels(log_path: str | os.PathLike | None, labels: Iterable[tuple[str, str]]) -> int:
    """Record the fruit actually bought for earlier predictions; return how many.

    ``labels`` is ``[(request_id, "apple" | "banana"), ...]``. All are written in one
    transaction, or none: an unknown request id or another fruit raises
    :class:`LabelError` and nothing is recorded. A label sent again replaces the old one.

    >>> # record_labels("work/predictions.sqlite", [("3f2a...", "banana")])  ->  1
    """
    path = _existing(log_path)
    try:
        pairs = [(str(rid), fruit) for rid, fruit in labels]
    except (TypeError, ValueError):
        raise LabelError(
            "labels must be pairs (request_id, fruit), e.g. [('3f2a...', 'banana')]"
        ) from None
    bad = sorted({repr(f) for _, f in pairs if f not in DECISIONS})
    if bad:
        raise LabelError(f"a label is 'apple' or 'banana', got {', '.join(bad[:5])}")
    if not pairs:
        return 0
    arrived = now()
    with _connect(path) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
            con.execute("CREATE TEMP TABLE incoming (request_id TEXT)")
            con.executemany("INSERT INTO incoming VALUES (?)", [(r,) for r, _ in pairs])
            unknown = [
                r
                for (r,) in con.execute(
                    "SELECT DISTINCT i.request_id FROM incoming i "
                    "LEFT JOIN predictions p ON p.request_id = i.request_id "
                    "WHERE p.request_id IS NULL LIMIT 6"
                )
            ]
            if unknown:
                shown = ", ".join(unknown[:5]) + (", ..." if len(unknown) > 5 else "")
                raise LabelError(
                    f"no prediction with request id {shown} in {path}; nothing was recorded"
                )
            con.executemany(
                "INSERT INTO labels (request_id, fruit, arrived) VALUES (?, ?, ?) "
                "ON CONFLICT (request_id) DO UPDATE SET fruit = excluded.fruit, "
                "arrived = excluded.arrived",
                [(r, f, arrived) for r, f in pairs],
            )
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    return len(pairs)


def read_log(
    log_path: str | os.PathLike | None = None,
    with_labels: bool = True,
    *,
    expand_inputs: bool = True,
) -> pd.DataFrame:
    """The log as a table, one row per prediction, oldest first.

    Columns: ``request_id``, ``time`` (UTC timestamps), ``model_version``, ``p_banana``,
    ``decision``; then, with ``expand_inputs``, one column per input field (booleans as
    1/0, unknown as NaN) - else the raw ``inputs`` JSON; then, with ``with_labels``,
    ``fruit`` (the label, missing until it arrives) and ``label_arrived``.

    >>> # read_log()  ->  DataFrame: request_id, time, model_version, p_banana, ..., fruit
    """
    path = _existing(log_path)
    query = "SELECT p.request_id, p.time, p.model_version, p.p_banana, p.decision, p.inputs"
    if with_labels:
        query += (
            ", l.fruit AS fruit, l.arrived AS label_arrived FROM predictions p "
            "LEFT JOIN labels l ON l.request_id = p.request_id"
        )
    else:
        query += " FROM predictions p"
    query += " ORDER BY p.rowid"
    with _connect(path) as con:
        cur = con.execute(query)
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=names)
    frame["time"] = pd.to_datetime(frame["time"], utc=True, format="ISO8601")
    if with_labels:
        frame["label_arrived"] = pd.to_datetime(frame["label_arrived"], utc=True, format="ISO8601")
        frame["fruit"] = frame["fruit"].astype(object)
    frame["p_banana"] = frame["p_banana"].astype(float)
    if not expand_inputs:
        return frame
    inputs = pd.DataFrame.from_records([json.loads(x) for x in frame["inputs"]])
    inputs.index = frame.index
    inputs.columns = [f"input_{c}" if c in names else c for c in inputs.columns]
    front = frame[LOG_COLUMNS]
    back = frame[LABEL_COLUMNS] if with_labels else frame[[]]
    return pd.concat([front, inputs, back], axis=1)


def _existing(log_path: str | os.PathLike | None) -> Path:
    path = Path(log_path) if log_path is not None else default_path()
    if not path.is_file():
        raise FileNotFoundError(
            f"no prediction log at {path}: start the service (it creates the log) "
            "or pass the log_path the service was given"
        )
    return path
