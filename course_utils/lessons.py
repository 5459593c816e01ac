"""Build the course notebooks from the lesson sources: one source per lesson, two notebooks.

Each lesson is written once, as a jupytext *percent* script ``lessons/NN_name.py`` (plain
Python, ruff-clean, reviewable diffs). ``python -m course_utils.lessons build`` (what
``make notebooks`` runs) turns it into

* ``notebooks/NN_name.ipynb`` - the **student** version: exercises open, no outputs, no
  execution counts;
* ``notebooks/solutions/NN_name.ipynb`` - the **solutions** version: answers kept,
  executed with nbclient in its own folder, outputs stored (readable on a code host).

``python -m course_utils.lessons check`` tells whether the notebooks on disk are in sync
with their sources, without executing anything.
``python -m course_utils.lessons estimate [--write]`` prints a beginner's time per notebook
(see :mod:`course_utils.estimate`).

The convention for exercises
----------------------------
**Code answers.** In a code cell, the lines between ``# BEGIN SOLUTION`` and
``# END SOLUTION`` (each on a line of its own, indented like the code around them) are the
answer. The solutions version keeps the answer and drops the two marker lines. In the
student version the region becomes a placeholder, statement by statement:

* ``name = <expr>`` becomes ``name = ...  # your code here`` (also ``a, b = ...`` ->
  ``a, b = ..., ...``, ``x: float = ...``, ``df["col"] = ...``); the exercise framework
  treats ``...`` as "not attempted yet", so ``q1.check(name)`` says so and the notebook
  still runs top to bottom;
* ``return <expr>`` becomes ``return ...  # your code here``;
* every other statement (``print``, ``for`` loops, ``x += 1``, ``import``...) is dropped;
* a region that yields nothing becomes the comment ``# your code here`` - or
  ``pass  # your code here`` where a bare comment would leave an empty block;
* each name is given once, in the order of first assignment.

To write the student scaffold yourself, put ``# STUDENT: <line>`` lines inside the region:
if a region has any, the student version is exactly those lines (with the text after
``# STUDENT: ``), and the solutions version drops them::

    # BEGIN SOLUTION
    model = make_pipeline(StandardScaler(), LogisticRegression())
    # STUDENT: model = make_pipeline(..., ...)  # your code here
    # END SOLUTION

A code cell tagged ``solution`` (``# %% tags=["solution"]``) is one region as a whole.

**Linter directives.** A cell of ``# ruff: ...`` lines only (e.g. ``# ruff: noqa: E402`` at
the top of the source, so that imports can sit in the cell that first needs them) is for
the linter and does not reach the notebooks.

**Written answers.** A markdown cell tagged ``solution`` (``# %% [markdown]
tags=["solution"]``) is a model answer: the student version shows
``*Write your answer here.*`` instead (and drops the tag); the solutions version keeps it.

**Checked outputs.** A code cell whose printed numbers the prose relies on starts with the
line ``# NBVAL_CHECK_OUTPUT`` (nbval's lax-mode marker): ``make test`` re-runs the solutions
notebook and compares that cell's output with the stored one. The student version has no
outputs to compare, so the marker is stripped there.

**Added by the build.** Both notebooks get a first markdown cell with "Open in Colab" and
"Launch Binder" badges pointing to *that* notebook, and - right after the lesson's first
cell (its title), or before it if that is code - a setup cell, the first code cell, that
installs ``course_utils`` from GitHub only on Google Colab. Both come from the one setting
in ``course_utils/config.py``.

The build is reproducible: building twice gives byte-identical files (cell ids from the
cell contents, fixed metadata, no timings or widget state; the kernel runs with
``PYTHONHASHSEED=0``, matplotlib's default settings, an empty IPython profile and a fresh
throw-away progress file per notebook - see ``execution_env``).

>>> print(student_code("# BEGIN SOLUTION\\nshare = (visits.fruit == 'banana').mean()\\n"
...                    "# END SOLUTION\\nq1.check(share)"))
share = ...  # your code here
q1.check(share)
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from course_utils import config
from course_utils.paths import LESSONS_DIR, NOTEBOOKS_DIR

if TYPE_CHECKING:
    from nbformat import NotebookNode

BEGIN_MARKER = "# BEGIN SOLUTION"
END_MARKER = "# END SOLUTION"
STUDENT_PREFIX = "# STUDENT:"
SOLUTION_TAG = "solution"
CHECK_OUTPUT_MARKER = "# NBVAL_CHECK_OUTPUT"
CODE_PLACEHOLDER = "# your code here"
LINT_DIRECTIVE = "# ruff:"
MARKDOWN_PLACEHOLDER = "*Write your answer here.*"
SOLUTIONS_SUBDIR = "solutions"
#: Ids of the two cells the build adds; also used to recognise them.
BADGES_CELL_ID = "course-badges"
SETUP_CELL_ID = "colab-setup"
#: Seconds a single cell may run while the solutions notebook is executed.
CELL_TIMEOUT = 600

#: ``NN_slug.py``, or ``NNa_slug.py``/``NNb_slug.py`` for the parts of a stage split in two.
_LESSON_NAME = re.compile(r"^(?P<number>\d{2}[a-z]?)_(?P<slug>[a-z0-9_]+)\.py$")
#: A code cell tagged so is plumbing: collapsed in JupyterLab (it still runs).
HIDDEN_TAG = "hidden"
#: ``[term](glossary:anchor)`` in a lesson's markdown links to ``docs/glossary.md#anchor``.
_GLOSSARY_LINK = re.compile(r"\]\(glossary:(?P<anchor>[a-z0-9-]+)\)")
_BEGIN = re.compile(r"^(?P<indent>[ \t]*)# BEGIN SOLUTION[ \t]*$")
_END = re.compile(r"^(?P<indent>[ \t]*)# END SOLUTION[ \t]*$")

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
# Outputs that change from run to run without meaning anything: dropped from the solutions.
#: A code cell tagged so prints machine-dependent values (timings): its output is not stored.
VOLATILE_TAG = "volatile-output"
#: A memory address in a repr (``<function f at 0x7f...>``, or cut short as ``...x7f...``):
#: it differs at every run, so stored outputs show a placeholder instead.
_ADDRESS = re.compile(r"(0x|\.\.\.x)[0-9a-f]{6,16}\b")
_VOLATILE_MIMETYPES = ("application/vnd.jupyter.widget-view+json",)
_STDERR_NOISE = (
    re.compile(r"^Matplotlib is building the font cache; this may take a moment\.\n?$", re.M),
)
# Where the notebooks run, as seen by the doctor: unset so every build says "local".
_HOST_ENV_PREFIXES = ("COLAB_", "BINDER_", "JUPYTERHUB_")


class LessonError(ValueError):
    """A lesson source breaks the convention; the message says where and what to do."""


# --------------------------------------------------------------------------- lessons


@dataclass(frozen=True)
class Lesson:
    """One lesson source and the two notebooks built from it."""

    source: Path
    notebooks_dir: Path = NOTEBOOKS_DIR

    @property
    def number(self) -> str:
        """The notebook's number, e.g. ``"00"``, or ``"02a"`` for the first part of stage 02."""
        return self.source.name.split("_", 1)[0]

    @property
    def stage(self) -> str:
        """The lifecycle stage: the two digits, e.g. ``"02"`` for both ``02a`` and ``02b``."""
        return self.source.name[:2]

    @property
    def filename(self) -> str:
        """File name of both notebooks, e.g. ``"00_start_here.ipynb"``."""
        return self.source.with_suffix(".ipynb").name

    @property
    def student_path(self) -> Path:
        """Where the student notebook is written."""
        return self.notebooks_dir / self.filename

    @property
    def solution_path(self) -> Path:
        """Where the executed solutions notebook is written."""
        return self.notebooks_dir / SOLUTIONS_SUBDIR / self.filename


