"""Deadlines of a dossier from the catalog version it was filed under and the working calendar.

Every due date is counted by the calendar version in force on the day it is counted, and
records that version and whether it is an estimate (a year without calendar data), so it can
be recomputed later and compared when the calendar is revised (ADR 0023).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dvc_calendar import (
    CalendarVersion,
    CalendarVersions,
    Deadline,
    DeadlineRule,
    NoCalendarData,
    WorkingCalendar,
    compute_due,
    due_after_supplement,
    judged,
    load_office_hours,
    packaged_calendar,
    parse_deadline_rule,
)
from dvc_calendar.instants import to_vietnam
from dvc_contracts.catalog import ProcedureVersionPublished


def rule_of(version: ProcedureVersionPublished) -> DeadlineRule:
    return parse_deadline_rule(version.deadline.model_dump(mode="json"))


def calendar_on(on: date, *, strict: bool, versions: CalendarVersions | None = None) -> CalendarVersion:
    """The calendar version in force on `on`. Before the first version there is none: refused
    when `strict`, else the first version is used and the count flagged as an estimate."""
    versions = versions or CalendarVersions.packaged()
    found = versions.in_force(on)
    if found is not None:
        return found
    if strict:
        raise NoCalendarData(on.year, None)
    return versions.version(1)


def due_for(
    version: ProcedureVersionPublished,
    submitted_at: datetime,
    unit_code: str | None,
    *,
    on: date | None = None,
    strict: bool = False,
    calendar: CalendarVersion | None = None,
) -> Deadline:
    """The deadline counts from the successful submission of the complete dossier, in the
    office hours of the unit that decides it, by the calendar in force `on` (default: the day
    of submission) or the given `calendar` version."""
    cal = calendar or calendar_on(on or to_vietnam(submitted_at, "submitted_at").date(), strict=strict)
    deadline = compute_due(
        submitted_at, rule_of(version), calendar=cal.calendar, office_hours=load_office_hours(unit_code)
    )
    return judged(deadline, cal, submitted_at, strict=strict)


def due_after_resubmission(
    version: ProcedureVersionPublished,
    submitted_at: datetime,
    requested_at: datetime,
    resubmitted_at: datetime,
    unit_code: str | None,
    *,
    on: date | None = None,
    calendar: CalendarVersion | None = None,
) -> Deadline:
    """After a supplement: the clock restarts or resumes, as the procedure's rule says."""
    cal = calendar or calendar_on(on or to_vietnam(resubmitted_at, "resubmitted_at").date(), strict=False)
    deadline = due_after_supplement(
        submitted_at,
        rule_of(version),
        requested_at,
        resubmitted_at,
        calendar=cal.calendar,
        office_hours=load_office_hours(unit_code),
    )
    return judged(deadline, cal, submitted_at, strict=False)


def due_soon_from(due_at: datetime, calendar: WorkingCalendar | None = None) -> datetime:
    """One working day before the due time: the same hour on the previous working day."""
    calendar = calendar or packaged_calendar()
    local = to_vietnam(due_at, "due_at")
    day = local.date() - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return local.replace(year=day.year, month=day.month, day=day.day)
