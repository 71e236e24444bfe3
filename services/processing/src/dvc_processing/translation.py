"""Processing's domain events -> public contract events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dvc_contracts import EventPayload
from dvc_contracts.case import (
    ApologyIssued,
    Approved,
    Assigned,
    DeadlineBreached,
    DeadlineDueSoon,
    DueDateRecalculated,
    Noted,
    Refused,
    ResubmissionReceived,
    SupplementItem,
    SupplementRequested,
    Transferred,
    WithdrawalAcknowledged,
)
from dvc_contracts.complaint import ComplaintFiled, ComplaintResolved
from dvc_contracts.dossier import Accepted, Received, RejectedWithReason, ResultIssued
from dvc_contracts.lodging import GuestAssessment, LodgingNoticeReceived
from dvc_contracts.topics import PROCESSING_COMPLAINT, PROCESSING_DOSSIER, PROCESSING_LODGING
from dvc_kernel.envelopes import Outgoing

from .domain.case import Case
from .domain.complaint import Complaint
from .domain.lodging_notice import LodgingNotice


def _ids(event: Any) -> dict[str, Any]:
    return {"dossier_id": event.originator_id, "dossier_code": event.dossier_code}


def _received(e: Case.Received) -> EventPayload:
    return Received(
        dossier_id=e.originator_id,
        dossier_code=e.dossier_code,
        procedure_code=e.procedure_code,
        unit_code=e.unit_code,
        received_at=e.received_at,
        due_at=e.due_at,
        due_explanation=e.due_explanation,
        procedure_version=e.procedure_version,
        submitted_at=e.submitted_at,
        calendar_version=e.calendar_version,
        due_estimated=e.due_estimated,
    )


TRANSLATIONS: dict[type, Callable[[Any], EventPayload]] = {
    Case.Received: _received,
    Case.Assigned: lambda e: Assigned(
        **_ids(e), officer_id=e.officer_id, unit_code=e.unit_code or "", assigned_at=e.at
    ),
    Case.Accepted: lambda e: Accepted(**_ids(e), accepted_at=e.at),
    Case.SupplementRequested: lambda e: SupplementRequested(
        **_ids(e),
        request_id=e.request_id,
        items=[SupplementItem(**i) for i in e.items],
        clock=e.clock,
        requested_at=e.at,
        round=e.round,
        round_reason=e.round_reason,
    ),
    Case.ResubmissionReceived: lambda e: ResubmissionReceived(
        **_ids(e),
        request_id=e.request_id,
        received_at=e.at,
        due_at=e.due_at,
        due_explanation=e.due_explanation,
        calendar_version=e.calendar_version,
        due_estimated=e.due_estimated,
    ),
    Case.Rejected: lambda e: RejectedWithReason(
        **_ids(e),
        reason_code=e.reason_code,
        legal_basis=e.legal_basis,
        explanation=e.explanation,
        rejected_at=e.at,
    ),
    Case.Approved: lambda e: Approved(**_ids(e), summary=e.summary, approved_at=e.at),
    Case.Refused: lambda e: Refused(
        **_ids(e),
        reason_code=e.reason_code,
        legal_basis=e.legal_basis,
        explanation=e.explanation,
        refused_at=e.at,
    ),
    Case.ResultIssued: lambda e: ResultIssued(
        **_ids(e), result_form=e.result_form, summary=e.summary, delivery_mode=e.delivery_mode, issued_at=e.at
    ),
    Case.Transferred: lambda e: Transferred(
        **_ids(e), from_unit=e.from_unit, to_unit=e.to_unit, reason=e.reason, transferred_at=e.at
    ),
    Case.WithdrawalAcknowledged: lambda e: WithdrawalAcknowledged(**_ids(e), withdrawn_at=e.withdrawn_at),
    Case.DueSoonNoted: lambda e: DeadlineDueSoon(**_ids(e), unit_code=e.unit_code, due_at=e.due_at),
    Case.DeadlineBreached: lambda e: DeadlineBreached(
        **_ids(e), unit_code=e.unit_code, due_at=e.due_at, breached_at=e.at
    ),
    Case.FeeNoted: lambda e: Noted(**_ids(e), noted_event_type=e.kind, noted_at=e.at),
    Case.DeliveryNoted: lambda e: Noted(**_ids(e), noted_event_type=e.kind, noted_at=e.at),
    Case.ApologyIssued: lambda e: ApologyIssued(
        **_ids(e), reason=e.reason, new_due_at=e.new_due_at, letter=e.letter, issued_at=e.at
    ),
    Case.DueDateRecalculated: lambda e: DueDateRecalculated(
        **_ids(e),
        old_calendar_version=e.old_calendar_version,
        new_calendar_version=e.new_calendar_version,
        old_due_at=e.old_due_at,
        new_due_at=e.new_due_at,
        reason=e.reason,
        due_explanation=e.due_explanation,
        due_estimated=e.due_estimated,
        recalculated_at=e.at,
    ),
}


def _lodging(e: LodgingNotice.Received) -> EventPayload:
    return LodgingNoticeReceived(
        notice_id=e.originator_id,
        notice_code=e.notice_code,
        unit_code=e.unit_code,
        received_at=e.received_at,
        guests=[GuestAssessment(**g) for g in e.guests],
    )


def _complaint_filed(e: Complaint.Filed) -> EventPayload:
    return ComplaintFiled(
        complaint_id=e.originator_id,
        dossier_id=e.dossier_id,
        dossier_code=e.dossier_code,
        unit_code=e.unit_code,
        superior_unit=e.superior_unit,
        text=e.text,
        filed_at=e.filed_at,
        respond_by=e.respond_by,
    )


def _complaint_resolved(e: Complaint.Resolved) -> EventPayload:
    return ComplaintResolved(
        complaint_id=e.originator_id,
        dossier_id=e.dossier_id,
        resolution=e.resolution,
        resolved_at=e.resolved_at,
        on_time=e.on_time,
    )


# Events of other aggregates: (topic, maker, business time)
OTHERS: dict[type, tuple[str, Callable[[Any], EventPayload], Callable[[Any], Any]]] = {
    LodgingNotice.Received: (PROCESSING_LODGING.name, _lodging, lambda e: e.received_at),
    Complaint.Filed: (PROCESSING_COMPLAINT.name, _complaint_filed, lambda e: e.filed_at),
    Complaint.Resolved: (PROCESSING_COMPLAINT.name, _complaint_resolved, lambda e: e.resolved_at),
}


def translate(event: Any) -> Outgoing | None:
    key = str(event.originator_id)
    if (make := TRANSLATIONS.get(type(event))) is not None:
        when = event.received_at if isinstance(event, Case.Received) else event.at
        return Outgoing(PROCESSING_DOSSIER.name, key, make(event), occurred_at=when)
    if (other := OTHERS.get(type(event))) is not None:
        topic, maker, time_of = other
        return Outgoing(topic, key, maker(event), occurred_at=time_of(event))
    return None  # the code index is internal
