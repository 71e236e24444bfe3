"""The inbox: each consumed public event is applied once (ARCHITECTURE §4).

The tracking record is (topic:partition, offset + 1); it commits in the same transaction as the
events the policy produces. A redelivered message is found in the tracking table and
acknowledged without effect. FastStream commits the Kafka offset only after the handler returns
(ack policy NACK_ON_ERROR: a failure seeks back and the message comes again), never first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import Tracking
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from dvc_contracts import Envelope
from dvc_contracts.registry import UnknownEventType, payload_of

from . import telemetry
from .application import Incoming, ServiceApplication
from .telemetry.metrics import PROCESSED

log = logging.getLogger(__name__)


def tracking_for(topic: str, partition: int, offset: int) -> Tracking:
    # Offsets start at 0; tracking ids must be positive and increasing per partition.
    return Tracking(application_name=f"{topic}:{partition}", notification_id=offset + 1)


MAX_BACKOFF_SECONDS = 30.0


class Inbox:
    def __init__(self, app: ServiceApplication) -> None:
        self.app = app
        self.applied = 0
        self.duplicates = 0
        self._failures: dict[tuple[str, int, int], int] = {}
        self.subscribers: list[tuple[str, Any]] = []  # (consumer group, FastStream subscriber)

    async def deliver_or_back_off(
        self,
        envelope: Envelope,
        topic: str,
        partition: int,
        offset: int,
        headers: Sequence[tuple[str, bytes]] | None = None,
    ) -> None:
        """Deliver; on failure wait (exponentially longer each time) before the message comes
        again, so a message that cannot be applied yet neither spins nor floods the logs.
        The handling continues the trace the message carries (its `headers`, else the envelope)."""
        key = (topic, partition, offset)
        with telemetry.consuming(envelope, topic, partition, offset, headers):
            try:
                await self.deliver(envelope, topic, partition, offset)
            except Exception as error:
                failures = self._failures.get(key, 0) + 1
                self._failures = {key: failures}  # only the message at the head of the partition
                delay = min(MAX_BACKOFF_SECONDS, 0.2 * 2**failures)
                log.exception(
                    "cannot apply %s at %s:%d@%d (attempt %d); retrying in %.1fs",
                    envelope.event_type,
                    topic,
                    partition,
                    offset,
                    failures,
                    delay,
                )
                telemetry.failed(error)
                failure = error
            else:
                self._failures.pop(key, None)
                return
        await asyncio.sleep(delay)
        raise failure

    async def deliver(self, envelope: Envelope, topic: str, partition: int, offset: int) -> bool:
        tracking = tracking_for(topic, partition, offset)
        try:
            payload = payload_of(envelope)
        except UnknownEventType:
            # A newer producer's event type: track it so the partition keeps moving.
            log.warning("skipping unknown event type %s at %s", envelope.event_type, tracking)
            await asyncio.to_thread(self.app.record_position, tracking)
            self._count(topic, envelope, "skipped")
            return False
        applied = await asyncio.to_thread(self.app.process_incoming, Incoming(envelope, payload), tracking)
        if applied:
            self.applied += 1
        else:
            self.duplicates += 1
        self._count(topic, envelope, "applied" if applied else "duplicate")
        return applied

    @staticmethod
    def _count(topic: str, envelope: Envelope, outcome: str) -> None:
        PROCESSED.add(1, {"topic": topic, "event_type": envelope.event_type, "outcome": outcome})


def subscribe(
    broker: KafkaBroker, inbox: Inbox, topics: Sequence[str], group_id: str, description: str
) -> None:
    """Register one FastStream subscriber feeding the inbox from `topics`."""

    subscriber = broker.subscriber(
        *topics,
        group_id=group_id,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title=group_id,
        description=description,
    )
    inbox.subscribers.append((group_id, subscriber))  # its consumer's lag is a metric

    @subscriber
    async def handle(body: Envelope, msg: KafkaMessage) -> None:
        record: Any = msg.raw_message
        await inbox.deliver_or_back_off(body, record.topic, record.partition, record.offset, record.headers)
