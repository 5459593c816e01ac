"""Tests of progress tracking: the JSON file, its failure modes, the map and the widget."""

from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from course_utils import progress, world
from course_utils.exercises import catalogue, progress_map
from course_utils.exercises.nb00 import q1


@pytest.fixture(autouse=True)
def progress_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "sub" / "progress.json"  # the folder is created on first write
    monkeypatch.setenv(progress.ENV_VAR, str(path))
    progress._reset_session()
    yield path
    progress._reset_session()


def _n_warnings(func, *args) -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        func(*args)
    return [w for w in caught if issubclass(w.category, progress.ProgressWarning)]


def test_record_load_reset(progress_file):
    assert progress.load() == {}
    assert progress.record("00", "q1") is True
    assert progress.record("00", "q3") is True
    assert progress.record("01", "q2") is True
    loaded = progress.load()
    assert sorted(loaded) == ["00", "01"] and sorted(loaded["00"]) == ["q1", "q3"]
    document = json.loads(progress_file.read_text())
    assert document["version"] == 1 and "q1" in document["passed"]["00"]
    first = loaded["00"]["q1"]
    progress.record("00", "q1")  # again: keeps the first time it was passed
    assert progress.load()["00"]["q1"] == first
    progress.reset()
    assert progress.load() == {} and not progress_file.exists()
    progress.reset()  # nothing to delete: still fine


def test_default_location_is_in_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(progress.ENV_VAR)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert progress.progress_path() == tmp_path / ".apple-or-banana" / "progress.json"
    monkeypatch.setenv(progress.ENV_VAR, "~/elsewhere.json")
    assert progress.progress_path() == tmp_path / "elsewhere.json"


def test_write_is_atomic(progress_file, monkeypatch):
    progress.record("00", "q1")
    before = progress_file.read_text()
    replaced = []
    real_replace = os.replace

    def spy(src, dst):
        replaced.append((Path(src), Path(dst)))
        return real_replace(src, dst)

    monkeypatch.setattr(progress.os, "replace", spy)
    progress.record("00", "q2")
    ((src, dst),) = replaced
    assert dst == progress_file and src.parent == progress_file.parent and src != dst

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(progress.os, "replace", crash)
    with pytest.warns(progress.ProgressWarning, match="No space left"):
        assert progress.record("00", "q3") is False
    after = json.loads(progress_file.read_text())
    assert sorted(after["passed"]["00"]) == ["q1", "q2"]  # the old file is intact
    assert before != progress_file.read_text()
    leftovers = [p.name for p in progress_file.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


@pytest.mark.parametrize("content", ["{not json", "[1, 2, 3]", '{"passed": 7}', ""])
def test_a_damaged_file_is_reported_and_treated_as_empty(progress_file, content):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text(content)
    with pytest.warns(progress.ProgressWarning, match="damaged"):
        assert progress.load() == {}
    assert _n_warnings(progress.load) == []  # said once
    assert progress_map.format_progress()  # the map still works
    assert progress.record("00", "q1") is True
    assert list(progress.load()["00"]) == ["q1"]
    backup = progress_file.with_name(progress_file.name + ".damaged")
    assert backup.read_text() == content


def test_an_unwritable_location_warns_once_and_the_course_goes_on(tmp_path, monkeypatch):
    a_file = tmp_path / "afile"
    a_file.write_text("I am a file, not a folder")
    monkeypatch.setenv(progress.ENV_VAR, str(a_file / "progress.json"))
    first = _n_warnings(progress.record, "00", "q1")
    assert len(first) == 1
    assert "Could not save your progress" in str(first[0].message)
    assert progress.ENV_VAR in str(first[0].message)
    assert _n_warnings(progress.record, "00", "q2") == []  # once per session
    assert sorted(progress.load()["00"]) == ["q1", "q2"]  # kept for the session
    assert "could not be saved" in progress_map.format_progress()
    progress.reset()  # never raises
    assert progress.load() == {}


def test_passing_a_check_records_it_even_when_unwritable(tmp_path, monkeypatch, capsys):
    a_file = tmp_path / "afile"
    a_file.write_text("")
    monkeypatch.setenv(progress.ENV_VAR, str(a_file / "progress.json"))
    visits = world.generate().visits
    with pytest.warns(progress.ProgressWarning):
        q1.check((visits["fruit"] == "banana").mean())
    assert capsys.readouterr().out.startswith("✔ Correct")
    assert "q1" in progress.load()["00"]


def test_progress_table_uses_the_catalogue():
    progress.record("00", "q1")
    progress.record("00", "q3")
    progress.record("00", "not_an_exercise")
    progress.record("77", "q1")  # a notebook without exercises (any more)
    table = progress_map.progress_table()
    assert list(table.columns) == ["notebook", "stage", "done", "total", "done_names"]
    row = table.set_index("notebook").loc["00"]
    total_00 = sum(1 for nb, _, _ in catalogue() if nb == "00")
    assert (row["done"], row["total"], row["done_names"]) == (2, total_00, ["q1", "q3"])
    assert row["stage"] == "start here"
    assert "77" not in set(table["notebook"])
    assert set(table["notebook"]) == {nb for nb, _, _ in catalogue()}


def test_format_progress_draws_text_bars():
    def line00(text: str) -> str:
        return next(x for x in text.splitlines() if "00  start here" in x)

    assert re.search(r"\[---\]\s+0/3", line00(progress_map.format_progress()))
    progress.record("00", "q2")
    assert re.search(r"\[#--\]\s+1/3", line00(progress_map.format_progress()))
    for name in ("q1", "q3"):
        progress.record("00", name)
    text = progress_map.format_progress()
    assert re.search(r"\[###\]\s+3/3\s+✔ complete", line00(text))
    assert "Total: 3/" in text


def test_bars_are_scaled_for_many_exercises():
    assert progress_map._bar(2, 4) == "[##--]"
    assert progress_map._bar(10, 20) == "[#####-----]"
    assert progress_map._bar(0, 0) == "[]"


def test_widget_shows_the_map_and_refreshes():
    import ipywidgets as widgets

    widget = progress_map.progress_widget()
    view, button = widget.children
    assert isinstance(view, widgets.HTML) and isinstance(button, widgets.Button)
    assert "0/3" in view.value and "start here" in view.value
    progress.record("00", "q1")
    assert "0/3" in view.value  # not yet refreshed
    button.click()
    assert "1/3" in view.value and "q1" in view.value
    assert "aria-label='1 of 3 exercises passed'" in view.value


def test_progress_table_is_a_frame_even_without_progress():
    table = progress_map.progress_table()
    assert isinstance(table, pd.DataFrame) and (table["done"] == 0).all()


def test_imports_run_one_way():
    """progress stores passes and knows nothing of the exercises (no import cycle)."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(progress))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert not any("exercises" in name or "misconceptions" in name for name in imported)


def test_progress_html_header_says_each_thing_once():
    html = progress_map.progress_html()
    assert "exercises passed</th>" not in html
    assert "<th>done</th><th>passed</th>" in html
