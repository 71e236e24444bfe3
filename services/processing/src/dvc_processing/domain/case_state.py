"""What a case knows between events, and the one check every action passes: its status allows
the action, and its fee does (`fees.py`). The actions live in sibling modules by concern; each
declares its events once, with how they change the case (`apply`), and `case.Case` combines them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from dvc_contracts.status import DossierStatus
from dvc_kernel.event_meta import EventMeta

from .case_status import TRANSITIONS, _refuse_status, refused
from .fees import FeeState, fee_refusal


class CaseEvent(Aggregate.Event):
    """What every event of a case says, filled by `CaseState._record`: the dossier by its
    code, when, and who acted. Not an event itself."""

    dossier_code: str
    at: datetime
    meta: EventMeta


class CaseState(Aggregate):
    # Declared for type checking only: annotations on an aggregate class would make
    # eventsourcing derive a "created" event from them.
    if TYPE_CHECKING:
        # where it stands, and with whom
        status: DossierStatus
        unit_code: str | None
        officer_id: str | None
        decided_at: datetime | None
        # what was filed, by whom, how the result goes back
        dossier_code: str
        owner_account: str
        procedure_code: str
        procedure_version: int
        level: int
        delivery_mode: str
        delivery_status: str | None
        submitted_at: datetime
        received_at: datetime
        # supplement rounds
        on_supplement: str
        supplement_rounds: int
        open_request: UUID | None
        requested_at: datetime | None
        resubmitted_at: datetime | None
        # the deadline
        due_at: datetime | None
        calendar_version: int | None
        due_estimated: bool
        due_by_apology: bool  # an officer's letter set the date: a revision leaves it
        due_soon_noted: datetime | None
        breached: datetime | None  # due time missed and not yet apologised for
        # the fee, as payment told it
        fee_due_vnd: int | None  # None until payment has assessed it
        fee_due: str | None
        fee_methods: list[str]
        fee_paid_vnd: int
        fee_refunded_vnd: int

    def _record(self, event_class: type[CaseEvent], at: datetime, meta: EventMeta, **fields: Any) -> None:
        """Record one of the case's events: every one names the dossier, when and who."""
        self.trigger_event(event_class, dossier_code=self.dossier_code, at=at, meta=meta, **fields)

    def allows(self, action: str) -> bool:
        return self.status in TRANSITIONS[action][0]

    def _require(self, action: str) -> None:
        if not self.allows(action):
            raise _refuse_status(action, self.status)
        if (by_fee := fee_refusal(action, self.level, self.fee)) is not None:
            raise refused(*by_fee)

    @property
    def fee(self) -> FeeState:
        return FeeState(
            due_vnd=self.fee_due_vnd,
            due=self.fee_due,
            methods=tuple(self.fee_methods),
            paid_vnd=self.fee_paid_vnd,
            refunded_vnd=self.fee_refunded_vnd,
        )