def find_lessons(
    selection: Sequence[str] = (),
    *,
    lessons_dir: Path = LESSONS_DIR,
    notebooks_dir: Path = NOTEBOOKS_DIR,
) -> list[Lesson]:
    """The lesson sources ``NN_name.py`` in ``lessons_dir``, sorted by number.

    ``selection`` narrows them down: ``"03"``, ``"03_prepare_data"`` or a path all pick
    lesson 03; for a stage split in parts, ``"02a"`` picks one part and ``"02"`` both. An
    entry that matches nothing raises ``LessonError``.
    """
    lessons = [
        Lesson(p, notebooks_dir)
        for p in sorted(lessons_dir.glob("*.py"))
        if _LESSON_NAME.match(p.name)
    ]
    if not selection:
        return lessons
    picked: list[Lesson] = []
    for wanted in selection:
        key = Path(wanted).name.removesuffix(".py").removesuffix(".ipynb")
        matches = [
            lesson for lesson in lessons if key in (lesson.number, lesson.stage, lesson.source.stem)
        ]
        if not matches:
            known = ", ".join(lesson.source.stem for lesson in lessons) or "none"
            raise LessonError(f"No lesson matches {wanted!r}. Lessons in {lessons_dir}: {known}.")
        picked.extend(m for m in matches if m not in picked)
    return sorted(picked, key=lambda lesson: lesson.source.name)


