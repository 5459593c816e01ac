"""The four data sources of the fruit-stand chain, written from the world with planted defects.

Like real data, the history reaches the data team through four systems, each with its own
format and its own problems:

=====================  ===============================================================
``sales.csv``          the tills' export: one row per scan (visit, time, store, fruit)
``customers.sqlite``   the customer database (tables ``customers`` and ``stores``)
``prices.html``        the shop website's page of daily prices and offers
``sensors.jsonl``      store sensors: temperature and footfall, at opening and then about
                       once an hour at irregular times
``manifest.json``      the answer key: every planted defect and the rows it touches
=====================  ===============================================================

The defects are planted on purpose so that the course can prove its cleaning finds them:
missing values (random and not at random), inconsistent spellings, mixed units (°F at one
store, cents on one store's prices), duplicated scans, impossible values, mixed timestamp
formats, and a sampling bias (the station kiosk is under-represented in the sales history
compared with its footfall).

Example
-------
>>> import tempfile
>>> from course_utils import sources
>>> with tempfile.TemporaryDirectory() as d:
...     manifest = sources.build(d, seed=1)
...     sorted(manifest["files"])
['customers.sqlite', 'prices.html', 'sales.csv', 'sensors.jsonl']
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import sqlite3
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from . import paths, world
from .paths import DATA_DIR

FILES = ("sales.csv", "customers.sqlite", "prices.html", "sensors.jsonl")
MANIFEST = "manifest.json"
DEFECT_KINDS = (
    "missing_random",
    "missing_not_at_random",
    "inconsistent_spelling",
    "unit_fahrenheit",
    "unit_cents",
    "duplicate_scan",
    "impossible_value",
    "mixed_timestamp_format",
    "sampling_bias",
)
STORE_IDS = dict(zip(world.STORES["store"], world.STORES["store_id"], strict=True))

# Rates of the planted defects (fractions of the rows concerned).
SPELLING_RATE = 0.04
DUPLICATE_RATE = 0.015
AGE_MISSING_BASE, AGE_MISSING_SENIOR = 0.02, 0.35
KIDS_MISSING_RATE = 0.05
IMPOSSIBLE_AGES = 12
NEGATIVE_PRICES = 8
OUTAGE_RATE = 0.03
# The sensors read from opening to closing (hours of the day).
SENSOR_OPEN, SENSOR_CLOSE = 6, 22
FAHRENHEIT_STORE = "Riverside"
CENTS_STORE = "Station"
DAYFIRST_STORE = "Station"

_SPELLINGS = {
    "banana": ["Banana", "banana ", "bananna", "BANANA", " banana"],
    "apple": ["Apple", "apple ", "aple", "APPLE"],
}


class DataBuildError(RuntimeError):
    """The data could not be written (for example, the folder is not writable)."""


# --------------------------------------------------------------------------- build


def build(out_dir: str | os.PathLike = DATA_DIR, *, seed: int = world.DEFAULT_SEED) -> dict:
    """Write the four sources and ``manifest.json`` to ``out_dir``; return the manifest.

    The same seed always gives byte-identical files.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataBuildError(f"cannot create the folder {out}: {exc.strerror}") from None
    if not os.access(out, os.W_OK):
        raise DataBuildError(f"the folder {out} is not writable; choose another with --out")

    w = world.generate(seed)
    rng = np.random.default_rng([seed, 2])
    defects: list[dict] = []

    sales = _sales_table(w, rng, defects)
    customers, stores = _customer_tables(w, rng, defects)
    prices = _price_rows(w, rng, defects)
    sensor_lines = _sensor_lines(w, rng, defects)
    defects.append(_sampling_bias(w))

    _atomic_write(out / "sales.csv", sales.to_csv(index=False, lineterminator="\n").encode())
    _write_sqlite(out / "customers.sqlite", customers, stores)
    _atomic_write(out / "prices.html", _price_page(prices).encode())
    _atomic_write(out / "sensors.jsonl", ("\n".join(sensor_lines) + "\n").encode())

    manifest = {
        "seed": seed,
        "description": "Answer key of the planted defects. Keys identify rows in each source.",
        "files": {name: _sha256(out / name) for name in FILES},
        "rows": {
            "sales.csv": len(sales),
            "customers.sqlite": len(customers),
            "prices.html": len(prices),
            "sensors.jsonl": len(sensor_lines),
        },
        "defects": defects,
    }
    text = json.dumps(manifest, indent=1, sort_keys=False) + "\n"
    _atomic_write(out / MANIFEST, text.encode())
    return manifest


