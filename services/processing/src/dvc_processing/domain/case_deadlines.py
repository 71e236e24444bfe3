"""The legal deadline: due soon one working day ahead, breached at the due time, counted again
when the working calendar is revised (ADR 0023), and moved by an officer's apology letter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dvc_kernel.event_meta import EventMeta

from .case_state import CaseEvent, CaseState
from .case_status import CLOCK_RUNS, refused


class TimeNoted(CaseEvent):
    """What time made true of the dossier's due time, for its unit. Not an event itself;
    `DueSoonNoted` and `DeadlineBreached` are."""

    unit_code: str | None
    due_at: datetime


class Deadlines(CaseState):
    class DueDateRecalculated(CaseEvent):
        """The working calendar was revised while the dossier was open (ADR 0023)."""

        old_calendar_version: int | None
        new_calendar_version: int
        old_due_at: datetime | None
        new_due_at: datetime
        reason: str
        due_explanation: list[str]
        due_estimated: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.calendar_version = self.new_calendar_version
            aggregate.due_estimated = self.due_estimated
            aggregate.due_at = self.new_due_at
            if aggregate.breached is not None and self.new_due_at > self.at:
                aggregate.breached = None
                aggregate.due_soon_noted = None

    class DueSoonNoted(TimeNoted):
        def apply(self, aggregate: Any) -> None:
            aggregate.due_soon_noted = self.due_at

    class DeadlineBreached(TimeNoted):
        def apply(self, aggregate: Any) -> None:
            aggregate.breached = self.due_at

    class ApologyIssued(CaseEvent):
        reason: str
        new_due_at: datetime
        letter: str

        def apply(self, aggregate: Any) -> None:
            aggregate.due_at = self.new_due_at
            aggregate.breached = None
            aggregate.due_soon_noted = None
            aggregate.due_by_apology = True

    def apologise(
        self, reason: str, new_due_at: datetime, letter: str, at: datetime, meta: EventMeta
    ) -> None:
        self._require("apologise")
        if self.breached is None:
            raise refused("no_breach", "Hồ sơ chưa quá hạn: chưa cần văn bản xin lỗi.")
        if new_due_at <= at:
            raise refused("new_due_in_past", "Ngày hẹn trả kết quả mới phải sau thời điểm hiện tại.")
        if not reason.strip():
            raise refused("apology_reason_required", "Phải nêu rõ lý do chậm trả kết quả.")
        self._record(
            self.ApologyIssued,
            at,
            meta,
            reason=reason,
            new_due_at=new_due_at,
            letter=letter,
        )

    def recalculate_due(
        self,
        new_calendar_version: int,
        new_due_at: datetime,
        explanation: list[str],
        estimated: bool,
        reason: str,
        at: datetime,
        meta: EventMeta,
    ) -> bool:
        """Move the due date to what the revised calendar gives (ADR 0023). Only while the
        clock runs (a paused dossier is counted again when the citizen resubmits), never over
        a date an officer set in an apology letter, and never making a dossier late after the
        fact: a new date already past is not applied when it is earlier than the old one.
        False when there is nothing to record."""
        if (
            self.status not in CLOCK_RUNS
            or self.due_by_apology
            or self.calendar_version == new_calendar_version
        ):
            return False
        old = self.due_at
        if old is not None and new_due_at < old and new_due_at <= at:
            new_due_at = old
            explanation = [*explanation, "Hạn mới đã qua: giữ hạn cũ, việc sửa lịch không làm hồ sơ trễ hạn."]
        self._record(
            self.DueDateRecalculated,
            at,
            meta,
            old_calendar_version=self.calendar_version,
            new_calendar_version=new_calendar_version,
            old_due_at=old,
            new_due_at=new_due_at,
            reason=reason,
            due_explanation=explanation,
            due_estimated=estimated,
        )
        return True

    def note_due_soon(self, at: datetime, meta: EventMeta) -> bool:
        if not self.allows("note_due_soon") or self.due_at is None or self.due_soon_noted == self.due_at:
            return False
        self._record(
            self.DueSoonNoted,
            at,
            meta,
            unit_code=self.unit_code,
            due_at=self.due_at,
        )
        return True

    def record_breach(self, at: datetime, meta: EventMeta) -> bool:
        if (
            not self.allows("record_breach")
            or self.due_at is None
            or at < self.due_at
            or self.breached == self.due_at
        ):
            return False
        self._record(
            self.DeadlineBreached,
            at,
            meta,
            unit_code=self.unit_code,
            due_at=self.due_at,
        )
        return True
