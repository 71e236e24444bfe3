"""Watching the topics while the load runs: when each dossier's Submitted and Received, and each
lodging notice's Filed and Received, become readable (read_committed, as every consumer of ours
reads), and how far processing's consumer group lags behind intake's topic."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from dataclasses import dataclass, field

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from dvc_contracts.topics import INTAKE_DOSSIER, INTAKE_LODGING, PROCESSING_DOSSIER, PROCESSING_LODGING
from dvc_kernel import kafka_security
from dvc_kernel.kafka_topics import topic_partitions

PROCESSING_GROUP = "processing"  # processing's inbox consumer group (dvc_processing.consumers)


@dataclass
class Seen:
    """First time (bench clock) each id was seen with an event type, and how often."""

    first: dict[str, float] = field(default_factory=dict)
    produced: dict[str, float] = field(default_factory=dict)  # the record's own timestamp, bench clock
    count: Counter[str] = field(default_factory=Counter)  # distinct events per id
    sizes: list[int] = field(default_factory=list)
    events: set[str] = field(default_factory=set)
    copies: int = 0  # records repeating an event already seen (a relay's second publication)

    def note(self, key: str, event_id: str, at: float, produced: float, size: int) -> None:
        if event_id in self.events:
            self.copies += 1
            return
        self.events.add(event_id)
        self.first.setdefault(key, at)
        self.produced.setdefault(key, produced)
        self.count[key] += 1
        self.sizes.append(size)


# topic -> (event type, payload field naming what it is about)
WATCHED = {
    INTAKE_DOSSIER.name: ("Submitted", "dossier_id"),
    PROCESSING_DOSSIER.name: ("Received", "dossier_id"),
    INTAKE_LODGING.name: ("LodgingNoticeFiled", "notice_id"),
    PROCESSING_LODGING.name: ("LodgingNoticeReceived", "notice_id"),
}


class Tracker:
    """Reads the watched topics from their current ends onwards."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.seen = {topic: Seen() for topic in WATCHED}
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def submitted(self) -> Seen:
        return self.seen[INTAKE_DOSSIER.name]

    @property
    def received(self) -> Seen:
        return self.seen[PROCESSING_DOSSIER.name]

    @property
    def notices_filed(self) -> Seen:
        return self.seen[INTAKE_LODGING.name]

    @property
    def notices_received(self) -> Seen:
        return self.seen[PROCESSING_LODGING.name]

    async def start(self) -> None:
        partitions = await topic_partitions(self.bootstrap, list(WATCHED))
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap,
            **kafka_security.client_options(),
            group_id=None,
            enable_auto_commit=False,
            isolation_level="read_committed",
            # A fetch returns as soon as a record arrives, so a long wait costs no latency; a
            # short one would make the broker answer empty fetches all through idle periods,
            # and the broker's idle figure would count this watcher's polling.
            fetch_max_wait_ms=10_000,
        )
        await self._consumer.start()
        self._consumer.assign(partitions)
        for tp, end in (await self._consumer.end_offsets(partitions)).items():
            self._consumer.seek(tp, end)
        for tp in partitions:  # the seeks take effect before we report being ready
            await self._consumer.position(tp)
        self._task = asyncio.create_task(self._read(self._consumer))

    async def _read(self, consumer: AIOKafkaConsumer) -> None:
        while True:
            batches = await consumer.getmany(timeout_ms=200)
            now = time.monotonic()
            # Record timestamps are the producer's wall clock (same machine): onto our clock.
            wall_to_bench = time.monotonic() - time.time()
            for tp, records in batches.items():
                wanted, about = WATCHED[tp.topic]
                seen = self.seen[tp.topic]
                for record in records:
                    if record.value is None:
                        continue
                    kind = dict(record.headers or ()).get("event_type")
                    if kind is not None and kind != wanted.encode():
                        continue  # the relay names the type in a header: no need to decode
                    envelope = orjson.loads(record.value)
                    key = envelope.get("payload", {}).get(about)
                    if envelope.get("event_type") != wanted or key is None:
                        continue
                    produced = record.timestamp / 1000 + wall_to_bench
                    seen.note(str(key), str(envelope["event_id"]), now, produced, len(record.value))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()


class LagProbe:
    """Processing's consumer lag on intake's dossier (or lodging) topic: end offsets minus
    committed offsets. (Transaction markers take an offset each, so an idle, caught-up group may
    show a few.)"""

    def __init__(self, bootstrap: str, kind: str = "dossier") -> None:
        self.bootstrap = bootstrap
        self.topic = INTAKE_DOSSIER.name if kind == "dossier" else INTAKE_LODGING.name
        self.admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **kafka_security.client_options())
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            **kafka_security.client_options(),
            group_id=None,
            enable_auto_commit=False,
        )
        self.partitions: list[TopicPartition] = []

    async def start(self) -> None:
        self.partitions = await topic_partitions(self.bootstrap, [self.topic])
        await self.admin.start()
        await self.consumer.start()

    async def lag(self) -> int:
        committed = await self.admin.list_consumer_group_offsets(PROCESSING_GROUP, partitions=self.partitions)
        ends = await self.consumer.end_offsets(self.partitions)
        return sum(
            max(0, end - (committed[tp].offset if tp in committed and committed[tp].offset >= 0 else 0))
            for tp, end in ends.items()
        )

    async def stop(self) -> None:
        await self.consumer.stop()
        await self.admin.close()
