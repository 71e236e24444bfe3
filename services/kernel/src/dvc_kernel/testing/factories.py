"""Contract events as tests need them: realistic values, one place to change them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from dvc_contracts import Actor, Envelope, EventPayload
from dvc_contracts.dossier import Applicant, Submitted

SUBMITTED_AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def submitted(dossier_id: UUID | None = None, **changes: Any) -> Submitted:
    fields: dict[str, Any] = {
        "dossier_id": dossier_id or uuid4(),
        "dossier_code": "261123-K7M3Q9-4",
        "procedure_code": "1.004194",
        "procedure_version": 1,
        "owner_account": "001203004321",
        "applicant": Applicant(id_number="001203004321", full_name="Nguyễn Thị Hoa", phone="0912345678"),
        "delivery_mode": "e_result",
        "form_data": {},
        "submitted_at": SUBMITTED_AT,
    }
    fields.update(changes)
    return Submitted(**fields)


def envelope(
    payload: EventPayload,
    subject: UUID | str,
    *,
    producer: str = "intake",
    actor: Actor | None = None,
    version: int = 1,
) -> Envelope:
    return Envelope(
        event_id=uuid4(),
        event_type=payload.event_type,
        schema_version=payload.schema_version,
        subject=str(subject),
        occurred_at=SUBMITTED_AT,
        producer=producer,
        aggregate_version=version,
        actor=actor or Actor(id="001203004321", role="citizen"),
        payload=payload.model_dump(mode="json"),
    ).sealed()
