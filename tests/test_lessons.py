"""The lesson build: placeholders, badges, the two versions, and notebooks in sync."""

from __future__ import annotations

import ast
import hashlib
import json
import re
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from course_utils import config, lessons
from course_utils.lessons import LessonError, solution_code, student_code

PLACEHOLDER = lessons.CODE_PLACEHOLDER
LESSONS = lessons.find_lessons()


def dedent(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


# --------------------------------------------------------------------------- in sync


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.source.name)
def test_notebooks_are_in_sync_with_their_lesson_source(lesson: lessons.Lesson) -> None:
    problems = lessons.check([lesson])
    assert not problems, (
        f"The notebooks of {lesson.source.name} are out of date with their source - "
        "run `make notebooks` (or `python -m course_utils.lessons build "
        f"{lesson.number}`):\n  " + "\n  ".join(problems)
    )


def test_every_notebook_has_a_lesson_source() -> None:
    known = {lesson.filename for lesson in LESSONS}
    for folder in (lessons.NOTEBOOKS_DIR, lessons.NOTEBOOKS_DIR / lessons.SOLUTIONS_SUBDIR):
        for path in folder.glob("[0-9][0-9]*_*.ipynb"):
            assert path.name in known, (
                f"{path} has no lesson source lessons/{path.stem}.py: notebooks are generated "
                "from lessons/ - add the source (or delete the notebook), then run "
                "`make notebooks`."
            )


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.source.name)
def test_student_notebook_on_disk_has_no_outputs_and_no_answers(lesson: lessons.Lesson) -> None:
    if not lesson.student_path.exists():
        pytest.skip("not built yet (the sync test reports it)")
    student = nbformat.read(lesson.student_path, as_version=4)
    _assert_no_outputs(student)
    _assert_no_answers(lesson, student)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.source.name)
def test_lesson_source_is_valid(lesson: lessons.Lesson) -> None:
    student, solution = lessons.make_notebooks(lesson)  # raises LessonError with the cell
    for nb in (student, solution):
        nbformat.validate(nb)


def _assert_no_outputs(nb) -> None:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"student cell {i} has outputs"
            assert cell.execution_count is None, f"student cell {i} has an execution count"
            assert lessons.CHECK_OUTPUT_MARKER not in cell.source


def _assert_no_answers(lesson: lessons.Lesson, student) -> None:
    source = lessons.read_lesson(lesson.source)
    by_id = {c.id: c for c in student.cells}
    seen: set[str] = set()
    for cell in source.cells:
        if lessons.is_lint_directive(cell):
            continue
        cell_id = lessons._cell_id(cell.cell_type, cell.source, seen)
        shown = by_id[cell_id].source
        assert lessons.BEGIN_MARKER not in shown and lessons.END_MARKER not in shown
        is_solution = lessons.SOLUTION_TAG in cell.metadata.get("tags", [])
        if cell.cell_type == "markdown" and is_solution:
            assert shown == lessons.MARKDOWN_PLACEHOLDER
        if cell.cell_type != "code":
            continue
        answers = cell.source.split("\n") if is_solution else lessons.answer_lines(cell.source)
        outside = set(solution_code(cell.source).split("\n")) - set(answers)
        for line in answers:
            text = line.strip()
            if text and not text.startswith("#") and line not in outside:
                assert line not in shown.split("\n"), f"answer line {text!r} in student cell"


# --------------------------------------------------------------------------- placeholders


def test_single_assignment_becomes_ellipsis() -> None:
    src = dedent(
        """
        visits = load()
        # BEGIN SOLUTION
        share = (visits["fruit"] == "banana").mean()
        # END SOLUTION
        q1.check(share)
        """
    )
    assert student_code(src) == dedent(
        f"""
        visits = load()
        share = ...  {PLACEHOLDER}
        q1.check(share)
        """
    )
    assert solution_code(src) == dedent(
        """
        visits = load()
        share = (visits["fruit"] == "banana").mean()
        q1.check(share)
        """
    )


def test_several_assignments_each_get_a_placeholder_once_in_order() -> None:
    src = dedent(
        """
        # BEGIN SOLUTION
        is_banana = visits["fruit"] == "banana"
        n = len(visits)
        share = is_banana.sum() / n
        share = round(share, 3)
        print(share)
        # END SOLUTION
        """
    )
    assert student_code(src).split("\n") == [
        f"is_banana = ...  {PLACEHOLDER}",
        f"n = ...  {PLACEHOLDER}",
        f"share = ...  {PLACEHOLDER}",
    ]


