"""Where the course keeps files: work and progress (visible on Colab), and the data cache."""

from __future__ import annotations

import json
import shutil
import sys
import types
from pathlib import Path

import pytest

from course_utils import paths, progress, sources, world
from course_utils.exercises import progress_map


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """The package as installed from PyPI/GitHub: no checkout around it, a fresh home."""
    monkeypatch.setattr(paths, "REPO_ROOT", tmp_path / "site-packages")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COURSE_WORK_DIR", raising=False)
    monkeypatch.delenv(progress.ENV_VAR, raising=False)
    monkeypatch.delenv("COLAB_RELEASE_TAG", raising=False)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    return tmp_path


@pytest.fixture
def colab(installed, monkeypatch):
    """Google Colab: its module is loaded; /content is a folder under tmp_path."""
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    content = installed / "content"
    monkeypatch.setattr(paths, "COLAB_CONTENT", content)
    monkeypatch.setattr(paths, "COLAB_WORK_DIR", content / "apple-or-banana-work")
    monkeypatch.setattr(paths, "COLAB_PROGRESS_DIR", content / "apple-or-banana-progress")
    return content


def test_colab_is_recognised_by_its_module_or_its_variable(installed, monkeypatch):
    assert not paths.on_colab()
    monkeypatch.setenv("COLAB_RELEASE_TAG", "release-colab_20250101")
    assert paths.on_colab()
    monkeypatch.delenv("COLAB_RELEASE_TAG")
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert paths.on_colab()


def test_on_colab_work_and_progress_go_under_content(colab):
    assert paths.work_dir() == colab / "apple-or-banana-work"
    assert paths.work_dir().is_dir()
    assert paths.progress_file() == colab / "apple-or-banana-progress" / "progress.json"
    assert progress.progress_path() == paths.progress_file()
    assert progress.record("00", "q1")
    assert (colab / "apple-or-banana-progress" / "progress.json").is_file()


def test_elsewhere_an_installed_package_uses_the_home_folder(installed):
    home = installed / "home"
    assert paths.work_dir() == home / "apple-or-banana-work"
    assert progress.progress_path() == home / ".apple-or-banana" / "progress.json"
    assert paths.keep_hint() == ""


def test_a_checkout_keeps_work_in_its_work_folder(installed, monkeypatch, colab):
    checkout = installed / "course"
    checkout.mkdir()
    (checkout / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    monkeypatch.setattr(paths, "REPO_ROOT", checkout)
    assert paths.work_dir() == checkout / "work"  # a clone on Colab: its own work/ is visible


def test_the_variables_win_on_colab_too(colab, installed, monkeypatch):
    drive = installed / "drive" / "MyDrive"
    monkeypatch.setenv("COURSE_WORK_DIR", str(drive / "apple-or-banana-work"))
    monkeypatch.setenv(progress.ENV_VAR, str(drive / "progress.json"))
    assert paths.work_dir() == drive / "apple-or-banana-work"
    assert progress.progress_path() == drive / "progress.json"


def test_saved_messages_name_the_folder(installed, tmp_path):
    file = tmp_path / "work" / "verdict_06.json"
    assert paths.saved_message(file) == f"saved verdict_06.json in your work folder {file.parent}"
    assert paths.saved_message(file, what="19,075 rows as clean_03.csv") == (
        f"saved 19,075 rows as clean_03.csv in your work folder {file.parent}"
    )


def test_on_colab_the_messages_say_how_to_keep_the_files(colab):
    file = paths.work_dir() / "success_contract.json"
    message = paths.saved_message(file)
    first, hint = message.split("\n")
    assert first == f"saved success_contract.json in your work folder {colab}/apple-or-banana-work"
    assert hint == paths.keep_hint()
    for needle in ("runtime ends", "Download", "Google Drive", "drive.mount", "COURSE_WORK_DIR"):
        assert needle in hint, needle
    progress.record("01", "q1")
    text = progress_map.format_progress()
    assert f"Saved in {colab}/apple-or-banana-progress." in text
    assert "COURSE_PROGRESS_FILE" in text


def test_the_data_cache_is_keyed_by_generator_and_seed(installed, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(installed / "cache"))
    folder = paths.data_cache_dir(42)
    assert folder.parent == installed / "cache" / "apple-or-banana"
    assert folder.name == f"data-{paths.generator_version()}-seed42"
    assert paths.data_cache_dir(7) != folder
    for bad in (-1, 4.2, "42", None):
        with pytest.raises(ValueError, match="whole number"):
            paths.data_cache_dir(bad)


def test_the_generator_version_follows_the_generator_code(tmp_path):
    package = Path(paths.__file__).parent
    for name in paths.GENERATOR_MODULES:
        shutil.copy(package / name, tmp_path / name)
    assert paths.generator_version(tmp_path) == paths.generator_version()
    with open(tmp_path / "world.py", "a", encoding="utf-8") as f:
        f.write("\n# a changed generator\n")
    assert paths.generator_version(tmp_path) != paths.generator_version()


def test_data_dir_never_reads_data_an_older_generator_built(installed, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(installed / "cache"))
    monkeypatch.setattr(sources, "DATA_DIR", installed / "no-checkout" / "data")
    # What an older package left behind, in the old unkeyed folder and under another key.
    for stale in ("data", "data-000000000000-seed42"):
        folder = installed / "cache" / "apple-or-banana" / stale
        folder.mkdir(parents=True)
        (folder / sources.MANIFEST).write_text(json.dumps({"seed": 42}), encoding="utf-8")
    built = []

    def fake_build(out, *, seed=world.DEFAULT_SEED):
        Path(out).mkdir(parents=True, exist_ok=True)
        (Path(out) / sources.MANIFEST).write_text(json.dumps({"seed": seed}), encoding="utf-8")
        built.append(Path(out))

    monkeypatch.setattr(sources, "build", fake_build)
    folder = sources.data_dir()
    assert folder == paths.data_cache_dir(world.DEFAULT_SEED)
    assert built == [folder]
    assert sources.data_dir() == folder and built == [folder]  # built once, then reused
