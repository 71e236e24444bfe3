from typing import ClassVar

from dvc_kernel.settings import ServiceSettings


class PaymentSettings(ServiceSettings):
    service_name: ClassVar[str] = "payment"
    default_port: ClassVar[int] = 8105
