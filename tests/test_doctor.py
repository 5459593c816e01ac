"""The environment doctor: each check, where it runs, and the text report."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from course_utils import doctor

HOST_VARS = ("COLAB_RELEASE_TAG", "BINDER_SERVICE_HOST", "BINDER_REQUEST", "JUPYTERHUB_USER")


@pytest.fixture
def nowhere(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A plain local machine: no hosting variables, no google.colab module."""
    for var in HOST_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    return monkeypatch


# --------------------------------------------------------------------------- where


def test_local_by_default(nowhere: pytest.MonkeyPatch) -> None:
    assert doctor.where() == "local"


@pytest.mark.parametrize(
    ("var", "value", "place"),
    [
        ("COLAB_RELEASE_TAG", "release-colab_20260101", "colab"),
        ("BINDER_SERVICE_HOST", "10.0.0.1", "binder"),
        ("BINDER_REQUEST", "v2/gh/apple-or-banana/course/main", "binder"),
        ("JUPYTERHUB_USER", "ada", "hub"),
    ],
)
def test_where_from_environment(nowhere: pytest.MonkeyPatch, var: str, value: str, place: str):
    nowhere.setenv(var, value)
    assert doctor.where() == place
    assert doctor.check_place().detail.startswith(place)


def test_colab_module_means_colab(nowhere: pytest.MonkeyPatch) -> None:
    nowhere.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert doctor.where() == "colab"


def test_binder_wins_over_hub(nowhere: pytest.MonkeyPatch) -> None:
    nowhere.setenv("JUPYTERHUB_USER", "jovyan")  # Binder runs on a JupyterHub too
    nowhere.setenv("BINDER_REQUEST", "v2/gh/x/y/main")
    assert doctor.where() == "binder"


# --------------------------------------------------------------------------- versions


def test_python_version_check(monkeypatch: pytest.MonkeyPatch) -> None:
    assert doctor.check_python().ok  # the tests run on a supported Python
    monkeypatch.setattr(sys, "version_info", (3, 10, 14, "final", 0))
    check = doctor.check_python()
    assert not check.ok and "3.10.14" in check.detail and "3.11" in check.detail
    assert check.fix


@pytest.mark.parametrize(
    ("distribution", "version", "ok", "words"),
    [
        ("pandas", "2.2.0", True, "2.2.0"),
        ("pandas", "3.0.1", True, "3.0.1"),
        ("pandas", "2.1.4", False, "too old"),
        ("scikit-learn", "1.5.2", False, "too old"),
        ("scikit-learn", "1.6.0rc1", True, "1.6.0rc1"),
        ("matplotlib", "3.9.4", False, "too old"),
        ("matplotlib", "3.10.0", True, "3.10.0"),
        ("ipywidgets", "7.7.1", True, "7.7.1"),
        ("ipywidgets", "7.6.5", False, "too old"),
        ("ipywidgets", "8.1.5", True, "8.1.5"),
        ("ipywidgets", "9.0.0", False, "newer than the course supports"),
    ],
)
def test_package_ranges(
    monkeypatch: pytest.MonkeyPatch, distribution: str, version: str, ok: bool, words: str
) -> None:
    monkeypatch.setattr(doctor, "installed_version", lambda name: version)
    [(lowest, below)] = [(lo, hi) for name, lo, hi in doctor.SUPPORTED if name == distribution]
    check = doctor.check_package(distribution, lowest, below)
    assert check.ok is ok
    assert words in check.detail
    if not ok:
        assert check.fix.startswith("pip install") and distribution in check.fix


def test_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "installed_version", lambda name: None)
    check = doctor.check_package("scikit-learn", "1.6")
    assert not check.ok and check.detail == "not installed"
    assert check.fix == "pip install 'scikit-learn>=1.6'"


def test_parse_version() -> None:
    assert doctor.parse_version("3.10.0") == (3, 10, 0)
    assert doctor.parse_version("2.2.0rc0+local") == (2, 2, 0)
    with pytest.raises(ValueError):
        doctor.parse_version("unknown")


