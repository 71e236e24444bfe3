"""What payment does with consumed events: assesses the fee of every submitted dossier (once,
from the procedure version it was filed under) and closes it, paying back what was paid, when
the dossier is rejected, refused or withdrawn."""

from __future__ import annotations

import logging
from uuid import UUID

from eventsourcing.application import ProcessingEvent

from dvc_contracts.case import Refused as CaseRefused
from dvc_contracts.case import WithdrawalAcknowledged
from dvc_contracts.dossier import RejectedWithReason, Submitted
from dvc_kernel.application import AwaitingCause, Incoming, event_types
from dvc_kernel.clock import VIETNAM

from ..adapters.fee_rules import reading_rules, schedule_of
from ..domain.assessment import Filing, assess
from ..domain.fee import Fee, Index
from .base import PaymentBase

log = logging.getLogger(__name__)


class Policy(PaymentBase):
    handles = event_types(Submitted, RejectedWithReason, CaseRefused, WithdrawalAcknowledged)

    def on_incoming(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        payload = incoming.payload
        if isinstance(payload, Submitted):
            self.assess_fee(incoming, payload, processing_event)
        elif isinstance(payload, RejectedWithReason):
            reason = f"Hồ sơ bị từ chối tiếp nhận: {payload.explanation}"
            self.close_fee(incoming, payload.dossier_id, reason, processing_event)
        elif isinstance(payload, CaseRefused):
            reason = f"Hồ sơ không được giải quyết: {payload.explanation}"
            self.close_fee(incoming, payload.dossier_id, reason, processing_event)
        elif isinstance(payload, WithdrawalAcknowledged):
            self.close_fee(incoming, payload.dossier_id, "Công dân rút hồ sơ.", processing_event)

    def assess_fee(
        self, incoming: Incoming, submitted: Submitted, processing_event: ProcessingEvent[UUID]
    ) -> None:
        """Once per dossier, from the procedure version it was filed under."""
        if self.fee(submitted.dossier_id) is not None:
            return
        version = self.catalog.version(submitted.procedure_code, submitted.procedure_version)
        if version is None:
            # Retried with back-off by the inbox: the version reaches the replica, or an operator looks.
            raise LookupError(
                f"no catalog version {submitted.procedure_code} v{submitted.procedure_version} "
                f"for dossier {submitted.dossier_code}"
            )
        filing = Filing(
            form_data=submitted.form_data,
            filed_on=submitted.submitted_at.astimezone(VIETNAM).date(),
            date_of_birth=submitted.applicant.date_of_birth,
        )
        assessed = assess(schedule_of(version), filing, reading_rules())
        for note in assessed.notes:
            log.warning("dossier %s: %s", submitted.dossier_code, note)
        fee = Fee(
            id=submitted.dossier_id,
            dossier_code=submitted.dossier_code,
            procedure_code=submitted.procedure_code,
            procedure_version=submitted.procedure_version,
            level=version.level,
            unit_code=submitted.unit_code,
            owner_account=submitted.owner_account,
            amount_vnd=assessed.amount_vnd,
            rate=assessed.rate,
            rule=assessed.rule,
            exemption=assessed.exemption,
            due=assessed.due,
            methods=list(assessed.methods),
            assessed_at=self.clock.now(),
            meta=self.reaction_meta(incoming),
        )
        index = Index(
            id=Fee.code_index_id(submitted.dossier_code), name=submitted.dossier_code, dossier_id=fee.id
        )
        processing_event.collect_events(fee, index)

    def close_fee(
        self, incoming: Incoming, dossier_id: UUID, reason: str, processing_event: ProcessingEvent[UUID]
    ) -> None:
        fee = self.fee(dossier_id)
        if fee is None:
            # Decided before its Submitted reached payment (another topic): parked, so the fee
            # is closed (and nothing taken for it later) once it has been assessed.
            raise AwaitingCause(dossier_id, f"{incoming.envelope.event_type} before its Submitted")
        if fee.close(reason, self.clock.now(), self.reaction_meta(incoming)):
            processing_event.collect_events(fee)
