"""The four sources: determinism, the committed data/, and every planted defect really there."""

import json
import re
import sqlite3
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course_utils import sources, world
from course_utils.paths import DATA_DIR

# SQLite stores the library version that last wrote the file in its header (bytes 92-99):
# the content is compared byte for byte, those eight bytes are not.
SQLITE_VERSION_BYTES = slice(92, 100)


def _same_bytes(a: Path, b: Path) -> bool:
    x, y = a.read_bytes(), b.read_bytes()
    if a.suffix == ".sqlite":
        x = x[: SQLITE_VERSION_BYTES.start] + x[SQLITE_VERSION_BYTES.stop :]
        y = y[: SQLITE_VERSION_BYTES.start] + y[SQLITE_VERSION_BYTES.stop :]
    return x == y


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("data")
    manifest = sources.build(out)
    return out, manifest


def defect(manifest, kind, source):
    found = [d for d in manifest["defects"] if d["kind"] == kind and d["source"] == source]
    assert found, f"no {kind} defect in {source}"
    return found[0]


def test_same_seed_gives_byte_identical_files(built, tmp_path):
    out, _ = built
    sources.build(tmp_path)
    for name in (*sources.FILES, sources.MANIFEST):
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_other_seed_gives_other_files(built, tmp_path):
    out, _ = built
    sources.build(tmp_path, seed=7)
    assert (out / "sales.csv").read_bytes() != (tmp_path / "sales.csv").read_bytes()


def test_committed_data_equals_a_fresh_build(built):
    out, _ = built
    for name in (*sources.FILES, sources.MANIFEST):
        committed = DATA_DIR / name
        assert committed.exists(), f"data/{name} is missing: run `make data` and commit it"
        if name == sources.MANIFEST:  # file hashes inside may differ only by SQLite's header
            a = json.loads(committed.read_text())
            b = json.loads((out / name).read_text())
            a["files"].pop("customers.sqlite"), b["files"].pop("customers.sqlite")
            assert a == b, "data/manifest.json is stale: run `make data` and commit it"
        else:
            assert _same_bytes(committed, out / name), f"data/{name} is stale: run `make data`"


def test_every_defect_kind_is_planted(built):
    _, manifest = built
    kinds = {d["kind"] for d in manifest["defects"]}
    assert kinds == set(sources.DEFECT_KINDS)
    for d in manifest["defects"]:
        if d["kind"] != "sampling_bias":
            assert d["rows"], d["kind"]


def read_sales(out):
    return pd.read_csv(out / "sales.csv", dtype={"fruit": object, "scanned_at": object})


