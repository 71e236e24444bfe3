"""Counting a deadline from its starting instant; each helper appends its Vietnamese steps."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .instants import at
from .office_hours import OfficeHours
from .wording import clock_text, day_text, duration_text, instant_text
from .working_calendar import WorkingCalendar
from .working_time import add_working_time

ARTICLE_147 = "Không tính ngày tiếp nhận (Điều 147 Bộ luật Dân sự 2015)"
ARTICLE_147_HOURS = "Thời hạn tính bằng giờ bắt đầu từ thời điểm tiếp nhận (Điều 147 Bộ luật Dân sự 2015)"
_MAX_SEARCH_DAYS = 366 * 3


def noted_day(day: date, calendar: WorkingCalendar) -> str | None:
    """A step for a day worth naming: a holiday skipped or a weekend day worked in a swap."""
    if calendar.is_day_off(day) or (calendar.is_working_day(day) and day.weekday() >= 5):
        return calendar.explain(day)
    return None


def working_days_after(day: date, count: int, calendar: WorkingCalendar) -> list[date]:
    """The first `count` working days strictly after `day` (the day itself is not counted)."""
    counted: list[date] = []
    for _ in range(_MAX_SEARCH_DAYS):
        if len(counted) == count:
            return counted
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            counted.append(day)
    raise ValueError(f"cannot count {count} working days after {day}")


def count_working_days(
    start_day: date, count: int, calendar: WorkingCalendar, hours: OfficeHours, steps: list[str]
) -> datetime:
    """Ends at the close of office hours of the `count`-th working day after `start_day`."""
    counted = working_days_after(start_day, count, calendar)
    day = start_day
    while day < counted[-1]:
        day += timedelta(days=1)
        if (note := noted_day(day, calendar)) is not None:
            steps.append(note)
    steps.append(f"Đếm {count} ngày làm việc: " + ", ".join(day_text(d) for d in counted))
    due = at(counted[-1], hours.closes)
    steps.append(f"Hạn giải quyết: {instant_text(due)} (hết giờ hành chính của ngày làm việc thứ {count})")
    return due


def count_calendar_days(
    start_day: date, count: int, calendar: WorkingCalendar, hours: OfficeHours, steps: list[str]
) -> datetime:
    """The `count`-th day after `start_day`, moved to the next working day when it is off."""
    last = start_day + timedelta(days=count)
    steps.append(f"Ngày thứ {count} kể từ ngày tiếp nhận: {day_text(last)}")
    status = calendar.status(last)
    if not status.working:
        nominal, last = last, calendar.next_working_day(last)
        steps.append(
            f"Ngày cuối cùng là ngày nghỉ ({status.reason}): thời hạn kết thúc vào cuối ngày "
            f"làm việc tiếp theo, {day_text(last)} (Điều 148 Bộ luật Dân sự 2015)"
        )
        for offset in range(1, (last - nominal).days):
            if (note := noted_day(nominal + timedelta(days=offset), calendar)) is not None:
                steps.append(note)
    due = at(last, hours.closes)
    steps.append(f"Hạn giải quyết: {instant_text(due)} (hết giờ hành chính)")
    return due


def count_working_time(
    start: datetime,
    span: timedelta,
    calendar: WorkingCalendar,
    hours: OfficeHours,
    steps: list[str],
) -> datetime:
    """Ends when `span` of working time after `start` has elapsed, session by session."""
    due, used = add_working_time(start, span, calendar, hours)
    day = start.date()
    while day <= due.date():
        if (note := noted_day(day, calendar)) is not None:
            steps.append(note)
        for stretch in (s for s in used if s.start.date() == day):
            steps.append(
                f"Tính {duration_text(stretch.end - stretch.start)} ngày {day_text(day)} "
                f"({clock_text(stretch.start)}–{clock_text(stretch.end)})"
            )
        day += timedelta(days=1)
    steps.append(f"Hạn giải quyết: {instant_text(due)}")
    return due
