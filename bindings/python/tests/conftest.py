"""Shared fixtures for the cwlf binding tests: where ../shared is, and a guard
that turns "no tests collected" into a failure. Not a place for test logic.

Run with PYTHONPATH=build/python (ctest sets it); without it, the build/python
folder of this checkout is tried.
"""

import os
import pathlib
import sys

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]

try:
    import cwlf  # noqa: F401
except ImportError:
    sys.path.insert(0, str(REPO_ROOT / "build" / "python"))


@pytest.fixture(scope="session")
def shared_dir() -> pathlib.Path:
    """The shared/ folder: $CWLF_SHARED_DIR, else ../shared beside the repo root."""
    return pathlib.Path(os.environ.get("CWLF_SHARED_DIR") or REPO_ROOT.parent / "shared")


def pytest_sessionfinish(session, exitstatus):
    # A run that collected nothing must fail loudly, never pass as "no tests".
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
