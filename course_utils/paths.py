"""Where the course keeps its files."""

from __future__ import annotations

from pathlib import Path

#: The repository root when the package is installed in editable mode from a checkout.
REPO_ROOT = Path(__file__).resolve().parent.parent
#: The committed data sources.
DATA_DIR = REPO_ROOT / "data"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
LESSONS_DIR = REPO_ROOT / "lessons"
