"""A message that keeps failing is set aside as a dead letter; its partition moves on (ADR 0020).

The poison is the one the hostile test found: a lodging notice whose guest arrives at
9999-12-31T23:00:00+07:00, which processing's lodging consumer cannot judge (the due time
overflows). Before, it was retried for ever and every notice behind it waited.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

import pytest
from aiokafka import AIOKafkaProducer
from eventsourcing.persistence import IntegrityError
from fastapi import FastAPI
from fastapi.testclient import TestClient
from faststream.kafka import KafkaBroker

from dvc_contracts import Envelope
from dvc_contracts.inbox import InboxDeadLetter
from dvc_contracts.lodging import Guest, LodgingNoticeFiled
from dvc_contracts.registry import payload_of
from dvc_contracts.topics import dead_letter_spec, dead_letter_topic
from dvc_kernel import dead_letters, dead_letters_cli
from dvc_kernel.application import Incoming
from dvc_kernel.auth.fastapi import install_auth
from dvc_kernel.dead_letters import DeadLetter, NotPending, StillFailing
from dvc_kernel.errors import install_error_handlers
from dvc_kernel.inbox import Inbox, Record, subscribe
from dvc_kernel.kafka_topics import ensure_topics
from dvc_kernel.relay import Relay
from dvc_processing.application import ProcessingApplication
from dvc_processing.translation import translate
from dvc_testing import factories
from dvc_testing.tokens import TestTokens

HANOI = timezone(timedelta(hours=7))
GROUP = "processing"


def notice(arrived_at: datetime, notice_id: UUID | None = None) -> Envelope:
    notice_id = notice_id or uuid4()
    filed = LodgingNoticeFiled(
        notice_id=notice_id,
        notice_code=f"LT-261124-{notice_id.hex[:4]}",
        host_account="host-1",
        establishment="Nhà nghỉ Hoa Sen",
        ward_code="00004",
        address="12 Phố Đội Cấn",
        unit_code="CAP-HN-BD-DC",
        guests=[
            Guest(
                id_number="079203000123",
                full_name="Trần Văn Nam",
                date_of_birth=date(2003, 2, 1),
                arrived_at=arrived_at,
                stay_from=date(2026, 11, 23),
                stay_until=date(2026, 11, 25),
            )
        ],
        filed_at=datetime(2026, 11, 24, 7, 0, tzinfo=HANOI),
    )
    return factories.envelope(filed, notice_id, producer="intake")


POISON_ARRIVAL = datetime(9999, 12, 31, 23, 0, tzinfo=HANOI)
FINE_ARRIVAL = datetime(2026, 11, 23, 22, 0, tzinfo=HANOI)


def record(envelope: Envelope, offset: int, topic: str = "intake.lodging.v1") -> Record:
    headers = [("event_type", envelope.event_type.encode()), ("event_id", str(envelope.event_id).encode())]
    return Record(topic, 0, offset, envelope.to_bytes(), headers, key=envelope.subject.encode())


def applied_notices(app: ProcessingApplication, envelopes: list[Envelope]) -> list[int]:
    """How many events each notice has in processing's store (1: received once)."""
    return [len(list(app.events.get(UUID(e.subject)))) for e in envelopes]


async def deliver_until_through(inbox: Inbox, records: list[Record]) -> int:
    """Hand the records over as the consumer does: after a failure it seeks back and they come
    again. Returns how many deliveries failed."""
    failures = 0
    while True:
        try:
            await inbox.deliver_records(records, GROUP)
            return failures
        except Exception:
            failures += 1
            assert failures < 10, "the partition never moved on"


def with_a_bug(app: ProcessingApplication, failing: set[str]) -> None:
    """A policy that raises for these notices every time (a bug in a release)."""
    policy = app.on_incoming

    def on_incoming(incoming: Incoming, processing_event: Any) -> None:
        if incoming.envelope.subject in failing:
            raise RuntimeError("a bug in this release")
        policy(incoming, processing_event)

    app.on_incoming = on_incoming  # type: ignore[method-assign]


