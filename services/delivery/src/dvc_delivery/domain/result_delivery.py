"""A result's way to the citizen, one aggregate per dossier (its id is the dossier id).

It learns the dossier from intake (applicant, chosen mode, the form's address) and processing
(unit, issued result), then follows one channel:
* e-result: the signed PDF is kept here; the owner's first download is its delivery;
* post: a shipment is requested, the post's tracking updates are kept, a failed attempt is
  retried until the last one, after which the parcel returns to the unit for pickup;
* pickup: ready at the unit, a slot booked, collection recorded after the officer checked the
  ID card (and the originals, for level 3).
Every refusal is a `DeliveryRefused` with a code and a Vietnamese message.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class Status(StrEnum):
    AWAITING_RESULT = "awaiting_result"
    E_RESULT_AVAILABLE = "e_result_available"
    AWAITING_ADDRESS = "awaiting_address"  # post chosen, no address known yet
    SHIPMENT_REQUESTED = "shipment_requested"  # waiting for the post to accept the order
    IN_POST = "in_post"
    DELIVERED = "delivered"
    AT_UNIT = "at_unit"  # ready for pickup (chosen, or returned by the post)
    COLLECTED = "collected"
    WITHDRAWN = "withdrawn"


class DeliveryRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/delivery")


def verification_index_id(code: str) -> UUID:
    return uuid5(_NS, f"verification:{code.upper()}")


def dossier_code_index_id(code: str) -> UUID:
    return uuid5(_NS, f"dossier:{code.upper()}")


def document_index_id(sha256: str) -> UUID:
    return uuid5(_NS, f"document:{sha256}")


def tracking_index_id(tracking_number: str) -> UUID:
    return uuid5(_NS, f"tracking:{tracking_number}")


class Lookup(Aggregate):
    """Finds a dossier by its code, a verification code, a document hash or a tracking number; created in
    the same transaction as what it points to, so a code is never given twice."""

    @event("Created")
    def __init__(self, id: UUID, dossier_id: UUID) -> None:
        self.dossier_id = dossier_id


class ResultDelivery(Aggregate):
    class Registered(Aggregate.Created):
        dossier_code: str
        owner_account: str
        applicant: dict[str, Any]
        unit_code: str | None
        procedure_code: str
        procedure_version: int
        chosen_mode: str
        form_address: dict[str, str] | None
        at: datetime

    class UnitChanged(Aggregate.Event):
        unit_code: str
        at: datetime

    class Withdrawn(Aggregate.Event):
        at: datetime

    class AddressGiven(Aggregate.Event):
        address: dict[str, str]
        at: datetime
        meta: dict[str, Any]

    class ResultIssued(Aggregate.Event):
        result_form: str
        summary: str
        mode: str
        issued_at: datetime

    class DocumentSigned(Aggregate.Event):
        dossier_code: str
        pdf_base64: str
        sha256: str
        verification_code: str
        unit_code: str | None
        unit_name: str
        signed_at: datetime
        meta: dict[str, Any]

    class DocumentDownloaded(Aggregate.Event):
        dossier_code: str
        at: datetime
        meta: dict[str, Any]

    class AddressNeeded(Aggregate.Event):
        at: datetime

    class ShipmentRequested(Aggregate.Event):
        order_ref: str
        address: dict[str, str]
        quoted_fee_vnd: int
        at: datetime

    class ShipmentCreated(Aggregate.Event):
        dossier_code: str
        tracking_number: str
        address: dict[str, str]
        fee_vnd: int
        at: datetime

    class TrackingUpdated(Aggregate.Event):
        seq: int
        status: str
        detail: str
        attempt: int
        at: datetime

    class ParcelDelivered(Aggregate.Event):
        dossier_code: str
        detail: str
        at: datetime

    class AttemptFailed(Aggregate.Event):
        dossier_code: str
        attempt: int
        reason: str
        next_step: str  # retry | returned_to_unit
        at: datetime

    class RedeliveryRequested(Aggregate.Event):
        tracking_number: str
        attempt: int
        at: datetime

    class ReadyAtUnit(Aggregate.Event):
        dossier_code: str
        unit_code: str | None
        bring: list[str]
        at: datetime
        meta: dict[str, Any]

    class SlotBooked(Aggregate.Event):
        dossier_code: str
        unit_code: str | None
        slot_start: datetime
        slot_end: datetime
        at: datetime
        meta: dict[str, Any]

    class Collected(Aggregate.Event):
        dossier_code: str
        unit_code: str | None
        id_checked: bool
        originals_checked: bool
        collected_by: str
        at: datetime
        meta: dict[str, Any]

    @event(Registered)
    def __init__(
        self,
        id: UUID,
        dossier_code: str,
        owner_account: str,
        applicant: dict[str, Any],
        unit_code: str | None,
        procedure_code: str,
        procedure_version: int,
        chosen_mode: str,
        form_address: dict[str, str] | None,
        at: datetime,
    ) -> None:
        self.dossier_code = dossier_code
        self.owner_account = owner_account
        self.applicant = applicant
        self.unit_code = unit_code
        self.procedure_code = procedure_code
        self.procedure_version = procedure_version
        self.chosen_mode = chosen_mode
        self.form_address = form_address
        self.citizen_address: dict[str, str] | None = None
        self.status = Status.AWAITING_RESULT
        self.result: dict[str, Any] | None = None
        self.mode: str | None = None
        self.pdf_base64: str | None = None
        self.sha256: str | None = None
        self.verification_code: str | None = None
        self.signed_at: datetime | None = None
        self.signed_by: str | None = None
        self.downloaded_at: datetime | None = None
        self.tracking_number: str | None = None
        self.shipping_address: dict[str, str] | None = None
        self.postal_fee_vnd = 0
        self.attempt = 0
        self.tracking: list[dict[str, Any]] = []
        self.ready_at: datetime | None = None
        self.bring: list[str] = []
        self.slot: tuple[datetime, datetime] | None = None
        self.collected_at: datetime | None = None

    # -- what it knows ----------------------------------------------------------------------

    @property
    def address(self) -> dict[str, str] | None:
        """Where a parcel goes: the address the citizen gave, else the one in the form."""
        return self.citizen_address or self.form_address

    @property
    def issued(self) -> bool:
        return self.result is not None

    # -- from other services ----------------------------------------------------------------

    def move_to_unit(self, unit_code: str, at: datetime) -> bool:
        if unit_code == self.unit_code:
            return False
        self._unit_changed(unit_code=unit_code, at=at)
        return True

    def withdraw(self, at: datetime) -> bool:
        if self.issued or self.status is Status.WITHDRAWN:
            return False
        self._withdrawn(at=at)
        return True

    def record_result(self, result_form: str, summary: str, mode: str, issued_at: datetime) -> bool:
        """False when already recorded (a result is issued once)."""
        if self.issued:
            return False
        self._result_issued(result_form=result_form, summary=summary, mode=mode, issued_at=issued_at)
        return True

    # -- e-result ---------------------------------------------------------------------------

    def keep_signed_document(
        self,
        pdf_base64: str,
        sha256: str,
        verification_code: str,
        unit_name: str,
        at: datetime,
        meta: dict[str, Any],
    ) -> None:
        self._document_signed(
            dossier_code=self.dossier_code,
            pdf_base64=pdf_base64,
            sha256=sha256,
            verification_code=verification_code,
            unit_code=self.unit_code,
            unit_name=unit_name,
            signed_at=at,
            meta=meta,
        )

    def note_download(self, by_owner: bool, at: datetime, meta: dict[str, Any]) -> bool:
        """The owner's first download delivers the e-result; later ones and staff's change nothing."""
        if self.pdf_base64 is None:
            raise DeliveryRefused("no_e_result", "Hồ sơ này chưa có kết quả điện tử.")
        if not by_owner or self.downloaded_at is not None:
            return False
        self._document_downloaded(dossier_code=self.dossier_code, at=at, meta=meta)
        return True

    # -- post -------------------------------------------------------------------------------

    def give_address(self, address: dict[str, str], at: datetime, meta: dict[str, Any]) -> None:
        if self.status is Status.WITHDRAWN:
            raise DeliveryRefused("withdrawn", "Hồ sơ đã được rút, không còn kết quả để gửi.")
        if self.tracking_number is not None or self.status is Status.SHIPMENT_REQUESTED:
            raise DeliveryRefused(
                "already_dispatched", "Kết quả đã được giao cho bưu chính; không thể đổi địa chỉ nhận."
            )
        if self.issued and self.mode != "post":
            raise DeliveryRefused(
                "not_by_post", "Kết quả của hồ sơ này không được trả qua dịch vụ bưu chính công ích."
            )
        self._address_given(address=address, at=at, meta=meta)

    def request_shipment(self, quoted_fee_vnd: int, at: datetime) -> bool:
        """Ask the post to carry the result once it is issued for post and an address is known."""
        if self.mode != "post" or self.status not in (Status.AWAITING_RESULT, Status.AWAITING_ADDRESS):
            return False
        address = self.address
        if address is None:
            if self.status is not Status.AWAITING_ADDRESS:
                self._address_needed(at=at)
            return False
        self._shipment_requested(
            order_ref=str(self.id), address=address, quoted_fee_vnd=quoted_fee_vnd, at=at
        )
        return True

    def shipment_created(self, tracking_number: str, fee_vnd: int, at: datetime) -> bool:
        if self.status is not Status.SHIPMENT_REQUESTED:
            return False
        assert self.shipping_address is not None
        self._shipment_created(
            dossier_code=self.dossier_code,
            tracking_number=tracking_number,
            address=self.shipping_address,
            fee_vnd=fee_vnd,
            at=at,
        )
        return True

    def track(
        self,
        seq: int,
        status: str,
        detail: str,
        attempt: int,
        at: datetime,
        max_attempts: int,
        bring: list[str],
        meta: dict[str, Any],
    ) -> bool:
        """Keep one tracking update of the post; a delivery or a failed attempt is acted on.

        False when this update was already kept (the post may send a webhook twice).
        """
        if any(update["seq"] == seq for update in self.tracking):
            return False
        self._tracking_updated(seq=seq, status=status, detail=detail, attempt=attempt, at=at)
        if self.status is not Status.IN_POST:
            return True  # late news about a parcel already delivered or returned: kept only
        if status == "delivered":
            self._parcel_delivered(dossier_code=self.dossier_code, detail=detail, at=at)
        elif status == "failed" and attempt == self.attempt:
            last = attempt >= max_attempts
            self._attempt_failed(
                dossier_code=self.dossier_code,
                attempt=attempt,
                reason=detail,
                next_step="returned_to_unit" if last else "retry",
                at=at,
            )
            if last:
                self._ready_at_unit(
                    dossier_code=self.dossier_code, unit_code=self.unit_code, bring=bring, at=at, meta=meta
                )
            else:
                assert self.tracking_number is not None
                self._redelivery_requested(tracking_number=self.tracking_number, attempt=attempt + 1, at=at)
        return True

    # -- pickup -----------------------------------------------------------------------------

    def make_ready_at_unit(self, bring: list[str], at: datetime, meta: dict[str, Any]) -> bool:
        if self.mode != "pickup" or self.status is not Status.AWAITING_RESULT:
            return False
        self._ready_at_unit(
            dossier_code=self.dossier_code, unit_code=self.unit_code, bring=bring, at=at, meta=meta
        )
        return True

    def book(self, start: datetime, end: datetime, at: datetime, meta: dict[str, Any]) -> None:
        if self.status is not Status.AT_UNIT:
            raise DeliveryRefused(
                "not_ready_for_pickup",
                "Kết quả chưa sẵn sàng để nhận tại bộ phận một cửa; chưa thể đặt lịch.",
            )
        self._slot_booked(
            dossier_code=self.dossier_code,
            unit_code=self.unit_code,
            slot_start=start,
            slot_end=end,
            at=at,
            meta=meta,
        )

    def collect(
        self,
        id_checked: bool,
        originals_checked: bool,
        originals_required: bool,
        collected_by: str,
        at: datetime,
        meta: dict[str, Any],
    ) -> None:
        if self.status is Status.COLLECTED:
            raise DeliveryRefused("already_collected", "Kết quả đã được trao cho công dân trước đó.")
        if self.status is not Status.AT_UNIT:
            raise DeliveryRefused("not_ready_for_pickup", "Kết quả không chờ nhận tại bộ phận một cửa.")
        if not id_checked:
            raise DeliveryRefused(
                "id_not_checked", "Phải kiểm tra thẻ căn cước của người nhận trước khi trao kết quả."
            )
        if originals_required and not originals_checked:
            raise DeliveryRefused(
                "originals_not_checked",
                "Thủ tục mức độ 3: phải đối chiếu bản chính giấy tờ trước khi trao kết quả.",
            )
        self._collected(
            dossier_code=self.dossier_code,
            unit_code=self.unit_code,
            id_checked=id_checked,
            originals_checked=originals_checked,
            collected_by=collected_by,
            at=at,
            meta=meta,
        )

    # -- state changes ----------------------------------------------------------------------

    @event(UnitChanged)
    def _unit_changed(self, unit_code: str, at: datetime) -> None:
        self.unit_code = unit_code

    @event(Withdrawn)
    def _withdrawn(self, at: datetime) -> None:
        self.status = Status.WITHDRAWN

    @event(AddressGiven)
    def _address_given(self, address: dict[str, str], at: datetime, meta: dict[str, Any]) -> None:
        self.citizen_address = address

    @event(ResultIssued)
    def _result_issued(self, result_form: str, summary: str, mode: str, issued_at: datetime) -> None:
        self.result = {"result_form": result_form, "summary": summary, "issued_at": issued_at}
        self.mode = mode

    @event(DocumentSigned)
    def _document_signed(
        self,
        dossier_code: str,
        pdf_base64: str,
        sha256: str,
        verification_code: str,
        unit_code: str | None,
        unit_name: str,
        signed_at: datetime,
        meta: dict[str, Any],
    ) -> None:
        self.pdf_base64 = pdf_base64
        self.sha256 = sha256
        self.verification_code = verification_code
        self.signed_by = unit_name
        self.signed_at = signed_at
        self.status = Status.E_RESULT_AVAILABLE

    @event(DocumentDownloaded)
    def _document_downloaded(self, dossier_code: str, at: datetime, meta: dict[str, Any]) -> None:
        self.downloaded_at = at
        self.status = Status.DELIVERED

    @event(AddressNeeded)
    def _address_needed(self, at: datetime) -> None:
        self.status = Status.AWAITING_ADDRESS

    @event(ShipmentRequested)
    def _shipment_requested(
        self, order_ref: str, address: dict[str, str], quoted_fee_vnd: int, at: datetime
    ) -> None:
        self.shipping_address = address
        self.postal_fee_vnd = quoted_fee_vnd
        self.attempt = 1
        self.status = Status.SHIPMENT_REQUESTED

    @event(ShipmentCreated)
    def _shipment_created(
        self, dossier_code: str, tracking_number: str, address: dict[str, str], fee_vnd: int, at: datetime
    ) -> None:
        self.tracking_number = tracking_number
        self.postal_fee_vnd = fee_vnd
        self.status = Status.IN_POST

    @event(TrackingUpdated)
    def _tracking_updated(self, seq: int, status: str, detail: str, attempt: int, at: datetime) -> None:
        self.tracking.append({"seq": seq, "status": status, "detail": detail, "attempt": attempt, "at": at})

    @event(ParcelDelivered)
    def _parcel_delivered(self, dossier_code: str, detail: str, at: datetime) -> None:
        self.status = Status.DELIVERED

    @event(AttemptFailed)
    def _attempt_failed(
        self, dossier_code: str, attempt: int, reason: str, next_step: str, at: datetime
    ) -> None:
        pass

    @event(RedeliveryRequested)
    def _redelivery_requested(self, tracking_number: str, attempt: int, at: datetime) -> None:
        self.attempt = attempt

    @event(ReadyAtUnit)
    def _ready_at_unit(
        self, dossier_code: str, unit_code: str | None, bring: list[str], at: datetime, meta: dict[str, Any]
    ) -> None:
        self.ready_at = at
        self.bring = bring
        self.status = Status.AT_UNIT

    @event(SlotBooked)
    def _slot_booked(
        self,
        dossier_code: str,
        unit_code: str | None,
        slot_start: datetime,
        slot_end: datetime,
        at: datetime,
        meta: dict[str, Any],
    ) -> None:
        self.slot = (slot_start, slot_end)

    @event(Collected)
    def _collected(
        self,
        dossier_code: str,
        unit_code: str | None,
        id_checked: bool,
        originals_checked: bool,
        collected_by: str,
        at: datetime,
        meta: dict[str, Any],
    ) -> None:
        self.collected_at = at
        self.status = Status.COLLECTED
