from typing import ClassVar

from pydantic import Field

from dvc_kernel.settings import ServiceSettings


class DeliverySettings(ServiceSettings):
    service_name: ClassVar[str] = "delivery"
    default_port: ClassVar[int] = 8106

    postal_api_url: str = Field("http://127.0.0.1:8112", validation_alias="POSTAL_API_URL")
    # Where citizens reach the public verification page (printed in the QR code).
    public_url: str | None = Field(None, validation_alias="DELIVERY_PUBLIC_URL")

    @property
    def public_base_url(self) -> str:
        return self.public_url or f"http://127.0.0.1:{self.port}"
