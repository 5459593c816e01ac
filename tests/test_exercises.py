"""Tests of the exercise framework and of the exercises of notebook 00."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from course_utils import exercises as ex
from course_utils import progress, world
from course_utils.exercises import feedback, nb00
from course_utils.exercises.nb00 import q1, q2, q3


@pytest.fixture(autouse=True)
def _isolated_progress(tmp_path, monkeypatch):
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    progress._reset_session()
    yield
    progress._reset_session()


@pytest.fixture(scope="module")
def visits() -> pd.DataFrame:
    return world.generate().visits


def _run_solution(exercise: ex.Exercise, visits: pd.DataFrame) -> None:
    """Execute the solution code shown to learners, as a notebook cell would."""
    namespace = {"visits": visits, "pd": pd, "np": np, exercise.name: exercise}
    exec(exercise._solution, namespace)


ODD_ANSWERS = [
    "banana",
    "",
    float("nan"),
    float("inf"),
    -1,
    10**12,
    True,
    [1, 2, 3],
    (),
    {"a": 1},
    {1, 2},
    np.array([1.0, 2.0]),
    np.array(0.5),
    pd.DataFrame({"x": [1, 2]}),
    pd.DataFrame(),
    pd.Series(dtype=float),
    pd.Series(["a", "b"]),
    StandardScaler(),
    LogisticRegression(),
    object(),
    lambda x: x,
    1 + 2j,
    b"bytes",
    pd.NA,
    pd.NaT,
]


# --------------------------------------------------------------------------- framework


def test_feedback_text_and_html_carry_a_label_not_only_colour():
    fb = ex.incorrect("Expected a number, got a str: 'x'.", "wrong_type")
    assert fb.text().startswith("✘ Not quite: ")
    assert str(fb) == fb.text()
    html = fb._repr_html_()
    assert "✘ Not quite" in html and "#D55E00" in html
    assert "got a str: 'x'." in html
    raw = ex.incorrect("Not <b>bold</b> but **bold** and `x < 1`.")._repr_html_()
    assert "&lt;b&gt;" in raw and "<b>" not in raw  # typed HTML is escaped
    assert "<strong>bold</strong>" in raw and "<code>x &lt; 1</code>" in raw
    assert ex.correct().text().startswith("✔ Correct")
    assert ex.not_attempted().text().startswith("○ Not attempted yet")
    assert "<code>...</code>" in ex.not_attempted().html()
    with pytest.raises(ValueError):
        ex.Feedback("maybe", "?")


def test_show_prints_outside_a_kernel_and_displays_inside(monkeypatch, capsys):
    fb = ex.correct("Nice.")
    ex.show(fb)
    assert capsys.readouterr().out.strip() == "✔ Correct: Nice."

    shown = []
    monkeypatch.setattr(feedback, "_in_kernel", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    q1.check(...)
    assert capsys.readouterr().out == ""
    assert len(shown) == 1 and shown[0].status == "not_attempted"
    assert "○ Not attempted yet" in shown[0]._repr_html_()


def test_describe_names_odd_values():
    assert ex.describe("banana") == "a str: 'banana'"
    assert ex.describe(float("nan")) == "NaN (not a number)"
    assert ex.describe(pd.DataFrame({"a": [1, 2]})) == "a DataFrame with 2 rows and 1 column"
    assert ex.describe(StandardScaler()) == "a StandardScaler (not fitted yet)"
    assert ex.describe([1]) == "a list of 1 item"
    for value in ODD_ANSWERS:
        assert isinstance(ex.describe(value), str)


def test_expect_number_diagnoses():
    assert ex.expect_number(0.421, 0.42, tol=0.005).ok
    assert ex.expect_number(..., 0.42).status == "not_attempted"
    fb = ex.expect_number("banana", 0.42, what="a number between 0 and 1")
    assert fb.mistake == "wrong_type"
    assert fb.message == "Expected a number between 0 and 1, got a str: 'banana'."
    assert "quotes" in ex.expect_number("0.42", 0.42).message
    assert ex.expect_number(True, 1).mistake == "wrong_type"
    assert ex.expect_number(np.float32(0.42), 0.42, tol=1e-6).ok
    assert ex.expect_number(np.array(0.42), 0.42).ok
    assert ex.expect_number(42.0, 0.42, tol=0.005, kind="fraction").mistake == (
        "percent_not_fraction"
    )
    assert ex.expect_number(0.42, 42, tol=0.5, kind="percent").mistake == "fraction_not_percent"
    assert ex.expect_number(65.0, 0.65, tol=0.01, kind="eur").mistake == "unit_cents"
    assert ex.expect_number(0.65, 65, tol=1, kind="cents").mistake == "unit_euros"
    assert ex.expect_number(68.0, 20.0, tol=0.1, kind="celsius").mistake == "unit_fahrenheit"
    assert ex.expect_number(20.0, 68.0, tol=0.1, kind="fahrenheit").mistake == "unit_celsius"
    assert ex.expect_number(float("nan"), 1.0).mistake == "nan"
    assert ex.expect_number(2.5, 3, integer=True).mistake == "not_integer"
    assert ex.expect_number(1.7, 0.42, lo=0, hi=1).mistake == "out_of_range"
    fb = ex.expect_number(0.44, 0.42, tol=0.005)  # near, but no rounding of 0.42
    assert fb.mistake == "near" and "decimals" not in fb.message and "high" in fb.message
    fb = ex.expect_number(0.42, 0.4237, tol=0.0005)  # 0.4237 rounded too early
    assert fb.mistake == "close" and "2 decimals" in fb.message and "0.0005" in fb.message
    fb = ex.expect_number(0.9, 0.42, tol=0.005, wrong="Compare with 'banana'.")
    assert (fb.mistake, fb.message) == ("wrong_value", "Compare with 'banana'.")
    near = ex.NearMiss(0.58, "complement", "That is the apple share.")
    assert ex.expect_number(0.58, 0.42, tol=0.005, near_misses=[near]).mistake == "complement"


def test_expect_choice():
    choices = ["a", "b", "c"]
    assert ex.expect_choice(" A ", "a", choices).ok
    assert ex.expect_choice("(a)", "a", choices).ok
    assert ex.expect_choice("b", {"a", "b"}, choices).ok
    assert ex.expect_choice("c", "a", choices).mistake == "wrong_choice"
    fb = ex.expect_choice("b", "a", choices, explanations={"b": ("leakage", "B leaks.")})
    assert (fb.mistake, fb.message) == ("leakage", "B leaks.")
    fb = ex.expect_choice("z", "a", choices)
    assert fb.mistake == "wrong_type" and "one of 'a', 'b', 'c'" in fb.message
    assert ex.expect_choice(["a"], "a", choices).mistake == "wrong_type"
    assert ex.expect_choice(None, "a", choices).status == "not_attempted"


def test_expect_series():
    exp = pd.Series({"Central": 5, "Riverside": 2, "Station": 3})
    assert ex.expect_series(exp.iloc[::-1], exp).ok
    assert ex.expect_series(exp.iloc[::-1], exp, check_order=True).mistake == "wrong_index"
    assert ex.expect_series(exp / 10, exp, counts=True).mistake == "proportions_not_counts"
    assert ex.expect_series(exp * 10, exp, counts=True).mistake == "proportions_not_counts"
    assert ex.expect_series(exp - 1, exp, counts=True).mistake == "rows_lost"
    assert ex.expect_series(exp + 1, exp, counts=True).mistake == "rows_added"
    assert ex.expect_series(exp.iloc[:2], exp).mistake == "wrong_index"
    assert ex.expect_series(exp.to_frame("n"), exp).mistake == "wrong_type"
    assert ex.expect_series(exp.to_dict(), exp).mistake == "wrong_type"
    assert ex.expect_series(exp.to_numpy(), exp).mistake == "wrong_type"
    assert ex.expect_series(exp.astype(float).where(exp > 2), exp).mistake == "missing_values"
    fb = ex.expect_series(exp.replace(5, 6), exp)
    assert fb.mistake == "wrong_value" and "Central" in fb.message and "6" not in fb.message
    hidden = ex.expect_series(exp.iloc[:2], exp, reveal_index=False)
    assert "Station" not in hidden.message


def test_expect_frame():
    df = pd.DataFrame(
        {"price": [0.5, 0.6, 0.7], "temp": [10.0, 20.0, 30.0], "store": ["a", "b", "c"]}
    )
    assert ex.expect_frame(df.copy(), df).ok
    assert ex.expect_frame(df.sample(frac=1, random_state=0), df).ok  # order of rows
    fb = ex.expect_frame(df.iloc[:2], df)
    assert fb.mistake == "rows_lost" and "2 rows" in fb.message
    hidden = ex.expect_frame(df.iloc[:2], df, reveal_rows=False)
    assert hidden.mistake == "rows_lost" and "3" not in hidden.message
    assert ex.expect_frame(pd.concat([df, df.iloc[:1]]), df).mistake == "rows_added"
    assert ex.expect_frame(df.drop(columns="temp"), df).mistake == "missing_columns"
    extra = df.assign(x=1)
    assert ex.expect_frame(extra, df).ok
    assert ex.expect_frame(extra, df, exact_columns=True).mistake == "extra_columns"
    cents = df.assign(price=df.price * 100)
    assert ex.expect_frame(cents, df, units={"price": "eur"}).mistake == "unit_cents"
    assert ex.expect_frame(cents, df).mistake == "unit_factor_100"
    fahrenheit = df.assign(temp=df.temp * 9 / 5 + 32)
    assert ex.expect_frame(fahrenheit, df).mistake == "unit_fahrenheit"
    assert ex.expect_frame(df.assign(temp=[np.nan, 20, 30]), df).mistake == "missing_values"
    assert ex.expect_frame(df.assign(store=["a", "b", "x"]), df).mistake == "wrong_value"
    assert ex.expect_frame(df["price"], df).mistake == "wrong_type"
    assert ex.expect_frame(df, columns=["price"], n_rows=3).ok


def test_expect_type_fitted_and_first_problem():
    assert ex.expect_type(3, int, "a whole number").ok
    assert ex.expect_type("3", int, "a whole number").mistake == "wrong_type"
    assert ex.expect_fitted(StandardScaler()).mistake == "not_fitted"
    assert ex.expect_fitted("scaler").mistake == "wrong_type"
    assert ex.expect_fitted(StandardScaler().fit([[1.0], [2.0]])).ok
    calls = []
    result = ex.first_problem(
        ex.correct(), None, ex.incorrect("x", "wrong_type"), lambda: calls.append(1)
    )
    assert result.mistake == "wrong_type" and calls == []
    assert ex.first_problem(ex.correct(), lambda: None) is None


def _demo_exercise(checker, **kw) -> ex.Exercise:
    return ex.Exercise(
        "99",
        "q9",
        "Demo",
        prompt="Demo prompt.",
        checker=checker,
        hints=["First.", "Second."],
        solution="q9.check(1)",
        **kw,
    )


def test_exercise_keyword_inputs_are_checked_politely():
    q = _demo_exercise(
        lambda a, X_train: ex.expect_number(a, len(X_train)),
        inputs={"X_train": "the training rows"},
        expects="a number",
    )
    assert q.usage == "q9.check(answer, X_train=X_train)"
    assert q.evaluate(3, X_train=[1, 2, 3]).ok
    fb = q.evaluate(3)
    assert fb.mistake == "missing_input" and "X_train=" in fb.message
    fb = q.evaluate(3, X_train=[1, 2, 3], X_tst=1)
    assert fb.mistake == "unknown_input" and "X_tst=" in fb.message
    assert "X_train=" in repr(q) and "X_train=" in q._repr_html_()


def test_a_checker_that_raises_never_reaches_the_learner(capsys):
    def broken(answer):
        raise KeyError("oops")

    q = _demo_exercise(broken, expects="a number")
    fb = q.evaluate(5)
    assert fb.mistake == "check_error" and "Expected a number" in fb.message
    q.check(5)  # does not raise
    assert "✘" in capsys.readouterr().out
    q2_ = _demo_exercise(lambda a: None, success="Yay.")
    assert q2_.evaluate(1) == ex.correct("Yay.")


def test_hints_are_tiered_and_polite_beyond_the_last(capsys):
    q1.hint()
    out = capsys.readouterr().out
    assert "Hint 1 of 3" in out and q1.hints[0] in out and "q1.hint(2)" in out
    q1.hint(2)
    assert q1.hints[1] in capsys.readouterr().out
    q1.hint(4)
    out = capsys.readouterr().out
    assert "only 3 hints" in out and "q1.solution()" in out
    for odd in (0, -1, "two", None, 2.5):
        q1.hint(odd)  # never raises
    capsys.readouterr()
    assert q1.hint_text(3) == q1.hints[2]
    q1.solution()
    out = capsys.readouterr().out
    assert "Solution to q1" in out and "q1.check(banana_share)" in out


def test_catalogue_lists_every_notebook_exercise():
    cat = ex.catalogue()
    assert [(nb, name) for nb, name, _ in cat if nb == "00"] == [
        ("00", "q1"),
        ("00", "q2"),
        ("00", "q3"),
        ("00", "wrapup"),
    ]
    assert all(title for _, _, title in cat)
    assert nb00.__all__ == ["q1", "q2", "q3", "wrapup"]


@pytest.mark.parametrize("exercise", ex.all_exercises(), ids=lambda e: f"{e.notebook}.{e.name}")
def test_every_exercise_is_complete(exercise, capsys):
    assert exercise.notebook.isdigit() and len(exercise.notebook) == 2
    assert len(exercise.hints) >= 2
    assert exercise.solution_text()
    assert exercise.title and exercise.prompt
    for blank in (..., None):
        fb = exercise.evaluate(blank)
        assert fb.status == "not_attempted" and "Not attempted yet" in fb.text()
    exercise.check(...)
    exercise.check()
    assert capsys.readouterr().out.count("○ Not attempted yet") == 2


@pytest.mark.parametrize("exercise", ex.all_exercises(), ids=lambda e: f"{e.notebook}.{e.name}")
def test_odd_answers_never_raise(exercise, capsys):
    kwargs = {k: pd.DataFrame({"x": [1, 2]}) for k in exercise.inputs}
    for odd in ODD_ANSWERS:
        fb = exercise.evaluate(odd, **kwargs)
        assert fb.status == "incorrect", odd
        assert fb.mistake in ex.MISTAKES, (odd, fb.mistake)
        assert fb.message
        exercise.check(odd, **kwargs)
    assert "Traceback" not in capsys.readouterr().out


# --------------------------------------------------------------------------- notebook 00


def test_q1_solution_passes_and_is_recorded(visits, capsys):
    _run_solution(q1, visits)
    assert capsys.readouterr().out.startswith("✔ Correct")
    assert "q1" in progress.load()["00"]


def test_q1_wrong_answers_get_specific_feedback(visits):
    share = float((visits["fruit"] == "banana").mean())
    n_banana = int((visits["fruit"] == "banana").sum())
    cases = {
        100 * share: "percent_not_fraction",
        1 - share: "complement",
        100 * (1 - share): "complement",
        n_banana: "count_not_share",
        len(visits) - n_banana: "count_not_share",
        len(visits): "count_not_share",
        round(share, 1): "close",
        0.2: "wrong_value",
        1.5: "out_of_range",
        float("nan"): "nan",
    }
    for answer, mistake in cases.items():
        fb = q1.evaluate(answer)
        assert fb.mistake == mistake, (answer, fb)
        for leak in (f"{share:.2f}", f"{share:.3f}", f"{100 * share:.1f}", f"{n_banana}"):
            assert leak not in fb.message
    fb = q1.evaluate("banana")
    assert fb.mistake == "wrong_type"
    assert "Expected a number between 0 and 1" in fb.message and "a str: 'banana'" in fb.message
    fb = q1.evaluate(visits["fruit"].value_counts(normalize=True))
    assert fb.mistake == "wrong_type" and "s['banana']" in fb.message
    assert q1.evaluate(visits["fruit"] == "banana").mistake == "wrong_type"
    assert q1.evaluate(share + 0.004).ok


def test_q2_solution_and_wrong_answers(visits, capsys):
    _run_solution(q2, visits)
    assert capsys.readouterr().out.startswith("✔ Correct")
    n = visits["customer_id"].nunique()
    assert q2.evaluate(float(n)).ok
    assert q2.evaluate(np.int64(n)).ok
    fb = q2.evaluate(len(visits))
    assert fb.mistake == "rows_not_unique" and "once" in fb.message
    fb = q2.evaluate(int(visits["customer_id"].max()))
    assert "largest customer id" in fb.message
    assert q2.evaluate(str(n)).mistake == "wrong_type"
    assert q2.evaluate(n + 0.5).mistake == "not_integer"
    assert q2.evaluate(visits["customer_id"].unique()).mistake == "wrong_type"
    for answer in (len(visits), n - 7, -3):
        assert str(n) not in q2.evaluate(answer).message
        assert f"{n:,}" not in q2.evaluate(answer).message


def test_q3_solution_and_wrong_answers(visits, capsys):
    _run_solution(q3, visits)
    assert capsys.readouterr().out.startswith("✔ Correct")
    counts = visits["store"].value_counts()
    assert q3.evaluate(visits.groupby("store", observed=True).size()).ok
    assert q3.evaluate(counts.sort_index()).ok
    cases = {
        "normalize": (visits["store"].value_counts(normalize=True), "proportions_not_counts"),
        "percent": (100 * visits["store"].value_counts(normalize=True), "proportions_not_counts"),
        "fruit": (visits["fruit"].value_counts(), "wrong_column"),
        "no index": (counts.reset_index(drop=True), "wrong_index"),
        "ids": (counts.rename(index={"Central": "S1", "Riverside": "S2", "Station": "S3"}), None),
        "table": (visits.groupby("store", observed=True).count(), "wrong_type"),
        "dict": (counts.to_dict(), "wrong_type"),
        "values": (counts.to_numpy(), "wrong_type"),
        "filtered": (visits[visits["fruit"] == "banana"]["store"].value_counts(), "rows_lost"),
        "subset": (counts.iloc[:2], "wrong_index"),
    }
    for label, (answer, mistake) in cases.items():
        fb = q3.evaluate(answer)
        assert fb.status == "incorrect", label
        if mistake:
            assert fb.mistake == mistake, (label, fb)
        for value in counts:
            assert str(value) not in fb.message and f"{value:,}" not in fb.message, label
    fb = q3.evaluate(visits.groupby("store", observed=True)[["visit_id"]].count())
    assert fb.mistake == "wrong_type" and "df['visit_id']" in fb.message


def test_wrong_check_is_not_recorded_but_a_pass_is(visits, capsys):
    q2.check(len(visits))
    assert progress.load() == {}
    q2.check(visits["customer_id"].nunique())
    assert list(progress.load()["00"]) == ["q2"]
    capsys.readouterr()


def test_imports_of_the_exercise_package_run_one_way():
    """render <- feedback <- expect <- core <- catalogue; misconceptions builds on them."""
    import ast
    import importlib
    import inspect

    layers = ["render", "describe", "feedback", "expect", "core", "catalogue", "progress_map"]

    def imported(module):
        tree = ast.parse(inspect.getsource(module))
        return {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}

    for i, name in enumerate(layers):
        names = imported(importlib.import_module(f"course_utils.exercises.{name}"))
        above = {f"course_utils.exercises.{upper}" for upper in layers[i + 1 :]}
        assert not names & above, (name, names & above)
        assert "course_utils.misconceptions" not in names
        assert "course_utils.exercises" not in names  # never the package itself
    from course_utils import misconceptions

    assert misconceptions.expect_cost_aware_metric("acc", 1, 10).mistake == (
        "accuracy_with_skewed_costs"
    )
    with pytest.raises(AttributeError):
        ex.no_such_thing  # noqa: B018


def test_close_answers_hear_about_the_tolerance_not_the_answer(visits):
    share = float((visits["fruit"] == "banana").mean())
    fb = q1.evaluate(share + 0.015)
    assert fb.mistake == "near" and "0.005" in fb.message and "too high" in fb.message
    assert "decimals" not in fb.message  # not a rounding: no guessed cause
    assert f"{share:.2f}" not in fb.message and f"{share:.3f}" not in fb.message
    fb = q1.evaluate(round(share, 1))
    assert fb.mistake == "close" and "1 decimal" in fb.message


def test_wrong_numbers_hear_what_they_look_like_never_the_answer():
    assert "far too low" in ex.expect_number(0.021, 0.42, tol=0.005).message
    assert "much too high" in ex.expect_number(0.9, 0.42, tol=0.005).message
    assert "wrong sign" in ex.expect_number(-0.3, 0.42, tol=0.005).message
    for value in (0.021, 0.9, 0.3):
        fb = ex.expect_number(value, 0.42, tol=0.005)
        assert fb.mistake == "wrong_value" and "0.42" not in fb.message
        assert "Try again." not in fb.message and "± 0.005" in fb.message


def test_every_numeric_prompt_states_its_tolerance():
    numeric = ("a number", "a probability", "an expected cost", "a positive number")
    missing = [
        f"{e.notebook}.{e.name}"
        for e in ex.all_exercises()
        if e.expects.startswith(numeric) and "±" not in e.prompt
    ]
    assert not missing, missing


def test_numbers_written_as_text_are_not_numbers():
    exp = pd.Series({"Central": 5, "Station": 3})
    fb = ex.expect_series(exp.astype(str), exp)
    assert fb.mistake == "wrong_dtype" and "text" in fb.message
    assert ex.expect_series(exp.astype(float), exp).ok  # 5.0 is 5
    assert ex.expect_series(exp.astype(object), exp).ok  # numbers in an object column
    df = pd.DataFrame({"price": [0.5, 0.6], "store": ["Central", "Station"]})
    fb = ex.expect_frame(df.astype({"price": str}), df)
    assert fb.mistake == "wrong_dtype" and "'price'" in fb.message
    assert ex.expect_frame(df, df).ok


def test_none_is_not_the_placeholder():
    for fb in (q1.evaluate(None), ex.expect_number(None, 1.0), ex.expect_series(None, pd.Series())):
        assert fb.status == "not_attempted" and fb.mistake == "none_answer"
        assert "`None`" in fb.message and "return" in fb.message and "inplace=True" in fb.message
    fb = q1.evaluate(...)
    assert fb.mistake is None and "`...`" in fb.message and "None" not in fb.message


def test_feedback_renders_markdown_in_every_box(capsys):
    fb = ex.incorrect("Use *emphasis* and **bold**; not `x * y`.")
    html = fb._repr_html_()
    assert "<em>emphasis</em>" in html and "<strong>bold</strong>" in html
    assert "<code>x * y</code>" in html and "*emphasis*" not in html
    box = feedback.Box("hint", "➤ Hint", "A list:\n\n- one\n- two")
    assert "<li>one</li>" in box._repr_html_()
    assert "**" not in q1._repr_html_()  # the question too
