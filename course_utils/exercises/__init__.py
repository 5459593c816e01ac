"""Exercise checks for the notebooks: ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

One line in a notebook makes its exercises available::

    from course_utils.exercises.nb00 import *   # q1, q2, q3

``q1.check(answer)`` shows kind, specific feedback and never raises, whatever the answer;
``q1.check(...)`` (the ``...`` left in place) says "Not attempted yet", so a notebook with
open exercises runs top to bottom; an answer that is ``None`` (a function without
``return``, ``inplace=True``) gets its own message. ``q1.evaluate(answer)`` returns the
same :class:`Feedback` without showing it (tests use it). Passing checks are recorded by
:mod:`course_utils.progress`.

The package is layered; imports run one way, from top to bottom:

* :mod:`~course_utils.exercises.catalogue`, :mod:`~course_utils.exercises.progress_map`:
  every exercise of the course, and the progress map;
* :mod:`~course_utils.exercises.core`: the :class:`Exercise` (check, hint, solution);
* :mod:`~course_utils.exercises.expect`: the building blocks of checks;
* :mod:`~course_utils.exercises.feedback`, :mod:`~course_utils.exercises.describe`:
  :class:`Feedback` and short descriptions of answers;
* :mod:`~course_utils.exercises.render`: Markdown to safe HTML.

Writing an exercise (a module ``nbNN.py`` next to this file, exporting ``q1, q2, ...`` in
``__all__``) takes a checker: a function of the answer (and any keyword inputs) that
returns a :class:`Feedback` or ``None`` ("nothing wrong found" = correct). The building
blocks do the diagnosing: :func:`expect_number`, :func:`expect_choice`,
:func:`expect_series`, :func:`expect_frame`, :func:`expect_type`, :func:`expect_fitted`,
chained with :func:`first_problem`. Misconception checkers (leakage, score on the training
rows, test set used for tuning, accuracy with skewed costs) live in
:mod:`course_utils.misconceptions`, which builds on this package.

>>> fb = expect_number(42.0, 0.42, tol=0.005, lo=0, hi=1, kind="fraction")
>>> fb.status, fb.mistake
('incorrect', 'percent_not_fraction')
"""

from __future__ import annotations

from course_utils.exercises.catalogue import all_exercises, catalogue
from course_utils.exercises.core import Exercise
from course_utils.exercises.describe import (  # noqa: F401 - used by the nbNN modules
    _is_estimator,
    _is_fitted,
    _is_missing,
    describe,
)
from course_utils.exercises.expect import (  # noqa: F401 - used by the nbNN modules
    NearMiss,
    _as_real,
    expect_choice,
    expect_fitted,
    expect_frame,
    expect_number,
    expect_series,
    expect_type,
    first_problem,
)
from course_utils.exercises.feedback import (
    MISTAKES,
    STATUSES,
    Feedback,
    correct,
    incorrect,
    none_given,
    not_attempted,
    show,
)
from course_utils.exercises.progress_map import (
    format_progress,
    progress_html,
    progress_table,
    progress_widget,
)
from course_utils.exercises.render import markdown_html

__all__ = [
    "MISTAKES",
    "STATUSES",
    "Exercise",
    "Feedback",
    "NearMiss",
    "all_exercises",
    "catalogue",
    "correct",
    "describe",
    "expect_choice",
    "expect_fitted",
    "expect_frame",
    "expect_number",
    "expect_series",
    "expect_type",
    "first_problem",
    "format_progress",
    "incorrect",
    "markdown_html",
    "none_given",
    "not_attempted",
    "progress_html",
    "progress_table",
    "progress_widget",
    "show",
]
