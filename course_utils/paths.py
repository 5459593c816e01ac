"""Where the course keeps its files."""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root when the package is installed in editable mode from a checkout.
REPO_ROOT = Path(__file__).resolve().parent.parent
#: The committed data sources.
DATA_DIR = REPO_ROOT / "data"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
LESSONS_DIR = REPO_ROOT / "lessons"


def work_dir() -> Path:
    """The folder where the lessons save what they make (contract, models, logs).

    ``$COURSE_WORK_DIR`` if set; else ``work/`` in the course checkout; else
    ``~/apple-or-banana-work`` (for an installed package, as on Colab). Created if missing.
    """
    env = os.environ.get("COURSE_WORK_DIR")
    if env:
        path = Path(env)
    elif (REPO_ROOT / "pyproject.toml").exists():
        path = REPO_ROOT / "work"
    else:
        path = Path.home() / "apple-or-banana-work"
    path.mkdir(parents=True, exist_ok=True)
    return path
