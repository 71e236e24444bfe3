"""Watching the topics while the load runs: when each dossier's Submitted and Received become
readable (read_committed, as every consumer of ours reads), and how far processing's consumer
group lags behind intake's topic."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from dvc_contracts.topics import INTAKE_DOSSIER, PROCESSING_DOSSIER
from dvc_kernel.kafka_topics import topic_partitions

PROCESSING_GROUP = "processing"  # processing's inbox consumer group (dvc_processing.consumers)


@dataclass
class Seen:
    """First time (bench clock) each dossier id was seen with an event type, and how often."""

    first: dict[str, float] = field(default_factory=dict)
    produced: dict[str, float] = field(default_factory=dict)  # the record's own timestamp, bench clock
    count: Counter[str] = field(default_factory=Counter)
    sizes: list[int] = field(default_factory=list)

    def note(self, dossier_id: str, at: float, produced: float, size: int) -> None:
        self.first.setdefault(dossier_id, at)
        self.produced.setdefault(dossier_id, produced)
        self.count[dossier_id] += 1
        self.sizes.append(size)


class Tracker:
    """Reads intake's and processing's dossier topics from their current ends onwards."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.submitted = Seen()
        self.received = Seen()
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        partitions = await topic_partitions(self.bootstrap, [INTAKE_DOSSIER.name, PROCESSING_DOSSIER.name])
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap,
            group_id=None,
            enable_auto_commit=False,
            isolation_level="read_committed",
            fetch_max_wait_ms=50,  # latency over batching: this consumer times arrivals
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
                for record in records:
                    if record.value is None:
                        continue
                    envelope = json.loads(record.value)
                    dossier_id = envelope.get("payload", {}).get("dossier_id")
                    if dossier_id is None:
                        continue
                    kind = envelope.get("event_type")
                    produced = record.timestamp / 1000 + wall_to_bench
                    if tp.topic == INTAKE_DOSSIER.name and kind == "Submitted":
                        self.submitted.note(str(dossier_id), now, produced, len(record.value))
                    elif tp.topic == PROCESSING_DOSSIER.name and kind == "Received":
                        self.received.note(str(dossier_id), now, produced, len(record.value))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()


class LagProbe:
    """Processing's consumer lag on intake's dossier topic: end offsets minus committed offsets.
    (Transaction markers take an offset each, so an idle, caught-up group shows a few.)"""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        self.consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
        self.partitions: list[TopicPartition] = []

    async def start(self) -> None:
        self.partitions = await topic_partitions(self.bootstrap, [INTAKE_DOSSIER.name])
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
