"""Public events of a result's way to the citizen (delivery.result.v1, keyed by dossier id)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import AwareDatetime, Field

from .base import ContractModel, DossierEvent, EventPayload
from .topics import DELIVERY_RESULT

TOPIC = DELIVERY_RESULT.name

Channel = Literal["e_result", "post", "pickup"]


class PostalAddress(ContractModel):
    """Where a result is posted (bưu chính công ích)."""

    recipient: str = Field(min_length=1, description="Name of the person receiving it.")
    phone: str = Field(pattern=r"^0\d{9}$", description="Recipient's phone for the postman.")
    street: str = Field(min_length=1, description="House number, street, hamlet.")
    commune: str = Field(min_length=1, description="Commune or ward (xã, phường, đặc khu).")
    province: str = Field(min_length=1, description="Province or centrally-run city.")


class ResultDispatched(DossierEvent):
    """The result left the unit: an e-result signed and made available, or a parcel handed to the post."""

    event_type: ClassVar[str] = "ResultDispatched"
    topic: ClassVar[str] = TOPIC
    personal: ClassVar[tuple[str, ...]] = ("address",)  # sealed on the wire (ADR 0021)

    channel: Literal["e_result", "post"] = Field(description="How it travels.")
    document_sha256: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the signed PDF (e-result)."
    )
    verification_code: str | None = Field(
        default=None, description="Code to check the e-result at the public verification page."
    )
    tracking_number: str | None = Field(default=None, description="Postal tracking number (post).")
    address: PostalAddress | None = Field(default=None, description="Where it is posted (post).")
    postal_fee_vnd: int = Field(default=0, ge=0, description="Postal fee charged to the citizen, in VND.")
    dispatched_at: AwareDatetime = Field(description="When (UTC).")


class ResultDelivered(DossierEvent):
    """The result reached the citizen: e-result sent, or the parcel handed over by the postman."""

    event_type: ClassVar[str] = "ResultDelivered"
    topic: ClassVar[str] = TOPIC

    channel: Literal["e_result", "post"] = Field(description="How it travelled.")
    detail: str = Field(description="What the carrier reported (Vietnamese).")
    delivered_at: AwareDatetime = Field(description="When (UTC).")


class DeliveryFailed(DossierEvent):
    """A delivery attempt failed; `next_step` says what happens now."""

    event_type: ClassVar[str] = "DeliveryFailed"
    topic: ClassVar[str] = TOPIC

    channel: Literal["e_result", "post"] = Field(description="Which delivery failed.")
    reason: str = Field(min_length=1, description="Why, as the carrier reported it (Vietnamese).")
    attempt: int = Field(ge=1, description="Which attempt failed.")
    next_step: Literal["retry", "returned_to_unit"] = Field(
        description="Another attempt follows, or the result goes back to the unit for pickup."
    )
    failed_at: AwareDatetime = Field(description="When (UTC).")


class ReadyForPickup(DossierEvent):
    """The result waits at the unit's reception desk (bộ phận một cửa)."""

    event_type: ClassVar[str] = "ReadyForPickup"
    topic: ClassVar[str] = TOPIC

    unit_code: str | None = Field(default=None, description="Unit where it waits.")
    bring: list[str] = Field(description="What to bring to collect it (Vietnamese).")
    ready_at: AwareDatetime = Field(description="When (UTC).")


class PickupBooked(DossierEvent):
    """The citizen booked a time slot to collect the result."""

    event_type: ClassVar[str] = "PickupBooked"
    topic: ClassVar[str] = TOPIC

    unit_code: str | None = Field(default=None, description="Unit where it is collected.")
    slot_start: AwareDatetime = Field(description="Start of the slot (UTC).")
    slot_end: AwareDatetime = Field(description="End of the slot (UTC).")
    booked_at: AwareDatetime = Field(description="When it was booked (UTC).")


class Collected(DossierEvent):
    """The citizen (or an authorised person) collected the result at the unit."""

    event_type: ClassVar[str] = "Collected"
    topic: ClassVar[str] = TOPIC

    unit_code: str | None = Field(default=None, description="Unit where it was collected.")
    id_checked: bool = Field(description="The officer checked the collector's ID card.")
    originals_checked: bool = Field(
        description="The officer checked the original documents (required for level 3)."
    )
    collected_by: str = Field(description="Name of the person who collected it.")
    collected_at: AwareDatetime = Field(description="When (UTC).")


class ResultRecordRead(DossierEvent):
    """A staff member read a dossier's delivery record (recipient, phone, address) or its signed
    result: a staff read of personal data, recorded before the data leaves, as processing's
    `DossierViewed` is. Keyed by the dossier's read log (its own chain), not by the dossier."""

    event_type: ClassVar[str] = "ResultRecordRead"
    topic: ClassVar[str] = TOPIC

    viewer_id: str = Field(description="Account id of the staff member who read it.")
    viewer_role: Literal["officer", "supervisor"] = Field(description="Role they read it in.")
    viewer_units: list[str] = Field(description="Units the staff member acts for.")
    token_id: str | None = Field(default=None, description="Id (jti) of the access token used.")
    what: Literal["record", "document"] = Field(description="The delivery record, or the signed PDF.")
    read_at: AwareDatetime = Field(description="When it was read (UTC).")


DELIVERY_EVENTS: tuple[type[EventPayload], ...] = (
    ResultDispatched,
    ResultDelivered,
    DeliveryFailed,
    ReadyForPickup,
    PickupBooked,
    Collected,
)  # the result's way to the citizen; ResultRecordRead (a staff read) is not one of its steps
