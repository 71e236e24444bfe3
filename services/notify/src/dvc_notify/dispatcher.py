"""Sends the SMS that notify queued, in order, once.

It follows notify's own notification log like the relay does, with its own tracking record.
Each `SmsQueued` is sent and then `SmsSent` is recorded together with the new position. If the
process dies in between, the SMS is sent again with the same message id, which the gateway
deduplicates, so the citizen receives it once.
"""

from __future__ import annotations

import asyncio
import logging
from typing import cast

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from .adapters.sms import SmsGateway
from .application import NotifyApplication, SmsWasSent
from .domain.conversation import Conversation

log = logging.getLogger(__name__)


class SmsDispatcher:
    TRACKING_NAME = "sms-dispatcher"

    def __init__(
        self,
        app: NotifyApplication,
        gateway: SmsGateway,
        idle_seconds: float = 0.05,
        batch_size: int = 100,
    ) -> None:
        self.app = app
        self.gateway = gateway
        self.idle_seconds = idle_seconds
        self.batch_size = batch_size
        self.topic = get_topic(Conversation.SmsQueued)

    async def run(self) -> None:
        position = await asyncio.to_thread(self.app.position, self.TRACKING_NAME)
        while True:
            notifications = await asyncio.to_thread(
                self.app.recorder.select_notifications,
                position + 1,
                self.batch_size,
                None,
                [self.topic],
            )
            if not notifications:
                await asyncio.sleep(self.idle_seconds)
                continue
            for notification in notifications:
                queued = cast(Conversation.SmsQueued, self.app.mapper.to_domain_event(notification))
                ref = await self.gateway.send(queued.message_id, queued.phone, queued.text)
                sent = SmsWasSent(queued.originator_id, queued.message_id, ref)
                tracking = Tracking(self.TRACKING_NAME, notification.id)
                await asyncio.to_thread(self.app.record_sent, sent, tracking)
                position = notification.id
