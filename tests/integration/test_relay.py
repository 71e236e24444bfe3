"""The relay publishes every stored event once, in order, across restarts and crashes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from dvc_contracts import parse
from dvc_processing.application import ProcessingApplication
from dvc_testing import factories
from dvc_testing.relay_runs import RelayTopic, received_dossiers, relay_until_caught_up

StoreEnv = Callable[[str], dict[str, str]]


def processing(store_env: StoreEnv, name: str = "processing") -> ProcessingApplication:
    return ProcessingApplication(env=store_env(name), catalog=factories.catalog_replica())


async def test_relay_resumes_after_a_restart_with_nothing_lost_or_repeated(
    relay_topic: RelayTopic, store_env: StoreEnv
) -> None:
    env = store_env("processing")
    app = ProcessingApplication(env=env, catalog=factories.catalog_replica())
    received_dossiers(app, 30)
    await relay_until_caught_up(relay_topic.relay(app))
    app.close()

    restarted = ProcessingApplication(
        env=env, catalog=factories.catalog_replica()
    )  # a new process over the same store
    received_dossiers(restarted, 30, start=30)
    relay = relay_topic.relay(restarted)
    await relay_until_caught_up(relay)

    ids = await relay_topic.event_ids()
    assert len(ids) == 60
    assert len(set(ids)) == 60
    assert relay.position == restarted.recorder.max_notification_id()


async def test_a_crash_after_publishing_and_before_tracking_repeats_nothing(
    relay_topic: RelayTopic, store_env: StoreEnv
) -> None:
    app = processing(store_env)
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
    await relay_until_caught_up(relay_topic.relay(app))

    assert crashed
    ids = await relay_topic.event_ids()
    assert len(ids) == 25 == len(set(ids))


async def test_each_aggregate_keeps_its_key_and_a_hash_chain(
    relay_topic: RelayTopic, store_env: StoreEnv
) -> None:
    app = processing(store_env)
    received_dossiers(app, 5)
    await relay_until_caught_up(relay_topic.relay(app, "processing-chain"))
    for record in await relay_topic.read(relay_topic.name):
        envelope, _ = parse(record.value or b"")
        assert record.key == envelope.subject.encode()
        assert envelope.hash == envelope.computed_hash()
        assert envelope.prev_hash is None  # each dossier here has one public event
        headers = dict(record.headers)
        assert json.loads(headers["notification_id"]) >= 1


async def test_a_new_store_on_an_old_topic_is_relayed_from_its_beginning(
    relay_topic: RelayTopic, store_env: StoreEnv
) -> None:
    """A store restored or reset while the topic keeps the earlier store's messages: those
    messages must not be taken for this store's progress."""
    old = processing(store_env, "old")
    received_dossiers(old, 10)
    await relay_until_caught_up(relay_topic.relay(old))
    new = processing(store_env, "new")
    received_dossiers(new, 4, start=100)
    await relay_until_caught_up(relay_topic.relay(new))
    ids = await relay_topic.event_ids()
    assert len(ids) == 14 == len(set(ids))
