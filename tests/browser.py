"""The browser the report's tests drive: Debian's chromium and its chromedriver, found on PATH.

Without them a test that needs them is skipped, naming the command that installs them: on a fresh
machine the README's test command still ends without errors. Under CI (``CI=true``, as .ci/run and
most CI services set it) it fails instead: a CI machine that lost its browser must not pass by
testing nothing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping

import pytest

INSTALL = "sudo apt-get install chromium chromium-driver"
"""Debian's packages of the browser and its driver (as root, the same without sudo)."""


def under_ci(environ: Mapping[str, str]) -> bool:
    """CI=true: set by .ci/run, GitHub Actions, GitLab CI, Travis (AppVeyor writes True)."""
    return environ.get("CI", "").lower() == "true"


def chromium_and_driver(
    environ: Mapping[str, str] = os.environ, which: Callable[[str], str | None] = shutil.which
) -> tuple[str, str]:
    """The paths of chromium and chromedriver; if either is missing, the test is skipped (failed under CI)."""
    binary, driver = which("chromium"), which("chromedriver")
    if binary is None or driver is None:
        missing = " and ".join(name for name, path in (("chromium", binary), ("chromedriver", driver)) if not path)
        reason = f"no {missing} on PATH: the report's browser tests need them: {INSTALL} (as root, without sudo)"
        if under_ci(environ):
            pytest.fail(f"{reason}; CI=true, so a missing browser is an error, not a skip", pytrace=False)
        pytest.skip(reason)
    return binary, driver
