"""Per-year calendar data (vn-YYYY.yaml): swapped days, extra days off, proposed holidays."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from .errors import CalendarDataError
from .yaml_fields import boolean, calendar_date, mapping, text

YEAR_FILE = re.compile(r"^vn-(\d{4})\.yaml$")

_E = TypeVar("_E", bound=StrEnum)


class EntryKind(StrEnum):
    WORKING_DAY = "working_day"  # a weekend day worked in a swap
    DAY_OFF = "day_off"  # a weekday off: swap, extra holiday


class EntryStatus(StrEnum):
    CONFIRMED = "confirmed"  # a legal act or official decision we could cite
    REPORTED = "reported"  # reported, decision number not verified: UNSURE
    PROPOSED = "proposed"  # only proposed: UNSURE, normally not in force


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    day: date
    kind: EntryKind
    name: str
    source: str
    status: EntryStatus
    in_force: bool
    note: str | None = None


def parse_year_file(document: Any, file: str) -> tuple[CalendarEntry, ...]:
    """Validate one year file; `file` is its name, which must be vn-YYYY.yaml."""
    match = YEAR_FILE.match(file)
    if not match:
        raise CalendarDataError(file, "(file name)", "must be named vn-YYYY.yaml")
    body = mapping(document, file, "(document)")
    year = body.get("year")
    if year != int(match.group(1)):
        raise CalendarDataError(file, "year", f"must be {match.group(1)} as in the file name")
    raw_entries = body.get("entries")
    if not isinstance(raw_entries, list):
        raise CalendarDataError(file, "entries", "must be a list (possibly empty)")
    entries: list[CalendarEntry] = []
    seen: set[date] = set()
    for index, raw in enumerate(raw_entries):
        entry = _entry(raw, file, f"entries[{index}]", year)
        if entry.day in seen:
            raise CalendarDataError(file, f"entries[{index}].date", f"{entry.day} listed twice")
        seen.add(entry.day)
        entries.append(entry)
    return tuple(entries)


def _entry(raw: Any, file: str, field: str, year: int) -> CalendarEntry:
    body = mapping(raw, file, field)
    day = calendar_date(body.get("date"), file, f"{field}.date")
    if day.year != year:
        raise CalendarDataError(file, f"{field}.date", f"{day} is not in {year}")
    kind = _choice(EntryKind, body.get("kind"), file, f"{field}.kind")
    if kind is EntryKind.WORKING_DAY and day.weekday() < 5:
        # Monday–Friday are working days already; a swap only ever makes a weekend day worked.
        raise CalendarDataError(file, f"{field}.kind", f"{day} is a weekday, not a weekend day")
    note = body.get("note")
    return CalendarEntry(
        day=day,
        kind=kind,
        name=text(body.get("name"), file, f"{field}.name"),
        source=text(body.get("source"), file, f"{field}.source"),
        status=_choice(EntryStatus, body.get("status"), file, f"{field}.status"),
        in_force=boolean(body.get("in_force"), file, f"{field}.in_force"),
        note=None if note is None else text(note, file, f"{field}.note"),
    )


def _choice(enum: type[_E], value: Any, file: str, field: str) -> _E:
    try:
        return enum(value)
    except ValueError:
        allowed = " | ".join(member.value for member in enum)
        raise CalendarDataError(file, field, f"must be one of {allowed}, got {value!r}") from None
