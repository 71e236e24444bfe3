"""The broker the platform relies on: a real Kafka, with the guarantees our services assume."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from dvc_contracts.topics import ALL_TOPICS, TopicSpec
from dvc_kernel.kafka_topics import ensure_topics
from dvc_testing import container_engine_answers

pytestmark = pytest.mark.kafka


@pytest.fixture
async def admin(kafka_bootstrap: str) -> AsyncIterator[Any]:
    client = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await client.start()
    yield client
    await client.close()


@pytest.fixture
async def scratch_topic(admin: Any) -> str:
    """A fresh one-partition topic, so no test writes into the contract topics."""
    name = f"test.broker.{uuid.uuid4().hex[:12]}"
    await admin.create_topics([NewTopic(name, 1, 1)])
    return name


async def topic_configs(admin: Any, name: str) -> dict[str, str]:
    [response] = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name)])
    [(_code, _msg, _type, _name, entries)] = response.resources
    return {entry[0]: entry[1] for entry in entries}


async def read_all(bootstrap: str, topic: str, until: bytes, isolation: str) -> list[bytes]:
    """Values of `topic` from the beginning up to and including `until`."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, isolation_level=isolation)
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        await consumer.seek_to_beginning(tp)
        values: list[bytes] = []
        while until not in values:
            record = await asyncio.wait_for(consumer.getone(), 20)
            values.append(record.value)
        return values
    finally:
        await consumer.stop()


async def test_produce_consume_round_trip(kafka_bootstrap: str, scratch_topic: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()
    try:
        meta = await producer.send_and_wait(scratch_topic, b"xin chao", key=b"HS-001")
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap)
    await consumer.start()
    try:
        tp = TopicPartition(scratch_topic, meta.partition)
        consumer.assign([tp])
        consumer.seek(tp, meta.offset)
        record = await asyncio.wait_for(consumer.getone(), 20)
    finally:
        await consumer.stop()
    assert (record.key, record.value) == (b"HS-001", b"xin chao")


async def test_contract_topics_exist_with_partitions(admin: Any) -> None:
    expected = int(os.environ.get("KAFKA_TOPIC_PARTITIONS", "3"))
    described = await admin.describe_topics([spec.name for spec in ALL_TOPICS])
    partitions = {t["topic"]: len(t["partitions"]) for t in described if t["error_code"] == 0}
    assert set(partitions) == {spec.name for spec in ALL_TOPICS}
    # ensure_topics never shrinks, so a shared cluster may have more.
    assert all(count >= expected for count in partitions.values()), partitions


async def test_dossier_topics_keep_events_forever_and_catalog_is_compacted(admin: Any) -> None:
    for spec in ALL_TOPICS:
        cfg = await topic_configs(admin, spec.name)
        if spec.keep_forever:
            assert (cfg["retention.ms"], cfg["retention.bytes"]) == ("-1", "-1"), spec.name
        if spec.name.startswith("catalog."):
            assert cfg["cleanup.policy"] == "compact", spec.name
    keep = {s.name for s in ALL_TOPICS if s.keep_forever}
    assert {"intake.dossier.v1", "processing.dossier.v1"} <= keep


async def test_ensure_topics_repairs_drift_grows_and_never_shrinks(kafka_bootstrap: str, admin: Any) -> None:
    spec = TopicSpec(f"test.ensure.{uuid.uuid4().hex[:12]}", "test", "thing", "", keep_forever=True)
    await ensure_topics(kafka_bootstrap, partitions=1, specs=[spec])
    # Someone shortens retention and tunes another key by hand.
    drifted = {"retention.ms": "1000", "max.message.bytes": "2000000"}
    await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, spec.name, drifted)])

    await ensure_topics(kafka_bootstrap, partitions=2, specs=[spec])
    await ensure_topics(kafka_bootstrap, partitions=1, specs=[spec])

    [described] = await admin.describe_topics([spec.name])
    assert len(described["partitions"]) == 2
    cfg = await topic_configs(admin, spec.name)
    assert cfg["retention.ms"] == "-1"
    assert cfg["max.message.bytes"] == "2000000"  # incremental: keys outside the spec survive


async def test_transactions_hide_aborted_records_from_read_committed(
    kafka_bootstrap: str, scratch_topic: str
) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap, transactional_id=f"test-tx-{uuid.uuid4().hex}"
    )
    await producer.start()
    try:
        async with producer.transaction():
            await producer.send_and_wait(scratch_topic, b"committed-1")
        await producer.begin_transaction()
        await producer.send_and_wait(scratch_topic, b"aborted")
        await producer.abort_transaction()
        async with producer.transaction():
            await producer.send_and_wait(scratch_topic, b"committed-2")
    finally:
        await producer.stop()

    committed = await read_all(kafka_bootstrap, scratch_topic, b"committed-2", "read_committed")
    assert committed == [b"committed-1", b"committed-2"]
    # The aborted record did reach the log: only the isolation level hides it.
    raw = await read_all(kafka_bootstrap, scratch_topic, b"committed-2", "read_uncommitted")
    assert raw == [b"committed-1", b"aborted", b"committed-2"]


async def test_idempotent_producer_with_acks_all(kafka_bootstrap: str, scratch_topic: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        sent = [producer.send(scratch_topic, f"event-{i}".encode(), key=b"HS-42") for i in range(200)]
        metas = await asyncio.gather(*[await fut for fut in sent])
    finally:
        await producer.stop()
    assert [m.offset for m in metas] == list(range(metas[0].offset, metas[0].offset + 200))
    values = await read_all(kafka_bootstrap, scratch_topic, b"event-199", "read_committed")
    assert values == [f"event-{i}".encode() for i in range(200)]


def test_container_probe_fails_fast_without_an_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix:///tmp/no-such-engine-{uuid.uuid4().hex}.sock")
    started = time.monotonic()
    assert container_engine_answers() is False
    assert time.monotonic() - started < 2
