"""Where the course keeps its files: your work, your progress and the data cache.

===================  ==========================================  ===============================
what                 where                                       changed by
===================  ==========================================  ===============================
your work            ``work/`` of the course checkout            ``$COURSE_WORK_DIR``
                     (``/content/apple-or-banana-work`` on
                     Colab, ``~/apple-or-banana-work`` elsewhere)
your progress        ``~/.apple-or-banana/progress.json``        ``$COURSE_PROGRESS_FILE``
                     (``/content/apple-or-banana-progress/``
                     ``progress.json`` on Colab)
built data sources   ``~/.cache/apple-or-banana/``               ``$XDG_CACHE_HOME``
                     ``data-<generator>-seed<N>`` (only for an
                     installed package without ``data/``)
===================  ==========================================  ===============================

On Google Colab, the home folder (``/root``) is hidden from the Files pane: the course keeps
your files under ``/content`` instead, where you can see and download them. Colab deletes
``/content`` when the runtime ends; :func:`keep_hint` says how to keep your files.

>>> work_dir().is_dir()
True
"""

from __future__ import annotations

import hashlib
import operator
import os
import sys
from pathlib import Path

#: The repository root when the package is installed in editable mode from a checkout.
REPO_ROOT = Path(__file__).resolve().parent.parent
#: The committed data sources.
DATA_DIR = REPO_ROOT / "data"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
LESSONS_DIR = REPO_ROOT / "lessons"

#: Colab's visible folder (its Files pane); the home folder /root is not shown there.
COLAB_CONTENT = Path("/content")
COLAB_WORK_DIR = COLAB_CONTENT / "apple-or-banana-work"
COLAB_PROGRESS_DIR = COLAB_CONTENT / "apple-or-banana-progress"

#: The modules whose code decides the generated data: their text keys the data cache.
GENERATOR_MODULES = ("world.py", "sources.py")


def on_colab() -> bool:
    """Whether this Python runs on Google Colab (its module is loaded, or its variable set)."""
    return "google.colab" in sys.modules or bool(os.environ.get("COLAB_RELEASE_TAG"))


def work_dir() -> Path:
    """The folder where the lessons save what they make (contract, models, logs).

    ``$COURSE_WORK_DIR`` if set; else ``work/`` in the course checkout; else, for an
    installed package, ``/content/apple-or-banana-work`` on Colab (visible in its Files
    pane) or ``~/apple-or-banana-work``. Created if missing.
    """
    env = os.environ.get("COURSE_WORK_DIR", "").strip()
    if env:
        path = Path(env).expanduser()
    elif (REPO_ROOT / "pyproject.toml").exists():
        path = REPO_ROOT / "work"
    elif on_colab():
        path = COLAB_WORK_DIR
    else:
        path = Path.home() / "apple-or-banana-work"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_file() -> Path:
    """Where progress is saved unless ``$COURSE_PROGRESS_FILE`` says otherwise.

    ``/content/apple-or-banana-progress/progress.json`` on Colab, else
    ``~/.apple-or-banana/progress.json``. (``course_utils.progress.progress_path`` applies
    the environment variable.) The folder is not created here.

    >>> progress_file().name
    'progress.json'
    """
    if on_colab():
        return COLAB_PROGRESS_DIR / "progress.json"
    return Path.home() / ".apple-or-banana" / "progress.json"


def keep_hint() -> str:
    """How to keep your work and progress, on Colab (where they go with the runtime); else "".

    >>> keep_hint() == "" or "Drive" in keep_hint()
    True
    """
    if not on_colab():
        return ""
    return (
        f"Colab deletes {COLAB_CONTENT} when the runtime ends. To keep your files, download "
        f"the folders {COLAB_WORK_DIR.name} and {COLAB_PROGRESS_DIR.name} from the Files pane "
        "(right-click, Download), or keep them on Google Drive: run "
        "`from google.colab import drive; drive.mount('/content/drive')`, then "
        "`%env COURSE_WORK_DIR=/content/drive/MyDrive/apple-or-banana-work` and "
        "`%env COURSE_PROGRESS_FILE=/content/drive/MyDrive/apple-or-banana-progress/"
        "progress.json` at the top of each notebook."
    )


def saved_message(path: str | os.PathLike, what: str | None = None) -> str:
    """The sentence a lesson prints after saving a file: it names the folder.

    ``what`` describes the file (default: its name). On Colab, :func:`keep_hint` follows.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> saved_message(os.path.join(folder, "contract_01.json")) == (
    ...     f"saved contract_01.json in your work folder {folder}"
    ...     + ("" if not on_colab() else "\\n" + keep_hint()))
    True
    """
    path = Path(path)
    text = f"saved {what or path.name} in your work folder {path.parent}"
    hint = keep_hint()
    return f"{text}\n{hint}" if hint else text


def generator_version(package_dir: str | os.PathLike | None = None) -> str:
    """A short fingerprint of the data generator's code (``world.py`` and ``sources.py``).

    It changes whenever the code that generates the data changes - a version that cannot
    be forgotten when the generator is edited. ``package_dir`` defaults to this package.

    >>> len(generator_version())
    12
    """
    folder = Path(package_dir) if package_dir is not None else Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in GENERATOR_MODULES:
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def data_cache_dir(seed: int) -> Path:
    """The cache folder for data built from ``seed`` by this version of the generator.

    ``$XDG_CACHE_HOME/apple-or-banana/data-<generator_version()>-seed<seed>`` (default
    ``~/.cache``): an updated package, or another seed, never reads data an older
    generator built. The folder is not created here.

    >>> data_cache_dir(42).name == f"data-{generator_version()}-seed42"
    True
    """
    try:
        seed = operator.index(seed)
    except TypeError:
        raise ValueError(f"expected the seed as a whole number >= 0, got {seed!r}") from None
    if seed < 0:
        raise ValueError(f"expected the seed as a whole number >= 0, got {seed!r}")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "apple-or-banana" / f"data-{generator_version()}-seed{seed}"