async def test_a_message_that_keeps_failing_is_set_aside_and_the_ones_behind_it_are_applied_once(
    store_env: Callable[[str], dict[str, str]],
) -> None:
    env = store_env("processing")
    app = ProcessingApplication(env=env, catalog=factories.catalog_replica())
    bad = notice(FINE_ARRIVAL)
    with_a_bug(app, {bad.subject})
    fine = [notice(FINE_ARRIVAL) for _ in range(3)]
    records = [record(e, offset) for offset, e in enumerate([bad, *fine])]
    inbox = Inbox(app, max_attempts=3)

    started = time.monotonic()
    failures = await deliver_until_through(inbox, records)

    # Tried three times in place (0.4 s and 0.8 s of back-off between), then set aside: the
    # consumer never had to seek back and wait for a redelivery.
    assert failures == 0 and 1.2 <= time.monotonic() - started < 5
    assert inbox.dead_letters == 1
    assert applied_notices(app, fine) == [1, 1, 1]
    assert applied_notices(app, [bad]) == [0]
    [letter] = dead_letters.pending(app)
    assert (letter.group, letter.topic, letter.partition, letter.offset) == (GROUP, "intake.lodging.v1", 0, 0)
    assert letter.attempts == 3 and letter.error == "RuntimeError: a bug in this release"
    assert letter.value == bad.to_bytes()
    assert letter.event_type == "LodgingNoticeFiled"
    assert base64.b64decode(letter.key_b64 or "") == bad.subject.encode()

    # Delivered again (a rebalance, a restart that lost the committed offsets): nothing happens.
    restarted = ProcessingApplication(env=env, catalog=factories.catalog_replica())
    with_a_bug(restarted, {bad.subject})
    again = Inbox(restarted, max_attempts=3)
    assert await deliver_until_through(again, records) == 0
    assert again.dead_letters == 0 and again.applied == 0
    assert applied_notices(app, fine) == [1, 1, 1]
    assert len(dead_letters.pending(app)) == 1
    restarted.close()
    app.close()


async def test_the_year_9999_notice_is_set_aside_at_once_and_the_operator_discards_it(
    store_env: Callable[[str], dict[str, str]],
) -> None:
    """No retry can judge an arrival in year 9999: processing says so (`CannotApply`) and the
    inbox sets it aside at the first attempt."""
    app = ProcessingApplication(env=store_env("processing"), catalog=factories.catalog_replica())
    poison = notice(POISON_ARRIVAL)
    fine = [notice(FINE_ARRIVAL) for _ in range(3)]
    inbox = Inbox(app, max_attempts=5)

    failures = await deliver_until_through(inbox, [record(e, o) for o, e in enumerate([poison, *fine])])

    assert failures == 0 and inbox.dead_letters == 1
    assert applied_notices(app, fine) == [1, 1, 1]
    [letter] = dead_letters.pending(app)
    assert letter.attempts == 1 and letter.error.startswith("CannotApply: lodging notice")
    # The operator: replaying it fails the same way and keeps it; discarding it ends it.
    with pytest.raises(StillFailing, match="CannotApply"):
        dead_letters.replay(app, letter.id, "operator-1")
    assert dead_letters.discard(app, letter.id, "operator-1", "ngày đến không có thật").status == "discarded"
    assert dead_letters.pending(app) == []
    with pytest.raises(NotPending):
        dead_letters.discard(app, letter.id, "operator-1", "again")
    app.close()


async def test_two_failing_messages_each_count_their_own_attempts(
    store_env: Callable[[str], dict[str, str]],
) -> None:
    """Before, the failure count was kept for one message only, so two failing messages on two
    partitions reset each other's count and neither was ever given up. Here each is handed back
    to Kafka after every attempt (no group known to the first deliveries), then counted on."""
    app = ProcessingApplication(env=store_env("processing"), catalog=factories.catalog_replica())
    first, second = notice(FINE_ARRIVAL), notice(FINE_ARRIVAL)
    with_a_bug(app, {first.subject, second.subject})
    inbox = Inbox(app, max_attempts=3)
    one = Record("intake.lodging.v1", 0, 5, first.to_bytes(), [])
    two = Record("intake.lodging.v1", 1, 9, second.to_bytes(), [])
    for _ in range(2):
        for each in (one, two):
            with contextlib.suppress(Exception):
                await inbox.deliver_records([each])  # no group: tried once, handed back
    assert inbox.dead_letters == 0
    for each in (one, two):
        await inbox.deliver_records([each], GROUP)  # the third attempt of each sets it aside
    assert inbox.dead_letters == 2
    assert [d.attempts for d in dead_letters.pending(app)] == [3, 3]
    assert sorted((d.partition, d.offset) for d in dead_letters.pending(app)) == [(0, 5), (1, 9)]
    app.close()


