"""The instructor's class report: numbers on a hand-made class, the demo, every bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from course_utils import __version__, classreport, progress
from course_utils.exercises import MISTAKES, all_exercises, catalogue

REPO = Path(__file__).resolve().parent.parent


def export(pseudonym, learner_id, exercises, **extra):
    """An export document as progress --export writes it."""
    doc = {
        "format": progress.EXPORT_FORMAT,
        "format_version": progress.EXPORT_VERSION,
        "course_version": __version__,
        "pseudonym": pseudonym,
        "learner_id": learner_id,
        "exported_on": "2026-01-01",
        "exercises": [
            {
                "notebook": nb,
                "exercise": q,
                "attempts": n,
                "passed": first is not None,
                "first_pass_attempt": first,
                "mistakes": mistakes,
            }
            for nb, q, n, first, mistakes in exercises
        ],
    }
    doc.update(extra)
    return doc


ANT = export(
    "ant",
    "a" * 16,
    [
        ("00", "q1", 1, 1, {}),
        ("00", "q2", 3, 3, {"rows_not_unique": 2}),
        ("01", "q1", 6, None, {"leakage": 5}),
    ],
)
BEE = export(
    "Bee",
    "b" * 16,
    [
        ("00", "q1", 3, 2, {"percent_not_fraction": 1}),
        ("00", "q2", 1, 1, {}),
        ("01", "q1", 2, 2, {"leakage": 1}),
    ],
)
CAT = export("cat", "c" * 16, [("00", "q1", 2, None, {"complement": 1, "wrong_type": 1})])


def write(folder: Path, name: str, doc) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture()
def klass(tmp_path) -> Path:
    folder = tmp_path / "exports"
    for doc in (ANT, BEE, CAT):
        write(folder, f"{doc['pseudonym']}.json", doc)
    return folder


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """The learner's progress file and the work folder in a temporary place."""
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    monkeypatch.setenv("COURSE_WORK_DIR", str(tmp_path / "work"))
    progress._reset_session()
    yield
    progress._reset_session()


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "course_utils", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line_error(r, words):
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], r.stderr


# --------------------------------------------------------------------------- numbers


def test_report_numbers_on_a_hand_made_class(klass, tmp_path):
    out = tmp_path / "report"
    s = classreport.build_report([klass], out)
    assert s["learners"] == 3 and s["notes"] == []
    assert json.loads((out / "report.json").read_text()) == s
    documented = classreport.__doc__.split("report.json`` layout")[1]
    for key in s:  # every key of report.json is in the documented layout
        assert f'"{key}"' in documented, key
    assert (s["format"], s["format_version"], s["course_version"]) == (
        classreport.REPORT_FORMAT,
        1,
        __version__,
    )
    ex = {(e["notebook"], e["exercise"]): e for e in s["exercises"]}
    assert len(ex) == len(catalogue())
    q1 = ex["00", "q1"]
    assert (q1["learners_attempted"], q1["learners_passed"], q1["share_passed"]) == (3, 2, 0.667)
    assert (q1["median_attempts"], q1["median_attempts_to_pass"]) == (2.0, 1.5)
    assert q1["top_mistakes"] == [
        {"tag": "complement", "count": 1},
        {"tag": "percent_not_fraction", "count": 1},
        {"tag": "wrong_type", "count": 1},
    ]
    q2 = ex["00", "q2"]
    assert (q2["learners_passed"], q2["median_attempts"], q2["median_attempts_to_pass"]) == (
        2,
        2.0,
        2.0,
    )
    q3 = ex["00", "q3"]
    assert (q3["learners_attempted"], q3["share_passed"], q3["median_attempts"]) == (0, 0.0, None)
    leak = ex["01", "q1"]
    assert (leak["learners_attempted"], leak["learners_passed"], leak["share_passed"]) == (
        2,
        1,
        0.333,
    )
    assert (leak["median_attempts"], leak["median_attempts_to_pass"]) == (4.0, 2.0)

    nbs = {r["notebook"]: r for r in s["notebooks"]}
    assert (nbs["00"]["learners_started"], nbs["00"]["learners_completed"]) == (3, 0)
    assert nbs["00"]["median_attempts"] == 2.0  # of 1, 3, 3, 1, 2
    assert (nbs["01"]["learners_started"], nbs["01"]["share_completed"]) == (2, 0.0)
    assert nbs["02"]["learners_started"] == 0 and nbs["02"]["median_attempts"] is None

    mis = [(r["tag"], r["learners"], r["count"]) for r in s["misconceptions"]]
    assert mis == [
        ("leakage", 2, 6),
        ("rows_not_unique", 1, 2),
        ("complement", 1, 1),
        ("percent_not_fraction", 1, 1),
    ]
    top = s["misconceptions"][0]
    assert top["explanation"] == MISTAKES["leakage"]
    assert top["prompt"] == classreport.DISCUSSION_PROMPTS["leakage"]
    assert top["exercises"] == ["01 q1"]
    assert [(r["tag"], r["learners"], r["count"]) for r in s["other_mistakes"]] == [
        ("wrong_type", 1, 1)
    ]
    assert s["stuck"] == [
        {
            "learner": "ant",
            "notebook": "01",
            "exercise": "q1",
            "attempts": 6,
            "most_frequent_mistake": "leakage",
        }
    ]
    heat = s["heatmap"]
    assert heat["learners"] == ["ant", "Bee", "cat"]  # sorted, case-insensitive
    assert heat["cells"][heat["exercises"].index("00 q1")] == ["1", "2", "x"]
    assert heat["cells"][heat["exercises"].index("00 q2")] == ["3", "1", ""]
    assert heat["cells"][heat["exercises"].index("01 q1")] == ["!", "2", ""]


