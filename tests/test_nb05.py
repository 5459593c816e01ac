"""Notebook 05 "Tune": its exercises, its widget, and what its search settles on.

The search test re-runs the notebook's own search cells (taken from the lesson source) and
proves that ``checkpoints.TUNED_PARAMS`` - what notebooks 06 to 10 start from - is what the
logistic regression's search finds (and ``BOOSTING_PARAMS`` the boosting's), and that both
tuned models are within 1.5 points of accuracy at 0.5 of the Bayes line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from course_utils import checkpoints, contract, lessons, progress, world
from course_utils.exercises import MISTAKES
from course_utils.exercises.nb05 import q1, q2, q3, q4
from course_utils.widgets import fitting, p95, update_times

LESSON_A, LESSON_B = lessons.find_lessons(["05a", "05b"])  # scorers and searches; the choice
CV = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)


@pytest.fixture(autouse=True)
def _isolated_progress(tmp_path, monkeypatch):
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    progress._reset_session()
    yield
    progress._reset_session()


@pytest.fixture(scope="module")
def rows():
    train, test = checkpoints.split()
    X_train, y_train = checkpoints.xy(train)
    X_test, y_test = checkpoints.xy(test)
    return {"X_train": X_train, "y_train": y_train, "X_test": X_test, "y_test": y_test}


@pytest.fixture(scope="module")
def tree():
    return make_pipeline(checkpoints.preprocessor(), DecisionTreeClassifier(random_state=0))


def _mistake(exercise, answer, **inputs) -> str | None:
    fb = exercise.evaluate(answer, **inputs)
    assert fb.status != "not_attempted", answer
    assert fb.message and (fb.mistake is None or fb.mistake in MISTAKES), fb
    return fb.mistake


def _run_solution(exercise, **namespace) -> dict:
    """Run the solution code shown to learners, as a notebook cell would."""
    ns = {"pd": pd, "np": np, "GridSearchCV": GridSearchCV, exercise.name: exercise, **namespace}
    exec(exercise._solution, ns)
    return ns


# --------------------------------------------------------------------------- q1


def test_q1_the_name_of_a_hyperparameter_in_a_pipeline(capsys):
    _run_solution(q1)
    assert capsys.readouterr().out.startswith("✔ Correct")
    assert q1.evaluate(" histgradientboostingclassifier__max_leaf_nodes ").ok

    fb = q1.evaluate("max_leaf_nodes")  # the name inside the model: no step prefix
    assert fb.mistake == "wrong_value" and "step" in fb.message and "two underscores" in fb.message
    fb = q1.evaluate("histgradientboostingclassifier_max_leaf_nodes")
    assert fb.mistake == "wrong_value" and "*two* underscores" in fb.message
    fb = q1.evaluate("HistGradientBoostingClassifier__max_leaf_nodes")
    assert fb.mistake == "wrong_value" and "lower case" in fb.message
    fb = q1.evaluate("histgradientboostingclassifier__n_iter_")  # learned, not chosen
    assert fb.mistake == "wrong_choice" and "learned" in fb.message
    fb = q1.evaluate("histgradientboostingclassifier__max_depth")  # another hyperparameter
    assert fb.mistake == "wrong_choice" and "levels" in fb.message
    fb = q1.evaluate("max_depth")
    assert fb.mistake == "wrong_choice" and "Two problems" in fb.message
    fb = q1.evaluate("pipeline__max_leaf_nodes")  # the preparation step
    assert fb.mistake == "wrong_value" and "preparation step" in fb.message
    fb = q1.evaluate("hgb__max_leaf_nodes")
    assert fb.mistake == "wrong_value" and "no step called `hgb`" in fb.message
    fb = q1.evaluate("pipeline__columntransformer__age__strategy")
    assert fb.mistake == "wrong_choice" and "preparation" in fb.message
    assert _mistake(q1, {"histgradientboostingclassifier__max_leaf_nodes": [3, 7]}) == "wrong_type"
    assert _mistake(q1, 15) == "wrong_type"
    assert _mistake(q1, "leaves") == "wrong_value"
    # never the answer in a message
    for wrong in ("max_leaf_nodes", "pipeline__max_leaf_nodes", "leaves", "max_depth"):
        assert "histgradientboostingclassifier__max_leaf_nodes" not in q1.evaluate(wrong).message


# --------------------------------------------------------------------------- q2


@pytest.fixture(scope="module")
def widget_data():
    return fitting._cached(1200, 0, 3)  # the curves make_widget(n_rows=1200) uses


#: The notebook's validation curve of a tree's depth, in euros per visit (measured).
COST_CURVE = pd.DataFrame(
    {
        "max_depth": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20],
        "training": [0.0616, 0.0467, 0.0386, 0.0335, 0.0319, 0.0308, 0.0287, 0.0271, 0.0253]
        + [0.0235, 0.0193, 0.0124, 0.0043],
        "validation": [0.0616, 0.0467, 0.0386, 0.0338, 0.0322, 0.0322, 0.0314, 0.0313, 0.0314]
        + [0.0325, 0.0344, 0.0373, 0.0423],
    }
)


@pytest.fixture(scope="module")
def curve(rows, tree):
    """A real validation curve of a tree's depth by the contract's cost, as in the notebook."""
    from sklearn.model_selection import validation_curve

    from course_utils.exercises.nb05 import cost_scorer

    depths = [2, 5, 8, 12, 20]
    small = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    train_scores, valid_scores = validation_curve(
        tree,
        rows["X_train"],
        rows["y_train"],
        param_name="decisiontreeclassifier__max_depth",
        param_range=depths,
        cv=small,
        scoring=cost_scorer(0.75, 0.30, 0.10),
        n_jobs=2,
    )
    return pd.DataFrame(
        {
            "max_depth": depths,
            "training": -train_scores.mean(axis=1),
            "validation": -valid_scores.mean(axis=1),
        }
    )


def test_q2_the_best_depth_of_a_validation_curve(curve, capsys):
    ns = _run_solution(q2, curve=curve)
    assert capsys.readouterr().out.startswith("✔ Correct")
    best = int(ns["best_depth"])
    assert 5 <= best <= 12
    assert q2.evaluate(best, curve=curve.set_index("max_depth")).ok  # depth as the index
    assert q2.evaluate(float(best), curve=curve).ok

    fb = q2.evaluate(int(curve.loc[curve["training"].idxmin(), "max_depth"]), curve=curve)
    assert fb.mistake == "scored_on_train" and "*training* cost" in fb.message
    fb = q2.evaluate(int(curve.loc[curve["validation"].idxmax(), "max_depth"]), curve=curve)
    assert fb.mistake in {"wrong_value", "scored_on_train"} and fb.message
    assert _mistake(q2, float(curve["validation"].min()), curve=curve) == "wrong_column"
    assert _mistake(q2, 0, curve=curve) == "out_of_range"
    assert _mistake(q2, best + 0.5, curve=curve) == "not_integer"
    assert _mistake(q2, "9", curve=curve) == "wrong_type"
    assert _mistake(q2, best, curve=curve.drop(columns="validation")) == "missing_columns"
    assert _mistake(q2, best, curve="curve") == "missing_input"
    assert q2.evaluate(best).mistake == "missing_input"  # curve= forgotten


def test_q2_on_the_notebooks_curve_spots_the_classic_slips():
    curve = COST_CURVE
    assert q2.evaluate(8, curve=curve).ok
    fb = q2.evaluate(20, curve=curve)  # lowest training cost = highest validation cost here
    assert fb.mistake == "scored_on_train" and "memorises" in fb.message
    fb = q2.evaluate(1, curve=curve)  # training and validation closest: under-fitting
    assert fb.mistake == "wrong_value" and "under-fits" in fb.message
    fb = q2.evaluate(7, curve=curve)  # a hundredth of a cent from the best: the plateau
    assert fb.mistake == "close" and "plateau" in fb.message
    assert _mistake(q2, 7, curve=curve.assign(validation=curve["validation"] + 0.01)) == "close"
    fb = q2.evaluate(7, curve=curve)
    assert "8" not in fb.message  # never the answer
    assert _mistake(q2, 4, curve=curve) == "wrong_value"
    assert q2.evaluate(8, curve=curve.set_index("max_depth")).ok


def test_q2_refuses_a_curve_of_accuracies(widget_data):
    """An accuracy curve (the default scoring) is not the notebook's cost curve."""
    tree_curve = widget_data["tree"]
    accuracies = pd.DataFrame(
        {
            "max_depth": tree_curve["value"].astype(int),
            "training": tree_curve["train"],
            "validation": tree_curve["validation"],
        }
    )
    fb = q2.evaluate(6, curve=accuracies)
    assert fb.mistake == "wrong_column" and "accuracies" in fb.message