# --------------------------------------------------------------------------- code cells


def _split_regions(source: str, where: str) -> list[tuple[str | None, list[str]]]:
    """Split a cell into plain chunks ``(None, lines)`` and answers ``(indent, lines)``."""
    chunks: list[tuple[str | None, list[str]]] = [(None, [])]
    indent: str | None = None
    for number, line in enumerate(source.split("\n"), start=1):
        begin, end = _BEGIN.match(line), _END.match(line)
        if begin:
            if indent is not None:
                raise LessonError(f"{where}, line {number}: {BEGIN_MARKER} inside another one.")
            indent = begin["indent"]
            chunks.append((indent, []))
        elif end:
            if indent is None:
                raise LessonError(f"{where}, line {number}: {END_MARKER} without a BEGIN.")
            indent = None
            chunks.append((None, []))
        else:
            if indent is not None and line.strip() and not line.startswith(indent):
                raise LessonError(
                    f"{where}, line {number}: the answer is indented less than its "
                    f"{BEGIN_MARKER} line; indent the markers like the code they enclose."
                )
            chunks[-1][1].append(line)
    if indent is not None:
        raise LessonError(f"{where}: {BEGIN_MARKER} is never closed by {END_MARKER}.")
    return [c for c in chunks if c[0] is not None or c[1]]


def _student_lines(indent: str, body: list[str], where: str) -> list[str]:
    """The placeholder lines for one answer region (see the module docstring)."""
    scaffold = [
        line[: len(line) - len(line.lstrip())] + line.strip()[len(STUDENT_PREFIX) :].strip()
        for line in body
        if line.strip().startswith(STUDENT_PREFIX)
    ]
    if scaffold:
        return scaffold
    code = "\n".join(line[len(indent) :] for line in body)
    try:
        tree = ast.parse(code)
    except SyntaxError as err:
        raise LessonError(
            f"{where}: the answer region is not complete Python statements "
            f"({err.msg}, line {err.lineno} of the region). Put the markers around whole "
            f"statements, or write the student version with {STUDENT_PREFIX} lines."
        ) from None
    out: dict[str, str] = {}  # what is assigned -> its placeholder line, first one wins
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            key = " = ".join(_target_text(code, t, where) for t in stmt.targets)
            line = f"{key} = {_ellipsis_for(stmt.targets[-1])}"
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            key = _target_text(code, stmt.target, where)
            line = f"{key}: {_source(code, stmt.annotation)} = ..."
        elif isinstance(stmt, ast.Return) and stmt.value is not None:
            key = line = "return ..."
        else:
            continue
        out.setdefault(key, f"{indent}{line}  {CODE_PLACEHOLDER}")
    return list(out.values())


def _source(code: str, node: ast.expr) -> str:
    """The node as the author wrote it (quotes and all), or normalised if on several lines."""
    text = ast.get_source_segment(code, node)
    return text if text and "\n" not in text else ast.unparse(node)


def _target_text(code: str, target: ast.expr, where: str) -> str:
    if isinstance(target, ast.Tuple | ast.List):
        if any(isinstance(e, ast.Starred) for e in target.elts):
            raise LessonError(
                f"{where}: cannot make a placeholder for a starred assignment "
                f"({ast.unparse(target)} = ...); write one with a {STUDENT_PREFIX} line."
            )
        names = ", ".join(_source(code, e) for e in target.elts)
        return names if isinstance(target, ast.Tuple) else f"[{names}]"
    return _source(code, target)


def _ellipsis_for(target: ast.expr) -> str:
    if isinstance(target, ast.Tuple | ast.List):
        return ", ".join("..." for _ in target.elts)
    return "..."


