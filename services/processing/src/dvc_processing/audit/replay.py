"""Reading the public topics as an auditor: from the beginning, from an instant or from given
offsets, with a consumer that belongs to no group and commits nothing (`read_committed`, so
aborted relay transactions are never seen), and rebuilding dossiers with the shared fold.

An event counts once. A relay that crashed between publishing and recording its position
publishes the same event again: such a copy (same envelope, so same `event_id` and `hash`) is
dropped as it is read. An event that reuses an id with other content is kept for the checks
to flag (`checks.check_integrity`), and only the first of the two is folded."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime
from typing import NamedTuple

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from dvc_contracts import Envelope
from dvc_contracts.timeline import DossierState, fold, interleave
from dvc_contracts.topics import DELIVERY_RESULT, INTAKE_DOSSIER, PAYMENT_FEE, PROCESSING_DOSSIER
from dvc_kernel import kafka_security
from dvc_kernel.kafka_topics import topic_partitions

# Each producer's stream of a dossier; `interleave` puts a cause before its effect.
DOSSIER_TOPICS = (PROCESSING_DOSSIER.name, INTAKE_DOSSIER.name, PAYMENT_FEE.name, DELIVERY_RESULT.name)
# A replay reads whole topics: large fetches, and no waiting for more at their end.
FETCH_SETTINGS = {"fetch_max_bytes": 64 << 20, "max_partition_fetch_bytes": 16 << 20, "fetch_max_wait_ms": 50}
MAX_RECORDS = 10_000  # per poll


class Record(NamedTuple):
    """One event read, and where it was on the log. (A named tuple: a frozen dataclass costs a
    microsecond to build, a tenth of what reading the event does.)"""

    topic: str
    partition: int
    offset: int
    envelope: Envelope


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a replay builds its objects, and what it built left
    out of later ones (`gc.freeze`): every collection walks the objects of its generations, and
    a replay builds hundreds of thousands. Collecting as they were built made reading six times
    slower, and collecting them once afterwards cost a fifth of the replay. Reference counting
    still frees them once dropped; nothing here builds reference cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


class Replay:
    """An open replay of some partitions from their start positions to the ends they had when
    it opened; `total` is known before a record is read (for progress)."""

    def __init__(
        self, consumer: AIOKafkaConsumer, starts: dict[TopicPartition, int], ends: dict[TopicPartition, int]
    ) -> None:
        self.consumer, self.starts, self.ends = consumer, starts, ends
        self.partitions = sorted(ends, key=lambda tp: (tp.topic, tp.partition))

    @property
    def total(self) -> int:
        """Offsets to read (transaction markers included: a few more than the events)."""
        return sum(max(0, self.ends[tp] - self.starts[tp]) for tp in self.ends)

    async def batches(
        self, patience: float = 60
    ) -> AsyncIterator[tuple[TopicPartition, list[ConsumerRecord[bytes, bytes]], int]]:
        """(partition, its records before its end, offsets passed) as they are fetched: a few
        thousand at a time, so nothing here grows with the log. `patience` bounds the time
        without reaching the ends."""
        consumer, ends = self.consumer, self.ends
        positions = dict(self.starts)
        pending = {tp for tp in ends if positions[tp] < ends[tp]}
        deadline = asyncio.get_running_loop().time() + patience
        while pending:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"could not read {sorted(map(str, pending))} to its end")
            batches = await consumer.getmany(*pending, timeout_ms=500, max_records=MAX_RECORDS)
            for tp, records in batches.items():
                end = ends[tp]
                position = min(await consumer.position(tp), end)
                passed, positions[tp] = position - positions[tp], position
                yield tp, [r for r in records if r.offset < end and r.value is not None], passed
            for tp in list(pending):
                if await consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)


@contextlib.asynccontextmanager
async def replaying(
    bootstrap: str,
    topics: Iterable[str],
    since: datetime | None = None,
    offsets: dict[tuple[str, int], int] | None = None,
) -> AsyncIterator[Replay]:
    """A consumer of no group on every partition of `topics` (those that exist), placed at their
    beginning, at `since`, or at the given offsets."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        isolation_level="read_committed",
        **FETCH_SETTINGS,
        **kafka_security.client_options(),
    )
    partitions = await topic_partitions(bootstrap, topics)
    await consumer.start()
    try:
        if not partitions:
            yield Replay(consumer, {}, {})
            return
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        # Explicit seeks: after seek_to_beginning, position() may answer before the reset
        # happened and report the end, and the replay would read nothing.
        starts = dict(await consumer.beginning_offsets(partitions))
        if since is not None:
            at = await consumer.offsets_for_times({tp: int(since.timestamp() * 1000) for tp in partitions})
            for tp, position in at.items():
                starts[tp] = position.offset if position is not None else ends[tp]
        for (topic, partition), offset in (offsets or {}).items():
            if (tp := TopicPartition(topic, partition)) in ends:
                starts[tp] = offset
        for tp, start in starts.items():
            consumer.seek(tp, start)
        yield Replay(consumer, starts, ends)
    finally:
        await consumer.stop()


