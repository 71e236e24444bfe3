"""The broker's own pace: raw aiokafka produce-and-consume of messages the size of our dossier
events, on the same broker, with nothing of ours in between. Our end-to-end rate is reported
as a fraction of it."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from dvc_kernel.kafka_topics import topic_partitions

TOPIC = "bench.baseline"


@dataclass(frozen=True)
class BaselineResult:
    messages: int
    message_bytes: int
    seconds: float  # first send to last message consumed

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else 0.0

    def as_json(self) -> dict[str, float]:
        return {
            "messages": self.messages,
            "message_bytes": self.message_bytes,
            "seconds": self.seconds,
            "messages_per_s": self.rate,
        }


async def produce_and_consume(
    bootstrap: str, messages: int, size: int, partitions: int, patience: float = 300
) -> BaselineResult:
    """`messages` keyed messages of `size` bytes, produced as fast as the producer takes them
    (idempotent, acks=all, as our relay's producer) while a consumer (read_committed, as our
    services read) reads them back; timed from the first send to the last message read."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        if TOPIC not in await admin.list_topics():
            await admin.create_topics([NewTopic(TOPIC, partitions, 1)])
    finally:
        await admin.close()
    tps = await topic_partitions(bootstrap, [TOPIC])
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, isolation_level="read_committed"
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await consumer.start()
    await producer.start()
    try:
        consumer.assign(tps)
        for tp, end in (await consumer.end_offsets(tps)).items():
            consumer.seek(tp, end)
        for tp in tps:
            await consumer.position(tp)
        payload = os.urandom(size)

        async def read_all() -> float:
            count = 0
            while count < messages:
                batches = await consumer.getmany(timeout_ms=500)
                count += sum(len(records) for records in batches.values())
            return time.monotonic()

        reading = asyncio.create_task(read_all())
        started = time.monotonic()
        pending = [await producer.send(TOPIC, payload, key=uuid.uuid4().bytes) for _ in range(messages)]
        await asyncio.gather(*pending)
        finished = await asyncio.wait_for(reading, patience)
        return BaselineResult(messages, size, finished - started)
    finally:
        await producer.stop()
        await consumer.stop()
