"""The clock while the office waits for a supplement (bổ sung hồ sơ): pause or restart."""

from __future__ import annotations

from datetime import datetime, timedelta

from .counting import (
    count_calendar_days,
    count_working_days,
    count_working_time,
    working_days_after,
)
from .deadlines import Counting, Deadline, compute_due, count_from, counting_start, working_span
from .instants import to_vietnam
from .office_hours import OfficeHours
from .rules import DeadlineKind, DeadlineRule, SupplementPolicy
from .wording import duration_text, instant_text
from .working_calendar import WorkingCalendar
from .working_time import working_time_between

_NOT_COUNTED = "Không tính ngày nhận hồ sơ bổ sung (Điều 147 Bộ luật Dân sự 2015)"


def due_after_supplement(
    received_at: datetime,
    rule: DeadlineRule,
    paused_at: datetime,
    resumed_at: datetime,
    *,
    calendar: WorkingCalendar | None = None,
    office_hours: OfficeHours | None = None,
) -> Deadline:
    """New due time once the supplement requested at `paused_at` arrives at `resumed_at`.

    PAUSE carries the remaining time over: for day-counted rules, the days not yet over at the
    pause (the day of the pause included, since part of it is lost to the office), counted
    again after the day of resumption, which itself is not counted (as Civil Code Art. 147);
    for hour-counted rules, the exact working minutes left. RESTART runs the full deadline
    again from the resubmission. Asking for a supplement after the deadline has passed does
    not erase the delay: the original due time stands.
    """
    counting = Counting.of(rule, calendar, office_hours)
    calendar, hours = counting.calendar, counting.hours
    received = to_vietnam(received_at, "received_at")
    paused = to_vietnam(paused_at, "paused_at")
    resumed = to_vietnam(resumed_at, "resumed_at")
    if not received <= paused <= resumed:
        raise ValueError("expected received_at <= paused_at <= resumed_at")

    if rule.on_supplement is SupplementPolicy.RESTART:
        restarted = compute_due(resumed, rule, calendar=calendar, office_hours=hours)
        restart_steps = (
            f"Yêu cầu bổ sung hồ sơ lúc {instant_text(paused)}; thời hạn được tính lại từ đầu "
            "khi nhận đủ hồ sơ bổ sung",
            *restarted.steps,
        )
        return Deadline(restarted.due_at, restarted.counted_from, restart_steps)

    original = compute_due(received, rule, calendar=calendar, office_hours=hours)
    steps = counting.steps
    steps.append(f"Hạn ban đầu: {instant_text(original.due_at)}")
    if paused >= original.due_at:
        steps.append(f"Yêu cầu bổ sung lúc {instant_text(paused)}, sau khi đã hết hạn: hạn không thay đổi")
        return Deadline(original.due_at, original.counted_from, tuple(steps))
    steps.append(f"Tạm dừng tính thời hạn lúc {instant_text(paused)} để chờ bổ sung hồ sơ")
    start = counting_start(resumed, counting, "Nhận hồ sơ bổ sung")
    due = _resume(original, paused, start, counting)
    return Deadline(due, start, tuple(steps))


def _resume(original: Deadline, paused: datetime, start: datetime, counting: Counting) -> datetime:
    rule, calendar, hours, steps = counting.rule, counting.calendar, counting.hours, counting.steps
    match rule.kind:
        case DeadlineKind.IMMEDIATE:
            return count_from(start, counting)
        case DeadlineKind.WORKING_DAYS:
            planned = working_days_after(original.counted_from.date(), rule.amount, calendar)
            left = sum(1 for day in planned if day >= paused.date())
            steps.append(f"Còn lại {left} ngày làm việc chưa kết thúc khi tạm dừng")
            steps.append(_NOT_COUNTED)
            return count_working_days(start.date(), left, calendar, hours, steps)
        case DeadlineKind.CALENDAR_DAYS:
            nominal_last = original.counted_from.date() + timedelta(days=rule.amount)
            left = min(max((nominal_last - paused.date()).days + 1, 1), rule.amount)
            steps.append(f"Còn lại {left} ngày chưa kết thúc khi tạm dừng")
            steps.append(_NOT_COUNTED)
            return count_calendar_days(start.date(), left, calendar, hours, steps)
        case DeadlineKind.HALF_WORKING_DAYS | DeadlineKind.WORKING_HOURS:
            begun = max(paused, original.counted_from)
            left_time = working_time_between(begun, original.due_at, calendar, hours)
            left_time = min(left_time, working_span(rule, hours))
            steps.append(f"Còn lại {duration_text(left_time)} làm việc")
            return count_working_time(start, left_time, calendar, hours, steps)
