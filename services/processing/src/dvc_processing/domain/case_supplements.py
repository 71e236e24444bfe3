"""Supplement rounds: everything missing asked for in one go, a further round only with a
listed reason, and the citizen's resubmission answering the open request."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from dvc_contracts.status import DossierStatus
from dvc_kernel.event_meta import EventMeta

from .case_state import CaseEvent, CaseState
from .case_status import refused
from .payloads import Json, SupplementItem


class Supplements(CaseState):
    class SupplementRequested(CaseEvent):
        request_id: UUID
        items: list[SupplementItem]
        clock: str
        round: int | None = None  # 1, 2, …; absent from events stored before rounds were counted
        round_reason: str | None = None  # code from the maintained list, from the second round

        def apply(self, aggregate: Any) -> None:
            aggregate.status = DossierStatus.SUPPLEMENT_REQUESTED
            aggregate.open_request = self.request_id
            aggregate.requested_at = self.at
            aggregate.supplement_rounds += 1

    class ResubmissionReceived(CaseEvent):
        request_id: UUID
        due_at: datetime | None
        due_explanation: list[str]
        cause: Json | None
        calendar_version: int | None = None
        due_estimated: bool = False
        resubmitted_at: datetime | None = None  # the citizen's instant the count resumed from

        def apply(self, aggregate: Any) -> None:
            aggregate.status = DossierStatus.RECEIVED
            aggregate.open_request = None
            aggregate.due_at = self.due_at
            aggregate.breached = None
            aggregate.calendar_version = self.calendar_version
            aggregate.due_estimated = self.due_estimated
            aggregate.resubmitted_at = self.resubmitted_at or self.at

    def request_supplement(
        self,
        request_id: UUID,
        items: list[SupplementItem],
        at: datetime,
        meta: EventMeta,
        round_reason: str | None = None,
    ) -> None:
        """Everything missing, listed in one go. A further round needs a reason from the
        maintained list (checked by the caller against it): the law allows no piecemeal asking."""
        self._require("request_supplement")
        if not items or any(not str(item.get("description", "")).strip() for item in items):
            raise refused(
                "supplement_items_required",
                "Phải liệt kê đầy đủ, một lần, từng giấy tờ hoặc nội dung cần bổ sung.",
            )
        if self.supplement_rounds >= 1 and not round_reason:
            raise refused(
                "supplement_round_reason_required",
                f"Hồ sơ đã được yêu cầu bổ sung {self.supplement_rounds} lần. Yêu cầu bổ sung phải "
                "nêu đầy đủ một lần; lần tiếp theo phải chọn lý do trong danh mục.",
            )
        self._record(
            self.SupplementRequested,
            at,
            meta,
            request_id=request_id,
            items=items,
            clock="paused" if self.on_supplement == "pause" else "restarts",
            round=self.supplement_rounds + 1,
            round_reason=round_reason if self.supplement_rounds >= 1 else None,
        )

    def receive_resubmission(
        self,
        request_id: UUID,
        at: datetime,
        due_at: datetime | None,
        due_explanation: list[str],
        meta: EventMeta,
        cause: Json | None,
        calendar_version: int | None = None,
        due_estimated: bool = False,
        resubmitted_at: datetime | None = None,
    ) -> bool:
        """False for a resubmission that answers no open request (a late duplicate)."""
        if self.status is not DossierStatus.SUPPLEMENT_REQUESTED or request_id != self.open_request:
            return False
        self._record(
            self.ResubmissionReceived,
            at,
            meta,
            request_id=request_id,
            due_at=due_at,
            due_explanation=due_explanation,
            cause=cause,
            calendar_version=calendar_version,
            due_estimated=due_estimated,
            resubmitted_at=resubmitted_at,
        )
        return True
