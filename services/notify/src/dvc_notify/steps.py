"""Which public events a citizen hears about, and with which template and values."""

from __future__ import annotations

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
from dvc_contracts.dossier import Accepted, Received, RejectedWithReason, ResultIssued
from dvc_kernel.clock import VIETNAM


def when(instant: datetime) -> str:
    """An instant as Vietnamese citizens read it: local time, then the date."""
    return instant.astimezone(VIETNAM).strftime("%H:%M ngày %d/%m/%Y")


def _message(p: EventPayload) -> tuple[str, dict[str, str]] | None:
    match p:
        case Received(due_at=None):
            return "dossier_received_no_due", {"received_at": when(p.received_at)}
        case Received(due_at=due_at) if due_at is not None:
            return "dossier_received", {"received_at": when(p.received_at), "due_at": when(due_at)}
        case SupplementRequested(items=items):
            return "supplement_requested", {"items": "; ".join(i.description for i in items)}
        case ResubmissionReceived(due_at=due_at):
            return "resubmission_received", {
                "due_text": f"Hẹn trả kết quả: {when(due_at)}." if due_at else ""
            }
        case Accepted():
            return "accepted", {}
        case RejectedWithReason(explanation=explanation, legal_basis=legal_basis):
            return "rejected", {"explanation": explanation, "legal_basis": legal_basis}
        case Approved(summary=summary):
            return "approved", {"summary": summary}
        case Refused(explanation=explanation, legal_basis=legal_basis):
            return "refused", {"explanation": explanation, "legal_basis": legal_basis}
        case ResultIssued(summary=summary):
            return "result_issued", {"summary": summary}
        case Transferred(to_unit=to_unit, reason=reason):
            return "transferred", {"to_unit": to_unit, "reason": reason}
        case WithdrawalAcknowledged():
            return "withdrawn", {}
        case ApologyIssued(letter=letter):
            return "apology", {"letter": letter}
    return None


def step_message(payload: EventPayload) -> tuple[str, dict[str, str]] | None:
    """(template, values) for an event the citizen is told about; None for the others."""
    found = _message(payload)
    if found is None:
        return None
    template, params = found
    return template, {"dossier_code": str(getattr(payload, "dossier_code", "")), **params}