def _compiles(source: str) -> bool:
    """Whether a cell is valid (IPython) code."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)
    except ImportError:  # pragma: no cover - IPython is always there with ipykernel
        pass
    try:
        compile(source, "<cell>", "exec", flags=ast.PyCF_ONLY_AST)
    except SyntaxError:
        return False
    return True


def answer_lines(source: str, *, where: str = "cell") -> list[str]:
    """The lines inside the answer regions of a code cell (what students must not see).

    >>> answer_lines("a = 1\\n# BEGIN SOLUTION\\nb = a + 1\\n# END SOLUTION")
    ['b = a + 1']
    """
    return [
        line
        for indent, body in _split_regions(source, where)
        if indent is not None
        for line in body
    ]


def solution_code(source: str, *, where: str = "cell") -> str:
    """The solutions version of a code cell: the answers, without marker or scaffold lines.

    >>> print(solution_code("# BEGIN SOLUTION\\nx = 1\\n# STUDENT: x = 0\\n# END SOLUTION"))
    x = 1
    """
    lines: list[str] = []
    for indent, body in _split_regions(source, where):
        if indent is None:
            lines.extend(body)
        else:
            lines.extend(line for line in body if not line.strip().startswith(STUDENT_PREFIX))
    return "\n".join(lines)


def student_code(source: str, *, whole: bool = False, where: str = "cell") -> str:
    """The student version of a code cell: each answer region replaced by its placeholder.

    ``whole=True`` treats the entire cell as one answer (a cell tagged ``solution``).
    Lines that are exactly ``# NBVAL_CHECK_OUTPUT`` are removed (no outputs to compare).
    Raises ``LessonError`` if the result would not be valid Python.

    >>> print(student_code("def f(x):\\n    # BEGIN SOLUTION\\n    y = 2 * x\\n"
    ...                    "    return y\\n    # END SOLUTION"))
    def f(x):
        y = ...  # your code here
        return ...  # your code here
    """
    if whole:
        if any(_BEGIN.match(line) or _END.match(line) for line in source.split("\n")):
            raise LessonError(
                f"{where}: a cell tagged {SOLUTION_TAG!r} is one answer as a whole; "
                "remove its BEGIN/END SOLUTION markers (or the tag)."
            )
        chunks: list[tuple[str | None, list[str]]] = [("", source.split("\n"))]
    else:
        chunks = _split_regions(source, where)
    if not any(indent is not None for indent, _ in chunks):
        return _strip_check_marker(source)

    def render(empty: str) -> str:
        lines: list[str] = []
        for indent, body in chunks:
            if indent is None:
                lines.extend(body)
            else:
                lines.extend(_student_lines(indent, body, where) or [f"{indent}{empty}"])
        return _strip_check_marker("\n".join(lines))

    result = render(CODE_PLACEHOLDER)
    if not _compiles(result):
        result = render(f"pass  {CODE_PLACEHOLDER}")
    if not _compiles(result):
        if not _compiles(solution_code(source, where=where)):
            raise LessonError(f"{where}: the solution itself is not valid Python.")
        raise LessonError(
            f"{where}: the student version would not be valid Python:\n{result}\n"
            f"Write the placeholder yourself with {STUDENT_PREFIX} lines."
        )
    return result


def _strip_check_marker(source: str) -> str:
    lines = source.split("\n")
    return "\n".join(line for line in lines if line.strip() != CHECK_OUTPUT_MARKER)


# --------------------------------------------------------------------------- notebooks


def read_lesson(path: Path) -> NotebookNode:
    """Read a lesson source (jupytext percent format) into an unexecuted notebook."""
    import jupytext

    return jupytext.reads(Path(path).read_text(encoding="utf-8"), fmt="py:percent")


_BULLET = re.compile(r"^(\s*)([-*+])\s+\S")


def stray_bullets(markdown: str) -> list[str]:
    """Lines of ``markdown`` that render as an unintended list item.

    Wrapped prose whose next line happens to start with ``-`` (a dash used as punctuation)
    becomes a list item in Markdown. A bullet line is fine when it starts a block (a blank
    line before it), follows a line ending with ``:`` (also how a nested list is
    introduced), or continues a list with the same marker and indent; anything else is
    reported.

    >>> stray_bullets("the bottom of the curve\\n- and every strategy costs more.")
    ['- and every strategy costs more.']
    >>> stray_bullets("Three things:\\n- one\\n- two\\n  wrapped\\n- three")
    []
    """
    lines = markdown.splitlines()
    found = []
    for i, line in enumerate(lines):
        match = _BULLET.match(line)
        if not match or i == 0 or not lines[i - 1].strip():
            continue
        if lines[i - 1].rstrip().endswith(":"):
            continue
        indent, marker = match.groups()
        j = i - 1
        same_list = False
        while j >= 0 and lines[j].strip():
            earlier = _BULLET.match(lines[j])
            if earlier and earlier.groups() == (indent, marker):
                same_list = True
                break
            j -= 1
        if not same_list:
            found.append(line)
    return found


def badges_markdown(notebook_path: str) -> str:
    """Markdown with the Colab and Binder badges for the notebook at ``notebook_path``.

    ``notebook_path`` is relative to the repository root, e.g.
    ``"notebooks/00_start_here.ipynb"``.
    """
    colab = config.colab_url(notebook_path)
    binder = config.binder_url(notebook_path)
    return (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab})\n"
        f"[![Launch Binder](https://mybinder.org/badge_logo.svg)]({binder})"
    )


def setup_code() -> str:
    """The setup cell: installs ``course_utils`` from GitHub on Colab (nothing to install
    elsewhere), then applies the course's figure style (:func:`course_utils.figures.use`)."""
    return (
        "# Setup: on Google Colab, install the course's helper package (course_utils) from\n"
        "# GitHub - it takes a moment. Anywhere else it is already installed: nothing happens.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        "    import subprocess\n"
        "\n"
        f'    requirement = "{config.pip_requirement()}"\n'
        "    # Bounds that keep every library Colab ships at its version (config.COLAB_PINS).\n"
        f"    pins = {json.dumps(list(config.COLAB_PINS))}\n"
        "    subprocess.run(\n"
        '        [sys.executable, "-m", "pip", "install", "--quiet", requirement, *pins],'
        " check=True\n"
        "    )\n"
        "\n"
        "from course_utils import figures\n"
        "\n"
        "figures.use()  # one figure style for the course: sizes, sharp images, readable fonts"
    )


