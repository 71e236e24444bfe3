"""Lodging notices (thông báo lưu trú, Law on Residence 68/2020 Art. 30).

A host or an accommodation establishment tells the commune police of the lodging's ward who
stays, at any hour; the police receive it at once. Whether it was on time (before 23:00 of the
day the stay begins, or before 08:00 next day for arrivals after 23:00) is processing's
judgement, made when it receives the notice: intake only checks that the notice makes sense.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from dvc_kernel.clock import VIETNAM
from dvc_kernel.event_meta import EventMeta

# A notice is about guests who arrived lately or arrive soon: an arrival more than a year
# before the notice, or more than a month after it, is a typing error (or a hostile request:
# year 9999 or year 1 once stalled processing's consumer), refused before anything is stored.
ARRIVED_AT_MOST_BEFORE = timedelta(days=366)
ARRIVES_AT_MOST_AFTER = timedelta(days=31)
LONGEST_STAY = timedelta(days=3660)  # ten years


@dataclass(frozen=True)
class GuestEntry:
    id_number: str
    full_name: str
    date_of_birth: date | None
    arrived_at: datetime  # aware
    stay_from: date
    stay_until: date

    def as_dict(self) -> dict[str, Any]:
        return {
            "id_number": self.id_number,
            "full_name": self.full_name,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "arrived_at": self.arrived_at.isoformat(),
            "stay_from": self.stay_from.isoformat(),
            "stay_until": self.stay_until.isoformat(),
        }


@dataclass(frozen=True)
class GuestProblem:
    guest: int  # position in the list, from 0
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"guest": self.guest, "field": self.field, "message": self.message}


def guest_problems(
    guests: list[GuestEntry], filed_on: date, date_of_birth_required_from: date
) -> list[GuestProblem]:
    """Every problem of every guest, at once. `filed_on` is the Vietnam date of filing."""
    problems: list[GuestProblem] = []
    repeated = {n for n, count in Counter(g.id_number for g in guests).items() if count > 1}
    for i, guest in enumerate(guests):
        who = f"Khách thứ {i + 1} ({guest.full_name})"
        if guest.id_number in repeated:
            problems.append(GuestProblem(i, "id_number", f"{who}: số định danh cá nhân bị khai trùng."))
        earliest = datetime.combine(filed_on - ARRIVED_AT_MOST_BEFORE, time(), VIETNAM)
        latest = datetime.combine(filed_on + ARRIVES_AT_MOST_AFTER, time.max, VIETNAM)
        if not earliest <= guest.arrived_at <= latest:
            problems.append(
                GuestProblem(
                    i,
                    "arrived_at",
                    f"{who}: thời điểm đến phải trong khoảng từ một năm trước đến một tháng sau "
                    "ngày thông báo.",
                )
            )
        if not earliest.date() <= guest.stay_from <= latest.date():
            problems.append(
                GuestProblem(
                    i,
                    "stay_from",
                    f"{who}: ngày bắt đầu lưu trú phải trong khoảng từ một năm trước đến một tháng "
                    "sau ngày thông báo.",
                )
            )
        elif guest.stay_until - guest.stay_from > LONGEST_STAY:
            problems.append(
                GuestProblem(i, "stay_until", f"{who}: thời gian lưu trú khai không quá mười năm.")
            )
        if guest.stay_until < guest.stay_from:
            problems.append(
                GuestProblem(i, "stay_until", f"{who}: ngày kết thúc lưu trú phải từ ngày bắt đầu trở đi.")
            )
        if guest.date_of_birth is None and filed_on >= date_of_birth_required_from:
            problems.append(GuestProblem(i, "date_of_birth", f"{who}: vui lòng nhập ngày, tháng, năm sinh."))
        if guest.date_of_birth is not None and guest.date_of_birth > filed_on:
            problems.append(GuestProblem(i, "date_of_birth", f"{who}: ngày sinh không được sau hôm nay."))
    return problems


class LodgingNotice(Aggregate):
    class Filed(Aggregate.Created):
        code: str
        host_account: str
        establishment: str
        ward_code: str
        address: str
        unit_code: str
        guests: list[dict[str, Any]]
        filed_at: datetime
        request_fingerprint: str
        meta: EventMeta

    @event(Filed)
    def __init__(
        self,
        id: UUID,
        code: str,
        host_account: str,
        establishment: str,
        ward_code: str,
        address: str,
        unit_code: str,
        guests: list[dict[str, Any]],
        filed_at: datetime,
        request_fingerprint: str,
        meta: EventMeta,
    ) -> None:
        self.code = code
        self.host_account = host_account
        self.establishment = establishment
        self.ward_code = ward_code
        self.address = address
        self.unit_code = unit_code
        self.guests = guests
        self.filed_at = filed_at
        self.request_fingerprint = request_fingerprint
        self.received_at: datetime | None = None
        self.verdicts: list[dict[str, Any]] | None = None  # processing's, guest by guest

    def note_verdicts(self, received_at: datetime, verdicts: list[dict[str, Any]], meta: EventMeta) -> bool:
        """What processing judged (on time or late, guest by guest), so the host can read it;
        False when already noted (a redelivered event)."""
        if self.verdicts is not None:
            return False
        self._judged(received_at, verdicts, meta)
        return True

    @event("Judged")
    def _judged(self, received_at: datetime, verdicts: list[dict[str, Any]], meta: EventMeta) -> None:
        self.received_at = received_at
        self.verdicts = verdicts
