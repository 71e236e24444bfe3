"""The outbox relay: the event store's notification log, in order, to Kafka (ADR 0006, 0018).

It reads whatever the log holds after its position (up to `batch_size` events), sends it with
an idempotent producer (acks=all; key = aggregate id, and the partition computed here from the
key), waits until Kafka has acknowledged all of it, and moves on. It is woken by every commit
to the store and otherwise sleeps; its position is recorded as a tracking record in the same
store at most every `record_seconds` and whenever it runs out of work.

No Kafka transactions: a message may be sent twice (a crash after Kafka acknowledged it and
before the position was recorded), never lost and never out of order within its partition.
Every message carries `store` and `notification_id` headers, and consumers apply a stream's
message only when its notification id is above the last they applied (the inbox), so a second
copy has no effect. On start the relay reads the last records of each partition it writes
and skips what this store already put there, so a restart normally repeats nothing at all.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.partitioner import murmur2
from eventsourcing.persistence import Notification, Tracking

from . import commits, kafka_security, telemetry
from .application import ServiceApplication
from .envelopes import HashChain, Translate
from .leadership import Leadership
from .threads import in_store

log = logging.getLogger(__name__)

NOTIFICATION_ID = "notification_id"
PRODUCER = "producer"
STORE = "store"
TAIL_WINDOW = 256  # offsets read back per partition at start


def partition_for(key: bytes, partitions: int) -> int:
    """The partition Kafka's default partitioner picks for `key` (murmur2, as in Java)."""
    return int(murmur2(key) & 0x7FFFFFFF) % partitions


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
        batch_size: int = 1000,
        idle_seconds: float = 30.0,
        record_seconds: float = 1.0,
        linger_seconds: float = 0.02,
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
        self.record_seconds = record_seconds
        self.linger_seconds = linger_seconds
        self.client_id = f"{producer}-relay-{instance}"
        self.position = 0  # the last notification id sent and acknowledged
        self.recorded = 0  # the position last recorded in the store
        self.published = 0
        self.sends = 0  # produce batches awaited: the relay's round trips to Kafka
        self.chain = HashChain(translate, producer, self._history)
        self.connected = False
        self.has_connected = False  # once true, a lost connection is an outage, not a start
        self.store_id = ""
        # None: this relay is its store's only one (tests); else it relays only while leading.
        self.leadership = leadership
        self._partitions: dict[str, int] = {}
        self._skip: dict[tuple[str, int], int] = {}  # (topic, partition) -> already on it up to
        self._commits = app.commits

    def _history(self, originator: UUID, up_to_version: int) -> list[Any]:
        if up_to_version < 1:
            return []
        return list(self.app.events.get(originator, lte=up_to_version))

    @property
    def standby(self) -> bool:
        """Another instance leads this store's relaying; this one waits to take over."""
        return self.leadership is not None and self.leadership.role == "standby"

    async def backlog(self) -> int:
        """Events stored and not yet relayed as far as the store records (the position is
        recorded at least every `record_seconds`, and at once when the relay runs out of work)."""
        newest = await in_store(self.app.recorder.max_notification_id) or 0
        done = self.recorded
        if not self.connected:  # the leader (maybe another instance) records how far it got
            done = await in_store(self.app.position, self.TRACKING_NAME)
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
                log.exception("relay %s failed; retrying", self.client_id)
                await asyncio.sleep(1.0)

    async def _run_while_leading(self) -> None:
        """One relay per store: with several instances, only the leader publishes (ADR 0013)."""
        if self.leadership is None:
            return await self._run_once()
        store_id = await in_store(self.app.store_id)
        await self.leadership.run(f"relay:{store_id}", self._run_once)

    async def _run_once(self) -> None:
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap,
            client_id=self.client_id,
            **kafka_security.client_options(),
            enable_idempotence=True,
            acks="all",
            linger_ms=1,
            max_batch_size=512 * 1024,
            max_request_size=4 * 1024 * 1024,
        )
        woken = self._commits.subscribe()
        await producer.start()
        try:
            self.store_id = await in_store(self.app.store_id)
            self.position = self.recorded = await in_store(self.app.position, self.TRACKING_NAME)
            self._partitions = {t: len(await producer.partitions_for(t)) for t in self.topics}
            self._skip = await self._already_published(producer)
            self.connected = self.has_connected = True
            log.info("relay %s resumes after notification %d", self.client_id, self.position)
            last_record = last_send = time.monotonic()
            while True:
                woken.clear()
                # Under load, let events gather for up to `linger_seconds` since the last send:
                # one Kafka request, one fetch and one store transaction downstream for many
                # events. After a quiet spell the first event goes at once.
                if (pause := last_send + self.linger_seconds - time.monotonic()) > 0:
                    await asyncio.sleep(pause)
                if await self._publish_batch(producer):
                    last_send = time.monotonic()
                    if time.monotonic() - last_record >= self.record_seconds:
                        await self._record()
                        last_record = time.monotonic()
                    continue
                await self._record()  # out of work: say how far we got
                last_record = time.monotonic()
                await commits.wait(woken, self.idle_seconds)
        finally:
            self.connected = False
            self._commits.unsubscribe(woken)
            await producer.stop()

    async def _record(self) -> None:
        if self.position > self.recorded:
            await in_store(self.app.record_position, Tracking(self.TRACKING_NAME, self.position))
            self.recorded = self.position

    def _messages(
        self, notifications: Sequence[Notification], publishing: telemetry.Publishing
    ) -> list[tuple[str, int, bytes, bytes, list[Any]]]:
        """Translate and seal: (topic, partition, key, value, headers) of each public event."""
        messages = []
        store = self.store_id.encode()
        producer = self.producer_name.encode()
        for notification in notifications:
            event = self.app.mapper.to_domain_event(notification)
            out = self.translate(event)
            if out is None:
                self.chain.internal(event)  # it stays inside the service
                continue
            key = out.key.encode()
            partition = partition_for(key, self._partitions[out.topic])
            if notification.id <= self._skip.get((out.topic, partition), 0):
                continue  # sent before a restart, already on its partition
            sealed = self.chain.seal(event, out)
            headers = [
                (NOTIFICATION_ID, str(notification.id).encode()),
                (PRODUCER, producer),
                (STORE, store),
                ("event_id", sealed.event_id.encode()),
                ("event_type", sealed.event_type.encode()),
                *publishing.headers(out.topic, sealed.event_type, sealed.trace_context),
            ]
            messages.append((out.topic, partition, key, sealed.wire, headers))
        return messages

    def _next_batch(
        self, publishing: telemetry.Publishing
    ) -> tuple[int, list[tuple[str, int, bytes, bytes, list[Any]]]] | None:
        """The next notifications' last id and their messages; None when there are none."""
        notifications = self.app.recorder.select_notifications(self.position + 1, self.batch_size)
        if not notifications:
            return None
        return notifications[-1].id, self._messages(notifications, publishing)

    async def _publish_batch(self, producer: AIOKafkaProducer) -> bool:
        publishing = telemetry.Publishing()  # spans of sampled traces, ended once acknowledged
        batch = await in_store(self._next_batch, publishing)
        if batch is None:
            return False
        last_id, messages = batch
        if messages:
            with publishing:
                sent = [
                    await producer.send(topic, value, key=key, partition=partition, headers=headers)
                    for topic, partition, key, value, headers in messages
                ]
                await asyncio.gather(*sent)  # all acknowledged (acks=all), or the relay restarts
            self.sends += 1
        self.position = last_id
        self.published += len(messages)
        return True

    async def _already_published(self, producer: AIOKafkaProducer) -> dict[tuple[str, int], int]:
        """For each partition this relay writes, the highest notification id of this store
        among its last records: everything of ours at or below it is on that partition, since
        each partition receives our events in order and without gaps (idempotent producer, one
        batch in flight per partition, and the relay stops at the first failed send)."""
        partitions = [TopicPartition(t, p) for t, n in self._partitions.items() for p in range(n)]
        found: dict[tuple[str, int], int] = {}
        if not partitions:
            return found  # a service that publishes nothing yet
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap,
            isolation_level="read_committed",
            enable_auto_commit=False,
            **kafka_security.client_options(),
        )
        await consumer.start()
        try:
            consumer.assign(partitions)
            ends = await consumer.end_offsets(partitions)
            begins = await consumer.beginning_offsets(partitions)
            pending = {tp for tp in partitions if ends[tp] > begins[tp]}
            for tp in pending:
                consumer.seek(tp, max(begins[tp], ends[tp] - TAIL_WINDOW))
            deadline = asyncio.get_running_loop().time() + 30
            while pending:
                if asyncio.get_running_loop().time() > deadline:
                    raise TimeoutError(f"could not read the tail of {sorted(map(str, pending))}")
                batches = await consumer.getmany(*pending, timeout_ms=500)
                for tp, records in batches.items():
                    for record in records:
                        headers = dict(record.headers or ())
                        # Only this store's messages say how far this store was relayed.
                        if headers.get(STORE, b"").decode() == self.store_id:
                            place = (tp.topic, tp.partition)
                            found[place] = max(found.get(place, 0), int(headers[NOTIFICATION_ID]))
                for tp in list(pending):
                    if await consumer.position(tp) >= ends[tp]:
                        pending.discard(tp)
            return found
        finally:
            await consumer.stop()
