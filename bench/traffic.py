"""The Kafka traffic a step caused: how far the end offsets of the platform's topics moved, and
how many of those offsets are records.

A transaction's commit or abort marker takes an offset of every partition it wrote to, but no
consumer is ever handed it as a record. So, between two snapshots of the end offsets:
markers = offsets moved - data records (those of aborted transactions included, which only a
read_uncommitted consumer returns); committed records are what a read_committed consumer gets.
One marker per partition per transaction: with one event per transaction, markers count the
transactions; with batches over several partitions, more markers than transactions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition

from dvc_contracts.topics import ALL_TOPICS
from dvc_kernel import kafka_security
from dvc_kernel.kafka_topics import topic_partitions

Offsets = dict[TopicPartition, int]


def moved(before: Mapping[TopicPartition, int], after: Mapping[TopicPartition, int]) -> int:
    """How many offsets were taken between two snapshots (a partition new since counts from 0)."""
    return sum(end - before.get(tp, 0) for tp, end in after.items())


@dataclass(frozen=True)
class Traffic:
    offsets: int  # offsets taken on the platform's topics
    records: int  # data records among them, aborted transactions' included
    committed: int  # records a read_committed consumer receives
    committed_bytes: int  # their values' sizes

    @property
    def markers(self) -> int:
        return self.offsets - self.records

    @property
    def aborted(self) -> int:
        return self.records - self.committed

    def per(self, dossiers: int) -> dict[str, float]:
        n = max(1, dossiers)
        return {
            "messages_per_dossier": self.committed / n,
            "transaction_markers_per_dossier": self.markers / n,
            "aborted_records_per_dossier": self.aborted / n,
            "message_bytes_mean": self.committed_bytes / self.committed if self.committed else 0.0,
        }

    def as_json(self) -> dict[str, int]:
        return {
            "offsets": self.offsets,
            "records": self.committed,
            "records_with_aborted": self.records,
            "transaction_markers": self.markers,
            "committed_bytes": self.committed_bytes,
        }


class Topics:
    """The platform's topics (`ALL_TOPICS`): their end offsets now, and their records between
    two such snapshots."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.partitions: list[TopicPartition] = []
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            **kafka_security.client_options(),
            group_id=None,
            enable_auto_commit=False,
        )

    async def start(self) -> None:
        self.partitions = await topic_partitions(self.bootstrap, [t.name for t in ALL_TOPICS])
        await self.consumer.start()

    async def ends(self) -> Offsets:
        return dict(await self.consumer.end_offsets(self.partitions))

    async def traffic(self, before: Offsets, after: Offsets) -> tuple[Traffic, list[int]]:
        """What was written between the snapshots, and the sizes of its committed records."""
        records, _ = await _read(self.bootstrap, before, after, "read_uncommitted")
        committed, sizes = await _read(self.bootstrap, before, after, "read_committed")
        return Traffic(moved(before, after), records, committed, sum(sizes)), sizes

    async def stop(self) -> None:
        await self.consumer.stop()


async def _read(bootstrap: str, before: Offsets, after: Offsets, isolation: str) -> tuple[int, list[int]]:
    """How many records lie between the snapshots, and their sizes."""
    ranges = {tp: (before.get(tp, 0), end) for tp, end in after.items() if end > before.get(tp, 0)}
    if not ranges:
        return 0, []
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        **kafka_security.client_options(),
        group_id=None,
        enable_auto_commit=False,
        isolation_level=isolation,
        fetch_max_bytes=64 << 20,
        max_partition_fetch_bytes=16 << 20,
        fetch_max_wait_ms=50,
    )
    await consumer.start()
    sizes: list[int] = []
    try:
        consumer.assign(list(ranges))
        for tp, (start, _) in ranges.items():
            consumer.seek(tp, start)
        pending = set(ranges)
        async with asyncio.timeout(300):
            while pending:
                for tp, batch in (await consumer.getmany(*pending, timeout_ms=500)).items():
                    end = ranges[tp][1]
                    sizes += [len(r.value or b"") for r in batch if r.offset < end]
                pending = {tp for tp in pending if await consumer.position(tp) < ranges[tp][1]}
    finally:
        await consumer.stop()
    return len(sizes), sizes
