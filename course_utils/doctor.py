"""The environment doctor: is this Python ready for the course, and if not, what to do.

Each check gives a name, ``ok``, a detail and a one-line fix. ``report()`` turns them into
text - one line per check, starting with ✔ or ✘ (never colour alone) - and ``main()``
prints it for ``python -m course_utils doctor`` (exit status 1 if a check fails).

>>> from course_utils import doctor
>>> names = [c.name for c in doctor.checks()]
>>> names[0], "progress file" in names
('Python', True)
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from . import paths

#: Supported versions: (distribution, lowest supported, first unsupported or None).
SUPPORTED: tuple[tuple[str, str, str | None], ...] = (
    ("pandas", "2.2", None),
    ("scikit-learn", "1.6", None),
    ("matplotlib", "3.10", None),
    ("ipywidgets", "7.7", "9"),
    ("fastapi", "0.110", None),
    ("uvicorn", "0.29", None),
    ("skops", "0.11", None),
)
MIN_PYTHON = (3, 11)
#: Newest Python the course is tested on (newer ones pass, with a note).
TESTED_PYTHON = (3, 13)
PROGRESS_ENV = "COURSE_PROGRESS_FILE"

OK_MARK = "✔"
FAIL_MARK = "✘"

PLACES = {
    "colab": "Google Colab",
    "binder": "Binder",
    "hub": "a JupyterHub",
    "local": "your own computer (or a server without a hub)",
}


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report: ``ok`` or not, what was found, and how to fix it."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        """The check as text: a tick or a cross, the name, the detail (and the fix)."""
        text = f"{OK_MARK if self.ok else FAIL_MARK} {self.name}: {self.detail}"
        if not self.ok and self.fix:
            text += f"\n    fix: {self.fix}"
        return text


# --------------------------------------------------------------------------- helpers


def where() -> str:
    """Where this Python runs: ``"colab"``, ``"binder"``, ``"hub"`` or ``"local"``.

    Binder runs on a JupyterHub too, so it is recognised before "hub".
    """
    if paths.on_colab():
        return "colab"
    if os.environ.get("BINDER_SERVICE_HOST") or os.environ.get("BINDER_REQUEST"):
        return "binder"
    if os.environ.get("JUPYTERHUB_USER"):
        return "hub"
    return "local"


def parse_version(text: str) -> tuple[int, ...]:
    """The leading numbers of a version string: ``"2.2.3rc1"`` -> ``(2, 2, 3)``.

    >>> parse_version("1.6.0.dev0"), parse_version("8")
    ((1, 6, 0), (8,))
    """
    match = re.match(r"\d+(?:\.\d+)*", text.strip())
    if not match:
        raise ValueError(f"not a version number: {text!r}")
    return tuple(int(part) for part in match.group().split("."))


def _at_least(version: str, lowest: str) -> bool:
    have, want = parse_version(version), parse_version(lowest)
    width = max(len(have), len(want))
    return have + (0,) * (width - len(have)) >= want + (0,) * (width - len(want))


def installed_version(distribution: str) -> str | None:
    """The installed version of a distribution (``"scikit-learn"``), or ``None``."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def progress_file() -> Path:
    """Where progress is saved: ``$COURSE_PROGRESS_FILE``, else the default.

    The default is ``~/.apple-or-banana/progress.json`` - on Colab
    ``/content/apple-or-banana-progress/progress.json`` (``paths.progress_file()``).
    """
    configured = os.environ.get(PROGRESS_ENV, "").strip()
    return Path(configured).expanduser() if configured else paths.progress_file()


def _display_path(path: Path) -> str:
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- the checks


def check_python() -> Check:
    """Python 3.11 or newer."""
    version = ".".join(str(part) for part in sys.version_info[:3])
    if sys.version_info[:2] < MIN_PYTHON:
        return Check(
            "Python",
            False,
            f"{version} is too old; the course needs Python 3.11 or newer",
            "install Python 3.12 and recreate the environment: "
            "`make clean-venv && make PYTHON=python3.12 lab`",
        )
    note = " (newer than the tested 3.11-3.13)" if sys.version_info[:2] > TESTED_PYTHON else ""
    return Check("Python", True, f"{version}{note}")


