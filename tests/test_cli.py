"""The command line: the documented commands work, bad arguments never give a traceback."""

import json
import subprocess
import sys

import pytest

from course_utils import cli


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
