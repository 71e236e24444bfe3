"""The outbox relay: the event store's notification log, in order, to Kafka (ARCHITECTURE §4).

Each batch is one Kafka transaction (idempotent producer, acks=all, key = aggregate id). After
the commit the relay records its position as a tracking record in the same store. If the
process dies between the two, the restarted relay reads the last committed message of every
partition it writes and resumes after the highest notification id found there, so no event is
lost and none is published twice. The transactional id also fences a stale relay instance.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any
from uuid import UUID

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from eventsourcing.persistence import Tracking

from . import telemetry
from .application import ServiceApplication
from .envelopes import HashChain, Translate
from .leadership import Leadership

log = logging.getLogger(__name__)

NOTIFICATION_ID = "notification_id"
PRODUCER = "producer"
STORE = "store"
TAIL_WINDOW = 64  # offsets read back per partition; a batch adds one marker per partition


class Relay:
    TRACKING_NAME = "kafka-relay"

    def __init__(
        self,
        app: ServiceApplication,
        translate: Translate,
        *,
        producer: str,
        topics: list[str],
        bootstrap: str,
        batch_size: int = 500,
        idle_seconds: float = 0.05,
        instance: str = "0",
        leadership: Leadership | None = None,
    ) -> None:
        self.app = app
        self.translate = translate
        self.producer_name = producer
        self.topics = topics
        self.bootstrap = bootstrap
        self.batch_size = batch_size
        self.idle_seconds = idle_seconds
        self.transactional_id = f"{producer}-relay-{instance}"
        self.position = 0
        self.published = 0
        self._wake = asyncio.Event()
        self.chain = HashChain(translate, producer, self._history)
        self.connected = False
        self.has_connected = False  # once true, a lost connection is an outage, not a start
        self.store_id = ""
        # None: this relay is its store's only one (tests); else it relays only while leading.
        self.leadership = leadership

    def wakeup(self) -> None:
        self._wake.set()

    def _history(self, originator: UUID, up_to_version: int) -> list[Any]:
        if up_to_version < 1:
            return []
        return list(self.app.events.get(originator, lte=up_to_version))

    @property
    def standby(self) -> bool:
        """Another instance leads this store's relaying; this one waits to take over."""
        return self.leadership is not None and self.leadership.role == "standby"

    async def backlog(self) -> int:
        newest = await asyncio.to_thread(self.app.recorder.max_notification_id) or 0
        done = self.position
        if not self.connected:  # the leader (maybe another instance) records how far it got
            done = await asyncio.to_thread(self.app.position, self.TRACKING_NAME)
        return max(0, newest - done)

    async def run(self) -> None:
        """Relay forever; reconnects after broker failures."""
        while True:
            try:
                await self._run_while_leading()
            except asyncio.CancelledError:
                raise
            except Exception:
                self.connected = False
                log.exception("relay %s failed; retrying", self.transactional_id)
                await asyncio.sleep(1.0)

    async def _run_while_leading(self) -> None:
        """One relay per store: with several instances, only the leader publishes (ADR 0013)."""
        if self.leadership is None:
            return await self._run_once()
        store_id = await asyncio.to_thread(self.app.store_id)
        await self.leadership.run(f"relay:{store_id}", self._run_once)

    async def _run_once(self) -> None:
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap,
            transactional_id=self.transactional_id,
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
        )
        await producer.start()
        try:
            self.store_id = await asyncio.to_thread(self.app.store_id)
            tracked = await asyncio.to_thread(self.app.position, self.TRACKING_NAME)
            on_topics = await self._last_published(producer)
            self.position = max(tracked, on_topics)
            if on_topics > tracked:
                await asyncio.to_thread(self.app.record_position, Tracking(self.TRACKING_NAME, on_topics))
            self.connected = self.has_connected = True
            log.info("relay %s resumes after notification %d", self.transactional_id, self.position)
            while True:
                if not await self._publish_batch(producer):
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.idle_seconds)
        finally:
            self.connected = False
            await producer.stop()

    async def _publish_batch(self, producer: AIOKafkaProducer) -> bool:
        notifications = await asyncio.to_thread(
            self.app.recorder.select_notifications, self.position + 1, self.batch_size
        )
        if not notifications:
            return False
        messages = []
        publishing = telemetry.Publishing()  # a span per event, ended once its batch commits
        for notification in notifications:
            event = self.app.mapper.to_domain_event(notification)
            out = self.translate(event)
            if out is None:
                continue  # an internal event: it stays inside the service
            envelope = self.chain.envelope(event, out)
            headers = [
                (NOTIFICATION_ID, str(notification.id).encode()),
                (PRODUCER, self.producer_name.encode()),
                (STORE, self.store_id.encode()),
                ("event_id", str(envelope.event_id).encode()),
                ("event_type", envelope.event_type.encode()),
                *publishing.headers(out.topic, envelope),
            ]
            messages.append((out.topic, out.key.encode(), envelope.to_bytes(), headers))
        last_id = notifications[-1].id
        if messages:
            with publishing:
                async with producer.transaction():
                    sent = [
                        await producer.send(topic, value, key=key, headers=headers)
                        for topic, key, value, headers in messages
                    ]
                    await asyncio.gather(*sent)
        await asyncio.to_thread(self.app.record_position, Tracking(self.TRACKING_NAME, last_id))
        self.position = last_id
        self.published += len(messages)
        return True

    async def _last_published(self, producer: AIOKafkaProducer) -> int:
        """Highest notification id this producer committed to its topics (0 if none)."""
        partitions = [
            TopicPartition(topic, p)
            for topic in self.topics
            for p in sorted(await producer.partitions_for(topic))
        ]
        if not partitions:
            return 0  # a service that publishes nothing yet
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap,
            isolation_level="read_committed",
            enable_auto_commit=False,
        )
        await consumer.start()
        try:
            consumer.assign(partitions)
            ends = await consumer.end_offsets(partitions)
            begins = await consumer.beginning_offsets(partitions)
            pending = {tp for tp in partitions if ends[tp] > begins[tp]}
            for tp in pending:
                consumer.seek(tp, max(begins[tp], ends[tp] - TAIL_WINDOW))
            best = 0
            deadline = asyncio.get_running_loop().time() + 30
            while pending:
                if asyncio.get_running_loop().time() > deadline:
                    raise TimeoutError(f"could not read the tail of {sorted(map(str, pending))}")
                batches = await consumer.getmany(*pending, timeout_ms=500)
                for records in batches.values():
                    for record in records:
                        headers = dict(record.headers or ())
                        # Only this store's messages say how far this store was relayed.
                        if headers.get(STORE, b"").decode() == self.store_id:
                            best = max(best, int(headers[NOTIFICATION_ID]))
                for tp in list(pending):
                    if await consumer.position(tp) >= ends[tp]:
                        pending.discard(tp)
            return best
        finally:
            await consumer.stop()
