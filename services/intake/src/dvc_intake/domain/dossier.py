"""A dossier application as the citizen filed it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_DOSSIER_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/dossier")
_CODE_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/dossier-code")


def dossier_id_for(owner: str, idempotency_key: str) -> UUID:
    """The same request, retried with its idempotency key, lands on the same dossier."""
    return uuid5(_DOSSIER_NS, f"{owner}\x1f{idempotency_key}")


class Dossier(Aggregate):
    class Submitted(Aggregate.Created):
        code: str
        procedure_code: str
        procedure_version: int
        owner_account: str
        applicant: dict[str, Any]
        unit_code: str | None
        delivery_mode: str
        form_data: dict[str, Any]
        submitted_at: datetime
        request_fingerprint: str
        meta: dict[str, Any]

    @event(Submitted)
    def __init__(
        self,
        id: UUID,
        code: str,
        procedure_code: str,
        procedure_version: int,
        owner_account: str,
        applicant: dict[str, Any],
        unit_code: str | None,
        delivery_mode: str,
        form_data: dict[str, Any],
        submitted_at: datetime,
        request_fingerprint: str,
        meta: dict[str, Any],
    ) -> None:
        self.code = code
        self.procedure_code = procedure_code
        self.procedure_version = procedure_version
        self.owner_account = owner_account
        self.applicant = applicant
        self.unit_code = unit_code
        self.delivery_mode = delivery_mode
        self.form_data = form_data
        self.submitted_at = submitted_at
        self.request_fingerprint = request_fingerprint
        self.status = "submitted"


class DossierCodeIndex(Aggregate):
    """Reserves a dossier code: its id is derived from the code, so a code exists only once."""

    @staticmethod
    def id_for(code: str) -> UUID:
        return uuid5(_CODE_NS, code)

    @event("Reserved")
    def __init__(self, id: UUID, code: str, dossier_id: UUID) -> None:
        self.code = code
        self.dossier_id = dossier_id
