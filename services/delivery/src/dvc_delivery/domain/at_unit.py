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

    def make_ready_at_unit(self, bring: list[str], at: datetime, meta: EventMeta) -> bool:
        if self.mode != "pickup" or self.status is not Status.AWAITING_RESULT:
            return False
        self._ready_at_unit(bring, at, meta)
        return True

    def _ready_at_unit(self, bring: list[str], at: datetime, meta: EventMeta) -> None:
        self.trigger_event(
            self.ReadyAtUnit,
            dossier_code=self.dossier_code,
            unit_code=self.unit_code,
            bring=bring,
            at=at,
            meta=meta,
        )

    def book(self, start: datetime, end: datetime, at: datetime, meta: EventMeta) -> None:
        if self.status is not Status.AT_UNIT:
            raise Refusal(
                "not_ready_for_pickup",
                "Kết quả chưa sẵn sàng để nhận tại bộ phận một cửa; chưa thể đặt lịch.",
                Kind.CONFLICT,
            )
        self.trigger_event(
            self.SlotBooked,
            dossier_code=self.dossier_code,
            unit_code=self.unit_code,
            slot_start=start,
            slot_end=end,
            at=at,
            meta=meta,
        )

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
        self.trigger_event(
            self.Collected,
            dossier_code=self.dossier_code,
            unit_code=self.unit_code,
            id_checked=id_checked,
            originals_checked=originals_checked,
            collected_by=collected_by,
            at=at,
            meta=meta,
        )
