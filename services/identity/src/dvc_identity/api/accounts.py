"""HTTP: who am I, and organisations registered by their legal representative."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from dvc_kernel.attribute_views import view_of
from dvc_kernel.auth.fastapi import CurrentPrincipal, require_roles
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.errors import problems
from dvc_kernel.refusal import Kind, Refusal

from ..application import IdentityApplication
from ..domain.accounts import CitizenAccount
from ..domain.staff import StaffAccount
from .common import principal_meta


class MeOut(BaseModel):
    account_id: UUID
    role: str
    units: list[str] = Field(default_factory=list, description="Units in scope (staff only).")
    full_name: str | None = None
    id_number: str | None = None
    date_of_birth: date | None = None
    phone: str | None = None
    phone_verified_at: datetime | None = None


class OrganisationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tax_code: str = Field(min_length=10, max_length=20, examples=["0100109106"])
    name: str = Field(min_length=1, max_length=300)


class OrganisationOut(BaseModel):
    account_id: UUID
    tax_code: str
    name: str
    representative_account_id: UUID
    registered_at: datetime


def router(app: IdentityApplication) -> APIRouter:
    api = APIRouter(tags=["accounts"])

    @api.get("/v1/me", response_model=MeOut, summary="The calling account", responses=problems(404))
    def me(principal: CurrentPrincipal) -> MeOut:
        account = app.account_view(UUID(principal.subject))
        if isinstance(account, CitizenAccount):
            return view_of(MeOut, account, account_id=account.id)
        if isinstance(account, StaffAccount) and not account.removed:
            # Named one by one: a staff member's own answer leaves out the ID number on file.
            return MeOut(
                account_id=account.id,
                role=account.role,
                units=account.units,
                full_name=account.full_name,
                phone=account.phone,
            )
        raise Refusal("account.not_found", "Không tìm thấy tài khoản.", Kind.NOT_FOUND)

    @api.post(
        "/v1/organisations",
        status_code=201,
        response_model=OrganisationOut,
        summary="Register an organisation you legally represent",
    )
    def register(
        body: OrganisationIn,
        request: Request,
        principal: Annotated[Principal, Depends(require_roles(Role.CITIZEN))],
    ) -> OrganisationOut:
        organisation = app.register_organisation(
            UUID(principal.subject),
            body.tax_code,
            body.name,
            principal_meta(request, principal),
        )
        return view_of(
            OrganisationOut,
            organisation,
            account_id=organisation.id,
            representative_account_id=organisation.representative_id,
        )

    return api
