"""Consumed events are applied once, and a consumer group spreads partitions over instances."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from uuid import UUID, uuid4

from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker

from dvc_contracts import Envelope
from dvc_kernel.inbox import Inbox, subscribe
from dvc_processing.application import ProcessingApplication
from dvc_testing import factories


def submitted_envelope(dossier_id: UUID) -> Envelope:
    # Every dossier has a code of its own, as intake guarantees.
    code = f"261123-{str(dossier_id.int)[:6]}-{dossier_id.hex[:1].upper()}"
    return factories.envelope(factories.submitted(dossier_id, dossier_code=code), dossier_id)


async def produce(bootstrap: str, topic: str, dossier_ids: list[UUID]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for dossier_id in dossier_ids:
            await producer.send_and_wait(
                topic, submitted_envelope(dossier_id).to_bytes(), key=str(dossier_id).encode()
            )
    finally:
        await producer.stop()


async def consume_until(
    bootstrap: str, topic: str, group: str, inbox: Inbox, done: Callable[[], bool], timeout: float = 60
) -> None:
    broker = KafkaBroker(bootstrap)
    subscribe(broker, inbox, [topic], group_id=group, description="test")
    await broker.start()
    try:
        async with asyncio.timeout(timeout):
            while not done():
                await asyncio.sleep(0.05)
    finally:  # as the service shell stops: commit what was applied, then stop consuming
        await inbox.commit_offsets()
        await broker.stop()


async def test_a_redelivered_message_changes_nothing(
    kafka_bootstrap: str,
    fresh_topic: Callable[[int], Awaitable[str]],
    store_env: Callable[[str], dict[str, str]],
) -> None:
    topic = await fresh_topic(3)
    dossiers = [uuid4() for _ in range(20)]
    await produce(kafka_bootstrap, topic, dossiers)
    app = ProcessingApplication(env=store_env("processing"))
    inbox = Inbox(app)
    await consume_until(kafka_bootstrap, topic, "processing-a", inbox, lambda: inbox.applied == 20)
    notifications_before = app.recorder.max_notification_id()

    # Another group reads the same topic from offset 0: every message is delivered again.
    await consume_until(kafka_bootstrap, topic, "processing-b", inbox, lambda: inbox.duplicates == 20)

    assert inbox.applied == 20
    assert app.recorder.max_notification_id() == notifications_before
    for dossier_id in dossiers:
        assert len(list(app.events.get(dossier_id))) == 1


def assigned(broker: KafkaBroker) -> bool:
    consumers = [sub.consumer for sub in broker.subscribers]  # type: ignore[attr-defined]
    return all(c is not None and c.assignment() for c in consumers)


async def test_two_instances_in_one_group_share_the_partitions(
    kafka_bootstrap: str,
    fresh_topic: Callable[[int], Awaitable[str]],
    store_env: Callable[[str], dict[str, str]],
) -> None:
    topic = await fresh_topic(4)
    group = f"processing-{uuid4().hex[:6]}"
    apps = [ProcessingApplication(env=store_env(name)) for name in ("one", "two")]
    inboxes = [Inbox(app) for app in apps]
    seen: list[set[int]] = [set(), set()]
    brokers = []
    for index, inbox in enumerate(inboxes):
        deliver = inbox.deliver_records

        async def spy(records: Sequence[Any], group: str = "", _deliver=deliver, _seen=seen[index]) -> None:  # type: ignore[no-untyped-def]
            _seen.update(record.partition for record in records)
            await _deliver(records, group)

        inbox.deliver_records = spy  # type: ignore[method-assign]
        broker = KafkaBroker(kafka_bootstrap)
        subscribe(broker, inbox, [topic], group_id=group, description="test")
        brokers.append(broker)
    for broker in brokers:
        await broker.start()
    try:
        # Both members hold partitions before anything is produced, so none moves mid-test.
        async with asyncio.timeout(30):
            while not all(assigned(broker) for broker in brokers):
                await asyncio.sleep(0.1)
        dossiers = [uuid4() for _ in range(60)]
        await produce(kafka_bootstrap, topic, dossiers)
        async with asyncio.timeout(60):
            while sum(i.applied for i in inboxes) < 60:
                await asyncio.sleep(0.05)
    finally:
        for inbox, broker in zip(inboxes, brokers, strict=True):
            await inbox.commit_offsets()
            await broker.stop()

    assert seen[0] and seen[1], f"one instance got no partition: {seen}"
    assert not seen[0] & seen[1]
    assert seen[0] | seen[1] == {0, 1, 2, 3}
    received = [d for d in dossiers if any(app.case(d) for app in apps)]
    assert len(received) == 60
    assert sum(i.duplicates for i in inboxes) == 0
