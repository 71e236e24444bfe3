"""What processing does with the events it consumes: dossiers submitted, resubmitted and
withdrawn at intake, lodging notices, and what payment and delivery say about a dossier."""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent

from dvc_calendar import assess_lodging_notice
from dvc_calendar.instants import to_vietnam
from dvc_contracts import EventPayload
from dvc_contracts.delivery import DELIVERY_EVENTS
from dvc_contracts.dossier import FeePaid, Resubmitted, Submitted, Withdrawn
from dvc_contracts.envelope import utc
from dvc_contracts.lodging import LodgingNoticeFiled
from dvc_contracts.payment import FeeAssessed, Refunded
from dvc_kernel.application import AwaitingCause, Incoming
from dvc_kernel.bounds import EARLIEST, LATEST
from dvc_kernel.dead_letters import CannotApply

from ..domain.case import Case, CaseCodeIndex
from ..domain.deadlines import due_after_resubmission, due_for
from ..domain.lodging_notice import LodgingNotice
from ..domain.payloads import JudgedGuest
from .base import ProcessingBase

log = logging.getLogger(__name__)

# Other services' events about a dossier that processing keeps on its case.
NOTED: tuple[type[EventPayload], ...] = (FeeAssessed, FeePaid, Refunded, *DELIVERY_EVENTS)
# What processing consumes (the application's `handles`).
CONSUMED: tuple[type[EventPayload], ...] = (Submitted, Resubmitted, Withdrawn, LodgingNoticeFiled, *NOTED)


