"""Pickup at the unit: the result ready there (chosen, or returned by the post), a slot booked,
and collection recorded after the officer checked the ID card (and the originals, level 3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dvc_kernel.event_meta import EventMeta
from dvc_kernel.refusal import Kind, Refusal

from .state import AtUnitEvent, DeliveryState, Status


class AtUnit(DeliveryState):
    class ReadyAtUnit(AtUnitEvent):
        bring: list[str]

        def apply(self, aggregate: Any) -> None:
            aggregate.ready_at = self.at
            aggregate.bring = self.bring
            aggregate.status = Status.AT_UNIT

    class SlotBooked(AtUnitEvent):
        slot_start: datetime
        slot_end: datetime

        def apply(self, aggregate: Any) -> None:
            aggregate.slot = (self.slot_start, self.slot_end)

    class Collected(AtUnitEvent):
        id_checked: bool
        originals_checked: bool
        collected_by: str

        def apply(self, aggregate: Any) -> None:
            aggregate.collected_at = self.at
            aggregate.status = Status.COLLECTED

    def _record_at_unit(
        self, event_class: type[AtUnitEvent], at: datetime, meta: EventMeta, **fields: Any
    ) -> None:
        """Record one of the pickup's events: every one names the dossier, its unit, when and who."""
        self.trigger_event(
            event_class, dossier_code=self.dossier_code, unit_code=self.unit_code, at=at, meta=meta, **fields
        )

    def make_ready_at_unit(self, bring: list[str], at: datetime, meta: EventMeta) -> bool:
        if self.mode != "pickup" or self.status is not Status.AWAITING_RESULT:
            return False
        self._ready_at_unit(bring, at, meta)
        return True

    def _ready_at_unit(self, bring: list[str], at: datetime, meta: EventMeta) -> None:
        self._record_at_unit(self.ReadyAtUnit, at, meta, bring=bring)

    def book(self, start: datetime, end: datetime, at: datetime, meta: EventMeta) -> None:
        if self.status is not Status.AT_UNIT:
            raise Refusal(
                "not_ready_for_pickup",
                "Kết quả chưa sẵn sàng để nhận tại bộ phận một cửa; chưa thể đặt lịch.",
                Kind.CONFLICT,
            )
        self._record_at_unit(self.SlotBooked, at, meta, slot_start=start, slot_end=end)

    def collect(
        self,
        id_checked: bool,
        originals_checked: bool,
        originals_required: bool,
        collected_by: str,
        at: datetime,
        meta: EventMeta,
    ) -> None:
        if self.status is Status.COLLECTED:
            raise Refusal("already_collected", "Kết quả đã được trao cho công dân trước đó.", Kind.CONFLICT)
        if self.status is not Status.AT_UNIT:
            raise Refusal(
                "not_ready_for_pickup", "Kết quả không chờ nhận tại bộ phận một cửa.", Kind.CONFLICT
            )
        if not id_checked:
            raise Refusal(
                "id_not_checked", "Phải kiểm tra thẻ căn cước của người nhận trước khi trao kết quả."
            )
        if originals_required and not originals_checked:
            raise Refusal(
                "originals_not_checked",
                "Thủ tục mức độ 3: phải đối chiếu bản chính giấy tờ trước khi trao kết quả.",
            )
        self._record_at_unit(
            self.Collected,
            at,
            meta,
            id_checked=id_checked,
            originals_checked=originals_checked,
            collected_by=collected_by,
        )