# --------------------------------------------------------------------------- q3


@pytest.fixture(scope="module")
def scorer():
    from course_utils.exercises.nb05 import cost_scorer

    return cost_scorer(0.75, 0.30, 0.10)  # the course contract's threshold and costs


@pytest.fixture(scope="module")
def tree_search(rows, tree, scorer):
    """The notebook's tree_search: its grid, its folds, the contract's cost."""
    from course_utils.exercises.nb05 import TREE_GRID

    search = GridSearchCV(tree, TREE_GRID, scoring=scorer, cv=CV, n_jobs=2)
    return search.fit(rows["X_train"], rows["y_train"])


def test_q3_reading_the_best_cost(tree_search, rows, tree, scorer, capsys):
    _run_solution(q3, tree_search=tree_search)
    assert capsys.readouterr().out.startswith("✔ Correct")
    results = pd.DataFrame(tree_search.cv_results_)
    top = results.loc[results["rank_test_score"] == 1].iloc[0]
    best = -tree_search.best_score_
    assert q3.evaluate(-float(top["mean_test_score"]), search=tree_search).ok

    fb = q3.evaluate(tree_search.best_score_, search=tree_search)  # the sign kept
    assert fb.mistake == "negated_score" and "minus" in fb.message
    on_train = -tree_search.score(rows["X_train"], rows["y_train"])
    fb = q3.evaluate(on_train, search=tree_search)
    assert fb.mistake == "scored_on_train" and "training rows" in fb.message
    assert _mistake(q3, float(top["std_test_score"]), search=tree_search) == "wrong_column"
    fb = q3.evaluate(-float(top["split0_test_score"]), search=tree_search)
    assert fb.mistake == "wrong_value" and "first fold" in fb.message
    fb = q3.evaluate(-results["mean_test_score"].mean(), search=tree_search)
    assert fb.mistake == "wrong_value" and "average" in fb.message
    fb = q3.evaluate(-results["mean_test_score"].min(), search=tree_search)
    assert fb.mistake == "wrong_value" and "worst" in fb.message
    assert _mistake(q3, 100 * best, search=tree_search) == "unit_cents"
    assert _mistake(q3, round(best, 5), search=tree_search) == "close"
    fb = q3.evaluate(tree_search.best_params_, search=tree_search)
    assert fb.mistake == "wrong_type" and "best_params_" in fb.message
    unfitted = GridSearchCV(tree, {"decisiontreeclassifier__max_depth": [4]})
    assert _mistake(q3, best, search=unfitted) == "not_fitted"
    assert _mistake(q3, best, search=LogisticRegression()) == "missing_input"
    assert q3.evaluate(best).mistake == "missing_input"


