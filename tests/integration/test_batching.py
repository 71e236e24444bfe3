"""Consumed events are applied a batch at a time and relayed without Kafka transactions
(ADR 0018): a batch that fails part-way changes nothing and comes again, a second copy of an
event is applied once, and a relay that dies part-way through a batch repeats nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

from aiokafka import AIOKafkaProducer
from eventsourcing.persistence import IntegrityError, Tracking

from dvc_contracts import parse
from dvc_kernel.application import Incoming
from dvc_kernel.inbox import Inbox, Record
from dvc_kernel.relay import NOTIFICATION_ID, STORE
from dvc_processing.application import ProcessingApplication
from dvc_testing import factories
from dvc_testing.relay_runs import RelayTopic, received_dossiers, relay_until_caught_up

StoreEnv = Callable[[str], dict[str, str]]
STORE_ID = "a-producer-store"


def submitted_record(position: int, dossier_id: UUID | None = None, offset: int | None = None) -> Record:
    """A Submitted as intake's relay publishes it: its store and notification id in headers."""
    dossier_id = dossier_id or uuid4()
    code = f"261123-{position:06d}-X"
    envelope = factories.envelope(factories.submitted(dossier_id, dossier_code=code), dossier_id)
    headers = [
        (NOTIFICATION_ID, str(position).encode()),
        (STORE, STORE_ID.encode()),
        ("event_type", b"Submitted"),
    ]
    return Record(
        "intake.dossier.v1", 0, position - 1 if offset is None else offset, envelope.to_bytes(), headers
    )


def processing_inbox(env: dict[str, str]) -> tuple[ProcessingApplication, Inbox]:
    """Processing on the store `env` names, and the inbox its consumers deliver batches to."""
    app = ProcessingApplication(env=env, catalog=factories.catalog_replica())
    return app, Inbox(app, handles=app.handles)


def cases(app: ProcessingApplication, records: list[Record]) -> list[Any]:
    return [app.case(parse(r.value)[1].dossier_id) for r in records]  # type: ignore[attr-defined]


async def test_a_batch_that_cannot_be_stored_changes_nothing_and_comes_again_once(
    store_env: StoreEnv,
) -> None:
    app, inbox = processing_inbox(store_env("processing"))
    records = [submitted_record(n) for n in range(1, 21)]
    insert = app.recorder.insert_events
    failing = True

    def dies_while_committing(*args: Any, **kwargs: Any) -> Any:
        nonlocal failing
        if failing and kwargs.get("trackings"):  # the batch's one transaction
            failing = False
            raise IntegrityError("the process died here")
        return insert(*args, **kwargs)

    app.recorder.insert_events = dies_while_committing  # type: ignore[method-assign]
    notifications_before = app.recorder.max_notification_id() or 0

    await inbox.deliver_records(records)  # whole batch refused once, then one at a time
    await inbox.deliver_records(records)  # and delivered again, as after a restart

    assert not failing
    assert inbox.applied == 20 and inbox.duplicates == 20
    assert all(case is not None for case in cases(app, records))
    # Each dossier received once: a case and its code index, no more.
    assert (app.recorder.max_notification_id() or 0) - notifications_before == 40
    app.close()


async def test_a_second_copy_of_an_event_in_the_same_or_a_later_batch_is_applied_once(
    store_env: StoreEnv,
) -> None:
    app, inbox = processing_inbox(store_env("processing"))
    first = [submitted_record(n) for n in range(1, 6)]
    # The relay died after Kafka took 3..5 and before it recorded so: it sent them again.
    copies = [submitted_record(n, parse(first[n - 1].value)[1].dossier_id, offset=n + 4) for n in (3, 4, 5)]  # type: ignore[attr-defined]

    await inbox.deliver_records([*first, *copies[:1]])
    await inbox.deliver_records(copies[1:])

    assert inbox.applied == 5 and inbox.duplicates == 3
    for record in first:
        dossier_id = parse(record.value)[1].dossier_id  # type: ignore[attr-defined]
        assert len(list(app.events.get(dossier_id))) == 1
    app.close()


async def test_events_the_service_does_not_handle_are_skipped_without_being_read() -> None:
    _, inbox = processing_inbox({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    unread = Record("processing.dossier.v1", 0, 0, b"not even JSON", [("event_type", b"Received")])

    await inbox.deliver_records([unread, submitted_record(1)])

    assert inbox.skipped == 1 and inbox.applied == 1


async def test_a_relay_that_dies_after_part_of_a_batch_was_sent_repeats_nothing(
    relay_topic: RelayTopic, store_env: StoreEnv
) -> None:
    app = ProcessingApplication(env=store_env("processing"), catalog=factories.catalog_replica())
    received_dossiers(app, 30)
    relay = relay_topic.relay(app)
    send = AIOKafkaProducer.send
    sent = 0

    async def dies_after_twelve(self: AIOKafkaProducer, *args: Any, **kwargs: Any) -> Any:
        nonlocal sent
        sent += 1
        if sent == 13:
            raise ConnectionError("the process died after Kafka took 12 of the batch")
        return await send(self, *args, **kwargs)

    AIOKafkaProducer.send = dies_after_twelve  # type: ignore[method-assign]
    try:
        await relay_until_caught_up(relay)
    finally:
        AIOKafkaProducer.send = send  # type: ignore[method-assign]

    assert sent > 13  # it died once, and went on after a restart
    ids = await relay_topic.event_ids()
    assert len(ids) == 30 == len(set(ids))
    app.close()


async def test_waiting_relays_are_woken_by_a_commit_not_by_polling(store_env: StoreEnv) -> None:
    app = ProcessingApplication(env=store_env("processing"), catalog=factories.catalog_replica())
    woken = app.commits.subscribe()
    fired_before = app.commits.fired

    payload = factories.submitted(uuid4())
    await asyncio.to_thread(
        app.process_incoming,
        Incoming(factories.envelope(payload, payload.dossier_id), payload),
        Tracking("t:0", 1),
    )
    async with asyncio.timeout(5):
        await woken.wait()

    assert app.commits.fired == fired_before + 1
    app.commits.unsubscribe(woken)
    app.close()