def _sales_table(w: world.World, rng: np.random.Generator, defects: list[dict]) -> pd.DataFrame:
    v = w.visits
    n = len(v)
    store = v["store"].astype(str).to_numpy()
    fruit = v["fruit"].to_numpy().astype(object)
    paid = np.where(fruit == "banana", v["price_banana"], v["price_apple"])

    # Inconsistent spellings of the fruit.
    bad = np.flatnonzero(rng.random(n) < SPELLING_RATE)
    for i in bad:
        options = _SPELLINGS[fruit[i]]
        fruit[i] = options[rng.integers(len(options))]
    defects.append(
        {
            "kind": "inconsistent_spelling",
            "source": "sales.csv",
            "column": "fruit",
            "key": "visit_id",
            "rows": v["visit_id"].to_numpy()[bad].tolist(),
            "detail": "variants such as 'Banana', 'banana ', 'bananna', 'aple'",
        }
    )

    # Timestamps: one store's till writes day-first dates without seconds.
    ts = pd.DatetimeIndex(v["timestamp"])
    iso = ts.strftime("%Y-%m-%d %H:%M:%S").to_numpy().astype(object)
    dayfirst = ts.strftime("%d/%m/%Y %H:%M").to_numpy().astype(object)
    odd = store == DAYFIRST_STORE
    scanned = np.where(odd, dayfirst, iso)
    defects.append(
        {
            "kind": "mixed_timestamp_format",
            "source": "sales.csv",
            "column": "scanned_at",
            "key": "visit_id",
            "rows": v["visit_id"].to_numpy()[odd].tolist(),
            "detail": f"the {DAYFIRST_STORE} till writes 'DD/MM/YYYY HH:MM'; others ISO",
        }
    )

    sales = pd.DataFrame(
        {
            "visit_id": v["visit_id"].to_numpy(),
            "scanned_at": scanned,
            "store": store,
            "customer_id": v["customer_id"].to_numpy(),
            "fruit": fruit,
            "amount_paid": np.round(paid.astype(float), 2),
        }
    )

    # Duplicated scans: the same visit scanned again a few seconds later.
    dup = np.flatnonzero(rng.random(n) < DUPLICATE_RATE)
    copies = sales.iloc[dup].copy()
    later = ts[dup] + pd.to_timedelta(rng.integers(2, 40, len(dup)), unit="s")
    copies["scanned_at"] = np.where(
        odd[dup],
        later.strftime("%d/%m/%Y %H:%M").to_numpy().astype(object),
        later.strftime("%Y-%m-%d %H:%M:%S").to_numpy().astype(object),
    )
    sales = pd.concat([sales, copies], ignore_index=False).sort_index(kind="stable")
    defects.append(
        {
            "kind": "duplicate_scan",
            "source": "sales.csv",
            "key": "visit_id",
            "rows": v["visit_id"].to_numpy()[dup].tolist(),
            "detail": "the visit appears twice, the copy scanned 2-40 seconds later",
        }
    )
    sales["amount_paid"] = sales["amount_paid"].map(lambda x: f"{x:.2f}")
    return sales.reset_index(drop=True)


