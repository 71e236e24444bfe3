"""The lodging-notice rule (thông báo lưu trú): Law on Residence 68/2020 Art. 30 cl. 4.

"Before 23:00 of the day the stay begins; a person arriving after 23:00 is notified before
08:00 of the next day." It runs every day of the year, holidays included (commune police
receive notices 24/7), so no working calendar is involved.

Readings chosen (see ADR 0003):
- "trước 23 giờ" / "trước 08 giờ" is strictly before: a notice at 23:00:00 or 08:00:00 is late.
- An arrival at 23:00:00 sharp takes the late-arrival branch: it cannot be notified before
  23:00, and the two branches must cover every minute of the day.
- An arrival between 00:00 and 23:00 (e.g. 00:30) starts the stay on that calendar day, so
  its notice is due before 23:00 the same day. "After 23:00" refers to the day the stay
  begins; reading 00:30 as "after 23:00 of the previous day" would give only until 08:00,
  a stricter duty the text does not impose, and the law's wording is read narrowly where it
  burdens the citizen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache

from .errors import CalendarDataError
from .instants import at, to_vietnam
from .wording import clock_text, duration_text, instant_text
from .yaml_fields import mapping, read_document, text, wall_clock

LODGING_FILE = "lodging.yaml"


@dataclass(frozen=True, slots=True)
class LodgingRule:
    notify_before: time  # 23:00, same day
    late_arrival_notify_before_next_day: time  # 08:00, next day
    source: str


@dataclass(frozen=True, slots=True)
class LodgingDeadline:
    arrived_at: datetime
    due_at: datetime  # the notice must be made strictly before this instant
    steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LodgingAssessment:
    due_at: datetime
    notified_at: datetime
    on_time: bool
    steps: tuple[str, ...]


@cache
def load_lodging_rule() -> LodgingRule:
    body = mapping(read_document(LODGING_FILE), LODGING_FILE, "(document)")
    rule = LodgingRule(
        notify_before=wall_clock(body.get("notify_before"), LODGING_FILE, "notify_before"),
        late_arrival_notify_before_next_day=wall_clock(
            body.get("late_arrival_notify_before_next_day"),
            LODGING_FILE,
            "late_arrival_notify_before_next_day",
        ),
        source=text(body.get("source"), LODGING_FILE, "source"),
    )
    if rule.late_arrival_notify_before_next_day >= rule.notify_before:
        raise CalendarDataError(
            LODGING_FILE, "late_arrival_notify_before_next_day", "must be before notify_before"
        )
    return rule


def lodging_notice_due(arrived_at: datetime, rule: LodgingRule | None = None) -> LodgingDeadline:
    """When the notice for a guest arriving at `arrived_at` (aware) must be made before."""
    rule = rule or load_lodging_rule()
    arrived = to_vietnam(arrived_at, "arrived_at")
    cutoff = rule.notify_before
    if arrived.time() < cutoff:
        due = at(arrived.date(), cutoff)
        branch = f"đến trước {clock_text(cutoff)}: thông báo trước {instant_text(due)}"
    else:
        due = at(arrived.date() + timedelta(days=1), rule.late_arrival_notify_before_next_day)
        branch = f"đến sau {clock_text(cutoff)}: thông báo trước {instant_text(due)}"
    steps = (
        f"Người lưu trú đến lúc {instant_text(arrived)}, {branch} ({rule.source})",
        "Áp dụng mọi ngày trong năm, kể cả ngày nghỉ lễ, Tết",
    )
    return LodgingDeadline(arrived_at=arrived, due_at=due, steps=steps)


def assess_lodging_notice(
    arrived_at: datetime, notified_at: datetime, rule: LodgingRule | None = None
) -> LodgingAssessment:
    """Whether a notice made at `notified_at` was on time: strictly before the due instant."""
    deadline = lodging_notice_due(arrived_at, rule)
    notified = to_vietnam(notified_at, "notified_at")
    on_time = notified < deadline.due_at
    if on_time:
        verdict = f"Thông báo lúc {instant_text(notified)}: đúng hạn"
    else:
        late = notified - deadline.due_at
        verdict = (
            f"Thông báo lúc {instant_text(notified)}: quá hạn"
            if late < timedelta(minutes=1)
            else f"Thông báo lúc {instant_text(notified)}: quá hạn {duration_text(late)}"
        )
    return LodgingAssessment(
        due_at=deadline.due_at,
        notified_at=notified,
        on_time=on_time,
        steps=(*deadline.steps, verdict),
    )
