"""Request-level helpers shared by identity's routers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field

from dvc_kernel.auth.principal import Principal
from dvc_kernel.caller_meta import caller_meta, first_unit
from dvc_kernel.meta import CommandMeta, command_meta

from ..application.base import OtpSent, mask_phone

OtpCode = Annotated[str, Field(pattern=r"^\s*\d{6}\s*$", description="The 6-digit code from the SMS.")]


def anonymous_meta(request: Request) -> CommandMeta:
    """Before login the actor is not known yet; commands put the account id in once it is."""
    return command_meta(request, actor_id="anonymous", actor_role="citizen")


def principal_meta(request: Request, principal: Principal) -> CommandMeta:
    return caller_meta(request, principal, first_unit(principal))


class CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: OtpCode


class OtpOut(BaseModel):
    phone_hint: str = Field(description="The phone the code went to, partly hidden.")
    otp_expires_at: datetime = Field(description="The code works until then (UTC).")

    @staticmethod
    def fields(sent: OtpSent) -> dict[str, Any]:
        return {"phone_hint": mask_phone(sent.phone), "otp_expires_at": sent.expires_at}
