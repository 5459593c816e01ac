"""The command line: the documented commands work, bad arguments never give a traceback."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course_utils import bench, cli, paths


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "course_utils", *args], capture_output=True, text=True, timeout=120
    )


def test_data_build_and_summary_json(tmp_path):
    r = run("data", "build", "--out", str(tmp_path), "--seed", "3")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "manifest.json").exists()
    r = run("data", "summary", "--json", "--dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert {"rows", "defects", "majority_rate", "bayes_accuracy"} <= set(info)
    assert info["seed"] == 3


def test_default_summary_is_in_the_design_targets():
    r = run("data", "summary", "--json")
    info = json.loads(r.stdout)
    assert 0.80 <= info["bayes_accuracy"] <= 0.90
    assert 0.55 <= info["majority_rate"] <= 0.65


def test_text_summary_and_drift(capsys):
    assert cli.main(["data", "summary"]) == 0
    assert "Bayes-optimal accuracy" in capsys.readouterr().out
    assert cli.main(["drift", "price_shock", "--months", "2", "--visits", "300"]) == 0
    out = capsys.readouterr().out
    assert "2026-02" in out and "price_shock" in out


@pytest.mark.parametrize(
    "args, words",
    [
        (["drift", "alien_invasion"], "unknown scenario"),
        (["drift", "price_shock", "--strength", "-2"], "strength"),
        (["drift", "seasonality", "--visits", "-5"], "at least 1"),
        (["drift", "seasonality", "--months", "zero"], "whole number"),
        (["data", "build", "--seed", "abc"], "whole number"),
        (["data", "build", "--seed", "-1"], "zero or positive"),
        (["data"], "build or summary"),
        (["frobnicate"], "invalid choice"),
        (
            ["serve", "--bogus"],
            "unrecognized arguments: --bogus; usage: python -m course_utils serve",
        ),
        (["data", "build", "--out", "x", "--nope"], "usage: python -m course_utils data build"),
        (["drift", "seasonality", "--fast"], "usage: python -m course_utils drift"),
        (["cycle", "--policy"], "usage: python -m course_utils cycle"),
        (["hub-link", "https://hub.example.edu", "--notebook", "nope.ipynb"], "no notebook"),
    ],
)
def test_bad_arguments_one_line_no_traceback(args, words, capsys):
    assert cli.main(args) != 0
    err = capsys.readouterr().err.strip()
    assert words in err
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_unwritable_folder_over_a_real_process(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    r = run("data", "build", "--out", str(afile / "data"))
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "cannot create the folder" in r.stderr


def test_summary_of_a_missing_folder(tmp_path, capsys):
    assert cli.main(["data", "summary", "--dir", str(tmp_path / "nothing")]) == 2
    assert "data build" in capsys.readouterr().err


def test_hub_link_prints_an_nbgitpuller_url(capsys):
    assert cli.main(["hub-link", "https://hub.example.edu/"]) == 0
    url = capsys.readouterr().out.strip()
    assert url.startswith("https://hub.example.edu/hub/user-redirect/git-pull?repo=")
    assert "branch=main" in url and "00_start_here.ipynb" in url
    assert cli.main(["hub-link", "hub.example.edu"]) == 2
    assert "expected the hub's address" in capsys.readouterr().err


def _course_data_digest() -> str:
    h = hashlib.sha256()
    for f in sorted(paths.DATA_DIR.iterdir()):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()


def test_data_build_never_overwrites_the_course_data_by_accident(tmp_path, capsys):
    before = _course_data_digest()
    assert cli.main(["data", "build", "--seed", "7"]) == 2
    err = capsys.readouterr().err.strip()
    assert "--out work/data-seed7" in err and "--force" in err and str(paths.DATA_DIR) in err
    assert len(err.splitlines()) == 1
    assert _course_data_digest() == before
    afile = tmp_path / "notes.txt"
    afile.write_text("mine")
    assert cli.main(["data", "build", "--out", str(afile)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert afile.read_text() == "mine"


def test_data_build_never_writes_into_the_installed_package(tmp_path, monkeypatch, capsys):
    """Installed (as on Colab) there is no checkout: data/ would sit in site-packages."""
    site = tmp_path / "site-packages"
    (site / "data").mkdir(parents=True)
    monkeypatch.setattr(paths, "REPO_ROOT", site)
    monkeypatch.setattr(paths, "DATA_DIR", site / "data")
    for argv in (["data", "build"], ["data", "build", "--force"]):
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert "installed as a package" in err and "--out" in err
    assert cli.main(["data", "build", "--out", str(site / "data")]) == 2
    assert "inside the installed course_utils package" in capsys.readouterr().err
    package = Path(cli.__file__).resolve().parent
    assert cli.main(["data", "build", "--out", str(package / "data")]) == 2
    assert "inside the installed course_utils package" in capsys.readouterr().err
    assert list((site / "data").iterdir()) == [] and not (package / "data").exists()


def test_hub_link_checks_the_notebook(capsys):
    assert cli.main(["hub-link", "https://hub.example.edu", "--notebook", "nope.ipynb"]) == 2
    err = capsys.readouterr().err.strip()
    assert "no notebook 'nope.ipynb'" in err and "notebooks/07b_serve_model.ipynb" in err
    assert "notebooks/solutions/07b_serve_model.ipynb" in err and len(err.splitlines()) == 1
    assert (
        cli.main(["hub-link", "https://hub.example.edu", "--notebook", "07b_serve_model.ipynb"])
        == 0
    )
    assert "notebooks%2F07b_serve_model.ipynb" in capsys.readouterr().out


def test_serve_with_an_empty_registry_says_what_to_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_WORK_DIR", str(tmp_path / "work"))
    assert cli.main(["serve", "--port", "0"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert f"no model is registered in {tmp_path / 'work' / 'registry'} yet" in err
    assert "notebook 07a (notebooks/07a_save_model.ipynb)" in err
    cycle_registry = tmp_path / "work" / "cycle" / "registry"
    assert "'python -m course_utils cycle'" in err
    assert f"'python -m course_utils serve --registry {cycle_registry}'" in err


def test_a_closed_pipe_is_not_an_error(tmp_path):
    """``progress | head``: the reader stops early; no "Broken pipe", no traceback."""
    env = {**os.environ, "COURSE_PROGRESS_FILE": str(tmp_path / "progress.json")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "course_utils", "progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    proc.stdout.close()  # closed before the command writes a byte
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == "", err


def test_cycle_refuses_a_file_as_its_folder(tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("# mine")
    assert cli.main(["cycle", "--out", str(readme)]) == 2
    err = capsys.readouterr().err.strip()
    assert "is a file, not a folder" in err and len(err.splitlines()) == 1
    assert readme.read_text() == "# mine"


def test_bench_says_how_long_and_shows_each_row(monkeypatch):
    lines = []
    tiny = [bench.Measure("a", 1.0, "s", lambda: 0.5), bench.Measure("b", 1.0, "s", lambda: 2.0)]
    monkeypatch.setattr(bench, "all_measures", lambda: tiny)
    assert bench.main(progress=lines.append) == 0
    assert "about 6 minutes" in lines[0]
    assert lines[1] == "[1/2] a ..." and lines[2].startswith("[1/2] a: median 0.500 s")
    assert lines[3] == "[2/2] b ..." and lines[4].startswith("[2/2] b: median 2.000 s")
    assert len(lines) == 5
