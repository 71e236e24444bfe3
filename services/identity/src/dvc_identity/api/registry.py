"""HTTP, between services: does declared data match the population registry?

Intake checks an applicant before submission. Callers authenticate either with the shared
service secret (``X-Service-Secret``) or with a staff access token; citizens cannot use it, so
the registry cannot be mined through it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from dvc_kernel.auth.fastapi import AuthError, require_principal
from dvc_kernel.local_secrets import SERVICE_SECRET_HEADER, secret_matches
from dvc_kernel.refusal import Refusal
from dvc_kernel.text import PersonName

from ..application import IdentityApplication
from ..application.registration import checked_id_number
from ..domain.registry import DeclaredIdentity

_bearer = HTTPBearer(auto_error=False)


class MatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id_number: str = Field(min_length=9, max_length=20)
    full_name: PersonName
    date_of_birth: date
    phone: str | None = Field(None, min_length=9, max_length=20)


class MatchOut(BaseModel):
    matched: bool
    code: str | None = Field(None, description="Why not, when not matched.")
    message: str | None = Field(None, description="The portal's message for the citizen (Vietnamese).")


def router(app: IdentityApplication, secret: str) -> APIRouter:
    async def service_or_staff(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        x_service_secret: Annotated[str | None, Header(alias=SERVICE_SECRET_HEADER)] = None,
    ) -> None:
        if secret_matches(x_service_secret, secret):
            return
        principal = await require_principal(request, credentials)
        if not principal.is_staff:
            raise AuthError(403, "auth.forbidden", "Bạn không có quyền thực hiện chức năng này.")

    api = APIRouter(prefix="/v1/registry", tags=["registry"])

    @api.post(
        "/match",
        response_model=MatchOut,
        dependencies=[Depends(service_or_staff)],
        summary="Match declared data against the population registry (services and staff)",
    )
    async def match(body: MatchIn) -> MatchOut:
        try:
            id_number = checked_id_number(body.id_number, body.date_of_birth)
        except Refusal as error:
            return MatchOut(matched=False, code=error.code, message=error.message)
        declared = DeclaredIdentity(id_number, body.full_name, body.date_of_birth, body.phone)
        result = app.match_registry(declared)  # an in-memory look-up: no worker thread needed
        refusal = result.refusal
        if refusal is None:
            return MatchOut(matched=True)
        return MatchOut(matched=False, code=refusal.code, message=refusal.message)

    return api