def test_the_stuck_threshold_is_a_setting(klass, tmp_path):
    s = classreport.build_report([klass], tmp_path / "r", stuck_attempts=2)
    assert {(x["learner"], x["exercise"]) for x in s["stuck"]} == {("ant", "q1"), ("cat", "q1")}
    assert s["stuck_attempts"] == 2


def test_html_report_is_self_contained_and_says_everything_in_text(klass, tmp_path):
    classreport.build_report([klass], tmp_path / "r")
    html = (tmp_path / "r" / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<script" not in html and "<link" not in html and " src=" not in html
    urls = set(re.findall(r"https?://[^\s'\"<>]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}  # the SVG namespace only, no download
    assert html.count("<svg") == 2  # heat map and bar chart
    assert "Figure 1" in html and "Figure 2 as a table" in html
    assert classreport.DISCUSSION_PROMPTS["leakage"].replace("'", "&#x27;") in html
    assert MISTAKES["leakage"] in html
    # The heat map's text equivalent: a row per learner with the same symbols.
    table = html.split("id='heat-table'")[1]
    assert table.count("<tr>") == 1 + 3 and ">ant</td>" in table and ">!</td>" in table


# --------------------------------------------------------------------------- demo


def test_demo_class_is_seeded_and_its_report_complete(tmp_path):
    a = classreport.build_demo(tmp_path / "a")
    b = classreport.build_demo(tmp_path / "b")
    assert a == b  # seeded: the same class twice
    assert classreport.build_demo(tmp_path / "c", seed=1) != a
    assert a["learners"] == 40 and a["notes"] == []
    assert len(list((tmp_path / "a" / "demo-exports").glob("*.json"))) == 40
    assert len(a["heatmap"]["learners"]) == 40
    assert len(a["heatmap"]["cells"]) == len(catalogue())
    symbols = {c for row in a["heatmap"]["cells"] for c in row}
    assert symbols <= {"", "1", "x", "!", "+", "9+"} | {str(k) for k in range(2, 10)}
    assert {"1", "x"} <= symbols and len(symbols) >= 5  # passes, retries and failures
    assert len(a["misconceptions"]) >= 10 and a["stuck"]
    for row in a["misconceptions"]:
        assert row["prompt"] == classreport.DISCUSSION_PROMPTS[row["tag"]]
        assert row["explanation"] == MISTAKES[row["tag"]]
        assert 1 <= row["learners"] <= row["count"]
    for row in a["exercises"]:
        assert 0 <= row["share_passed"] <= 1
        assert row["learners_passed"] <= row["learners_attempted"] <= 40
    html = (tmp_path / "a" / "report.html").read_text()
    assert "a simulated class of 40" in html


def test_demo_patterns_are_the_ones_the_tests_check():
    all_exercises()
    keys = {(nb, q) for nb, q, _ in catalogue()}
    assert set(classreport.DEMO_PATTERNS) == keys
    for (nb, q), (difficulty, pattern) in classreport.DEMO_PATTERNS.items():
        assert 0 <= difficulty <= 1 and pattern
        source = REPO / "tests" / ("test_exercises.py" if nb == "00" else f"test_nb{nb}.py")
        text = source.read_text()
        for tag, weight in pattern.items():
            assert weight > 0 and tag in MISTAKES, (nb, q, tag)
            assert f'"{tag}"' in text, f"{tag} of {nb} {q} is not checked in {source.name}"


def test_every_misconception_has_a_prompt_and_the_guide_has_them_all():
    all_exercises()
    named = set(MISTAKES) - classreport.FORM_TAGS
    assert named <= set(classreport.DISCUSSION_PROMPTS)
    assert set(classreport.DISCUSSION_PROMPTS) <= set(MISTAKES)
    guide = (REPO / "docs" / "instructor-guide.md").read_text()
    for tag, prompt in classreport.DISCUSSION_PROMPTS.items():
        assert f"| `{tag}` | {prompt} |" in guide, tag


# --------------------------------------------------------------------------- bad input


def test_duplicates_are_counted_once_and_said(klass, tmp_path):
    ant_early = export("ant", "a" * 16, [("00", "q1", 1, 1, {})])
    write(klass, "ant-first-try.json", ant_early)
    namesake = export("ant", "d" * 16, [("00", "q1", 4, None, {"complement": 4})])
    write(klass / "sub", "another-ant.json", namesake)
    learners, notes = classreport.collect([klass, klass / "ant.json"])
    assert len(learners) == 4  # ant once, her namesake, Bee, cat
    ant = next(x for x in learners if x.learner_id == "a" * 16)
    assert ant.total_attempts == 10  # the fuller export
    assert any("ant-first-try.json" in n and "counted once" in n for n in notes)
    assert any("given twice; read once" in n for n in notes)
    assert any("'ant (2)'" in n for n in notes)
    s = classreport.summarise(learners, notes)
    q1 = next(e for e in s["exercises"] if (e["notebook"], e["exercise"]) == ("00", "q1"))
    assert q1["learners_attempted"] == 4 and q1["learners_passed"] == 2
    assert s["heatmap"]["learners"] == ["ant", "ant (2)", "Bee", "cat"]


def test_exports_of_one_pseudonym_from_several_runtimes_can_be_merged(tmp_path):
    # On Colab each notebook may run in its own runtime: one progress file (and id) each.
    nb00 = export("fox", "1" * 16, [("00", "q1", 2, 2, {"complement": 1})])
    nb01 = export("fox", "2" * 16, [("01", "q1", 3, 3, {"leakage": 2})])
    again = export("fox", "3" * 16, [("00", "q1", 1, 1, {})])  # 00 q1 redone elsewhere
    for i, doc in enumerate((nb00, nb01, again)):
        write(tmp_path / "in", f"fox-{i}.json", doc)
    apart, notes = classreport.collect([tmp_path / "in"])
    assert [x.pseudonym for x in apart] == ["fox", "fox (2)", "fox (3)"]
    assert sum("--merge-pseudonyms" in n for n in notes) == 2
    (fox,), notes = classreport.collect([tmp_path / "in"], merge_pseudonyms=True)
    assert notes == [
        f"3 exports with the pseudonym 'fox' ({tmp_path / 'in' / 'fox-0.json'}, "
        f"{tmp_path / 'in' / 'fox-1.json'}, {tmp_path / 'in' / 'fox-2.json'}) merged into "
        "one learner: per exercise, the export with the most attempts counts"
    ]
    assert fox.records[("00", "q1")].attempts == 2  # not 3: nothing counted twice
    assert fox.records[("01", "q1")].mistakes == {"leakage": 2}
    r = run_cli("class-report", tmp_path / "in", "--merge-pseudonyms", "--out", tmp_path / "r")
    assert r.returncode == 0 and "1 learner(s)" in r.stdout, r.stderr


@pytest.mark.parametrize(
    "content, words",
    [
        ('{"format": "apple-or-banana/progress-export", ', "not valid JSON (line 1"),
        ("[1, 2, 3]", "a JSON list, expected an object"),
        ('{"name": "not ours"}', "not a progress export of this course ('format' is missing"),
        ('{"version": 1, "passed": {}}', "a progress file, not an export"),
        ('{"format": "other/tool"}', "'format' is 'other/tool'"),
        ("\udcff", "not a text file"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON (nested too deep)"),
    ],
)
def test_a_corrupt_or_foreign_file_is_one_note_and_not_counted(klass, tmp_path, content, words):
    path = klass / "odd.json"
    if content == "\udcff":
        path.write_bytes(b"\xff\xfe\x00garbage")
    else:
        path.write_text(content)
    learners, notes = classreport.collect([klass])
    assert len(learners) == 3
    (note,) = notes
    assert note.startswith(str(path)) and words in note and note.endswith("not counted")
    assert "\n" not in note


@pytest.mark.parametrize(
    "change, words",
    [
        ({"format_version": 2}, "newer course (export format 2"),
        ({"format_version": "1"}, "unknown export format version '1'"),
        ({"pseudonym": ""}, "no 'pseudonym'"),
        ({"pseudonym": "x" * 41}, "longer than 40 characters"),
        ({"format": classreport.REPORT_FORMAT}, "a class report, not a learner's export"),
        ({"learner_id": 7}, "no 'learner_id'"),
        ({"exercises": {}}, "no 'exercises' list"),
    ],
)
def test_an_export_with_wrong_fields_is_one_note(klass, change, words):
    write(klass, "odd.json", {**ANT, "learner_id": "e" * 16, **change})
    learners, notes = classreport.collect([klass])
    assert len(learners) == 3 and len(notes) == 1 and words in notes[0]


@pytest.mark.parametrize(
    "row, words",
    [
        (("00", "q1", "three", None, {}), "'attempts' must be a whole number"),
        (("00", "q1", 2, 3, {}), "'first_pass_attempt' must be null or a number from 1"),
        (("00", "q1", 2, None, {"leakage": -1}), "'mistakes' must map tags"),
        ((0, "q1", 2, None, {}), "needs 'notebook' and 'exercise'"),
    ],
)
def test_a_bad_exercise_row_names_the_field(klass, row, words):
    write(klass, "odd.json", export("eel", "e" * 16, [row]))
    learners, notes = classreport.collect([klass])
    assert len(learners) == 3 and len(notes) == 1 and words in notes[0]


def test_an_older_course_version_is_read_with_a_note(klass):
    old = export("dog", "d" * 16, [("00", "q1", 2, 2, {"complement": 1}), ("00", "q9", 1, 1, {})])
    old["course_version"] = "0.0.9"
    write(klass, "dog.json", old)
    learners, notes = classreport.collect([klass])
    assert len(learners) == 4
    assert notes == [
        f"1 export(s) from course version 0.0.9 (this is {__version__}): read, as the "
        "export format is the same"
    ]
    s = classreport.summarise(learners, notes)
    assert any(
        "dog.json: 1 exercise(s) this course version does not have (00 q9)" in n for n in s["notes"]
    )
    q1 = next(e for e in s["exercises"] if (e["notebook"], e["exercise"]) == ("00", "q1"))
    assert q1["learners_attempted"] == 4


def test_a_missing_input_or_nothing_readable_is_an_error(tmp_path):
    with pytest.raises(classreport.ReportError, match="no such file or folder"):
        classreport.collect([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(classreport.ReportError, match="no export files"):
        classreport.collect([tmp_path / "empty"])
    write(tmp_path / "bad", "a.json", "{")
    write(tmp_path / "bad", "b.json", "{")
    with pytest.raises(classreport.ReportError, match=r"not valid JSON.*\(and 1 more\)"):
        classreport.collect([tmp_path / "bad"])


def test_other_files_in_the_folder_are_mentioned(klass):
    (klass / "readme.txt").write_text("hello")
    _, notes = classreport.collect([klass])
    assert notes == [f"{klass}: 1 file(s) not ending in .json were not read"]


# --------------------------------------------------------------------------- command line


def test_cli_report_with_notes_on_stderr(klass, tmp_path):
    write(klass, "broken.json", "{nope")
    r = run_cli("class-report", klass, "--out", tmp_path / "r")
    assert r.returncode == 0, r.stderr
    assert "report: " in r.stdout and "3 learner(s)" in r.stdout and "leakage" in r.stdout
    (line,) = r.stderr.strip().splitlines()
    assert "note:" in line and "broken.json" in line and "not valid JSON" in line
    summary = json.loads((tmp_path / "r" / "report.json").read_text())
    assert summary["learners"] == 3 and len(summary["notes"]) == 1


@pytest.mark.parametrize(
    "args, words",
    [
        (["class-report", "/no/such/folder"], "no such file or folder: /no/such/folder"),
        (["class-report"], "give export files or folders of them, or --demo"),
        (["class-report", "--demo", "x.json"], "give no INPUTS with it"),
        (["class-report", "--demo", "--learners", "0"], "at least 1"),
        (["progress", "--name", "fox"], "--name goes with --export"),
        (["progress", "--export", "/no/such/folder/e.json"], "does not exist"),
        (["progress", "--export", "/tmp/e.json", "--name", "a@b.c"], "not usable"),
        (["progress", "--export", "/tmp/e.json", "--reset"], "do not go together"),
        (["progress", "--export", "/"], "is a folder"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(args, words, tmp_path):
    one_line_error(run_cli(*args), words)


def test_cli_only_corrupt_files_and_out_a_file(tmp_path):
    write(tmp_path / "in", "x.json", "[]")
    one_line_error(
        run_cli("class-report", tmp_path / "in", "--out", tmp_path / "r"),
        "no readable export: ",
    )
    write(tmp_path / "ok", "ant.json", ANT)
    (tmp_path / "afile").write_text("")
    one_line_error(
        run_cli("class-report", tmp_path / "ok", "--out", tmp_path / "afile"), "is a file"
    )


def test_cli_export_then_report_end_to_end(tmp_path):
    code = (
        "from course_utils.exercises.nb00 import q2\n"
        "q2.check(10**6)\n"  # a wrong count
        "q2.check(...)\n"  # not attempted
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    r = run_cli("progress", "--export", tmp_path / "e.json", "--name", "blue-fox")
    assert r.returncode == 0, r.stderr
    assert "'blue-fox': 1 exercise(s) attempted, 0 passed" in r.stdout
    doc = json.loads((tmp_path / "e.json").read_text())
    assert [(e["exercise"], e["attempts"], e["passed"]) for e in doc["exercises"]] == [
        ("q2", 1, False)
    ]
    assert doc["learner_id"] == json.loads((tmp_path / "progress.json").read_text())["learner_id"]
    r = run_cli("class-report", tmp_path / "e.json", "--out", tmp_path / "r")
    assert r.returncode == 0 and r.stderr == ""
    summary = json.loads((tmp_path / "r" / "report.json").read_text())
    assert summary["heatmap"]["learners"] == ["blue-fox"]


def test_cli_demo(tmp_path):
    r = run_cli("class-report", "--demo", "--out", tmp_path / "demo")
    assert r.returncode == 0, r.stderr
    assert "40 learner(s)" in r.stdout and (tmp_path / "demo" / "report.html").is_file()
