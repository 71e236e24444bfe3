from pathlib import Path
from typing import ClassVar

from pydantic import Field

from dvc_kernel.settings import ServiceSettings

from .adapters.loader import DATA_DIR


class CatalogSettings(ServiceSettings):
    service_name: ClassVar[str] = "catalog"
    default_port: ClassVar[int] = 8102
    encrypts_store: ClassVar[bool] = False  # the published law: no personal data

    data_files: Path = Field(DATA_DIR, validation_alias="CATALOG_DATA_DIR")
    watch_seconds: float = Field(2.0, gt=0, validation_alias="CATALOG_WATCH_SECONDS")