def test_q3_only_reads_the_notebooks_search(tree_search, rows, tree, scorer):
    """Another search cannot move the expected value (issue 14's check-fooler)."""
    from course_utils.exercises.nb05 import TREE_GRID

    X, y = rows["X_train"], rows["y_train"]
    other_grid = GridSearchCV(
        tree, {"decisiontreeclassifier__max_depth": [3]}, scoring=scorer, cv=3
    ).fit(X, y)
    fb = q3.evaluate(-other_grid.best_score_, search=other_grid)
    assert fb.mistake == "wrong_search" and "tree_search" in fb.message
    by_accuracy = GridSearchCV(tree, TREE_GRID, cv=3, n_jobs=2).fit(X, y)
    fb = q3.evaluate(by_accuracy.best_score_, search=by_accuracy)
    assert fb.mistake == "default_scoring" and "cost_scorer" in fb.message
    on_test = GridSearchCV(tree, TREE_GRID, scoring=scorer, cv=CV, n_jobs=2)
    on_test.fit(rows["X_test"], rows["y_test"])
    fb = q3.evaluate(-on_test.best_score_, search=on_test)
    assert fb.mistake == "wrong_search" and "X_train" in fb.message
    logistic = make_pipeline(StandardScaler(), LogisticRegression())
    fb = q3.evaluate(
        0.03,
        search=GridSearchCV(logistic, {"logisticregression__C": [1.0]}).fit(
            X[["hour", "weekday"]], y
        ),
    )
    assert fb.mistake == "wrong_search" and "LogisticRegression" in fb.message
    # and the notebook's search still passes, with its own value only
    assert q3.evaluate(-tree_search.best_score_, search=tree_search).ok
    assert not q3.evaluate(-on_test.best_score_, search=tree_search).ok


