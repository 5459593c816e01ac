"""Issue 13 across the course: a build task per stage, answers out of sight, a wrap-up quiz
at the end of every notebook, plumbing folded, and no notebook longer than about an hour."""

from __future__ import annotations

import importlib
import re

import jupytext
import pytest

from course_utils import lessons
from course_utils.estimate import SESSION_LIMIT, estimate_minutes
from course_utils.exercises.core import Exercise
from course_utils.exercises.quiz import Quiz

LESSONS = lessons.find_lessons()
IDS = [lesson.number for lesson in LESSONS]
_CHECK = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\.check\(")


def _cells(lesson):
    return jupytext.reads(lesson.source.read_text(encoding="utf-8"), fmt="py:percent").cells


def _tagged(lesson, tag):
    return [c for c in _cells(lesson) if tag in c.metadata.get("tags", [])]


def _exercise(lesson, name) -> Exercise:
    return getattr(importlib.import_module(f"course_utils.exercises.nb{lesson.stage}"), name)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_no_answer_is_shown_before_the_learner_asks(lesson) -> None:
    text = lesson.source.read_text(encoding="utf-8")
    assert "Whatever you answered" not in text
    for cell in _cells(lesson):
        if cell.cell_type != "code":
            continue
        code = lessons.student_code(cell.source, whole="solution" in cell.metadata.get("tags", []))
        assert not re.search(r"\.(hint|solution)\(", code), (lesson.number, code)


@pytest.mark.parametrize("stage", sorted({lesson.stage for lesson in LESSONS} - {"00"}))
def test_every_stage_from_01_has_a_build_task_checked_by_running_it(stage) -> None:
    builds = [
        (lesson, name)
        for lesson in LESSONS
        if lesson.stage == stage
        for cell in _tagged(lesson, "build")
        for name in _CHECK.findall(cell.source)
    ]
    assert builds, f"stage {stage} has no cell tagged 'build'"
    for lesson, name in builds:
        exercise = _exercise(lesson, name)
        assert exercise.evaluate(...).status == "not_attempted"
        wrong = exercise.evaluate(42)  # a value where a function or a pipeline is expected
        assert wrong.status == "incorrect" and wrong.message, (lesson.number, name)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_every_notebook_ends_with_a_wrap_up_quiz(lesson) -> None:
    all_cells = _cells(lesson)
    cells = [c for c in all_cells if "quiz" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{lesson.number}: one cell tagged 'quiz'"
    (name,) = set(_CHECK.findall(cells[0].source))
    quiz = _exercise(lesson, name)
    assert isinstance(quiz, Quiz)
    assert 5 <= len(quiz.questions) <= 8
    earlier = [q for q in quiz.questions if q.revisits is not None]
    assert all(q.revisits <= lesson.stage for q in earlier)
    if lesson.stage != "00":  # notebook 00 has nothing earlier to revisit
        assert len(earlier) >= 2, f"{lesson.number}: at least two questions revisit earlier ones"
    assert quiz.evaluate({i: ... for i in range(1, len(quiz.questions) + 1)}).status == (
        "not_attempted"
    )
    # the quiz sits at the end: only the recap (markdown) may follow its cell
    after = all_cells[next(i for i, c in enumerate(all_cells) if c is cells[0]) + 1 :]
    assert all(c.cell_type == "markdown" for c in after), lesson.number


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_no_notebook_needs_more_than_about_an_hour(lesson) -> None:
    assert estimate_minutes(lesson) <= SESSION_LIMIT


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_hidden_cells_are_code_and_shown_collapsed(lesson) -> None:
    for cell in _tagged(lesson, "hidden"):
        assert cell.cell_type == "code"
        assert not _CHECK.search(cell.source), "an exercise check must stay in sight"


def test_at_least_two_transfer_exercises() -> None:
    """The same idea on another question or other data (issue 13): 04's 'will this customer
    come back?' and 08's alert rule on another store's months."""
    from course_utils.exercises import nb04, nb08

    for exercise in (nb04.q6, nb08.q2):
        assert exercise.evaluate(...).status == "not_attempted"
        assert exercise.prompt
