"""Deciding: rejection at reception, approval or refusal, and the result. A rejection or a
refusal always names its reason, its legal basis and an explanation for the citizen."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from dvc_contracts.status import DossierStatus
from dvc_kernel.event_meta import EventMeta

from .case_state import CaseEvent, CaseState
from .case_status import refused


class WithReasons(CaseEvent):
    """A rejection at reception or a refusal: the listed reason, its legal basis, the
    explanation for the citizen. Not an event itself; `Rejected` and `Refused` are."""

    reason_code: str
    legal_basis: str
    explanation: str
    status: ClassVar[DossierStatus]

    def apply(self, aggregate: Any) -> None:
        aggregate.status = self.status
        aggregate.decided_at = self.at


class Decisions(CaseState):
    class Rejected(WithReasons):
        status = DossierStatus.REJECTED

    class Approved(CaseEvent):
        summary: str

        def apply(self, aggregate: Any) -> None:
            aggregate.status = DossierStatus.APPROVED
            aggregate.decided_at = self.at

    class Refused(WithReasons):
        status = DossierStatus.REFUSED

    class ResultIssued(CaseEvent):
        result_form: str
        summary: str
        delivery_mode: str

        def apply(self, aggregate: Any) -> None:
            aggregate.status = DossierStatus.RESULT_ISSUED

    def reject(
        self, reason_code: str, legal_basis: str, explanation: str, at: datetime, meta: EventMeta
    ) -> None:
        self._with_reasons("reject", self.Rejected, reason_code, legal_basis, explanation, at, meta)

    def approve(self, summary: str, at: datetime, meta: EventMeta) -> None:
        self._require("approve")
        self._record(self.Approved, at, meta, summary=summary)

    def refuse(
        self, reason_code: str, legal_basis: str, explanation: str, at: datetime, meta: EventMeta
    ) -> None:
        self._with_reasons("refuse", self.Refused, reason_code, legal_basis, explanation, at, meta)

    def _with_reasons(
        self,
        action: str,
        decided: type[WithReasons],
        reason_code: str,
        legal_basis: str,
        explanation: str,
        at: datetime,
        meta: EventMeta,
    ) -> None:
        self._require(action)
        _require_reasons(reason_code, legal_basis, explanation)
        self._record(
            decided,
            at,
            meta,
            reason_code=reason_code,
            legal_basis=legal_basis,
            explanation=explanation,
        )

    def issue_result(self, result_form: str, summary: str, at: datetime, meta: EventMeta) -> None:
        self._require("issue_result")
        self._record(
            self.ResultIssued,
            at,
            meta,
            result_form=result_form,
            summary=summary,
            delivery_mode=self.delivery_mode,
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
