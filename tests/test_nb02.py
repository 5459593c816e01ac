"""Notebook 02 "Collect the data": the lesson's result, its audit, its exercises, its widget.

The lesson is run once, in-process: the code cells of its solutions version are executed
in order, with ``COURSE_WORK_DIR`` pointing to a temporary folder (a few seconds). Then:

* its joined table equals ``checkpoints.raw_joined()`` (what notebook 03 starts from);
* its saved audit (``audit_02.json``) finds every planted defect of the manifest, and for
  row-level defects exactly the manifest's rows (precision and recall in the message);
* every exercise: the solution passes, typical wrong answers get their specific mistake,
  ``...``/``None`` are "not attempted", odd inputs never raise;
* the data-audit explorer reacts to its dropdown (headless), its logic is a plain function.
"""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from lesson_runner import run_lesson  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from course_utils import checkpoints, sources  # noqa: E402
from course_utils.exercises import nb02  # noqa: E402
from course_utils.exercises.nb02 import q1, q2, q3, q4  # noqa: E402
from course_utils.widgets import audit, p95, update_times  # noqa: E402


@pytest.fixture(scope="module")
def lesson(tmp_path_factory) -> dict:
    """Run the solutions version of lesson 02 in-process; return its variables."""
    return run_lesson("02", tmp_path_factory.mktemp("work"))


# --------------------------------------------------------------------------- the lesson


def test_the_notebooks_joined_table_is_the_checkpoint(lesson):
    pd.testing.assert_frame_equal(lesson["joined"], checkpoints.raw_joined())


def test_the_lesson_shows_the_inner_join_trap(lesson):
    assert len(lesson["inner"]) < len(lesson["joined"]) == len(lesson["sales"])
    assert "✘ Not quite" in lesson["_stdout"]  # the leaky day's mean, checked on purpose
    assert lesson["_stdout"].count("✔ Correct") == 4  # the four solutions


def test_the_temperature_is_point_in_time(lesson):
    """Every scan's temperature is a reading of its own store, taken at or before the scan,
    at most two hours earlier - never the day's mean."""
    joined, sensors = lesson["joined"], lesson["sensors"]
    readings = sensors.set_index(["store", "reading_at"])["temp"]
    known = joined[joined["temp"].notna()]
    for _, scan in known.sample(300, random_state=0).iterrows():
        own = sensors[(sensors["store"] == scan["store"])]
        before = own[own["reading_at"] <= scan["timestamp"]]
        last = before.iloc[before["reading_at"].argmax()]
        assert scan["timestamp"] - last["reading_at"] <= pd.Timedelta("2h")
        assert scan["temp"] == readings[(scan["store"], last["reading_at"])]
    # The scans without a temperature are exactly those of the sensor-outage days.
    outage = {tuple(r) for r in lesson["findings"]["missing_random"][1]["rows"]}
    ids = {v: k for k, v in sources.STORE_IDS.items()}
    outage = {(d, ids[s]) for d, s in outage}
    missing = joined[joined["temp"].isna()]
    days = zip(missing["date"], missing["store"], strict=True)
    assert {(f"{d:%Y-%m-%d}", s) for d, s in days} == outage


def _key(row) -> object:
    return tuple(row) if isinstance(row, list) else row


def test_the_audit_finds_every_planted_defect(lesson):
    path = lesson["_work"] / "audit_02.json"
    assert path.exists(), "the lesson did not save audit_02.json in COURSE_WORK_DIR"
    found = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(found) == sorted(sources.DEFECT_KINDS)
    manifest = sources.read_manifest()
    report = []
    for defect in manifest["defects"]:
        kind, source = defect["kind"], defect["source"]
        matches = [f for f in found[kind] if f["source"] == source]
        assert matches, f"{kind} in {source}: not found by the audit"
        (finding,) = matches
        assert finding["key"] == defect["key"], (kind, source, finding["key"])
        if defect["rows"]:
            planted = {_key(r) for r in defect["rows"]}
            flagged = {_key(r) for r in finding["rows"]}
            hits = len(planted & flagged)
            precision = hits / len(flagged) if flagged else 0.0
            recall = hits / len(planted)
            report.append(f"{kind}/{source}: precision {precision:.3f}, recall {recall:.3f}")
            assert flagged == planted, (
                f"{kind} in {source}: precision {precision:.3f} ({len(flagged - planted)} "
                f"flagged wrongly), recall {recall:.3f} ({len(planted - flagged)} missed)"
            )
        where = defect.get("where", {})
        if "store" in where:
            assert finding.get("store") == where["store"], (kind, finding.get("store"))
        if "store_id" in where:
            names = {v: k for k, v in sources.STORE_IDS.items()}
            assert finding.get("store") == names[where["store_id"]], (kind, finding)
    assert len(report) == sum(1 for d in manifest["defects"] if d["rows"])
    # No finding that the manifest does not have (a source flagged for a wrong kind).
    planted_pairs = {(d["kind"], d["source"]) for d in manifest["defects"]}
    for kind, findings in found.items():
        for f in findings:
            assert (kind, f["source"]) in planted_pairs, (kind, f["source"])


