"""The success contract: saved by notebook 01, read back later, with a default."""

import json

import pytest

from course_utils import contract
from course_utils.contract import Contract


def test_save_and_load_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_WORK_DIR", str(tmp_path))
    c = Contract("expected_cost", 0.042, 0.0578, 0.30, 0.10, note="mine")
    where = contract.save(c)
    assert where == tmp_path / contract.FILENAME
    assert contract.load() == c
    assert json.loads(where.read_text())["metric"] == "expected_cost"


def test_missing_file_gives_the_default_and_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_WORK_DIR", str(tmp_path))
    assert contract.load() == contract.DEFAULT
    assert "using the course default" in capsys.readouterr().out


def test_corrupt_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "c.json"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="notebook 01"):
        contract.load(bad)


def test_validation_and_decisions():
    with pytest.raises(ValueError, match="metric must be one of"):
        Contract("vibes", 0.1, 0.2, 0.3, 0.1)
    with pytest.raises(TypeError, match="minimum must be a number"):
        Contract("accuracy", "high", 0.6, 0.3, 0.1)
    with pytest.raises(ValueError, match="zero or positive"):
        Contract("accuracy", 0.8, 0.6, -0.3, 0.1)
    c = contract.DEFAULT
    assert c.lower_is_better and c.is_met(0.03) and not c.is_met(0.05)
    assert c.best_threshold() == pytest.approx(0.75)
    assert c.cost_ratio == pytest.approx(3.0)
    acc = Contract("accuracy", 0.8, 0.61, 0.1, 0.1)
    assert acc.is_met(0.85) and not acc.is_met(0.7) and acc.best_threshold() == 0.5
