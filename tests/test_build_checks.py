"""The machinery of build tasks (a function checked by running it) and wrap-up quizzes."""

from __future__ import annotations

import pandas as pd
import pytest

from course_utils import lessons
from course_utils.estimate import count_content, minutes_for
from course_utils.exercises.core import Exercise
from course_utils.exercises.expect import expect_frame, expect_number
from course_utils.exercises.functions import Case, check_function
from course_utils.exercises.quiz import Question, Quiz

# --------------------------------------------------------------------------- functions


def _judge_total(result, case):
    table = case.args[0]
    return expect_number(result, float(table["price"].sum()), tol=1e-9)


CASES = [
    Case(args=(pd.DataFrame({"price": [1.0, 2.5]}),), label="two prices"),
    Case(args=(pd.DataFrame({"price": [0.5]}),), label="a single price"),
]


def total_right(table):
    return float(table["price"].sum())


def total_mutates(table):
    table["price"] = table["price"] * 1  # same values, but a new column object...
    table["extra"] = 1  # ...and a column added: the caller's table changed
    return float(table["price"].sum())


def total_none(table):
    float(table["price"].sum())


def total_raises(table):
    return float(table["cost"].sum())


def total_wrong(table):
    return float(table["price"].mean())


def total_not_done(table):
    return ...


@pytest.mark.parametrize(
    ("answer", "status", "mistake"),
    [
        (total_right, None, None),
        (total_mutates, "incorrect", "mutates_input"),
        (total_none, "incorrect", "returned_none"),
        (total_raises, "incorrect", "raised"),
        (total_wrong, "incorrect", "wrong_value"),
        (total_not_done, "not_attempted", None),
        (3.5, "incorrect", "not_a_function"),
        (lambda: 3.5, "incorrect", "signature"),
        (dict, "incorrect", "not_a_function"),
    ],
)
def test_check_function_names_each_slip(answer, status, mistake) -> None:
    fb = check_function(answer, CASES, _judge_total, what="`total`", params=("table",))
    if status is None:
        assert fb is None
    else:
        assert fb.status == status
        assert fb.mistake == mistake
        assert fb.message


def test_check_function_messages_say_which_case_and_where() -> None:
    raised = check_function(total_raises, CASES, _judge_total, what="`total`")
    assert "two prices" in raised.message and "KeyError" in raised.message
    assert 'table["cost"]' in raised.message  # the learner's own line is quoted
    wrong = check_function(total_wrong, CASES, _judge_total, what="`total`")
    assert wrong.message.startswith("On two prices:")
    sig = check_function(lambda a, b: 0, CASES, _judge_total, what="`total`", params=("table",))
    assert "(table)" in sig.message


def test_check_function_does_not_let_the_learner_change_the_cases() -> None:
    table = pd.DataFrame({"price": [1.0, 2.0]})
    cases = [Case(args=(table,), label="t")]
    check_function(total_mutates, cases, _judge_total)
    assert list(table.columns) == ["price"]


def test_check_function_survives_a_judge_that_fails() -> None:
    def bad_judge(result, case):
        raise RuntimeError("boom")

    fb = check_function(total_right, CASES, bad_judge)
    assert fb.mistake == "check_error"


def test_check_function_hides_what_the_function_prints(capsys) -> None:
    def chatty(table):
        print("debugging...")
        return float(table["price"].sum())

    assert check_function(chatty, CASES, _judge_total) is None
    assert "debugging" not in capsys.readouterr().out


def test_a_build_exercise_runs_the_function_through_exercise() -> None:
    q = Exercise(
        "99",
        "q9",
        "Total price",
        prompt="Write `total(table)`.",
        expects="a function",
        checker=lambda fn: check_function(fn, CASES, _judge_total, what="`total`"),
        hints=["Sum the column."],
        solution="def total(table): ...",
    )
    assert q.evaluate(total_right).ok
    assert q.evaluate(...).status == "not_attempted"
    assert q.evaluate(None).status == "not_attempted"
    assert q.evaluate(total_wrong).mistake == "wrong_value"


def test_check_function_works_with_frames() -> None:
    def judge(result, case):
        return expect_frame(result, case.args[0].assign(double=lambda d: d["price"] * 2))

    def right(table):
        return table.assign(double=table["price"] * 2)

    assert check_function(right, CASES, judge) is None


# --------------------------------------------------------------------------- quizzes