# --------------------------------------------------------------------------- q4 (build)


def _tune(**slip):
    """A learner's `tune`, right or with one slip."""

    def tune(pipeline, param_grid, X, y, cv, signed):
        from sklearn.metrics import make_scorer

        threshold = 0.5 if slip.get("half") else signed.best_threshold()
        costs = contract.DEFAULT if slip.get("notebook_contract") else signed
        if slip.get("notebook_contract"):
            threshold = costs.best_threshold()

        def cost(y_true, p_banana):
            took = np.asarray(y_true) == "banana"
            says = np.asarray(p_banana) >= threshold
            euros = costs.cost_false_banana * (says & ~took).sum()
            return (euros + costs.cost_false_apple * (~says & took).sum()) / len(took)

        scorer = make_scorer(
            cost,
            greater_is_better=slip.get("greater_is_better", False),
            response_method=slip.get("response_method", "predict_proba"),
        )
        search = GridSearchCV(
            pipeline,
            slip.get("grid", param_grid),
            scoring=slip.get("scoring", scorer),
            cv=slip.get("cv", cv),
            refit=slip.get("refit", True),
        )
        if slip.get("in_place"):
            pipeline.fit(X, y)
        if "rows" in slip:
            return search.fit(*slip["rows"])
        result = search.fit(X, y)
        return None if slip.get("no_return") else result

    return tune


def test_q4_the_solution_passes_and_blank_is_not_attempted(capsys):
    from sklearn.metrics import make_scorer

    ns = _run_solution(q4, make_scorer=make_scorer)
    assert capsys.readouterr().out.startswith("✔ Correct")
    assert q4.evaluate(ns["tune"]).ok
    assert q4.evaluate(_tune()).ok
    assert q4.evaluate(...).status == "not_attempted"

    def unwritten(pipeline, param_grid, X, y, cv, signed):
        return ...

    assert q4.evaluate(unwritten).status == "not_attempted"


