"""Counting working time (hours and minutes) across office sessions of working days."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from .instants import at
from .office_hours import OfficeHours
from .working_calendar import WorkingCalendar

_MAX_SEARCH_DAYS = 366 * 3


@dataclass(frozen=True, slots=True)
class Stretch:
    """A continuous piece of working time within one office session."""

    start: datetime
    end: datetime


def working_stretches(start: datetime, calendar: WorkingCalendar, hours: OfficeHours) -> Iterator[Stretch]:
    """Working time from `start` (Vietnam time) onwards, in order, session by session."""
    day = start.date()
    for _ in range(_MAX_SEARCH_DAYS):
        if calendar.is_working_day(day):
            for session in hours.sessions:
                begin, end = at(day, session.start), at(day, session.end)
                if end > start:
                    yield Stretch(max(begin, start), end)
        day += timedelta(days=1)
    raise ValueError(f"working time does not run out within three years after {start}")


def add_working_time(
    start: datetime, span: timedelta, calendar: WorkingCalendar, hours: OfficeHours
) -> tuple[datetime, list[Stretch]]:
    """The instant when `span` of working time after `start` has elapsed, and the pieces used."""
    used: list[Stretch] = []
    remaining = span
    if remaining <= timedelta(0):
        return start, used
    for stretch in working_stretches(start, calendar, hours):
        length = stretch.end - stretch.start
        if length >= remaining:
            end = stretch.start + remaining
            used.append(Stretch(stretch.start, end))
            return end, used
        used.append(stretch)
        remaining -= length
    raise AssertionError("working_stretches never ends without raising")  # pragma: no cover


def working_time_between(
    start: datetime, end: datetime, calendar: WorkingCalendar, hours: OfficeHours
) -> timedelta:
    """Working time elapsed from `start` to `end` (zero when `end` is not later)."""
    total = timedelta(0)
    if end <= start:
        return total
    for stretch in working_stretches(start, calendar, hours):
        if stretch.start >= end:
            break
        total += min(stretch.end, end) - stretch.start
    return total