def _quiz() -> Quiz:
    return Quiz(
        "99",
        "wrapup",
        "Wrap-up quiz",
        questions=[
            Question(
                "Which rows judge the final model?",
                {"a": "the training rows", "b": "the test rows", "c": "all rows"},
                answer="b",
                why={
                    "a": "A model always looks good on rows it learnt from.",
                    "b": "Yes: rows it never saw.",
                    "c": "All rows include the training rows.",
                },
                revisits="04",
                tag="scored_on_train",
            ),
            Question(
                "What does a p-value of 0.03 say?",
                {"a": "3 % chance the null is true", "b": "data this odd is rare if null"},
                answer="b",
                why={"a": "A p-value is not the probability of the hypothesis.", "b": "Yes."},
            ),
        ],
    )


def test_quiz_right_answers_pass_and_recap() -> None:
    quiz = _quiz()
    fb = quiz.evaluate({1: "b", 2: "b"})
    assert fb.ok and "rows it never saw" in fb.message


@pytest.mark.parametrize(
    "answers",
    [{1: "B", 2: "(b)"}, {"1": "b", "q2": "b"}, ["b", "b"], "bb", {1: "the test rows", 2: "b)"}],
)
def test_quiz_accepts_the_usual_spellings(answers) -> None:
    assert _quiz().evaluate(answers).ok


def test_quiz_wrong_answer_gets_the_misconception_not_the_letter() -> None:
    fb = _quiz().evaluate({1: "a", 2: "b"})
    assert fb.status == "incorrect" and fb.mistake == "scored_on_train"
    assert "learnt from" in fb.message
    assert "1 of 2 right" in fb.message
    assert "(b)" not in fb.message


def test_quiz_partial_and_empty_answers() -> None:
    quiz = _quiz()
    assert quiz.evaluate({1: ..., 2: ...}).status == "not_attempted"
    assert quiz.evaluate(...).status == "not_attempted"
    partial = quiz.evaluate({1: "b", 2: ...})
    assert partial.status == "not_attempted" and "Still to answer: 2" in partial.message
    wrong_default_tag = quiz.evaluate({1: "b", 2: "a"})
    assert wrong_default_tag.mistake == "wrong_choice"


@pytest.mark.parametrize(
    ("answers", "mistake"),
    [({5: "a"}, "wrong_index"), (42, "wrong_type"), ({1: "z"}, "wrong_type"), ("bbb", None)],
)
def test_quiz_odd_answers_get_a_clear_message(answers, mistake) -> None:
    fb = _quiz().evaluate(answers)
    assert fb.status == "incorrect"
    if mistake:
        assert fb.mistake == mistake


def test_quiz_shows_every_question_and_its_origin() -> None:
    quiz = _quiz()
    text, html = repr(quiz), quiz._repr_html_()
    assert "Which rows judge" in text and "(c) all rows" in text
    assert "from notebook 04" in html and "(a)" in html
    assert "answers = {" in quiz.solution_text()
    assert "not (" in quiz.hint_text(2)


def test_question_refuses_inconsistent_definitions() -> None:
    with pytest.raises(ValueError, match="answer"):
        Question("?", {"a": "x", "b": "y"}, answer="c")
    with pytest.raises(ValueError, match="two single-letter"):
        Question("?", {"a": "x"}, answer="a")
    with pytest.raises(ValueError, match="notebook number"):
        Question("?", {"a": "x", "b": "y"}, answer="a", revisits="4")


# --------------------------------------------------------------------------- lessons & estimate

SOURCE = """# %% [markdown]
# # 99 · Toy
# An [estimator](glossary:estimator) learns.

# %% tags=["hidden"]
import os
os.environ["X"] = "1"

# %% tags=["build"]
def total(table):
    # BEGIN SOLUTION
    return float(table["price"].sum())
    # END SOLUTION


q5.check(total)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "b", 2: "a", 3: "c"}
# STUDENT: answers = {1: ..., 2: ..., 3: ...}
# END SOLUTION
wrapup.check(answers)
"""


def test_estimate_counts_build_tasks_quizzes_and_skips_hidden_cells() -> None:
    counts = count_content(SOURCE)
    assert counts["builds"] == 1 and counts["quiz_questions"] == 3
    assert counts["exercises"] == 0
    # build cell: def, return ..., blank-free check line = 3; quiz: 2; hidden: not counted
    assert counts["code_lines"] == 5
    assert minutes_for(builds=1, quiz_questions=3) == 20  # 15 + 3 = 18, rounded up


def test_build_hides_plumbing_and_links_the_glossary(tmp_path) -> None:
    source = tmp_path / "lessons" / "99b_toy.py"
    source.parent.mkdir()
    source.write_text(SOURCE, encoding="utf-8")
    lesson = lessons.Lesson(source, tmp_path / "notebooks")
    assert (lesson.number, lesson.stage) == ("99b", "99")
    student, solution = lessons.make_notebooks(lesson)
    for nb, up in ((student, "../"), (solution, "../../")):
        hidden = [c for c in nb.cells if "hidden" in c.metadata.get("tags", [])]
        assert [c.metadata["jupyter"] for c in hidden] == [{"source_hidden": True}]
        shown = [c for c in nb.cells if c.cell_type == "code" and c not in hidden]
        assert all("jupyter" not in c.metadata for c in shown)
        text = "".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert f"]({up}docs/glossary.md#estimator)" in text and "glossary:" not in text