@pytest.mark.parametrize(
    ("slip", "tag", "words"),
    [
        ({"scoring": None}, "default_scoring", "accuracy"),
        ({"scoring": "accuracy"}, "default_scoring", "accuracy"),
        ({"greater_is_better": True}, "negated_score", "greater_is_better=False"),
        ({"half": True}, "default_threshold", "0.5"),
        ({"half": True, "greater_is_better": True}, "default_threshold", "Two slips"),
        ({"notebook_contract": True}, "wrong_value", "signed"),
        ({"grid": {"decisiontreeclassifier__max_depth": [4, 7, 10]}}, "wrong_search", "param_grid"),
        ({"cv": 5}, "wrong_search", "5 folds"),
        ({"cv": StratifiedKFold(3, shuffle=True, random_state=99)}, "wrong_search", "folds"),
        ({"refit": False}, "not_fitted", "refit"),
        ({"no_return": True}, "returned_none", "return"),
        ({"in_place": True}, "mutates_input", "in place"),
        ({"response_method": "predict"}, "wrong_search", "predict_proba"),
    ],
)
def test_q4_names_each_slip(slip, tag, words):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the failing scorer warns, as in a notebook
        fb = q4.evaluate(_tune(**slip))
    assert fb.mistake == tag and words in fb.message, fb
    assert fb.message.startswith("On another world")  # the case is named


def test_q4_catches_a_search_fitted_on_other_rows(rows):
    X_all = pd.concat([rows["X_train"], rows["X_test"]])
    y_all = pd.concat([rows["y_train"], rows["y_test"]])
    fb = q4.evaluate(_tune(rows=(X_all, y_all)))  # the notebook's rows, test rows included
    assert fb.mistake == "wrong_rows" and "19,075 rows" in fb.message, fb


def test_q4_refuses_what_is_not_the_function(tree_search):
    assert q4.evaluate(tree_search).mistake == "not_a_function"  # a search, not a function

    def hard_coded(pipeline, param_grid, X, y, cv, signed):
        return tree_search  # the notebook's search, whatever the case

    assert q4.evaluate(hard_coded).mistake == "wrong_search"

    def the_model(pipeline, param_grid, X, y, cv, signed):
        return pipeline.fit(X, y)

    assert q4.evaluate(the_model).mistake in {"mutates_input", "wrong_type"}

    def too_few(pipeline, param_grid, X, y):
        return GridSearchCV(pipeline, param_grid).fit(X, y)

    fb = q4.evaluate(too_few)
    assert fb.mistake == "signature" and "signed" in fb.message


# --------------------------------------------------------------------------- all


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4], ids=lambda e: e.name)
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
        GridSearchCV(LogisticRegression(), {"C": [1.0]}),  # a search, not fitted
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
def sliders(widget_data):
    return fitting.make_widget(n_rows=1200)


def test_widget_moves_along_each_hyperparameter(sliders):
    assert sliders.result["model"] == "tree" and "max_depth = 5" in sliders.text_html.value
    png0 = sliders.image.value
    assert sliders.controls["C"].layout.display == "none"  # only the tree's slider shows

    sliders.controls["depth"].value = 20
    assert sliders.result["verdict"] == "over-fitting" and sliders.result["gap"] > 0.1
    assert "Over-fitting" in sliders.text_html.value and "shallower tree" in sliders.text_html.value
    assert sliders.image.value != png0
    sliders.controls["depth"].value = 1
    assert sliders.result["verdict"] == "under-fitting"
    assert "Under-fitting" in sliders.text_html.value and "deeper tree" in sliders.text_html.value

    sliders.controls["model"].value = "knn"
    assert sliders.controls["depth"].layout.display == "none"
    assert sliders.controls["k"].layout.display != "none"
    sliders.controls["k"].value = 1
    assert sliders.result["verdict"] == "over-fitting" and sliders.result["train"] > 0.95
    sliders.controls["k"].value = 200
    assert (
        sliders.result["verdict"] == "under-fitting" and "larger k" not in sliders.text_html.value
    )

    sliders.controls["model"].value = "logistic"
    sliders.controls["C"].value = 1e-4
    assert sliders.result["verdict"] == "under-fitting" and "C = 0.0001" in sliders.text_html.value
    best = sliders.result["best_value"]
    sliders.controls["C"].value = best
    assert sliders.result["verdict"] == "about right"
    assert "About right" in sliders.text_html.value

    sliders.controls["model"].value = "tree"
    times = update_times(sliders, *fitting.BENCH)  # measured, not asserted
    assert len(times) >= 5 and p95(times) > 0


