"""Your progress through the course: which exercises you have passed, in a small JSON file.

Every ``qN.check(...)`` with an answer calls :func:`record_attempt`: the file keeps, per
exercise, the number of attempts, the attempt that first passed and how often each mistake
tag (:data:`course_utils.exercises.MISTAKES`) came up - never the answer itself, and nothing
is sent anywhere. A check left at ``...`` ("not attempted") is not an attempt. The file
lives at the path in the environment variable ``COURSE_PROGRESS_FILE`` if set, else at
``~/.apple-or-banana/progress.json`` - on Colab, in ``/content/apple-or-banana-progress/``.
Writes are atomic (a temporary file, then ``os.replace``), a damaged file is reported and
treated as empty, and an unwritable location never breaks the course: progress is then kept
for the session and a warning says so once. This module only stores; the progress map and
the learner's mistake history, which need the exercise catalogue, are in
:mod:`course_utils.exercises.progress_map` (imports run one way: exercises -> progress).

The file (``"version": 1``; files written before attempts were recorded have no
``"attempts"`` and still load)::

    {"version": 1,
     "passed": {"00": {"q1": "2026-01-05T10:31:02+00:00"}},
     "attempts": {"00": {"q1": {"attempts": 3, "first_pass": 3,
                               "mistakes": {"percent_not_fraction": 2}}}},
     "learner_id": "5f0c3a9e1b2d4c6f"}

``learner_id`` is a random token made at the first export (:func:`export_progress`), so
that an instructor's report counts two exports of the same learner once; it is derived
from nothing about the learner.

>>> import os, tempfile
>>> saved = os.environ.get(ENV_VAR)
>>> os.environ[ENV_VAR] = os.path.join(tempfile.mkdtemp(), "progress.json")
>>> record_attempt("00", "q1", "incorrect", "percent_not_fraction")
True
>>> record_attempt("00", "q1", "correct")
True
>>> sorted(load()["00"])
['q1']
>>> load_attempts()["00"]["q1"]
{'attempts': 2, 'first_pass': 2, 'mistakes': {'percent_not_fraction': 1}}
>>> doc = export_document("blue-fox")
>>> doc["pseudonym"], doc["exercises"][0]["attempts"], doc["exercises"][0]["mistakes"]
('blue-fox', 2, {'percent_not_fraction': 1})
>>> reset()
>>> load()
{}
>>> _ = os.environ.pop(ENV_VAR) if saved is None else os.environ.update({ENV_VAR: saved})
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import paths

__all__ = [
    "ENV_VAR",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "ProgressWarning",
    "check_pseudonym",
    "export_document",
    "export_progress",
    "has_unsaved",
    "load",
    "load_attempts",
    "progress_path",
    "record",
    "record_attempt",
    "reset",
]

ENV_VAR = "COURSE_PROGRESS_FILE"
_FORMAT_VERSION = 1
#: The ``format`` field of an export (:func:`export_progress`) and its version.
EXPORT_FORMAT = "apple-or-banana/progress-export"
EXPORT_VERSION = 1

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
# Attempts that could not be saved: (notebook, name, passed, mistake, when), in order.
_PENDING: list[tuple[str, str, bool, str | None, str]] = []
# A learner id made when it could not be saved (used for the rest of the session).
_SESSION_ID: list[str] = []
# Warnings already given this session (each is said once).
_WARNED: set[str] = set()


def _reset_session() -> None:
    """Forget unsaved passes and attempts and given warnings (for tests)."""
    _UNSAVED.clear()
    _PENDING.clear()
    _SESSION_ID.clear()
    _WARNED.clear()


def _warn_once(key: str, message: str) -> None:
    if key in _WARNED:
        return
    _WARNED.add(key)
    warnings.warn(message, ProgressWarning, stacklevel=3)


def progress_path() -> Path:
    """Where progress is saved: ``$COURSE_PROGRESS_FILE``, else ``paths.progress_file()``.

    That is ``~/.apple-or-banana/progress.json``, or on Colab
    ``/content/apple-or-banana-progress/progress.json``.

    >>> progress_path().name
    'progress.json'
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return paths.progress_file()