def is_lint_directive(cell: NotebookNode) -> bool:
    """Whether a cell only holds ``# ruff: ...`` lines (for the linter, not the notebooks)."""
    lines = [line.strip() for line in cell.source.split("\n") if line.strip()]
    return (
        cell.cell_type == "code"
        and bool(lines)
        and all(line.startswith(LINT_DIRECTIVE) for line in lines)
    )


def _cell_id(cell_type: str, source: str, seen: set[str]) -> str:
    digest = hashlib.sha1(f"{cell_type}\n{source}".encode()).hexdigest()[:8]
    cell_id, n = digest, 1
    while cell_id in seen:
        n += 1
        cell_id = f"{digest}-{n}"
    seen.add(cell_id)
    return cell_id


def make_notebooks(lesson: Lesson) -> tuple[NotebookNode, NotebookNode]:
    """The student and solutions notebooks of a lesson, both unexecuted.

    Returns ``(student, solution)`` as ``nbformat.NotebookNode``; raises ``LessonError``
    with the file and cell when the source breaks the convention.
    """
    import nbformat

    source = read_lesson(lesson.source)
    # Paths in the repository, where the badges point (whatever notebooks_dir is locally).
    student_rel = f"notebooks/{lesson.filename}"
    solution_rel = f"notebooks/{SOLUTIONS_SUBDIR}/{lesson.filename}"
    books = {}
    for kind, rel in (("student", student_rel), ("solution", solution_rel)):
        nb = nbformat.v4.new_notebook(metadata=_notebook_metadata())
        nb.nbformat, nb.nbformat_minor = 4, 5
        nb.cells.append(nbformat.v4.new_markdown_cell(badges_markdown(rel), id=BADGES_CELL_ID))
        books[kind] = nb

    seen: set[str] = set()
    setup_added = False
    for index, cell in enumerate(source.cells, start=1):
        if is_lint_directive(cell):
            continue
        where = f"{lesson.source.name}, cell {index}"
        tags = list(cell.metadata.get("tags", []))
        metadata = {k: copy.deepcopy(v) for k, v in cell.metadata.items() if k != "tags"}
        is_solution = SOLUTION_TAG in tags
        cell_id = _cell_id(cell.cell_type, cell.source, seen)
        student_tags = [t for t in tags if t != SOLUTION_TAG]
        if not setup_added and cell.cell_type == "code":  # the lesson starts with code
            for nb in books.values():
                nb.cells.append(nbformat.v4.new_code_cell(setup_code(), id=SETUP_CELL_ID))
            setup_added = True
        if cell.cell_type == "code":
            solution_src = solution_code(cell.source, where=where)
            student_src = student_code(cell.source, whole=is_solution, where=where)
            new = nbformat.v4.new_code_cell
        elif cell.cell_type == "markdown":
            solution_src = glossary_links(cell.source, depth=2)
            student_src = MARKDOWN_PLACEHOLDER if is_solution else glossary_links(cell.source)
            new = nbformat.v4.new_markdown_cell
        else:
            solution_src = student_src = cell.source
            new = nbformat.v4.new_raw_cell
        for kind, src, cell_tags in (
            ("student", student_src, student_tags),
            ("solution", solution_src, tags),
        ):
            meta = copy.deepcopy(metadata)
            if cell_tags:
                meta["tags"] = cell_tags
            if HIDDEN_TAG in tags and cell.cell_type == "code":
                meta["jupyter"] = {**meta.get("jupyter", {}), "source_hidden": True}
            books[kind].cells.append(new(src, id=cell_id, metadata=meta))
        if not setup_added:  # right after the title cell, before any prose refers to code
            for nb in books.values():
                nb.cells.append(nbformat.v4.new_code_cell(setup_code(), id=SETUP_CELL_ID))
            setup_added = True
    return books["student"], books["solution"]


