"""Registration attempts per ID number: 5 mismatches within an hour lock it for an hour.

A registration whose data do not match the population registry is refused with one answer
whatever differed, but the right data are answered otherwise (a code is sent, or the number
already has an account): someone holding a name, an ID number and a phone could try dates of
birth until the answer changes. After `MAX_MISMATCHES` within `WINDOW`, the ID number is refused
for `LOCK` from the last one, right data included, with the same answer. The attempts are
events in identity's store, so the lock holds across instances.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from .ids import derived_id
from .refusal import Refusal

MAX_MISMATCHES = 5
WINDOW = timedelta(hours=1)
LOCK = timedelta(hours=1)
TOO_MANY = Refusal(
    "registration.too_many_attempts",
    "Thông tin đăng ký đã bị khai báo sai nhiều lần. Vui lòng thử lại sau 60 phút, hoặc liên hệ "
    "Công an cấp xã nơi cư trú.",
)


def locked_until(mismatches: list[datetime]) -> datetime | None:
    recent = sorted(mismatches)[-MAX_MISMATCHES:]
    if len(recent) == MAX_MISMATCHES and recent[-1] - recent[0] <= WINDOW:
        return recent[-1] + LOCK
    return None


class RegistrationGuard(Aggregate):
    @staticmethod
    def id_for(id_number: str) -> UUID:
        return derived_id("registration-guard", id_number)

    @event("Created")
    def __init__(self, id: UUID) -> None:
        self.mismatches: list[datetime] = []

    @event("Mismatched")
    def mismatched(self, at: datetime) -> None:
        self.mismatches = [*self.mismatches, at][-MAX_MISMATCHES:]

    def locked(self, now: datetime) -> bool:
        until = locked_until(self.mismatches)
        return until is not None and now < until
