from __future__ import annotations

from datetime import date

import pytest

from dvc_catalog.adapters import load_catalog
from dvc_catalog.domain.catalog import Catalog

# A day on which every version in the data files is in force or superseded.
TODAY = date(2025, 10, 1)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()
