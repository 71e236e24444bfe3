"""Deciding: rejection at reception, approval or refusal, and the result. A rejection or a
refusal always names its reason, its legal basis and an explanation for the citizen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate

from dvc_contracts.status import DossierStatus

from .case_state import CaseState
from .case_status import refused
from .payloads import Meta


class Decisions(CaseState):
    class Rejected(Aggregate.Event):
        dossier_code: str
        reason_code: str
        legal_basis: str
        explanation: str
        at: datetime
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            aggregate.status = DossierStatus.REJECTED
            aggregate.decided_at = self.at

    class Approved(Aggregate.Event):
        dossier_code: str
        summary: str
        at: datetime
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            aggregate.status = DossierStatus.APPROVED
            aggregate.decided_at = self.at

    class Refused(Aggregate.Event):
        dossier_code: str
        reason_code: str
        legal_basis: str
        explanation: str
        at: datetime
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            aggregate.status = DossierStatus.REFUSED
            aggregate.decided_at = self.at

    class ResultIssued(Aggregate.Event):
        dossier_code: str
        result_form: str
        summary: str
        delivery_mode: str
        at: datetime
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            aggregate.status = DossierStatus.RESULT_ISSUED

    def reject(self, reason_code: str, legal_basis: str, explanation: str, at: datetime, meta: Meta) -> None:
        self._require("reject")
        _require_reasons(reason_code, legal_basis, explanation)
        self.trigger_event(
            self.Rejected,
            dossier_code=self.dossier_code,
            reason_code=reason_code,
            legal_basis=legal_basis,
            explanation=explanation,
            at=at,
            meta=meta,
        )

    def approve(self, summary: str, at: datetime, meta: Meta) -> None:
        self._require("approve")
        self.trigger_event(self.Approved, dossier_code=self.dossier_code, summary=summary, at=at, meta=meta)

    def refuse(self, reason_code: str, legal_basis: str, explanation: str, at: datetime, meta: Meta) -> None:
        self._require("refuse")
        _require_reasons(reason_code, legal_basis, explanation)
        self.trigger_event(
            self.Refused,
            dossier_code=self.dossier_code,
            reason_code=reason_code,
            legal_basis=legal_basis,
            explanation=explanation,
            at=at,
            meta=meta,
        )

    def issue_result(self, result_form: str, summary: str, at: datetime, meta: Meta) -> None:
        self._require("issue_result")
        self.trigger_event(
            self.ResultIssued,
            dossier_code=self.dossier_code,
            result_form=result_form,
            summary=summary,
            delivery_mode=self.delivery_mode,
            at=at,
            meta=meta,
        )


def _require_reasons(reason_code: str, legal_basis: str, explanation: str) -> None:
    missing = [
        name
        for name, value in (
            ("mã lý do", reason_code),
            ("căn cứ pháp lý", legal_basis),
            ("giải thích", explanation),
        )
        if not value.strip()
    ]
    if missing:
        raise refused(
            "reason_required",
            "Từ chối phải nêu lý do cụ thể và căn cứ pháp lý; còn thiếu: " + ", ".join(missing) + ".",
        )
