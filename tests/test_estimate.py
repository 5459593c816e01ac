"""The time estimates: the formula on a toy lesson, the lesson headers and the guide's plan."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from course_utils import estimate, lessons
from course_utils.estimate import (
    breakdown,
    count_content,
    estimate_minutes,
    guide_plan,
    header_minutes,
    minutes_for,
    write_guide,
    write_header,
)
from course_utils.lessons import Lesson, LessonError

LESSONS = lessons.find_lessons()

FILLER = " ".join(["word"] * 250)
TOY = textwrap.dedent(
    f"""\
    # %%
    # ruff: noqa: E402

    # %% [markdown]
    # # 99 · Toy
    # **Estimated time:** 5 minutes.
    # {FILLER}

    # %% [markdown]
    # Read [the guide](https://example.org/a-long-path/with-many-words) now.

    # %%
    # NBVAL_CHECK_OUTPUT
    # a comment is read too
    x = 1

    x = 2
    x = 3
    x = 4
    x = 5
    x = 6
    x = 7
    x = 8
    x = 9

    # %%
    import ipywidgets as widgets

    slider = widgets.IntSlider()

    # %%
    # BEGIN SOLUTION
    answer = 2 + 2
    print(answer)
    # END SOLUTION
    q1.check(answer)
    q1.check(answer)
    quiz.q2.check(answer)

    # %% [markdown] tags=["solution"]
    # A model answer the learner does not see: these words are not read.
    """
)


@pytest.fixture
def toy(tmp_path: Path) -> Lesson:
    source = tmp_path / "99_toy.py"
    source.write_text(TOY, encoding="utf-8")
    return Lesson(source, tmp_path / "notebooks")


def test_toy_lesson_counts_by_hand() -> None:
    # words: "99", "Toy" (the "#" and "·" are not words) + "**Estimated", "time:**", "5",
    # "minutes." + 250 filler + "Read", "[the", "guide]", "now." (not the URL) = 260;
    # the model answer is not counted.
    # code: 10 lines in the plain cell (comment included; marker and blank line not),
    # 2 in the widget cell, 4 in the student version of the exercise (the answer becomes
    # one placeholder line, `print` is dropped, three check lines) = 16.
    # exercises: q1 (twice, counted once), quiz.q2, the written answer = 3; widgets: 1.
    assert count_content(TOY) == {
        "words": 260,
        "code_lines": 16,
        "exercises": 3,
        "widgets": 1,
        "builds": 0,
        "quiz_questions": 0,
    }


def test_widgets_are_counted_once_per_cell_whatever_builds_them() -> None:
    cells = [
        "from course_utils.widgets import costs\nexplorer = costs.make_widget(data)",
        "interact(f, x=3)",
        "import ipywidgets as W\nbox = W.HBox([W.IntSlider(), W.Label()])",  # one cell, one widget
        "print(costs.describe(result))",  # the static fallback is not a widget
    ]
    source = "".join(f"# %%\n{cell}\n\n" for cell in cells)
    assert count_content(source)["widgets"] == 3


def test_toy_lesson_minutes_by_hand(toy: Lesson) -> None:
    # 260 / 130 = 2 min reading, 16 / 8 = 2 min code, 3 * 5 exercises, 1 * 5 widget:
    # 24 minutes, rounded up to 25.
    parts = breakdown(toy)
    assert parts["reading_min"] == 2.0
    assert parts["code_min"] == 2.0
    assert parts["exercise_min"] == 15.0
    assert parts["widget_min"] == 5.0
    assert parts["minutes"] == 25
    assert estimate_minutes(toy) == 25
    assert estimate_minutes(toy.source) == 25


def test_rounding_goes_up_to_five_minutes_and_keeps_exact_multiples() -> None:
    assert minutes_for() == 0
    assert minutes_for(words=1300, exercises=3) == 25  # 10 + 15, exactly 25
    assert minutes_for(words=1301, exercises=3) == 30  # a word more: the next 5 minutes
    assert minutes_for(code_lines=1) == 5
    assert minutes_for(widgets=2) == 10


@pytest.mark.parametrize("bad", [-1, 2.5, "3", None])
def test_counts_must_be_whole_numbers(bad: object) -> None:
    with pytest.raises(ValueError, match="whole number of at least 0"):
        minutes_for(words=bad)  # type: ignore[arg-type]


def test_header_is_read_and_rewritten(toy: Lesson) -> None:
    assert header_minutes(toy) == 5
    assert write_header(toy, 25) is True
    assert header_minutes(toy) == 25
    assert "# **Estimated time:** 25 minutes.\n" in toy.source.read_text(encoding="utf-8")
    assert write_header(toy, 25) is False  # already right: the file is left alone


def test_a_lesson_without_header_gets_a_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "98_bare.py"
    source.write_text("# %% [markdown]\n# # 98 · Bare\n", encoding="utf-8")
    with pytest.raises(LessonError, match=r"98_bare\.py: no line .*Estimated time"):
        header_minutes(source)


GUIDE = """\
# Guide

