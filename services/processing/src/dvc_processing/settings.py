from typing import ClassVar

from pydantic import Field

from dvc_kernel.settings import ServiceSettings


class ProcessingSettings(ServiceSettings):
    service_name: ClassVar[str] = "processing"
    default_port: ClassVar[int] = 8104

    deadline_check_seconds: float = Field(30.0, gt=0, validation_alias="DEADLINE_CHECK_SECONDS")
