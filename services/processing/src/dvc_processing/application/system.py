"""What time makes true of a dossier, recorded by the system: due soon, breached, and a due
date counted again when the working calendar is revised (ADR 0023). Called by the deadline
watcher (`watcher.py`) inside its store call."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.persistence import IntegrityError

from dvc_calendar import CalendarVersion
from dvc_calendar.instants import to_vietnam
from dvc_contracts.envelope import utc
from dvc_kernel.meta import CommandMeta

from ..domain.deadlines import calendar_on, due_after_resubmission, due_for
from .base import ProcessingBase


class SystemCommands(ProcessingBase):
    def watch_deadline(self, dossier_id: UUID, due_soon: bool) -> list[str]:
        """Record what time has made true of one dossier: due soon, or breached."""
        case = self.case(dossier_id)
        if case is None:
            return []
        now = self.clock.now()
        meta = CommandMeta.system("processing").as_dict()
        done = []
        if case.record_breach(now, meta):
            done.append("breached")
        elif due_soon and case.note_due_soon(now, meta):
            done.append("due_soon")
        if done:
            try:
                self.save(case)
            except IntegrityError:
                return []  # an officer acted meanwhile; the next round looks again
        return done

    def recalculate_due_date(self, dossier_id: UUID, calendar: CalendarVersion | None = None) -> bool:
        """Count an open dossier's due date again by the calendar now in force, when it was
        counted by another version (ADR 0023): a `DueDateRecalculated` with both versions, both
        dates and why. Closed dossiers stay as they were judged (the domain refuses)."""
        case = self.case(dossier_id)
        now = self.clock.now()
        calendar = calendar or calendar_on(to_vietnam(now, "now").date(), strict=False)
        if case is None or case.calendar_version in (None, calendar.version):
            return False
        version = self.catalog.version(case.procedure_code, case.procedure_version)
        if version is None:
            return False
        if case.resubmitted_at is not None and case.requested_at is not None:
            deadline = due_after_resubmission(
                version,
                case.submitted_at,
                case.requested_at,
                case.resubmitted_at,
                case.unit_code,
                calendar=calendar,
            )
        else:
            deadline = due_for(version, case.submitted_at, case.unit_code, calendar=calendar)
        basis = "; ".join(calendar.legal_basis)
        reason = (
            f"Lịch làm việc được sửa đổi (phiên bản {case.calendar_version} → {calendar.version}, "
            f"áp dụng từ {calendar.effective_from:%d/%m/%Y}): {basis}"
        )
        if not case.recalculate_due(
            calendar.version,
            utc(deadline.due_at),
            list(deadline.steps),
            deadline.estimated,
            reason,
            now,
            CommandMeta.system("processing").as_dict(),
        ):
            return False
        try:
            self.save(case)
        except IntegrityError:
            return False  # an officer acted meanwhile; the next round looks again
        return True
