from typing import ClassVar

from dvc_kernel.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    service_name: ClassVar[str] = "identity"
    default_port: ClassVar[int] = 8101