def test_other_assignment_forms() -> None:
    src = dedent(
        """
        # BEGIN SOLUTION
        train, test = split(visits)
        [a, b] = 1, 2
        x = y = 3
        rate: float = 0.5
        df["ratio"] = (
            df["price_banana"] / df["price_apple"]
        )
        total += 1
        for i in range(3):
            inner = i
        # END SOLUTION
        """
    )
    assert student_code(src).split("\n") == [
        f"train, test = ..., ...  {PLACEHOLDER}",
        f"[a, b] = ..., ...  {PLACEHOLDER}",
        f"x = y = ...  {PLACEHOLDER}",
        f"rate: float = ...  {PLACEHOLDER}",
        f'df["ratio"] = ...  {PLACEHOLDER}',
    ]


def test_indented_region_inside_a_function_and_an_if() -> None:
    src = dedent(
        """
        def banana_share(visits, store=None):
            if store is not None:
                # BEGIN SOLUTION
                visits = visits[visits["store"] == store]
                # END SOLUTION
            # BEGIN SOLUTION
            share = (visits["fruit"] == "banana").mean()
            return share
            # END SOLUTION
        """
    )
    student = student_code(src)
    assert student == dedent(
        f"""
        def banana_share(visits, store=None):
            if store is not None:
                visits = ...  {PLACEHOLDER}
            share = ...  {PLACEHOLDER}
            return ...  {PLACEHOLDER}
        """
    )
    namespace: dict = {}
    exec(student, namespace)
    assert namespace["banana_share"]([]) is Ellipsis  # "not attempted" for the checks


def test_region_without_assignment_becomes_a_comment() -> None:
    src = dedent(
        """
        print("before")
        # BEGIN SOLUTION
        print(visits.head())
        visits.describe()
        # END SOLUTION
        """
    )
    assert student_code(src) == f'print("before")\n{PLACEHOLDER}'


def test_region_without_assignment_in_a_block_becomes_pass() -> None:
    src = dedent(
        """
        for store in stores:
            # BEGIN SOLUTION
            print(store)
            # END SOLUTION
        done = True
        """
    )
    student = student_code(src)
    assert student == f"for store in stores:\n    pass  {PLACEHOLDER}\ndone = True"
    ast.parse(student)


def test_region_that_is_a_whole_function_body_returns_none() -> None:
    src = "def f(x):\n    # BEGIN SOLUTION\n    print(x)\n    # END SOLUTION"
    namespace: dict = {}
    exec(student_code(src), namespace)
    assert namespace["f"](1) is None  # None also reads as "not attempted"


def test_student_scaffold_lines_override_the_placeholder() -> None:
    src = dedent(
        """
        # BEGIN SOLUTION
        model = make_pipeline(StandardScaler(), LogisticRegression())
        # STUDENT: model = make_pipeline(..., ...)  # your code here
        # STUDENT:
        # STUDENT: model.fit(X_train, y_train)
        # END SOLUTION
        """
    )
    assert student_code(src) == (
        "model = make_pipeline(..., ...)  # your code here\n\nmodel.fit(X_train, y_train)"
    )
    assert solution_code(src) == "model = make_pipeline(StandardScaler(), LogisticRegression())"


def test_whole_cell_tagged_solution() -> None:
    src = "answer = 42\nprint(answer)"
    assert student_code(src, whole=True) == f"answer = ...  {PLACEHOLDER}"
    assert student_code("print(42)", whole=True) == PLACEHOLDER
    with pytest.raises(LessonError, match="one answer as a whole"):
        student_code("# BEGIN SOLUTION\nx = 1\n# END SOLUTION", whole=True)


def test_check_output_marker_is_stripped_from_student_only() -> None:
    src = "# NBVAL_CHECK_OUTPUT\n# BEGIN SOLUTION\nx = 1\n# END SOLUTION\nprint(x)"
    assert student_code(src) == f"x = ...  {PLACEHOLDER}\nprint(x)"
    assert solution_code(src).startswith("# NBVAL_CHECK_OUTPUT\n")
    assert student_code("# NBVAL_CHECK_OUTPUT\nprint(1)") == "print(1)"


def test_cells_without_regions_are_unchanged() -> None:
    src = "import pandas as pd\n\nx = 1  # BEGIN SOLUTION is only a marker on its own line"
    assert student_code(src) == src
    assert solution_code(src) == src


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("# BEGIN SOLUTION\nx = 1", "never closed"),
        ("x = 1\n# END SOLUTION", "without a BEGIN"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\nx = 1\n# END SOLUTION", "inside another"),
        ("if a:\n    # BEGIN SOLUTION\nx = 1\n    # END SOLUTION", "indented less"),
        ("# BEGIN SOLUTION\nif x:\n# END SOLUTION\n    y = 1", "not complete Python"),
        ("# BEGIN SOLUTION\na, *rest = values\n# END SOLUTION", "starred"),
    ],
)
def test_broken_regions_raise_a_clear_error(src: str, message: str) -> None:
    with pytest.raises(LessonError, match=message):
        student_code(src, where="99_toy.py, cell 3")


