"""Pickup slots from the unit's reception calendar, and how many bookings each may take."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NotRequired, TypedDict
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from dvc_calendar import OfficeHours, WorkingCalendar
from dvc_calendar.instants import at as wall_clock
from dvc_calendar.window import reception_sessions
from dvc_kernel.refusal import Kind, Refusal


class BringData(TypedDict):
    always: list[str]
    level_3: NotRequired[list[str]]


class PickupData(TypedDict):
    """`data/pickup.yaml`."""

    slot_minutes: int
    capacity: int
    horizon_days: int
    lead_minutes: int
    bring: BringData


@dataclass(frozen=True)
class PickupRules:
    slot_minutes: int
    capacity: int
    horizon_days: int
    lead_minutes: int
    bring_always: tuple[str, ...]
    bring_level_3: tuple[str, ...]

    @classmethod
    def from_data(cls, data: PickupData) -> PickupRules:
        return cls(
            slot_minutes=int(data["slot_minutes"]),
            capacity=int(data["capacity"]),
            horizon_days=int(data["horizon_days"]),
            lead_minutes=int(data["lead_minutes"]),
            bring_always=tuple(data["bring"]["always"]),
            bring_level_3=tuple(data["bring"].get("level_3", [])),
        )

    def bring(self, level: int) -> list[str]:
        """What the collector brings: an ID card always; for level 3 also the originals."""
        return [*self.bring_always, *(self.bring_level_3 if level <= 3 else ())]


def slots(
    now: datetime,
    calendar: WorkingCalendar,
    hours: OfficeHours,
    saturday_morning: bool,
    rules: PickupRules,
) -> list[tuple[datetime, datetime]]:
    """Every slot from `now` + lead time to the horizon (`now` in Vietnam time).

    A session is cut into whole slots; a remainder shorter than a slot is not offered.
    """
    earliest = now + timedelta(minutes=rules.lead_minutes)
    step = timedelta(minutes=rules.slot_minutes)
    found: list[tuple[datetime, datetime]] = []
    day: date = now.date()
    for _ in range(rules.horizon_days + 1):
        for session in reception_sessions(day, calendar, hours, saturday_morning):
            start, close = wall_clock(day, session.start), wall_clock(day, session.end)
            while start + step <= close:
                if start >= earliest:
                    found.append((start, start + step))
                start += step
        day += timedelta(days=1)
    return found


_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/delivery/pickup-slot")


def slot_id(unit_code: str | None, start: datetime) -> UUID:
    return uuid5(_NS, f"{unit_code}|{start.timestamp():.0f}")


class SlotLedger(Aggregate):
    """The bookings of one slot at one unit. Saved together with the dossier's booking, so two
    citizens racing for the last place cannot both get it (optimistic concurrency)."""

    @event("Opened")
    def __init__(self, id: UUID, unit_code: str | None, start: datetime) -> None:
        self.unit_code = unit_code
        self.start = start
        self.dossiers: list[UUID] = []

    def take(self, dossier_id: UUID, capacity: int) -> None:
        if dossier_id in self.dossiers:
            return
        if len(self.dossiers) >= capacity:
            raise Refusal(
                "slot_full", "Khung giờ này đã đủ người đặt. Vui lòng chọn khung giờ khác.", Kind.CONFLICT
            )
        self._taken(dossier_id=dossier_id)

    def release(self, dossier_id: UUID) -> None:
        if dossier_id in self.dossiers:
            self._released(dossier_id=dossier_id)

    @event("Taken")
    def _taken(self, dossier_id: UUID) -> None:
        self.dossiers.append(dossier_id)

    @event("Released")
    def _released(self, dossier_id: UUID) -> None:
        self.dossiers.remove(dossier_id)
