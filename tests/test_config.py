"""The publishing settings: the list of notebooks and the solutions' Colab badges."""

from __future__ import annotations

import json

from course_utils import config, paths


def test_the_notebook_list_is_the_course() -> None:
    on_disk = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]*_*.ipynb"))
    assert list(config.NOTEBOOKS) == on_disk
    solutions = sorted(p.stem for p in (paths.NOTEBOOKS_DIR / "solutions").glob("*.ipynb"))
    assert solutions == on_disk


def test_solutions_badges_link_every_solutions_notebook() -> None:
    lines = config.solutions_badges().splitlines()
    assert len(lines) == len(config.NOTEBOOKS)
    for line, name in zip(lines, config.NOTEBOOKS, strict=True):
        assert line.startswith(f"* {name[:2]} ")
        assert f"]({config.colab_url(f'notebooks/solutions/{name}.ipynb')})" in line
        assert "![Open In Colab](" in line


def test_notebook_00_shows_the_solutions_badges_instead_of_a_folder() -> None:
    nb = json.loads((paths.NOTEBOOKS_DIR / "solutions" / "00_start_here.ipynb").read_text())
    shown = [
        "".join(out["data"]["text/markdown"])
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
        for out in cell.get("outputs", [])
        if "text/markdown" in out.get("data", {})
    ]
    assert config.solutions_badges() in shown
