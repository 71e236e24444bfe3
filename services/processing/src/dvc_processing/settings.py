from typing import ClassVar

from dvc_kernel.settings import ServiceSettings


class ProcessingSettings(ServiceSettings):
    service_name: ClassVar[str] = "processing"
    default_port: ClassVar[int] = 8104
