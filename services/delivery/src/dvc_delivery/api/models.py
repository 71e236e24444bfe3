"""Delivery's HTTP request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from fastapi.responses import Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from dvc_kernel.attribute_views import view_of

from ..application import Verdict
from ..domain.result_delivery import ResultDelivery


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

    @classmethod
    def of(cls, d: ResultDelivery, postal_fee_vnd: int | None) -> ResultView:
        return view_of(
            cls,
            d,
            dossier_id=d.id,
            status=d.status.value,
            document_sha256=d.sha256,
            address=d.shipping_address or d.address,
            postal_fee_vnd=postal_fee_vnd,
            slot_start=d.slot[0] if d.slot else None,
            slot_end=d.slot[1] if d.slot else None,
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


class TrackingUpdate(BaseModel):
    tracking_number: str = Field(min_length=5, max_length=40)
    order_ref: str | None = None
    seq: int = Field(ge=1)
    status: Literal["accepted", "in_transit", "delivered", "failed"]
    detail: str = Field(min_length=1, max_length=500)
    attempt: int = Field(ge=1)
    occurred_at: AwareDatetime


class CodeView(BaseModel):
    status: str = Field(description="`valid`: this code names an e-result we issued.")
    dossier_code: str
    issued_by: str | None = Field(description="The unit whose certificate signed it.")
    issued_at: datetime | None = Field(description="When it was signed (UTC).")
    sha256: str | None = Field(description="SHA-256 of the signed PDF: a copy must have exactly this hash.")

    @classmethod
    def of(cls, d: ResultDelivery) -> CodeView:
        return cls(
            status="valid",
            dossier_code=d.dossier_code,
            issued_by=d.signed_by,
            issued_at=d.signed_at,
            sha256=d.sha256,
        )


class VerdictView(BaseModel):
    authentic: bool = Field(description="Signed by a unit's certificate, unaltered, and issued by us.")
    signature_valid: bool = Field(description="The PAdES signature is intact and chains to the trust root.")
    issued_by_us: bool = Field(description="The file's hash is that of an e-result we issued.")
    sha256: str
    dossier_code: str | None
    issued_by: str | None
    issued_at: datetime | None
    message: str = Field(description="The verdict for the citizen (Vietnamese).")

    @classmethod
    def of(cls, verdict: Verdict) -> VerdictView:
        return view_of(cls, verdict)
