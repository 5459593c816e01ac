"""Run a lesson's solutions in this process, as the tests of notebooks 02, 06, 07, 09, 10 do.

The lesson runs in a scratch work folder with its own progress file, its prints are kept,
and the environment is put back afterwards.
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt

from course_utils import lessons, progress


def run_lesson(number: str, work: Path, *, on_exit: Callable[[dict], None] | None = None) -> dict:
    """Execute every code cell of lesson ``number``'s solutions; return its variables.

    ``on_exit(namespace)`` runs even if a cell fails (e.g. to stop a server the lesson
    started). The namespace also holds ``_stdout`` (what the lesson printed) and ``_work``.
    """
    (source,) = lessons.find_lessons([number])
    _, solution = lessons.make_notebooks(source)
    saved = {k: os.environ.get(k) for k in ("COURSE_WORK_DIR", progress.ENV_VAR)}
    os.environ["COURSE_WORK_DIR"] = str(work)
    os.environ[progress.ENV_VAR] = str(work / "progress.json")
    progress._reset_session()
    namespace: dict = {"__name__": f"__lesson{number}__"}
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "FigureCanvasAgg is non-interactive"
            for cell in solution.cells:
                if cell.cell_type == "code":
                    exec(compile(cell.source, f"<lesson {number}>", "exec"), namespace)
    finally:
        if on_exit is not None:
            on_exit(namespace)
        plt.close("all")
        progress._reset_session()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    namespace["_stdout"] = out.getvalue()
    namespace["_work"] = work
    return namespace
