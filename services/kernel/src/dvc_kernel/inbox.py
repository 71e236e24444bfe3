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


class Inbox:
    def __init__(self, app: ServiceApplication) -> None:
        self.app = app
        self.applied = 0
        self.duplicates = 0

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
        await inbox.deliver(body, record.topic, record.partition, record.offset)  # type: ignore[union-attr]
