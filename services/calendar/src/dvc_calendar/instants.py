"""Instants in, Vietnam wall-clock out: business rules are evaluated in Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .errors import NaiveDateTimeError

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")  # the law counts in Vietnam's time


def to_vietnam(moment: datetime, argument: str) -> datetime:
    """The same instant on the Vietnam clock; naive input is refused, never guessed."""
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise NaiveDateTimeError(argument)
    return moment.astimezone(VIETNAM)


def at(day: date, wall_clock: time) -> datetime:
    """The instant at a wall-clock time of a day in Vietnam (no DST there, so never ambiguous)."""
    return datetime.combine(day, wall_clock, tzinfo=VIETNAM)
