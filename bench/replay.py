"""Rebuilding the dossier projection from the topics, timed: the auditors' own path
(dvc_processing.audit.replay: read every dossier topic from its beginning, interleave each
dossier's events causally, fold them with dvc_contracts.timeline), once the services are
stopped, so nothing else reads or writes the topics meanwhile."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from dvc_contracts.timeline import DossierState
from dvc_contracts.topics import INTAKE_DOSSIER, PROCESSING_DOSSIER
from dvc_kernel import kafka_security
from dvc_kernel.kafka_topics import topic_partitions
from dvc_processing.audit.replay import DOSSIER_TOPICS, Record, dossier_events, read_topics, rebuild


@dataclass(frozen=True)
class ReplayResult:
    events: int
    dossiers: int
    read_seconds: float  # consuming and parsing the topics
    fold_seconds: float  # causal order and fold
    states: dict[str, DossierState]
    received: Counter[str]  # Received events per dossier id, for the integrity check
    submitted: Counter[str]

    @property
    def seconds(self) -> float:
        return self.read_seconds + self.fold_seconds

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0

    def as_json(self) -> dict[str, float]:
        return {
            "events": self.events,
            "dossiers": self.dossiers,
            "read_seconds": self.read_seconds,
            "fold_seconds": self.fold_seconds,
            "events_per_s": self.rate,
            "seconds_per_million_events": 1e6 / self.rate if self.rate else 0.0,
        }


def _count(records: list[Record], event_type: str) -> Counter[str]:
    return Counter(
        str(r.envelope.payload["dossier_id"])
        for r in records
        if r.envelope.event_type == event_type and "dossier_id" in r.envelope.payload
    )


async def replay(bootstrap: str) -> ReplayResult:
    started = time.perf_counter()
    topics = await read_topics(bootstrap, DOSSIER_TOPICS, patience=600)
    read_done = time.perf_counter()
    states = rebuild(dossier_events(topics))
    fold_done = time.perf_counter()
    events = sum(len(records) for records in topics.values())
    return ReplayResult(
        events=events,
        dossiers=len(states),
        read_seconds=read_done - started,
        fold_seconds=fold_done - read_done,
        states=states,
        received=_count(topics.get(PROCESSING_DOSSIER.name, []), "Received"),
        submitted=_count(topics.get(INTAKE_DOSSIER.name, []), "Submitted"),
    )


UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
COPIES = uuid.UUID("6c1f3d0e-8f0b-4d36-9a51-2b1c0de5b3a1")  # namespace of the copies' ids


def copy_of(raw: bytes, copy: int) -> bytes:
    """A record as another dossier's: every id in it (dossier, events, causes, actors) replaced
    by one derived from it and the copy number, so copies keep their links to each other."""
    return UUID.sub(lambda m: str(uuid.uuid5(COPIES, f"{copy}:{m.group().decode()}")).encode(), raw)


async def pad_topics(bootstrap: str, target_events: int) -> int:
    """Add copies of the dossier topics' records, as new dossiers, until they hold at least
    `target_events` records, so a replay is timed over enough events to be more than its
    start-up. Returns how many records were added."""
    partitions = await topic_partitions(bootstrap, DOSSIER_TOPICS)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        **kafka_security.client_options(),
        group_id=None,
        enable_auto_commit=False,
        isolation_level="read_committed",
    )
    await consumer.start()
    originals: list[tuple[str, bytes | None, bytes]] = []
    try:
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        for tp, first in (await consumer.beginning_offsets(partitions)).items():
            consumer.seek(tp, first)
        pending = {tp for tp in partitions if await consumer.position(tp) < ends[tp]}
        while pending:
            for tp, records in (await consumer.getmany(*pending, timeout_ms=500)).items():
                originals += [(tp.topic, r.key, r.value) for r in records if r.value is not None]
            pending = {tp for tp in pending if await consumer.position(tp) < ends[tp]}
    finally:
        await consumer.stop()
    if not originals:
        return 0
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        **kafka_security.client_options(),
        acks="all",
        enable_idempotence=True,
        linger_ms=20,
    )
    await producer.start()
    added = 0
    try:
        copy = 0
        while len(originals) + added < target_events:
            copy += 1
            sent = [
                await producer.send(topic, copy_of(value, copy), key=copy_of(key, copy) if key else None)
                for topic, key, value in originals
            ]
            await asyncio.gather(*sent)
            added += len(sent)
    finally:
        await producer.stop()
    return added
