from typing import ClassVar

from dvc_kernel.settings import ServiceSettings


class DeliverySettings(ServiceSettings):
    service_name: ClassVar[str] = "delivery"
    default_port: ClassVar[int] = 8106