# --------------------------------------------------------------------------- exercises

ODD = [
    "banana",
    "",
    float("nan"),
    True,
    [1, 2],
    {"a": 1},
    np.array([1.0]),
    pd.DataFrame({"x": [1, 2]}),
    pd.DataFrame(),
    pd.Series([1.0, 2.0]),
    StandardScaler(),
    object(),
    pd.NA,
]


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4], ids=lambda e: e.name)
def test_blank_and_odd_answers(exercise, capsys):
    for blank in (..., None):
        assert exercise.evaluate(blank).status == "not_attempted"
    for odd in ODD:
        fb = exercise.evaluate(odd)
        assert fb.status == "incorrect" and fb.message, odd
        assert fb.mistake != "check_error", (odd, fb.message)
    exercise.check("banana")
    assert "Traceback" not in capsys.readouterr().out
    assert len(exercise.hints) >= 2 and exercise.solution_text()


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4], ids=lambda e: e.name)
def test_the_shown_solution_passes(exercise, lesson, capsys):
    namespace = {k: lesson[k] for k in ("sales", "daily", "with_prices", "readings")}
    namespace.update(pd=pd, np=np, **{exercise.name: exercise})
    exec(exercise._solution, namespace)
    assert capsys.readouterr().out.startswith("✔ Correct")


def _asof(lesson, **kw):
    kw.setdefault("left_on", "timestamp")
    kw.setdefault("right_on", "reading_at")
    left = lesson["with_prices"].sort_values("timestamp")
    return pd.merge_asof(left, lesson["readings"], **kw)


def test_q1_point_in_time_misconceptions(lesson):
    two_hours = pd.Timedelta("2h")
    good = _asof(lesson, by="store", tolerance=two_hours)
    assert q1.evaluate(good).ok
    assert q1.evaluate(lesson["joined"]).ok  # the lesson's table, in the scans' order
    with_prices, daily = lesson["with_prices"], lesson["daily"]
    day_mean = with_prices.merge(daily, on=["date", "store"], how="left")
    fb = q1.evaluate(day_mean)
    assert fb.mistake == "future_information" and "mean" in fb.message
    renamed = day_mean.rename(columns={"temp_mean": "temp"})
    assert q1.evaluate(renamed).mistake == "future_information"
    for direction in ("forward", "nearest"):
        wrong = _asof(lesson, by="store", tolerance=two_hours, direction=direction)
        fb = q1.evaluate(wrong)
        assert fb.mistake == "future_information" and "backward" in fb.message, direction
    fb = q1.evaluate(_asof(lesson, by="store"))
    assert fb.mistake == "stale_value" and "tolerance" in fb.message
    fb = q1.evaluate(_asof(lesson, tolerance=two_hours))
    assert fb.mistake == "wrong_group" and "by='store'" in fb.message
    fb = q1.evaluate(good.dropna(subset=["temp"]))
    assert fb.mistake == "rows_lost" and "without a word" in fb.message
    fb = q1.evaluate(good.iloc[:-10])
    assert fb.mistake == "rows_lost"
    # A plain merge copies a scan once per matching reading: a few scans twice is enough
    # (the real merge on the store alone would make 100 million rows).
    raw = pd.concat([good, good.iloc[:5]], ignore_index=True)
    assert q1.evaluate(raw).mistake == "rows_added"
    shuffled = good.copy()
    shuffled["temp"] = shuffled["temp"].sample(frac=1, random_state=0).to_numpy()
    assert q1.evaluate(shuffled).mistake == "wrong_value"
    assert q1.evaluate(shuffled.assign(temp="warm")).mistake == "wrong_dtype"
    assert q1.evaluate(len(good)).mistake == "wrong_type"
    assert q1.evaluate(with_prices).mistake == "missing_columns"
    assert set(nb02.MISTAKES) >= {"future_information", "stale_value", "wrong_group"}
    # The expected temperatures are never shown in a message.
    for wrong in (day_mean, shuffled):
        assert f"{good['temp'].iloc[0]}" not in q1.evaluate(wrong).message
    # a join that lacks columns: a selection before or after it
    slim = good[["visit_id", "timestamp", "store", "temp"]]
    fb = q1.evaluate(slim)
    assert fb.mistake == "missing_columns" and "'fruit'" in fb.message
    assert q1.evaluate(good.astype({"temp": str})).mistake == "wrong_dtype"


def test_q2_duplicates_on_all_columns_and_both_copies(lesson):
    sales = lesson["sales"]
    expected = int(sales["visit_id"].duplicated().sum())
    cases = {
        int(sales.duplicated().sum()): "duplicates_all_columns",
        len(sales) - len(sales.drop_duplicates()): "duplicates_all_columns",
        int(sales["visit_id"].duplicated(keep=False).sum()): "counted_both_copies",
        int(sales["visit_id"].nunique()): "rows_not_unique",
        len(sales): "rows_not_unique",
        expected + 0.5: "not_integer",
        expected + 3: "wrong_value",
        -1: "out_of_range",
    }
    for answer, mistake in cases.items():
        fb = q2.evaluate(answer)
        assert fb.mistake == mistake, (answer, fb)
        if str(expected) not in str(answer):  # never reveals the count (except as an echo)
            assert str(expected) not in fb.message, (answer, fb)
    assert q2.evaluate(np.int64(expected)).ok
    assert q2.evaluate(str(expected)).mistake == "wrong_type"
    assert set(nb02.MISTAKES) >= {"duplicates_all_columns", "counted_both_copies"}


