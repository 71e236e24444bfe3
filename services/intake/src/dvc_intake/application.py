"""Intake's commands and queries over its own event store."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from dvc_contracts.catalog import ProcedureVersionPublished
from dvc_kernel.application import ServiceApplication
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.clock import VIETNAM, Clock, SystemClock
from dvc_kernel.errors import Conflict, Unprocessable
from dvc_kernel.meta import CommandMeta
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from .domain.dossier import Dossier, DossierCodeIndex, dossier_id_for
from .domain.dossier_code import new_code
from .domain.eligibility import online_filing_refusal

CODE_ATTEMPTS = 8


@dataclass(frozen=True)
class Submission:
    procedure_code: str
    applicant: dict[str, Any]
    delivery_mode: str
    form_data: dict[str, Any]
    unit_code: str | None = None

    def fingerprint(self) -> str:
        raw = json.dumps(self.__dict__, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(raw.encode()).hexdigest()


class IntakeApplication(ServiceApplication):
    name = "intake"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        clock: Clock | None = None,
        catalog: CatalogReplica | None = None,
    ) -> None:
        super().__init__(env)
        self.clock = clock or SystemClock()
        self.catalog = catalog or CatalogReplica()

    def version_for(self, submission: Submission) -> ProcedureVersionPublished:
        """The procedure version in force today in Vietnam: the dossier keeps it for good."""
        today = self.clock.now().astimezone(VIETNAM).date()
        version = self.catalog.in_force(submission.procedure_code, today)
        if version is None:
            raise Unprocessable(
                "unknown_procedure", f"Không có thủ tục hành chính mã «{submission.procedure_code}»."
            )
        refusal = online_filing_refusal(version.level, version.delivery_modes, submission.delivery_mode)
        if refusal is not None:
            raise Unprocessable(refusal.code, refusal.message)
        return version

    def submit(
        self, submission: Submission, owner: str, idempotency_key: str, meta: CommandMeta
    ) -> tuple[Dossier, bool]:
        """Submit a dossier; returns it and whether it was created by this call.

        Retrying with the same idempotency key returns the dossier created the first time;
        reusing the key for a different submission is refused.
        """
        dossier_id = dossier_id_for(owner, idempotency_key)
        existing = self._existing(dossier_id, submission)
        if existing is not None:
            return existing, False
        version = self.version_for(submission)
        now = self.clock.now()
        for _ in range(CODE_ATTEMPTS):
            code = new_code(now.astimezone(VIETNAM).date())
            dossier = Dossier(
                id=dossier_id,
                code=code,
                procedure_code=submission.procedure_code,
                procedure_version=version.version,
                owner_account=owner,
                applicant=submission.applicant,
                unit_code=submission.unit_code,
                delivery_mode=submission.delivery_mode,
                form_data=submission.form_data,
                submitted_at=now,
                request_fingerprint=submission.fingerprint(),
                meta=meta.as_dict(),
            )
            index = DossierCodeIndex(id=DossierCodeIndex.id_for(code), code=code, dossier_id=dossier_id)
            try:
                self.save(dossier, index)
            except IntegrityError:
                existing = self._existing(dossier_id, submission)
                if existing is not None:  # the same request won a race with itself
                    return existing, False
                continue  # the code was taken: draw another
            return dossier, True
        raise RuntimeError("could not reserve a unique dossier code")

    def _existing(self, dossier_id: UUID, submission: Submission) -> Dossier | None:
        try:
            dossier: Dossier = self.repository.get(dossier_id)
        except AggregateNotFoundError:
            return None
        if dossier.request_fingerprint != submission.fingerprint():
            raise Conflict(
                "idempotency_key_reused",
                "Khóa chống trùng lặp (Idempotency-Key) đã được dùng cho một hồ sơ khác.",
            )
        return dossier

    def dossier_by_code(self, code: str) -> Dossier | None:
        try:
            index: DossierCodeIndex = self.repository.get(DossierCodeIndex.id_for(code))
        except AggregateNotFoundError:
            return None
        dossier: Dossier = self.repository.get(index.dossier_id)
        return dossier
