"""Hands results to the post, in order, once.

It follows delivery's own notification log (like notify's SMS dispatcher) with its own
tracking record: each `ShipmentRequested` becomes an order at the post, recorded as
`ShipmentCreated` together with the new position; each `RedeliveryRequested` asks the post
for another attempt. If the process dies in between, the call is made again: the post
deduplicates orders by our reference and attempts by number, so nothing is sent twice.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import Notification, Tracking
from eventsourcing.utils import get_topic

from dvc_kernel.logfollow import follow_log
from dvc_kernel.threads import in_store

from ..application import DeliveryApplication
from ..domain.result_delivery import ResultDelivery
from .postal_client import PostalProvider


class PostalDispatcher:
    TRACKING_NAME = "postal-dispatcher"

    def __init__(self, app: DeliveryApplication, post: PostalProvider, idle_seconds: float = 30.0) -> None:
        self.app = app
        self.post = post
        self.idle_seconds = idle_seconds

    async def run(self) -> None:
        position = await in_store(self.app.position, self.TRACKING_NAME)
        await follow_log(
            self.app,
            position,
            self._handle,
            topics=[
                get_topic(ResultDelivery.ShipmentRequested),
                get_topic(ResultDelivery.RedeliveryRequested),
            ],
            idle_seconds=self.idle_seconds,
            batch_size=100,
        )

    async def _handle(self, notification: Notification, event: Any) -> None:
        tracking = Tracking(self.TRACKING_NAME, notification.id)
        if isinstance(event, ResultDelivery.ShipmentRequested):
            delivery = await in_store(self.app.delivery, event.originator_id)
            origin = self.app.unit_province(delivery) if delivery else None
            order = await self.post.create_order(event.order_ref, event.address, origin)
            await self.app.record_order(event.originator_id, order.tracking_number, order.fee_vnd, tracking)
        else:
            await self.post.request_attempt(event.tracking_number, event.attempt)
            await in_store(self.app.record_position, tracking)
