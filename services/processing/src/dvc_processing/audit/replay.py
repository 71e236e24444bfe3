"""Reading the public topics as an auditor: from the beginning, from an instant or from given
offsets, with a consumer that belongs to no group and commits nothing (`read_committed`, so
aborted relay transactions are never seen), and rebuilding dossiers with the shared fold."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from aiokafka import AIOKafkaConsumer, TopicPartition

from dvc_contracts import Envelope
from dvc_contracts.timeline import DossierState, fold, interleave
from dvc_contracts.topics import DELIVERY_RESULT, INTAKE_DOSSIER, PAYMENT_FEE, PROCESSING_DOSSIER
from dvc_kernel.kafka_topics import topic_partitions

# Each producer's stream of a dossier; `interleave` puts a cause before its effect.
DOSSIER_TOPICS = (PROCESSING_DOSSIER.name, INTAKE_DOSSIER.name, PAYMENT_FEE.name, DELIVERY_RESULT.name)


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    envelope: Envelope


async def read_topics(
    bootstrap: str,
    topics: Iterable[str],
    since: datetime | None = None,
    offsets: dict[tuple[str, int], int] | None = None,
    patience: float = 60,
) -> dict[str, list[Record]]:
    """Every committed record of `topics` up to their current end, per topic in partition and
    offset order; topics that do not exist are left out."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        isolation_level="read_committed",
    )
    partitions = await topic_partitions(bootstrap, topics)
    await consumer.start()
    try:
        found: dict[str, list[Record]] = {t: [] for t in {tp.topic for tp in partitions}}
        if not partitions:
            return found
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        # Explicit seeks: after seek_to_beginning, position() may answer before the reset
        # happened and report the end, and the replay would read nothing.
        for tp, first in (await consumer.beginning_offsets(partitions)).items():
            consumer.seek(tp, first)
        if since is not None:
            at = await consumer.offsets_for_times({tp: int(since.timestamp() * 1000) for tp in partitions})
            for tp, position in at.items():
                consumer.seek(tp, position.offset if position is not None else ends[tp])
        for (topic, partition), offset in (offsets or {}).items():
            if (tp := TopicPartition(topic, partition)) in ends:
                consumer.seek(tp, offset)
        per_partition: dict[TopicPartition, list[Record]] = defaultdict(list)
        pending = {tp for tp in partitions if await consumer.position(tp) < ends[tp]}
        deadline = asyncio.get_running_loop().time() + patience
        while pending:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"could not read {sorted(map(str, pending))} to its end")
            batches = await consumer.getmany(*pending, timeout_ms=500)
            for tp, records in batches.items():
                for r in records:
                    if r.offset < ends[tp] and r.value is not None:
                        envelope = Envelope.model_validate_json(r.value)
                        per_partition[tp].append(Record(tp.topic, tp.partition, r.offset, envelope))
            for tp in list(pending):
                if await consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)
        for tp in partitions:
            found[tp.topic] += per_partition[tp]
        return found
    finally:
        await consumer.stop()


def causal_order(streams: Iterable[list[Envelope]]) -> list[Envelope]:
    """Interleave producers' streams of one dossier exactly as tracking does (see `interleave`)."""
    return interleave(streams)


def dossier_events(topics: dict[str, list[Record]]) -> dict[str, list[Envelope]]:
    """Each dossier's public events (by dossier id) in causal order across the dossier topics."""
    streams: dict[str, list[list[Envelope]]] = defaultdict(lambda: [[] for _ in DOSSIER_TOPICS])
    for i, topic in enumerate(DOSSIER_TOPICS):
        for record in topics.get(topic, []):
            if (dossier_id := record.envelope.payload.get("dossier_id")) is not None:
                streams[str(dossier_id)][i].append(record.envelope)
    return {dossier_id: causal_order(s) for dossier_id, s in streams.items()}


def rebuild(events: dict[str, list[Envelope]], as_of: datetime | None = None) -> dict[str, DossierState]:
    states = {d: fold(envelopes, as_of=as_of) for d, envelopes in events.items()}
    return {d: s for d, s in states.items() if s is not None}


def find_dossier(events: dict[str, list[Envelope]], code: str) -> list[Envelope] | None:
    for envelopes in events.values():
        if any(e.payload.get("dossier_code") == code for e in envelopes):
            return envelopes
    return None
