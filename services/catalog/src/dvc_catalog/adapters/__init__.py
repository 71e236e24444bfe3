"""Reading the catalog's data files and the administrative divisions into the domain model."""

from .errors import CatalogDataError
from .loader import DATA_DIR, load_catalog

__all__ = ["DATA_DIR", "CatalogDataError", "load_catalog"]
