"""When a dossier is due: the moment counting starts, then the count for the rule's kind."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from .counting import (
    ARTICLE_147,
    ARTICLE_147_HOURS,
    count_calendar_days,
    count_working_days,
    count_working_time,
)
from .instants import at, to_vietnam
from .office_hours import OfficeHours, load_office_hours
from .rules import DeadlineKind, DeadlineRule
from .versions import CalendarVersion, NoCalendarData, packaged_calendar
from .window import is_open, next_opening
from .wording import clock_text, duration_text, instant_text
from .working_calendar import WorkingCalendar


@dataclass(frozen=True, slots=True)
class Deadline:
    """The due instant (Asia/Ho_Chi_Minh) and, step by step in Vietnamese, how it was counted."""

    due_at: datetime
    counted_from: datetime  # the instant the submission counts as made
    steps: tuple[str, ...]
    calendar_version: int | None = None  # set when counted by a recorded calendar version
    estimated: bool = False  # the count crossed a year the calendar has no data for


@dataclass(slots=True)
class Counting:
    """One deadline being counted: its rule, the calendar and office hours it runs by, and the
    steps said so far (Vietnamese). Every step of a count takes these four together."""

    rule: DeadlineRule
    calendar: WorkingCalendar
    hours: OfficeHours
    steps: list[str] = field(default_factory=list)

    @classmethod
    def of(
        cls, rule: DeadlineRule, calendar: WorkingCalendar | None, office_hours: OfficeHours | None
    ) -> Counting:
        """By the packaged calendar and office hours unless others are given."""
        return cls(rule, calendar or packaged_calendar(), office_hours or load_office_hours())


def compute_due(
    received_at: datetime,
    rule: DeadlineRule,
    *,
    calendar: WorkingCalendar | None = None,
    office_hours: OfficeHours | None = None,
) -> Deadline:
    """Due time of a complete dossier successfully submitted at `received_at` (aware)."""
    counting = Counting.of(rule, calendar, office_hours)
    received = to_vietnam(received_at, "received_at")
    start = counting_start(received, counting, "Tiếp nhận hồ sơ đầy đủ")
    start = _apply_cutoff(start, counting)
    due = count_from(start, counting)
    return Deadline(due_at=due, counted_from=start, steps=tuple(counting.steps))


def counting_start(moment: datetime, counting: Counting, what: str) -> datetime:
    """A submission outside the window counts as made when the window next opens."""
    calendar, hours, steps = counting.calendar, counting.hours, counting.steps
    saturday = counting.rule.saturday_morning_reception
    if is_open(moment, calendar, hours, saturday):
        steps.append(f"{what} lúc {instant_text(moment)}, trong giờ tiếp nhận")
        return moment
    opening = next_opening(moment, calendar, hours, saturday)
    why = _why_closed(moment, saturday, calendar)
    steps.append(f"{what} lúc {instant_text(moment)} ({why}), tính từ {instant_text(opening)}")
    return opening


def _why_closed(moment: datetime, saturday: bool, calendar: WorkingCalendar) -> str:
    status = calendar.status(moment.date())
    if status.working:
        return "ngoài giờ hành chính"
    if saturday and calendar.opens_saturday_morning(moment.date()):
        return "thứ Bảy chỉ tiếp nhận buổi sáng"
    if status.reason == "nghỉ hằng tuần":
        return "ngày nghỉ hằng tuần"
    return f"ngày nghỉ: {status.reason}"


def _apply_cutoff(start: datetime, counting: Counting) -> datetime:
    # "Received after 15:00 counts from the next working day": UNSURE for residence/ID, so it
    # is off unless the rule sets a cutoff. Strictly after: 15:00:00 itself is not "sau 15 giờ".
    calendar = counting.calendar
    cutoff = counting.rule.after_cutoff_next_day
    if cutoff is None or not calendar.is_working_day(start.date()) or start.time() <= cutoff:
        return start
    moved = at(calendar.next_working_day(start.date()), counting.hours.opens)
    counting.steps.append(
        f"Tiếp nhận sau {clock_text(cutoff)}: tính từ ngày làm việc tiếp theo, {instant_text(moved)}"
    )
    return moved


def count_from(start: datetime, counting: Counting) -> datetime:
    """The due instant of the rule counted from `start` (already inside the window)."""
    rule, calendar, hours, steps = counting.rule, counting.calendar, counting.hours, counting.steps
    match rule.kind:
        case DeadlineKind.IMMEDIATE:
            steps.append(f"Giải quyết ngay: hạn là {instant_text(start)}")
            return start
        case DeadlineKind.WORKING_DAYS | DeadlineKind.CALENDAR_DAYS:
            steps.append(ARTICLE_147)
            due, counted = _count_days(rule.kind, start.date(), rule.amount, calendar, hours)
            steps.extend(counted)
            return due
        case DeadlineKind.HALF_WORKING_DAYS | DeadlineKind.WORKING_HOURS:
            span = working_span(rule, hours)
            label = (
                f"{rule.amount} giờ làm việc"
                if rule.kind is DeadlineKind.WORKING_HOURS
                else "½ ngày làm việc"
                if rule.amount == 1
                else f"{rule.amount} × ½ ngày làm việc"
            )
            steps.append(f"Thời hạn {label} = {duration_text(span)} làm việc")
            steps.append(ARTICLE_147_HOURS)
            return count_working_time(start, span, calendar, hours, steps)


# Counting whole days depends only on the first day, the count and the calendar: every dossier
# received on one day by one calendar shares the walk (kept for the calendar objects in use).
_DAYS: dict[tuple[DeadlineKind, date, int, int, int], tuple[Any, Any, datetime, tuple[str, ...]]] = {}
_DAYS_KEPT = 4096


def _count_days(
    kind: DeadlineKind, first: date, amount: int, calendar: WorkingCalendar, hours: OfficeHours
) -> tuple[datetime, tuple[str, ...]]:
    key = (kind, first, amount, id(calendar), id(hours))
    known = _DAYS.get(key)
    if known is not None and known[0] is calendar and known[1] is hours:
        return known[2], known[3]
    steps: list[str] = []
    count = count_working_days if kind is DeadlineKind.WORKING_DAYS else count_calendar_days
    due = count(first, amount, calendar, hours, steps)
    if len(_DAYS) >= _DAYS_KEPT:
        _DAYS.clear()
    _DAYS[key] = (calendar, hours, due, tuple(steps))
    return due, tuple(steps)


def working_span(rule: DeadlineRule, hours: OfficeHours) -> timedelta:
    """Working time of an hour-counted rule; ½ working day is half of the unit's working day."""
    if rule.kind is DeadlineKind.WORKING_HOURS:
        return timedelta(hours=rule.amount)
    return hours.working_day_length() / 2 * rule.amount


def judged(deadline: Deadline, version: CalendarVersion, received_at: datetime, *, strict: bool) -> Deadline:
    """`deadline`, counted by `version`, with the version recorded and, when the count touched
    a year the version has no data for, flagged as an estimate (or refused when `strict`)."""
    first = to_vietnam(received_at, "received_at").year
    unknown = [y for y in range(first, deadline.due_at.year + 1) if not version.covers(y)]
    if unknown and strict and not version.covers(first):
        raise NoCalendarData(first, version.version)
    if not unknown:
        return replace(deadline, calendar_version=version.version)
    years = ", ".join(str(y) for y in unknown)
    return replace(
        deadline,
        calendar_version=version.version,
        estimated=True,
        steps=(
            *deadline.steps,
            f"Lưu ý: chưa có lịch làm việc năm {years} (phiên bản lịch {version.version}); hạn trên là "
            "ước tính theo ngày nghỉ lễ luật định và sẽ được tính lại khi có lịch.",
        ),
    )
