"""What tracking shows of a dossier: its status and the full timeline, from the shared fold."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from pydantic import BaseModel, Field

from dvc_contracts import Envelope
from dvc_contracts.status import DossierStatus
from dvc_contracts.timeline import DossierState, Step, fold
from dvc_kernel import personal_data
from dvc_kernel.attribute_views import view_of
from dvc_kernel.envelopes import unsealed

from ..domain.case import STATUS_LABELS, STATUSES, TRANSITIONS, Case
from ..translation import translate
from .timelines import Timelines, history_of

if TYPE_CHECKING:
    from ..application.base import ProcessingBase


class PublicStatus(BaseModel):
    """What anyone holding the code and the last ID digits may know of a dossier."""

    dossier_code: str = Field(description="Dossier code.")
    status: str = Field(description="Status (machine-readable).")
    status_label: str = Field(description="Status as the citizen reads it (Vietnamese).")
    due_at: datetime | None = Field(description="Appointment for the result, while it is being handled.")


class QueueRow(BaseModel):
    """One open dossier in an officer's queue."""

    dossier_code: str | None = Field(description="Dossier code.")
    status: str | None = Field(description="Status.")
    procedure_code: str | None = Field(description="Procedure code.")
    procedure_name: str | None = Field(None, description="Procedure name (Vietnamese).")
    applicant_name: str | None = Field(None, description="Applicant's name.")
    supplement_rounds: int = Field(0, description="How many times a supplement was asked for.")
    unit_code: str | None = Field(description="Unit handling it.")
    officer_id: str | None = Field(description="Officer it is assigned to.")
    due_at: datetime | None = Field(description="Due time of the result.")
    overdue: bool | None = Field(description="Whether the due time has passed.")
    received_at: datetime | None = Field(description="When it was received.")


class DashboardRow(BaseModel):
    """On-time figures of one unit and procedure."""

    unit_code: str = Field(description="Unit.")
    procedure_code: str = Field(description="Procedure code.")
    decided: int = Field(description="Dossiers decided.")
    on_time: int = Field(description="Of those, decided on time.")
    on_time_rate: float | None = Field(description="on_time / decided; null before the first decision.")
    open: int = Field(description="Dossiers still open.")
    overdue: int = Field(description="Open dossiers past their due time.")
    several_supplement_rounds: int = Field(
        0, description="Open dossiers asked for a supplement more than once."
    )


class CaseView(BaseModel):
    dossier_id: UUID
    dossier_code: str | None
    status: str | None
    status_label: str | None
    version: int
    procedure_code: str | None
    procedure_version: int | None
    unit_code: str | None
    unit_name: str | None
    officer_id: str | None
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None
    overdue: bool
    open_supplement: list[dict[str, Any]]
    fee_due_vnd: int | None = Field(description="Fee assessed by payment; null until assessed.")
    fee_paid_vnd: int = Field(description="Paid so far, in VND.")
    fee_refunded_vnd: int = Field(description="Refunded so far, in VND.")
    delivery_status: str | None = Field(
        description="The result's way to the citizen once issued: dispatched, delivered, failed, "
        "ready_for_pickup, pickup_booked, collected."
    )
    timeline: list[Step]
    actions: list[str] = Field(
        default_factory=list,
        description="What an officer may do now by the state machine (docs/state-machine.md): "
        "assign, accept, request_supplement, reject, approve, refuse, issue_result, transfer, apologise.",
    )


def state_of(
    app: ProcessingBase,
    dossier_id: UUID,
    as_of: datetime | None = None,
    complaint_ids: Sequence[UUID] = (),
) -> DossierState | None:
    events = app.case_events(dossier_id)
    envelopes = Timelines(history_of(app)).envelopes(events)
    for complaint_id in complaint_ids:  # a complaint and its answer belong on the timeline too
        for event in app.events.get(complaint_id):
            out = translate(event)
            if out is not None:
                _insert_by_time(envelopes, unsealed(event, out, "processing"))
    return fold(envelopes, as_of=as_of)


def _insert_by_time(envelopes: list[Envelope], envelope: Envelope) -> None:
    """Before the first envelope that happened later; the dossier's own order is kept."""
    at = next((i for i, e in enumerate(envelopes) if e.occurred_at > envelope.occurred_at), len(envelopes))
    envelopes.insert(at, envelope)


def opened(step: Step, dossier_id: UUID) -> Step:
    """A step as its reader sees it: the personal fields its event carried sealed (ADR 0021)
    opened, since the reader may read them (the owner, or staff whose read is recorded)."""
    return personal_data.opened_step(step, str(dossier_id))


class NotYetFiled(LookupError):
    """The dossier did not exist yet at the instant asked about."""


def case_view(
    app: ProcessingBase, case: Case, as_of: datetime | None = None, complaint_ids: Sequence[UUID] = ()
) -> CaseView:
    state = state_of(app, case.id, as_of, complaint_ids)
    if state is None:  # `as_of` before its first event: there was no dossier then
        raise NotYetFiled(case.dossier_code)
    unit = app.catalog.units.get(state.unit_code or "")
    label = STATUS_LABELS.get(DossierStatus(state.status)) if state.status in STATUSES else None
    return view_of(
        CaseView,
        state,
        status_label=label,
        version=case.version,
        unit_name=unit.name if unit else None,
        timeline=[opened(step, state.dossier_id) for step in state.steps],
        actions=officer_actions(case, state.overdue),
    )


def officer_actions(case: Case, overdue: bool) -> list[str]:
    """The state machine's actions an officer may take on `case` now (the system's own excluded;
    an apology only once the deadline has passed)."""
    return [
        action
        for action, (_, who) in TRANSITIONS.items()
        if not who.startswith("system") and case.allows(action) and (action != "apologise" or overdue)
    ]
