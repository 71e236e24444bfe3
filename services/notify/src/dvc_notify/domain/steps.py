"""Which public events a citizen hears about, and with which template and values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from dvc_contracts import EventPayload
from dvc_contracts.case import (
    ApologyIssued,
    Approved,
    Refused,
    ResubmissionReceived,
    SupplementRequested,
    Transferred,
    WithdrawalAcknowledged,
)
from dvc_contracts.complaint import ComplaintResolved
from dvc_contracts.delivery import (
    DELIVERY_EVENTS,
    Collected,
    DeliveryFailed,
    PickupBooked,
    ReadyForPickup,
    ResultDelivered,
    ResultDispatched,
)
from dvc_contracts.dossier import Accepted, FeePaid, Received, RejectedWithReason, ResultIssued
from dvc_contracts.payment import FeeAssessed, Refunded
from dvc_kernel.clock import VIETNAM

from .templates import Templates

# The name of the place a result waits at, from a unit code (the catalog knows the names).
PlaceOf = Callable[[str | None], str]


@dataclass(frozen=True)
class Step:
    """What to tell the citizen about one event."""

    template: str
    params: dict[str, str]
    # The signed e-result goes with the e-mail (its SHA-256 from the event, to check what we fetch).
    attach_result_sha256: str | None = field(default=None)


def when(instant: datetime) -> str:
    """An instant as Vietnamese citizens read it: local time, then the date."""
    return instant.astimezone(VIETNAM).strftime("%H:%M ngày %d/%m/%Y")


def money(amount_vnd: int) -> str:
    """VND as written in Vietnam: dots between thousands, `đồng` after."""
    return f"{amount_vnd:,} đồng".replace(",", ".")


def slot(start: datetime, end: datetime) -> str:
    local_start, local_end = start.astimezone(VIETNAM), end.astimezone(VIETNAM)
    return f"{local_start:%H:%M}–{local_end:%H:%M} ngày {local_start:%d/%m/%Y}"


def bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _step(p: EventPayload, texts: Templates, place_of: PlaceOf) -> Step | None:
    if isinstance(p, FeeAssessed | FeePaid | Refunded):
        return _fee_step(p, texts)
    if isinstance(p, DELIVERY_EVENTS):
        return _delivery_step(p, place_of)
    return _case_step(p)


def _case_step(p: EventPayload) -> Step | None:
    """What processing decided or did."""
    match p:
        case Received(due_at=None):
            return Step("dossier_received_no_due", {"received_at": when(p.received_at)})
        case Received(due_at=due_at) if due_at is not None:
            return Step("dossier_received", {"received_at": when(p.received_at), "due_at": when(due_at)})
        case SupplementRequested(items=items):
            descriptions = [i.description for i in items]
            return Step(
                "supplement_requested",
                {"items": "; ".join(descriptions), "items_list": bullets(descriptions)},
            )
        case ResubmissionReceived(due_at=due_at):
            due_text = f"Hẹn trả kết quả: {when(due_at)}." if due_at else ""
            return Step("resubmission_received", {"due_text": due_text})
        case Accepted():
            return Step("accepted", {})
        case RejectedWithReason(explanation=explanation, legal_basis=legal_basis):
            return Step("rejected", {"explanation": explanation, "legal_basis": legal_basis})
        case Approved(summary=summary):
            return Step("approved", {"summary": summary})
        case Refused(explanation=explanation, legal_basis=legal_basis):
            return Step("refused", {"explanation": explanation, "legal_basis": legal_basis})
        case ResultIssued(summary=summary):
            return Step("result_issued", {"summary": summary})
        case Transferred(to_unit=to_unit, reason=reason):
            return Step("transferred", {"to_unit": to_unit, "reason": reason})
        case WithdrawalAcknowledged():
            return Step("withdrawn", {})
        case ApologyIssued():
            return Step("apology", {"letter": p.letter, "reason": p.reason, "new_due_at": when(p.new_due_at)})
        case ComplaintResolved():
            return Step(
                "complaint_answered", {"resolution": p.resolution, "resolved_at": when(p.resolved_at)}
            )
    return None


def _fee_step(p: EventPayload, texts: Templates) -> Step | None:
    """What the citizen owes, paid or got back."""
    match p:
        case FeeAssessed(amount_vnd=0):
            return None  # nothing to pay, nothing to do
        case FeeAssessed():
            return Step(
                f"fee_due_{p.due}",
                {
                    "amount": money(p.amount_vnd),
                    "rule": p.rule,
                    "exemption_text": f"\nMiễn, giảm: {p.exemption}" if p.exemption else "",
                    "methods": "; ".join(texts.label("payment_method", m) for m in p.methods),
                },
            )
        case FeePaid():
            return Step(
                "fee_paid",
                {
                    "amount": money(p.amount_vnd),
                    "method": texts.label("payment_method", p.method),
                    "transaction_ref": p.transaction_ref,
                    "paid_at": when(p.paid_at),
                },
            )
        case Refunded():
            return Step(
                "refunded",
                {
                    "amount": money(p.amount_vnd),
                    "reason": p.reason,
                    "refund_ref": p.refund_ref,
                    "transaction_ref": p.transaction_ref,
                    "refunded_at": when(p.refunded_at),
                },
            )
    return None


def _delivery_step(p: EventPayload, place_of: PlaceOf) -> Step | None:
    """Where the result is and how it reaches the citizen."""
    match p:
        case ResultDispatched(channel="e_result"):
            return Step(
                "result_e_dispatched",
                {"verification_code": p.verification_code or ""},
                attach_result_sha256=p.document_sha256 or "",
            )
        case ResultDispatched(channel="post"):
            address = p.address
            where = f"{address.street}, {address.commune}, {address.province}" if address else ""
            fee = f" Cước bưu chính: {money(p.postal_fee_vnd)}." if p.postal_fee_vnd else ""
            return Step(
                "result_posted",
                {"tracking_number": p.tracking_number or "", "address": where, "postal_fee_text": fee},
            )
        case ResultDelivered(channel="post"):
            return Step("result_delivered", {"detail": p.detail, "delivered_at": when(p.delivered_at)})
        case DeliveryFailed():
            return Step(
                "delivery_failed_retry" if p.next_step == "retry" else "delivery_failed_returned",
                {"reason": p.reason, "attempt": str(p.attempt), "place": place_of(None)},
            )
        case ReadyForPickup():
            return Step(
                "ready_for_pickup",
                {"place": place_of(p.unit_code), "bring": "; ".join(p.bring), "bring_list": bullets(p.bring)},
            )
        case PickupBooked():
            return Step(
                "pickup_booked", {"slot": slot(p.slot_start, p.slot_end), "place": place_of(p.unit_code)}
            )
        case Collected():
            return Step("collected", {"collected_by": p.collected_by, "collected_at": when(p.collected_at)})
    return None


# Every event type `_step` tells the citizen about (the inbox skips the others undecoded).
SPOKEN: tuple[type[EventPayload], ...] = (
    Received,
    SupplementRequested,
    ResubmissionReceived,
    Accepted,
    RejectedWithReason,
    Approved,
    Refused,
    ResultIssued,
    Transferred,
    WithdrawalAcknowledged,
    ApologyIssued,
    FeeAssessed,
    FeePaid,
    Refunded,
    *DELIVERY_EVENTS,  # every step of the result's way (`_delivery_step`)
    ComplaintResolved,
)


def step_message(payload: EventPayload, texts: Templates, place_of: PlaceOf) -> Step | None:
    """What to tell the citizen about `payload`; None for events they are not told about.

    `dossier_code` is filled from the event when it has one (FeePaid has not: then the
    conversation's own code is used)."""
    found = _step(payload, texts, place_of)
    if found is None:
        return None
    code = getattr(payload, "dossier_code", None)
    params = {"dossier_code": code, **found.params} if code else found.params
    return Step(found.template, params, found.attach_result_sha256)