# --------------------------------------------------------------------------- notebooks

TOY_LESSON = """\
# ruff: noqa: E402

# %% [markdown]
# # A toy lesson
# Promise: one line.

# %%
import sys

# %%
# NBVAL_CHECK_OUTPUT
# BEGIN SOLUTION
answer = 6 * 7
# END SOLUTION
print(answer)

# %% [markdown] tags=["solution"]
# Six times seven is the answer.

# %% tags=["solution", "keep-me"]
print("model answer")
"""


@pytest.fixture
def toy(tmp_path: Path) -> lessons.Lesson:
    lessons_dir = tmp_path / "lessons"
    lessons_dir.mkdir()
    (lessons_dir / "99_toy.py").write_text(TOY_LESSON, encoding="utf-8")
    [lesson] = lessons.find_lessons(lessons_dir=lessons_dir, notebooks_dir=tmp_path / "notebooks")
    return lesson


def test_badges_point_to_each_notebook(toy: lessons.Lesson) -> None:
    student, solution = lessons.make_notebooks(toy)
    repo, branch = config.REPOSITORY, config.BRANCH
    for nb, rel in (
        (student, "notebooks/99_toy.ipynb"),
        (solution, "notebooks/solutions/99_toy.ipynb"),
    ):
        first = nb.cells[0]
        assert first.cell_type == "markdown" and first.id == lessons.BADGES_CELL_ID
        colab = f"https://colab.research.google.com/github/{repo}/blob/{branch}/{rel}"
        binder = f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{rel}"
        assert f"]({colab})" in first.source
        assert f"]({binder})" in first.source
        assert "![Open In Colab]" in first.source and "![Launch Binder]" in first.source


def test_setup_cell_is_the_first_code_cell_and_plain_python(toy: lessons.Lesson) -> None:
    for nb in lessons.make_notebooks(toy):
        code = [c for c in nb.cells if c.cell_type == "code"]
        setup = code[0]
        assert setup.id == lessons.SETUP_CELL_ID
        assert nb.cells[1].source.startswith("# A toy lesson")  # the title stays on top
        assert nb.cells[2] is setup  # right after it, before any prose about code
        assert '"google.colab" in sys.modules' in setup.source
        assert config.pip_requirement() in setup.source
        assert f"github.com/{config.REPOSITORY}.git@{config.BRANCH}" in setup.source
        assert not any(line.lstrip().startswith(("%", "!")) for line in setup.source.split("\n"))
        ast.parse(setup.source)


def test_setup_cell_comes_first_when_a_lesson_starts_with_code(tmp_path: Path) -> None:
    (tmp_path / "01_code_first.py").write_text("# %%\nx = 1\n", encoding="utf-8")
    [lesson] = lessons.find_lessons(lessons_dir=tmp_path, notebooks_dir=tmp_path / "nb")
    for nb in lessons.make_notebooks(lesson):
        assert [c.id for c in nb.cells][:2] == [lessons.BADGES_CELL_ID, lessons.SETUP_CELL_ID]
        assert nb.cells[2].source == "x = 1"


