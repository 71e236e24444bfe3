"""The fee of one dossier: assessed once, paid once, refunded when the dossier is not handled.

Its id is the dossier id, so a dossier is assessed once however often Submitted arrives. Each
attempt to pay online has its own order reference (`txn_ref`, VNPAY's vnp_TxnRef, also the
VietQR transfer reference); a confirmation is judged against that attempt, so the same
notification twice, or a replay of an old one, finds the attempt already settled.

Money that arrives when it cannot be kept (the fee was already paid by another attempt, or the
dossier was closed meanwhile) is recorded as `PaidNotKept` and paid back automatically; only the
payment that settles the fee is public (FeePaid), and only its refund is (Refunded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from dvc_contracts.payment import ONLINE_METHODS

_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/payment")


class Outcome(StrEnum):
    """How a payment confirmation was judged (mapped to VNPAY's RspCode by the callback)."""

    CONFIRMED = "confirmed"  # the fee is paid
    FAILED_RECORDED = "failed_recorded"  # the gateway says the payment failed; noted
    NOT_KEPT = "not_kept"  # money arrived that cannot be kept: it will be paid back
    ALREADY_CONFIRMED = "already_confirmed"
    AMOUNT_MISMATCH = "amount_mismatch"


class Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Attempt:
    txn_ref: str
    method: str
    amount_vnd: int
    status: str = "pending"  # pending | paid | not_kept | failed
    transaction_ref: str | None = None
    paid_at: datetime | None = None


class Fee(Aggregate):
    class Assessed(Aggregate.Created):
        dossier_code: str
        procedure_code: str
        procedure_version: int
        level: int
        unit_code: str | None
        owner_account: str
        amount_vnd: int
        rate: str
        rule: str
        exemption: str | None
        due: str
        methods: list[str]
        assessed_at: datetime
        meta: dict[str, Any]

    class PaymentStarted(Aggregate.Event):
        txn_ref: str
        method: str
        amount_vnd: int
        at: datetime
        meta: dict[str, Any]

    class PaymentFailed(Aggregate.Event):
        txn_ref: str
        response_code: str
        at: datetime
        meta: dict[str, Any]

    class Paid(Aggregate.Event):
        txn_ref: str
        method: str
        amount_vnd: int
        transaction_ref: str
        paid_at: datetime
        at: datetime
        meta: dict[str, Any]

    class PaidNotKept(Aggregate.Event):  # not a Paid: it settles nothing
        txn_ref: str
        method: str
        amount_vnd: int
        transaction_ref: str
        paid_at: datetime
        at: datetime
        meta: dict[str, Any]
        reason: str

    class Closed(Aggregate.Event):
        reason: str
        refund: str | None
        at: datetime
        meta: dict[str, Any]

    class Refunded(Aggregate.Event):
        dossier_code: str
        txn_ref: str
        method: str
        amount_vnd: int
        transaction_ref: str
        refund_ref: str
        reason: str
        public: bool
        refunded_at: datetime
        meta: dict[str, Any]

    @event(Assessed)
    def __init__(
        self,
        id: UUID,
        dossier_code: str,
        procedure_code: str,
        procedure_version: int,
        level: int,
        unit_code: str | None,
        owner_account: str,
        amount_vnd: int,
        rate: str,
        rule: str,
        exemption: str | None,
        due: str,
        methods: list[str],
        assessed_at: datetime,
        meta: dict[str, Any],
    ) -> None:
        self.dossier_code = dossier_code
        self.procedure_code = procedure_code
        self.procedure_version = procedure_version
        self.level = level
        self.unit_code = unit_code
        self.owner_account = owner_account
        self.amount_vnd = amount_vnd
        self.rate = rate
        self.rule = rule
        self.exemption = exemption
        self.due = due
        self.methods = list(methods)
        self.assessed_at = assessed_at
        self.attempts: dict[str, Attempt] = {}
        self.paid: Attempt | None = None  # the payment that settles the fee
        self.closed_reason: str | None = None
        self.refunds_pending: dict[str, str] = {}  # txn_ref -> reason
        self.refunded: dict[str, str] = {}  # txn_ref -> refund reference

    # -- queries -------------------------------------------------------------------------------

    @property
    def status(self) -> str:
        if self.paid is not None:
            if self.paid.txn_ref in self.refunded:
                return "refunded"
            if self.paid.txn_ref in self.refunds_pending:
                return "refund_pending"
            return "paid"
        if self.amount_vnd == 0:
            return "nothing_due"
        if self.closed_reason is not None:
            return "closed"
        return "unpaid"

    def attempt_number(self) -> int:
        return len(self.attempts) + 1

    @staticmethod
    def code_index_id(dossier_code: str) -> UUID:
        return uuid5(_NS, f"dossier-code:{dossier_code}")

    @staticmethod
    def order_index_id(txn_ref: str) -> UUID:
        return uuid5(_NS, f"order:{txn_ref}")

    @staticmethod
    def receipt_index_id(unit_code: str, receipt_number: str) -> UUID:
        return uuid5(_NS, f"receipt:{unit_code}:{receipt_number}")

    # -- commands ------------------------------------------------------------------------------

    def start(self, method: str, txn_ref: str, at: datetime, meta: dict[str, Any]) -> None:
        if self.amount_vnd == 0:
            raise Refused("nothing_due", "Hồ sơ này không phải nộp lệ phí.")
        if self.paid is not None:
            raise Refused("already_paid", "Lệ phí của hồ sơ này đã được nộp.")
        if self.closed_reason is not None:
            raise Refused("dossier_closed", "Hồ sơ đã kết thúc, không thể nộp lệ phí.")
        if method not in self.methods or method not in ONLINE_METHODS:
            raise Refused(
                "method_not_allowed",
                "Hồ sơ này nộp lệ phí tại bộ phận một cửa khi nhận kết quả (dịch vụ công mức độ 3)."
                if "counter" in self.methods
                else "Phương thức thanh toán này không áp dụng cho hồ sơ.",
            )
        self._started(txn_ref=txn_ref, method=method, amount_vnd=self.amount_vnd, at=at, meta=meta)

    @event(PaymentStarted)
    def _started(
        self, txn_ref: str, method: str, amount_vnd: int, at: datetime, meta: dict[str, Any]
    ) -> None:
        self.attempts[txn_ref] = Attempt(txn_ref, method, amount_vnd)

    def confirm(
        self,
        txn_ref: str,
        amount_vnd: int,
        succeeded: bool,
        transaction_ref: str,
        paid_at: datetime,
        response_code: str,
        at: datetime,
        meta: dict[str, Any],
    ) -> Outcome:
        """Judge the gateway's (or bank's) word on one attempt. Nothing is recorded when the
        attempt was settled before or the amount is not the one asked for."""
        attempt = self.attempts[txn_ref]
        if attempt.status != "pending":
            return Outcome.ALREADY_CONFIRMED
        if amount_vnd != attempt.amount_vnd:
            return Outcome.AMOUNT_MISMATCH
        if not succeeded:
            self._failed(txn_ref=txn_ref, response_code=response_code, at=at, meta=meta)
            return Outcome.FAILED_RECORDED
        details: dict[str, Any] = {
            "txn_ref": txn_ref,
            "method": attempt.method,
            "amount_vnd": amount_vnd,
            "transaction_ref": transaction_ref,
            "paid_at": paid_at,
            "at": at,
            "meta": meta,
        }
        if self.paid is not None or self.closed_reason is not None:
            reason = (
                "Khoản thanh toán trùng: lệ phí hồ sơ đã được nộp trước đó."
                if self.paid is not None
                else f"Hồ sơ đã kết thúc trước khi nhận được tiền: {self.closed_reason}"
            )
            self._not_kept(**details, reason=reason)
            return Outcome.NOT_KEPT
        self._paid(**details)
        return Outcome.CONFIRMED

    @event(PaymentFailed)
    def _failed(self, txn_ref: str, response_code: str, at: datetime, meta: dict[str, Any]) -> None:
        self.attempts[txn_ref].status = "failed"

    @event(Paid)
    def _paid(
        self,
        txn_ref: str,
        method: str,
        amount_vnd: int,
        transaction_ref: str,
        paid_at: datetime,
        at: datetime,
        meta: dict[str, Any],
    ) -> None:
        attempt = self.attempts[txn_ref]
        attempt.status, attempt.transaction_ref, attempt.paid_at = "paid", transaction_ref, paid_at
        self.paid = attempt

    @event(PaidNotKept)
    def _not_kept(
        self,
        txn_ref: str,
        method: str,
        amount_vnd: int,
        transaction_ref: str,
        paid_at: datetime,
        at: datetime,
        meta: dict[str, Any],
        reason: str,
    ) -> None:
        attempt = self.attempts[txn_ref]
        attempt.status, attempt.transaction_ref, attempt.paid_at = "not_kept", transaction_ref, paid_at
        self.refunds_pending[txn_ref] = reason

    def pay_at_counter(
        self, receipt_number: str, amount_vnd: int, at: datetime, meta: dict[str, Any]
    ) -> None:
        if "counter" not in self.methods:
            raise Refused(
                "method_not_allowed",
                "Hồ sơ dịch vụ công mức độ 4 nộp lệ phí trực tuyến, không thu tại bộ phận một cửa."
                if self.methods
                else "Hồ sơ này không phải nộp lệ phí.",
            )
        if self.paid is not None:
            raise Refused("already_paid", "Lệ phí của hồ sơ này đã được nộp.")
        if self.closed_reason is not None:
            raise Refused("dossier_closed", "Hồ sơ đã kết thúc, không thu lệ phí.")
        if amount_vnd != self.amount_vnd:
            raise Refused(
                "amount_mismatch",
                f"Số tiền trên biên lai phải đúng số lệ phí đã xác định: {self.amount_vnd:,} đồng.".replace(
                    ",", "."
                ),
            )
        txn_ref = f"QT-{receipt_number}"
        self._started(txn_ref=txn_ref, method="counter", amount_vnd=amount_vnd, at=at, meta=meta)
        self._paid(
            txn_ref=txn_ref,
            method="counter",
            amount_vnd=amount_vnd,
            transaction_ref=receipt_number,
            paid_at=at,
            at=at,
            meta=meta,
        )

    def close(self, reason: str, at: datetime, meta: dict[str, Any]) -> bool:
        """The dossier ends without being handled (rejected, refused, withdrawn): nothing more
        is collected, and what was paid goes back. False when it was closed already."""
        if self.closed_reason is not None:
            return False
        refund = self.paid is not None and self.paid.txn_ref not in self.refunded
        self._closed(
            reason=reason, refund=self.paid.txn_ref if refund and self.paid else None, at=at, meta=meta
        )
        return True

    @event(Closed)
    def _closed(self, reason: str, refund: str | None, at: datetime, meta: dict[str, Any]) -> None:
        self.closed_reason = reason
        if refund is not None:
            self.refunds_pending[refund] = reason

    def record_refund(
        self, txn_ref: str, refund_ref: str, refunded_at: datetime, meta: dict[str, Any]
    ) -> bool:
        if txn_ref not in self.refunds_pending:
            return False
        attempt = self.attempts[txn_ref]
        self._refunded(
            dossier_code=self.dossier_code,
            txn_ref=txn_ref,
            method=attempt.method,
            amount_vnd=attempt.amount_vnd,
            transaction_ref=attempt.transaction_ref or "",
            refund_ref=refund_ref,
            reason=self.refunds_pending[txn_ref],
            public=self.paid is not None and self.paid.txn_ref == txn_ref,
            refunded_at=refunded_at,
            meta=meta,
        )
        return True

    @event(Refunded)
    def _refunded(
        self,
        dossier_code: str,
        txn_ref: str,
        method: str,
        amount_vnd: int,
        transaction_ref: str,
        refund_ref: str,
        reason: str,
        public: bool,
        refunded_at: datetime,
        meta: dict[str, Any],
    ) -> None:
        self.refunds_pending.pop(txn_ref, None)
        self.refunded[txn_ref] = refund_ref


class Index(Aggregate):
    """A name that points at one fee: a dossier code, an order reference or a receipt number.

    Created in the same transaction as the event it indexes, so a name is taken once."""

    @event("Indexed")
    def __init__(self, id: UUID, name: str, dossier_id: UUID) -> None:
        self.name = name
        self.dossier_id = dossier_id


class CallbackRefusal(Aggregate):
    """A payment notification that was not accepted: forged, replayed, for an unknown order, or
    for another amount. Kept for the audit trail (the notification's fields, never a secret)."""

    class CallbackRefused(Aggregate.Created):
        channel: str
        reason: str
        txn_ref: str | None
        fields: dict[str, str]
        at: datetime

    @event(CallbackRefused)
    def __init__(
        self, channel: str, reason: str, txn_ref: str | None, fields: dict[str, str], at: datetime
    ) -> None:
        self.channel = channel
        self.reason = reason
        self.txn_ref = txn_ref
        self.fields = fields
        self.at = at
