"""The post: an address, a shipment requested once the result is issued for post, the post's
tracking updates kept, a failed attempt retried until the last, then back to the unit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate

from dvc_kernel.event_meta import EventMeta
from dvc_kernel.refusal import Kind, Refusal

from .state import AboutDossier, Address, DeliveryState, Status, TrackingEntry


class Shipment(DeliveryState):
    class AddressGiven(Aggregate.Event):
        address: Address
        at: datetime
        meta: EventMeta

        def apply(self, aggregate: Any) -> None:
            aggregate.citizen_address = self.address

    class AddressNeeded(Aggregate.Event):
        at: datetime

        def apply(self, aggregate: Any) -> None:
            aggregate.status = Status.AWAITING_ADDRESS

    class ShipmentRequested(Aggregate.Event):
        order_ref: str
        address: Address
        quoted_fee_vnd: int
        at: datetime

        def apply(self, aggregate: Any) -> None:
            aggregate.shipping_address = self.address
            aggregate.postal_fee_vnd = self.quoted_fee_vnd
            aggregate.attempt = 1
            aggregate.status = Status.SHIPMENT_REQUESTED

    class ShipmentCreated(AboutDossier):
        tracking_number: str
        address: Address
        fee_vnd: int
        at: datetime

        def apply(self, aggregate: Any) -> None:
            aggregate.tracking_number = self.tracking_number
            aggregate.postal_fee_vnd = self.fee_vnd
            aggregate.status = Status.IN_POST

    class TrackingUpdated(Aggregate.Event):
        seq: int
        status: str
        detail: str
        attempt: int
        at: datetime

        def apply(self, aggregate: Any) -> None:
            entry = TrackingEntry(
                seq=self.seq, status=self.status, detail=self.detail, attempt=self.attempt, at=self.at
            )
            aggregate.tracking.append(entry)

    class ParcelDelivered(AboutDossier):
        detail: str
        at: datetime

        def apply(self, aggregate: Any) -> None:
            aggregate.status = Status.DELIVERED

    class AttemptFailed(AboutDossier):
        attempt: int
        reason: str
        next_step: str  # retry | returned_to_unit
        at: datetime

    class RedeliveryRequested(Aggregate.Event):
        tracking_number: str
        attempt: int
        at: datetime

        def apply(self, aggregate: Any) -> None:
            aggregate.attempt = self.attempt

    def give_address(self, address: Address, at: datetime, meta: EventMeta) -> None:
        if self.status is Status.WITHDRAWN:
            raise Refusal("withdrawn", "Hồ sơ đã được rút, không còn kết quả để gửi.", Kind.CONFLICT)
        if self.tracking_number is not None or self.status is Status.SHIPMENT_REQUESTED:
            raise Refusal(
                "already_dispatched",
                "Kết quả đã được giao cho bưu chính; không thể đổi địa chỉ nhận.",
                Kind.CONFLICT,
            )
        if self.issued and self.mode != "post":
            raise Refusal(
                "not_by_post",
                "Kết quả của hồ sơ này không được trả qua dịch vụ bưu chính công ích.",
                Kind.CONFLICT,
            )
        self.trigger_event(self.AddressGiven, address=address, at=at, meta=meta)

    def request_shipment(self, quoted_fee_vnd: int, at: datetime) -> bool:
        """Ask the post to carry the result once it is issued for post and an address is known."""
        if self.mode != "post" or self.status not in (Status.AWAITING_RESULT, Status.AWAITING_ADDRESS):
            return False
        address = self.address
        if address is None:
            if self.status is not Status.AWAITING_ADDRESS:
                self.trigger_event(self.AddressNeeded, at=at)
            return False
        self.trigger_event(
            self.ShipmentRequested,
            order_ref=str(self.id),
            address=address,
            quoted_fee_vnd=quoted_fee_vnd,
            at=at,
        )
        return True

    def shipment_created(self, tracking_number: str, fee_vnd: int, at: datetime) -> bool:
        if self.status is not Status.SHIPMENT_REQUESTED:
            return False
        assert self.shipping_address is not None
        self.trigger_event(
            self.ShipmentCreated,
            dossier_code=self.dossier_code,
            tracking_number=tracking_number,
            address=self.shipping_address,
            fee_vnd=fee_vnd,
            at=at,
        )
        return True

    def track(
        self,
        seq: int,
        status: str,
        detail: str,
        attempt: int,
        at: datetime,
        max_attempts: int,
        bring: list[str],
        meta: EventMeta,
    ) -> bool:
        """Keep one tracking update of the post; a delivery or a failed attempt is acted on.

        False when this update was already kept (the post may send a webhook twice).
        """
        if any(update["seq"] == seq for update in self.tracking):
            return False
        self.trigger_event(
            self.TrackingUpdated, seq=seq, status=status, detail=detail, attempt=attempt, at=at
        )
        if self.status is not Status.IN_POST:
            return True  # late news about a parcel already delivered or returned: kept only
        if status == "delivered":
            self.trigger_event(self.ParcelDelivered, dossier_code=self.dossier_code, detail=detail, at=at)
        elif status == "failed" and attempt == self.attempt:
            self._attempt_failed(attempt, detail, attempt >= max_attempts, bring, at, meta)
        return True

    def _attempt_failed(
        self, attempt: int, reason: str, last: bool, bring: list[str], at: datetime, meta: EventMeta
    ) -> None:
        """A failed attempt is tried again, unless it was the last: then the parcel goes back to
        the unit, where the citizen collects it."""
        next_step = "returned_to_unit" if last else "retry"
        self.trigger_event(
            self.AttemptFailed,
            dossier_code=self.dossier_code,
            attempt=attempt,
            reason=reason,
            next_step=next_step,
            at=at,
        )
        if last:
            self._ready_at_unit(bring, at, meta)
        else:
            assert self.tracking_number is not None
            self.trigger_event(
                self.RedeliveryRequested, tracking_number=self.tracking_number, attempt=attempt + 1, at=at
            )
