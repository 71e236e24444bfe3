from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from dvc_catalog.adapters import DATA_DIR, load_catalog
from dvc_catalog.domain.catalog import Catalog

# A day on which every version in the data files is in force or superseded.
TODAY = date(2025, 10, 1)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the packaged data files, for a test to break or revise."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target
