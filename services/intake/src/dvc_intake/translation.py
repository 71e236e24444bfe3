"""Intake's domain events -> public contract events; drafting and mirrored news stay inside."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dvc_contracts.dossier import Applicant, AttachmentRef, Resubmitted, Submitted, Withdrawn
from dvc_contracts.lodging import Guest, LodgingNoticeFiled
from dvc_contracts.topics import INTAKE_DOSSIER, INTAKE_LODGING
from dvc_kernel.envelopes import Outgoing

from .domain.dossier import Dossier
from .domain.lodging import LodgingNotice
from .domain.papers import Attachment


def _refs(attachments: list[Attachment]) -> list[AttachmentRef]:
    return [AttachmentRef.model_validate(a) for a in attachments]


def translate(event: Any) -> Outgoing | None:
    topic = INTAKE_DOSSIER
    payload: Any
    if isinstance(event, Dossier.Submitted):
        payload = Submitted(
            dossier_id=event.originator_id,
            dossier_code=event.code,
            procedure_code=event.procedure_code,
            procedure_version=event.procedure_version,
            owner_account=event.owner_account,
            applicant=Applicant.model_validate(event.applicant),
            unit_code=event.unit_code,
            delivery_mode=event.delivery_mode,
            form_data=event.form_data,
            attachments=_refs(event.attachments),
            submitted_at=event.submitted_at,
        )
    elif isinstance(event, Dossier.Resubmitted):
        payload = Resubmitted(
            dossier_id=event.originator_id,
            dossier_code=event.code,
            request_id=UUID(event.request_id),
            form_data=event.form_data,
            attachments=_refs(event.added),
            note=event.note,
            resubmitted_at=event.resubmitted_at,
        )
    elif isinstance(event, Dossier.Withdrawn):
        payload = Withdrawn(
            dossier_id=event.originator_id,
            dossier_code=event.code,
            reason=event.reason,
            withdrawn_at=event.withdrawn_at,
        )
    elif isinstance(event, LodgingNotice.Filed):
        topic = INTAKE_LODGING
        payload = LodgingNoticeFiled(
            notice_id=event.originator_id,
            notice_code=event.code,
            host_account=event.host_account,
            establishment=event.establishment,
            ward_code=event.ward_code,
            address=event.address,
            unit_code=event.unit_code,
            guests=[Guest.model_validate(g) for g in event.guests],
            filed_at=event.filed_at,
        )
    else:
        return None
    return Outgoing(topic.name, str(event.originator_id), payload)