def glossary_links(markdown: str, *, depth: int = 1) -> str:
    """Turn ``[term](glossary:anchor)`` links into relative links to ``docs/glossary.md``.

    ``depth`` is how many folders the notebook sits below the repository root (1 for
    ``notebooks/``, 2 for ``notebooks/solutions/``).

    >>> glossary_links("An [estimator](glossary:estimator) learns.")
    'An [estimator](../docs/glossary.md#estimator) learns.'
    >>> glossary_links("[ROC AUC](glossary:roc-auc)", depth=2)
    '[ROC AUC](../../docs/glossary.md#roc-auc)'
    """
    up = "../" * depth
    return _GLOSSARY_LINK.sub(lambda m: f"]({up}docs/glossary.md#{m['anchor']})", markdown)


def glossary_anchors(markdown: str) -> list[str]:
    """The anchors of the ``glossary:`` links in a lesson's markdown, in order.

    >>> glossary_anchors("[a](glossary:x) and [b](glossary:y-z)")
    ['x', 'y-z']
    """
    return [m["anchor"] for m in _GLOSSARY_LINK.finditer(markdown)]


def _notebook_metadata() -> dict:
    return {"kernelspec": dict(KERNELSPEC), "language_info": copy.deepcopy(LANGUAGE_INFO)}


def _scratch_dir(lesson: Lesson) -> Path:
    """A throw-away folder for the kernel's files (progress, IPython profile) during a build.

    Fixed per notebook (not random) so that a notebook printing the path is reproducible.
    """
    return Path(tempfile.gettempdir()) / "apple-or-banana-build" / lesson.source.stem


def execution_env(scratch: Path) -> dict[str, str]:
    """Environment for the kernel that executes a solutions notebook.

    The same everywhere as far as possible: no hosting variables (the doctor says
    "local"), a fixed hash seed, the inline matplotlib backend with matplotlib's default
    settings (not the user's ``matplotlibrc``), an empty IPython profile (no personal
    start-up scripts), a throw-away progress file and work folder - all under ``scratch``
    (so each notebook starts from the checkpoints, never from another run's files).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(_HOST_ENV_PREFIXES)}
    env.update(
        {
            "PYTHONHASHSEED": "0",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "SOURCE_DATE_EPOCH": "0",
            "IPYTHONDIR": str(scratch / "ipython"),
            "COURSE_PROGRESS_FILE": str(scratch / "progress.json"),
            "COURSE_WORK_DIR": str(scratch / "work"),
            # One OpenMP thread per process: joblib's n_jobs gives the parallelism, and a
            # busy machine does not slow down tenfold from oversubscribed threads.
            "OMP_NUM_THREADS": "1",
        }
    )
    default_rc = _matplotlib_default_rc()
    if default_rc is not None:
        env["MATPLOTLIBRC"] = str(default_rc)
    return env


def _matplotlib_default_rc() -> Path | None:
    """matplotlib's own ``matplotlibrc`` (found without importing matplotlib)."""
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        rc = Path(folder) / "mpl-data" / "matplotlibrc"
        if rc.is_file():
            return rc
    return None