def test_setup_cell_does_nothing_outside_colab(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    def fail(*args, **kwargs):
        raise AssertionError("the setup cell must not run pip outside Colab")

    monkeypatch.setattr(subprocess, "run", fail)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    import matplotlib

    from course_utils import figures

    with matplotlib.rc_context():  # leave other tests the default style
        exec(lessons.setup_code(), {})
        assert matplotlib.rcParams["savefig.dpi"] == figures.PNG_DPI  # the course style


def test_setup_cell_installs_on_colab(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import types

    calls = []
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append((cmd, kw)))
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    exec(lessons.setup_code(), {})
    [(cmd, kwargs)] = calls
    assert cmd[1:4] == ["-m", "pip", "install"]
    assert cmd[-len(config.colab_install_args()) :] == config.colab_install_args()
    assert "prettytable<3.18" in cmd  # skops' prettytable must not upgrade Colab's wcwidth
    assert kwargs == {"check": True}


def test_two_versions_of_the_toy_lesson(toy: lessons.Lesson) -> None:
    student, solution = lessons.make_notebooks(toy)
    for nb in (student, solution):
        assert not any("ruff:" in c.source for c in nb.cells)  # linter directives dropped
    assert [c.id for c in student.cells] == [c.id for c in solution.cells]
    by_kind = {
        "student": [c.source for c in student.cells],
        "solution": [c.source for c in solution.cells],
    }
    assert f"answer = ...  {PLACEHOLDER}\nprint(answer)" in by_kind["student"]
    assert "# NBVAL_CHECK_OUTPUT\nanswer = 6 * 7\nprint(answer)" in by_kind["solution"]
    assert lessons.MARKDOWN_PLACEHOLDER in by_kind["student"]
    assert "Six times seven is the answer." in by_kind["solution"]
    assert PLACEHOLDER in by_kind["student"]  # the whole-cell code answer
    text = "\n".join(by_kind["student"])
    for hidden in ("6 * 7", "Six times seven", "model answer", "BEGIN SOLUTION", "NBVAL_CHECK"):
        assert hidden not in text
    tags = {c.source: c.metadata.get("tags") for c in student.cells}
    assert tags[PLACEHOLDER] == ["keep-me"]  # the "solution" tag is dropped, others kept
    assert solution.cells[-1].metadata["tags"] == ["solution", "keep-me"]
    _assert_no_outputs(lessons.normalize(student, executed=False))


def test_check_reports_missing_and_stale_notebooks(toy: lessons.Lesson) -> None:
    problems = lessons.check([toy])
    assert any("99_toy.ipynb: missing" in p for p in problems)
    student, solution = lessons.make_notebooks(toy)
    text = lessons.notebook_text(lessons.normalize(student, executed=False))
    toy.student_path.parent.mkdir(parents=True)
    toy.student_path.write_text(text.replace("answer = ...", "answer = 41"), encoding="utf-8")
    problems = lessons.check([toy])
    assert any("notebooks/99_toy.ipynb: cell" in p and "source differ" in p for p in problems)
    (toy.notebooks_dir / "98_orphan.ipynb").write_text(text, encoding="utf-8")
    assert any("98_orphan.ipynb: no lesson source" in p for p in lessons.check([toy]))


def test_normalize_drops_volatile_parts() -> None:
    other = {"name": "other", "display_name": "Other", "language": "python"}
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": other, "widgets": {}})
    cell = nbformat.v4.new_code_cell("w", execution_count=3)
    cell.metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}
    cell.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={
                "text/plain": "IntSlider(value=3)",
                "application/vnd.jupyter.widget-view+json": {"model_id": "f00"},
            },
            execution_count=3,
        ),
        nbformat.v4.new_output(
            "display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "x"}}
        ),
        nbformat.v4.new_output(
            "stream",
            name="stderr",
            text="Matplotlib is building the font cache; this may take a moment.\n",
        ),
    ]
    nb.cells.append(cell)
    out = lessons.normalize(nb, executed=True)
    assert out.metadata == {
        "kernelspec": lessons.KERNELSPEC,
        "language_info": lessons.LANGUAGE_INFO,
    }
    [result] = out.cells[0].outputs
    assert result.data == {"text/plain": "IntSlider(value=3)"}
    assert out.cells[0].execution_count == 3  # nbval compares only cells that were run
    assert "execution" not in out.cells[0].metadata


def test_build_executes_solutions_and_is_reproducible(toy: lessons.Lesson) -> None:
    lessons.build_lesson(toy, log=lambda message: None)
    first = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in _built(toy)}
    lessons.build_lesson(toy, log=lambda message: None)
    second = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in _built(toy)}
    assert first == second
    solution = json.loads(toy.solution_path.read_text(encoding="utf-8"))
    printed = [
        "".join(out["text"])
        for cell in solution["cells"]
        for out in cell.get("outputs", [])
        if out["output_type"] == "stream"
    ]
    assert printed == ["42\n", "model answer\n"]
    assert lessons.check([toy]) == []


def _built(lesson: lessons.Lesson) -> list[Path]:
    return [lesson.student_path, lesson.solution_path]


def test_find_lessons_selection(toy: lessons.Lesson) -> None:
    folder = toy.source.parent
    for key in ("99", "99_toy", "99_toy.py", str(toy.source)):
        assert lessons.find_lessons([key], lessons_dir=folder) == [
            lessons.Lesson(toy.source, lessons.NOTEBOOKS_DIR)
        ]
    with pytest.raises(LessonError, match="No lesson matches '42'"):
        lessons.find_lessons(["42"], lessons_dir=folder)


