"""HTTP: pickup slots at the unit, the citizen's booking, and the officer recording collection."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.meta import command_meta

from ..application import DeliveryApplication
from .results import ResultView, result_view

Reader = Annotated[
    Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION, Role.OFFICER, Role.SUPERVISOR))
]
Applicant = Annotated[Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION))]
Handler = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.SUPERVISOR))]


DossierRef = Annotated[
    str, Path(description="The dossier code, as every service takes it (its id is accepted too).")
]


class SlotView(BaseModel):
    start: datetime = Field(description="Start (Vietnam time, with offset).")
    end: datetime
    places_left: int


class BookingBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slot_start: AwareDatetime = Field(description="Start of one of the offered slots, with its offset.")


class CollectedBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id_checked: bool = Field(description="The officer checked the collector's ID card (must be true).")
    originals_checked: bool = Field(False, description="Originals compared (required for level 3).")
    collected_by: str = Field(min_length=2, max_length=100, description="Name of the person collecting.")


def router(app: DeliveryApplication) -> APIRouter:
    api = APIRouter(prefix="/v1/pickup", tags=["pickup"])

    @api.get("/{code}/slots", response_model=list[SlotView], summary="Free slots at the dossier's unit")
    def free_slots(code: DossierRef, principal: Reader) -> list[SlotView]:
        dossier_id = app.resolve(code)
        found = app.slots(dossier_id, principal)
        return [SlotView(start=s, end=e, places_left=left) for s, e, left in found]

    @api.post("/{code}/booking", response_model=ResultView, summary="Book a slot to collect the result")
    def book(code: DossierRef, body: BookingBody, principal: Applicant, request: Request) -> ResultView:
        dossier_id = app.resolve(code)
        meta = command_meta(request, actor_id=principal.subject, actor_role=principal.role.value)
        delivery = app.book(dossier_id, principal, body.slot_start, meta)
        return result_view(app, delivery)

    @api.post(
        "/{code}/collected",
        response_model=ResultView,
        summary="Record that the result was handed over, after checking the ID (and originals, level 3)",
    )
    def collected(code: DossierRef, body: CollectedBody, principal: Handler, request: Request) -> ResultView:
        dossier_id = app.resolve(code)
        unit = next(iter(sorted(principal.units)), None)
        meta = command_meta(
            request, actor_id=principal.subject, actor_role=principal.role.value, actor_unit=unit
        )
        delivery = app.collect(
            dossier_id,
            principal,
            id_checked=body.id_checked,
            originals_checked=body.originals_checked,
            collected_by=body.collected_by,
            meta=meta,
        )
        return result_view(app, delivery)

    return api