def test_split_stages_are_found_by_part_and_by_stage(tmp_path) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    for name in ("01_one.py", "02a_first.py", "02b_second.py"):
        (folder / name).write_text(SOURCE, encoding="utf-8")
    found = lessons.find_lessons(lessons_dir=folder, notebooks_dir=tmp_path)
    assert [lesson.number for lesson in found] == ["01", "02a", "02b"]
    both = lessons.find_lessons(["02"], lessons_dir=folder, notebooks_dir=tmp_path)
    assert [lesson.number for lesson in both] == ["02a", "02b"]
    one = lessons.find_lessons(["02b"], lessons_dir=folder, notebooks_dir=tmp_path)
    assert [lesson.source.name for lesson in one] == ["02b_second.py"]


def test_check_function_compares_models_by_their_state() -> None:
    from sklearn.linear_model import LogisticRegression

    X = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0]})
    y = pd.Series([0, 0, 1, 1])
    cases = [Case(args=(LogisticRegression(C=0.5), X, y), label="a model")]

    def judge(result, case):
        return None

    def uses_a_copy(model, X, y):
        from sklearn.base import clone

        return clone(model).fit(X, y)

    def fits_in_place(model, X, y):
        return model.fit(X, y)

    assert check_function(uses_a_copy, cases, judge) is None
    assert check_function(fits_in_place, cases, judge).mistake == "mutates_input"


def test_quiz_refuses_empty_answers() -> None:
    for empty in ((), [], {}):
        assert _quiz().evaluate(empty).status == "incorrect"


def test_quiz_forgives_spelling_and_says_what_to_type() -> None:
    quiz = _quiz()
    assert quiz.evaluate("b, b").ok and quiz.evaluate("b b").ok
    assert quiz.evaluate({1: "the tests rows", 2: "b"}).ok  # a small typo in the option text
    none = quiz.evaluate(None)
    assert none.status == "not_attempted" and "one letter per question" in none.message
    number = quiz.evaluate({1: 2, 2: "b"})
    assert number.mistake == "wrong_type" and "in quotes" in number.message
    text = quiz.evaluate({1: "the rows of the test", 2: "b"})
    assert text.mistake == "wrong_type" and "give its letter" in text.message


def test_quiz_hint_does_not_reveal_the_right_letter_by_position() -> None:
    """The option ruled out is not always the last wrong one: on three-option questions
    keyed (c), "not (b)" would otherwise give the answer away."""
    ruled_out = []
    for i in range(40):
        q = Question(f"Question {i}?", {"a": "x", "b": "y", "c": "z"}, answer="c")
        ruled_out.append(Quiz._wrong_letter(q))
    assert set(ruled_out) == {"a", "b"}
    assert "c" not in ruled_out


def test_check_function_names_a_class_and_survives_exit() -> None:
    class Joiner:
        pass

    def leaves(x):
        raise SystemExit

    cases = [Case(args=(1,), label="one")]
    fb = check_function(Joiner, cases, lambda r, c: None, what="`f`")
    assert fb.mistake == "not_a_function" and "a class (Joiner)" in fb.message
    assert "not `class`" in fb.message
    fb = check_function(leaves, cases, lambda r, c: None, what="`f`")
    assert fb.mistake == "raised" and "SystemExit" in fb.message


def test_a_function_exercise_answered_with_none_says_to_pass_the_function() -> None:
    exercise = Exercise(
        "99",
        "qf",
        "Build",
        prompt="Write f.",
        checker=lambda answer: None,
        hints=["Use def."],
        solution="def f(x):\n    return x",
        expects="a function `f(x)`",
    )
    fb = exercise.evaluate(None)
    assert fb.status == "not_attempted" and "function's name" in fb.message
    assert "df['price']" not in fb.message


def test_check_function_stops_a_function_that_never_ends(monkeypatch) -> None:
    from course_utils.exercises import functions

    monkeypatch.setattr(functions, "TIME_LIMIT", 0.5)

    def forever(x):
        while True:
            x += 1

    fb = check_function(forever, [Case(args=(1,), label="one")], lambda r, c: None, what="`f`")
    assert fb.mistake == "raised" and "did not finish within" in fb.message
    assert check_function(abs, [Case(args=(-1,), label="one")], lambda r, c: None) is None
