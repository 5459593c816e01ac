"""The whole cycle (course_utils.cycle) and ``python -m course_utils cycle``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course_utils import cycle
from course_utils.cli import main

REPO = Path(__file__).resolve().parent.parent


PROGRESS: list[str] = []


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    out = tmp_path_factory.mktemp("cycle_a")
    return out, cycle.run_cycle(out, progress=PROGRESS.append)


@pytest.fixture(scope="module")
def second(tmp_path_factory):
    """The same cycle from the command line, in another process: nothing cached is shared."""
    out = tmp_path_factory.mktemp("cycle_b")
    env = {**os.environ, "COURSE_WORK_DIR": str(out / "work")}
    done = subprocess.run(
        [sys.executable, "-m", "course_utils", "cycle", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )
    return out, done


def test_same_seed_same_report_and_summary(first, second):
    (a, _), (b, done) = first, second
    assert done.returncode == 0, done.stderr
    assert (a / "summary.json").read_bytes() == (b / "summary.json").read_bytes()
    assert (a / "report.md").read_bytes() == (b / "report.md").read_bytes()
    for name in cycle.FIGURES:
        assert (a / name).stat().st_size > 10_000


def test_cli_prints_where_and_headlines(second):
    out, done = second
    lines = done.stdout.strip().splitlines()
    assert str(out / "report.md") in lines[0]
    assert 3 <= len(lines) <= 6
    assert "test: expected cost" in done.stdout and "at threshold 0.75" in done.stdout
    assert "retrain" in done.stdout
    assert "Traceback" not in done.stderr
    # Progress goes to standard error: how long it usually takes, then one line per step.
    steps = done.stderr.strip().splitlines()
    assert steps[0].startswith(f"Running the whole cycle into {out} in 8 steps: usually")
    assert [s.split("]")[0] + "]" for s in steps[1:]] == [f"[{i}/8]" for i in range(1, 9)]


def test_progress_is_one_line_per_step(first):
    assert len(PROGRESS) == len(cycle.STEPS) == 8
    for i, (line, step) in enumerate(zip(PROGRESS, cycle.STEPS, strict=True), 1):
        assert line.startswith(f"[{i}/8] {step} (") and line.endswith(" s so far)")


def test_summary_keys_and_values(first):
    out, s = first
    assert json.loads((out / "summary.json").read_text(encoding="utf-8")) == s
    for key in ("test", "months", "retrains", "verdict", "year", "service", "data", "seed"):
        assert key in s
    t = s["test"]
    # One metric language: everything decided at the contract's threshold.
    assert t["threshold"] == 0.75 and s["year"]["threshold"] == 0.75
    assert 0 < t["above_best"] <= 0.01  # close to the best possible cost
    assert t["above_best"] == pytest.approx(t["expected_cost"] - t["best_expected_cost"], abs=2e-4)
    assert 0.7 < t["accuracy"] < 0.9 and "bayes_accuracy" not in t
    assert t["verdict"] == "meets the contract" and t["expected_cost"] <= t["contract_minimum"]
    assert s["data"]["matches_course_data"]
    assert s["service"]["same_as_batch_path"] and s["service"]["answered"] == 5
    months = s["months"]
    assert [m["name"] for m in months][:3] == ["Jan", "Feb", "Mar"] and len(months) == 12
    assert all(not m["alerts"] for m in months[:3])  # seasonality alone: no alert
    by = {m["name"]: m for m in months}
    assert any("age" in a for a in by["Apr"]["alerts"])  # the students
    assert any("price_banana" in a for a in by["Jun"]["alerts"])  # the price shock
    assert any(a.startswith("live") for a in by["Sep"]["alerts"])  # the taste change
    assert any("temperature_c" in a for a in by["Nov"]["alerts"])  # the °F sensors
    assert s["policy"] == "on_alert" and s["retrains"] >= 1
    assert len(s["retrain_months"]) == s["retrains"]
    text = (out / "report.md").read_text(encoding="utf-8")
    assert str(out) not in text and "policy_cost.png" in text and "alerts.png" in text
    assert "accuracy at 0.75" in text and "perfect knowledge" in text
    y = s["year"]
    assert y["final_quarter_cost_with_policy"] < y["final_quarter_cost_never"]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--policy", "sometimes"], "unknown policy"),
        (["--seed", "-1"], "zero or positive"),
        (["--seed", str(2**32)], "below 2**32"),
        (["--contract", "no-such-contract.json"], "no contract file"),
        (["--seed", "x"], "whole number"),
    ],
)
def test_bad_options_one_line(tmp_path, capsys, argv, words):
    assert main(["cycle", "--out", str(tmp_path), *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and "\n" not in err and "Traceback" not in err
    assert not (tmp_path / "summary.json").exists()


def test_unwritable_folder(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["cycle", "--out", str(blocker / "report")]) == 2
    err = capsys.readouterr().err.strip()
    assert "cannot write" in err and "\n" not in err


def test_run_cycle_refuses_bad_options(tmp_path):
    with pytest.raises(cycle.CycleError, match="policy"):
        cycle.run_cycle(tmp_path, policy="always")
    with pytest.raises(cycle.CycleError, match="whole number"):
        cycle.run_cycle(tmp_path, seed=1.5)
    with pytest.raises(cycle.CycleError, match="Contract or the path"):
        cycle.run_cycle(tmp_path, contract={"minimum": 0.04})
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(cycle.CycleError, match="cannot be read"):
        cycle.run_cycle(tmp_path / "out", contract=bad)


def test_another_world_and_another_contract(tmp_path, monkeypatch, first):
    """The capstone's run: seed 7 and equal costs (threshold 0.5) - not refused, and what
    the summary reports follows that world and that contract."""
    from course_utils import contract

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    mine = contract.Contract(
        metric="expected_cost",
        minimum=0.05,
        baseline=0.08,
        cost_false_banana=0.20,
        cost_false_apple=0.20,
    )
    saved = contract.save(mine, tmp_path / "my_contract.json")
    s = cycle.run_cycle(tmp_path / "out", seed=7, contract=saved, quick=True)
    t = s["test"]
    assert s["seed"] == 7 and s["data"]["matches_course_data"] is False
    assert t["threshold"] == 0.5
    assert (t["cost_false_banana"], t["cost_false_apple"]) == (0.2, 0.2)
    assert t["verdict"] == ("meets the contract" if t["expected_cost"] <= 0.05 else
                            "fails the contract")  # fmt: skip
    assert t["expected_cost"] >= t["best_expected_cost"] > 0
    assert t["expected_cost"] != first[1]["test"]["expected_cost"]
    saved_contract = json.loads((tmp_path / "out" / "success_contract.json").read_text())
    assert saved_contract["cost_false_apple"] == 0.2
    assert "Seed 7" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
