from typing import ClassVar

from dvc_kernel.settings import ServiceSettings


class CatalogSettings(ServiceSettings):
    service_name: ClassVar[str] = "catalog"
    default_port: ClassVar[int] = 8102
