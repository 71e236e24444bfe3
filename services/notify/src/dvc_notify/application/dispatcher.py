"""Sends the messages notify queued, each until the provider takes it or notify gives up.

Notify's own notification log is the queue: every `Message.Queued` in it is a message to send
(an outbox). The dispatcher follows the log, keeps the unsettled messages in a schedule by
their next attempt time, and sends the due ones in waves: a wave's messages go to their
providers concurrently, and their outcomes (`Sent`, or `AttemptFailed` with the next attempt
time, or `DeadLettered`) are recorded together, in one transaction (ADR 0018). A failing
message waits for its back-off without holding up the others.

It keeps each unsettled message as last recorded, so a send does not read the message back
from the store: a live `Queued` event is the message itself. After a restart it reads again
from its tracking record, a low-water mark below which every queued message is settled, loads
the unsettled messages from the store and reschedules them at the time their last failure set.
A message whose send went through but whose `Sent` was not yet recorded when the process died
is sent again under the same message id, which the providers deduplicate, so the citizen
receives it once.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Notification, Tracking
from eventsourcing.utils import get_topic

from dvc_kernel import commits, telemetry
from dvc_kernel.logfollow import follow_log
from dvc_kernel.threads import in_store

from ..adapters.channels import Channels
from ..domain.message import Message
from . import NotifyApplication, Outcome, failure_text

log = logging.getLogger(__name__)

MAX_WAIT_SECONDS = 1.0
MARK_SECONDS = 1.0
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
        concurrency: int = 64,
        idle_seconds: float = 30.0,
    ) -> None:
        self.app = app
        self.channels = channels
        self.concurrency = concurrency  # messages with their provider at once
        self.idle_seconds = idle_seconds
        self._schedule: list[_Due] = []
        self._unsettled: dict[int, UUID] = {}  # log position of `Queued` -> message
        self._messages: dict[UUID, Message] = {}  # unsettled, as last recorded
        self._seen = 0
        self._recorded = 0
        self._live_after = 0  # log positions above this were queued after the start
        self._wake = asyncio.Event()
        self._running: set[asyncio.Task[None]] = set()
        self._in_flight = 0
        self._marked_at = 0.0

    @property
    def pending(self) -> int:
        return len(self._unsettled)

    async def run(self) -> None:
        start = await in_store(self.app.position, self.TRACKING_NAME)
        self._schedule, self._unsettled, self._messages = [], {}, {}
        self._seen = self._recorded = start
        self._live_after = await in_store(self.app.position_of_log)
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(
                    follow_log(
                        self.app,
                        start,
                        self._enqueue,
                        topics=[get_topic(Message.Queued)],
                        idle_seconds=self.idle_seconds,
                        batch_size=500,
                    )
                )
                group.create_task(self._send_forever())
        finally:
            for task in self._running:
                task.cancel()
            await asyncio.gather(*self._running, return_exceptions=True)

    async def _enqueue(self, notification: Notification, queued: Any) -> None:
        self._seen = notification.id
        if notification.id > self._live_after:
            message: Message | None = queued.mutate(None)  # just queued: the event is the message
        else:
            message = await in_store(self.app.message, queued.originator_id)  # it may have moved on
        if message is None or message.settled:
            return
        self._unsettled[notification.id] = message.id
        self._messages[message.id] = message
        heapq.heappush(self._schedule, _Due(message.next_attempt_at, notification.id, message.id))
        self._wake.set()

    async def _send_forever(self) -> None:
        while True:
            now = self.app.clock.now()
            wave: list[_Due] = []
            while self._schedule and self._schedule[0].at <= now and self._in_flight < self.concurrency:
                wave.append(heapq.heappop(self._schedule))
                self._in_flight += 1
            if wave:
                task = asyncio.create_task(self._attempt(wave))
                self._running.add(task)
                task.add_done_callback(self._finished)
            await self._advance_mark()
            wait = self.idle_seconds
            if self._schedule and self._in_flight < self.concurrency:
                wait = min(MAX_WAIT_SECONDS, max(0.0, (self._schedule[0].at - now).total_seconds()))
            self._wake.clear()
            await commits.wait(self._wake, max(wait, 0.005))

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        self._wake.set()

    async def _attempt(self, wave: list[_Due]) -> None:
        """Send a wave's messages concurrently and record what became of them together."""
        try:
            messages = [self._messages[due.message_id] for due in wave]
            results = await asyncio.gather(*(self._send(m) for m in messages), return_exceptions=True)
            outcomes: list[tuple[Message, Outcome]] = []
            for message, result in zip(messages, results, strict=True):
                if isinstance(result, BaseException) and not isinstance(result, Exception):
                    raise result  # cancelled
                outcomes.append((message, result))
            recorded = await in_store(self.app.record_outcomes, outcomes)
        except Exception:
            # The store could not record the outcomes: try the messages again shortly (a
            # repeated send carries the same message id, so it reaches the citizen once).
            log.exception("could not record the outcome of %d messages; retrying", len(wave))
            retry_at = self.app.clock.now() + RECORDING_RETRY
            for due in wave:
                self._reschedule(_Due(retry_at, due.position, due.message_id))
            return
        finally:
            self._in_flight -= len(wave)
        for due, message in zip(wave, recorded, strict=True):
            if message.settled:
                self._settle(due.position, message.id)
            else:
                self._messages[message.id] = message
                self._reschedule(_Due(message.next_attempt_at, due.position, message.id))

    async def _send(self, message: Message) -> tuple[str, str | None]:
        # The span continues the trace the message was queued in, so a dossier's trace runs
        # from its submission to the SMS about it (the outbox is no break in it).
        attributes = {"dvc.channel": message.channel, "dvc.message_id": str(message.id)}
        attributes.update({"dvc.dossier_code": message.dossier_code, "dvc.template": message.template})
        try:
            with telemetry.continuing(
                f"send {message.channel}", getattr(message, "trace_context", None), attributes
            ):
                handed = await self.channels.send(message)
        except Exception as error:
            log.warning(
                "%s message %s, attempt %d, failed: %s",
                message.channel,
                message.id,
                message.attempts + 1,
                failure_text(error, message),
            )
            raise
        return handed.provider_ref, handed.receipt

    def _reschedule(self, due: _Due) -> None:
        heapq.heappush(self._schedule, due)
        self._wake.set()

    def _settle(self, position: int, message_id: UUID) -> None:
        self._unsettled.pop(position, None)
        self._messages.pop(message_id, None)

    async def _advance_mark(self) -> None:
        mark = min(self._unsettled) - 1 if self._unsettled else self._seen
        if mark <= self._recorded:
            return
        busy = self._unsettled or self._in_flight
        if busy and time.monotonic() - self._marked_at < MARK_SECONDS:
            return  # under load, at most every MARK_SECONDS: a restart only reads a little more
        self._marked_at = time.monotonic()
        with contextlib.suppress(IntegrityError):  # another instance recorded the same mark
            await in_store(self.app.record_position, Tracking(self.TRACKING_NAME, mark))
        self._recorded = mark
