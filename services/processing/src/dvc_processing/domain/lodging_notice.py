"""A lodging notice as commune police receive it: at once, any hour, judged guest by guest."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from dvc_kernel.event_meta import EventMeta

from .payloads import Json, JudgedGuest


class LodgingNotice(Aggregate):
    class Received(Aggregate.Created):
        notice_code: str
        unit_code: str
        received_at: datetime
        guests: list[JudgedGuest]
        meta: EventMeta
        cause: Json | None

    @event(Received)
    def __init__(
        self,
        id: UUID,
        notice_code: str,
        unit_code: str,
        received_at: datetime,
        guests: list[JudgedGuest],
        meta: EventMeta,
        cause: Json | None,
    ) -> None:
        self.notice_code = notice_code
        self.unit_code = unit_code
        self.received_at = received_at
        self.guests = guests

    @property
    def late_guests(self) -> list[JudgedGuest]:
        return [g for g in self.guests if not g["on_time"]]
