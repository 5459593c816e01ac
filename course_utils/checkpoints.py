"""Checkpoints: the state earlier notebooks would have produced, so you can start anywhere.

Each function rebuilds, deterministically, what the lessons before a notebook create. A
learner who starts at notebook 04 calls ``checkpoints.split()`` in the first cells and gets
the same cleaned training and test tables that notebook 03 ends with.

>>> from course_utils import checkpoints
>>> train, test = checkpoints.split()
>>> len(train) > len(test)
True
"""

from __future__ import annotations

import functools
from io import StringIO

import pandas as pd

from . import sources, world

#: The columns of the cleaned history (notebook 03's result), in order.
CLEAN_COLUMNS = ["visit_id", "timestamp", "customer_id", *world.FEATURES, world.TARGET]


@functools.lru_cache(maxsize=2)
def _daily_temperature() -> pd.DataFrame:
    """Daily mean temperature per store from the sensor log, Fahrenheit converted."""
    path = sources.data_dir() / "sensors.jsonl"
    log = pd.read_json(StringIO(path.read_text(encoding="utf-8")), lines=True)
    names = {v: k for k, v in sources.STORE_IDS.items()}
    fahrenheit = log["store_id"] == sources.STORE_IDS[sources.FAHRENHEIT_STORE]
    log.loc[fahrenheit, "temp"] = (log.loc[fahrenheit, "temp"] - 32) * 5 / 9
    log["date"] = pd.to_datetime(log["time"]).dt.normalize()
    log["store"] = log["store_id"].map(names)
    daily = log.groupby(["date", "store"], as_index=False)["temp"].mean()
    daily["temp"] = daily["temp"].round(1)
    return daily


def clean_history() -> pd.DataFrame:
    """The history after notebook 03's cleaning, before any imputation.

    Spellings unified, units converted (prices in euros, temperature in °C, the daily mean
    of the sensor readings), duplicate scans dropped, impossible ages set to missing.
    Missing values stay missing (``age``, ``has_kids``, ``temperature_c``): they are
    imputed inside the model's pipeline, after the split.
    """
    manifest = sources.read_manifest()
    w = world.generate(manifest["seed"])
    v = w.visits.copy()

    def rows(kind: str, source: str) -> list:
        return [
            r
            for d in manifest["defects"]
            if d["kind"] == kind and d["source"] == source
            for r in d["rows"]
        ]

    no_age = set(rows("missing_not_at_random", "customers.sqlite")) | set(
        rows("impossible_value", "customers.sqlite")
    )
    no_kids = set(rows("missing_random", "customers.sqlite"))
    v["age"] = v["age"].astype(float).where(~v["customer_id"].isin(no_age))
    v["has_kids"] = v["has_kids"].astype(float).where(~v["customer_id"].isin(no_kids))
    v["loyalty_member"] = v["loyalty_member"].astype(int)

    temps = _daily_temperature()
    key = pd.DataFrame({"date": v["timestamp"].dt.normalize(), "store": v["store"].astype(str)})
    merged = key.merge(temps, on=["date", "store"], how="left", validate="many_to_one")
    v["temperature_c"] = merged["temp"].to_numpy()
    return v[CLEAN_COLUMNS].reset_index(drop=True)


def split() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cleaned history split into training and test rows (the standard split)."""
    return world.standard_split(clean_history())
