"""HTTP: pickup slots at the unit, the citizen's booking, and the officer recording collection."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from dvc_kernel.caller_meta import caller_meta, first_unit

from ..application import DeliveryApplication
from .deps import Applicant, Consistency, DossierRef, Handler, Reader, not_yet_shown
from .models import BookingBody, CollectedBody, ResultView, SlotView


def router(app: DeliveryApplication) -> APIRouter:
    api = APIRouter(prefix="/v1/pickup", tags=["pickup"])

    @api.get("/{code}/slots", response_model=list[SlotView], summary="Free slots at the dossier's unit")
    async def free_slots(
        code: DossierRef, principal: Reader, token: Consistency
    ) -> list[SlotView] | JSONResponse:
        if unseen := await not_yet_shown(app, token):
            return unseen
        found = await app.free_slots(code, principal)
        return [SlotView(start=s, end=e, places_left=left) for s, e, left in found]

    @api.post("/{code}/booking", response_model=ResultView, summary="Book a slot to collect the result")
    async def book(code: DossierRef, body: BookingBody, principal: Applicant, request: Request) -> ResultView:
        meta = caller_meta(request, principal)
        delivery = await app.book(code, principal, body.slot_start, meta)
        return ResultView.of(delivery, app.postal_fee(delivery))

    @api.post(
        "/{code}/collected",
        response_model=ResultView,
        summary="Record that the result was handed over, after checking the ID (and originals, level 3)",
    )
    async def collected(
        code: DossierRef, body: CollectedBody, principal: Handler, request: Request
    ) -> ResultView:
        meta = caller_meta(request, principal, first_unit(principal))
        delivery = await app.collect(
            code,
            principal,
            id_checked=body.id_checked,
            originals_checked=body.originals_checked,
            collected_by=body.collected_by,
            meta=meta,
        )
        return ResultView.of(delivery, app.postal_fee(delivery))

    return api
