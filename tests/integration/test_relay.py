"""The relay publishes every stored event once, in order, across restarts and crashes."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import uuid4

from aiokafka import ConsumerRecord

from dvc_contracts import parse
from dvc_kernel.envelopes import Outgoing
from dvc_kernel.relay import Relay
from dvc_processing.application import ProcessingApplication
from dvc_processing.translation import translate
from dvc_testing import factories
from dvc_testing.relay_runs import received_dossiers, relay_until_caught_up

Reader = Callable[[str], Awaitable[list[ConsumerRecord[bytes, bytes]]]]


StoreEnv = Callable[[str], dict[str, str]]


def to_topic(topic: str) -> Callable[[Any], Outgoing | None]:
    def _translate(event: Any) -> Outgoing | None:
        out = translate(event)
        return dataclasses.replace(out, topic=topic) if out else None

    return _translate


def event_ids(records: list[ConsumerRecord[bytes, bytes]]) -> list[str]:
    return [str(parse(r.value or b"")[0].event_id) for r in records]


async def test_relay_resumes_after_a_restart_with_nothing_lost_or_repeated(
    kafka_bootstrap: str,
    fresh_topic: Callable[[int], Awaitable[str]],
    read_topic: Reader,
    store_env: StoreEnv,
) -> None:
    topic = await fresh_topic(3)
    producer = f"processing-{uuid4().hex[:8]}"
    env = store_env("processing")
    app = ProcessingApplication(env=env, catalog=factories.catalog_replica())
    received_dossiers(app, 30)
    await relay_until_caught_up(
        Relay(app, to_topic(topic), producer=producer, topics=[topic], bootstrap=kafka_bootstrap)
    )
    app.close()

    restarted = ProcessingApplication(
        env=env, catalog=factories.catalog_replica()
    )  # a new process over the same store
    received_dossiers(restarted, 30, start=30)
    relay = Relay(restarted, to_topic(topic), producer=producer, topics=[topic], bootstrap=kafka_bootstrap)
    await relay_until_caught_up(relay)

    ids = event_ids(await read_topic(topic))
    assert len(ids) == 60
    assert len(set(ids)) == 60
    assert relay.position == restarted.recorder.max_notification_id()


async def test_a_crash_after_publishing_and_before_tracking_repeats_nothing(
    kafka_bootstrap: str,
    fresh_topic: Callable[[int], Awaitable[str]],
    read_topic: Reader,
    store_env: StoreEnv,
) -> None:
    topic = await fresh_topic(3)
    producer = f"processing-{uuid4().hex[:8]}"
    app = ProcessingApplication(env=store_env("processing"), catalog=factories.catalog_replica())
    received_dossiers(app, 25)
    crashed = False
    record_position = app.record_position

    def crash_once(tracking: Any) -> None:
        nonlocal crashed
        if not crashed:
            crashed = True
            raise RuntimeError("process died after the Kafka commit")
        record_position(tracking)

    app.record_position = crash_once  # type: ignore[method-assign]
    relay = Relay(app, to_topic(topic), producer=producer, topics=[topic], bootstrap=kafka_bootstrap)
    await relay_until_caught_up(relay)

    assert crashed
    ids = event_ids(await read_topic(topic))
    assert len(ids) == 25 == len(set(ids))


async def test_each_aggregate_keeps_its_key_and_a_hash_chain(
    kafka_bootstrap: str,
    fresh_topic: Callable[[int], Awaitable[str]],
    read_topic: Reader,
    store_env: StoreEnv,
) -> None:
    topic = await fresh_topic(3)
    app = ProcessingApplication(env=store_env("processing"), catalog=factories.catalog_replica())
    received_dossiers(app, 5)
    await relay_until_caught_up(
        Relay(app, to_topic(topic), producer="processing-chain", topics=[topic], bootstrap=kafka_bootstrap)
    )
    for record in await read_topic(topic):
        envelope, _ = parse(record.value or b"")
        assert record.key == envelope.subject.encode()
        assert envelope.hash == envelope.computed_hash()
        assert envelope.prev_hash is None  # each dossier here has one public event
        headers = dict(record.headers)
        assert json.loads(headers["notification_id"]) >= 1


async def test_a_new_store_on_an_old_topic_is_relayed_from_its_beginning(
    kafka_bootstrap: str,
    fresh_topic: Callable[[int], Awaitable[str]],
    read_topic: Reader,
    store_env: StoreEnv,
) -> None:
    """A store restored or reset while the topic keeps the earlier store's messages: those
    messages must not be taken for this store's progress."""
    topic = await fresh_topic(3)
    producer = f"processing-{uuid4().hex[:8]}"
    old = ProcessingApplication(env=store_env("old"), catalog=factories.catalog_replica())
    received_dossiers(old, 10)
    await relay_until_caught_up(
        Relay(old, to_topic(topic), producer=producer, topics=[topic], bootstrap=kafka_bootstrap)
    )
    new = ProcessingApplication(env=store_env("new"), catalog=factories.catalog_replica())
    received_dossiers(new, 4, start=100)
    await relay_until_caught_up(
        Relay(new, to_topic(topic), producer=producer, topics=[topic], bootstrap=kafka_bootstrap)
    )
    ids = event_ids(await read_topic(topic))
    assert len(ids) == 14 == len(set(ids))