def test_sales_spellings_duplicates_and_timestamps(built):
    out, manifest = built
    sales = read_sales(out)
    clean = sales["fruit"].isin(["apple", "banana"])
    spelled = set(defect(manifest, "inconsistent_spelling", "sales.csv")["rows"])
    assert set(sales.loc[~clean, "visit_id"]) == spelled
    assert sales.loc[~clean, "fruit"].str.strip().str.lower().str.startswith(("ban", "ap")).all()

    dups = set(defect(manifest, "duplicate_scan", "sales.csv")["rows"])
    counts = sales["visit_id"].value_counts()
    assert set(counts[counts == 2].index) == dups
    assert counts.max() == 2
    # Only some copies are exact duplicates (the day-first till drops the seconds); the
    # others differ in their scan time, so drop_duplicates() alone does not find them.
    assert 0 < sales.duplicated().sum() < len(dups)

    dayfirst = sales["scanned_at"].str.match(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")
    iso = sales["scanned_at"].str.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
    assert (dayfirst | iso).all()
    odd = set(defect(manifest, "mixed_timestamp_format", "sales.csv")["rows"])
    assert set(sales.loc[dayfirst, "visit_id"]) == odd


def test_sales_match_the_world(built):
    out, _ = built
    sales = read_sales(out).drop_duplicates("visit_id")
    truth = world.generate().visits
    assert len(sales) == len(truth)
    merged = sales.merge(truth, on="visit_id", validate="one_to_one")
    fruit = (
        merged["fruit_x"].str.strip().str.lower().replace({"bananna": "banana", "aple": "apple"})
    )
    assert (fruit == merged["fruit_y"]).all()


def test_customer_database_defects(built):
    out, manifest = built
    with sqlite3.connect(out / "customers.sqlite") as con:
        cust = pd.read_sql_query(
            "SELECT c.*, s.name AS home_store FROM customers c "
            "JOIN stores s ON s.store_id = c.home_store_id",
            con,
        )
    truth = world.generate().customers.set_index("customer_id")
    assert len(cust) == len(truth)
    missing_age = set(cust.loc[cust["age"].isna(), "customer_id"])
    assert missing_age == set(defect(manifest, "missing_not_at_random", "customers.sqlite")["rows"])
    true_age = truth.loc[cust["customer_id"], "age"].to_numpy()
    senior = true_age >= 60
    assert cust["age"].isna()[senior].mean() > 5 * cust["age"].isna()[~senior].mean()

    bad = (cust["age"] < 16) | (cust["age"] > 110)
    impossible = set(defect(manifest, "impossible_value", "customers.sqlite")["rows"])
    assert set(cust.loc[bad, "customer_id"]) == impossible
    assert (cust["age"] == 230).any()

    kids_missing = set(cust.loc[cust["household_kids"].isna(), "customer_id"])
    assert kids_missing == set(defect(manifest, "missing_random", "customers.sqlite")["rows"])
    ok = ~cust["age"].isna() & ~bad
    np.testing.assert_array_equal(cust.loc[ok, "age"], true_age[ok.to_numpy()])


def read_prices(out):
    text = (out / "prices.html").read_text()
    cells = r"<tr>" + r"<td>(.*?)</td>" * 5
    body = re.findall(cells, text)
    return pd.DataFrame(body, columns=["date", "store", "apple", "banana", "offer"])


def test_price_page_cents_and_negative_prices(built):
    out, manifest = built
    prices = read_prices(out)
    assert len(prices) == 3 * world.HISTORY_DAYS
    apple, banana = prices["apple"].astype(float), prices["banana"].astype(float)
    cents = prices["store"] == "Station"
    assert (apple[cents] > 10).all() and (apple[~cents].abs() < 2).all()
    assert len(defect(manifest, "unit_cents", "prices.html")["rows"]) == cents.sum()
    negative = (apple < 0) | (banana < 0)
    listed = {tuple(r) for r in defect(manifest, "impossible_value", "prices.html")["rows"]}
    bad = prices.loc[negative]
    assert set(zip(bad["date"], bad["store"], strict=True)) == listed
    # Apart from the planted defects, the page shows the world's prices.
    daily = world.generate().daily
    euros = apple.where(~cents, apple / 100).abs().round(2).to_numpy()
    np.testing.assert_allclose(np.sort(euros), np.sort(daily["price_apple"].to_numpy()))


def test_sensor_log_fahrenheit_and_outages(built):
    out, manifest = built
    log = pd.read_json(StringIO((out / "sensors.jsonl").read_text()), lines=True)
    assert {"time", "store_id", "temp", "footfall"} <= set(log.columns)
    by_store = log.groupby("store_id")["temp"].mean()
    assert by_store["S2"] > by_store["S1"] + 20  # Riverside reports Fahrenheit
    f = defect(manifest, "unit_fahrenheit", "sensors.jsonl")
    assert len(f["rows"]) == (log["store_id"] == "S2").sum()
    day = log["time"].astype(str).str[:10]
    present = set(zip(day, log["store_id"], strict=True))
    outages = {tuple(r) for r in defect(manifest, "missing_random", "sensors.jsonl")["rows"]}
    assert outages and not (outages & present)
    assert len(present) + len(outages) == 3 * world.HISTORY_DAYS
    # Irregular times: the gaps between readings vary.
    gaps = pd.to_datetime(log["time"]).diff().dt.total_seconds().iloc[1:200]
    assert gaps.std() > 300


def test_sampling_bias_is_visible_against_footfall(built):
    out, manifest = built
    sales = read_sales(out).drop_duplicates("visit_id")
    log = pd.read_json(StringIO((out / "sensors.jsonl").read_text()), lines=True)
    names = {"S1": "Central", "S2": "Riverside", "S3": "Station"}
    foot = log.groupby(log["store_id"].map(names))["footfall"].sum()
    ratio = sales["store"].value_counts(normalize=True) / (foot / foot.sum())
    assert ratio["Station"] < 0.85 < ratio["Central"]
    bias = defect(manifest, "sampling_bias", "sales.csv")
    assert bias["detail"]["recorded_over_footfall"]["Station"] < 0.85


def test_summary_reports_the_targets():
    info = sources.summary()
    assert {"rows", "defects", "majority_rate", "bayes_accuracy"} <= set(info)
    assert 0.55 <= info["majority_rate"] <= 0.65
    assert 0.80 <= info["bayes_accuracy"] <= 0.90


def test_unwritable_folder_is_a_clear_error(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(sources.DataBuildError, match="cannot create the folder"):
        sources.build(afile / "sub")
