"""The gateway and the bank: their signed notifications that an order was paid (or not), and
the page the gateway sends the citizen back to.

A notification is judged once, whatever it says; what is refused is recorded for the audit
trail and answered with the protocol's own code, never raised."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from eventsourcing.persistence import IntegrityError

from dvc_kernel.inbox import conflict
from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Kind, Refusal
from dvc_kernel.store_commands import store_command

from ..domain import vnpay
from ..domain.attempts import Outcome
from ..domain.channels import Notification, NotificationRefused
from ..domain.fee import CallbackRefusal, Fee
from .base import CONFIRM_ATTEMPTS, PaymentBase

log = logging.getLogger(__name__)

# The protocol's answer (VNPAY's RspCode and Message, also the bank's) to each refusal.
REFUSALS = {
    "forged": vnpay.IPN_INVALID_SIGNATURE,
    "wrong_merchant": vnpay.IPN_INVALID_SIGNATURE,
    "incomplete": vnpay.IPN_INPUT_REQUIRED,
    "malformed": vnpay.IPN_INVALID_AMOUNT,
    "unknown_order": vnpay.IPN_ORDER_NOT_FOUND,
    "wrong_channel": vnpay.IPN_ORDER_NOT_FOUND,
    "duplicate": vnpay.IPN_ALREADY_CONFIRMED,
    "amount_mismatch": vnpay.IPN_INVALID_AMOUNT,
}


@dataclass(frozen=True)
class Judged:
    """What became of a payment notification."""

    outcome: Outcome | None  # None: refused before reaching an order
    refusal: str | None = None  # forged | incomplete | malformed | wrong_merchant | unknown_order | …

    def answer(self) -> tuple[str, str]:
        if self.refusal is not None:
            return REFUSALS.get(self.refusal, vnpay.IPN_UNKNOWN_ERROR)
        if self.outcome in (Outcome.CONFIRMED, Outcome.FAILED_RECORDED, Outcome.NOT_KEPT):
            return vnpay.IPN_CONFIRMED
        return vnpay.IPN_UNKNOWN_ERROR


class Callbacks(PaymentBase):
    @store_command
    def notified(self, channel: str, read: Callable[[], Notification]) -> tuple[str, str]:
        """The protocol's answer to one notification. Every answer is a 200 with its own code
        (VNPAY retries an IPN that gets anything else), so even a failure is an answer."""
        try:
            return self.receive_notification(channel, read).answer()
        except Exception:
            log.exception("%s notification could not be processed", channel)
            return vnpay.IPN_UNKNOWN_ERROR

    @store_command
    def returned(self, read: Callable[[], Notification]) -> tuple[Notification, Fee | None]:
        """What the gateway sent the citizen back with, and the fee as the store knows it now
        (the IPN decides; the return page only shows)."""
        try:
            notification = read()
        except Exception:
            raise Refusal(
                "invalid_return",
                "Thông tin trả về từ cổng thanh toán không hợp lệ (sai chữ ký).",
                Kind.BAD_REQUEST,
            ) from None
        return notification, self.fee_by_order(notification.txn_ref)

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
            outcome = fee.confirm(
                notification.txn_ref,
                notification.amount_vnd,
                notification.succeeded,
                notification.transaction_ref,
                notification.paid_at,
                notification.response_code,
                self.clock.now(),
                CommandMeta.system("payment").as_dict(),
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

    def _refuse(self, channel: str, reason: str, txn_ref: str | None, fields: Mapping[str, object]) -> None:
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
