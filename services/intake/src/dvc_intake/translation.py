"""Intake's domain events -> public contract events."""

from __future__ import annotations

from typing import Any

from dvc_contracts.dossier import Applicant, Submitted
from dvc_contracts.topics import INTAKE_DOSSIER
from dvc_kernel.envelopes import Outgoing

from .domain.dossier import Dossier


def translate(event: Any) -> Outgoing | None:
    if isinstance(event, Dossier.Submitted):
        dossier_id = event.originator_id
        payload = Submitted(
            dossier_id=dossier_id,
            dossier_code=event.code,
            procedure_code=event.procedure_code,
            procedure_version=event.procedure_version,
            owner_account=event.owner_account,
            applicant=Applicant.model_validate(event.applicant),
            unit_code=event.unit_code,
            delivery_mode=event.delivery_mode,
            form_data=event.form_data,
            submitted_at=event.submitted_at,
        )
        return Outgoing(INTAKE_DOSSIER.name, str(dossier_id), payload)
    return None  # the code index is internal to intake
