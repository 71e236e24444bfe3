"""What the domain tests of a case start from: a dossier just received, before any officer acts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from dvc_processing.domain.case import Case

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
META: dict[str, Any] = {"actor_id": "officer-1", "actor_role": "officer", "actor_unit": "CAX-00004"}


def received_case(level: int = 4, on_supplement: str = "restart") -> Case:
    """A temporary-residence dossier received at T0, due three days later, with no fee noted yet."""
    return Case(
        id=uuid4(),
        dossier_code="261123-K7M3Q9-4",
        procedure_code="1.004194",
        procedure_version=2,
        level=level,
        owner_account="citizen-1",
        unit_code="CAX-00004",
        delivery_mode="e_result",
        submitted_at=T0,
        received_at=T0,
        due_at=T0 + timedelta(days=3),
        due_explanation=[],
        on_supplement=on_supplement,
        meta=META,
        cause=None,
    )
