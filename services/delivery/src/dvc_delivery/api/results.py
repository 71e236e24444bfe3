"""HTTP: a dossier's result for its owner and the staff of its unit; the PDF for notify."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.errors import Forbidden, Unprocessable, problems
from dvc_kernel.local_secrets import SERVICE_SECRET_HEADER, secret_matches
from dvc_kernel.meta import command_meta

from ..application import DeliveryApplication
from ..domain.postal import postal_address
from ..domain.result_delivery import ResultDelivery
from ..read_log import record_read

Reader = Annotated[
    Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION, Role.OFFICER, Role.SUPERVISOR))
]
Applicant = Annotated[Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION))]


DossierRef = Annotated[
    str, Path(description="The dossier code, as every service takes it (its id is accepted too).")
]


class TrackingUpdateView(BaseModel):
    seq: int
    status: str
    detail: str
    attempt: int
    at: datetime


class ResultView(BaseModel):
    dossier_id: UUID
    dossier_code: str
    status: str = Field(description="Where the result is on its way.")
    mode: str | None = Field(description="How the result travels (once issued).")
    chosen_mode: str = Field(description="What the citizen chose when filing.")
    unit_code: str | None
    verification_code: str | None = None
    document_sha256: str | None = None
    address: dict[str, str] | None = Field(None, description="Where a parcel goes (post).")
    postal_fee_vnd: int | None = Field(None, description="Postal fee the applicant pays on delivery.")
    tracking_number: str | None = None
    attempt: int = 0
    tracking: list[TrackingUpdateView] = Field(default_factory=list, description="The post's updates.")
    bring: list[str] = Field(default_factory=list, description="What to bring to collect it (pickup).")
    slot_start: datetime | None = None
    slot_end: datetime | None = None
    collected_at: datetime | None = None


def result_view(app: DeliveryApplication, d: ResultDelivery) -> ResultView:
    fee = d.postal_fee_vnd if d.tracking_number or d.shipping_address else app.quote(d)
    return ResultView(
        dossier_id=d.id,
        dossier_code=d.dossier_code,
        status=d.status.value,
        mode=d.mode,
        chosen_mode=d.chosen_mode,
        unit_code=d.unit_code,
        verification_code=d.verification_code,
        document_sha256=d.sha256,
        address=d.shipping_address or d.address,
        postal_fee_vnd=fee,
        tracking_number=d.tracking_number,
        attempt=d.attempt,
        tracking=[TrackingUpdateView(**u) for u in d.tracking],
        bring=d.bring,
        slot_start=d.slot[0] if d.slot else None,
        slot_end=d.slot[1] if d.slot else None,
        collected_at=d.collected_at,
    )


class AddressBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    recipient: str = Field(min_length=2, max_length=100, description="Who receives the parcel.")
    phone: str = Field(pattern=r"^0\d{9}$", description="Recipient's phone, 10 digits from 0.")
    street: str = Field(min_length=3, max_length=300, description="House number, street, hamlet.")
    ward_code: str = Field(pattern=r"^\d{5}$", description="Code of the commune or ward (5 digits).")


def pdf_response(pdf: bytes, code: str) -> Response:
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="ket-qua-{code}.pdf"'},
    )


def router(app: DeliveryApplication) -> APIRouter:
    api = APIRouter(prefix="/v1/results", tags=["results"])

    @api.get("/{code}", response_model=ResultView, summary="Where a dossier's result is")
    def view(code: DossierRef, principal: Reader) -> ResultView:
        dossier_id = app.resolve(code)
        delivery = app.readable(dossier_id, principal)
        if principal.is_staff:  # name, phone, street: recorded before they leave
            record_read(app, principal, delivery, "record")
        return result_view(app, delivery)

    @api.get(
        "/{code}/document.pdf",
        summary="Download the signed e-result (the owner's first download delivers it)",
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}},
    )
    def document(code: DossierRef, principal: Reader, request: Request) -> Response:
        dossier_id = app.resolve(code)
        meta = command_meta(request, actor_id=principal.subject, actor_role=principal.role.value)
        if principal.is_staff:
            readable = app.readable(dossier_id, principal)
            record_read(app, principal, readable, "document")
        delivery, pdf = app.download(dossier_id, principal, meta)
        return pdf_response(pdf, delivery.dossier_code)

    @api.post(
        "/{code}/postal-address",
        response_model=ResultView,
        summary="Give another address to post the result to (before it is dispatched)",
    )
    def give_address(
        code: DossierRef, body: AddressBody, principal: Applicant, request: Request
    ) -> ResultView:
        dossier_id = app.resolve(code)
        address = postal_address(body.recipient, body.phone, body.street, body.ward_code)
        if address is None:
            raise Unprocessable(
                "unknown_ward_code", "Mã xã, phường không đúng với danh mục đơn vị hành chính hiện hành."
            )
        meta = command_meta(request, actor_id=principal.subject, actor_role=principal.role.value)
        delivery = app.give_address(dossier_id, principal, address, meta)
        return result_view(app, delivery)

    return api


def internal_router(app: DeliveryApplication, secret: str) -> APIRouter:
    """For notify, which e-mails the signed PDF: authenticated by the shared service secret."""

    def caller_is_a_service(
        presented: Annotated[str | None, Header(alias=SERVICE_SECRET_HEADER)] = None,
    ) -> None:
        if not secret_matches(presented, secret):
            raise Forbidden("auth.service_only", "Chức năng này chỉ dành cho các dịch vụ nội bộ.")

    api = APIRouter(prefix="/v1/internal", tags=["internal"], dependencies=[Depends(caller_is_a_service)])

    @api.get(
        "/results/{dossier_id}/document.pdf",
        summary="The signed e-result, for notify to attach to an e-mail",
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}, **problems(403)},
    )
    def document(dossier_id: UUID) -> Response:
        delivery, pdf = app.document_for_service(dossier_id)
        return pdf_response(pdf, delivery.dossier_code)

    return api