def check_package(distribution: str, lowest: str, below: str | None = None) -> Check:
    """An installed package within the supported range ``[lowest, below)``."""
    wanted = f">={lowest}" + (f",<{below}" if below else "")
    spec = f"{distribution}{wanted}"
    version = installed_version(distribution)
    if version is None:
        return Check(distribution, False, "not installed", f"pip install '{spec}'")
    try:
        too_old = not _at_least(version, lowest)
        too_new = below is not None and _at_least(version, below)
    except ValueError:
        return Check(
            distribution, False, f"unreadable version {version!r}", f"pip install '{spec}'"
        )
    if too_old:
        return Check(
            distribution,
            False,
            f"{version} is too old (the course needs {wanted})",
            f"pip install --upgrade '{spec}'",
        )
    if too_new:
        return Check(
            distribution,
            False,
            f"{version} is newer than the course supports ({wanted})",
            f"pip install '{spec}'",
        )
    return Check(distribution, True, version)


def check_widget_frontend() -> Check:
    """The browser side of ipywidgets: without it sliders show as plain text."""
    name = "widget front end"
    if where() == "colab":
        return Check(name, True, "built into Google Colab")
    for module in ("jupyterlab_widgets", "widgetsnbextension"):
        if importlib.util.find_spec(module) is not None:
            version = installed_version(module.replace("_", "-")) or installed_version(module)
            return Check(name, True, f"{module} {version or ''}".strip())
    return Check(
        name,
        False,
        "neither jupyterlab_widgets nor widgetsnbextension is installed: widgets will show as text",
        "pip install jupyterlab_widgets, then reload the browser tab",
    )


def check_progress_file(path: Path | None = None) -> Check:
    """Whether the progress file can be written, tested for real and leaving nothing behind."""
    name = "progress file"
    path = progress_file() if path is None else Path(path)
    fix = (
        f"set {PROGRESS_ENV} to a file in a writable folder, "
        f"e.g. `export {PROGRESS_ENV}=/tmp/apple-or-banana-progress.json`"
    )
    shown = _display_path(path)
    if os.environ.get(PROGRESS_ENV, "").strip() and path == progress_file():
        shown += f" (set by {PROGRESS_ENV})"
    if path.is_dir():
        return Check(name, False, f"{shown} is a folder, not a file", fix)
    if path.exists():
        if os.access(path, os.W_OK):
            return Check(name, True, f"{shown}, writable")
        return Check(name, False, f"{shown} exists but cannot be written", fix)
    # The file does not exist yet: create its folder and a scratch file, then remove both.
    folder = path.parent
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    try:
        for new in reversed(missing):
            new.mkdir()
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-", delete=True):
            pass
    except OSError as err:
        reason = err.strerror or type(err).__name__
        return Check(name, False, f"cannot write in {_display_path(folder)} ({reason})", fix)
    finally:
        for new in missing:
            try:
                new.rmdir()
            except OSError:
                pass
    return Check(name, True, f"{shown}, can be created")


def check_place() -> Check:
    """Where the notebooks run (always ok; it tells which setup instructions apply)."""
    place = where()
    return Check("running on", True, f"{place} - {PLACES[place]}")


def checks() -> list[Check]:
    """All the checks, in the order of the report."""
    found = [check_python()]
    found += [check_package(*spec) for spec in SUPPORTED]
    found += [check_widget_frontend(), check_progress_file(), check_place()]
    return found


def report(results: list[Check] | None = None) -> str:
    """The checks as text, one line each (✔ / ✘ and words), with a summary line.

    >>> print(report([Check("Python", True, "3.12.1"), Check("x", False, "missing", "pip")]))
    ✔ Python: 3.12.1
    ✘ x: missing
        fix: pip
    1 check failed: follow the "fix" line above, then run this cell again.
    """
    results = checks() if results is None else results
    lines = [check.line() for check in results]
    failed = sum(not check.ok for check in results)
    if failed:
        plural = "check failed" if failed == 1 else "checks failed"
        where_fix = "line above" if failed == 1 else "lines above"
        lines.append(f'{failed} {plural}: follow the "fix" {where_fix}, then run this cell again.')
    else:
        done = "All checks passed" if len(results) != 1 else "The check passed"
        lines.append(f"{done}: you are ready to go.")
    return "\n".join(lines)


def main() -> int:
    """Print the report; exit status 0 when every check passes, 1 otherwise."""
    results = checks()
    print(report(results))
    return 0 if all(check.ok for check in results) else 1


if __name__ == "__main__":
    sys.exit(main())
