"""The broker's own pace: raw aiokafka produce-and-consume of messages the sizes of those our
pipeline moved, on the same broker once the services are stopped, with nothing of ours in
between. The messages our pipeline moves per second at its sustained rate are reported as a
fraction of it."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from dvc_kernel import kafka_security
from dvc_kernel.kafka_topics import topic_partitions

TOPIC = "bench.baseline"
# A producer tuned for throughput, as a relay batching its events can be: wait up to 10 ms to
# fill batches of up to 512 KB, instead of aiokafka's 0 ms and 16 KB.
PRODUCER_SETTINGS = {"linger_ms": 10, "max_batch_size": 512 * 1024}


@dataclass(frozen=True)
class BaselineResult:
    messages: int
    message_bytes: int  # their mean size
    seconds: float  # first send to last message consumed

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "message_bytes": self.message_bytes,
            "seconds": self.seconds,
            "messages_per_s": self.rate,
            "producer": {"acks": "all", "enable_idempotence": True, **PRODUCER_SETTINGS},
            "consumer": {"isolation_level": "read_committed"},
        }


async def produce_and_consume(
    bootstrap: str, messages: int, sizes: Sequence[int], partitions: int, patience: float = 300
) -> BaselineResult:
    """`messages` keyed messages, their sizes taken in turn from `sizes`, produced as fast as the
    producer takes them (idempotent, acks=all, as our relay's producer, batching as above) while
    a consumer (read_committed, as our services read) reads them back; timed from the first send
    to the last message read."""
    sizes = list(sizes) or [1024]
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **kafka_security.client_options())
    await admin.start()
    try:
        if TOPIC not in await admin.list_topics():
            await admin.create_topics([NewTopic(TOPIC, partitions, 1)])
    finally:
        await admin.close()
    tps = await topic_partitions(bootstrap, [TOPIC])
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        **kafka_security.client_options(),
        group_id=None,
        enable_auto_commit=False,
        isolation_level="read_committed",
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        **kafka_security.client_options(),
        acks="all",
        enable_idempotence=True,
        **PRODUCER_SETTINGS,
    )
    await consumer.start()
    await producer.start()
    try:
        consumer.assign(tps)
        for tp, end in (await consumer.end_offsets(tps)).items():
            consumer.seek(tp, end)
        for tp in tps:
            await consumer.position(tp)
        blob = os.urandom(max(sizes))
        payloads = [blob[:n] for n in sizes]

        async def read_all() -> float:
            count = 0
            while count < messages:
                batches = await consumer.getmany(timeout_ms=500)
                count += sum(len(records) for records in batches.values())
            return time.monotonic()

        reading = asyncio.create_task(read_all())
        started = time.monotonic()
        pending = [
            await producer.send(TOPIC, payloads[i % len(payloads)], key=uuid.uuid4().bytes)
            for i in range(messages)
        ]
        await asyncio.gather(*pending)
        finished = await asyncio.wait_for(reading, patience)
        mean = round(sum(len(payloads[i % len(payloads)]) for i in range(messages)) / messages)
        return BaselineResult(messages, mean, finished - started)
    finally:
        await producer.stop()
        await consumer.stop()
