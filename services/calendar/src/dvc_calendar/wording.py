"""Vietnamese wording for explanations shown to citizens and officers (full diacritics)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def weekday_name(day: date) -> str:
    return _WEEKDAYS[day.weekday()]


def day_text(day: date) -> str:
    """E.g. 'thứ Hai 05/05/2025'."""
    return f"{weekday_name(day)} {day:%d/%m/%Y}"


def clock_text(moment: time | datetime) -> str:
    return f"{moment:%H:%M}"


def instant_text(moment: datetime) -> str:
    """E.g. '07:30 thứ Hai 05/05/2025' (moment already in Vietnam time)."""
    return f"{clock_text(moment)} {day_text(moment.date())}"


def duration_text(span: timedelta) -> str:
    """E.g. '21 giờ 30 phút'; whole minutes only, which is the precision of form CT04."""
    minutes = int(span.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} giờ {rest} phút"
    if hours:
        return f"{hours} giờ"
    return f"{rest} phút"
