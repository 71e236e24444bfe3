"""Office hours (giờ hành chính) of a receiving unit, configurable per unit in a data file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache
from itertools import pairwise
from typing import Any

from .errors import CalendarDataError
from .yaml_fields import mapping, read_document, text, wall_clock

OFFICE_HOURS_FILE = "office-hours.yaml"


@dataclass(frozen=True, slots=True)
class Session:
    """One continuous stretch of office hours, e.g. the morning 07:30–11:30."""

    start: time
    end: time

    def minutes(self) -> int:
        return _minutes(self.end) - _minutes(self.start)


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """Sessions of a working day, in order, and the Saturday-morning reception session."""

    sessions: tuple[Session, ...]
    saturday_morning: Session

    @property
    def opens(self) -> time:
        return self.sessions[0].start

    @property
    def closes(self) -> time:
        return self.sessions[-1].end

    def working_day_length(self) -> timedelta:
        return timedelta(minutes=sum(session.minutes() for session in self.sessions))


def _minutes(moment: time | datetime) -> int:
    return moment.hour * 60 + moment.minute


def parse_office_hours(document: Any, file: str, field: str) -> OfficeHours:
    body = mapping(document, file, field)
    raw_sessions = body.get("sessions")
    if not isinstance(raw_sessions, list) or not raw_sessions:
        raise CalendarDataError(file, f"{field}.sessions", "must be a non-empty list")
    sessions = tuple(
        _session(raw, file, f"{field}.sessions[{index}]") for index, raw in enumerate(raw_sessions)
    )
    for index, (earlier, later) in enumerate(pairwise(sessions)):
        if later.start < earlier.end:
            raise CalendarDataError(
                file, f"{field}.sessions[{index + 1}]", "sessions must be in order, not overlapping"
            )
    saturday = _session(body.get("saturday_morning"), file, f"{field}.saturday_morning")
    return OfficeHours(sessions=sessions, saturday_morning=saturday)


def _session(raw: Any, file: str, field: str) -> Session:
    body = mapping(raw, file, field)
    start = wall_clock(body.get("start"), file, f"{field}.start")
    end = wall_clock(body.get("end"), file, f"{field}.end")
    if end <= start:
        raise CalendarDataError(file, f"{field}.end", "must be later than start")
    return Session(start=start, end=end)


@cache
def _office_hours_table() -> tuple[OfficeHours, dict[str, OfficeHours]]:
    document = mapping(read_document(OFFICE_HOURS_FILE), OFFICE_HOURS_FILE, "(document)")
    default = parse_office_hours(document.get("default"), OFFICE_HOURS_FILE, "default")
    units_raw = document.get("units") or {}
    units = {
        text(code, OFFICE_HOURS_FILE, "units"): parse_office_hours(hours, OFFICE_HOURS_FILE, f"units.{code}")
        for code, hours in mapping(units_raw, OFFICE_HOURS_FILE, "units").items()
    }
    return default, units


def load_office_hours(unit_code: str | None = None) -> OfficeHours:
    """Office hours of a unit, or the documented default when the unit has no entry."""
    default, units = _office_hours_table()
    if unit_code is None:
        return default
    return units.get(unit_code, default)
