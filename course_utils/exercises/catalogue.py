"""Every exercise of the course, found in the notebook modules ``nbNN`` of this package.

>>> ("00", "q1") in [(nb, name) for nb, name, _ in catalogue()]
True
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import warnings

from course_utils.exercises.core import Exercise

__all__ = ["all_exercises", "catalogue"]

_PACKAGE = "course_utils.exercises"
_NB_MODULE = re.compile(r"^nb(\d\d)$")


def _notebook_modules() -> list[str]:
    package = importlib.import_module(_PACKAGE)
    return sorted(
        m.name for m in pkgutil.iter_modules(package.__path__) if _NB_MODULE.match(m.name)
    )


def all_exercises() -> list[Exercise]:
    """Every exercise of every notebook module ``nbNN`` in this package, in order.

    A module that fails to import is skipped with a warning (the progress map still works).

    >>> [e.name for e in all_exercises() if e.notebook == "00"]
    ['q1', 'q2', 'q3', 'wrapup']
    """
    found: list[Exercise] = []
    for mod_name in _notebook_modules():
        try:
            module = importlib.import_module(f"{_PACKAGE}.{mod_name}")
        except Exception as exc:
            warnings.warn(
                f"Could not load the exercises of {mod_name}: {exc}", RuntimeWarning, stacklevel=2
            )
            continue
        names = getattr(module, "__all__", None) or sorted(vars(module))
        for attr in names:
            obj = getattr(module, attr, None)
            if isinstance(obj, Exercise):
                found.append(obj)
    return found


def catalogue() -> list[tuple[str, str, str]]:
    """``(notebook, name, title)`` of every exercise, e.g. ``("00", "q1", "...")``.

    >>> ("00", "q1") in [(nb, name) for nb, name, _ in catalogue()]
    True
    """
    return [(e.notebook, e.name, e.title) for e in all_exercises()]