async def read_topics(
    bootstrap: str,
    topics: Iterable[str],
    since: datetime | None = None,
    offsets: dict[tuple[str, int], int] | None = None,
    patience: float = 60,
) -> dict[str, list[Record]]:
    """Every committed record of `topics` up to their current end, per topic in partition and
    offset order, in memory; topics that do not exist are left out. (`dvc-audit` streams into
    a spool instead, see `spool.py`: this is for what fits in memory, tests and the bench.)"""
    async with replaying(bootstrap, topics, since, offsets) as replay:
        found: dict[str, list[Record]] = {tp.topic: [] for tp in replay.partitions}
        with paused_gc():
            per_partition = await _read_to(replay, patience)
        for tp in replay.partitions:
            found[tp.topic] += per_partition[tp]
        return found


async def _read_to(replay: Replay, patience: float) -> dict[TopicPartition, list[Record]]:
    """Each partition's records from the replay's start to its end, each event once."""
    per_partition: dict[TopicPartition, list[Record]] = defaultdict(list)
    validate = Envelope.__pydantic_validator__.validate_json  # model_validate_json, minus a wrapper
    first: dict[int, Envelope] = {}  # by event id, as an int: hashing a UUID object runs Python code
    async for tp, records, _ in replay.batches(patience):
        kept = per_partition[tp]
        for r in records:
            # pydantic's own JSON parser: as fast as orjson, and no dict to build it from
            envelope: Envelope = validate(r.value)
            earlier = first.setdefault(envelope.event_id.int, envelope)
            if earlier is not envelope and earlier == envelope:
                continue  # the relay's second copy of an event
            kept.append(Record(tp.topic, tp.partition, r.offset, envelope))
    return per_partition


def causal_order(streams: Iterable[list[Envelope]]) -> list[Envelope]:
    """Interleave producers' streams of one dossier exactly as tracking does (see `interleave`)."""
    return interleave(streams)


def dossier_events(topics: dict[str, list[Record]]) -> dict[str, list[Envelope]]:
    """Each dossier's public events (by dossier id) in causal order across the dossier topics;
    an event id seen twice counts once, as first read."""
    streams: dict[str, list[list[Envelope]]] = defaultdict(lambda: [[] for _ in DOSSIER_TOPICS])
    seen: set[int] = set()
    with paused_gc():
        for i, topic in enumerate(DOSSIER_TOPICS):
            for record in topics.get(topic, []):
                envelope = record.envelope
                dossier_id = envelope.payload.get("dossier_id")
                if dossier_id is None or envelope.event_id.int in seen:
                    continue
                seen.add(envelope.event_id.int)
                streams[str(dossier_id)][i].append(envelope)
        # Streams a dossier has no events on change nothing in the order: left out, cheaper.
        return {dossier_id: causal_order([x for x in s if x]) for dossier_id, s in streams.items()}


def rebuild(events: dict[str, list[Envelope]], as_of: datetime | None = None) -> dict[str, DossierState]:
    with paused_gc():
        states = {d: fold(envelopes, as_of=as_of) for d, envelopes in events.items()}
    return {d: s for d, s in states.items() if s is not None}


def find_dossier(events: dict[str, list[Envelope]], code: str) -> list[Envelope] | None:
    for envelopes in events.values():
        if any(e.payload.get("dossier_code") == code for e in envelopes):
            return envelopes
    return None
