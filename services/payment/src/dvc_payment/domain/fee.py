"""The fee of one dossier: assessed once, paid once, refunded when the dossier is not handled.

Its id is the dossier id, so a dossier is assessed once however often Submitted arrives. Each
attempt to pay online has its own order reference (`txn_ref`, VNPAY's vnp_TxnRef, also the
VietQR transfer reference); a confirmation is judged against that attempt, so the same
notification twice, or a replay of an old one, finds the attempt already settled.

Money that arrives when it cannot be kept (the fee was already paid by another attempt, or the
dossier was closed meanwhile) is recorded as `PaidNotKept` and paid back automatically; only the
payment that settles the fee is public (FeePaid), and only its refund is (Refunded).

Each event is declared once, with what it changes (`apply`); the rules that refuse a command
are in `charging`. The classes stay in this module: their topics are in the stores.
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from dvc_kernel.event_meta import EventMeta

from . import charging
from .attempts import Attempt, Outcome, received

_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/payment")


class MoneyReceived(Aggregate.Event):
    """What `Paid` and `PaidNotKept` both say of money received (filled by
    `attempts.received`). Not an event itself."""

    txn_ref: str
    method: str
    amount_vnd: int
    transaction_ref: str
    paid_at: datetime
    at: datetime
    meta: EventMeta


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
        meta: EventMeta

    class PaymentStarted(Aggregate.Event):
        txn_ref: str
        method: str
        amount_vnd: int
        at: datetime
        meta: EventMeta

        def apply(self, fee: Fee) -> None:
            fee.attempts[self.txn_ref] = Attempt(self.txn_ref, self.method, self.amount_vnd)

    class PaymentFailed(Aggregate.Event):
        txn_ref: str
        response_code: str
        at: datetime
        meta: EventMeta

        def apply(self, fee: Fee) -> None:
            fee.attempts[self.txn_ref].status = "failed"

    class Paid(MoneyReceived):
        def apply(self, fee: Fee) -> None:
            fee.paid = fee.settle(self.txn_ref, "paid", self.transaction_ref, self.paid_at)

    class PaidNotKept(MoneyReceived):  # not a Paid: it settles nothing
        reason: str

        def apply(self, fee: Fee) -> None:
            fee.settle(self.txn_ref, "not_kept", self.transaction_ref, self.paid_at)
            fee.refunds_pending[self.txn_ref] = self.reason

    class Closed(Aggregate.Event):
        reason: str
        refund: str | None
        at: datetime
        meta: EventMeta

        def apply(self, fee: Fee) -> None:
            fee.closed_reason = self.reason
            if self.refund is not None:
                fee.refunds_pending[self.refund] = self.reason

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
        meta: EventMeta

        def apply(self, fee: Fee) -> None:
            fee.refunds_pending.pop(self.txn_ref, None)
            fee.refunded[self.txn_ref] = self.refund_ref

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
        meta: EventMeta,
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

    def settle(self, txn_ref: str, status: str, transaction_ref: str, paid_at: datetime) -> Attempt:
        attempt = self.attempts[txn_ref]
        attempt.status, attempt.transaction_ref, attempt.paid_at = status, transaction_ref, paid_at
        return attempt

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

    def start(self, method: str, txn_ref: str, at: datetime, meta: EventMeta) -> None:
        charging.check_online(
            self.amount_vnd, self.paid is not None, self.closed_reason, self.methods, method
        )
        self.trigger_event(
            self.PaymentStarted, txn_ref=txn_ref, method=method, amount_vnd=self.amount_vnd, at=at, meta=meta
        )

    def confirm(
        self,
        txn_ref: str,
        amount_vnd: int,
        succeeded: bool,
        transaction_ref: str,
        paid_at: datetime,
        response_code: str,
        at: datetime,
        meta: EventMeta,
    ) -> Outcome:
        """Judge the gateway's (or bank's) word on one attempt. Nothing is recorded when the
        attempt was settled before or the amount is not the one asked for."""
        attempt = self.attempts[txn_ref]
        if attempt.status != "pending":
            return Outcome.ALREADY_CONFIRMED
        if amount_vnd != attempt.amount_vnd:
            return Outcome.AMOUNT_MISMATCH
        if not succeeded:
            self.trigger_event(
                self.PaymentFailed, txn_ref=txn_ref, response_code=response_code, at=at, meta=meta
            )
            return Outcome.FAILED_RECORDED
        paid = received(txn_ref, attempt.method, amount_vnd, transaction_ref, paid_at, at, meta)
        reason = charging.not_kept_reason(self.paid is not None, self.closed_reason)
        if reason is not None:
            self.trigger_event(self.PaidNotKept, **paid, reason=reason)
            return Outcome.NOT_KEPT
        self.trigger_event(self.Paid, **paid)
        return Outcome.CONFIRMED

    def pay_at_counter(self, receipt_number: str, amount_vnd: int, at: datetime, meta: EventMeta) -> None:
        charging.check_counter(
            self.amount_vnd, self.paid is not None, self.closed_reason, self.methods, amount_vnd
        )
        txn_ref = f"QT-{receipt_number}"
        self.trigger_event(
            self.PaymentStarted, txn_ref=txn_ref, method="counter", amount_vnd=amount_vnd, at=at, meta=meta
        )
        paid = received(txn_ref, "counter", amount_vnd, receipt_number, at, at, meta)
        self.trigger_event(self.Paid, **paid)

    def close(self, reason: str, at: datetime, meta: EventMeta) -> bool:
        """The dossier ends without being handled (rejected, refused, withdrawn): nothing more
        is collected, and what was paid goes back. False when it was closed already."""
        if self.closed_reason is not None:
            return False
        refund = (
            self.paid.txn_ref if self.paid is not None and self.paid.txn_ref not in self.refunded else None
        )
        self.trigger_event(self.Closed, reason=reason, refund=refund, at=at, meta=meta)
        return True

    def record_refund(self, txn_ref: str, refund_ref: str, refunded_at: datetime, meta: EventMeta) -> bool:
        if txn_ref not in self.refunds_pending:
            return False
        attempt = self.attempts[txn_ref]
        self.trigger_event(
            self.Refunded,
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