# --------------------------------------------------------------------------- nbval harness


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<Model object at 0x7f3a2c1d9e50>", "<Model object at 0x<ADDRESS>>"),
        ("fitted in 0.12 s", "fitted in <DURATION>"),
        ("took 3 ms, then 1.5 seconds", "took <DURATION>, then <DURATION>"),
        ("serving on http://127.0.0.1:54321/predict", "serving on http://<LOCALHOST>/predict"),
        ("saved to /tmp/tmpab12cd/model.joblib", "saved to <TMP_PATH>"),
        ("in /var/folders/x1/abc/T/registry", "in <TMP_PATH>"),
        # what must stay: numbers the text relies on
        ("19,075 visits, 3 stores, banana: 61.6%", "19,075 visits, 3 stores, banana: 61.6%"),
        ("accuracy 0.847 at threshold 0.5", "accuracy 0.847 at threshold 0.5"),
    ],
)
def test_nbval_sanitize_patterns(text: str, expected: str) -> None:
    from nbval.plugin import get_sanitize_patterns

    config_text = (Path(__file__).parent / "nbval_sanitize.cfg").read_text(encoding="utf-8")
    patterns = get_sanitize_patterns(config_text)
    assert len(patterns) >= 5
    for regex, replace in patterns:
        text = re.sub(regex, replace, text)
    assert text == expected


def test_normalize_merges_split_stream_outputs():
    import nbformat

    from course_utils.lessons import normalize

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('a'); print('b')")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="a\n"),
        nbformat.v4.new_output("stream", name="stdout", text="b\n"),
        nbformat.v4.new_output("stream", name="stderr", text="warn\n"),
    ]
    nb.cells = [cell]
    out = normalize(nb, executed=True).cells[0].outputs
    assert [(o.name, o.text) for o in out] == [("stdout", "a\nb\n"), ("stderr", "warn\n")]


def test_readme_badges_come_from_the_one_setting():
    from course_utils import config
    from course_utils.paths import REPO_ROOT

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert config.binder_url("notebooks/00_start_here.ipynb") in readme
    assert config.colab_url("notebooks/00_start_here.ipynb") in readme


def test_volatile_cells_keep_no_output():
    import nbformat

    from course_utils.lessons import VOLATILE_TAG, normalize

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(time.time())", metadata={"tags": [VOLATILE_TAG]})
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1732.5\n")]
    nb.cells = [cell]
    assert normalize(nb, executed=True).cells[0].outputs == []


def test_memory_addresses_are_not_stored():
    import nbformat

    from course_utils.lessons import normalize

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("pipe")
    cell.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={
                "text/plain": "FunctionTransformer(func=<function f at 0x7efddca813a0>)",
                "text/html": "<td>&lt;function add...x7efddca813a0&gt;</td>",
            },
            execution_count=1,
        ),
        nbformat.v4.new_output("stream", name="stdout", text="<object at 0x7fb49fe31260>\n"),
    ]
    nb.cells = [cell]
    out = normalize(nb, executed=True).cells[0].outputs
    assert out[0].data["text/plain"] == "FunctionTransformer(func=<function f at 0x...>)"
    assert out[0].data["text/html"] == "<td>&lt;function add...x...&gt;</td>"
    assert out[1].text == "<object at 0x...>\n"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_no_wrapped_prose_renders_as_a_stray_bullet(lesson: lessons.Lesson) -> None:
    """A wrapped line starting with "- " would render as an unintended list item."""
    nb = lessons.read_lesson(lesson.source)
    stray = [
        line
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for line in lessons.stray_bullets(cell.source)
    ]
    assert not stray, f"{lesson.source.name}: rewrap so these lines do not start a list: {stray}"


def test_stray_bullets_are_found_and_real_lists_are_not() -> None:
    prose = "costs at least 0.75 - the bottom of the curve\n- and every strategy costs more."
    assert lessons.stray_bullets(prose) == ["- and every strategy costs more."]
    nested = "* cross-validated pipelines that look like the test split\n  - and saw folds"
    assert lessons.stray_bullets(nested) == ["  - and saw folds"]
    assert lessons.stray_bullets("You will:\n\n- one\n- two\n  more\n- three") == []
    assert lessons.stray_bullets("Parent:\n* a, in two:\n  - child\n  - b\n* c") == []


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_no_empty_cell_reaches_the_learner(lesson: lessons.Lesson) -> None:
    """A doubled `# %% [markdown]` line makes an empty cell: a blank gap in JupyterLab."""
    nb = lessons.read_lesson(lesson.source)
    empty = [i for i, cell in enumerate(nb.cells) if not cell.source.strip()]
    assert not empty, f"{lesson.source.name}: empty cells at positions {empty}"
