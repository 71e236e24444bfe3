"""The case: a dossier as handled by the police unit that decides it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event


class Case(Aggregate):
    """Its id is the dossier id, so one dossier can be received only once."""

    class Received(Aggregate.Created):
        dossier_code: str
        procedure_code: str
        procedure_version: int
        owner_account: str
        unit_code: str | None
        received_at: datetime
        due_at: datetime | None
        due_explanation: list[str]
        meta: dict[str, Any]

    @event(Received)
    def __init__(
        self,
        id: UUID,
        dossier_code: str,
        procedure_code: str,
        procedure_version: int,
        owner_account: str,
        unit_code: str | None,
        received_at: datetime,
        due_at: datetime | None,
        due_explanation: list[str],
        meta: dict[str, Any],
    ) -> None:
        self.dossier_code = dossier_code
        self.procedure_code = procedure_code
        self.procedure_version = procedure_version
        self.owner_account = owner_account
        self.unit_code = unit_code
        self.received_at = received_at
        self.due_at = due_at
        self.due_explanation = due_explanation
        self.status = "received"
