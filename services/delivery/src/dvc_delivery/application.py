"""Delivery's commands, queries and its policy for consumed dossier events."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.persistence import IntegrityError, Tracking

from dvc_calendar import WorkingCalendar, load_office_hours, packaged_calendar
from dvc_contracts.case import Transferred
from dvc_contracts.catalog import ProcedureVersionPublished
from dvc_contracts.dossier import Received, ResultIssued, Submitted, Withdrawn
from dvc_kernel.application import AwaitingCause, Incoming, ServiceApplication, event_types
from dvc_kernel.auth.access import DossierScope, can_change_dossier, can_read_dossier
from dvc_kernel.auth.principal import APPLICANT_ROLES, Principal, Role
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.clock import VIETNAM, Clock, SystemClock
from dvc_kernel.errors import Conflict, Forbidden, NotFound, Unprocessable
from dvc_kernel.meta import CommandMeta

from .document import ResultDocument, render
from .domain.pickup import PickupRules, SlotLedger, slot_id, slots
from .domain.postal import PostalRules
from .domain.result_delivery import (
    DeliveryRefused,
    Lookup,
    ResultDelivery,
    document_index_id,
    dossier_code_index_id,
    tracking_index_id,
    verification_index_id,
)
from .rules import pickup_rules, postal_rules
from .signing import UnitSigner, check_signature

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no look-alikes (0/O, 1/I/L, U/V)


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@dataclass(frozen=True)
class Verdict:
    """What the public verification page says of a presented PDF."""

    authentic: bool
    signature_valid: bool
    issued_by_us: bool
    sha256: str
    dossier_code: str | None
    issued_by: str | None
    signed_at: datetime | None
    message: str


class DeliveryApplication(ServiceApplication):
    subject_field = "dossier_id"  # events about a dossier may arrive before its Submitted
    name = "delivery"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        signer: UnitSigner,
        verify_url: str,
        clock: Clock | None = None,
        catalog: CatalogReplica | None = None,
        pickup: PickupRules | None = None,
        postal: PostalRules | None = None,
        calendar: WorkingCalendar | None = None,
    ) -> None:
        super().__init__(env)
        self.signer = signer
        self.verify_url = verify_url  # the public verification page, with {code}
        self.clock = clock or SystemClock()
        self.catalog = catalog or CatalogReplica()
        self.pickup = pickup or pickup_rules()
        self.postal = postal or postal_rules()
        self.calendar = calendar or packaged_calendar()

    # -- policy -----------------------------------------------------------------------------

    # Its reaction to an issued result signs a PDF: CPU-heavy, and the signing library runs
    # its own event loop. Its store calls run in worker threads, never on the service's loop.
    store_calls_on_the_loop = False
    handles = event_types(Submitted, Received, Transferred, Withdrawn, ResultIssued)

    def on_incoming(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        payload = incoming.payload
        if isinstance(payload, Submitted):
            self._register(payload, processing_event)
            return
        if not isinstance(payload, Received | Transferred | Withdrawn | ResultIssued):
            return  # other dossier events do not concern delivery
        delivery = self.delivery(payload.dossier_id)
        if delivery is None:
            # Before its Submitted (another topic): parked, applied once the dossier is known.
            raise AwaitingCause(payload.dossier_id, f"{payload.event_type} before its Submitted")
        now = self.clock.now()
        changed = False
        if isinstance(payload, Received) and payload.unit_code:
            changed = delivery.move_to_unit(payload.unit_code, now)
        elif isinstance(payload, Transferred):
            changed = delivery.move_to_unit(payload.to_unit, now)
        elif isinstance(payload, Withdrawn):
            changed = delivery.withdraw(now)
        elif isinstance(payload, ResultIssued) and delivery.record_result(
            payload.result_form, payload.summary, payload.delivery_mode, payload.issued_at
        ):
            self._send_result(delivery, self.reaction_meta(incoming), processing_event)
            return
        if changed:
            processing_event.collect_events(delivery)

    def _register(self, submitted: Submitted, processing_event: ProcessingEvent[UUID]) -> None:
        if self.delivery(submitted.dossier_id) is not None:
            return
        version = self.catalog.version(submitted.procedure_code, submitted.procedure_version)
        applicant = submitted.applicant
        delivery = ResultDelivery(
            id=submitted.dossier_id,
            dossier_code=submitted.dossier_code,
            owner_account=submitted.owner_account,
            applicant={"full_name": applicant.full_name, "phone": applicant.phone, "email": applicant.email},
            unit_code=submitted.unit_code,
            procedure_code=submitted.procedure_code,
            procedure_version=submitted.procedure_version,
            chosen_mode=submitted.delivery_mode,
            form_address=self.postal.address_from_form(
                version.form.code if version and version.form else None,
                submitted.form_data,
                applicant.full_name,
                applicant.phone,
            ),
            at=self.clock.now(),
        )
        by_code = Lookup(id=dossier_code_index_id(submitted.dossier_code), dossier_id=submitted.dossier_id)
        processing_event.collect_events(delivery, by_code)

    def _send_result(
        self, delivery: ResultDelivery, meta: dict[str, Any], processing_event: ProcessingEvent[UUID]
    ) -> None:
        now = self.clock.now()
        others: list[Any] = []
        if delivery.mode == "e_result":
            others = self._sign(delivery, now, meta)
        elif delivery.mode == "post":
            address = delivery.address
            fee = self.postal.fee(address, self._unit_province(delivery.unit_code)) if address else 0
            delivery.request_shipment(fee, now)
        elif delivery.mode == "pickup":
            delivery.make_ready_at_unit(self.pickup.bring(self.level(delivery)), now, meta)
        processing_event.collect_events(delivery, *others)

    def _sign(self, delivery: ResultDelivery, now: datetime, meta: dict[str, Any]) -> list[Any]:
        code = new_verification_code()
        unit_name = self.unit_name(delivery.unit_code)
        result = delivery.result or {}
        pdf = render(
            ResultDocument(
                dossier_code=delivery.dossier_code,
                procedure=self.procedure_name(delivery),
                applicant=str(delivery.applicant.get("full_name", "")),
                result_form=str(result.get("result_form", "")),
                summary=str(result.get("summary", "")),
                unit=unit_name,
                issued_at=result.get("issued_at", now),
                verification_code=code,
                verification_url=self.verify_url.format(code=code),
            )
        )
        signed = self.signer.sign(pdf, delivery.unit_code or "BCA", unit_name)
        digest = hashlib.sha256(signed).hexdigest()
        delivery.keep_signed_document(base64.b64encode(signed).decode(), digest, code, unit_name, now, meta)
        return [
            Lookup(id=verification_index_id(code), dossier_id=delivery.id),
            Lookup(id=document_index_id(digest), dossier_id=delivery.id),
        ]

    # -- catalog look-ups -------------------------------------------------------------------

    def version(self, delivery: ResultDelivery) -> ProcedureVersionPublished | None:
        return self.catalog.version(delivery.procedure_code, delivery.procedure_version)

    def level(self, delivery: ResultDelivery) -> int:
        version = self.version(delivery)
        return version.level if version else 3  # unknown: check the most, as for level 3

    def procedure_name(self, delivery: ResultDelivery) -> str:
        version = self.version(delivery)
        return f"{version.name} ({delivery.procedure_code})" if version else delivery.procedure_code

    def unit_name(self, unit_code: str | None) -> str:
        unit = self.catalog.units.get(unit_code or "")
        return unit.name if unit else (unit_code or "Bộ Công an")

    def _unit_province(self, unit_code: str | None) -> str | None:
        unit = self.catalog.units.get(unit_code or "")
        return unit.province_code if unit else None

    # -- queries ----------------------------------------------------------------------------

    def delivery(self, dossier_id: UUID) -> ResultDelivery | None:
        try:
            found: ResultDelivery = self.repository.get(dossier_id)
        except AggregateNotFoundError:
            return None
        return found

    def _lookup(self, index_id: UUID) -> ResultDelivery | None:
        try:
            lookup: Lookup = self.repository.get(index_id)
        except AggregateNotFoundError:
            return None
        return self.delivery(lookup.dossier_id)

    def resolve(self, reference: str) -> UUID:
        """The dossier id a route names: its dossier code, as every other service takes it, or
        (for links made before codes were accepted) its id."""
        try:
            return UUID(reference)
        except ValueError:
            pass
        try:
            lookup: Lookup = self.repository.get(dossier_code_index_id(reference.strip()))
        except AggregateNotFoundError:
            raise NotFound("dossier_not_found", "Không tìm thấy hồ sơ.") from None
        return lookup.dossier_id

    def readable(self, dossier_id: UUID, principal: Principal) -> ResultDelivery:
        """The dossier's delivery, if the caller is its owner or staff of its unit."""
        delivery = self.delivery(dossier_id)
        if delivery is None:
            raise NotFound("dossier_not_found", "Không tìm thấy hồ sơ.")
        scope = DossierScope(owner=delivery.owner_account, unit=delivery.unit_code)
        # Someone else's dossier is "not found", so dossier ids cannot be probed.
        if not can_read_dossier(principal, scope) or principal.role is Role.AUDITOR:
            raise NotFound("dossier_not_found", "Không tìm thấy hồ sơ.")
        return delivery

    def _owned(self, dossier_id: UUID, principal: Principal) -> ResultDelivery:
        delivery = self.delivery(dossier_id)
        if delivery is None:
            raise NotFound("dossier_not_found", "Không tìm thấy hồ sơ.")
        if principal.role not in APPLICANT_ROLES or principal.subject != delivery.owner_account:
            raise NotFound("dossier_not_found", "Không tìm thấy hồ sơ.")
        return delivery

    # -- e-result ---------------------------------------------------------------------------

    def download(
        self, dossier_id: UUID, principal: Principal, meta: CommandMeta
    ) -> tuple[ResultDelivery, bytes]:
        """The signed PDF; the owner's first download is recorded as the e-result's delivery."""
        delivery = self.readable(dossier_id, principal)
        by_owner = principal.role in APPLICANT_ROLES
        try:
            first = delivery.note_download(by_owner, self.clock.now(), meta.as_dict())
        except DeliveryRefused as refused:
            raise NotFound(refused.code, refused.message) from None
        if first:
            with contextlib.suppress(IntegrityError):  # a concurrent first download recorded it
                self.save(delivery)
        assert delivery.pdf_base64 is not None
        return delivery, base64.b64decode(delivery.pdf_base64)

    def document_for_service(self, dossier_id: UUID) -> tuple[ResultDelivery, bytes]:
        delivery = self.delivery(dossier_id)
        if delivery is None or delivery.pdf_base64 is None:
            raise NotFound("no_e_result", "Hồ sơ này chưa có kết quả điện tử.")
        return delivery, base64.b64decode(delivery.pdf_base64)

    def by_verification_code(self, code: str) -> ResultDelivery:
        delivery = self._lookup(verification_index_id(code.strip()))
        if delivery is None:
            raise NotFound("unknown_verification_code", "Không tìm thấy văn bản có mã kiểm tra này.")
        return delivery

    def verify(self, pdf: bytes) -> Verdict:
        """Authentic and unaltered: a valid signature chaining to our root, over the whole file,
        and exactly the bytes we issued (the hash is one we recorded)."""
        digest = hashlib.sha256(pdf).hexdigest()
        check = check_signature(pdf, self.signer.trust_roots())
        delivery = self._lookup(document_index_id(digest))
        authentic = check.valid and delivery is not None
        if authentic:
            message = "Văn bản xác thực: chữ ký số hợp lệ và nội dung không bị thay đổi sau khi ký."
        elif not check.signed:
            message = "Tệp không có chữ ký số của cơ quan giải quyết."
        elif not check.valid:
            message = "Chữ ký số không hợp lệ: văn bản đã bị thay đổi hoặc không do hệ thống cấp."
        else:
            message = "Không tìm thấy văn bản này trong số kết quả đã cấp."
        return Verdict(
            authentic=authentic,
            signature_valid=check.valid,
            issued_by_us=delivery is not None,
            sha256=digest,
            dossier_code=delivery.dossier_code if delivery else None,
            issued_by=delivery.signed_by if delivery else None,
            signed_at=delivery.signed_at if delivery else None,
            message=message,
        )

    # -- post -------------------------------------------------------------------------------

    def give_address(
        self, dossier_id: UUID, principal: Principal, address: dict[str, str], meta: CommandMeta
    ) -> ResultDelivery:
        delivery = self._owned(dossier_id, principal)
        now = self.clock.now()
        try:
            delivery.give_address(address, now, meta.as_dict())
        except DeliveryRefused as refused:
            raise Conflict(refused.code, refused.message) from None
        # A result already waiting for this address goes out now.
        delivery.request_shipment(self.postal.fee(address, self._unit_province(delivery.unit_code)), now)
        self._save_or_conflict(delivery)
        return delivery

    def quote(self, delivery: ResultDelivery) -> int | None:
        address = delivery.address
        if address is None:
            return None
        return self.postal.fee(address, self._unit_province(delivery.unit_code))

    def unit_province(self, delivery: ResultDelivery) -> str | None:
        return self._unit_province(delivery.unit_code)

    def record_order(self, dossier_id: UUID, tracking_number: str, fee_vnd: int, tracking: Tracking) -> None:
        """The post accepted the order: recorded with the dispatcher's position."""
        delivery = self.delivery(dossier_id)
        event = ProcessingEvent[UUID](tracking=tracking)
        if delivery is not None and delivery.shipment_created(tracking_number, fee_vnd, self.clock.now()):
            event.collect_events(
                delivery, Lookup(id=tracking_index_id(tracking_number), dossier_id=dossier_id)
            )
        self._record(event)

    def postal_update(
        self, tracking_number: str, seq: int, status: str, detail: str, attempt: int, at: datetime
    ) -> bool:
        """One tracking update from the post's webhook; False when it was already kept."""
        delivery = self._lookup(tracking_index_id(tracking_number))
        if delivery is None:
            raise NotFound("unknown_tracking_number", "Không có bưu gửi với số hiệu này.")
        kept = delivery.track(
            seq,
            status,
            detail,
            attempt,
            at,
            max_attempts=self.postal.max_attempts,
            bring=self.pickup.bring(self.level(delivery)),
            meta=CommandMeta.system("delivery").as_dict(),
        )
        if kept:
            try:
                self.save(delivery)
            except IntegrityError:
                raise Conflict("concurrent_change", "Bưu gửi vừa được cập nhật; xin gửi lại.") from None
        return kept

    # -- pickup -----------------------------------------------------------------------------

    def slots(self, dossier_id: UUID, principal: Principal) -> list[tuple[datetime, datetime, int]]:
        """Free slots at the dossier's unit, with the places left in each."""
        delivery = self.readable(dossier_id, principal)
        version = self.version(delivery)
        saturday = bool(version and version.deadline.saturday_morning_reception)
        free = []
        for start, end in slots(
            self.clock.now().astimezone(VIETNAM),
            self.calendar,
            load_office_hours(delivery.unit_code),
            saturday,
            self.pickup,
        ):
            left = self.pickup.capacity - len(self._ledger(delivery.unit_code, start).dossiers)
            if left > 0:
                free.append((start, end, left))
        return free

    def _ledger(self, unit_code: str | None, start: datetime) -> SlotLedger:
        try:
            ledger: SlotLedger = self.repository.get(slot_id(unit_code, start))
        except AggregateNotFoundError:
            ledger = SlotLedger(id=slot_id(unit_code, start), unit_code=unit_code, start=start)
        return ledger

    def book(
        self, dossier_id: UUID, principal: Principal, start: datetime, meta: CommandMeta
    ) -> ResultDelivery:
        delivery = self._owned(dossier_id, principal)
        offered = {s: e for s, e, _ in self.slots(dossier_id, principal)}
        wanted = start.astimezone(VIETNAM)
        if wanted not in offered:
            raise Conflict(
                "slot_not_available",
                "Khung giờ này không có trong lịch tiếp nhận của đơn vị hoặc đã đủ người."
                " Vui lòng chọn khung khác.",
            )
        ledger = self._ledger(delivery.unit_code, wanted)
        changed: list[Any] = [delivery, ledger]
        try:
            if delivery.slot is not None and delivery.slot[0] != wanted:
                previous = self._ledger(delivery.unit_code, delivery.slot[0])
                previous.release(delivery.id)
                changed.append(previous)
            ledger.take(delivery.id, self.pickup.capacity)
            delivery.book(wanted, offered[wanted], self.clock.now(), meta.as_dict())
        except DeliveryRefused as refused:
            raise Conflict(refused.code, refused.message) from None
        self._save_or_conflict(*changed)
        return delivery

    def collect(
        self,
        dossier_id: UUID,
        principal: Principal,
        *,
        id_checked: bool,
        originals_checked: bool,
        collected_by: str,
        meta: CommandMeta,
    ) -> ResultDelivery:
        delivery = self.delivery(dossier_id)
        if delivery is None:
            raise NotFound("dossier_not_found", "Không tìm thấy hồ sơ.")
        scope = DossierScope(owner=delivery.owner_account, unit=delivery.unit_code)
        if principal.role not in (Role.OFFICER, Role.SUPERVISOR) or not can_change_dossier(principal, scope):
            raise Forbidden(
                "not_your_unit", "Chỉ cán bộ của đơn vị trả kết quả mới được ghi nhận việc trao kết quả."
            )
        try:
            delivery.collect(
                id_checked,
                originals_checked,
                originals_required=self.level(delivery) <= 3,
                collected_by=collected_by,
                at=self.clock.now(),
                meta=meta.as_dict(),
            )
        except DeliveryRefused as refused:
            error = (
                Conflict if refused.code in ("already_collected", "not_ready_for_pickup") else Unprocessable
            )
            raise error(refused.code, refused.message) from None
        self._save_or_conflict(delivery)
        return delivery

    def _save_or_conflict(self, *aggregates: Any) -> None:
        try:
            self.save(*aggregates)
        except IntegrityError:
            raise Conflict(
                "concurrent_change", "Dữ liệu vừa được cập nhật bởi người khác. Vui lòng thử lại."
            ) from None
