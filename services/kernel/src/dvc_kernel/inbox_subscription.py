"""The inbox's Kafka side (ADR 0018): a FastStream batch subscriber per consumer group that
hands the inbox its records undecoded and waits for records without sleeping, and the offsets
committed after the records are applied, at most every second."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from itertools import chain
from typing import Any, Protocol

from aiokafka import TopicPartition
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from dvc_contracts import Envelope
from dvc_contracts.topics import dead_letter_topic

log = logging.getLogger("dvc_kernel.inbox")  # its lines read as they did before the split

MAX_RECORDS = 500


async def _undecoded(message: StreamMessage[Any]) -> Any:
    """FastStream decoder: the message itself, records undecoded (the inbox decodes only what
    its service handles). Taken as the handler's body, it needs no dependency injection."""
    return message


class Offsets:
    """Commits a consumer group's offsets at most every `interval` seconds (ADR 0018).

    The inbox's tracking records, not Kafka's offsets, say what has been applied: an offset
    committed late only means records delivered again after a restart or a rebalance, which
    the inbox then recognises and skips. Only records already applied are committed, by their
    own offsets (the consumer's position may already be past records still being handled)."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._done: dict[TopicPartition, int] = {}
        self._consumer: Any = None
        self._last = 0.0
        self._flushing: asyncio.Task[None] | None = None

    def applied(self, consumer: Any, records: Sequence[Any]) -> None:
        self._consumer = consumer
        for record in records:
            self._done[TopicPartition(record.topic, record.partition)] = record.offset + 1
        if self._flushing is None:
            wait = max(0.0, self._last + self.interval - time.monotonic())
            self._flushing = asyncio.get_running_loop().create_task(self._flush_after(wait))

    async def _flush_after(self, wait: float) -> None:
        try:
            await asyncio.sleep(wait)
        finally:
            self._flushing = None
        await self.flush()

    async def flush(self) -> None:
        done, self._done = self._done, {}
        if not done or self._consumer is None:
            return
        self._last = time.monotonic()
        try:
            await self._consumer.commit(done)
        except Exception as error:  # a partition moved to another member: it redelivers, we skip
            log.debug("offsets not committed (%s): %s", error, done)


class Fed(Protocol):
    """What a subscription feeds (the `Inbox`): it applies the records, and keeps each
    group's offsets and subscriber, for committing at shutdown and for the lag metric."""

    offsets: list[Offsets]
    subscribers: list[tuple[str, Any]]

    async def deliver_records(self, records: Sequence[Any], group: str = "") -> None: ...


IDLE_WAIT_MS = 30_000


def wait_for_records(subscriber: Any, max_records: int) -> None:
    """FastStream's batch subscriber polls with a timeout and, when a poll comes back empty,
    sleeps as long again, so after a quiet spell the next records may wait that long. Ours
    waits until records are there: the poll returns as soon as they are, and an idle consumer
    wakes once per `IDLE_WAIT_MS`. (tests/test_faststream_batch.py fails if FastStream's
    subscriber stops reading its batches through `get_msg`.)"""

    async def get_msg(consumer: Any) -> tuple[Any, ...]:
        while True:
            batches = await consumer.getmany(timeout_ms=IDLE_WAIT_MS, max_records=max_records)
            if batches:
                return tuple(chain.from_iterable(batches.values()))

    subscriber.get_msg = get_msg


def subscribe(
    broker: KafkaBroker,
    inbox: Fed,
    topics: Sequence[str],
    group_id: str,
    description: str,
    *,
    max_records: int = MAX_RECORDS,
) -> None:
    """Register one FastStream batch subscriber feeding the inbox from `topics`."""
    offsets = Offsets()
    inbox.offsets.append(offsets)

    subscriber = broker.subscriber(
        *topics,
        group_id=group_id,
        batch=True,
        max_records=max_records,
        batch_timeout_ms=1000,
        # An idle consumer's fetch waits this long at the broker before coming back empty; new
        # records end the wait at once, so it costs no latency, only idle round trips.
        fetch_max_wait_ms=10_000,
        consumer_timeout_ms=5000,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        ack_policy=AckPolicy.MANUAL,  # `Offsets` commits; a failure seeks back (nack)
        decoder=_undecoded,
        title=group_id,
        description=description,
    )
    inbox.subscribers.append((group_id, subscriber))  # its consumer's lag is a metric
    # The group's dead letters, relayed by this service (ADR 0020): documented in AsyncAPI.
    broker.publisher(
        dead_letter_topic(group_id),
        title=dead_letter_topic(group_id),
        description=f"Messages the consumer group `{group_id}` set aside after repeated failures.",
        schema=Envelope,
    )
    wait_for_records(subscriber, max_records)

    @subscriber
    async def handle(body: Any) -> None:
        msg: KafkaMessage = body
        raw: Any = msg.raw_message
        records = raw if isinstance(raw, tuple) else (raw,)
        try:
            await inbox.deliver_records(records, group_id)
        except Exception:
            await msg.nack()  # back to the first record not applied; it comes again
            return  # logged, backed off and marked on its span by the inbox
        offsets.applied(msg.consumer, records)