def test_widget_curves_are_scikit_learns(widget_data):
    """The vectorised k-NN votes and the tree curve agree with scikit-learn's own models."""
    from threadpoolctl import threadpool_limits

    train = checkpoints.split()[0]
    with threadpool_limits(limits=1):
        folds, lines = fitting._folds(train, 1200, 0, 3)
    A, ya, B, yb = folds[0]
    knn = widget_data["knn"].set_index("value")
    tree = widget_data["tree"].set_index("value")
    for k in (1, 4, 15, 60):
        scores = [KNeighborsClassifier(n_neighbors=k).fit(a, y).score(b, z) for a, y, b, z in folds]
        assert knn.loc[k, "validation"] == pytest.approx(np.mean(scores), abs=0.002)
    for depth in (2, 8):
        m = DecisionTreeClassifier(max_depth=depth, random_state=0)
        scores = [clone(m).fit(a, y).score(b, z) for a, y, b, z in folds]
        assert tree.loc[depth, "validation"] == pytest.approx(np.mean(scores))
    assert 0.5 < lines["baseline"] < lines["bayes"] < 0.95
    assert widget_data["n_rows"] == 1200 and len(A) + len(B) == 1200 and ya.mean() > 0.5
    assert set(np.unique(yb)) == {0, 1}


def test_widget_static_fallback_and_summary(widget_data):
    fig = fitting.overview(widget_data)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 3
    for ax in shown:
        assert ax.get_xlabel() and ax.get_title()
        assert any(t.get_text().startswith(("max_depth", "C =", "k =")) for t in ax.texts)
    assert fig.axes[0].get_ylabel() and len(fig.axes[0].get_legend().get_texts()) == 2
    table = fitting.summary(widget_data)
    assert list(table["hyperparameter"]) == ["max_depth", "C", "k"]
    assert (table["training"] >= table["validation"] - 0.01).all()
    small = pd.DataFrame({"train": [0.7, 0.84, 0.99], "validation": [0.7, 0.83, 0.76]})
    assert fitting.verdict(small, 0, more_complex_when_larger=False) == "over-fitting"


# --------------------------------------------------------------------------- the search


def _lesson_cells(*markers: str, lesson=LESSON_B) -> list[str]:
    """The code cells of the lesson that contain each marker, in order (exact source)."""
    nb = lessons.read_lesson(lesson.source)
    found = []
    for marker in markers:
        cells = [c.source for c in nb.cells if c.cell_type == "code" and marker in c.source]
        assert len(cells) == 1, marker
        found.append(cells[0])
    return found


def test_the_search_settles_on_the_checkpoint_params(rows, capsys):
    """Re-run the notebook's own searches: the chosen logistic regression's settings are
    checkpoints.TUNED_PARAMS, the boosting's checkpoints.BOOSTING_PARAMS; both are within
    1.5 points of accuracy at 0.5 of the Bayes line."""
    from sklearn.model_selection import cross_val_score

    ns = {"X_train": rows["X_train"], "y_train": rows["y_train"], "checkpoints": checkpoints}
    ns.update(make_pipeline=make_pipeline, np=np, pd=pd, GridSearchCV=GridSearchCV)
    for source in _lesson_cells(
        "cv = StratifiedKFold(",  # 05b starts from the checkpoints' rows and scorer
        "boosting_search = Randomized",
        "logistic_search = GridSearchCV(",
    ):
        exec(source, ns)
    out = capsys.readouterr().out
    assert "8 of 90 combinations tried" in out and "5 values of C, each on 5 folds" in out
    for search, expected in [
        (ns["logistic_search"], checkpoints.TUNED_PARAMS),
        (ns["boosting_search"], checkpoints.BOOSTING_PARAMS),
    ]:
        tuned = {key.split("__")[1]: value for key, value in search.best_params_.items()}
        assert tuned == expected
    train = checkpoints.split()[0]
    truth = world.generate().visits.set_index("visit_id").loc[train["visit_id"]]
    bayes = world.bayes_optimal(truth, rows["y_train"])["accuracy"]
    for pipeline in (checkpoints.tuned_pipeline(), checkpoints.boosting_pipeline()):
        accuracy = cross_val_score(pipeline, rows["X_train"], rows["y_train"], cv=CV, n_jobs=2)
        assert bayes - accuracy.mean() <= 0.015  # within 1.5 accuracy points of Bayes


