"""Shared setup of the Python tests (docs/python.md, "Tests")."""
import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def build_dir():
    d = os.environ.get("NMTWIN_BUILD_DIR")
    if not d:
        pytest.fail("NMTWIN_BUILD_DIR is not set: run the Python tests through ctest (scripts/test), "
                    "or set it to the build directory")
    return pathlib.Path(d)


@pytest.fixture
def repo():
    return REPO
