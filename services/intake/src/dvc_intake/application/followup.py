"""After submission: what processing reports, and what the citizen may still do about it.

Intake mirrors processing's events on `processing.dossier.v1` into the dossier: a supplement
request opens a supplement the citizen answers (`Resubmitted`); a decision closes it and ends
the citizen's right to withdraw (`Withdrawn` is only for undecided dossiers).
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent

from dvc_contracts import case, dossier
from dvc_contracts.lodging import LodgingNoticeReceived
from dvc_kernel.application import Incoming, event_types
from dvc_kernel.meta import CommandMeta
from dvc_kernel.store_commands import store_command

from ..domain.dossier import Dossier, Status
from ..domain.form import check_form, merged
from ..domain.papers import FileRef
from ..domain.refusal import Refused
from ..projections.procedure_rules import rules_of
from .base import IntakeBase

log = logging.getLogger(__name__)

# Processing's news that moves the status as intake shows it (SupplementRequested is apart:
# it opens a supplement). Accepted is not a decision; the others here are, or end the case.
REPORTED_STATUS: dict[type[Any], Status] = {
    dossier.Received: Status.RECEIVED,
    dossier.Accepted: Status.ACCEPTED,
    case.ResubmissionReceived: Status.RECEIVED,
    case.Approved: Status.APPROVED,
    case.Refused: Status.REFUSED,
    dossier.RejectedWithReason: Status.REJECTED,
    dossier.ResultIssued: Status.RESULT_ISSUED,
    case.WithdrawalAcknowledged: Status.WITHDRAWN,
}


class FollowUpCommands(IntakeBase):
    # What processing says that the citizen's dossier page shows (the inbox skips the rest).
    handles = event_types(*REPORTED_STATUS, case.SupplementRequested, case.Transferred, LodgingNoticeReceived)

    @store_command
    def resubmit(
        self,
        owner: str,
        code: str,
        *,
        request_id: UUID | None,
        form_changes: dict[str, Any],
        attachments: list[FileRef],
        note: str | None,
        idempotency_key: str,
        meta: CommandMeta,
    ) -> tuple[Dossier, bool]:
        """Answer the open supplement request; a retry with the same key changes nothing."""
        filed = self.owned_by_code(owner, code)
        if idempotency_key in filed.resubmissions:
            return filed, False
        if not form_changes and not attachments and not (note and note.strip()):
            raise Refused(
                "empty_supplement",
                "Vui lòng bổ sung thông tin, tệp đính kèm hoặc ghi chú cho cán bộ tiếp nhận.",
            )
        form_data = merged(filed.form_data, form_changes)
        version = self.catalog.version(filed.procedure_code, filed.procedure_version or 0)
        if version is not None:  # the form of the version the dossier was filed under
            problems = check_form(rules_of(version).form, form_data, self.today())
            if problems:
                raise Refused(
                    "invalid_form",
                    "Thông tin bổ sung chưa hợp lệ. Vui lòng sửa các mục được nêu dưới đây.",
                    fields=[p.as_dict() for p in problems],
                )
        added = self.owned_attachments(owner, attachments)
        filed.resubmit(
            request_id=request_id,
            form_data=form_data,
            added=added,
            note=note.strip() if note and note.strip() else None,
            at=self.clock.now(),
            idempotency_key=idempotency_key,
            meta=meta.as_dict(),
        )
        self.save(filed)
        return filed, True

    def withdraw(self, owner: str, code: str, reason: str | None, meta: CommandMeta) -> Dossier:
        filed = self.owned_by_code(owner, code)
        cleaned = reason.strip() if reason and reason.strip() else None
        if filed.withdraw(cleaned, self.clock.now(), meta.as_dict()):
            self.save(filed)
        return filed

    # --- policy for processing's events ---------------------------------------------------

    def on_incoming(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        payload = incoming.payload
        if isinstance(payload, LodgingNoticeReceived):  # the host reads each guest's verdict
            envelope = incoming.envelope
            noted = self.note_lodging_verdicts(  # type: ignore[attr-defined]
                payload,
                CommandMeta.system(
                    "intake", caused_by=envelope.event_id, correlation_id=envelope.correlation_id
                ).as_dict(),
            )
            if noted is not None:
                processing_event.collect_events(noted)
            return
        dossier_id = getattr(payload, "dossier_id", None)
        if not isinstance(dossier_id, UUID):
            return
        if isinstance(payload, case.SupplementRequested):
            status: Status | None = Status.SUPPLEMENT_REQUESTED
        else:
            status = REPORTED_STATUS.get(type(payload))
        unit_code = payload.to_unit if isinstance(payload, case.Transferred) else None
        if status is None and unit_code is None:
            return
        filed = self._get(Dossier, dossier_id)
        if filed is None:
            log.warning(
                "%s for dossier %s, which intake does not know", incoming.envelope.event_type, dossier_id
            )
            return
        envelope = incoming.envelope
        meta = CommandMeta.system(
            "intake",
            caused_by=envelope.event_id,
            correlation_id=envelope.correlation_id,
            trace_context=envelope.trace_context,
        ).as_dict()
        if isinstance(payload, case.SupplementRequested):
            items = [item.model_dump(mode="json") for item in payload.items]
            filed.note_supplement_requested(payload.request_id, items, meta)
        else:
            filed.note_processing(status or filed.status, unit_code, meta)
        processing_event.collect_events(filed)
