"""Payment's domain events -> public contract events (payment.fee.v1, keyed by dossier id).

Attempts, failures, refused callbacks and money that could not be kept stay internal: the
public record says what was owed, what settled it, and what was given back for it."""

from __future__ import annotations

from typing import Any

from dvc_contracts.dossier import FeePaid
from dvc_contracts.payment import FeeAssessed, Refunded
from dvc_contracts.topics import PAYMENT_FEE
from dvc_kernel.envelopes import Outgoing

from .domain.fee import Fee


def translate(event: Any) -> Outgoing | None:
    key = str(event.originator_id)
    if isinstance(event, Fee.Assessed):
        payload: Any = FeeAssessed(
            dossier_id=event.originator_id,
            dossier_code=event.dossier_code,
            procedure_code=event.procedure_code,
            procedure_version=event.procedure_version,
            unit_code=event.unit_code,
            amount_vnd=event.amount_vnd,
            rate=event.rate,
            rule=event.rule,
            exemption=event.exemption,
            due=event.due,
            methods=event.methods,
            assessed_at=event.assessed_at,
        )
        return Outgoing(PAYMENT_FEE.name, key, payload, occurred_at=event.assessed_at)
    if isinstance(event, Fee.Paid):
        payload = FeePaid(
            dossier_id=event.originator_id,
            amount_vnd=event.amount_vnd,
            method=event.method,
            transaction_ref=event.transaction_ref,
            paid_at=event.paid_at,
        )
        return Outgoing(PAYMENT_FEE.name, key, payload, occurred_at=event.at)
    if isinstance(event, Fee.Refunded) and event.public:
        payload = Refunded(
            dossier_id=event.originator_id,
            dossier_code=event.dossier_code,
            amount_vnd=event.amount_vnd,
            reason=event.reason,
            transaction_ref=event.transaction_ref,
            refund_ref=event.refund_ref,
            refunded_at=event.refunded_at,
        )
        return Outgoing(PAYMENT_FEE.name, key, payload, occurred_at=event.refunded_at)
    return None
