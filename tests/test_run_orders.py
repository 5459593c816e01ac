"""Exercises and widgets work in any order a learner runs the cells.

Three orders, each in a real kernel (nbclient), on the solutions version of a lesson:

* **cell by cell** - top to bottom, looking at each exercise and widget as it comes;
* **after Run All** - every cell ran, then the learner scrolls up and uses an exercise or
  a widget again (later cells have changed the variables since);
* **re-run after Run All** - the learner runs an exercise's (or a widget's) cell again.

Probe cells, inserted into the run, print what the learner would see.
"""

from __future__ import annotations

import copy

import nbformat

from course_utils import lessons


def _cell(nb, marker: str) -> int:
    """The index of the first code cell whose source contains ``marker``."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and marker in cell.source:
            return i
    raise AssertionError(f"no code cell contains {marker!r}")


def _run(number: str, plan: list, tmp_path) -> list[str]:
    """Run the lesson's solution cells in the order of ``plan`` (cell indices, or probe
    code as str); return the printed output of each probe, in order."""
    (lesson,) = lessons.find_lessons([number])
    _, solution = lessons.make_notebooks(lesson)
    cells, probes = [], []
    for step in plan:
        if isinstance(step, str):
            probes.append(len(cells))
            cells.append(nbformat.v4.new_code_cell(step))
        else:
            cells.append(copy.deepcopy(solution.cells[step]))
        cells[-1].id = f"step-{len(cells)}"  # a cell run twice is two cells here
    nb = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(solution.metadata))
    executed = lessons.execute(nb, lesson.solution_path.parent, tmp_path)
    out = []
    for i in probes:
        text = "".join(o.get("text", "") for o in executed.cells[i].outputs)
        out.append(text)
    return out


def test_03a_exercises_in_three_orders(tmp_path):
    (lesson,) = lessons.find_lessons(["03a"])
    _, solution = lessons.make_notebooks(lesson)
    n = len(solution.cells)
    q1, q2 = _cell(solution, "q1.check(temp_c)"), _cell(solution, "q2.check(deduped)")
    probe_q1 = "print('q1', q1.evaluate(temp_c).status)"
    probe_q2 = "print('q2', q2.evaluate(deduped).status)"
    # the experiment the notebook suggests: a wrong formula, on the table it names
    wrong = (
        "print('wrong', q1.evaluate(raw['temp'].where(raw['store'] != 'Riverside', "
        "(raw['temp'] - 32) * 9 / 5)).mistake)"
    )
    plan = [
        *range(q1 + 1),
        probe_q1,  # cell by cell
        wrong,
        *range(q1 + 1, n),
        probe_q1,  # after Run All
        probe_q2,
        wrong,
        q1,  # re-run after Run All
        probe_q1,
        q2,
        probe_q2,
    ]
    out = _run("03a", plan, tmp_path)
    assert out == [
        "q1 correct\n",
        "wrong wrong_value\n",
        "q1 correct\n",
        "q2 correct\n",
        "wrong wrong_value\n",
        "q1 correct\n",
        "q2 correct\n",
    ], out


def test_07b_fruit_stand_app_in_three_orders(tmp_path):
    (lesson,) = lessons.find_lessons(["07b"])
    _, solution = lessons.make_notebooks(lesson)
    n = len(solution.cells)
    shown = _cell(solution, "stand = app.make_widget(srv.url)")
    guard = _cell(solution, 'previous = globals().get("srv")')
    start = _cell(solution, "srv = service.start_in_background(registry")
    probe = (
        "r = stand.predict()\n"
        "print('app', r.ok, r.status, stand.values()['age'], r.decision in ('apple', 'banana'))"
    )
    plan = [
        *range(shown + 1),
        probe,  # cell by cell
        *range(shown + 1, n),
        probe,  # after Run All: the service was stopped and started again
        guard,  # re-run the start of the service: the first one is stopped, a new one starts
        start,
        shown,
        probe,
        "srv.stop()",  # leave no server behind
    ]
    out = _run("07b", plan, tmp_path)
    assert out[:3] == ["app True 200 29 True\n"] * 3, out