def _count(value: Any) -> int | None:
    """A count read from the file: a whole number >= 0, else None."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _parse_attempts(raw: Any) -> dict[str, dict[str, dict[str, Any]]]:
    """The attempts in a loaded document; entries that are not what we write are left out."""
    attempts: dict[str, dict[str, dict[str, Any]]] = {}
    if not isinstance(raw, dict):
        return attempts
    for notebook, names in raw.items():
        if not isinstance(notebook, str) or not isinstance(names, dict):
            continue
        for name, entry in names.items():
            if not isinstance(name, str) or not isinstance(entry, dict):
                continue
            n = _count(entry.get("attempts"))
            if n is None:
                continue
            first = _count(entry.get("first_pass"))
            mistakes = entry.get("mistakes")
            mistakes = mistakes if isinstance(mistakes, dict) else {}
            out: dict[str, Any] = {
                "attempts": n,
                "first_pass": first if first is not None and 1 <= first <= n else None,
                "mistakes": {
                    str(tag): n_tag
                    for tag, raw_n in mistakes.items()
                    if (n_tag := _count(raw_n)) is not None
                },
            }
            if entry.get("passed_before_recording") is True:
                out["passed_before_recording"] = True
            attempts.setdefault(notebook, {})[name] = out
    return attempts


_ID = re.compile(r"^[0-9a-f]{16}$")


def _parse(raw: Any) -> dict[str, Any] | None:
    """The state in a loaded JSON document, or None if it does not look like ours."""
    if not isinstance(raw, dict) or not isinstance(raw.get("passed"), dict):
        return None
    passed: dict[str, dict[str, str]] = {}
    for notebook, names in raw["passed"].items():
        if isinstance(notebook, str) and isinstance(names, dict):
            passed[notebook] = {str(n): str(t) for n, t in names.items() if isinstance(n, str)}
    learner_id = raw.get("learner_id")
    return {
        "passed": passed,
        "attempts": _parse_attempts(raw.get("attempts")),
        "learner_id": learner_id if isinstance(learner_id, str) and _ID.match(learner_id) else None,
    }


def _empty() -> dict[str, Any]:
    return {"passed": {}, "attempts": {}, "learner_id": None}


def _read(path: Path) -> tuple[dict[str, Any], bool]:
    """The state saved at ``path`` (passes, attempts, learner id) and whether it is damaged."""
    try:
        if not path.is_file():
            return _empty(), False
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        _warn_once(
            f"unreadable:{path}",
            f"Could not read your progress file {path} ({reason}); "
            "progress starts empty for now. The exercises work as usual.",
        )
        return _empty(), False
    try:
        state = _parse(json.loads(text))
    except (ValueError, RecursionError):
        state = None
    if state is None:
        _warn_once(
            f"corrupt:{path}",
            f"Your progress file {path} is damaged (not the JSON the course writes), so "
            "progress starts empty. The next passed exercise replaces it; a copy of the "
            f"damaged file is kept as {path.name}.damaged.",
        )
        return _empty(), True
    return state, False


def _write(path: Path, state: dict[str, Any]) -> None:
    """Write atomically: a temporary file in the same folder, then ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = {"version": _FORMAT_VERSION, "passed": state["passed"]}
    if state.get("attempts"):
        document["attempts"] = state["attempts"]
    if state.get("learner_id"):
        document["learner_id"] = state["learner_id"]
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


def _apply(
    state: dict[str, Any], notebook: str, name: str, passed: bool, mistake: str | None, when: str
) -> None:
    """Add one attempt to ``state``: count it, its mistake tag, the first pass."""
    entry = state["attempts"].setdefault(notebook, {}).get(name)
    if entry is None:
        entry = {"attempts": 0, "first_pass": None, "mistakes": {}}
        if name in state["passed"].get(notebook, {}):
            # Passed before attempts were recorded (an older file): its count is unknown.
            entry["passed_before_recording"] = True
        state["attempts"][notebook][name] = entry
    entry["attempts"] += 1
    if passed:
        if entry["first_pass"] is None and not entry.get("passed_before_recording"):
            entry["first_pass"] = entry["attempts"]
        state["passed"].setdefault(notebook, {}).setdefault(name, when)
    elif mistake:
        entry["mistakes"][mistake] = entry["mistakes"].get(mistake, 0) + 1


def _current() -> tuple[Path, dict[str, Any], bool]:
    """The progress file, its state with this session's unsaved passes and attempts, damaged?"""
    path = progress_path()
    state, damaged = _read(path)
    state["passed"] = _merge(state["passed"], _UNSAVED)
    for event in _PENDING:
        _apply(state, *event)
    if state["learner_id"] is None and _SESSION_ID:
        state["learner_id"] = _SESSION_ID[0]
    return path, state, damaged


def _save(path: Path, state: dict[str, Any], damaged: bool) -> None:
    """Write ``state`` (keeping a copy of a damaged file first); raises OSError."""
    if damaged:
        shutil.copyfile(path, path.with_name(path.name + ".damaged"))
    _write(path, state)


