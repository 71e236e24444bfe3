"""Bounds on instants a request carries, by what they mean (issue 14).

Out-of-range input is a 422 with a Vietnamese message, never an exception deep inside: a year
9999 deadline overflows `datetime`, a year 1 instant cannot be moved to UTC+7. The platform's
calendars and rules are about dossiers of this century.
"""

from __future__ import annotations

from datetime import datetime

from .clock import VIETNAM
from .refusal import Kind, Refusal

EARLIEST = datetime(2000, 1, 1, tzinfo=VIETNAM)
LATEST = datetime(2100, 1, 1, tzinfo=VIETNAM)


def within(name: str, value: datetime, earliest: datetime = EARLIEST, latest: datetime = LATEST) -> datetime:
    """`value` if `earliest <= value < latest` (aware instants), else a 422 naming `name`."""
    if value.tzinfo is None or not earliest <= value < latest:
        raise Refusal(
            "instant_out_of_range",
            f"Tham số «{name}» phải là thời điểm từ {earliest:%d/%m/%Y} đến trước {latest:%d/%m/%Y}.",
            Kind.INVALID,
        )
    return value