def _customer_tables(
    w: world.World, rng: np.random.Generator, defects: list[dict]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    c = w.customers
    n = len(c)
    age = c["age"].to_numpy().astype(float)
    ids = c["customer_id"].to_numpy()

    # Older customers skip the age question more often: missing NOT at random.
    p_missing = np.where(age >= 60, AGE_MISSING_SENIOR, AGE_MISSING_BASE)
    age_missing = rng.random(n) < p_missing
    # A few impossible ages (typing errors at sign-up).
    candidates = np.flatnonzero(~age_missing)
    impossible = np.sort(rng.choice(candidates, size=IMPOSSIBLE_AGES, replace=False))
    recorded_age = age.copy()
    recorded_age[age_missing] = np.nan
    recorded_age[impossible] = rng.choice([230.0, 199.0, 0.0, -4.0, 340.0], IMPOSSIBLE_AGES)
    kids_missing = rng.random(n) < KIDS_MISSING_RATE

    defects += [
        {
            "kind": "missing_not_at_random",
            "source": "customers.sqlite",
            "table": "customers",
            "column": "age",
            "key": "customer_id",
            "rows": ids[age_missing].tolist(),
            "detail": "customers aged 60+ left the age empty far more often",
        },
        {
            "kind": "impossible_value",
            "source": "customers.sqlite",
            "table": "customers",
            "column": "age",
            "key": "customer_id",
            "rows": ids[impossible].tolist(),
            "detail": "ages such as 230, 0 or -4",
        },
        {
            "kind": "missing_random",
            "source": "customers.sqlite",
            "table": "customers",
            "column": "household_kids",
            "key": "customer_id",
            "rows": ids[kids_missing].tolist(),
            "detail": "left empty at random",
        },
    ]
    signup = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 2190, n), unit="D")
    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "home_store_id": c["home_store"].astype(str).map(STORE_IDS).to_numpy(),
            "age": recorded_age,
            "household_kids": np.where(kids_missing, np.nan, c["has_kids"].astype(float)),
            "loyalty_member": c["loyalty_member"].astype(int).to_numpy(),
            "signed_up": signup.strftime("%Y-%m-%d"),
        }
    )
    stores = world.STORES.copy()
    stores["opened"] = ["1998-04-01", "2006-09-15", "2015-02-02"]
    return customers, stores


def _price_rows(w: world.World, rng: np.random.Generator, defects: list[dict]) -> pd.DataFrame:
    d = w.daily.sort_values(["date", "store"], kind="stable").reset_index(drop=True)
    apple = d["price_apple"].to_numpy().astype(float)
    banana = d["price_banana"].to_numpy().astype(float)
    store = d["store"].astype(str).to_numpy()
    date = d["date"].dt.strftime("%Y-%m-%d").to_numpy()

    cents = store == CENTS_STORE
    neg = np.sort(rng.choice(np.flatnonzero(~cents), size=NEGATIVE_PRICES, replace=False))
    neg_col = rng.integers(0, 2, NEGATIVE_PRICES)
    apple[neg[neg_col == 0]] *= -1
    banana[neg[neg_col == 1]] *= -1

    def fmt(x: np.ndarray) -> list[str]:
        return [
            f"{int(round(v * 100))}" if c else f"{v:.2f}" for v, c in zip(x, cents, strict=True)
        ]

    offer = d["promo"].map({"none": "", "apple": "Apple offer", "banana": "Banana offer"})
    rows = pd.DataFrame(
        {
            "date": date,
            "store": store,
            "apple": fmt(apple),
            "banana": fmt(banana),
            "offer": offer.to_numpy(),
        }
    )
    keys = lambda m: [[date[i], store[i]] for i in np.flatnonzero(m)]  # noqa: E731
    defects += [
        {
            "kind": "unit_cents",
            "source": "prices.html",
            "columns": ["apple", "banana"],
            "key": ["date", "store"],
            "where": {"store": CENTS_STORE},
            "rows": keys(cents),
            "detail": f"{CENTS_STORE} prices are published in cents, the others in euros",
        },
        {
            "kind": "impossible_value",
            "source": "prices.html",
            "columns": ["apple", "banana"],
            "key": ["date", "store"],
            "rows": [[date[i], store[i]] for i in neg],
            "detail": "negative prices (a stray minus sign)",
        },
    ]
    return rows


