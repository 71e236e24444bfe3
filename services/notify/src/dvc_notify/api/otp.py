"""Internal: identity asks notify to send a one-time code by SMS, now.

OTP codes must not travel in events (they would sit in Kafka and in notify's store), so this
is a synchronous call made by identity alone, authenticated by the shared service secret
(``X-Service-Secret``). Only fixed templates are sent and only a 6-digit code is filled in,
so even a caller holding the secret cannot make notify send arbitrary text. The message id
keeps a retried call to one SMS (the gateway deduplicates it). Neither the code nor the text
is logged; the gateway (the development sink, in development) is the only place it goes.
"""

from __future__ import annotations

import logging
from importlib.resources import files
from typing import Literal

import yaml
from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from dvc_kernel.auth.fastapi import services_only
from dvc_kernel.errors import problems

from ..adapters.sms import SmsGateway
from ..domain.templates import Templates

log = logging.getLogger(__name__)


def load_otp_templates() -> Templates:
    raw = yaml.safe_load(files("dvc_notify").joinpath("data/otp.yaml").read_text(encoding="utf-8"))
    return Templates(sms=raw["sms"])


class OtpSms(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message_id: str = Field(
        pattern=r"^[A-Za-z0-9_-]{8,100}$", description="Caller's id of this message; a repeat sends nothing."
    )
    phone: str = Field(pattern=r"^0\d{9}$", description="Mobile number, 10 digits from 0.")
    code: str = Field(pattern=r"^\d{6}$", description="The one-time code.")
    purpose: Literal["register", "login"] = Field(description="Which template to use.")
    valid_minutes: int = Field(ge=1, le=30, description="How long the code works, for the text.")


class OtpSmsOut(BaseModel):
    message_id: str
    provider_ref: str = Field(description="The gateway's reference of the SMS.")


def router(gateway: SmsGateway, secret: str, templates: Templates | None = None) -> APIRouter:
    texts = templates or load_otp_templates()

    api = APIRouter(prefix="/v1/internal", tags=["internal"], dependencies=[Depends(services_only(secret))])

    @api.post(
        "/otp",
        response_model=OtpSmsOut,
        summary="Send a one-time code by SMS at once (identity only)",
        responses=problems(403),
    )
    async def send_otp(body: OtpSms) -> OtpSmsOut:
        text = texts.render_sms(body.purpose, {"code": body.code, "minutes": str(body.valid_minutes)})
        message_id = f"otp:{body.message_id}"  # apart from the ids notify derives from events
        ref = await gateway.send(message_id, body.phone, text)
        log.info("OTP SMS %s handed to the gateway as %s", message_id, ref)
        return OtpSmsOut(message_id=body.message_id, provider_ref=ref)

    return api
