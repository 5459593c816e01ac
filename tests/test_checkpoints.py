"""Checkpoints rebuild what earlier notebooks produce, deterministically."""

import numpy as np
import pandas as pd
import pytest

from course_utils import checkpoints, sources, world


def test_clean_history_is_the_truth_with_honest_gaps():
    clean = checkpoints.clean_history()
    truth = world.generate().visits
    assert list(clean.columns) == checkpoints.CLEAN_COLUMNS
    assert len(clean) == len(truth) and clean["visit_id"].is_unique  # no row lost, no dups
    assert set(clean["fruit"]) == {"apple", "banana"}
    for col in ("price_apple", "price_banana", "hour", "weekday"):
        np.testing.assert_array_equal(clean[col], truth[col])
    # Missing where the sources have gaps; otherwise the true value.
    known = clean["age"].notna()
    assert 0.02 < (~known).mean() < 0.15
    np.testing.assert_array_equal(clean.loc[known, "age"], truth.loc[known, "age"])
    assert clean["age"].dropna().between(16, 110).all()
    # Temperature is the last sensor reading before the visit: the day's true temperature
    # plus the sensor's noise (sd 0.8 °C), in Celsius at every store (Riverside converted).
    err = clean["temperature_c"] - truth["temperature_c"]
    assert clean["temperature_c"].isna().any()
    assert abs(err.mean()) < 0.05 and 0.7 < err.std() < 0.9 and err.abs().max() < 4.5
    assert err.groupby(clean["store"].astype(str)).mean().abs().max() < 0.1


def test_last_reading_is_point_in_time():
    readings = pd.DataFrame(
        {
            "reading_at": pd.to_datetime(
                ["2025-01-01 06:00", "2025-01-01 07:05", "2025-01-01 08:40", "2025-01-01 06:30"]
            ),
            "store": ["Central", "Central", "Central", "Station"],
            "temp": [4.0, 5.5, 9.0, -1.0],
        }
    )
    scans = pd.DataFrame(
        {
            "timestamp": pd.to_datetime(
                ["2025-01-01 08:40", "2025-01-01 07:22", "2025-01-01 05:59", "2025-01-01 08:00",
                 "2025-01-01 11:00"]
            ),
            "store": ["Central", "Central", "Central", "Station", "Station"],
        },
        index=[10, 11, 12, 13, 14],
    )  # fmt: skip
    got = checkpoints.last_reading(scans, readings)
    # Exact matches count; never a later reading, never another store's; NaN when too old.
    assert list(got.index) == [10, 11, 12, 13, 14]
    np.testing.assert_array_equal(got.to_numpy(), [9.0, 5.5, np.nan, -1.0, np.nan])


def test_split_is_deterministic_and_stratified():
    a_train, a_test = checkpoints.split()
    b_train, b_test = checkpoints.split()
    pd.testing.assert_frame_equal(a_train, b_train)
    assert len(a_test) / (len(a_train) + len(a_test)) == pytest.approx(0.2, abs=0.001)
    share = lambda d: (d["fruit"] == "banana").mean()  # noqa: E731
    assert abs(share(a_train) - share(a_test)) < 0.005
    assert not set(a_train["visit_id"]) & set(a_test["visit_id"])


def test_outage_days_have_no_temperature():
    clean = checkpoints.clean_history()
    manifest = sources.read_manifest()
    outages = next(
        d
        for d in manifest["defects"]
        if d["kind"] == "missing_random" and d["source"] == "sensors.jsonl"
    )
    names = {v: k for k, v in sources.STORE_IDS.items()}
    days = {(pd.Timestamp(d), names[s]) for d, s in outages["rows"]}
    key = list(zip(clean["timestamp"].dt.normalize(), clean["store"].astype(str), strict=True))
    on_outage = np.array([k in days for k in key])
    assert on_outage.any()
    assert clean.loc[on_outage, "temperature_c"].isna().all()
    assert clean.loc[~on_outage, "temperature_c"].notna().all()


def test_raw_joined_keeps_every_scan_and_the_defects():
    joined = checkpoints.raw_joined()
    sales = checkpoints.read_sources()["sales"]
    assert len(joined) == len(sales)  # a left join on many-to-one keys loses nothing
    assert joined["timestamp"].notna().all()  # both timestamp formats parsed
    assert joined["visit_id"].duplicated().sum() > 0  # duplicate scans still there
    assert (joined.loc[joined["store"] == "Station", "apple"] > 10).all()  # cents
    assert joined["temp"].isna().any()  # sensor outage days


def _lesson_03_namespace():
    """Run the cells of lesson 03b that define its features and its build task's solution."""
    from pathlib import Path

    import jupytext

    nb = jupytext.read(Path(__file__).parent.parent / "lessons" / "03b_build_pipeline.py")
    ns: dict = {}
    wanted = (
        "RUSH_HOURS = ",
        "from sklearn.compose import ColumnTransformer",
        "def make_preprocessing(",
    )
    exec("import numpy as np\nfrom sklearn.impute import SimpleImputer", ns)
    for cell in nb.cells:
        if cell.cell_type == "code" and any(w in cell.source for w in wanted):
            code = "\n".join(
                line
                for line in cell.source.splitlines()
                if not line.startswith(("add_features(X_train", "print(", "display(", "q4.check"))
            )
            exec(code, ns)
    ns["preprocess"] = ns["make_preprocessing"]()
    return ns


def test_preprocessor_is_notebook_03s_pipeline():
    from sklearn.base import clone

    from course_utils import features

    ns = _lesson_03_namespace()
    train, test = checkpoints.split()
    X_train, y_train = checkpoints.xy(train)
    X_test, _ = checkpoints.xy(test)
    pd.testing.assert_frame_equal(ns["add_features"](X_test), features.add_features(X_test))
    assert features.RUSH_HOURS == ns["RUSH_HOURS"]
    ours = checkpoints.preprocessor().fit(X_train, y_train)
    theirs = clone(ns["preprocess"]).fit(X_train, y_train)
    np.testing.assert_allclose(ours.transform(X_test), theirs.transform(X_test))


def test_tuned_pipeline_is_the_deployed_logistic_regression():
    pipe = checkpoints.tuned_pipeline()
    assert type(pipe[-1]).__name__ == "LogisticRegression"
    assert not hasattr(pipe[-1], "coef_")  # unfitted: a fresh pipeline every call
    assert pipe[-1].get_params()["C"] == checkpoints.TUNED_PARAMS["C"]
    assert checkpoints.tuned_pipeline(C=0.1)[-1].C == 0.1  # overrides win
    boosting = checkpoints.boosting_pipeline()
    assert type(boosting[-1]).__name__ == "HistGradientBoostingClassifier"
    params = boosting[-1].get_params()
    assert params["random_state"] == 0
    assert {k: params[k] for k in checkpoints.BOOSTING_PARAMS} == checkpoints.BOOSTING_PARAMS


def test_tuned_model_is_fitted_on_the_training_rows_only():
    model = checkpoints.tuned_model()
    train, test = checkpoints.split()
    X_train, y_train = checkpoints.xy(train)
    refit = checkpoints.tuned_pipeline().fit(X_train, y_train)
    X_test, _ = checkpoints.xy(test)
    np.testing.assert_allclose(model.predict_proba(X_test), refit.predict_proba(X_test))
    assert model[-1].n_iter_[0] < model[-1].max_iter  # converged
