"""The submission window: office hours on working days, plus Saturday morning where allowed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .instants import at
from .office_hours import OfficeHours, Session
from .working_calendar import WorkingCalendar

_MAX_SEARCH_DAYS = 366


def reception_sessions(
    day: date, calendar: WorkingCalendar, hours: OfficeHours, saturday_morning: bool
) -> tuple[Session, ...]:
    """Sessions during which a dossier is received on `day` (empty when closed)."""
    if calendar.is_working_day(day):
        return hours.sessions
    if saturday_morning and calendar.opens_saturday_morning(day):
        return (hours.saturday_morning,)
    return ()


def is_open(moment: datetime, calendar: WorkingCalendar, hours: OfficeHours, saturday_morning: bool) -> bool:
    """`moment` in Vietnam time; a session runs from its start up to, not including, its end."""
    sessions = reception_sessions(moment.date(), calendar, hours, saturday_morning)
    return any(at(moment.date(), s.start) <= moment < at(moment.date(), s.end) for s in sessions)


def next_opening(
    moment: datetime, calendar: WorkingCalendar, hours: OfficeHours, saturday_morning: bool
) -> datetime:
    """`moment` itself when the window is open, otherwise when it next opens."""
    if is_open(moment, calendar, hours, saturday_morning):
        return moment
    day = moment.date()
    for _ in range(_MAX_SEARCH_DAYS):
        for session in reception_sessions(day, calendar, hours, saturday_morning):
            opening = at(day, session.start)
            if opening > moment:
                return opening
        day += timedelta(days=1)
    raise ValueError(f"the submission window does not open within a year after {moment}")
