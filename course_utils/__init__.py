"""course_utils - the helper package of the course "Apple or Banana?".

It holds the simulated world and its data sources, exercise checks, widgets and the
production plumbing. The lessons themselves live in the notebooks.

Submodules are imported lazily so that ``import course_utils`` stays fast:

>>> import course_utils
>>> course_utils.world.DEFAULT_SEED
42
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBMODULES = {
    "world",
    "bounds",
    "sources",
    "drift",
    "paths",
    "exercises",
    "experiment",
    "misconceptions",
    "progress",
    "checkpoints",
    "widgets",
    "lessons",
    "doctor",
    "config",
    "contract",
    "bench",
    "monitoring",
    "registry",
    "schema",
    "service",
    "predlog",
    "features",
}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'course_utils' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_SUBMODULES))
