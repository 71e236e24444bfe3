"""One attempt to pay a fee, how the word of a channel on it was judged, and what is said of
money received. Not stored as such: the `Fee`'s events carry their fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from dvc_kernel.event_meta import EventMeta


class Outcome(StrEnum):
    """How a payment confirmation was judged (mapped to VNPAY's RspCode by the callback)."""

    CONFIRMED = "confirmed"  # the fee is paid
    FAILED_RECORDED = "failed_recorded"  # the gateway says the payment failed; noted
    NOT_KEPT = "not_kept"  # money arrived that cannot be kept: it will be paid back
    ALREADY_CONFIRMED = "already_confirmed"
    AMOUNT_MISMATCH = "amount_mismatch"


@dataclass
class Attempt:
    txn_ref: str
    method: str
    amount_vnd: int
    status: str = "pending"  # pending | paid | not_kept | failed
    transaction_ref: str | None = None
    paid_at: datetime | None = None


def received(
    txn_ref: str,
    method: str,
    amount_vnd: int,
    transaction_ref: str,
    paid_at: datetime,
    at: datetime,
    meta: EventMeta,
) -> dict[str, object]:
    """What `Paid` and `PaidNotKept` both say of money received."""
    return {
        "txn_ref": txn_ref,
        "method": method,
        "amount_vnd": amount_vnd,
        "transaction_ref": transaction_ref,
        "paid_at": paid_at,
        "at": at,
        "meta": meta,
    }