def test_the_solutions_notebook_states_the_gap():
    """The stored solutions notebook prints the gaps (under 1.5 points) and the params match."""
    import re

    import nbformat

    nb = nbformat.read(LESSON_B.solution_path, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    gaps = [float(g) for g in re.findall(r"accuracy at 0\.5: +[0-9.]+, gap ([0-9.]+) points", text)]
    assert len(gaps) == 2 and all(0 < gap <= 1.5 for gap in gaps)
    assert "the settings of checkpoints.tuned_model(): True" in text
    assert not any(
        o.output_type == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )


def test_part_b_starts_from_the_scorer_part_a_builds(rows):
    """checkpoints.expected_cost / cost_scorer, where 05b starts, are 05a's cost and scorer."""
    ns = {"np": np, "X_train": rows["X_train"], "y_train": rows["y_train"]}
    exec(_lesson_cells("cost_scorer = make_scorer(", lesson=LESSON_A)[0], ns)
    p = np.random.default_rng(0).random(len(rows["y_train"]))
    assert checkpoints.expected_cost(rows["y_train"], p) == ns["expected_cost"](rows["y_train"], p)
    model = checkpoints.tuned_pipeline().fit(
        rows["X_train"].iloc[:2000], rows["y_train"].iloc[:2000]
    )
    X, y = rows["X_test"], rows["y_test"]
    assert checkpoints.cost_scorer()(model, X, y) == ns["cost_scorer"](model, X, y) < 0
    dear_apples = contract.Contract("expected_cost", 0.05, 0.08, 0.10, 0.30)
    assert checkpoints.expected_cost(["banana"], [0.3], dear_apples) == 0.0  # 0.3 >= 0.25
    with pytest.raises(TypeError, match="Contract"):
        checkpoints.expected_cost(["banana"], [0.3], {"cost_false_banana": 0.3})


def test_wrapup_quizzes():
    from course_utils.exercises.nb05 import wrapup_a, wrapup_b

    right_a = {1: "b", 2: "c", 3: "a", 4: "c", 5: "b", 6: "a"}
    right_b = {1: "a", 2: "c", 3: "b", 4: "a", 5: "c", 6: "b"}
    for quiz, right in [(wrapup_a, right_a), (wrapup_b, right_b)]:
        assert quiz.evaluate(right).ok
        assert sum(q.revisits is not None for q in quiz.questions) >= 2
        assert quiz.evaluate(dict.fromkeys(right, ...)).status == "not_attempted"
    fb = wrapup_a.evaluate({**right_a, 2: "a"})  # the deepest tree: read on the training rows
    assert not fb.ok and fb.mistake == "scored_on_train" and "memorising" in fb.message
    fb = wrapup_a.evaluate({**right_a, 1: "a"})  # the negated score read as a gain
    assert fb.mistake == "negated_score" and "bookkeeping" in fb.message
    fb = wrapup_a.evaluate({**right_a, 6: "c"})  # preparation fitted once, on all the rows
    assert fb.mistake == "leakage" and "what the preparation learns from" in fb.message
    fb = wrapup_b.evaluate({**right_b, 2: "a"})  # chose on the test rows
    assert fb.mistake == "test_used_for_tuning" and "optimistic" in fb.message
    fb = wrapup_b.evaluate({**right_b, 3: "a"})
    assert fb.mistake == "wrong_choice"
