"""HTTP: a dossier's result for its owner and the staff of its unit; the PDF for notify."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from dvc_kernel.auth.fastapi import services_only
from dvc_kernel.caller_meta import caller_meta
from dvc_kernel.errors import problems

from ..application import DeliveryApplication
from .deps import Applicant, Consistency, DossierRef, Reader, not_yet_shown
from .models import AddressBody, ResultView, pdf_response


def router(app: DeliveryApplication) -> APIRouter:
    api = APIRouter(prefix="/v1/results", tags=["results"])

    @api.get("/{code}", response_model=ResultView, summary="Where a dossier's result is")
    async def view(code: DossierRef, principal: Reader, token: Consistency) -> ResultView | JSONResponse:
        if unseen := await not_yet_shown(app, token):
            return unseen
        delivery = await app.record(code, principal)
        return ResultView.of(delivery, app.postal_fee(delivery))

    @api.get(
        "/{code}/document.pdf",
        summary="Download the signed e-result (the owner's first download delivers it)",
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}},
    )
    async def document(code: DossierRef, principal: Reader, request: Request, token: Consistency) -> Response:
        if unseen := await not_yet_shown(app, token):
            return unseen
        meta = caller_meta(request, principal)
        delivery, pdf = await app.download(code, principal, meta)
        return pdf_response(pdf, delivery.dossier_code)

    @api.post(
        "/{code}/postal-address",
        response_model=ResultView,
        summary="Give another address to post the result to (before it is dispatched)",
    )
    async def give_address(
        code: DossierRef, body: AddressBody, principal: Applicant, request: Request
    ) -> ResultView:
        meta = caller_meta(request, principal)
        delivery = await app.give_address(
            code, principal, body.recipient, body.phone, body.street, body.ward_code, meta
        )
        return ResultView.of(delivery, app.postal_fee(delivery))

    return api


def internal_router(app: DeliveryApplication, secret: str) -> APIRouter:
    """For notify, which e-mails the signed PDF: authenticated by the shared service secret."""

    api = APIRouter(prefix="/v1/internal", tags=["internal"], dependencies=[Depends(services_only(secret))])

    @api.get(
        "/results/{dossier_id}/document.pdf",
        summary="The signed e-result, for notify to attach to an e-mail",
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}, **problems(403)},
    )
    async def document(dossier_id: UUID) -> Response:
        delivery, pdf = await app.document_for_service(dossier_id)
        return pdf_response(pdf, delivery.dossier_code)

    return api