def _unwritable(path: Path, exc: OSError) -> None:
    _warn_once(
        "unwritable",
        f"Could not save your progress to {path} ({exc.strerror or exc}). The course "
        "works as usual and remembers your progress for this session only. To keep it, "
        f"set the environment variable {ENV_VAR} to a file in a writable folder.",
    )


def load() -> dict[str, dict[str, str]]:
    """The exercises passed: ``{notebook: {name: when (ISO time, UTC)}}``.

    A missing file gives ``{}``; a damaged one is reported once and treated as empty.
    Example: ``load().get("00", {})`` -> ``{"q1": "2026-01-05T10:31:02+00:00"}``.
    """
    _, state, _ = _current()
    return {nb: dict(sorted(names.items())) for nb, names in sorted(state["passed"].items())}


def load_attempts() -> dict[str, dict[str, dict[str, Any]]]:
    """The attempts: ``{notebook: {name: {"attempts", "first_pass", "mistakes"}}}``.

    ``attempts`` counts the checks run with an answer, ``first_pass`` is the attempt that
    first passed (``None``: not passed yet, or passed before attempts were recorded) and
    ``mistakes`` counts each mistake tag. Example: ``load_attempts()["00"]["q1"]`` ->
    ``{"attempts": 3, "first_pass": 3, "mistakes": {"percent_not_fraction": 2}}``.
    """
    _, state, _ = _current()
    return {
        nb: {name: state["attempts"][nb][name] for name in sorted(names)}
        for nb, names in sorted(state["attempts"].items())
    }


def record(notebook: str, name: str) -> bool:
    """Save that exercise ``name`` of ``notebook`` was passed. True if saved to the file.

    Never raises for a file problem: an unwritable location is reported once per session
    and the pass is kept in memory for the session. Example: ``record("00", "q1")``.
    (A check calls :func:`record_attempt`, which also counts the attempt.)
    """
    notebook, name = str(notebook), str(name)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    path, state, damaged = _current()
    if name in state["passed"].get(notebook, {}) and not _UNSAVED and not _PENDING:
        return True  # already saved
    state["passed"].setdefault(notebook, {}).setdefault(name, now)
    try:
        _save(path, state, damaged)
    except OSError as exc:
        _UNSAVED.setdefault(notebook, {}).setdefault(name, now)
        _unwritable(path, exc)
        return False
    _UNSAVED.clear()
    _PENDING.clear()
    return True


def record_attempt(
    notebook: str, name: str, status: str | bool, mistake: str | None = None
) -> bool:
    """Save one attempt at exercise ``name`` of ``notebook``: its outcome and mistake tag.

    ``status`` is the :class:`~course_utils.exercises.Feedback` status (``"correct"``,
    ``"incorrect"``, ``"not_attempted"``) or a bool (passed or not); ``mistake`` its tag.
    "Not attempted" is not an attempt: nothing is saved and the result is True. Only the
    outcome and the tag are kept - never the answer. Returns True if saved to the file;
    like :func:`record` it never raises for a file problem.

    Example: ``record_attempt("00", "q1", "incorrect", "percent_not_fraction")``, then
    ``record_attempt("00", "q1", "correct")``: 2 attempts, first passed at attempt 2.
    """
    if status == "not_attempted" or status is None:
        return True
    passed = status is True or status == "correct"
    notebook, name = str(notebook), str(name)
    tag = None if passed or not mistake else str(mistake)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    path, state, damaged = _current()
    _apply(state, notebook, name, passed, tag, now)
    try:
        _save(path, state, damaged)
    except OSError as exc:
        _PENDING.append((notebook, name, passed, tag, now))
        _unwritable(path, exc)
        return False
    _UNSAVED.clear()
    _PENDING.clear()
    return True


def reset() -> None:
    """Forget all progress: delete the progress file (a fresh start).

    Example: ``reset()``, then ``load()`` gives ``{}``.
    """
    _UNSAVED.clear()
    _PENDING.clear()
    path = progress_path()
    try:
        if path.exists() or path.is_symlink():
            path.unlink()
    except OSError as exc:
        _warn_once(
            f"reset:{path}",
            f"Could not delete your progress file {path} ({exc.strerror or exc}).",
        )


# --------------------------------------------------------------------------- export

_PSEUDONYM = re.compile(r"^[\w][\w .\-]{0,39}$")


