from typing import ClassVar

from pydantic import Field

from dvc_kernel.settings import ServiceSettings


class DeliverySettings(ServiceSettings):
    service_name: ClassVar[str] = "delivery"
    default_port: ClassVar[int] = 8106

    postal_api_url: str = Field("http://127.0.0.1:8112", validation_alias="POSTAL_API_URL")
    # The public verification page of the citizen portal, printed in the QR code with the
    # result's code in place of {code}. By default the development gateway's page (ADR 0019).
    verify_url: str | None = Field(None, validation_alias="DELIVERY_VERIFY_URL")
    gateway_port: int = Field(8100, validation_alias="GATEWAY_PORT")

    @property
    def verify_url_template(self) -> str:
        return self.verify_url or f"http://127.0.0.1:{self.gateway_port}/portal/xac-thuc.html?ma={{code}}"