class Policy(ProcessingBase):
    def on_incoming(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        payload = incoming.payload
        if isinstance(payload, Submitted):
            self._receive(incoming, payload, processing_event)
        elif isinstance(payload, Resubmitted):
            self._resubmission(incoming, payload, processing_event)
        elif isinstance(payload, Withdrawn):
            self._withdrawal(incoming, payload, processing_event)
        elif isinstance(payload, LodgingNoticeFiled):
            self._lodging_notice(incoming, payload, processing_event)
        elif isinstance(payload, NOTED):
            self._note(incoming, processing_event)

    def _note(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        """Keep what payment and delivery say on the case: the fee decides what an officer may
        do, and the dossier's timeline tells the whole story from processing's store."""
        payload: Any = incoming.payload
        case = self.case(payload.dossier_id)
        if case is None:
            # Caused by a Submitted that has not reached processing yet (another topic): parked,
            # and applied as soon as the dossier is received.
            raise AwaitingCause(payload.dossier_id, f"{incoming.envelope.event_type} before its Submitted")
        cause = incoming.envelope.model_dump(mode="json")
        kind = incoming.envelope.event_type
        at, meta = self.clock.now(), self.reaction_meta(incoming)
        if isinstance(payload, FeeAssessed):
            case.note_fee(kind, payload.amount_vnd, payload.due, list(payload.methods), at, meta, cause)
        elif isinstance(payload, FeePaid | Refunded):
            case.note_fee(kind, payload.amount_vnd, None, [], at, meta, cause)
        else:
            case.note_delivery(kind, at, meta, cause)
        processing_event.collect_events(case)

    def _lodging_notice(
        self, incoming: Incoming, filed: LodgingNoticeFiled, processing_event: ProcessingEvent[UUID]
    ) -> None:
        """Received at once, at any hour; each guest judged by the 23:00 / 08:00 rule against the
        time the host notified (Law on Residence Art. 30 cl. 4)."""
        if self.find(LodgingNotice, filed.notice_id) is not None:
            return  # applied already
        guests: list[JudgedGuest] = []
        for guest in filed.guests:
            if not (EARLIEST <= guest.arrived_at < LATEST and EARLIEST <= filed.filed_at < LATEST):
                # Intake refuses these now (issue 14); one filed before cannot be judged, ever.
                raise CannotApply(f"lodging notice {filed.notice_id}: an instant outside 2000-2099")
            judged = assess_lodging_notice(guest.arrived_at, filed.filed_at)
            guests.append(
                {
                    "id_number": guest.id_number,
                    "arrived_at": utc(guest.arrived_at),
                    "due_at": utc(judged.due_at),
                    "on_time": judged.on_time,
                }
            )
        notice = LodgingNotice(
            id=filed.notice_id,
            notice_code=filed.notice_code,
            unit_code=filed.unit_code,
            received_at=self.clock.now(),
            guests=guests,
            meta=self.reaction_meta(incoming),
            cause=incoming.envelope.model_dump(mode="json"),
        )
        processing_event.collect_events(notice)

    def _receive(
        self, incoming: Incoming, submitted: Submitted, processing_event: ProcessingEvent[UUID]
    ) -> None:
        """Every submitted dossier is received automatically, at the moment it arrives."""
        if self.case(submitted.dossier_id) is not None:
            return
        version = self.catalog.version(submitted.procedure_code, submitted.procedure_version)
        today = to_vietnam(self.clock.now(), "now").date()
        deadline = (
            due_for(version, submitted.submitted_at, submitted.unit_code, on=today) if version else None
        )
        if version is None:
            log.warning(
                "no catalog version %s v%d: dossier %s received without a due date",
                submitted.procedure_code,
                submitted.procedure_version,
                submitted.dossier_code,
            )
        case = Case(
            id=submitted.dossier_id,
            dossier_code=submitted.dossier_code,
            procedure_code=submitted.procedure_code,
            procedure_version=submitted.procedure_version,
            level=version.level if version else 3,
            owner_account=submitted.owner_account,
            unit_code=submitted.unit_code,
            delivery_mode=submitted.delivery_mode,
            submitted_at=submitted.submitted_at,
            received_at=self.clock.now(),
            due_at=utc(deadline.due_at) if deadline else None,
            due_explanation=list(deadline.steps) if deadline else [],
            on_supplement=version.deadline.on_supplement if version else "restart",
            meta=self.reaction_meta(incoming),
            cause=incoming.envelope.model_dump(mode="json"),
            calendar_version=deadline.calendar_version if deadline else None,
            due_estimated=deadline.estimated if deadline else False,
        )
        index = CaseCodeIndex(
            id=Case.code_index_id(submitted.dossier_code),
            code=submitted.dossier_code,
            dossier_id=submitted.dossier_id,
        )
        processing_event.collect_events(case, index)

    def _resubmission(
        self, incoming: Incoming, resubmitted: Resubmitted, processing_event: ProcessingEvent[UUID]
    ) -> None:
        case = self.case(resubmitted.dossier_id)
        if case is None or case.requested_at is None:
            return
        deadline = None
        version = self.catalog.version(case.procedure_code, case.procedure_version)
        if version is not None:
            deadline = due_after_resubmission(
                version,
                case.submitted_at,
                case.requested_at,
                resubmitted.resubmitted_at,
                case.unit_code,
                on=to_vietnam(self.clock.now(), "now").date(),
            )
        if case.receive_resubmission(
            request_id=resubmitted.request_id,
            at=self.clock.now(),
            due_at=utc(deadline.due_at) if deadline else None,
            due_explanation=list(deadline.steps) if deadline else [],
            meta=self.reaction_meta(incoming),
            cause=incoming.envelope.model_dump(mode="json"),
            calendar_version=deadline.calendar_version if deadline else None,
            due_estimated=deadline.estimated if deadline else False,
            resubmitted_at=resubmitted.resubmitted_at,
        ):
            processing_event.collect_events(case)

    def _withdrawal(
        self, incoming: Incoming, withdrawn: Withdrawn, processing_event: ProcessingEvent[UUID]
    ) -> None:
        case = self.case(withdrawn.dossier_id)
        if case is not None and case.acknowledge_withdrawal(
            withdrawn.withdrawn_at,
            self.clock.now(),
            self.reaction_meta(incoming),
            incoming.envelope.model_dump(mode="json"),
        ):
            processing_event.collect_events(case)
