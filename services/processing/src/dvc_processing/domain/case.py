"""The case: a dossier as handled by the police unit that decides it.

Every change of status is an event saying who did it (meta), when, and why. The transitions
allowed are the table `TRANSITIONS` (docs/state-machine.md renders it); anything else is refused
with a `Refusal` (409) naming the status and the action. There is deliberately no action to
return a valid dossier or to demand filing in person: officers may only ask for a supplement
(listing everything at once), reject with a specific reason and its legal basis, or decide.
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from dvc_contracts.status import DossierStatus
from dvc_kernel.event_meta import EventMeta

from .case_deadlines import Deadlines
from .case_decision import Decisions
from .case_notes import Notes
from .case_reception import Reception
from .case_status import CLOCK_RUNS, OPEN, STATUS_LABELS, STATUSES, TRANSITIONS, UNDECIDED, refused
from .case_supplements import Supplements
from .payloads import Json

__all__ = [
    "CLOCK_RUNS",
    "OPEN",
    "STATUSES",
    "STATUS_LABELS",
    "TRANSITIONS",
    "UNDECIDED",
    "Case",
    "CaseCodeIndex",
    "refused",
]

_CODE_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/processing/dossier-code")


class Case(Reception, Supplements, Decisions, Deadlines, Notes):
    """Its id is the dossier id, so one dossier can be received only once.

    `meta` on every event says who acted; `cause` keeps the consumed public event (its
    envelope) that made processing act, so the dossier's full public history can be told from
    processing's store alone. The actions and their events live in sibling modules by concern
    (reception, supplements, decision, deadlines, notes); eventsourcing defines each inherited
    event again on `Case`, so every event keeps its stored topic `…domain.case:Case.<Event>`.
    """

    class Received(Aggregate.Created):
        dossier_code: str
        procedure_code: str
        procedure_version: int
        level: int
        owner_account: str
        unit_code: str | None
        delivery_mode: str
        submitted_at: datetime
        received_at: datetime
        due_at: datetime | None
        due_explanation: list[str]
        on_supplement: str
        meta: EventMeta
        cause: Json | None
        # The calendar version the due date was counted by, and whether it is an estimate
        # (ADR 0023); absent from events stored before calendars were versioned.
        calendar_version: int | None = None
        due_estimated: bool = False

    @staticmethod
    def code_index_id(code: str) -> UUID:
        return uuid5(_CODE_NS, code)

    @event(Received)
    def __init__(
        self,
        id: UUID,
        dossier_code: str,
        procedure_code: str,
        procedure_version: int,
        level: int,
        owner_account: str,
        unit_code: str | None,
        delivery_mode: str,
        submitted_at: datetime,
        received_at: datetime,
        due_at: datetime | None,
        due_explanation: list[str],
        on_supplement: str,
        meta: EventMeta,
        cause: Json | None,
        calendar_version: int | None = None,
        due_estimated: bool = False,
    ) -> None:
        self.dossier_code = dossier_code
        self.procedure_code = procedure_code
        self.procedure_version = procedure_version
        self.level = level
        self.owner_account = owner_account
        self.unit_code = unit_code
        self.delivery_mode = delivery_mode
        self.submitted_at = submitted_at
        self.received_at = received_at
        self.due_at = due_at
        self.calendar_version = calendar_version
        self.due_estimated = due_estimated
        self.due_by_apology = False  # an officer's letter set the date: a revision leaves it
        self.resubmitted_at: datetime | None = None
        self.supplement_rounds = 0
        self.on_supplement = on_supplement
        self.status = DossierStatus.RECEIVED
        self.officer_id: str | None = None
        self.open_request: UUID | None = None
        self.requested_at: datetime | None = None
        self.due_soon_noted: datetime | None = None
        self.breached: datetime | None = None  # due time missed and not yet apologised for
        self.decided_at: datetime | None = None
        self.fee_due_vnd: int | None = None  # None until payment has assessed it
        self.fee_due: str | None = None
        self.fee_methods: list[str] = []
        self.fee_paid_vnd = 0
        self.fee_refunded_vnd = 0
        self.delivery_status: str | None = None


class CaseCodeIndex(Aggregate):
    """Finds a case by the dossier code citizens and officers type."""

    @event("Indexed")
    def __init__(self, id: UUID, code: str, dossier_id: UUID) -> None:
        self.code = code
        self.dossier_id = dossier_id
