"""Stage 02, notebooks 02a "Collect" and 02b "Audit": results, audit, exercises, widget.

Each part is run once, in-process: the code cells of its solutions version are executed
in order, with ``COURSE_WORK_DIR`` pointing to a temporary folder (a few seconds). Then:

* 02a's joined table equals ``checkpoints.raw_joined()`` (what 02b and 03 start from), and
  02b, which starts from ``checkpoints.collected()``, audits the same tables;
* the build task ``q1`` (the join chain as a function) passes with its solution and names
  each typical wrong function: the day's mean, a later or the nearest reading, no
  tolerance, no ``by='store'``, rows lost or copied, the order not restored, no
  ``validate=``, a forgotten ``return``, an input changed in place, a hard-coded table;
* the wrap-up quizzes: right answers pass, a wrong one gets its option's explanation;
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
from course_utils.exercises.nb02 import q1, q2, q3, q4, wrapup_a, wrapup_b  # noqa: E402
from course_utils.widgets import audit, p95, update_times  # noqa: E402


@pytest.fixture(scope="module")
def lesson_a(tmp_path_factory) -> dict:
    """Run the solutions version of lesson 02a in-process; return its variables."""
    return run_lesson("02a", tmp_path_factory.mktemp("work"))


@pytest.fixture(scope="module")
def lesson(tmp_path_factory) -> dict:
    """Run the solutions version of lesson 02b (the audit) in-process; return its variables."""
    return run_lesson("02b", tmp_path_factory.mktemp("work"))


# --------------------------------------------------------------------------- the lesson


def test_the_notebooks_joined_table_is_the_checkpoint(lesson_a):
    pd.testing.assert_frame_equal(lesson_a["joined"], checkpoints.raw_joined())


def test_part_b_starts_from_what_part_a_built(lesson_a, lesson):
    for name in ("sales", "customers", "prices", "daily", "joined"):
        pd.testing.assert_frame_equal(lesson[name], lesson_a[name], check_dtype=False, obj=name)
    columns = ["reading_at", "date", "store", "temp", "footfall"]
    pd.testing.assert_frame_equal(lesson["sensors"][columns], lesson_a["sensors"][columns])


def test_the_lessons_check_their_solutions(lesson_a, lesson):
    assert len(lesson_a["inner"]) < len(lesson_a["joined"]) == len(lesson_a["sales"])
    assert lesson_a["_stdout"].count("✔ Correct") == 2  # the build task and the quiz
    assert lesson["_stdout"].count("✔ Correct") == 4  # q2, q3, q4 and the quiz
    for part in (lesson_a, lesson):
        assert "✘" not in part["_stdout"] and "Hint" not in part["_stdout"]


def test_checkpoint_join_sources_is_the_lessons_join(lesson_a):
    pd.testing.assert_frame_equal(
        lesson_a["join_sources"](
            lesson_a["with_customers"], lesson_a["prices"], lesson_a["readings"]
        ),
        lesson_a["with_temp"],
    )
    bias = checkpoints.store_shares(lesson_a["sales"], lesson_a["daily"])
    assert (
        bias.loc["Station", "recorded / footfall"] < 1 < bias.loc["Central", "recorded / footfall"]
    )
    assert np.isclose(bias["share of footfall"].sum(), 1)


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
    namespace = {k: lesson[k] for k in ("sales", "daily")}
    namespace.update(pd=pd, np=np, **{exercise.name: exercise})
    exec(exercise._solution, namespace)
    assert capsys.readouterr().out.startswith("✔ Correct")


# --------------------------------------------------------------------------- q1 (build)


TWO_HOURS = pd.Timedelta("2h")


def _join(*, by="store", direction="backward", tolerance=TWO_HOURS, validate=True,
          restore_order=True, exact=True, drop_missing=False):  # fmt: skip
    """A ``join_sources`` with one of the typical slips (the defaults: the right one)."""

    def join_sources(scans, prices, readings):
        table = scans.merge(
            prices, on=["date", "store"], how="left", validate="many_to_one" if validate else None
        )
        table = table.assign(_row=range(len(table)))
        options = {"by": by, "tolerance": tolerance}
        table = pd.merge_asof(
            table.sort_values("timestamp"),
            readings.sort_values("reading_at"),
            left_on="timestamp",
            right_on="reading_at",
            direction=direction,
            allow_exact_matches=exact,
            **{k: v for k, v in options.items() if v is not None},
        )
        if restore_order:
            table = table.sort_values("_row").reset_index(drop=True)
        if drop_missing:
            table = table.dropna(subset=["temp"])
        return table.drop(columns=["_row", "reading_at"])

    return join_sources


def test_q1_the_right_function_passes_and_blank_is_not_attempted(lesson_a):
    assert q1.evaluate(_join()).ok
    assert q1.evaluate(lesson_a["join_sources"]).ok  # the lesson's solution

    # Another correct way: reset_index() instead of a _row column.
    def with_reset_index(scans, prices, readings):
        table = scans.merge(prices, on=["date", "store"], how="left", validate="many_to_one")
        table = pd.merge_asof(
            table.reset_index().sort_values("timestamp"), readings.sort_values("reading_at"),
            left_on="timestamp", right_on="reading_at", by="store",
            tolerance=pd.Timedelta("2h"),
        )  # fmt: skip
        return table.sort_values("index").set_index("index").drop(columns="reading_at")

    assert q1.evaluate(with_reset_index).ok
    assert q1.evaluate(...).status == "not_attempted"

    def skeleton(scans, prices, readings):
        return ...

    assert q1.evaluate(skeleton).status == "not_attempted"


@pytest.mark.parametrize(
    ("slip", "mistake", "words"),
    [
        ({"direction": "forward"}, "future_information", "after"),
        ({"direction": "nearest"}, "future_information", "nearest"),
        ({"tolerance": None}, "stale_value", "tolerance"),
        ({"by": None}, "wrong_group", "by='store'"),
        ({"restore_order": False}, "wrong_index", "order"),
        ({"validate": False}, "rows_added", "validate='many_to_one'"),
        ({"drop_missing": True}, "rows_lost", "no reading"),
        ({"exact": False}, "wrong_value", "allow_exact_matches"),
    ],
    ids=lambda v: str(v),
)
def test_q1_names_each_point_in_time_slip(slip, mistake, words):
    fb = q1.evaluate(_join(**slip))
    assert fb.mistake == mistake and words in fb.message, (slip, fb)


def test_q1_day_mean_rows_added_and_the_usual_slips(lesson_a):
    def day_mean(scans, prices, readings):
        table = scans.merge(prices, on=["date", "store"], how="left", validate="many_to_one")
        day = readings.assign(date=readings["reading_at"].dt.normalize())
        day = day.groupby(["date", "store"], as_index=False)["temp"].mean()
        return table.merge(day, on=["date", "store"], how="left", validate="many_to_one")

    fb = q1.evaluate(day_mean)
    assert fb.mistake == "future_information" and "mean" in fb.message

    def plain_merge(scans, prices, readings):
        table = scans.merge(prices, on=["date", "store"], how="left")
        day = readings.assign(date=readings["reading_at"].dt.normalize())
        return table.merge(day, on=["date", "store"], how="left").drop(columns="reading_at")

    assert q1.evaluate(plain_merge).mistake == "rows_added"

    def forgot_return(scans, prices, readings):
        _join()(scans, prices, readings)

    assert q1.evaluate(forgot_return).mistake == "returned_none"

    def mutates(scans, prices, readings):
        scans["date"] = scans["timestamp"].dt.normalize()  # overwrites the caller's column
        scans.drop(scans.index[:1], inplace=True)
        return _join()(scans, prices, readings)

    assert q1.evaluate(mutates).mistake == "mutates_input"

    # Hard-coded: the notebook's own table, whatever the input.
    table = lesson_a["with_temp"]
    fb = q1.evaluate(lambda scans, prices, readings: table)
    assert fb.mistake == "wrong_value" and "function's parameters" in fb.message

    def swapped(prices, readings, scans):  # the parameters in another order
        return _join()(scans, prices, readings)

    assert q1.evaluate(swapped).mistake == "raised"
    assert q1.evaluate(lambda scans, prices: scans).mistake == "signature"
    assert q1.evaluate(table).mistake == "not_a_function"  # the table, not the function
    assert q1.evaluate(lambda s, p, r: len(s)).mistake == "wrong_type"

    def keeps_reading_at(scans, prices, readings):
        out = _join()(scans, prices, readings)
        return out.assign(reading_at=out["timestamp"])

    assert q1.evaluate(keeps_reading_at).mistake == "extra_columns"

    def no_prices(scans, prices, readings):
        return _join()(scans, prices, readings).drop(columns=["apple", "banana"])

    fb = q1.evaluate(no_prices)
    assert fb.mistake == "missing_columns" and "'apple'" in fb.message

    def prices_by_store_only(scans, prices, readings):
        out = _join()(scans, prices, readings)
        first = prices.drop_duplicates("store").set_index("store")["apple"]
        return out.assign(apple=out["store"].map(first).to_numpy())

    fb = q1.evaluate(prices_by_store_only)
    assert fb.mistake == "wrong_value" and "'apple'" in fb.message


def test_q1_cases_are_not_the_notebooks_tables():
    """The check runs on tables the learner has not seen: another seed, hand-made days."""
    cases = nb02._q1_cases()
    assert len(cases) >= 2
    joined = checkpoints.raw_joined()
    seen = set(zip(joined["visit_id"], joined["timestamp"], strict=True))
    for case in cases:
        scans, prices, readings = case.args
        assert not set(zip(scans["visit_id"], scans["timestamp"], strict=True)) & seen
        assert not scans["timestamp"].is_monotonic_increasing, case.label  # order matters
        expected = checkpoints.join_sources(scans, prices, readings)
        assert expected["temp"].isna().any() and expected["temp"].notna().any(), case.label


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


# --------------------------------------------------------------------------- wrap-up quizzes

RIGHT = {
    "wrapup_a": {1: "b", 2: "c", 3: "a", 4: "b", 5: "c", 6: "a"},
    "wrapup_b": {1: "c", 2: "a", 3: "b", 4: "c", 5: "a", 6: "b", 7: "b"},
}


@pytest.mark.parametrize("quiz", [wrapup_a, wrapup_b], ids=lambda q: q.name)
def test_the_wrapup_quizzes(quiz):
    right = RIGHT[quiz.name]
    assert 5 <= len(quiz.questions) <= 8 and len(right) == len(quiz.questions)
    assert {i: q.answer for i, q in enumerate(quiz.questions, start=1)} == right
    assert sum(q.revisits in ("00", "01") for q in quiz.questions) >= 2  # earlier notebooks
    assert quiz.evaluate(right).ok
    assert quiz.evaluate(dict.fromkeys(right, ...)).status == "not_attempted"
    assert quiz.evaluate(None).status == "not_attempted"
    for i, question in enumerate(quiz.questions, start=1):
        assert set(question.why) == set(question.options)  # every option explained
        for letter in question.options:
            if letter == question.answer:
                continue
            fb = quiz.evaluate({**right, i: letter})
            assert not fb.ok and question.why[letter] in fb.message, (i, letter)
            if question.tag:
                assert fb.mistake == question.tag
    assert quiz.evaluate({**right, 1: "z"}).status == "incorrect"


def test_q1_inner_join_helper_columns_and_own_errors():
    """A scan whose day the price page does not list keeps its row (an inner join loses
    it); helper columns and a text temperature are named; any error that refuses a
    duplicated price is fine."""
    right = _join()

    def inner(scans, prices, readings):  # the rows without a price lost
        return right(scans, prices, readings).dropna(subset=["apple"]).reset_index(drop=True)

    fb = q1.evaluate(inner)
    assert fb.mistake == "rows_lost" and "how='left'" in fb.message
    fb = q1.evaluate(lambda s, p, r: right(s, p, r).dropna())
    assert fb.mistake == "rows_lost" and "dropna" in fb.message
    fb = q1.evaluate(lambda s, p, r: right(s, p, r).assign(_row=0))
    assert fb.mistake == "extra_columns" and "'_row'" in fb.message
    fb = q1.evaluate(lambda s, p, r: right(s, p, r).assign(temp=lambda t: t["temp"].astype(str)))
    assert fb.mistake == "wrong_dtype"

    def own_error(scans, prices, readings):
        if prices.duplicated(["date", "store"]).any():
            raise RuntimeError("the price page lists a day twice")
        return right(scans, prices, readings)

    assert q1.evaluate(own_error).ok
