"""Paying back: follows payment's own store for fees that owe a refund and settles each through
the channel that took the money (the gateway's refund API, the bank's, or the counter).

Each refund carries a request id derived from the dossier and order, the same on every retry,
so a channel asked twice (a crash between its answer and our record) pays back once. A channel
that fails or refuses is asked again with growing pauses; the refund is never dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.persistence import IntegrityError, Notification, Tracking
from eventsourcing.utils import get_topic

from dvc_kernel.logfollow import follow_log
from dvc_kernel.threads import in_store

from ..domain.channels import ChannelUnavailable, PaymentGateway, RefundOrder, TransferBank
from ..domain.fee import Fee
from . import PaymentApplication

log = logging.getLogger(__name__)

_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/payment/refund")
MAX_PAUSE = 300.0


class Refunder:
    TRACKING = "refunds"

    def __init__(
        self,
        app: PaymentApplication,
        gateway: PaymentGateway,
        bank: TransferBank,
        poll_seconds: float = 5.0,
    ) -> None:
        self.app = app
        self.gateway = gateway
        self.bank = bank
        self.poll_seconds = poll_seconds
        self.refunded = 0

    async def run(self) -> None:
        """Follows the store (woken by its commits) for fees closed or paid and not kept."""
        position = await in_store(self.app.position, self.TRACKING)
        topics = [get_topic(Fee.Closed), get_topic(Fee.PaidNotKept)]
        await follow_log(self.app, position, self._owed, topics=topics, idle_seconds=self.poll_seconds)

    async def _owed(self, notification: Notification, _: Any) -> None:
        await self.settle(UUID(str(notification.originator_id)))
        # Another instance may have got here first; the refunds themselves are idempotent.
        with contextlib.suppress(IntegrityError):
            await in_store(self.app.record_position, Tracking(self.TRACKING, notification.id))

    async def settle(self, dossier_id: UUID) -> None:
        """Every refund this dossier's fee still owes."""
        pause = 1.0
        while True:
            fee = await in_store(self.app.fee, dossier_id)
            if fee is None or not fee.refunds_pending:
                return
            txn_ref, reason = next(iter(fee.refunds_pending.items()))
            done = await self._pay_back(fee, txn_ref, reason)
            if done is None:
                await asyncio.sleep(pause)
                pause = min(MAX_PAUSE, pause * 2)
                continue
            refund_ref, refunded_at = done
            if await in_store(self.app.record_refund, dossier_id, txn_ref, refund_ref, refunded_at):
                self.refunded += 1
                log.info("refunded %s of dossier %s: %s", txn_ref, fee.dossier_code, refund_ref)

    async def _pay_back(self, fee: Fee, txn_ref: str, reason: str) -> tuple[str, datetime] | None:
        """The refund's reference and time once the channel has paid back; None to ask again."""
        attempt = fee.attempts[txn_ref]
        now = self.app.clock.now()
        if attempt.method == "counter":
            # The cashier pays back against the receipt; the voucher is numbered after it.
            return f"HT-{attempt.transaction_ref}", now
        order = RefundOrder(
            request_id=uuid5(_NS, f"{fee.id}:{txn_ref}").hex,
            txn_ref=txn_ref,
            amount_vnd=attempt.amount_vnd,
            transaction_ref=attempt.transaction_ref or "",
            paid_at=attempt.paid_at or now,
            reason=reason,
            requested_at=now,
        )
        channel = self.gateway if attempt.method == "gateway" else self.bank
        try:
            result = await channel.refund(order)
        except ChannelUnavailable as exc:
            log.warning("refund of %s (%s) not done yet: %s", txn_ref, fee.dossier_code, exc)
            return None
        if not result.done:
            log.error(
                "refund of %s (%s) refused: %s %s", txn_ref, fee.dossier_code, result.code, result.message
            )
            return None
        return result.refund_ref, result.refunded_at or now
