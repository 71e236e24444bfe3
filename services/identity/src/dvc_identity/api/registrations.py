"""HTTP: a citizen registers (declared data + password), then proves the phone with the OTP."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from dvc_kernel.text import PersonName

from ..application import IdentityApplication
from ..commands.registration import RegistrationRequest
from .common import CodeIn, OtpOut, anonymous_meta


class RegisterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id_number: str = Field(min_length=9, max_length=20, description="12-digit personal ID number.")
    full_name: PersonName = Field(description="Full name, with diacritics.")
    date_of_birth: date
    phone: str = Field(min_length=9, max_length=20, description="Mobile number in your own name.")
    password: str = Field(min_length=1, max_length=256)


class RegistrationOut(OtpOut):
    registration_id: UUID


class AccountCreatedOut(BaseModel):
    account_id: UUID
    status: str = "active"


def router(app: IdentityApplication) -> APIRouter:
    api = APIRouter(prefix="/v1/registrations", tags=["registration"])

    @api.post(
        "", status_code=201, response_model=RegistrationOut, summary="Start a registration; sends an OTP"
    )
    def start(body: RegisterIn, request: Request) -> RegistrationOut:
        command = RegistrationRequest(
            body.id_number, body.full_name, body.date_of_birth, body.phone, body.password
        )
        started = app.start_registration(command, anonymous_meta(request))
        return RegistrationOut(registration_id=started.registration_id, **OtpOut.fields(started.otp))

    @api.post(
        "/{registration_id}/verify",
        status_code=201,
        response_model=AccountCreatedOut,
        summary="Enter the OTP: the account is created and active",
    )
    def verify(registration_id: UUID, body: CodeIn, request: Request) -> AccountCreatedOut:
        account = app.verify_registration(registration_id, body.code, anonymous_meta(request))
        return AccountCreatedOut(account_id=account.id)

    @api.post(
        "/{registration_id}/resend-otp",
        status_code=202,
        response_model=RegistrationOut,
        summary="Send a new OTP (at most one a minute, five an hour)",
    )
    def resend(registration_id: UUID) -> RegistrationOut:
        sent = app.resend_registration_otp(registration_id)
        return RegistrationOut(registration_id=registration_id, **OtpOut.fields(sent))

    return api
