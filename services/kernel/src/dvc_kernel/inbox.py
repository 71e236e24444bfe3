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

from eventsourcing.persistence import Tracking
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from dvc_contracts import Envelope
from dvc_contracts.registry import UnknownEventType, payload_of

from .application import Incoming, ServiceApplication

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

    async def deliver_or_back_off(self, envelope: Envelope, topic: str, partition: int, offset: int) -> None:
        """Deliver; on failure wait (exponentially longer each time) before the message comes
        again, so a message that cannot be applied yet neither spins nor floods the logs."""
        key = (topic, partition, offset)
        try:
            await self.deliver(envelope, topic, partition, offset)
        except Exception:
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
            await asyncio.sleep(delay)
            raise
        self._failures.pop(key, None)

    async def deliver(self, envelope: Envelope, topic: str, partition: int, offset: int) -> bool:
        tracking = tracking_for(topic, partition, offset)
        try:
            payload = payload_of(envelope)
        except UnknownEventType:
            # A newer producer's event type: track it so the partition keeps moving.
            log.warning("skipping unknown event type %s at %s", envelope.event_type, tracking)
            await asyncio.to_thread(self.app.record_position, tracking)
            return False
        applied = await asyncio.to_thread(self.app.process_incoming, Incoming(envelope, payload), tracking)
        if applied:
            self.applied += 1
        else:
            self.duplicates += 1
        return applied


def subscribe(
    broker: KafkaBroker, inbox: Inbox, topics: Sequence[str], group_id: str, description: str
) -> None:
    """Register one FastStream subscriber feeding the inbox from `topics`."""

    @broker.subscriber(
        *topics,
        group_id=group_id,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title=group_id,
        description=description,
    )
    async def handle(body: Envelope, msg: KafkaMessage) -> None:
        record = msg.raw_message
        await inbox.deliver_or_back_off(body, record.topic, record.partition, record.offset)  # type: ignore[union-attr]
