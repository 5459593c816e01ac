"""Your progress through the course: which exercises you have passed, in a small JSON file.

Every passing ``qN.check(...)`` calls :func:`record`. This module only stores passes; the
progress map, which needs the exercise catalogue, is :mod:`course_utils.exercises.progress_map`
(imports run one way: exercises -> progress). The file lives at the path in the environment
variable ``COURSE_PROGRESS_FILE`` if set, else at
``~/.apple-or-banana/progress.json`` - on Colab, in ``/content/apple-or-banana-progress/``. Writes are atomic (a temporary file, then
``os.replace``), a damaged file is reported and treated as empty, and an unwritable
location never breaks the course: progress is then kept for the session and a warning
says so once.

>>> import os, tempfile
>>> saved = os.environ.get(ENV_VAR)
>>> os.environ[ENV_VAR] = os.path.join(tempfile.mkdtemp(), "progress.json")
>>> record("00", "q1")
True
>>> sorted(load()["00"])
['q1']
>>> reset()
>>> load()
{}
>>> _ = os.environ.pop(ENV_VAR) if saved is None else os.environ.update({ENV_VAR: saved})
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import paths

__all__ = [
    "ENV_VAR",
    "ProgressWarning",
    "has_unsaved",
    "load",
    "progress_path",
    "record",
    "reset",
]

ENV_VAR = "COURSE_PROGRESS_FILE"
_FORMAT_VERSION = 1

#: The lifecycle stage of each notebook (the course map of COURSE.md).
NOTEBOOK_STAGES = {
    "00": "start here",
    "01": "define success",
    "02": "collect data",
    "03": "prepare data",
    "04": "train",
    "05": "tune",
    "06": "test on new data",
    "07": "deploy",
    "08": "monitor",
    "09": "retrain",
    "10": "the whole cycle",
}


class ProgressWarning(UserWarning):
    """Progress could not be read or saved; the course itself works on."""


# Passes that could not be saved (unwritable location): kept for this session.
_UNSAVED: dict[str, dict[str, str]] = {}
# Warnings already given this session (each is said once).
_WARNED: set[str] = set()


def _reset_session() -> None:
    """Forget unsaved passes and given warnings (for tests)."""
    _UNSAVED.clear()
    _WARNED.clear()


def _warn_once(key: str, message: str) -> None:
    if key in _WARNED:
        return
    _WARNED.add(key)
    warnings.warn(message, ProgressWarning, stacklevel=3)


def progress_path() -> Path:
    """Where progress is saved: ``$COURSE_PROGRESS_FILE``, else ``paths.progress_file()``.

    That is ``~/.apple-or-banana/progress.json``, or on Colab
    ``/content/apple-or-banana-progress/progress.json`` (visible in its Files pane).

    >>> progress_path().name
    'progress.json'
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return paths.progress_file()


def _parse(raw: Any) -> dict[str, dict[str, str]] | None:
    """The passes in a loaded JSON document, or None if it does not look like ours."""
    if not isinstance(raw, dict) or not isinstance(raw.get("passed"), dict):
        return None
    passed: dict[str, dict[str, str]] = {}
    for notebook, names in raw["passed"].items():
        if isinstance(notebook, str) and isinstance(names, dict):
            passed[notebook] = {str(n): str(t) for n, t in names.items() if isinstance(n, str)}
    return passed


def _read(path: Path) -> tuple[dict[str, dict[str, str]], bool]:
    """The passes saved at ``path`` and whether the file is damaged."""
    try:
        if not path.is_file():
            return {}, False
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        _warn_once(
            f"unreadable:{path}",
            f"Could not read your progress file {path} ({exc.strerror or exc}); "
            "progress starts empty for now. The exercises work as usual.",
        )
        return {}, False
    try:
        passed = _parse(json.loads(text))
    except ValueError:
        passed = None
    if passed is None:
        _warn_once(
            f"corrupt:{path}",
            f"Your progress file {path} is damaged (not the JSON the course writes), so "
            "progress starts empty. The next passed exercise replaces it; a copy of the "
            f"damaged file is kept as {path.name}.damaged.",
        )
        return {}, True
    return passed, False


def _write(path: Path, passed: dict[str, dict[str, str]]) -> None:
    """Write atomically: a temporary file in the same folder, then ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"version": _FORMAT_VERSION, "passed": passed}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(document, fh, indent=2, sort_keys=True)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _merge(a: dict[str, dict[str, str]], b: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    out = {nb: dict(names) for nb, names in a.items()}
    for nb, names in b.items():
        for name, when in names.items():
            out.setdefault(nb, {}).setdefault(name, when)
    return out


def load() -> dict[str, dict[str, str]]:
    """The exercises passed: ``{notebook: {name: when (ISO time, UTC)}}``.

    A missing file gives ``{}``; a damaged one is reported once and treated as empty.
    Example: ``load().get("00", {})`` -> ``{"q1": "2026-01-05T10:31:02+00:00"}``.
    """
    passed, _ = _read(progress_path())
    return {
        nb: dict(sorted(names.items())) for nb, names in sorted(_merge(passed, _UNSAVED).items())
    }


def record(notebook: str, name: str) -> bool:
    """Save that exercise ``name`` of ``notebook`` was passed. True if saved to the file.

    Never raises for a file problem: an unwritable location is reported once per session
    and the pass is kept in memory for the session. Example: ``record("00", "q1")``.
    """
    notebook, name = str(notebook), str(name)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    path = progress_path()
    passed, damaged = _read(path)
    if name in passed.get(notebook, {}) and not _UNSAVED:
        return True  # already saved
    passed = _merge(passed, _UNSAVED)
    passed.setdefault(notebook, {}).setdefault(name, now)
    try:
        if damaged:
            shutil.copyfile(path, path.with_name(path.name + ".damaged"))
        _write(path, passed)
    except OSError as exc:
        _UNSAVED.setdefault(notebook, {}).setdefault(name, now)
        _warn_once(
            "unwritable",
            f"Could not save your progress to {path} ({exc.strerror or exc}). The course "
            "works as usual and remembers your progress for this session only. To keep it, "
            f"set the environment variable {ENV_VAR} to a file in a writable folder.",
        )
        return False
    _UNSAVED.clear()
    return True


def reset() -> None:
    """Forget all progress: delete the progress file (a fresh start).

    Example: ``reset()``, then ``load()`` gives ``{}``.
    """
    _UNSAVED.clear()
    path = progress_path()
    try:
        if path.exists() or path.is_symlink():
            path.unlink()
    except OSError as exc:
        _warn_once(
            f"reset:{path}",
            f"Could not delete your progress file {path} ({exc.strerror or exc}).",
        )


def has_unsaved() -> bool:
    """True when some passes of this session could not be saved to the file.

    >>> isinstance(has_unsaved(), bool)
    True
    """
    return bool(_UNSAVED)
