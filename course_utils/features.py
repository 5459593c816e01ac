"""The derived features of notebook 03, importable - so a saved pipeline can be reloaded.

Notebook 03 writes ``add_features`` in the notebook, where the learner reads it. A pipeline
that calls a function defined in a notebook cannot be reloaded anywhere else (the service,
a colleague's laptop): the function lives only in that notebook's memory. So the same
function lives here too, and the pipelines that later notebooks save use this one. A test
proves the two give the same result.

>>> import pandas as pd
>>> X = pd.DataFrame({"price_apple": [0.5], "price_banana": [0.25], "store": ["Station"],
...                   "hour": [8], "weekday": [6], "age": [60.0]})
>>> add_features(X)[["station_rush", "weekend", "age_sq"]].to_numpy().tolist()
[[1.0, 1.0, 1.0]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

RUSH_HOURS = [7, 8, 9, 16, 17, 18]
DERIVED = ["rel_price", "station_rush", "weekend", "age_sq"]


def add_features(X: pd.DataFrame) -> pd.DataFrame:
    """Add the derived columns; row by row, so it learns nothing and cannot leak.

    ``rel_price``: log of the banana price over the apple price; ``station_rush``: 1 for a
    visit to the Station kiosk in the rush hours; ``weekend``: 1 on Saturday and Sunday;
    ``age_sq``: the squared distance from 45 years, in units of 15 years.
    """
    X = X.copy()
    X["rel_price"] = np.log(X["price_banana"] / X["price_apple"])
    X["station_rush"] = ((X["store"] == "Station") & X["hour"].isin(RUSH_HOURS)).astype(int)
    X["weekend"] = (X["weekday"] >= 5).astype(int)
    X["age_sq"] = ((X["age"] - 45) / 15) ** 2
    return X
