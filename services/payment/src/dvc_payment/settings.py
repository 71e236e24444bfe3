from typing import ClassVar

from pydantic import Field

from dvc_kernel.settings import ServiceSettings

from .adapters.credentials import MerchantCredentials, merchant_credentials

IPN_PATH = "/v1/gateway/vnpay/ipn"
RETURN_PATH = "/v1/gateway/vnpay/return"
BANK_NOTIFICATION_PATH = "/v1/gateway/vietqr/notifications"


class PaymentSettings(ServiceSettings):
    service_name: ClassVar[str] = "payment"
    default_port: ClassVar[int] = 8105

    gateway_url: str = Field("http://127.0.0.1:8111", validation_alias="PAYMENT_GATEWAY_URL")
    # This service's public address (the IPN of the gateway's simulator comes here).
    public_url: str | None = Field(None, validation_alias="PAYMENT_URL")
    # The collecting account VietQR transfers go to (NAPAS BIN of the bank, account number).
    vietqr_bin: str = Field("970415", pattern=r"^\d{6}$", validation_alias="PAYMENT_VIETQR_BIN")
    vietqr_account: str = Field("113000000888", validation_alias="PAYMENT_VIETQR_ACCOUNT")
    order_minutes: int = Field(15, ge=1, validation_alias="PAYMENT_ORDER_MINUTES")
    refund_poll_seconds: float = Field(5.0, gt=0, validation_alias="PAYMENT_REFUND_POLL_SECONDS")
    consumer_group: str = Field("payment", validation_alias="PAYMENT_CONSUMER_GROUP")
    gateway_timeout_seconds: float = Field(10.0, gt=0, validation_alias="PAYMENT_GATEWAY_TIMEOUT_SECONDS")

    # Where the gateway sends the citizen back (vnp_ReturnUrl): the portal's page, which shows
    # what this service's return endpoint says of the signed parameters (ADR 0019). By default
    # the development gateway's page.
    return_url: str | None = Field(None, validation_alias="PAYMENT_RETURN_URL")
    gateway_port: int = Field(8100, validation_alias="GATEWAY_PORT")

    @property
    def citizen_return_url(self) -> str:
        return self.return_url or f"http://127.0.0.1:{self.gateway_port}/portal/thanh-toan.html"

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://127.0.0.1:{self.port}").rstrip("/")

    def credentials(self) -> MerchantCredentials:
        return merchant_credentials(self.data_dir)
