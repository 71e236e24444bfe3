"""Sends the messages notify queued, each until the provider takes it or notify gives up.

Notify's own notification log is the queue: every `Message.Queued` in it is a message to send
(an outbox). The dispatcher follows the log, keeps the unsettled messages in a schedule by
their next attempt time, sends the due ones a few at a time, and records each outcome on the
message (`Sent`, or `AttemptFailed` with the next attempt time, or `DeadLettered`). A failing
message waits for its back-off without holding up the others.

Its tracking record is a low-water mark: the log position below which every queued message is
settled. After a restart it reads the log again from there, skips the messages already settled
and reschedules the others at the time their last failure set. A message whose send went
through but whose `Sent` was not yet recorded when the process died is sent again under the
same message id, which the providers deduplicate, so the citizen receives it once.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Notification, Tracking
from eventsourcing.utils import get_topic

from dvc_kernel.logfollow import follow_log
from dvc_kernel.threads import in_thread

from .application import NotifyApplication
from .channels import Channels
from .domain.masking import without_recipient
from .domain.message import Message

log = logging.getLogger(__name__)

MAX_WAIT_SECONDS = 1.0
RECORDING_RETRY = timedelta(seconds=1)


@dataclass(order=True)
class _Due:
    at: datetime
    position: int
    message_id: UUID = field(compare=False)


class MessageDispatcher:
    TRACKING_NAME = "message-dispatcher"

    def __init__(
        self,
        app: NotifyApplication,
        channels: Channels,
        *,
        concurrency: int = 4,
        idle_seconds: float = 0.05,
    ) -> None:
        self.app = app
        self.channels = channels
        self.concurrency = concurrency
        self.idle_seconds = idle_seconds
        self._schedule: list[_Due] = []
        self._unsettled: dict[int, UUID] = {}  # log position of `Queued` -> message
        self._seen = 0
        self._recorded = 0
        self._wake = asyncio.Event()
        self._running: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        return len(self._unsettled)

    async def run(self) -> None:
        start = await in_thread(self.app.position, self.TRACKING_NAME)
        self._schedule, self._unsettled = [], {}
        self._seen = self._recorded = start
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(
                    follow_log(
                        self.app,
                        start,
                        self._enqueue,
                        topics=[get_topic(Message.Queued)],
                        idle_seconds=self.idle_seconds,
                        batch_size=100,
                    )
                )
                group.create_task(self._send_forever())
        finally:
            for task in self._running:
                task.cancel()
            await asyncio.gather(*self._running, return_exceptions=True)

    async def _enqueue(self, notification: Notification, queued: Any) -> None:
        message = await in_thread(self.app.message, queued.originator_id)
        self._seen = notification.id
        if message is None or message.settled:
            return
        self._unsettled[notification.id] = message.id
        heapq.heappush(self._schedule, _Due(message.next_attempt_at, notification.id, message.id))
        self._wake.set()

    async def _send_forever(self) -> None:
        while True:
            now = self.app.clock.now()
            while self._schedule and self._schedule[0].at <= now and len(self._running) < self.concurrency:
                due = heapq.heappop(self._schedule)
                task = asyncio.create_task(self._attempt(due))
                self._running.add(task)
                task.add_done_callback(self._finished)
            await self._advance_mark()
            wait = self.idle_seconds
            if self._schedule and len(self._running) < self.concurrency:
                wait = min(MAX_WAIT_SECONDS, max(0.0, (self._schedule[0].at - now).total_seconds()))
            self._wake.clear()
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation
            # that lands as its timeout expires, and this loop would then never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(wait, 0.005)):
                    await self._wake.wait()

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        self._wake.set()

    async def _attempt(self, due: _Due) -> None:
        try:
            message = await in_thread(self.app.message, due.message_id)
            if message is None or message.settled:
                self._settle(due.position)
                return
            try:
                handed = await self.channels.send(message)
            except Exception as exc:
                error = without_recipient(
                    f"{type(exc).__name__}: {exc}"[:500], message.channel, message.recipient
                )
                log.warning(
                    "%s message %s, attempt %d, failed: %s",
                    message.channel,
                    message.id,
                    message.attempts + 1,
                    error,
                )
                message = await in_thread(self.app.record_failure, message.id, error)
            else:
                message = await in_thread(
                    self.app.record_sent, message.id, handed.provider_ref, handed.receipt
                )
        except Exception:
            # The store could not record the outcome: try the message again shortly (a repeated
            # send carries the same message id, so it reaches the citizen once).
            log.exception("could not record the outcome of message %s; retrying", due.message_id)
            self._reschedule(_Due(self.app.clock.now() + RECORDING_RETRY, due.position, due.message_id))
            return
        if message.settled:
            self._settle(due.position)
        else:
            self._reschedule(_Due(message.next_attempt_at, due.position, message.id))

    def _reschedule(self, due: _Due) -> None:
        heapq.heappush(self._schedule, due)
        self._wake.set()

    def _settle(self, position: int) -> None:
        self._unsettled.pop(position, None)

    async def _advance_mark(self) -> None:
        mark = min(self._unsettled) - 1 if self._unsettled else self._seen
        if mark <= self._recorded:
            return
        with contextlib.suppress(IntegrityError):  # another instance recorded the same mark
            await in_thread(self.app.record_position, Tracking(self.TRACKING_NAME, mark))
        self._recorded = mark