async def test_a_replayed_letter_is_applied_once(store_env: Callable[[str], dict[str, str]]) -> None:
    """A message that failed for a reason since removed (here: a policy that refused it) is
    applied by the replay, once; a second replay is refused."""
    app = ProcessingApplication(env=store_env("processing"), catalog=factories.catalog_replica())
    envelope = notice(FINE_ARRIVAL)
    policy = app.on_incoming
    broken = True

    def on_incoming(incoming: Incoming, processing_event: Any) -> None:
        if broken:
            raise RuntimeError("a bug, fixed in the next release")
        policy(incoming, processing_event)

    app.on_incoming = on_incoming  # type: ignore[method-assign]
    inbox = Inbox(app, max_attempts=2)
    await deliver_until_through(inbox, [record(envelope, 41)])
    [letter] = dead_letters.pending(app)
    assert applied_notices(app, [envelope]) == [0]

    broken = False
    assert dead_letters.replay(app, letter.id, "operator-1").status == "replayed"
    assert applied_notices(app, [envelope]) == [1]
    with pytest.raises(NotPending):
        dead_letters.replay(app, letter.id, "operator-1")
    assert applied_notices(app, [envelope]) == [1]
    assert dead_letters.pending(app) == []
    app.close()


def test_a_dead_letter_is_published_as_its_own_contract(store_env: Callable[[str], dict[str, str]]) -> None:
    app = ProcessingApplication(env=store_env("processing"), catalog=factories.catalog_replica())
    poison = notice(POISON_ARRIVAL)
    stored = dead_letters.set_aside(
        app, record(poison, 7), GROUP, "intake.lodging.v1:0", 8, OverflowError("date value out of range"), 5
    )
    assert stored and app.tracked("intake.lodging.v1:0") == 8
    [letter] = dead_letters.pending(app)
    [filed] = list(app.events.get(letter.id))
    out = dead_letters.translating_dead_letters(translate, "processing")(filed)
    assert out is not None and out.topic == dead_letter_topic(GROUP) == "dlq.processing.v1"
    assert out.key == str(letter.id)  # the hash chain's subject; the original key is inside
    payload = out.payload
    assert isinstance(payload, InboxDeadLetter)
    assert (payload.original_topic, payload.original_partition, payload.original_offset) == (
        "intake.lodging.v1",
        0,
        7,
    )
    assert base64.b64decode(payload.value_b64) == poison.to_bytes()
    assert payload.error == "OverflowError: date value out of range" and payload.attempts == 5
    # Already tracked: setting it aside again writes nothing.
    assert not dead_letters.set_aside(
        app, record(poison, 7), GROUP, "intake.lodging.v1:0", 8, OverflowError(), 5
    )
    app.close()


# -- on a real broker ---------------------------------------------------------------------------


@pytest.mark.kafka
async def test_on_kafka_the_poison_is_dead_lettered_within_seconds_and_the_rest_applied_once(
    kafka_bootstrap: str,
    fresh_topic: Callable[[int], Awaitable[str]],
    store_env: Callable[[str], dict[str, str]],
    read_topic: Callable[[str], Awaitable[list[Any]]],
) -> None:
    topic = await fresh_topic(1)  # one partition: every valid notice is behind the poison
    group = f"processing-{uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, specs=[dead_letter_spec(group)], update_existing=False)
    app = ProcessingApplication(env=store_env("processing"), catalog=factories.catalog_replica())
    poison, bad = notice(POISON_ARRIVAL), notice(FINE_ARRIVAL)
    with_a_bug(app, {bad.subject})
    inbox = Inbox(app)  # the default number of attempts (5, about 6 s of back-off)
    relay = Relay(
        app,
        dead_letters.translating_dead_letters(translate, "processing"),
        producer="processing",
        topics=["processing.lodging.v1", dead_letter_topic(group)],
        bootstrap=kafka_bootstrap,
    )
    fine = [notice(FINE_ARRIVAL) for _ in range(20)]
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()
    try:
        for envelope in [poison, bad, *fine]:
            headers = [("event_type", envelope.event_type.encode())]
            await producer.send_and_wait(
                topic, envelope.to_bytes(), key=envelope.subject.encode(), headers=headers
            )
    finally:
        await producer.stop()

    broker = KafkaBroker(kafka_bootstrap)
    subscribe(broker, inbox, [topic], group_id=group, description="test")
    relaying = asyncio.create_task(relay.run())
    started = time.monotonic()
    await broker.start()
    try:
        async with asyncio.timeout(30):
            while inbox.applied < len(fine) or relay.published < len(fine) + 2:
                await asyncio.sleep(0.05)
        took = time.monotonic() - started
    finally:
        await broker.stop()
        relaying.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await relaying

    assert took < 20, f"took {took:.1f}s"
    assert inbox.dead_letters == 2 and inbox.applied == len(fine) and inbox.duplicates == 0
    assert applied_notices(app, [poison, bad, *fine]) == [0, 0] + [1] * len(fine)
    published = [
        payload_of(Envelope.model_validate_json(r.value)) for r in await read_topic(dead_letter_topic(group))
    ]
    assert all(isinstance(p, InboxDeadLetter) for p in published)
    letters = {p.original_offset: p for p in published if isinstance(p, InboxDeadLetter)}
    assert sorted(letters) == [0, 1]  # each once
    assert letters[0].error.startswith("CannotApply") and letters[0].attempts == 1
    assert letters[1].error == "RuntimeError: a bug in this release" and letters[1].attempts == 5
    assert all(p.original_topic == topic and p.group == group for p in letters.values())
    assert base64.b64decode(letters[0].value_b64) == poison.to_bytes()
    assert base64.b64decode(letters[0].key_b64 or "") == poison.subject.encode()
    received = await read_topic("processing.lodging.v1")
    mine = {str(UUID(e.subject)) for e in fine}
    assert sorted(r.key.decode() for r in received if r.key.decode() in mine) == sorted(mine)
    print(f"\nRELIABILITY dead letters on Kafka: 2 failing + {len(fine)} valid; all through in {took:.1f}s")
    app.close()


