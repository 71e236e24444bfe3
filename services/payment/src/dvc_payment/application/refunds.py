"""Paying back: what the refunder records once a channel (or the cashier) has paid back."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from dvc_kernel.inbox import conflict
from dvc_kernel.meta import CommandMeta

from .base import CONFIRM_ATTEMPTS, PaymentBase


class Refunds(PaymentBase):
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
