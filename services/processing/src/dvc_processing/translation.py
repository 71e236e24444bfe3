"""Processing's domain events -> public contract events."""

from __future__ import annotations

from typing import Any

from dvc_contracts.dossier import Received
from dvc_contracts.topics import PROCESSING_DOSSIER
from dvc_kernel.envelopes import Outgoing

from .domain.case import Case


def translate(event: Any) -> Outgoing | None:
    if isinstance(event, Case.Received):
        payload = Received(
            dossier_id=event.originator_id,
            dossier_code=event.dossier_code,
            procedure_code=event.procedure_code,
            unit_code=event.unit_code,
            received_at=event.received_at,
            due_at=event.due_at,
            due_explanation=event.due_explanation,
            procedure_version=event.procedure_version,
        )
        return Outgoing(PROCESSING_DOSSIER.name, str(event.originator_id), payload)
    return None
