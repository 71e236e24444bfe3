"""Following whole topics in every instance, with no consumer group: the catalog replica and
the token revocations each need all of their topics, not a share of the partitions.

The follower places the consumer where its reader says (the beginning, or some time ago),
applies each envelope in order, and tells when it has read up to the end offsets found at the
start. An idle fetch waits long at the broker: a new record ends the wait at once, so that
costs no latency, only fewer idle round trips (seven services follow each topic).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaConsumer, TopicPartition

from dvc_contracts import Envelope

from . import kafka_security
from .kafka_topics import topic_partitions

log = logging.getLogger(__name__)

# Where to start, found before the consumer is assigned: each partition's first offset to read,
# and the end offsets that count as caught up.
Offsets = dict[TopicPartition, int]
Place = Callable[[AIOKafkaConsumer, list[TopicPartition]], Awaitable[tuple[Offsets, Offsets]]]


async def from_the_beginning(
    consumer: AIOKafkaConsumer, partitions: list[TopicPartition]
) -> tuple[Offsets, Offsets]:
    starts: Offsets = await consumer.beginning_offsets(partitions)
    ends: Offsets = await consumer.end_offsets(partitions)
    return starts, ends


def since(milliseconds: Callable[[], int]) -> Place:
    """From the first record at or after the instant `milliseconds()` gives (Kafka's time
    index); a partition with none from its end."""

    async def place(consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> tuple[Offsets, Offsets]:
        found = await consumer.offsets_for_times(dict.fromkeys(partitions, milliseconds()))
        ends: Offsets = await consumer.end_offsets(partitions)
        starts = {tp: at.offset if (at := found.get(tp)) is not None else ends[tp] for tp in partitions}
        return starts, ends

    return place


async def follow_topics(
    bootstrap: str,
    topics: list[str],
    apply: Callable[[Envelope], None],
    *,
    place: Place = from_the_beginning,
    caught_up: Callable[[], None] = lambda: None,
    idle: Callable[[], None] = lambda: None,
    wait_ms: int = 10_000,
) -> None:
    """Apply every envelope of `topics` from where `place` puts the consumer, forever; call
    `caught_up` once the first end offsets are reached, and `idle` whenever a wait for new
    records ends (at least every `wait_ms`)."""
    partitions = await topic_partitions(bootstrap, topics)
    # With no group there is no rebalance to notice: the fetch routine need not wake five times
    # a second (the default `consumer_timeout_ms`) to look for one.
    waits = {"fetch_max_wait_ms": wait_ms, "consumer_timeout_ms": wait_ms}
    options = {"enable_auto_commit": False, "isolation_level": "read_committed", **waits}
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, **options, **kafka_security.client_options())
    await consumer.start()
    try:
        starts, ends = await place(consumer, partitions)
        # Assigned and placed with no await between: a fetch sent from another position would
        # be a long poll that the first records would wait behind.
        consumer.assign(partitions)
        for tp, offset in starts.items():
            consumer.seek(tp, offset)
        targets: Offsets | None = ends
        while True:
            batches = await consumer.getmany(timeout_ms=wait_ms, max_records=5000)
            for records in batches.values():
                for record in records:
                    try:
                        apply(Envelope.model_validate_json(record.value or b""))
                    except ValueError:
                        log.exception(
                            "unreadable record at %s:%s@%s", record.topic, record.partition, record.offset
                        )
            if targets is not None and await _reached(consumer, targets):
                targets = None
                caught_up()
            idle()
    finally:
        await consumer.stop()


async def _reached(consumer: AIOKafkaConsumer, targets: dict[TopicPartition, int]) -> bool:
    for tp, end in targets.items():
        if await consumer.position(tp) < end:
            return False
    return True