def test_q3_fahrenheit_store_with_explanations():
    assert q3.evaluate(" riverside ").ok
    fb = q3.evaluate("Station")
    assert fb.mistake == "wrong_choice" and "spread" in fb.message
    assert "Riverside" not in fb.message
    assert "heat wave" in q3.evaluate("central").message
    assert "lethal" in q3.evaluate("none").message
    assert q3.evaluate("Paris").mistake == "wrong_type"


def test_q4_ratio_inverted_percent_and_other_slips(lesson):
    sales, daily = lesson["sales"], lesson["daily"]
    rec = sales.drop_duplicates("visit_id")["store"].value_counts(normalize=True)["Station"]
    foot = daily.groupby("store")["footfall"].sum()
    share = (foot / foot.sum())["Station"]
    ratio = rec / share
    assert q4.evaluate(ratio).ok and q4.evaluate(round(ratio, 2)).ok
    # With the duplicates left in, the shares barely move: still accepted.
    assert q4.evaluate(sales["store"].value_counts(normalize=True)["Station"] / share).ok
    assert q4.evaluate(share / rec).mistake == "inverted_ratio"
    assert q4.evaluate(100 * ratio).mistake == "percent_not_fraction"
    assert q4.evaluate(100 * share / rec).mistake == "inverted_ratio"
    assert "difference" in q4.evaluate(rec - share).message
    assert "only the Station's share" in q4.evaluate(rec).message
    per_scan = lesson["joined"].groupby("store")["footfall"].sum()
    fb = q4.evaluate(rec / (per_scan / per_scan.sum())["Station"])
    assert "once per scan" in fb.message
    n_station = (sales.drop_duplicates("visit_id")["store"] == "Station").sum()
    assert q4.evaluate(n_station / foot["Station"]).mistake == "count_not_share"
    for answer in (0.2, 1.0, -0.5):
        fb = q4.evaluate(answer)
        assert not fb.ok and f"{ratio:.2f}" not in fb.message and f"{ratio:.3f}" not in fb.message


# --------------------------------------------------------------------------- widget


def test_column_audit_is_a_plain_function(lesson):
    joined = lesson["joined"]
    temp = audit.column_audit(joined, "temp")
    assert temp["kind"] == "numeric" and list(temp["stores"]) == ["Central", "Riverside", "Station"]
    assert any(s.startswith("Riverside: median") for s in temp["suspicious"])
    expected = joined["temp"].isna().groupby(joined["store"]).mean()
    assert np.allclose(temp["missing"].to_numpy(), expected.to_numpy())
    assert int(temp["hist"].to_numpy().sum()) + temp["clipped"] == joined["temp"].notna().sum()
    fruit = audit.column_audit(joined, "fruit")
    assert fruit["kind"] == "categorical"
    odd = " ".join(fruit["suspicious"])
    assert "'bananna'" in odd and "'banana '" in odd and "'aple'" in odd
    age = " ".join(audit.column_audit(joined, "age")["suspicious"])
    assert "plausible range" in age and "340" in age and "not missing completely at random" in age
    kids = " ".join(audit.column_audit(joined, "household_kids")["suspicious"])
    assert "completely at random" not in kids
    apple = " ".join(audit.column_audit(joined, "apple")["suspicious"])
    assert "Station: median" in apple and "another unit" in apple and "-0.49" in apple
    assert "empty text" in " ".join(audit.column_audit(joined, "offer")["suspicious"])
    table = audit.audit_table(temp)
    assert list(table.index) == ["Central", "Riverside", "Station"]
    assert "missing" in table.columns and "median" in table.columns
    with pytest.raises(KeyError, match="no column 'tmp'"):
        audit.column_audit(joined, "tmp")


def test_the_widget_reacts_to_its_dropdown(lesson):
    ex = audit.make_widget(lesson["joined"])
    dropdown = ex.controls["column"]
    assert dropdown.value == "temp" and "another unit" in ex.text_html.value
    before_text, before_png = ex.text_html.value, ex.image.value
    dropdown.value = "age"
    assert ex.result["column"] == "age" and "plausible range" in ex.text_html.value
    assert ex.text_html.value != before_text and ex.image.value != before_png
    assert ex.image.value[:4] == b"\x89PNG"
    dropdown.value = "fruit"
    assert "odd spelling" in ex.text_html.value and "&#x27;bananna&#x27;" in ex.text_html.value
    names = [value for _, value in dropdown.options]
    assert set(audit.BENCH[1]) <= set(names)
    times = update_times(ex, *audit.BENCH)
    assert len(times) >= len(audit.BENCH[1]) - 1 and p95(times) > 0  # speed: see make bench
