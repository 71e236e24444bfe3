"""HTTP, operators only: appoint, transfer and remove staff."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from dvc_kernel.attribute_views import view_of
from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.text import PersonName

from ..application import IdentityApplication
from ..application.staff import StaffRequest
from ..domain.staff import StaffAccount
from .common import principal_meta

Operator = Annotated[Principal, Depends(require_roles(Role.OPERATOR))]
UnitList = Annotated[list[str], Field(min_length=1, max_length=50, examples=[["CAX-00070"]])]


class StaffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id_number: str = Field(min_length=9, max_length=20)
    full_name: PersonName
    phone: str = Field(min_length=9, max_length=20, description="Mobile for login codes.")
    role: Literal["officer", "supervisor", "auditor", "operator"]
    units: UnitList
    password: str = Field(min_length=1, max_length=256, description="Initial password for the officer.")


class UnitsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    units: UnitList


class StaffOut(BaseModel):
    account_id: UUID
    role: str
    full_name: str
    units: list[str]
    appointed_at: datetime
    removed_at: datetime | None

    @classmethod
    def of(cls, account: StaffAccount) -> StaffOut:
        return view_of(cls, account, account_id=account.id)


def router(app: IdentityApplication) -> APIRouter:
    api = APIRouter(prefix="/v1/staff", tags=["staff"])

    @api.post("", status_code=201, response_model=StaffOut, summary="Appoint a staff member")
    def appoint(body: StaffIn, request: Request, operator: Operator) -> StaffOut:
        command = StaffRequest(
            body.id_number, body.full_name, body.phone, body.role, body.units, body.password
        )
        account = app.appoint_staff(command, principal_meta(request, operator))
        return StaffOut.of(account)

    @api.patch("/{staff_id}/units", response_model=StaffOut, summary="Transfer: set the units in scope")
    def transfer(staff_id: UUID, body: UnitsIn, request: Request, operator: Operator) -> StaffOut:
        account = app.change_staff_units(staff_id, body.units, principal_meta(request, operator))
        return StaffOut.of(account)

    @api.delete("/{staff_id}", status_code=204, summary="Remove a staff account")
    def remove(
        staff_id: UUID,
        request: Request,
        operator: Operator,
        reason: Annotated[str, Query(min_length=1, max_length=500, description="Why (recorded).")],
    ) -> Response:
        app.remove_staff(staff_id, reason, principal_meta(request, operator))
        return Response(status_code=204)

    return api
