"""The progress map: which exercises of each notebook you have passed, as a table,
text, HTML or a widget. It joins the exercise catalogue with the passes stored by
:mod:`course_utils.progress`.

>>> import os, tempfile
>>> saved = os.environ.get(progress.ENV_VAR)
>>> os.environ[progress.ENV_VAR] = os.path.join(tempfile.mkdtemp(), "progress.json")
>>> progress.record("00", "q1")
True
>>> "[#---]" in format_progress().splitlines()[1]
True
>>> progress.reset()
>>> _ = os.environ.pop(progress.ENV_VAR) if saved is None else os.environ.update(
...     {progress.ENV_VAR: saved})
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd

from course_utils import paths, progress
from course_utils.exercises.catalogue import all_exercises, catalogue
from course_utils.exercises.feedback import MISTAKES

__all__ = [
    "format_history",
    "format_progress",
    "mistake_history",
    "progress_html",
    "progress_table",
    "progress_widget",
]


def mistake_history() -> pd.DataFrame:
    """Your mistakes so far, one row per exercise and tag: ``notebook``, ``exercise``,
    ``mistake``, ``times``, ``meaning`` and ``passed`` (whether you passed it since).

    Example: ``mistake_history()`` ->

        notebook exercise               mistake  times                      meaning  passed
      0       00       q1  percent_not_fraction      2  a percentage (25) instead ...    True
    """
    all_exercises()  # the notebooks' modules add their own tags to MISTAKES
    passed = progress.load()
    rows = []
    for nb, names in progress.load_attempts().items():
        for name, entry in names.items():
            for tag, times in sorted(entry["mistakes"].items(), key=lambda kv: (-kv[1], kv[0])):
                rows.append(
                    {
                        "notebook": nb,
                        "exercise": name,
                        "mistake": tag,
                        "times": times,
                        "meaning": MISTAKES.get(tag, ""),
                        "passed": name in passed.get(nb, {}),
                    }
                )
    columns = ["notebook", "exercise", "mistake", "times", "meaning", "passed"]
    return pd.DataFrame(rows, columns=columns).astype({"times": "int64", "passed": bool})


def format_history() -> str:
    """Your mistakes so far as plain text (empty if there are none).

    Example output::

        Mistakes you met on the way (and whether you passed since):
          00 q1  percent_not_fraction x2: a percentage (25) instead of a fraction (0.25)  ✔ passed
    """
    table = mistake_history()
    if table.empty:
        return ""
    lines = ["Mistakes you met on the way (and whether you passed since):"]
    for r in table.itertuples():
        done = "  ✔ passed" if r.passed else "  (not passed yet)"
        meaning = f": {r.meaning}" if r.meaning else ""
        lines.append(f"  {r.notebook} {r.exercise}  {r.mistake} x{r.times}{meaning}{done}")
    return "\n".join(lines)


def progress_table() -> pd.DataFrame:
    """One row per notebook with exercises: ``notebook``, ``stage``, ``done``, ``total``
    and ``done_names`` (a list), totals from the exercise catalogue.

    Example: ``progress_table()`` ->

        notebook       stage  done  total done_names
      0       00  start here     2      3   [q1, q2]
    """
    passed = progress.load()
    notebooks: dict[str, list[str]] = {}
    for notebook, name, _title in catalogue():
        notebooks.setdefault(notebook, []).append(name)
    rows = []
    for notebook in sorted(notebooks):
        names = notebooks[notebook]
        done = [n for n in names if n in passed.get(notebook, {})]
        rows.append(
            {
                "notebook": notebook,
                "stage": progress.NOTEBOOK_STAGES.get(notebook, ""),
                "done": len(done),
                "total": len(names),
                "done_names": done,
            }
        )
    columns = ["notebook", "stage", "done", "total", "done_names"]
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({"done": "int64", "total": "int64"})


def _bar(done: int, total: int, width: int = 10) -> str:
    """A text bar: one mark per exercise (scaled down if there are more than ``width``)."""
    if total <= 0:
        return "[]"
    if total <= width:
        return "[" + "#" * done + "-" * (total - done) + "]"
    filled = round(width * done / total)
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def format_progress() -> str:
    """The progress map as plain text, one line per notebook with a text bar.

    Example output::

        Your progress (exercises passed):
          00  start here        [##-]  2/3
        Total: 2/3 exercises.
    """
    table = progress_table()
    if table.empty:
        return "No exercises found."
    lines = ["Your progress (exercises passed):"]
    bars = [_bar(int(r.done), int(r.total)) for r in table.itertuples()]
    bar_width = max(len(b) for b in bars)
    for row, bar in zip(table.itertuples(), bars, strict=True):
        line = f"  {row.notebook}  {row.stage:<16.16}  {bar:<{bar_width}}  {row.done}/{row.total}"
        if row.total and row.done == row.total:
            line += "  ✔ complete"
        lines.append(line)
    done, total = int(table["done"].sum()), int(table["total"].sum())
    lines.append(f"Total: {done}/{total} exercises.")
    if progress.has_unsaved():
        lines.append("(Progress of this session could not be saved to a file.)")
    elif paths.on_colab():  # the file goes with the runtime: say where it is and how to keep it
        lines.append(f"Saved in {progress.progress_path().parent}. {paths.keep_hint()}")
    history = format_history()
    if history:
        lines += ["", history]
    return "\n".join(lines)


def progress_html() -> str:
    """The progress map as an HTML table: bars *and* the same numbers as text."""
    table = progress_table()
    if table.empty:
        return "<p>No exercises found.</p>"
    rows = []
    for r in table.itertuples():
        pct = 100 * r.done / r.total if r.total else 0
        status = "✔ complete" if r.total and r.done == r.total else f"{r.done}/{r.total}"
        rows.append(
            "<tr>"
            f"<td style='padding:2px 8px'><b>{escape(r.notebook)}</b></td>"
            f"<td style='padding:2px 8px'>{escape(r.stage)}</td>"
            "<td style='padding:2px 8px'>"
            f"<div role='img' aria-label='{r.done} of {r.total} exercises passed' "
            "style='width:120px;height:10px;border:1px solid #888;display:inline-block'>"
            f"<div style='width:{pct:.0f}%;height:100%;background:#0072B2'></div></div>"
            f" <code>{escape(_bar(r.done, r.total))}</code></td>"
            f"<td style='padding:2px 8px'>{escape(status)}</td>"
            f"<td style='padding:2px 8px'>{escape(', '.join(r.done_names))}</td>"
            "</tr>"
        )
    done, total = int(table["done"].sum()), int(table["total"].sum())
    return (
        "<table><thead><tr><th>notebook</th><th>stage</th><th>progress</th>"
        "<th>done</th><th>passed</th></tr></thead><tbody>"
        + "".join(rows)
        + f"</tbody></table><p>Total: {done}/{total} exercises passed.</p>"
        + _history_html()
    )


def _history_html() -> str:
    """Your mistakes so far as an HTML table ("" if there are none)."""
    table = mistake_history()
    if table.empty:
        return ""
    rows = "".join(
        "<tr>"
        f"<td style='padding:2px 8px'>{escape(r.notebook)} {escape(r.exercise)}</td>"
        f"<td style='padding:2px 8px'><code>{escape(r.mistake)}</code> x{r.times}</td>"
        f"<td style='padding:2px 8px'>{escape(r.meaning)}</td>"
        f"<td style='padding:2px 8px'>{'✔ passed since' if r.passed else 'not passed yet'}</td>"
        "</tr>"
        for r in table.itertuples()
    )
    return (
        "<details><summary>Mistakes you met on the way</summary><table><thead><tr>"
        "<th>exercise</th><th>mistake</th><th>what it means</th><th>since</th>"
        f"</tr></thead><tbody>{rows}</tbody></table></details>"
    )


def progress_widget() -> Any:
    """A widget with the progress map and a Refresh button (ipywidgets 7.7 and 8).

    Example: ``display(progress_widget())`` in a notebook; the button re-reads the file.
    """
    import ipywidgets as widgets

    view = widgets.HTML(value=progress_html())
    button = widgets.Button(description="Refresh", tooltip="Read the progress file again")

    def refresh(_: Any = None) -> None:
        view.value = progress_html()

    button.on_click(refresh)
    return widgets.VBox([view, button])
