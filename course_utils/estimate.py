"""How long a beginner needs for a lesson, computed from its content by one formula.

The time printed at the top of each notebook ("**Estimated time:** N minutes.") and the
learner times of the instructor guide's session plan come from here, not from a guess:

* **reading**: the words of the markdown cells a learner sees, at
  ``WORDS_PER_MINUTE`` = 130 words a minute (a careful reading of technical prose; link
  targets and HTML tags are not words; model answers of written exercises are not shown
  to the learner and are not counted);
* **code**: the non-blank lines of the code cells of the *student* version (comments
  included: they are read too), at ``CODE_LINES_PER_MINUTE`` = 8 lines a minute for
  reading a line, running its cell and reading what it prints (7.5 s a line: a beginner
  reads code at about half the speed of prose). This rate is the course's convention, not
  a measurement: change the constant, rerun ``--write``, and every estimate follows;
* **exercises**: ``MINUTES_PER_EXERCISE`` = 5 minutes for each exercise the lesson checks
  (each distinct ``NAME.check(`` receiver in its code, such as ``q1``) and for each
  written answer (a markdown cell tagged ``solution``);
* **widgets**: ``MINUTES_PER_WIDGET`` = 5 minutes for each code cell that builds an
  interactive widget (``make_widget(``, ``interact(`` or an ``ipywidgets`` control such
  as ``widgets.IntSlider(``);
* **build tasks**: ``MINUTES_PER_BUILD`` = 15 minutes for each exercise checked in a code
  cell tagged ``build`` (a function or pipeline of 5-20 lines the learner writes from a
  specification: reading it, writing, running, reading the feedback, fixing) instead of
  the 5 of a short exercise;
* **quizzes**: ``MINUTES_PER_QUIZ_QUESTION`` = 1 minute for each question of a wrap-up
  quiz (the numbered answers ``1: "b"`` in the solution of the code cell tagged ``quiz``),
  instead of the 5 of an exercise.

Code cells tagged ``hidden`` (plumbing, collapsed in JupyterLab) are not counted: the
learner runs them but does not read them.

The sum is rounded **up** to a multiple of ``ROUND_TO`` = 5 minutes.

``python -m course_utils.lessons estimate`` prints the table per notebook and the total;
``--write`` also rewrites each lesson's header line and the instructor guide's plan (then
rebuild the notebooks: ``make notebooks``).

>>> minutes_for(words=1300, code_lines=80, exercises=3, widgets=1)
40
>>> count_content('# %% [markdown]\\n# # Title, two words\\n\\n# %%\\nq1.check(x)\\n')
{'words': 3, 'code_lines': 1, 'exercises': 1, 'widgets': 0, 'builds': 0, 'quiz_questions': 0}
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from course_utils.lessons import (
    SOLUTION_TAG,
    Lesson,
    LessonError,
    find_lessons,
    is_lint_directive,
    student_code,
)
from course_utils.paths import REPO_ROOT

WORDS_PER_MINUTE = 130
CODE_LINES_PER_MINUTE = 8
MINUTES_PER_EXERCISE = 5
MINUTES_PER_WIDGET = 5
MINUTES_PER_BUILD = 15
MINUTES_PER_QUIZ_QUESTION = 1
ROUND_TO = 5
#: A notebook longer than this should be split (issue 13); the table flags it.
SESSION_LIMIT = 60

GUIDE = REPO_ROOT / "docs" / "instructor-guide.md"

#: The header line in a lesson source (a markdown cell, so each line starts with ``# ``).
_HEADER = re.compile(
    r"^(?P<before># \*\*Estimated time:\*\* )(?P<minutes>\d+)(?P<after> minutes\.)$", re.M
)
_QUIZ_ANSWER = re.compile(r"(?:^|[{,])\s*(\d+)\s*:", re.M)
_CHECK = re.compile(r"(?<![\w.])([A-Za-z_][\w.]*)\.check\(")
_WIDGET = re.compile(r"\bmake_widget\(|\binteract(?:ive)?\(|\b(?:widgets|W)\.[A-Z]\w*\(")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w")
_DURATION = re.compile(r"^(?:about )?(?:(?P<h>\d+) h(?: (?P<m>\d+))?|(?P<min>\d+) min)$")


def _as_lesson(lesson: Lesson | Path | str) -> Lesson:
    """A ``Lesson`` from itself, a source path, or a number/name such as ``"03"``."""
    if isinstance(lesson, Lesson):
        return lesson
    path = Path(lesson)
    if path.suffix == ".py" and path.is_file():
        return Lesson(path)
    return find_lessons([str(lesson)])[0]


def count_content(source: str) -> dict[str, int]:
    """The counts the formula uses, from a lesson source (jupytext percent text).

    Returns ``words`` (markdown a learner sees), ``code_lines`` (non-blank lines of the
    student version of the code cells not tagged ``hidden``), ``exercises`` (distinct
    ``NAME.check(`` receivers plus written-answer cells, except build tasks and quizzes),
    ``widgets`` (code cells that build a widget), ``builds`` (receivers checked in a cell
    tagged ``build``) and ``quiz_questions`` (the numbered answers in cells tagged ``quiz``).

    >>> count_content('# %% [markdown]\\n# See [the guide](https://x.org/a-b).\\n\\n'
    ...               '# %%\\nimport ipywidgets as widgets\\nwidgets.IntSlider()\\n')
    {'words': 3, 'code_lines': 2, 'exercises': 0, 'widgets': 1, 'builds': 0, 'quiz_questions': 0}
    >>> count_content('# %% tags=["quiz"]\\nanswers = {1: "a", 2: "c"}\\nquiz.check(answers)\\n'
    ...               '\\n# %% tags=["hidden"]\\nimport os\\n')["quiz_questions"]
    2
    """
    import jupytext

    notebook = jupytext.reads(source, fmt="py:percent")
    words = code_lines = widgets = written = questions = 0
    checked: set[str] = set()
    built: set[str] = set()
    quizzes: set[str] = set()
    for index, cell in enumerate(notebook.cells, start=1):
        if is_lint_directive(cell):
            continue
        tags = cell.metadata.get("tags", [])
        is_solution = SOLUTION_TAG in tags
        if cell.cell_type == "markdown":
            if is_solution:  # a written answer: the learner writes it (an exercise)
                written += 1
                continue
            text = _HTML_TAG.sub(" ", _LINK_TARGET.sub("]", cell.source))
            words += sum(1 for token in text.split() if _WORD.search(token))
        elif cell.cell_type == "code":
            student = student_code(cell.source, whole=is_solution, where=f"cell {index}")
            if "hidden" not in tags:
                code_lines += sum(1 for line in student.split("\n") if line.strip())
            receivers = set(_CHECK.findall(cell.source))
            if "quiz" in tags:
                quizzes.update(receivers)
                questions += len(set(_QUIZ_ANSWER.findall(cell.source)))
            elif "build" in tags:
                built.update(receivers)
            else:
                checked.update(receivers)
            widgets += bool(_WIDGET.search(cell.source))
    return {
        "words": words,
        "code_lines": code_lines,
        "exercises": len(checked - built - quizzes) + written,
        "widgets": widgets,
        "builds": len(built),
        "quiz_questions": questions,
    }


def _raw_minutes(
    *, words: int, code_lines: int, exercises: int, widgets: int, builds: int, quiz_questions: int
) -> Fraction:
    return (
        Fraction(words, WORDS_PER_MINUTE)
        + Fraction(code_lines, CODE_LINES_PER_MINUTE)
        + MINUTES_PER_EXERCISE * exercises
        + MINUTES_PER_WIDGET * widgets
        + MINUTES_PER_BUILD * builds
        + MINUTES_PER_QUIZ_QUESTION * quiz_questions
    )


def minutes_for(
    *,
    words: int = 0,
    code_lines: int = 0,
    exercises: int = 0,
    widgets: int = 0,
    builds: int = 0,
    quiz_questions: int = 0,
) -> int:
    """The formula: reading + code + exercises + widgets, rounded up to ``ROUND_TO`` minutes.

    >>> minutes_for(words=130)  # one minute of reading rounds up to five
    5
    >>> minutes_for(words=2600, code_lines=160, exercises=4, widgets=1)  # 20 + 20 + 25
    65
    """
    for name, value in (
        ("words", words),
        ("code_lines", code_lines),
        ("exercises", exercises),
        ("widgets", widgets),
        ("builds", builds),
        ("quiz_questions", quiz_questions),
    ):
        if not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a whole number of at least 0, got {value!r}")
    raw = _raw_minutes(
        words=words,
        code_lines=code_lines,
        exercises=exercises,
        widgets=widgets,
        builds=builds,
        quiz_questions=quiz_questions,
    )
    return ROUND_TO * math.ceil(raw / ROUND_TO)


def breakdown(lesson: Lesson | Path | str) -> dict[str, int | float]:
    """The counts of a lesson, the minutes of each part and the rounded estimate.

    ``lesson`` is a :class:`~course_utils.lessons.Lesson`, the path of a lesson source or
    its number (``"03"``). Keys: ``words``, ``code_lines``, ``exercises``, ``widgets``,
    ``reading_min``, ``code_min``, ``exercise_min``, ``widget_min`` (floats, one decimal),
    ``minutes`` (the estimate).

    >>> parts = breakdown("00")
    >>> keys = ("words", "code_lines", "exercises", "widgets", "builds", "quiz_questions")
    >>> parts["minutes"] == minutes_for(**{k: parts[k] for k in keys})
    True
    """
    counts = count_content(_as_lesson(lesson).source.read_text(encoding="utf-8"))
    return {
        **counts,
        "reading_min": round(counts["words"] / WORDS_PER_MINUTE, 1),
        "code_min": round(counts["code_lines"] / CODE_LINES_PER_MINUTE, 1),
        "exercise_min": float(MINUTES_PER_EXERCISE * counts["exercises"]),
        "widget_min": float(MINUTES_PER_WIDGET * counts["widgets"]),
        "build_min": float(MINUTES_PER_BUILD * counts["builds"]),
        "quiz_min": float(MINUTES_PER_QUIZ_QUESTION * counts["quiz_questions"]),
        "minutes": minutes_for(**counts),
    }


def estimate_minutes(lesson: Lesson | Path | str) -> int:
    """A beginner's time for a lesson in minutes (a multiple of 5), from its content.

    >>> minutes = estimate_minutes("00")
    >>> minutes % 5 == 0 and minutes > 0
    True
    """
    return int(breakdown(lesson)["minutes"])


# --------------------------------------------------------------------------- the header


def header_minutes(lesson: Lesson | Path | str) -> int:
    """The minutes the lesson's "**Estimated time:** N minutes." line announces.

    Raises ``LessonError`` if the lesson has no such line.
    """
    lesson = _as_lesson(lesson)
    found = _HEADER.search(lesson.source.read_text(encoding="utf-8"))
    if found is None:
        raise LessonError(
            f"{lesson.source.name}: no line '# **Estimated time:** N minutes.' in its first "
            "cell; add one (then `python -m course_utils.lessons estimate --write`)."
        )
    return int(found["minutes"])


def write_header(lesson: Lesson | Path | str, minutes: int) -> bool:
    """Set the lesson's header line to ``minutes``; returns whether the file changed."""
    lesson = _as_lesson(lesson)
    header_minutes(lesson)  # a clear error if the line is missing
    text = lesson.source.read_text(encoding="utf-8")
    new = _HEADER.sub(lambda m: f"{m['before']}{minutes}{m['after']}", text, count=1)
    if new == text:
        return False
    lesson.source.write_text(new, encoding="utf-8")
    return True


# --------------------------------------------------------------------------- the guide


def format_duration(minutes: int) -> str:
    """A learner time as the guide writes it.

    >>> format_duration(40), format_duration(165), format_duration(180)
    ('about 40 min', 'about 2 h 45', 'about 3 h')
    """
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"about {rest} min"
    return f"about {hours} h {rest:02d}" if rest else f"about {hours} h"


def parse_duration(text: str) -> int:
    """Minutes from a guide duration ("20 min", "about 2 h 45", "about 3 h").

    >>> parse_duration("about 2 h 45"), parse_duration("20 min")
    (165, 20)
    """
    found = _DURATION.match(text.strip())
    if found is None:
        raise ValueError(f"expected a duration like '45 min' or 'about 2 h 45', got {text!r}")
    if found["min"] is not None:
        return int(found["min"])
    return 60 * int(found["h"]) + int(found["m"] or 0)


def _plan_rows(lines: list[str]) -> tuple[int, list[int]]:
    """The column of "learner time" and the line numbers of the plan's rows."""
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and "learner time" in cells and "notebooks" in cells:
            column = cells.index("learner time")
            rows = []
            for j in range(i + 2, len(lines)):  # skip the |---| line
                if not lines[j].startswith("|"):
                    break
                rows.append(j)
            return column, rows
    raise ValueError("the guide has no session plan table with a 'learner time' column")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def guide_plan(guide: Path = GUIDE) -> list[tuple[list[str], int]]:
    """The session plan of the instructor guide: ``(notebook numbers, learner minutes)``."""
    lines = guide.read_text(encoding="utf-8").split("\n")
    column, rows = _plan_rows(lines)
    plan = []
    for j in rows:
        cells = _cells(lines[j])
        notebooks = [c.split()[0] for c in cells[1].split(",") if c.split()]
        plan.append((notebooks, parse_duration(cells[column])))
    return plan


def write_guide(minutes: dict[str, int], guide: Path = GUIDE) -> bool:
    """Set each plan row's learner time to the sum of its notebooks' ``minutes``.

    ``minutes`` maps a notebook number (``"03"``) to its estimate. Returns whether the
    file changed; a row naming an unknown notebook raises ``ValueError``.
    """
    text = guide.read_text(encoding="utf-8")
    lines = text.split("\n")
    column, rows = _plan_rows(lines)
    for j in rows:
        cells = _cells(lines[j])
        numbers = [c.split()[0] for c in cells[1].split(",") if c.split()]
        missing = [n for n in numbers if n not in minutes]
        if missing:
            raise ValueError(f"the guide's plan names notebook(s) {missing} with no lesson")
        cells[column] = format_duration(sum(minutes[n] for n in numbers))
        lines[j] = "| " + " | ".join(cells) + " |"
    new = "\n".join(lines)
    if new == text:
        return False
    guide.write_text(new, encoding="utf-8")
    return True


# --------------------------------------------------------------------------- command line


def table(lessons: Sequence[Lesson]) -> str:
    """The estimate per notebook (with the header it announces), the total, the long ones."""
    head = (
        f"{'notebook':<24}{'words':>6}{'code':>6}{'ex':>4}{'wid':>4}"
        f"{'read':>7}{'code':>6}{'tasks':>7}{'header':>8}{'estimate':>10}"
    )
    rows, total, long = [head, "-" * len(head)], 0, []
    for lesson in lessons:
        b = breakdown(lesson)
        try:
            header = str(header_minutes(lesson))
        except LessonError:
            header = "-"
        flag = f"  > {SESSION_LIMIT} min" if b["minutes"] > SESSION_LIMIT else ""
        tasks = b["exercise_min"] + b["widget_min"] + b["build_min"] + b["quiz_min"]
        if flag:
            long.append(lesson.number)
        rows.append(
            f"{lesson.source.stem:<24}{b['words']:>6}{b['code_lines']:>6}{b['exercises']:>4}"
            f"{b['widgets']:>4}{b['reading_min']:>7.1f}{b['code_min']:>6.1f}"
            f"{tasks:>7.0f}{header:>8}{b['minutes']:>10}{flag}"
        )
        total += int(b["minutes"])
    rows.append("-" * len(head))
    rows.append(f"total: {total} minutes ({total / 60:.1f} h)")
    rows.append(
        f"longer than {SESSION_LIMIT} minutes: {', '.join(long)}"
        if long
        else f"no notebook is longer than {SESSION_LIMIT} minutes"
    )
    rows.append(
        f"(reading at {WORDS_PER_MINUTE} words/min, code at {CODE_LINES_PER_MINUTE} lines/min, "
        f"{MINUTES_PER_EXERCISE} min per exercise, {MINUTES_PER_WIDGET} min per widget, "
        f"{MINUTES_PER_BUILD} min per build task, {MINUTES_PER_QUIZ_QUESTION} min per quiz "
        f"question, hidden cells not counted, rounded up to {ROUND_TO} min)"
    )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m course_utils.lessons estimate [--write]``; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.lessons estimate",
        description="A beginner's time per notebook, computed from the lesson sources.",
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="rewrite each lesson's 'Estimated time' line and the instructor guide's plan",
    )
    args = parser.parse_args(argv)
    try:
        lessons = find_lessons()
        if not lessons:
            print("No lesson sources (NN_name.py) found.", file=sys.stderr)
            return 1
        print(table(lessons))
        if args.write:
            minutes = {lesson.number: estimate_minutes(lesson) for lesson in lessons}
            changed = [
                lesson.number for lesson in lessons if write_header(lesson, minutes[lesson.number])
            ]
            print(f"headers rewritten: {', '.join(changed) or 'none (already up to date)'}")
            guide_changed = write_guide(minutes)
            print(f"{GUIDE.relative_to(REPO_ROOT)}: {'updated' if guide_changed else 'unchanged'}")
            if changed:
                print("Now rebuild the notebooks: make notebooks")
    except (LessonError, ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0