def _price_page(rows: pd.DataFrame) -> str:
    body = "\n".join(
        "      <tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in r) + "</tr>"
        for r in rows.itertuples(index=False)
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Fresh fruit prices - Lindenfeld Grocers</title>
</head>
<body>
  <header><h1>Lindenfeld Grocers</h1><nav><a href="/">Home</a> | <a href="/stores">Our stores</a></nav></header>
  <main>
    <h2>Daily fruit prices</h2>
    <p>Price per piece at the fruit stand of each store. Offers are marked.</p>
    <table id="daily-prices" class="prices">
      <thead>
        <tr><th>Date</th><th>Store</th><th>Apple (&euro;)</th><th>Banana (&euro;)</th><th>Offer</th></tr>
      </thead>
      <tbody>
{body}
      </tbody>
    </table>
  </main>
  <footer><p>Prices may change without notice.</p></footer>
</body>
</html>
"""  # noqa: E501


def _sensor_lines(w: world.World, rng: np.random.Generator, defects: list[dict]) -> list[str]:
    d = w.daily.sort_values(["date", "store"], kind="stable").reset_index(drop=True)
    lines: list[str] = []
    outages: list[list[str]] = []
    fahrenheit_lines: list[int] = []
    outage = rng.random(len(d)) < OUTAGE_RATE
    # A reading when the stand opens (6:00), then one at an irregular moment in every hour
    # of the day: never more than two hours between two readings of a working sensor.
    hours = np.arange(SENSOR_OPEN, SENSOR_CLOSE)
    k = len(hours) + 1
    for i, r in enumerate(d.itertuples(index=False)):
        store = str(r.store)
        sid = STORE_IDS[store]
        day = r.date.strftime("%Y-%m-%d")
        secs = np.concatenate([[SENSOR_OPEN * 3600], hours * 3600 + rng.integers(1, 3600, k - 1)])
        temps = world.sensor_readings(rng, np.full(k, r.temperature_c))
        gaps = np.diff(np.concatenate([[6 * 3600], secs])).astype(float)
        foot = rng.multinomial(int(r.footfall), gaps / gaps.sum())
        if outage[i]:
            outages.append([day, sid])
            continue
        for s, t, f in zip(secs, temps, foot, strict=True):
            hh, rem = divmod(int(s), 3600)
            mm, ss = divmod(rem, 60)
            if store == FAHRENHEIT_STORE:
                t = t * 9 / 5 + 32
                fahrenheit_lines.append(len(lines) + 1)
            rec = {
                "time": f"{day}T{hh:02d}:{mm:02d}:{ss:02d}",
                "store_id": sid,
                "sensor": f"{sid}-env",
                "temp": round(float(t), 1),
                "footfall": int(f),
            }
            lines.append(json.dumps(rec, separators=(",", ":")))
    defects += [
        {
            "kind": "missing_random",
            "source": "sensors.jsonl",
            "key": ["date", "store_id"],
            "rows": outages,
            "detail": "sensor outages: no readings at all that day (footfall unknown too)",
        },
        {
            "kind": "unit_fahrenheit",
            "source": "sensors.jsonl",
            "column": "temp",
            "key": "line",
            "where": {"store_id": STORE_IDS[FAHRENHEIT_STORE]},
            "rows": fahrenheit_lines,
            "detail": f"the {FAHRENHEIT_STORE} thermometer reports degrees Fahrenheit",
        },
    ]
    return lines


def _sampling_bias(w: world.World) -> dict:
    rec = w.visits["store"].astype(str).value_counts(normalize=True)
    foot = w.daily.groupby(w.daily["store"].astype(str))["footfall"].sum()
    foot = foot / foot.sum()
    ratio = (rec / foot).round(3)
    return {
        "kind": "sampling_bias",
        "source": "sales.csv",
        "key": "store",
        "where": {"store": "Station"},
        "rows": [],
        "detail": {
            "explanation": "visits by loyalty-app users were always recorded, others only 40% "
            "of the time; the station kiosk has few loyalty members",
            "share_of_recorded_visits": {s: round(float(rec[s]), 3) for s in world.STORE_NAMES},
            "share_of_footfall": {s: round(float(foot[s]), 3) for s in world.STORE_NAMES},
            "recorded_over_footfall": {s: float(ratio[s]) for s in world.STORE_NAMES},
            "visits_in_population": int(w.population_visits),
            "visits_recorded": len(w.visits),
        },
    }


# --------------------------------------------------------------------------- writing


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_sqlite(path: Path, customers: pd.DataFrame, stores: pd.DataFrame) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(fd)
    Path(tmp).unlink()
    try:
        con = sqlite3.connect(tmp)
        con.executescript(
            """
            CREATE TABLE stores (
                store_id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                city TEXT NOT NULL,
                opened TEXT NOT NULL
            );
            CREATE TABLE customers (
                customer_id INTEGER PRIMARY KEY,
                home_store_id TEXT NOT NULL REFERENCES stores(store_id),
                age INTEGER,            -- years, as typed in at sign-up; may be empty
                household_kids INTEGER, -- 1 if children live in the household; may be empty
                loyalty_member INTEGER NOT NULL,  -- 1 if in the loyalty app
                signed_up TEXT NOT NULL
            );
            """
        )
        con.executemany(
            "INSERT INTO stores VALUES (?, ?, ?, ?, ?)",
            stores[["store_id", "store", "kind", "city", "opened"]].itertuples(index=False),
        )
        con.executemany(
            "INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    int(r.customer_id),
                    r.home_store_id,
                    None if np.isnan(r.age) else int(r.age),
                    None if np.isnan(r.household_kids) else int(r.household_kids),
                    int(r.loyalty_member),
                    r.signed_up,
                )
                for r in customers.itertuples(index=False)
            ),
        )
        con.commit()
        con.close()
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- reading


def data_dir(seed: int | None = None) -> Path:
    """The folder with the sources: ``data/`` of the checkout, else a built cache.

    When the package is installed without the repository (on Colab, say), the sources are
    built once from the default seed into a cache folder keyed by the generator's version
    and the seed (:func:`course_utils.paths.data_cache_dir`), so that an updated package
    never reads data an older generator built. Another ``seed`` (another world, as in
    notebook 10's capstone) always gets its own cache folder, built on first use.
    """
    seed = world.DEFAULT_SEED if seed is None else int(seed)
    if seed == world.DEFAULT_SEED and (DATA_DIR / MANIFEST).exists():
        return DATA_DIR
    target = paths.data_cache_dir(seed)
    if not (target / MANIFEST).exists():
        build(target, seed=seed)
    return target


def read_manifest(folder: str | os.PathLike | None = None) -> dict:
    """The defect manifest (answer key) of a data folder."""
    path = Path(folder) if folder is not None else data_dir()
    with open(path / MANIFEST, encoding="utf-8") as fh:
        return json.load(fh)


def summary(folder: str | os.PathLike | None = None, *, seed: int | None = None) -> dict:
    """Rows per source, counts per defect kind, majority rate and Bayes-optimal accuracy.

    The majority rate and Bayes-optimal accuracy are measured on the test part of the
    course's standard split of the (clean) history.
    """
    manifest = read_manifest(folder)
    seed = manifest["seed"] if seed is None else seed
    defects: dict[str, int] = {k: 0 for k in DEFECT_KINDS}
    for d in manifest["defects"]:
        defects[d["kind"]] += len(d["rows"]) if d["rows"] else 1
    w = world.generate(seed)
    _, test = world.standard_split(w.visits)
    share = float((w.visits["fruit"] == "banana").mean())
    return {
        "seed": seed,
        "rows": manifest["rows"],
        "defects": defects,
        "majority_class": "banana" if share >= 0.5 else "apple",
        "majority_rate": round(max(share, 1 - share), 4),
        "bayes_accuracy": round(world.bayes_optimal(test, test["fruit"])["accuracy"], 4),
        "bayes_log_loss": round(world.bayes_optimal(test, test["fruit"])["log_loss"], 4),
    }
