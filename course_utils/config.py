"""Where the course is published: the one setting behind every badge and the Colab setup.

THIS IS THE ONE PLACE TO CHANGE when the course moves (a fork, a new organisation, a
release branch). The Colab and Binder badges at the top of every notebook and the
``pip install`` in the Colab setup cell are all derived from ``REPOSITORY`` and ``BRANCH``
by ``python -m course_utils.lessons build`` (``make notebooks``); after changing them,
rebuild the notebooks.

>>> colab_url("notebooks/00_start_here.ipynb")
'https://colab.research.google.com/github/apple-or-banana/course/blob/main/notebooks/00_start_here.ipynb'
"""

from __future__ import annotations

# --- the one setting: change these two lines, then run `make notebooks` ---------------
#: GitHub repository that hosts the course, as "owner/name".
REPOSITORY = "apple-or-banana/course"
#: Branch that the badges and the Colab install point to.
BRANCH = "main"
# ---------------------------------------------------------------------------------------

#: Name of the Python package that the Colab setup cell installs.
PACKAGE = "course_utils"

#: Bounds the Colab setup cell installs next to the package, so that pip fits the course
#: around the libraries Colab ships instead of upgrading them under the running kernel
#: (``make test-colab`` fails if installing the course changes any installed version).
#: prettytable, which skops needs, requires wcwidth>=0.3.5 from 3.18 on; Colab's IPython 7
#: stack carries an older wcwidth (0.2.x), already loaded by the kernel.
COLAB_PINS = ("prettytable<3.18",)

#: The course's notebooks (file names without ``.ipynb``), in order.
NOTEBOOKS = (
    "00_start_here",
    "01_define_success",
    "02a_collect_data",
    "02b_audit_data",
    "03a_clean_data",
    "03b_build_pipeline",
    "04a_cross_validate",
    "04b_compare_models",
    "05a_tune",
    "05b_choose",
    "06a_test_verdict",
    "06b_slices_and_uncertainty",
    "06c_explain_the_model",
    "07a_save_model",
    "07b_serve_model",
    "08a_detect_drift",
    "08b_judge_drift",
    "09a_retraining_policies",
    "09b_champion_challenger",
    "10a_the_whole_cycle",
    "10b_capstone",
)


def colab_url(path: str) -> str:
    """Link that opens the notebook at ``path`` (relative to the repository root) on Colab.

    >>> colab_url("notebooks/solutions/01_define_success.ipynb").endswith(
    ...     "/blob/main/notebooks/solutions/01_define_success.ipynb")
    True
    """
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/{path}"


def binder_url(path: str) -> str:
    """Link that starts a Binder session and opens the notebook at ``path`` in JupyterLab.

    >>> binder_url("notebooks/00_start_here.ipynb")
    'https://mybinder.org/v2/gh/apple-or-banana/course/main?urlpath=lab/tree/notebooks/00_start_here.ipynb'
    """
    return f"https://mybinder.org/v2/gh/{REPOSITORY}/{BRANCH}?urlpath=lab/tree/{path}"


def pip_requirement() -> str:
    """The ``pip install`` argument that installs the helper package from GitHub.

    >>> pip_requirement()
    'course_utils @ git+https://github.com/apple-or-banana/course.git@main'
    """
    return f"{PACKAGE} @ git+https://github.com/{REPOSITORY}.git@{BRANCH}"


def nbgitpuller_url(hub: str, *, notebook: str = "notebooks/00_start_here.ipynb") -> str:
    """A link that makes a JupyterHub pull the course into each learner's home and open it.

    The hub needs the ``nbgitpuller`` extension. Re-clicking the link later merges updates
    without overwriting the learner's own changes.

    >>> nbgitpuller_url("https://hub.example.edu")  # doctest: +ELLIPSIS
    'https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2F...'
    """
    from urllib.parse import quote, urlsplit

    parts = urlsplit(hub.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"expected the hub's address such as https://hub.example.edu, got {hub!r}")
    base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    folder = REPOSITORY.split("/")[-1]
    repo = quote(f"https://github.com/{REPOSITORY}", safe="")
    target = quote(f"lab/tree/{folder}/{notebook}", safe="")
    return f"{base}/hub/user-redirect/git-pull?repo={repo}&branch={BRANCH}&urlpath={target}"


def colab_install_args() -> list[str]:
    """What the Colab setup cell passes to ``pip install``: the package and :data:`COLAB_PINS`.

    >>> colab_install_args()[1:]
    ['prettytable<3.18']
    """
    return [pip_requirement(), *COLAB_PINS]


def solutions_badges() -> str:
    """Markdown: one line per notebook with the "Open In Colab" badge of its solutions.

    For Colab, where a learner has one notebook and no ``notebooks/solutions/`` folder.

    >>> print(solutions_badges().splitlines()[1])  # doctest: +ELLIPSIS
    * 01 define success: [![Open In Colab](...)](https://colab.../notebooks/solutions/01_define_success.ipynb)
    """
    badge = "https://colab.research.google.com/assets/colab-badge.svg"
    lines = []
    for name in NOTEBOOKS:
        number, _, title = name.partition("_")
        url = colab_url(f"notebooks/solutions/{name}.ipynb")
        lines.append(f"* {number} {title.replace('_', ' ')}: [![Open In Colab]({badge})]({url})")
    return "\n".join(lines)
