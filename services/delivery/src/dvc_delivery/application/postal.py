"""The postal operator's side: its tracking updates (the webhook), and the orders the
postal dispatcher placed with it."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError, Tracking

from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Kind, Refusal
from dvc_kernel.store_commands import store_command

from ..domain.result_delivery import Lookup, tracking_index_id
from .base import DeliveryBase


class PostalOperator(DeliveryBase):
    @store_command
    def postal_update(
        self, tracking_number: str, seq: int, status: str, detail: str, attempt: int, at: datetime
    ) -> bool:
        """One tracking update from the post's webhook; False when it was already kept."""
        delivery = self.looked_up(tracking_index_id(tracking_number))
        if delivery is None:
            raise Refusal("unknown_tracking_number", "Không có bưu gửi với số hiệu này.", Kind.NOT_FOUND)
        kept = delivery.track(
            seq,
            status,
            detail,
            attempt,
            at,
            max_attempts=self.postal.max_attempts,
            bring=self.pickup.bring(self.level(delivery)),
            meta=CommandMeta.system("delivery").as_dict(),
        )
        if kept:
            try:
                self.save(delivery)
            except IntegrityError:
                raise Refusal(
                    "concurrent_change", "Bưu gửi vừa được cập nhật; xin gửi lại.", Kind.CONFLICT
                ) from None
        return kept

    @store_command
    def record_order(self, dossier_id: UUID, tracking_number: str, fee_vnd: int, tracking: Tracking) -> None:
        """The post accepted the order: recorded with the dispatcher's position."""
        delivery = self.delivery(dossier_id)
        event = ProcessingEvent[UUID](tracking=tracking)
        if delivery is not None and delivery.shipment_created(tracking_number, fee_vnd, self.clock.now()):
            event.collect_events(
                delivery, Lookup(id=tracking_index_id(tracking_number), dossier_id=dossier_id)
            )
        self._record(event)
