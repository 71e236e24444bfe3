"""Deadlines of a dossier from the catalog version it was filed under and the working calendar."""

from __future__ import annotations

from datetime import datetime, timedelta

from dvc_contracts.catalog import ProcedureVersionPublished
from dvc_kernel.calendar import (
    Deadline,
    DeadlineRule,
    WorkingCalendar,
    compute_due,
    due_after_supplement,
    load_office_hours,
    parse_deadline_rule,
)
from dvc_kernel.calendar.instants import to_vietnam


def rule_of(version: ProcedureVersionPublished) -> DeadlineRule:
    return parse_deadline_rule(version.deadline.model_dump(mode="json"))


def due_for(version: ProcedureVersionPublished, submitted_at: datetime, unit_code: str | None) -> Deadline:
    """The deadline counts from the successful submission of the complete dossier, in the
    office hours of the unit that decides it."""
    return compute_due(submitted_at, rule_of(version), office_hours=load_office_hours(unit_code))


def due_after_resubmission(
    version: ProcedureVersionPublished,
    submitted_at: datetime,
    requested_at: datetime,
    resubmitted_at: datetime,
    unit_code: str | None,
) -> Deadline:
    """After a supplement: the clock restarts or resumes, as the procedure's rule says."""
    return due_after_supplement(
        submitted_at,
        rule_of(version),
        requested_at,
        resubmitted_at,
        office_hours=load_office_hours(unit_code),
    )


def due_soon_from(due_at: datetime, calendar: WorkingCalendar | None = None) -> datetime:
    """One working day before the due time: the same hour on the previous working day."""
    calendar = calendar or WorkingCalendar.packaged()
    local = to_vietnam(due_at, "due_at")
    day = local.date() - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return local.replace(year=day.year, month=day.month, day=day.day)
