"""Sends the SMS that notify queued, in order, once.

It follows notify's own notification log like the relay does, with its own tracking record.
Each `SmsQueued` is sent and then `SmsSent` is recorded together with the new position. If the
process dies in between, the SMS is sent again with the same message id, which the gateway
deduplicates, so the citizen receives it once.
"""

from __future__ import annotations

import asyncio
from typing import Any

from eventsourcing.persistence import Notification, Tracking
from eventsourcing.utils import get_topic

from dvc_kernel.logfollow import follow_log

from .adapters.sms import SmsGateway
from .application import NotifyApplication, SmsWasSent
from .domain.conversation import Conversation


class SmsDispatcher:
    TRACKING_NAME = "sms-dispatcher"

    def __init__(self, app: NotifyApplication, gateway: SmsGateway, idle_seconds: float = 0.05) -> None:
        self.app = app
        self.gateway = gateway
        self.idle_seconds = idle_seconds

    async def run(self) -> None:
        position = await asyncio.to_thread(self.app.position, self.TRACKING_NAME)
        await follow_log(
            self.app,
            position,
            self._send,
            topics=[get_topic(Conversation.SmsQueued)],
            idle_seconds=self.idle_seconds,
            batch_size=100,
        )

    async def _send(self, notification: Notification, queued: Any) -> None:
        ref = await self.gateway.send(queued.message_id, queued.phone, queued.text)
        sent = SmsWasSent(queued.originator_id, queued.message_id, ref)
        await asyncio.to_thread(self.app.record_sent, sent, Tracking(self.TRACKING_NAME, notification.id))