def execute(nb: NotebookNode, cwd: Path, scratch: Path) -> NotebookNode:
    """Execute a notebook with nbclient in ``cwd``, with the current Python environment.

    ``scratch`` is an empty folder for the kernel's throw-away files (see ``execution_env``).
    """
    import ipykernel.kernelspec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from traitlets import default

    class CurrentEnvSpecs(KernelSpecManager):
        """``python3`` means the interpreter running the build, whatever else is installed."""

        def get_kernel_spec(self, kernel_name: str):
            if kernel_name == KERNELSPEC["name"]:
                return self.kernel_spec_class(
                    resource_dir=ipykernel.kernelspec.RESOURCES,
                    **ipykernel.kernelspec.get_kernel_dict(),
                )
            return super().get_kernel_spec(kernel_name)

    class CurrentEnvKernelManager(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self) -> KernelSpecManager:
            return CurrentEnvSpecs(data_dir=self.data_dir)

    kernel_kwargs = {}
    if AsyncKernelManager.class_traits().get("transport_encryption") is not None:
        import zmq

        if zmq.has("curve"):  # newer jupyter_client: encrypt, and the kernel stops warning
            kernel_kwargs["transport_encryption"] = "auto"

    client = NotebookClient(
        nb,
        kernel_name=KERNELSPEC["name"],
        kernel_manager_class=CurrentEnvKernelManager,
        timeout=CELL_TIMEOUT,
        record_timing=False,
        store_widget_state=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    return client.execute(env=execution_env(scratch), **kernel_kwargs)


def normalize(nb: NotebookNode, *, executed: bool) -> NotebookNode:
    """Make a notebook reproducible: fixed metadata, no timings, no volatile outputs.

    The student version (``executed=False``) also loses all outputs and execution counts.
    """
    nb.metadata = _notebook_metadata()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        if not executed:
            cell.outputs = []
            cell.execution_count = None
            continue
        if VOLATILE_TAG in cell.metadata.get("tags", []):
            # Timings and the like differ at every run: the stored notebook shows none,
            # so that a rebuild gives the same file (the learner sees them when running).
            cell.outputs = []
            continue
        outputs = []
        for out in cell.outputs:
            if "data" in out:
                for mime in _VOLATILE_MIMETYPES:
                    out.data.pop(mime, None)
                if not out.data:
                    continue
                for mime, value in out.data.items():
                    if isinstance(value, str):
                        out.data[mime] = _ADDRESS.sub(r"\1...", value)
            if out.output_type == "stream":
                out.text = _ADDRESS.sub(r"\1...", out.text)
            if out.output_type == "stream" and out.name == "stderr":
                text = out.text
                for noise in _STDERR_NOISE:
                    text = noise.sub("", text)
                if not text:
                    continue
                out.text = text
            previous = outputs[-1] if outputs else None
            if (
                out.output_type == "stream"
                and previous is not None
                and previous.output_type == "stream"
                and previous.name == out.name
            ):
                # A busy kernel may split one print into several messages: merge them, so
                # the stored notebook does not depend on the machine's load.
                previous.text += out.text
                continue
            outputs.append(out)
        cell.outputs = outputs
    return nb


def notebook_text(nb: NotebookNode) -> str:
    """The exact file contents for a notebook (validated, trailing newline)."""
    import nbformat

    nbformat.validate(nb)
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def _write_if_changed(path: Path, text: str) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def build_lesson(lesson: Lesson, *, log: Callable[[str], object] = print) -> None:
    """Write both notebooks of a lesson; the solutions one executed with its outputs."""
    student, solution = make_notebooks(lesson)
    student_text = notebook_text(normalize(student, executed=False))
    changed = _write_if_changed(lesson.student_path, student_text)
    scratch = _scratch_dir(lesson)
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    lesson.solution_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        execute(solution, lesson.solution_path.parent, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            scratch.parent.rmdir()  # only if no other build is using it
        except OSError:
            pass
    seconds = time.perf_counter() - start
    normalize(solution, executed=True)
    for i, cell in enumerate(solution.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and out.name == "stderr":
                first = out.text.strip().splitlines()[0][:90]
                log(f"  note: {lesson.filename} cell {i} writes to stderr: {first}")
    changed |= _write_if_changed(lesson.solution_path, notebook_text(solution))
    state = "updated" if changed else "unchanged"
    log(f"{lesson.filename}: {state} (solutions executed in {seconds:.1f} s)")


# --------------------------------------------------------------------------- sync check


def _signature(nb: NotebookNode) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in nb.cells]


def compare_notebooks(expected: NotebookNode, actual: NotebookNode, label: str) -> list[str]:
    """Differences in cell types, sources and tags between two notebooks (outputs ignored)."""
    want, have = _signature(expected), _signature(actual)
    if len(want) != len(have):
        return [f"{label}: {len(have)} cells on disk, the source gives {len(want)}"]
    problems = []
    for i, (w, h) in enumerate(zip(want, have, strict=True)):
        parts = [
            part for part, a, b in zip(("type", "source", "tags"), w, h, strict=True) if a != b
        ]
        if parts:
            problems.append(f"{label}: cell {i} {' and '.join(parts)} differ(s) from the source")
    if len(problems) > 5:
        problems[5:] = [f"{label}: ... and {len(problems) - 5} more cells"]
    return problems


def check(lessons: Sequence[Lesson]) -> list[str]:
    """Everything out of date between lesson sources and notebooks on disk (no execution)."""
    import nbformat

    problems: list[str] = []
    for lesson in lessons:
        try:
            student, solution = make_notebooks(lesson)
        except LessonError as err:
            problems.append(str(err))
            continue
        for nb, path in ((student, lesson.student_path), (solution, lesson.solution_path)):
            label = str(path.relative_to(lesson.notebooks_dir.parent))
            if not path.exists():
                problems.append(f"{label}: missing")
                continue
            on_disk = nbformat.read(path, as_version=4)
            problems += compare_notebooks(nb, on_disk, label)
            if nb is solution and not any(
                c.get("execution_count") for c in on_disk.cells if c.cell_type == "code"
            ):
                problems.append(f"{label}: not executed")
    if lessons:
        notebooks_dir = lessons[0].notebooks_dir
        everything = find_lessons(lessons_dir=lessons[0].source.parent, notebooks_dir=notebooks_dir)
        known = {lesson.filename for lesson in everything}
        for folder in (notebooks_dir, notebooks_dir / SOLUTIONS_SUBDIR):
            for path in sorted(folder.glob("[0-9][0-9]*_*.ipynb")):
                if path.name not in known:
                    problems.append(f"{path}: no lesson source lessons/{path.stem}.py")
    return problems


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m course_utils.lessons build|check [NN ...]``; returns the exit code.

    ``estimate [--write]`` is handed to :func:`course_utils.estimate.main`.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["estimate"]:
        from course_utils.estimate import main as estimate_main

        return estimate_main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.lessons",
        description="Build the student and solutions notebooks from the lesson sources.",
    )
    parser.add_argument("command", choices=["build", "check", "estimate"])
    parser.add_argument("lessons", nargs="*", help="lesson numbers or names (default: all)")
    args = parser.parse_args(argv)
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    try:
        lessons = find_lessons(args.lessons)
        if not lessons:
            print(f"No lesson sources (NN_name.py) in {LESSONS_DIR}.", file=sys.stderr)
            return 1
        if args.command == "check":
            problems = check(lessons)
            for problem in problems:
                print(problem, file=sys.stderr)
            if problems:
                print("The notebooks are out of date: run `make notebooks`.", file=sys.stderr)
                return 1
            print(f"{len(lessons)} lesson(s): notebooks in sync with their sources.")
            return 0
    except LessonError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    failed = []
    for lesson in lessons:  # a broken lesson does not stop the others from building
        try:
            build_lesson(lesson)
        except LessonError as err:
            failed.append(lesson.source.name)
            print(f"error: {err}", file=sys.stderr)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
            failed.append(lesson.source.name)
            print(f"error: {lesson.source.name} failed while executing:\n{err}", file=sys.stderr)
    if failed:
        print(f"Not built: {', '.join(failed)} (see the errors above).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
