"""Which days are working days: Monday–Friday, minus public holidays and days off, plus swaps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

from .calendar_data import CalendarEntry, EntryKind
from .wording import day_text

SATURDAY = 5
# No real break lasts this long; the bound only turns a data error into an exception.
_MAX_SEARCH_DAYS = 366


@dataclass(frozen=True, slots=True)
class DayStatus:
    day: date
    working: bool
    reason: str  # Vietnamese: the holiday's name, "nghỉ hằng tuần", or why it is worked


class WorkingCalendar:
    """The Vietnamese working calendar for state bodies.

    Public holidays come from the `holidays` package (Labour Code 2019 Art. 112, lunar dates,
    substitute days); data entries (vn-YYYY.yaml) have the last word for their date.
    """

    def __init__(self, entries: Iterable[CalendarEntry] = ()) -> None:
        self._entries: dict[date, CalendarEntry] = {}
        for entry in entries:
            if entry.day in self._entries:
                raise ValueError(f"two calendar entries for {entry.day}")
            self._entries[entry.day] = entry
        self._holidays = holidays.country_holidays("VN", language="vi")

    def status(self, day: date) -> DayStatus:
        entry = self._entries.get(day)
        if entry is not None and entry.in_force:
            return DayStatus(day, entry.kind is EntryKind.WORKING_DAY, entry.name)
        if day.weekday() >= SATURDAY:
            return DayStatus(day, False, "nghỉ hằng tuần")
        # An entry not in force (e.g. a proposed holiday) leaves the date an ordinary weekday,
        # even if the package lists a holiday on it.
        holiday = None if entry is not None else self._holidays.get(day)
        if holiday is not None:
            return DayStatus(day, False, str(holiday))
        return DayStatus(day, True, "ngày làm việc")

    def is_working_day(self, day: date) -> bool:
        return self.status(day).working

    def is_day_off(self, day: date) -> bool:
        """A holiday or an official day off, as opposed to an ordinary weekend day."""
        status = self.status(day)
        return not status.working and status.reason != "nghỉ hằng tuần"

    def opens_saturday_morning(self, day: date) -> bool:
        """Whether a Saturday-morning reception (residence dossiers) opens on this day.

        Not on a Saturday that is itself a day off, nor on one that belongs to a holiday break
        (the Friday before or the Monday after is off): official notices announce such
        weekends as part of the break ("nghỉ từ thứ Bảy … đến hết Chủ nhật …").
        A Saturday worked in a swap is a full working day, not just a morning.
        """
        if day.weekday() != SATURDAY or self.is_working_day(day) or self.is_day_off(day):
            return False
        friday, monday = day - timedelta(days=1), day + timedelta(days=2)
        return self.is_working_day(friday) and self.is_working_day(monday)

    def next_working_day(self, after: date) -> date:
        """The first working day strictly after `after`."""
        day = after
        for _ in range(_MAX_SEARCH_DAYS):
            day += timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError(f"no working day within a year after {after}")

    def explain(self, day: date) -> str:
        """E.g. 'Bỏ qua 30/04/2025 (Ngày Chiến thắng)' for a day off, used in explanations."""
        status = self.status(day)
        if status.working and day.weekday() >= SATURDAY:
            return f"Tính {day_text(day)} là ngày làm việc ({status.reason})"
        if status.working:
            return f"{day_text(day)} là ngày làm việc"
        return f"Bỏ qua {day:%d/%m/%Y} ({status.reason})"
