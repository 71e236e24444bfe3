from typing import ClassVar

from pydantic import Field

from dvc_kernel.settings import ServiceSettings

from .domain.message import RetryPolicy


class NotifySettings(ServiceSettings):
    service_name: ClassVar[str] = "notify"
    default_port: ClassVar[int] = 8107

    # E-mail: any SMTP server; in development the SMTP sink (dvc_simulators.smtp_sink).
    smtp_host: str = Field("127.0.0.1", validation_alias="SMTP_HOST")
    smtp_port: int = Field(8114, validation_alias="SMTP_PORT")
    smtp_starttls: bool = Field(False, validation_alias="SMTP_STARTTLS")
    smtp_username: str | None = Field(None, validation_alias="SMTP_USERNAME")
    smtp_password: str | None = Field(None, validation_alias="SMTP_PASSWORD")
    smtp_timeout_seconds: float = Field(30.0, gt=0, validation_alias="SMTP_TIMEOUT_SECONDS")
    mail_from_name: str = Field("Cổng dịch vụ công Bộ Công an", validation_alias="MAIL_FROM_NAME")
    mail_from_address: str = Field(
        "no-reply@dichvucong.bocongan.gov.vn", validation_alias="MAIL_FROM_ADDRESS"
    )
    # Where the signed e-results are fetched from (delivery's internal endpoint).
    delivery_url: str = Field("http://127.0.0.1:8106", validation_alias="DELIVERY_URL")
    # Sending: attempts per message before it goes to the dead-letter topic, and the back-off.
    max_attempts: int = Field(6, ge=1, validation_alias="NOTIFY_MAX_ATTEMPTS")
    retry_first_seconds: float = Field(2.0, gt=0, validation_alias="NOTIFY_RETRY_FIRST_SECONDS")
    retry_max_seconds: float = Field(600.0, gt=0, validation_alias="NOTIFY_RETRY_MAX_SECONDS")
    send_concurrency: int = Field(4, ge=1, validation_alias="NOTIFY_SEND_CONCURRENCY")
    # Non-urgent SMS wait from 21:00 to 07:00 Vietnam time; `off` for stacks that must not wait.
    quiet_hours: str = Field(
        "21:00-07:00", pattern=r"^(off|\d{2}:\d{2}-\d{2}:\d{2})$", validation_alias="NOTIFY_QUIET_HOURS"
    )
    # The brand-name SMS provider (sms_provider.protocol). Required unless DVC_DEVELOPMENT is
    # set, when notify keeps SMS in its development sink instead.
    sms_provider_url: str | None = Field(None, validation_alias="SMS_PROVIDER_URL")
    sms_provider_api_key: str | None = Field(None, validation_alias="SMS_PROVIDER_API_KEY")
    sms_brandname: str = Field("BoCongAn", max_length=11, validation_alias="SMS_BRANDNAME")
    # Notify's address as the provider reaches it (through the portal gateway in production),
    # for delivery reports; else NOTIFY_URL, the address the services use.
    notify_public_url: str | None = Field(None, validation_alias="NOTIFY_PUBLIC_URL")
    notify_url: str | None = Field(None, validation_alias="NOTIFY_URL")
    # Development SMS sink: numbers it reports undeliverable (comma-separated), to try failures.
    sms_sink_unreachable: str = Field("", validation_alias="SMS_SINK_UNREACHABLE")

    @property
    def sms_callback_url(self) -> str:
        base = self.notify_public_url or self.notify_url or f"http://127.0.0.1:{self.port}"
        return f"{base.rstrip('/')}/v1/sms/receipts"

    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_attempts=self.max_attempts,
            first_delay_seconds=self.retry_first_seconds,
            max_delay_seconds=self.retry_max_seconds,
        )
