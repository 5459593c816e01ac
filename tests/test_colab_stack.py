"""The course's dependency ranges accept Google Colab's older stack.

Colab ships older libraries (pandas 2.2, scikit-learn 1.6, matplotlib 3.10, ipywidgets 7.7).
The notebooks' Colab setup cell installs only ``course_utils``: if a lower bound in
``pyproject.toml`` were above what Colab ships, pip would upgrade a core library under the
learner's running kernel. These tests check the ranges against the pins of
``.ci/colab-constraints.txt``, which ``make test-colab`` installs and runs the course with.

Run as a script (``make test-colab`` does), the module checks that the running environment
has exactly the pinned versions - that installing ``course_utils`` upgraded nothing::

    .venv-colab/bin/python tests/test_colab_stack.py .ci/colab-constraints.txt
"""

from __future__ import annotations

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


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else CONSTRAINTS
    bad = installed_mismatches(read_pins(path))
    sys.exit(f"Not the pinned versions: {'; '.join(bad)}" if bad else 0)