def test_a_letter_is_named_by_its_group_and_its_place() -> None:
    """The same record consumed by two groups is two letters; the same place, one."""
    assert DeadLetter.id_for("a", "t", 0, 1) != DeadLetter.id_for("b", "t", 0, 1)
    assert DeadLetter.id_for("a", "t", 0, 1) == DeadLetter.id_for("a", "t", 0, 1)


# -- the operators' tool ---------------------------------------------------------------------


def test_operators_list_and_discard_letters_with_the_command(
    store_env: Callable[[str], dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    app = ProcessingApplication(env=store_env("processing"), catalog=factories.catalog_replica())
    poison = notice(POISON_ARRIVAL)
    dead_letters.set_aside(app, record(poison, 3), GROUP, "intake.lodging.v1:0", 4, OverflowError("x"), 5)
    tokens = TestTokens()
    http = FastAPI()
    install_error_handlers(http)
    install_auth(http, tokens.verifier())
    http.include_router(dead_letters.router(app))
    client = TestClient(http)

    def call(method: str, url: str, headers: dict[str, str], body: bytes | None) -> tuple[int, Any]:
        answer = client.request(method, url, headers=headers, content=body)
        return answer.status_code, answer.json()

    def command(*argv: str, role: str = "operator") -> tuple[int, Any]:
        args = dead_letters_cli.parser().parse_args(
            ["--url", "http://svc", "--token", tokens.token(role), *argv]
        )
        status = dead_letters_cli.run(args, call)
        return status, json.loads(capsys.readouterr().out)

    status, listed = command("list")
    assert status == 0 and [(d["topic"], d["offset"], d["status"]) for d in listed] == [
        ("intake.lodging.v1", 3, "pending")
    ]
    assert listed[0]["event_type"] == "LodgingNoticeFiled" and listed[0]["error"] == "OverflowError: x"
    assert command("list", role="citizen")[0] == 1  # 403: operators only
    letter = listed[0]["id"]
    status, refused = command("replay", letter)
    assert status == 1 and refused["code"] == "dead_letter.still_failing"
    status, discarded = command("discard", letter, "--reason", "ngày đến năm 9999")
    assert (
        status == 0 and discarded["status"] == "discarded" and "ngày đến năm 9999" in discarded["resolution"]
    )
    assert command("list") == (0, [])
    assert command("show", str(uuid4()))[0] == 1
    app.close()


# -- an expected conflict is not an error ------------------------------------------------------


async def test_a_concurrent_change_is_one_warning_without_traceback_and_the_record_applied_once(
    store_env: Callable[[str], dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    """An officer's decision and a consumed payment change one case at once: the consumer's
    write is refused (UNIQUE constraint). It was logged at ERROR with two tracebacks; it is an
    expected retry: one WARNING line, counted, and the record applied at once from the store."""
    app = ProcessingApplication(env=store_env("processing"), catalog=factories.catalog_replica())
    envelope = notice(FINE_ARRIVAL)
    record_batch = app._record_batch
    raced = [False]

    def racing(unit: Any, trackings: Any) -> None:
        if not raced[0]:
            raced[0] = True
            raise IntegrityError("UNIQUE constraint failed: stored_events.originator_id")
        record_batch(unit, trackings)

    app._record_batch = racing  # type: ignore[method-assign]
    inbox = Inbox(app)
    caplog.set_level(logging.INFO, logger="dvc_kernel")
    await inbox.deliver_records([record(envelope, 0)], GROUP)

    assert applied_notices(app, [envelope]) == [1] and inbox.applied == 1
    mine = [r for r in caplog.records if r.name.startswith("dvc_kernel")]
    assert [(r.levelname, r.exc_info) for r in mine] == [("WARNING", None)]
    assert "concurrent change" in mine[0].getMessage()
    app.close()