# --------------------------------------------------------------------------- widgets


def test_widget_frontend_found_here(nowhere: pytest.MonkeyPatch) -> None:
    check = doctor.check_widget_frontend()
    assert check.ok, check.detail


def test_widget_frontend_missing(nowhere: pytest.MonkeyPatch) -> None:
    nowhere.setattr(doctor.importlib.util, "find_spec", lambda name: None)
    check = doctor.check_widget_frontend()
    assert not check.ok and "as text" in check.detail and "jupyterlab_widgets" in check.fix


def test_widget_frontend_on_colab(nowhere: pytest.MonkeyPatch) -> None:
    nowhere.setenv("COLAB_RELEASE_TAG", "x")
    nowhere.setattr(doctor.importlib.util, "find_spec", lambda name: None)
    assert doctor.check_widget_frontend().ok


# --------------------------------------------------------------------------- progress file


def _tree(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


def test_progress_file_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "progress.json"
    monkeypatch.setenv(doctor.PROGRESS_ENV, str(target))
    assert doctor.progress_file() == target
    check = doctor.check_progress_file()
    assert check.ok and str(target) in check.detail
    assert _tree(tmp_path) == []  # nothing left behind: no folders, no scratch file


def test_progress_file_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(doctor.PROGRESS_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert doctor.progress_file() == tmp_path / ".apple-or-banana" / "progress.json"
    check = doctor.check_progress_file()
    assert check.ok and "~/.apple-or-banana/progress.json" in check.detail
    assert _tree(tmp_path) == []


def test_existing_progress_file(tmp_path: Path) -> None:
    target = tmp_path / "progress.json"
    target.write_text("{}", encoding="utf-8")
    assert doctor.check_progress_file(target).ok
    assert target.read_text(encoding="utf-8") == "{}"
    assert _tree(tmp_path) == ["progress.json"]


def test_progress_file_under_a_file_fails(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    check = doctor.check_progress_file(blocker / "sub" / "progress.json")
    assert not check.ok and "cannot write" in check.detail
    assert doctor.PROGRESS_ENV in check.fix
    assert _tree(tmp_path) == ["not-a-folder"]


def test_progress_file_that_is_a_folder_fails(tmp_path: Path) -> None:
    check = doctor.check_progress_file(tmp_path)
    assert not check.ok and "is a folder" in check.detail


# --------------------------------------------------------------------------- report


def test_report_has_one_marked_line_per_check(nowhere: pytest.MonkeyPatch) -> None:
    results = doctor.checks()
    names = [c.name for c in results]
    for name in ("Python", "pandas", "scikit-learn", "matplotlib", "ipywidgets"):
        assert name in names
    assert {"widget front end", "progress file", "running on"} <= set(names)
    lines = doctor.report(results).split("\n")
    marked = [line for line in lines if line[:1] in (doctor.OK_MARK, doctor.FAIL_MARK)]
    assert len(marked) == len(results)
    assert all(isinstance(c.ok, bool) and c.detail for c in results)


def test_report_shows_fix_and_summary_for_failures() -> None:
    results = [
        doctor.Check("Python", True, "3.12.1"),
        doctor.Check("pandas", False, "2.1 is too old", "pip install --upgrade 'pandas>=2.2'"),
    ]
    text = doctor.report(results)
    assert "✔ Python: 3.12.1" in text
    assert "✘ pandas: 2.1 is too old\n    fix: pip install --upgrade 'pandas>=2.2'" in text
    assert text.endswith('1 check failed: follow the "fix" line above, then run this cell again.')
    assert doctor.report(results[:1]).endswith("The check passed: you are ready to go.")


def test_main_exit_status(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(doctor, "checks", lambda: [doctor.Check("a", True, "fine")])
    assert doctor.main() == 0
    assert "✔ a: fine" in capsys.readouterr().out
    monkeypatch.setattr(doctor, "checks", lambda: [doctor.Check("a", False, "bad", "do x")])
    assert doctor.main() == 1
    assert "✘ a: bad" in capsys.readouterr().out
