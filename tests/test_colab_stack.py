"""The course's dependency ranges accept Google Colab's older stack.

Colab ships older libraries (pandas 2.2, scikit-learn 1.6, matplotlib 3.10, ipywidgets 7.7).
The notebooks' Colab setup cell installs only ``course_utils``: if a lower bound in
``pyproject.toml`` were above what Colab ships, pip would upgrade a core library under the
learner's running kernel. These tests check the ranges against the pins of
``.ci/colab-constraints.txt``, which ``make test-colab`` installs and runs the course with.

Run as a script, the module does the two steps of ``make test-colab`` that need Python:

``--install``, in a venv that has Colab's stack (``pip install -r .ci/colab-constraints.txt``)
    installs the test tools within the pins - that is "what was there before" - then installs
    ``course_utils`` *the way the Colab setup cell does* (the package and
    ``config.COLAB_PINS``, no constraints) and fails if that changed the version of any
    package that was installed before (a transitive requirement upgrading what Colab ships)::

        .venv-colab/bin/python tests/test_colab_stack.py --install .ci/colab-constraints.txt

without ``--install``, it checks that the running environment has exactly the pinned
versions::

    .venv-colab/bin/python tests/test_colab_stack.py .ci/colab-constraints.txt
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
CONSTRAINTS = REPO / ".ci" / "colab-constraints.txt"
sys.path.insert(0, str(REPO))  # course_utils.config, before the package is installed

from course_utils import config  # noqa: E402

# What Colab ships, as the design's supported-version range starts there.
COLAB_SERIES = {
    "pandas": "==2.2.*",
    "scikit-learn": "==1.6.*",
    "matplotlib": "==3.10.*",
    "ipywidgets": "==7.7.*",
}
# The newer end the course also supports (the design: pandas 3.x, ipywidgets 8.x).
NEWER_END = {"pandas": "3.0.0", "ipywidgets": "8.1.0"}
# Core libraries whose version must not float in the Colab environment.
MUST_BE_PINNED = (
    "numpy",
    "scipy",
    "pandas",
    "scikit-learn",
    "matplotlib",
    "seaborn",
    "ipywidgets",
)


def read_pins(path: Path = CONSTRAINTS) -> dict[str, Version]:
    """``name==version`` lines of a pip constraints file (comments ignored), by canonical name."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        name, sep, version = text.partition("==")
        assert sep, f"{path.name}: only exact pins (name==version) are expected, got {text!r}"
        pins[canonicalize_name(name.strip())] = Version(version.strip())
    return pins


def project_requirements() -> dict[str, Requirement]:
    """``[project] dependencies`` of pyproject.toml, by canonical name."""
    with open(REPO / "pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    requirements = (Requirement(text) for text in project["dependencies"])
    return {canonicalize_name(req.name): req for req in requirements}


def test_constraints_pin_what_colab_ships() -> None:
    pins = read_pins()
    for name, series in COLAB_SERIES.items():
        assert name in pins, f"{name} is not pinned in {CONSTRAINTS.name}"
        assert pins[name] in SpecifierSet(series), f"{name}=={pins[name]} is not Colab's {series}"
    missing = [name for name in MUST_BE_PINNED if name not in pins]
    assert not missing, f"pin these in {CONSTRAINTS.name} too: {missing}"


def test_pyproject_accepts_every_colab_pin() -> None:
    requirements, pins = project_requirements(), read_pins()
    rejected = [
        f"{req} rejects {name}=={pins[name]}"
        for name, req in requirements.items()
        if name in pins and not req.specifier.contains(pins[name], prereleases=True)
    ]
    assert not rejected, "lower the bound so Colab's version is accepted: " + "; ".join(rejected)


def test_pyproject_accepts_the_newer_end_too() -> None:
    requirements = project_requirements()
    for name, version in NEWER_END.items():
        assert requirements[name].specifier.contains(version), f"{requirements[name]} vs {version}"


def installed_mismatches(pins: dict[str, Version]) -> list[str]:
    """Print each pinned package's installed version; return the ones that differ."""
    mismatches = []
    for name, pinned in sorted(pins.items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        ok = installed != "not installed" and Version(installed) == pinned
        status = "ok" if ok else "MISMATCH"
        print(f"  {status:8} {name:20} pinned {pinned!s:10} installed {installed}")
        if not ok:
            mismatches.append(f"{name}: pinned {pinned}, installed {installed}")
    return mismatches


def test_colab_pins_do_not_pin_what_colab_ships() -> None:
    # The setup cell's bounds are requirements pip installs: a bound on a library Colab
    # ships could itself change it. They may only bound packages Colab's stack lacks.
    pins = read_pins()
    for text in config.COLAB_PINS:
        req = Requirement(text)
        assert canonicalize_name(req.name) not in pins, f"{text} bounds a library Colab ships"
        assert req.specifier, f"{text}: a bound needs a version range"


def changed_versions(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Packages installed ``before`` whose version is different (or gone) ``after``.

    Packages that are new ``after`` are what the install added: they are not changes.

    >>> changed_versions({"wcwidth": "0.2.13", "numpy": "2.0.2"},
    ...                  {"wcwidth": "0.9.4", "numpy": "2.0.2", "skops": "0.16.0"})
    ['wcwidth 0.2.13 -> 0.9.4']
    """
    changes = []
    for name, version in sorted(before.items()):
        now = after.get(name)
        if now != version:
            changes.append(f"{name} {version} -> {now or 'removed'}")
    return changes


def installed_versions(python: str = sys.executable) -> dict[str, str]:
    """Every distribution installed for ``python``, by canonical name (``pip list``)."""
    result = subprocess.run(
        [python, "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    )
    return {canonicalize_name(d["name"]): d["version"] for d in json.loads(result.stdout)}


def _pip_install(*args: str) -> None:
    command = [sys.executable, "-m", "pip", "install", "--quiet", *args]
    print("  " + " ".join(command), flush=True)
    subprocess.run(command, check=True)


def install_like_the_setup_cell(constraints: Path) -> list[str]:
    """Install the test tools within the pins, then course_utils as on Colab; the changes."""
    with open(REPO / "pyproject.toml", "rb") as f:
        test_tools = tomllib.load(f)["project"]["optional-dependencies"]["test"]
    _pip_install(*test_tools, "-c", str(constraints))
    before = installed_versions()
    # The setup cell: `pip install "course_utils @ git+..." *COLAB_PINS` - here from the checkout.
    _pip_install("-e", str(REPO), *config.COLAB_PINS)
    return changed_versions(before, installed_versions())


def main(argv: list[str]) -> int | str:
    install = "--install" in argv
    paths = [arg for arg in argv if not arg.startswith("--")]
    path = Path(paths[0]) if paths else CONSTRAINTS
    if install:
        changes = install_like_the_setup_cell(path)
        if changes:
            return (
                "Installing course_utils as the Colab setup cell does changed what was "
                f"installed before: {'; '.join(changes)}. Bound the requirement that pulls "
                "the newer version (course_utils/config.py COLAB_PINS, or pyproject.toml)."
            )
        print("installing course_utils as the Colab setup cell does changed no installed package")
        return 0
    bad = installed_mismatches(read_pins(path))
    return f"Not the pinned versions: {'; '.join(bad)}" if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
