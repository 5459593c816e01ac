"""The prediction log: one row per served prediction, safe under concurrency, labels later."""

from __future__ import annotations

import sqlite3
import threading
import uuid

import pandas as pd
import pytest

from course_utils import predlog
from course_utils.predlog import LabelError, PredictionLog, read_log, record_labels


def row(rid: str | None = None, **changes) -> dict:
    r = {
        "request_id": rid or uuid.uuid4().hex,
        "time": predlog.now(),
        "model_version": "v1",
        "inputs": {"store": "Station", "hour": 8, "age": None, "has_kids": 1, "price": 0.25},
        "p_banana": 0.8,
        "decision": "banana",
    }
    r.update(changes)
    return r


@pytest.fixture
def log(tmp_path):
    with PredictionLog(tmp_path / "log.sqlite") as lg:
        yield lg


def test_write_and_read_back(log):
    assert log.write([row("a"), row("b", p_banana=0.1, decision="apple", model_version="v2")]) == 2
    assert log.write([]) == 0 and log.count() == 2
    frame = read_log(log.path)
    assert list(frame.columns) == [
        "request_id",
        "time",
        "model_version",
        "p_banana",
        "decision",
        "store",
        "hour",
        "age",
        "has_kids",
        "price",
        "fruit",
        "label_arrived",
    ]
    assert list(frame["request_id"]) == ["a", "b"]  # oldest first
    assert str(frame["time"].dt.tz) == "UTC"
    assert frame["age"].isna().all() and list(frame["has_kids"]) == [1, 1]
    assert frame["fruit"].isna().all() and frame["label_arrived"].isna().all()
    raw = read_log(log.path, with_labels=False, expand_inputs=False)
    assert list(raw.columns) == [*predlog.LOG_COLUMNS, "inputs"]
    assert raw["inputs"][0].startswith('{"store": "Station"')


def test_the_file_uses_wal_and_a_busy_timeout(log):
    con = sqlite3.connect(log.path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # a reader in the middle of its own transaction does not block the writer
        con.execute("BEGIN")
        assert con.execute("SELECT COUNT(*) FROM predictions").fetchone()[0] == 0
        log.write([row()])
        assert con.execute("SELECT COUNT(*) FROM predictions").fetchone()[0] == 0  # snapshot
        con.execute("COMMIT")
        assert con.execute("SELECT COUNT(*) FROM predictions").fetchone()[0] == 1
    finally:
        con.close()
    assert predlog.BUSY_TIMEOUT_S >= 5


@pytest.mark.parametrize(
    "bad, words",
    [
        ({"p_banana": 1.5}, "probability"),
        ({"p_banana": float("nan")}, "probability"),
        ({"decision": "cherry"}, "decision"),
        ({"inputs": {"age": float("nan")}}, "JSON"),
    ],
)
def test_a_batch_with_a_bad_row_writes_nothing(log, bad, words):
    with pytest.raises(ValueError, match=words):
        log.write([row(), row(**bad)])
    assert log.count() == 0


def test_a_duplicate_request_id_writes_nothing(log):
    log.write([row("same")])
    with pytest.raises(sqlite3.IntegrityError):
        log.write([row("new"), row("same")])
    assert list(read_log(log.path)["request_id"]) == ["same"]


def test_a_row_missing_a_column_is_a_clear_error(log):
    r = row()
    del r["model_version"]
    with pytest.raises(ValueError, match="model_version"):
        log.write([r])


def test_concurrent_writers(log):
    def writer(k: int) -> None:
        for i in range(100):
            log.write([row(f"{k}-{i}")])

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    frame = read_log(log.path)
    assert len(frame) == 800 and frame["request_id"].is_unique


def test_a_second_process_style_writer_waits_instead_of_failing(log):
    """Another connection (e.g. a notebook recording labels) holds the write lock briefly."""
    log.write([row("x")])
    other = sqlite3.connect(log.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    timer.start()
    try:
        log.write([row("y")])  # waits for the lock (busy timeout), then succeeds
    finally:
        timer.join()
        other.close()
    assert log.count() == 2


def test_labels_arrive_later_and_join_on_request_id(log):
    log.write([row("a"), row("b"), row("c")])
    assert record_labels(log.path, [("a", "apple"), ("c", "banana")]) == 2
    frame = read_log(log.path).set_index("request_id")
    assert frame.loc["a", "fruit"] == "apple" and frame.loc["c", "fruit"] == "banana"
    assert pd.isna(frame.loc["b", "fruit"]) and pd.isna(frame.loc["b", "label_arrived"])
    first = frame.loc["a", "label_arrived"]
    # a label sent again replaces the earlier one, with its new arrival time
    assert record_labels(log.path, [("a", "banana")]) == 1
    again = read_log(log.path).set_index("request_id")
    assert again.loc["a", "fruit"] == "banana" and again.loc["a", "label_arrived"] >= first
    assert "fruit" not in read_log(log.path, with_labels=False).columns
    assert record_labels(log.path, []) == 0


@pytest.mark.parametrize(
    "labels, words",
    [
        ([("a", "apple"), ("zzz", "banana")], "no prediction with request id zzz"),
        ([("a", "Banana")], "'apple' or 'banana'"),
        ([("a", None)], "'apple' or 'banana'"),
        (["a"], "pairs"),
        (5, "pairs"),
    ],
)
def test_bad_labels_record_nothing(log, labels, words):
    log.write([row("a")])
    with pytest.raises(LabelError, match=words):
        record_labels(log.path, labels)
    assert read_log(log.path)["fruit"].isna().all()


def test_missing_or_unusable_log_files(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="no prediction log at"):
        read_log(tmp_path / "nope.sqlite")
    with pytest.raises(FileNotFoundError, match="start the service"):
        record_labels(tmp_path / "nope.sqlite", [("a", "apple")])
    (tmp_path / "junk.sqlite").write_text("this is not a database" * 100)
    with pytest.raises(OSError, match="cannot use"):
        PredictionLog(tmp_path / "junk.sqlite")
    monkeypatch.setenv("COURSE_WORK_DIR", str(tmp_path))
    assert predlog.default_path() == tmp_path / "predictions.sqlite"
    lg = PredictionLog()
    lg.close()
    lg.close()
    with pytest.raises(OSError, match="is closed"):
        lg.write([row()])
    assert read_log().empty


def test_an_empty_log_reads_as_an_empty_table(log):
    frame = read_log(log.path)
    assert frame.empty and list(frame.columns[:5]) == predlog.LOG_COLUMNS
