"""The package builds with the newest setuptools, without a single deprecation warning.

setuptools announces what it will stop building with warning banners long before the day
(``project.license`` as a TOML table: "By 2027-Feb-18 ... your builds will no longer be
supported"). ``make lab``, ``make test`` and the Colab setup cell all build the wheel, so a
warning today is a broken install later. This test builds the wheel the way pip does for a
learner - in an isolated build environment, which pip fills with the newest setuptools
from the package index - and fails on any warning in the build log.

It needs the package index (PyPI). Without a connection it is skipped, except on CI (the
``CI`` environment variable is set), where a skip would hide the check.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
#: Generous: the build itself takes seconds; downloading setuptools may take longer.
TIMEOUT_S = 300
#: A warning class in the log (BuildBackendWarning, SetuptoolsDeprecationWarning, ...) or
#: any mention of a deprecation. Plain "warning: byte-compiling is disabled" lines of the
#: verbose log are progress notes, not warnings of the Python warnings system.
WARNING_CLASS = re.compile(r"\b[A-Z][A-Za-z]*Warning\b|(?i:deprecat)")


def _pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
    except OSError:
        return False
    return True


def _pip(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PIP_CONSTRAINT", "PIP_NO_INDEX")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pip", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        env=env,
        cwd=REPO,
    )


def warning_lines(log: str) -> list[str]:
    """The lines of a build log that report a warning class or a deprecation.

    >>> warning_lines("ok\\n  BuildBackendWarning: `project.license` as a TOML table is x")
    ['BuildBackendWarning: `project.license` as a TOML table is x']
    >>> warning_lines("warning: build_py: byte-compiling is disabled, skipping.")
    []
    """
    return [line.strip() for line in log.splitlines() if WARNING_CLASS.search(line)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    if not _pypi_reachable():
        if os.environ.get("CI"):
            pytest.fail("pypi.org is unreachable; CI needs it to build with the newest setuptools")
        pytest.skip("pypi.org is unreachable: the newest setuptools cannot be fetched")
    out = tmp_path_factory.mktemp("wheel")
    result = _pip("wheel", "--verbose", "--no-deps", "--no-cache-dir", "-w", str(out), str(REPO))
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"the wheel did not build:\n{log[-4000:]}"
    wheels = list(out.glob("course_utils-*.whl"))
    assert len(wheels) == 1, f"expected one course_utils wheel in {out}, found {wheels}"
    return wheels[0], log


def test_build_uses_the_newest_setuptools(built: tuple[Path, str]) -> None:
    _, log = built
    used = re.findall(r"Successfully installed setuptools-(\S+)", log)
    assert used, "the build log does not say which setuptools the isolated build installed"
    listing = _pip("index", "versions", "setuptools")
    newest = re.search(r"setuptools \(([^)]+)\)", listing.stdout)
    assert newest, f"could not read the newest setuptools from pip index:\n{listing.stderr}"
    assert Version(used[-1]) == Version(newest.group(1)), (
        f"built with setuptools {used[-1]}, but the newest is {newest.group(1)}"
    )


def test_build_log_has_no_deprecation_warning(built: tuple[Path, str]) -> None:
    _, log = built
    found = warning_lines(log)
    assert not found, "the wheel build warns (fix pyproject.toml):\n" + "\n".join(found)


def test_wheel_declares_the_spdx_license(built: tuple[Path, str]) -> None:
    wheel, _ = built
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata_file = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = zf.read(metadata_file).decode()
    assert "License-Expression: MIT" in metadata.splitlines()
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names), names
