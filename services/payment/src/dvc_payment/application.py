"""Payment's commands, queries and its policy for consumed events."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from dvc_contracts.case import Refused as CaseRefused
from dvc_contracts.case import WithdrawalAcknowledged
from dvc_contracts.dossier import RejectedWithReason, Submitted
from dvc_kernel.application import AwaitingCause, Incoming, ServiceApplication, event_types
from dvc_kernel.auth.access import DossierScope, can_change_dossier, can_read_dossier
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.clock import VIETNAM, Clock, SystemClock
from dvc_kernel.errors import Conflict, Forbidden, NotFound, Unprocessable
from dvc_kernel.inbox import conflict
from dvc_kernel.meta import CommandMeta

from .domain.assessment import Filing, assess
from .domain.fee import CallbackRefusal, Fee, Index, Outcome, Refused
from .domain.reconciliation import Movement
from .fee_rules import reading_rules, schedule_of
from .gateway.port import Notification, NotificationRefused

log = logging.getLogger(__name__)

NOT_FOUND = ("fee_not_found", "Không tìm thấy thông tin lệ phí của hồ sơ có mã này.")
CONFIRM_ATTEMPTS = 5


@dataclass(frozen=True)
class Judged:
    """What became of a payment notification."""

    outcome: Outcome | None  # None: refused before reaching an order
    refusal: str | None = None  # forged | incomplete | malformed | wrong_merchant | unknown_order | …


class PaymentApplication(ServiceApplication):
    subject_field = "dossier_id"  # events about a dossier may arrive before its Submitted
    name = "payment"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        clock: Clock | None = None,
        catalog: CatalogReplica | None = None,
    ) -> None:
        super().__init__(env)
        self.clock = clock or SystemClock()
        self.catalog = catalog or CatalogReplica()

    # -- policy: what payment does with consumed events ----------------------------------------

    handles = event_types(Submitted, RejectedWithReason, CaseRefused, WithdrawalAcknowledged)

    def on_incoming(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        payload = incoming.payload
        if isinstance(payload, Submitted):
            self._assess(incoming, payload, processing_event)
        elif isinstance(payload, RejectedWithReason):
            reason = f"Hồ sơ bị từ chối tiếp nhận: {payload.explanation}"
            self._close(incoming, payload.dossier_id, reason, processing_event)
        elif isinstance(payload, CaseRefused):
            reason = f"Hồ sơ không được giải quyết: {payload.explanation}"
            self._close(incoming, payload.dossier_id, reason, processing_event)
        elif isinstance(payload, WithdrawalAcknowledged):
            self._close(incoming, payload.dossier_id, "Công dân rút hồ sơ.", processing_event)

    def _assess(
        self, incoming: Incoming, submitted: Submitted, processing_event: ProcessingEvent[UUID]
    ) -> None:
        """Once per dossier, from the procedure version it was filed under."""
        if self.fee(submitted.dossier_id) is not None:
            return
        version = self.catalog.version(submitted.procedure_code, submitted.procedure_version)
        if version is None:
            # Retried with back-off by the inbox: the version reaches the replica, or an operator looks.
            raise LookupError(
                f"no catalog version {submitted.procedure_code} v{submitted.procedure_version} "
                f"for dossier {submitted.dossier_code}"
            )
        filing = Filing(
            form_data=submitted.form_data,
            filed_on=submitted.submitted_at.astimezone(VIETNAM).date(),
            date_of_birth=submitted.applicant.date_of_birth,
        )
        assessed = assess(schedule_of(version), filing, reading_rules())
        for note in assessed.notes:
            log.warning("dossier %s: %s", submitted.dossier_code, note)
        fee = Fee(
            id=submitted.dossier_id,
            dossier_code=submitted.dossier_code,
            procedure_code=submitted.procedure_code,
            procedure_version=submitted.procedure_version,
            level=version.level,
            unit_code=submitted.unit_code,
            owner_account=submitted.owner_account,
            amount_vnd=assessed.amount_vnd,
            rate=assessed.rate,
            rule=assessed.rule,
            exemption=assessed.exemption,
            due=assessed.due,
            methods=list(assessed.methods),
            assessed_at=self.clock.now(),
            meta=self.reaction_meta(incoming),
        )
        index = Index(
            id=Fee.code_index_id(submitted.dossier_code), name=submitted.dossier_code, dossier_id=fee.id
        )
        processing_event.collect_events(fee, index)

    def _close(
        self, incoming: Incoming, dossier_id: UUID, reason: str, processing_event: ProcessingEvent[UUID]
    ) -> None:
        fee = self.fee(dossier_id)
        if fee is None:
            # Decided before its Submitted reached payment (another topic): parked, so the fee
            # is closed (and nothing taken for it later) once it has been assessed.
            raise AwaitingCause(dossier_id, f"{incoming.envelope.event_type} before its Submitted")
        if fee.close(reason, self.clock.now(), self.reaction_meta(incoming)):
            processing_event.collect_events(fee)

    # -- queries ---------------------------------------------------------------------------------

    def fee(self, dossier_id: UUID) -> Fee | None:
        try:
            found: Fee = self.repository.get(dossier_id)
        except AggregateNotFoundError:
            return None
        return found

    def _indexed(self, index_id: UUID) -> Fee | None:
        try:
            index: Index = self.repository.get(index_id)
        except AggregateNotFoundError:
            return None
        return self.fee(index.dossier_id)

    def fee_by_code(self, code: str) -> Fee | None:
        return self._indexed(Fee.code_index_id(code))

    def fee_by_order(self, txn_ref: str) -> Fee | None:
        return self._indexed(Fee.order_index_id(txn_ref))

    def readable_fee(self, code: str, principal: Principal) -> Fee:
        fee = self.fee_by_code(code)
        # Someone else's dossier is "not found", so codes cannot be probed.
        if fee is None or not can_read_dossier(principal, DossierScope(fee.owner_account, fee.unit_code)):
            raise NotFound(*NOT_FOUND)
        return fee

    # -- citizen: paying online -----------------------------------------------------------------

    def start_payment(
        self, code: str, principal: Principal, method: str, meta: CommandMeta
    ) -> tuple[Fee, str]:
        """A new order for the dossier's fee; returns the fee and the order reference."""
        fee = self.fee_by_code(code)
        if fee is None or not can_change_dossier(principal, DossierScope(fee.owner_account, None)):
            raise NotFound(*NOT_FOUND)
        # VNPAY wants an alphanumeric vnp_TxnRef, unique per day; the attempt number keeps it unique.
        txn_ref = f"{code.replace('-', '')}{fee.attempt_number():02d}"
        try:
            fee.start(method, txn_ref, self.clock.now(), meta.as_dict())
        except Refused as refused:
            raise Conflict(refused.code, refused.message) from None
        order = Index(id=Fee.order_index_id(txn_ref), name=txn_ref, dossier_id=fee.id)
        try:
            self.save(fee, order)
        except IntegrityError:
            raise Conflict(
                "concurrent_payment", "Một yêu cầu thanh toán khác vừa được tạo; vui lòng thử lại."
            ) from None
        return fee, txn_ref

    # -- gateway and bank: payment notifications -------------------------------------------------

    def receive_notification(self, channel: str, read: Callable[[], Notification]) -> Judged:
        """Judge one notification; whatever is refused is recorded, never raised."""
        try:
            notification = read()
        except NotificationRefused as refused:
            self._refuse(channel, refused.reason, refused.txn_ref, {"detail": refused.detail})
            return Judged(None, refused.reason)
        for _ in range(CONFIRM_ATTEMPTS):
            fee = self.fee_by_order(notification.txn_ref)
            if fee is None:
                self._refuse(channel, "unknown_order", notification.txn_ref, notification.fields)
                return Judged(None, "unknown_order")
            attempt = fee.attempts[notification.txn_ref]
            if attempt.method != channel:
                self._refuse(channel, "wrong_channel", notification.txn_ref, notification.fields)
                return Judged(None, "wrong_channel")
            meta = CommandMeta.system("payment").as_dict()
            outcome = fee.confirm(
                notification.txn_ref,
                notification.amount_vnd,
                notification.succeeded,
                notification.transaction_ref,
                notification.paid_at,
                notification.response_code,
                self.clock.now(),
                meta,
            )
            if outcome in (Outcome.ALREADY_CONFIRMED, Outcome.AMOUNT_MISMATCH):
                reason = "duplicate" if outcome is Outcome.ALREADY_CONFIRMED else "amount_mismatch"
                self._refuse(channel, reason, notification.txn_ref, notification.fields)
                return Judged(outcome, reason)
            try:
                self.save(fee)
            except IntegrityError as error:
                # The same notification, or another, or a refund was applied meanwhile: judge again.
                conflict("payment confirmation", notification.txn_ref, error)
                continue
            if outcome is Outcome.NOT_KEPT:
                log.warning(
                    "payment %s for dossier %s cannot be kept; refunding",
                    notification.txn_ref,
                    fee.dossier_code,
                )
            return Judged(outcome)
        raise RuntimeError(f"could not record notification for {notification.txn_ref}")

    def _refuse(self, channel: str, reason: str, txn_ref: str | None, fields: Any) -> None:
        clean = {str(k): str(v)[:500] for k, v in dict(fields).items()}
        log.warning(
            "refused %s notification for order %s: %s %s", channel, txn_ref, reason, clean.get("detail", "")
        )
        self.save(
            CallbackRefusal(
                channel=channel, reason=reason, txn_ref=txn_ref, fields=clean, at=self.clock.now()
            )
        )

    def refusals(self) -> list[CallbackRefusal]:
        return [
            self.repository.get(e.originator_id) for e in self._events_of(CallbackRefusal.CallbackRefused)
        ]

    # -- officer: paying at the counter (level 3) -------------------------------------------------

    def counter_receipt(
        self, code: str, principal: Principal, receipt_number: str, amount_vnd: int, meta: CommandMeta
    ) -> Fee:
        fee = self.fee_by_code(code)
        if fee is None:
            raise NotFound(*NOT_FOUND)
        if principal.role not in (Role.OFFICER, Role.SUPERVISOR) or not can_change_dossier(
            principal, DossierScope(fee.owner_account, fee.unit_code)
        ):
            raise Forbidden("not_your_unit", "Chỉ cán bộ của đơn vị giải quyết hồ sơ mới được thu lệ phí.")
        try:
            fee.pay_at_counter(receipt_number, amount_vnd, self.clock.now(), meta.as_dict())
        except Refused as refused:
            error = Unprocessable if refused.code == "amount_mismatch" else Conflict
            raise error(refused.code, refused.message) from None
        receipt = Index(
            id=Fee.receipt_index_id(fee.unit_code or "", receipt_number),
            name=receipt_number,
            dossier_id=fee.id,
        )
        try:
            self.save(fee, receipt)
        except IntegrityError:
            raise Conflict(
                "receipt_taken", "Số biên lai này đã được ghi nhận, hoặc hồ sơ vừa được cập nhật."
            ) from None
        return fee

    # -- refunds ---------------------------------------------------------------------------------

    def record_refund(self, dossier_id: UUID, txn_ref: str, refund_ref: str, refunded_at: datetime) -> bool:
        for _ in range(CONFIRM_ATTEMPTS):
            fee = self.fee(dossier_id)
            if fee is None or not fee.record_refund(
                txn_ref, refund_ref, refunded_at, CommandMeta.system("payment").as_dict()
            ):
                return False
            try:
                self.save(fee)
                return True
            except IntegrityError as error:
                conflict("refund record", txn_ref, error)
                continue
        return False

    # -- reconciliation --------------------------------------------------------------------------

    def movements_by_unit(self, day: date) -> list[tuple[Movement, str | None]]:
        """`movements`, each with the unit handling its dossier (scoping the reconciliation)."""
        units: dict[UUID, str | None] = {}
        found: list[tuple[Movement, str | None]] = []
        for e, movement in self._movements(day):
            if e.originator_id not in units:
                units[e.originator_id] = self.repository.get(e.originator_id).unit_code
            found.append((movement, units[e.originator_id]))
        return found

    def movements(self, day: date) -> list[Movement]:
        """Money that moved through a channel on `day` (Vietnam), as this store knows it."""
        return [movement for _, movement in self._movements(day)]

    def _movements(self, day: date) -> list[tuple[Any, Movement]]:
        moved: list[tuple[Any, Movement]] = []
        for e in self._events_of(Fee.Paid, Fee.PaidNotKept, Fee.Refunded):
            kind = "refund" if isinstance(e, Fee.Refunded) else "payment"
            at: datetime = e.refunded_at if kind == "refund" else e.paid_at
            if at.astimezone(VIETNAM).date() != day:
                continue
            moved.append(
                (
                    e,
                    Movement(
                        channel=e.method,
                        kind=kind,
                        txn_ref=e.txn_ref,
                        transaction_ref=e.refund_ref if kind == "refund" else e.transaction_ref,
                        amount_vnd=e.amount_vnd,
                        at=at,
                    ),
                )
            )
        return moved

    def _events_of(self, *classes: type) -> Iterator[Any]:
        topics = [get_topic(cls) for cls in classes]
        start = 1
        while True:
            batch = self.recorder.select_notifications(start, 500, topics=topics)
            for notification in batch:
                yield self.mapper.to_domain_event(notification)
            if len(batch) < 500:
                return
            start = batch[-1].id + 1