def check_pseudonym(name: str) -> str:
    """``name`` stripped, if it can be a pseudonym; else a ValueError saying what is expected.

    1 to 40 letters, digits, spaces, ``-``, ``_`` or ``.``, starting with a letter or digit
    (so no e-mail address).

    >>> check_pseudonym("  blue-fox ")
    'blue-fox'
    """
    text = str(name).strip()
    if "@" in text or not _PSEUDONYM.match(text):
        raise ValueError(
            f"the pseudonym {name!r} is not usable: choose 1 to 40 letters, digits, spaces, "
            "'-', '_' or '.' (a nickname, not your real name or e-mail), e.g. --name blue-fox"
        )
    return text


def _learner_id(path: Path, state: dict[str, Any], damaged: bool) -> str:
    """The random learner id of this progress file, made (and saved) on first use."""
    if state["learner_id"]:
        return state["learner_id"]
    state["learner_id"] = secrets.token_hex(8)
    try:
        _save(path, state, damaged)
    except OSError as exc:
        _SESSION_ID[:] = [state["learner_id"]]
        _unwritable(path, exc)
    return state["learner_id"]


def export_document(pseudonym: str | None = None) -> dict[str, Any]:
    """The export of your progress as a dict (see :func:`export_progress` for the format).

    Without ``pseudonym`` one is made from the random learner id (``learner-5f0c3a``).
    Example: ``export_document("blue-fox")["exercises"]`` -> ``[{"notebook": "00", ...}]``.
    """
    from course_utils import __version__

    chosen = check_pseudonym(pseudonym) if pseudonym is not None else None
    path, state, damaged = _current()
    learner_id = _learner_id(path, state, damaged)
    name = chosen if chosen is not None else f"learner-{learner_id[:6]}"
    keys = {(nb, n) for nb, names in state["passed"].items() for n in names}
    keys |= {(nb, n) for nb, names in state["attempts"].items() for n in names}
    exercises = []
    for nb, n in sorted(keys):
        entry = state["attempts"].get(nb, {}).get(n)
        passed = n in state["passed"].get(nb, {})
        if entry is None or entry.get("passed_before_recording"):
            attempts, first = None, None  # passed before attempts were recorded
        else:
            attempts, first = entry["attempts"], entry["first_pass"]
        mistakes = dict(sorted(entry["mistakes"].items())) if entry else {}
        exercises.append(
            {
                "notebook": nb,
                "exercise": n,
                "attempts": attempts,
                "passed": passed,
                "first_pass_attempt": first,
                "mistakes": mistakes,
            }
        )
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "course_version": __version__,
        "pseudonym": name,
        "learner_id": learner_id,
        "exported_on": datetime.now(UTC).date().isoformat(),
        "exercises": exercises,
    }


def export_progress(path: str | os.PathLike[str], *, pseudonym: str | None = None) -> dict:
    """Write your progress to ``path`` as a small JSON file to hand in; return the document.

    The file holds no answer and nothing about you but the pseudonym you choose::

        {"format": "apple-or-banana/progress-export",  # what the file is
         "format_version": 1,                          # of this layout
         "course_version": "0.1.0",                    # course_utils that wrote it
         "pseudonym": "blue-fox",                      # chosen by the learner
         "learner_id": "5f0c3a9e1b2d4c6f",             # random; spots a second export
         "exported_on": "2026-12-05",                  # UTC date
         "exercises": [{"notebook": "00", "exercise": "q1",
                        "attempts": 3,                 # checks run with an answer
                        "passed": true,
                        "first_pass_attempt": 3,       # null: not passed yet
                        "mistakes": {"percent_not_fraction": 2}}]}

    An exercise passed before attempts were recorded (an older progress file) has
    ``"attempts": null`` and ``"first_pass_attempt": null``. Instructors read these files
    with ``python -m course_utils class-report`` (:mod:`course_utils.classreport`).
    Example: ``export_progress("progress-export.json", pseudonym="blue-fox")``.
    """
    target = Path(path).expanduser()
    if target.is_dir():
        raise ValueError(f"{target} is a folder: give a file name, e.g. {target / 'export.json'}")
    if not target.parent.is_dir():
        raise ValueError(f"the folder {target.parent} does not exist: create it or choose another")
    document = export_document(pseudonym)
    text = json.dumps(document, indent=2, sort_keys=False) + "\n"
    target.write_text(text, encoding="utf-8")
    return document


# --------------------------------------------------------------------------- your mistakes


def has_unsaved() -> bool:
    """True when some passes or attempts of this session could not be saved to the file.

    >>> has_unsaved() in (True, False)
    True
    """
    return bool(_UNSAVED or _PENDING)
