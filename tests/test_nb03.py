"""Notebook 03 (03a "Clean the data", 03b "Build the preparation pipeline"): its
exercises, its build task, its quizzes, its widget, and what its cleaning achieves.

The cleaning test executes 03a's solutions notebook (built from the source) in a
throw-away work folder and checks the table it saves against the defect manifest, the
world's truth and ``checkpoints.clean_history()``; 03b's solutions notebook is executed too.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from course_utils import checkpoints, lessons, progress, sources, world
from course_utils.exercises import MISTAKES
from course_utils.exercises.nb03 import q1, q2, q3, q4, q5, wrapup_a, wrapup_b
from course_utils.features import add_features
from course_utils.widgets import p95, prep, update_times

LESSON = next(lesson for lesson in lessons.find_lessons() if lesson.number == "03a")
LESSON_B = next(lesson for lesson in lessons.find_lessons() if lesson.number == "03b")


@pytest.fixture(autouse=True)
def _isolated_progress(tmp_path, monkeypatch):
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    progress._reset_session()
    yield
    progress._reset_session()


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return checkpoints.raw_joined()


def _mistake(exercise, answer, **inputs) -> str | None:
    fb = exercise.evaluate(answer, **inputs)
    assert fb.status != "not_attempted", answer
    assert fb.message and (fb.mistake is None or fb.mistake in MISTAKES), fb
    return fb.mistake


def _run_solution(exercise, **namespace) -> dict:
    """Run the solution code shown to learners, as a notebook cell would."""
    ns = {"pd": pd, "np": np, "clone": clone, exercise.name: exercise, **namespace}
    exec(exercise._solution, ns)
    return ns


# --------------------------------------------------------------------------- q1


def test_q1_solution_and_typical_mistakes(raw, capsys):
    df = raw.copy()
    _run_solution(q1, raw=df)
    assert capsys.readouterr().out.startswith("✔ Correct")

    riv = df["store"] == "Riverside"
    t = df["temp"]
    good = t.where(~riv, (t - 32) * 5 / 9)
    assert q1.evaluate(good.round(1)).ok  # rounding to 0.1 °C is fine
    assert q1.evaluate(df.assign(temp=good)).ok  # the table itself
    assert q1.evaluate(good.reset_index(drop=True)).ok
    assert q1.evaluate(good.to_numpy()).ok  # np.where gives an array: fine too

    assert _mistake(q1, t) == "unit_fahrenheit"  # nothing converted
    assert _mistake(q1, (t - 32) * 5 / 9) == "wrong_rows"  # every store converted
    assert "every store" in q1.evaluate((t - 32) * 5 / 9).message
    fb = q1.evaluate(t.where(~riv, (t - 32) * 9 / 5))  # the factor upside down
    assert fb.mistake == "wrong_value" and "upside down" in fb.message
    fb = q1.evaluate(t.where(~riv, t * 5 / 9 - 32))
    assert fb.mistake == "wrong_value" and "subtract 32 first" in fb.message
    assert _mistake(q1, ((t - 32) * 5 / 9)[riv]) == "rows_lost"  # Riverside rows only
    # text that numeric conversion would turn back into numbers is still text
    fb = q1.evaluate(good.round(1).astype(str))
    assert fb.mistake == "wrong_dtype" and "text" in fb.message
    assert _mistake(q1, good.map(lambda x: f"{x:.1f}")) == "wrong_dtype"
    assert q1.evaluate(good.astype(object)).ok  # numbers in an object column are numbers
    assert _mistake(q1, good.dropna()) == "rows_lost"
    assert _mistake(q1, pd.Series(np.where(riv, (t - 32) * 5 / 9, np.nan))) == "missing_values"
    assert _mistake(q1, good.fillna(good.median())) == "wrong_value"  # outage days filled
    assert _mistake(q1, pd.concat([good, good.head(5)])) == "rows_added"


# --------------------------------------------------------------------------- q2


def test_q2_solution_and_typical_mistakes(raw, capsys):
    df = raw.copy()
    _run_solution(q2, df=df)
    first = df.drop_duplicates("visit_id")
    fb = q2.evaluate(first[["visit_id", "timestamp"]])  # de-duplicated, but two columns
    assert fb.mistake == "missing_columns" and "every column" in fb.message
    assert q2.evaluate(first.assign(hour=first["timestamp"].dt.hour)).ok  # extra: fine
    assert capsys.readouterr().out.startswith("✔ Correct")
    assert q2.evaluate(df.drop_duplicates("visit_id").reset_index(drop=True)).ok
    assert q2.evaluate(df.drop_duplicates(["visit_id", "fruit"])).ok

    fb = q2.evaluate(df.drop_duplicates())  # all columns: most copies stay
    assert fb.mistake == "rows_added" and "drop_duplicates()" in fb.message
    assert _mistake(q2, df) == "rows_added"  # nothing dropped
    fb = q2.evaluate(df.drop_duplicates("visit_id", keep=False))  # both copies gone
    assert fb.mistake == "rows_lost" and "both" in fb.message
    assert _mistake(q2, df.drop_duplicates("customer_id")) == "rows_lost"
    fb = q2.evaluate(df.drop_duplicates("visit_id", keep="last"))
    assert fb.mistake == "wrong_value" and "later" in fb.message
    assert _mistake(q2, df["visit_id"].drop_duplicates()) == "wrong_type"
    assert _mistake(q2, df.drop(columns="visit_id")) == "missing_columns"


# --------------------------------------------------------------------------- q3


def test_q3_missing_indicator_choice(capsys):
    _run_solution(q3)
    assert capsys.readouterr().out.startswith("✔ Correct")
    assert q3.evaluate("age").ok and q3.evaluate(("age",)).ok and q3.evaluate([" age"]).ok
    fb = q3.evaluate(["age", "has_kids"])
    assert fb.mistake == "wrong_choice" and "at random" in fb.message
    fb = q3.evaluate(["age", "temperature_c"])
    assert fb.mistake == "wrong_choice" and "sensor" in fb.message
    assert _mistake(q3, []) == "wrong_choice"
    assert "no missing values" in q3.evaluate(["age", "price_apple"]).message
    assert "not a column" in q3.evaluate(["Age"]).message
    assert _mistake(q3, 3) == "wrong_type"


# --------------------------------------------------------------------------- q4


@pytest.fixture(scope="module")
def split():
    train, test = checkpoints.split()
    cols = world.FEATURES
    return train[cols], test[cols], train["fruit"]


def _preprocess() -> object:
    numbers = ["age", "has_kids", "temperature_c", "price_apple", "price_banana", "hour"]
    return make_pipeline(
        ColumnTransformer(
            [
                ("numbers", SimpleImputer(strategy="median", add_indicator=True), numbers),
                ("categories", OneHotEncoder(handle_unknown="ignore"), ["store", "promo"]),
            ]
        ),
        StandardScaler(with_mean=False),
    )


def test_q5_fitted_on_training_rows_only(split, capsys):
    X_train, X_test, y_train = split
    inputs = {"X_train": X_train, "X_test": X_test}
    _run_solution(q5, preprocess=_preprocess(), **inputs)
    assert capsys.readouterr().out.startswith("✔ Correct")

    everything = pd.concat([X_train, X_test])
    fb = q5.evaluate(_preprocess().fit(everything), **inputs)
    assert fb.mistake == "leakage" and "test rows" in fb.message
    assert _mistake(q5, _preprocess().fit(X_test), **inputs) == "fitted_on_test"
    assert _mistake(q5, _preprocess(), **inputs) == "not_fitted"
    fitted = _preprocess().fit(X_train)
    assert _mistake(q5, fitted.transform(X_test), **inputs) == "wrong_type"  # the output
    model = make_pipeline(_preprocess(), LogisticRegression(max_iter=200)).fit(X_train, y_train)
    assert _mistake(q5, model, **inputs) == "wrong_type"  # a model, not the preprocessing
    assert q5.evaluate(fitted).mistake == "missing_input"  # X_train, X_test forgotten


# --------------------------------------------------------------------------- q4 (build)


def _factory(
    *,
    age=None,
    numbers=None,
    as_is=None,
    categories=None,
    scale=True,
    fit_on=None,
    derive=True,
    remainder="drop",
):
    """A ``make_preprocessing`` as a learner might write it; the defaults are the solution."""

    def make_preprocessing():
        one_hot = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
        groups = [
            ("age", age or SimpleImputer(strategy="median", add_indicator=True), ["age"]),
            (
                "numbers",
                numbers or SimpleImputer(strategy="median"),
                ["age_sq", "has_kids", "temperature_c"],
            ),
            (
                "as_is",
                "passthrough",
                as_is or ["rel_price", "loyalty_member", "station_rush", "weekend"],
            ),
            ("categories", categories or one_hot, ["store", "promo"]),
        ]
        steps = [FunctionTransformer(add_features)] if derive else []
        steps.append(ColumnTransformer(groups, remainder=remainder))
        if scale:
            steps.append(StandardScaler())
        pipeline = make_pipeline(*steps)
        return pipeline if fit_on is None else pipeline.fit(fit_on)

    return make_preprocessing


def test_q4_build_solution_passes_on_held_back_visits(capsys):
    ns = _run_solution(
        q4,
        ColumnTransformer=ColumnTransformer,
        SimpleImputer=SimpleImputer,
        OneHotEncoder=OneHotEncoder,
        StandardScaler=StandardScaler,
        FunctionTransformer=FunctionTransformer,
        make_pipeline=make_pipeline,
        add_features=add_features,
    )
    assert capsys.readouterr().out.startswith("✔ Correct")
    assert q4.evaluate(ns["make_preprocessing"]).ok
    assert q4.evaluate(_factory()).ok
    assert q4.evaluate(checkpoints.preprocessor).ok  # the course's own pipeline
    assert q4.evaluate(...).status == "not_attempted"
    assert q4.evaluate(lambda: ...).status == "not_attempted"  # the skeleton as given


def test_q4_build_typical_mistakes(split):
    X_train, X_test, _ = split
    cases = {
        "returned_none": lambda: None,  # the forgotten return
        "not_a_function": _factory()(),  # called instead of passed
        "signature": lambda X: _factory()(),  # a parameter the task does not pass
        "leakage": _factory(fit_on=pd.concat([X_train, X_test])),  # fitted on all rows
        "fitted_on_test": _factory(fit_on=X_test),
        "wrong_rows": _factory(fit_on=X_train),  # fitted inside the function at all
        "missing_values": _factory(numbers="passthrough"),  # NaN survives
        "raised": _factory(categories=OneHotEncoder(sparse_output=False)),  # unseen store
        "missing_columns": _factory(as_is=["rel_price", "loyalty_member", "station_rush"]),
        "wrong_column": _factory(categories=StandardScaler()),  # scaled the categories
    }
    for tag, answer in cases.items():
        assert _mistake(q4, answer) == tag, tag
    fb = q4.evaluate(_factory(categories=OneHotEncoder(sparse_output=False)))
    assert "handle_unknown" in fb.message and "Harbour" in fb.message
    fb = q4.evaluate(_factory(as_is=["rel_price", "loyalty_member", "station_rush"]))
    assert "weekend" in fb.message and "drops" in fb.message
    one_hot_numbers = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    fb = q4.evaluate(_factory(numbers=one_hot_numbers))
    assert fb.mistake == "wrong_column" and "one-hot encoded numbers" in fb.message
    fb = q4.evaluate(_factory(age=SimpleImputer(strategy="median")))  # no indicator
    assert fb.mistake == "missing_columns" and "indicator" in fb.message
    fb = q4.evaluate(_factory(age=SimpleImputer(strategy="mean", add_indicator=True)))
    assert fb.mistake == "wrong_value" and "median" in fb.message
    fb = q4.evaluate(_factory(scale=False))
    assert fb.mistake == "wrong_value" and "StandardScaler" in fb.message
    fb = q4.evaluate(_factory(derive=False))
    assert fb.mistake == "missing_columns" and "add_features" in fb.message
    assert _mistake(q4, _factory(remainder="passthrough")) == "extra_columns"
    noisy = SimpleImputer(strategy="median", add_indicator=True)  # an indicator on every gap
    fb = q4.evaluate(_factory(numbers=noisy))
    assert fb.mistake == "extra_columns" and "has_kids" in fb.message
    scaled_numbers = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    fb = q4.evaluate(_factory(numbers=scaled_numbers, scale=False))  # one-hot left unscaled
    assert fb.mistake == "wrong_value" and "not scaled" in fb.message
    assert _mistake(q4, lambda: make_pipeline(_factory()(), LogisticRegression())) == "wrong_type"


def test_q4_cases_are_not_the_learners_data():
    from course_utils.exercises import nb03

    fit_rows, new_rows = nb03._held_back(nb03._CASES[1])
    X_train, _ = checkpoints.xy(checkpoints.split()[0])
    assert nb03.HELD_BACK_SEED != 42 and len(fit_rows) == 3000
    assert fit_rows[["age", "has_kids", "temperature_c"]].isna().all().sum() == 0
    assert fit_rows[["age", "has_kids", "temperature_c"]].isna().any().all()
    assert (new_rows["store"] == nb03.NEW_STORE).any() and (
        new_rows["promo"] == nb03.NEW_PROMO
    ).any()
    assert (
        not fit_rows["age"]
        .reset_index(drop=True)
        .equals(X_train["age"].head(3000).reset_index(drop=True))
    )


# --------------------------------------------------------------------------- quizzes


@pytest.mark.parametrize(
    ("quiz", "right"),
    [
        (wrapup_a, {1: "b", 2: "c", 3: "a", 4: "c", 5: "b", 6: "a"}),
        (wrapup_b, {1: "c", 2: "a", 3: "b", 4: "b", 5: "c", 6: "a"}),
    ],
    ids=["03a", "03b"],
)
def test_wrapup_quizzes(quiz, right):
    assert quiz.evaluate(right).ok
    assert quiz.evaluate({k: ... for k in right}).status == "not_attempted"
    revisits = [q.revisits for q in quiz.questions if q.revisits]
    assert len(revisits) >= 2 and all(r < "03" for r in revisits)
    assert 5 <= len(quiz.questions) <= 8
    for number, question in enumerate(quiz.questions, start=1):
        for letter in question.options:
            if letter == question.answer:
                continue
            fb = quiz.evaluate({**right, number: letter})
            assert not fb.ok and question.why[letter] in fb.message, (number, letter)
            assert fb.mistake == question.tag and fb.mistake in MISTAKES


# --------------------------------------------------------------------------- all


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4, q5], ids=lambda e: e.name)
def test_blank_and_odd_answers_never_raise(exercise, capsys):
    inputs = {k: pd.DataFrame({"x": [1.0, 2.0]}) for k in exercise.inputs}
    for blank in (..., None):
        assert exercise.evaluate(blank, **inputs).status == "not_attempted"
    odd = [
        "banana",
        float("nan"),
        pd.DataFrame({"other": [1, 2]}),
        pd.Series([np.nan, np.nan]),
        StandardScaler(),
        LogisticRegression(),
        [1, 2],
    ]
    for answer in odd:
        fb = exercise.evaluate(answer, **inputs)
        assert fb.status == "incorrect" and fb.mistake in MISTAKES, (answer, fb)
        exercise.check(answer, **inputs)
    assert "Traceback" not in capsys.readouterr().out
    assert len(exercise.hints) >= 2 and exercise.solution_text()


# --------------------------------------------------------------------------- widget


@pytest.fixture(scope="module")
def comparer():
    return prep.make_widget(n_rows=1500)


def test_widget_reacts_to_every_control(comparer):
    r0, png0 = comparer.result, comparer.image.value
    assert r0["strategy"] == "median" and "The median" in comparer.text_html.value

    comparer.controls["strategy"].value = "constant"
    assert comparer.result["fill_value"] == 0.0
    assert "The constant 0" in comparer.text_html.value and comparer.image.value != png0

    comparer.controls["indicator"].value = True
    assert "with a missing indicator" in comparer.text_html.value
    comparer.controls["encoding"].value = "ordinal"
    assert "Ordinal encoding" in comparer.text_html.value
    for name, value in [("strategy", "median"), ("indicator", False), ("encoding", "one-hot")]:
        comparer.controls[name].value = value
    assert comparer.image.value == png0 and comparer.result["accuracy"] == r0["accuracy"]

    times = update_times(comparer, "strategy", prep.BENCH[1])  # measured, not asserted
    assert len(times) >= 3 and p95(times) > 0


def test_widget_numbers_and_static_fallback(comparer):
    data, scores = comparer.data, comparer.scores
    table = prep.score_table(comparer.result)
    assert len(table) == len(prep.STRATEGIES) * 2 * len(prep.ENCODINGS) == len(scores)
    assert table["accuracy"].is_monotonic_decreasing and table["accuracy"].between(0.5, 1).all()
    ages = data["age"][:, None]
    for strategy in prep.STRATEGIES:  # the fill values are SimpleImputer's
        imputer = SimpleImputer(strategy=strategy, fill_value=prep.CONSTANT_AGE).fit(ages)
        assert prep.fill_value(data["age"], strategy) == pytest.approx(imputer.statistics_[0])
    # The missing ages are not at random: the customers behind them are older.
    assert data["true_missing_age"].mean() > np.nanmean(data["age"]) + 5
    fig = prep.figure(comparer.compute(strategy="mean", indicator=False, encoding="one-hot"))
    ax = fig.axes[0]
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    assert len(ax.get_legend().get_texts()) == 3


# --------------------------------------------------------------------------- the notebook


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory) -> pd.DataFrame:
    """Execute the solutions notebook (from the source) and read the table it saved.

    ``lessons.execute`` gives the kernel a throw-away work folder, ``scratch/work``.
    """
    folder = tmp_path_factory.mktemp("nb03")
    scratch = folder / "scratch"
    scratch.mkdir()
    _, solution = lessons.make_notebooks(LESSON)
    executed = lessons.execute(solution, folder, scratch)
    table = pd.read_csv(scratch / "work" / "clean_03.csv", parse_dates=["timestamp"])
    table.attrs["notebook"] = executed
    return table


def _check_outputs(executed) -> dict[str, str]:
    """The printed output of every code cell that checks an answer; no cell failed."""
    outputs = {}
    for cell in executed.cells:
        if cell.cell_type == "code":
            text = "".join(
                o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs
            )
            outputs[cell.source] = text
            assert not any(o.output_type == "error" for o in cell.outputs), cell.source
    return {src: out for src, out in outputs.items() if ".check(" in src}


def test_solution_checks_pass(cleaned):
    checks = _check_outputs(cleaned.attrs["notebook"])
    assert len(checks) == 4  # q1, q2, q3 and the wrap-up quiz
    for src, out in checks.items():
        assert "✔ Correct" in out, src


def test_03b_solutions_run_and_every_check_passes(tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    _, solution = lessons.make_notebooks(LESSON_B)
    checks = _check_outputs(lessons.execute(solution, tmp_path, scratch))
    assert len(checks) == 3  # the build task q4, q5 and the wrap-up quiz
    for src, out in checks.items():
        assert "✔ Correct" in out, src


def test_cleaned_table_keeps_every_visit_once(cleaned):
    truth = world.generate().visits
    assert list(cleaned.columns) == checkpoints.CLEAN_COLUMNS
    assert cleaned["visit_id"].is_unique
    assert set(cleaned["visit_id"]) == set(truth["visit_id"])


def test_cleaned_table_equals_the_checkpoint(cleaned):
    """The checkpoint later notebooks start from is exactly what this notebook makes."""
    reference = checkpoints.clean_history()
    assert list(cleaned.columns) == list(reference.columns)
    assert len(cleaned) == len(reference)
    for col in reference.columns:
        mine, ref = cleaned[col], reference[col]
        if col == "timestamp":
            np.testing.assert_array_equal(mine.to_numpy(), ref.to_numpy())
        elif pd.api.types.is_numeric_dtype(ref):
            np.testing.assert_array_equal(mine.to_numpy(float), ref.to_numpy(float), err_msg=col)
        else:
            assert (mine.astype(str).to_numpy() == ref.astype(str).to_numpy()).all(), col


def _cells_of_each_defect(cleaned: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """For every planted defect: a boolean Series over its cells, True = repaired or flagged."""
    truth = world.generate().visits.set_index("visit_id")
    clean = cleaned.set_index("visit_id").loc[truth.index]
    manifest = sources.read_manifest()
    names = {v: k for k, v in sources.STORE_IDS.items()}
    days = truth["timestamp"].dt.strftime("%Y-%m-%d")
    key = pd.Series(list(zip(days, truth["store"].astype(str), strict=True)), index=truth.index)

    def ok(col: str, rows: pd.Index, tol: float = 0.0) -> pd.Series:
        mine, real = clean.loc[rows, col], truth.loc[rows, col]
        if col == "fruit":
            return (mine.astype(str) == real.astype(str)) | mine.isna()
        repaired = (mine.astype(float) - real.astype(float)).abs() <= tol
        return repaired | mine.isna()

    sensor_lines = (sources.data_dir() / "sensors.jsonl").read_text(encoding="utf-8").splitlines()
    result = []
    for d in manifest["defects"]:
        kind, src, rows = d["kind"], d["source"], d["rows"]
        if src == "sales.csv" and kind != "sampling_bias":
            visits = pd.Index(rows)
            if kind == "inconsistent_spelling":
                result.append((kind, ok("fruit", visits)))
            elif kind == "duplicate_scan":
                counts = cleaned["visit_id"].value_counts()
                result.append((kind, counts.reindex(visits, fill_value=0) == 1))
            elif kind == "mixed_timestamp_format":
                result += [(kind, ok("hour", visits)), (kind, ok("weekday", visits))]
        elif src == "customers.sqlite":
            visits = truth.index[truth["customer_id"].isin(rows)]
            col = "has_kids" if d["column"] == "household_kids" else d["column"]
            result.append((kind, ok(col, visits)))
        elif src == "prices.html":
            visits = key.index[key.isin({tuple(r) for r in rows})]
            result += [(kind, ok("price_apple", visits)), (kind, ok("price_banana", visits))]
        elif src == "sensors.jsonl" and kind == "missing_random":
            days = {(day, names[sid]) for day, sid in rows}
            visits = key.index[key.isin(days)]
            result.append((kind, clean.loc[visits, "temperature_c"].isna()))  # flagged only
        elif src == "sensors.jsonl" and kind == "unit_fahrenheit":
            records = [json.loads(sensor_lines[n - 1]) for n in rows]
            days = {(r["time"][:10], names[r["store_id"]]) for r in records}
            visits = key.index[key.isin(days)]
            # the last reading before the visit, converted: the true temperature plus the
            # sensor's noise - within 4 of its standard deviations (°F left as is: 30+ off)
            result.append((kind, ok("temperature_c", visits, tol=4 * world.SENSOR_NOISE_C)))
    return result


def test_cleaning_repairs_or_flags_the_planted_defects(cleaned):
    per_defect = _cells_of_each_defect(cleaned)
    kinds = {kind for kind, _ in per_defect}
    assert kinds == set(sources.DEFECT_KINDS) - {"sampling_bias"}  # bias: no cell to fix
    total = sum(len(cells) for _, cells in per_defect)
    fixed = sum(int(cells.sum()) for _, cells in per_defect)
    assert total > 20_000
    assert fixed / total >= 0.99, {k: float(c.mean()) for k, c in per_defect}


def test_q1_works_after_run_all(raw):
    """After Run All, `df` is the cleaned table: °C already, duplicates dropped."""
    first = raw.drop_duplicates("visit_id", keep="first").copy()
    riv = first["store"] == "Riverside"
    first.loc[riv, "temp"] = (first.loc[riv, "temp"] - 32) * 5 / 9
    assert q1.evaluate(first["temp"]).ok  # right values for the rows it has
    twice = first["temp"].where(~riv, (first["temp"] - 32) * 5 / 9)
    fb = q1.evaluate(twice)
    assert fb.mistake == "wrong_value" and "twice" in fb.message and "`raw`" in fb.message


def test_q4_build_model_at_the_end_and_ordinal_codes():
    fb = q4.evaluate(lambda: make_pipeline(_factory()(), LogisticRegression()))
    assert fb.mistake == "wrong_type" and "leave the model out" in fb.message
    from sklearn.preprocessing import OrdinalEncoder

    ordinal = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    fb = q4.evaluate(_factory(categories=ordinal))
    assert fb.mistake == "wrong_column" and "OneHotEncoder" in fb.message