| session | notebooks | learner time | focus |
|---|---|---|---|
| before | 00 start here | 20 min | setup |
| 1 | 01 define success, 02 collect data | about 2 h 45 | the question |

After the table.
"""


def test_guide_plan_is_read_and_rewritten(tmp_path: Path) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text(GUIDE, encoding="utf-8")
    assert guide_plan(guide) == [(["00"], 20), (["01", "02"], 165)]
    assert write_guide({"00": 45, "01": 65, "02": 90}, guide) is True
    text = guide.read_text(encoding="utf-8")
    assert "| before | 00 start here | about 45 min | setup |" in text
    assert "| 1 | 01 define success, 02 collect data | about 2 h 35 | the question |" in text
    assert text.endswith("After the table.\n")
    assert guide_plan(guide) == [(["00"], 45), (["01", "02"], 155)]
    assert write_guide({"00": 45, "01": 65, "02": 90}, guide) is False


def test_guide_naming_an_unknown_notebook_is_refused(tmp_path: Path) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text(GUIDE, encoding="utf-8")
    with pytest.raises(ValueError, match=r"notebook\(s\) \['02'\] with no lesson"):
        write_guide({"00": 45, "01": 65}, guide)


def test_a_guide_without_a_plan_is_refused(tmp_path: Path) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text("# Guide\n\nNo table here.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no session plan table"):
        guide_plan(guide)


# --------------------------------------------------------------------------- the course


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.source.name)
def test_every_lesson_header_is_the_formula_estimate(lesson: Lesson) -> None:
    assert header_minutes(lesson) == estimate_minutes(lesson), (
        f"{lesson.source.name} announces {header_minutes(lesson)} minutes, the content "
        f"needs {estimate_minutes(lesson)}: run `python -m course_utils.lessons estimate "
        "--write`, then `make notebooks`."
    )


def test_instructor_guide_plan_is_the_sum_of_the_estimates() -> None:
    minutes = {lesson.number: estimate_minutes(lesson) for lesson in LESSONS}
    plan = guide_plan()
    for notebooks, planned in plan:
        assert planned == sum(minutes[n] for n in notebooks), (
            f"the guide plans {planned} min for notebooks {notebooks}: run "
            "`python -m course_utils.lessons estimate --write`"
        )
    planned_notebooks = sorted(n for notebooks, _ in plan for n in notebooks)
    assert planned_notebooks == sorted(minutes), "every notebook appears once in the plan"


def test_command_prints_the_table_and_writes_nothing_without_write(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = {lesson.source: lesson.source.read_text(encoding="utf-8") for lesson in LESSONS}
    guide_before = estimate.GUIDE.read_text(encoding="utf-8")
    assert lessons.main(["estimate"]) == 0
    out = capsys.readouterr().out
    total = sum(estimate_minutes(lesson) for lesson in LESSONS)
    assert f"total: {total} minutes" in out
    for lesson in LESSONS:
        assert lesson.source.stem in out
    long = [lesson.number for lesson in LESSONS if estimate_minutes(lesson) > 60]
    if long:
        assert f"longer than 60 minutes: {', '.join(long)}" in out
    assert {p: p.read_text(encoding="utf-8") for p in before} == before
    assert estimate.GUIDE.read_text(encoding="utf-8") == guide_before


def test_command_refuses_unknown_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        lessons.main(["estimate", "--wirte"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --wirte" in capsys.readouterr().err
