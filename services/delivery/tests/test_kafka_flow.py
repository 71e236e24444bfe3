"""With the real broker: a ResultIssued on processing's topic becomes a signed e-result and a
ResultDispatched on delivery.result.v1, exactly once even when the topics are read again."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from uuid import uuid4

from aiokafka import AIOKafkaProducer, ConsumerRecord
from faststream.kafka import KafkaBroker

from dvc_contracts import Envelope, EventPayload, parse
from dvc_contracts.dossier import Received, ResultIssued, Submitted
from dvc_contracts.topics import DELIVERY_RESULT
from dvc_delivery import consumers
from dvc_delivery.adapters.signature_check import check_signature
from dvc_delivery.adapters.signing import LocalCa
from dvc_delivery.application import DeliveryApplication
from dvc_delivery.translation import translate
from dvc_kernel.inbox import Inbox
from dvc_kernel.relay import Relay
from dvc_testing import factories
from dvc_testing.new_dossiers import new_submitted

from .conftest import HOA, ISSUED_AT, UNIT, VERIFY_URL

Reader = Callable[[str], Awaitable[list[ConsumerRecord[bytes, bytes]]]]


async def produce(bootstrap: str, messages: list[tuple[str, Envelope]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for topic, envelope in messages:
            await producer.send_and_wait(topic, envelope.to_bytes(), key=envelope.subject.encode())
    finally:
        await producer.stop()


def dossier_events() -> tuple[Submitted, EventPayload, EventPayload]:
    """A new dossier's Submitted, then processing's Received and ResultIssued for it."""
    submitted = new_submitted("K", applicant=HOA, unit_code=UNIT, delivery_mode="e_result")
    dossier_id, code = submitted.dossier_id, submitted.dossier_code
    received = Received(
        dossier_id=dossier_id,
        dossier_code=code,
        procedure_code=submitted.procedure_code,
        unit_code=UNIT,
        received_at=submitted.submitted_at,
    )
    issued = ResultIssued(
        dossier_id=dossier_id,
        dossier_code=code,
        result_form="CT08",
        summary="Đã đăng ký tạm trú cho bà Nguyễn Thị Hoa đến ngày 23/11/2028.",
        delivery_mode="e_result",
        issued_at=ISSUED_AT,
    )
    return submitted, received, issued


async def consume(
    bootstrap: str,
    app: DeliveryApplication,
    topics: tuple[str, str],
    done: Callable[[Inbox], bool],
    group: str = "delivery-test",
    timeout: float = 90,
) -> Inbox:
    """Delivery's consumers, in a new consumer group, on the intake and processing topics until `done`."""
    inbox = Inbox(app)
    broker = KafkaBroker(bootstrap)
    consumers.register(broker, inbox, *topics, group=f"{group}-{uuid4().hex[:8]}")
    await broker.start()
    try:
        async with asyncio.timeout(timeout):
            while not done(inbox):
                await asyncio.sleep(0.05)
    finally:
        await broker.stop()
    return inbox


async def test_a_result_issued_on_kafka_is_signed_and_dispatched_on_delivery_result_v1(
    kafka_bootstrap: str,
    fresh_topic: Callable[[int], Awaitable[str]],
    store_env: Callable[[str], dict[str, str]],
    read_topic: Reader,
    tmp_path: Path,
) -> None:
    intake, processing = await fresh_topic(3), await fresh_topic(3)
    submitted, received, issued = dossier_events()
    dossier_id = submitted.dossier_id
    # Processing's events first: delivery waits for the dossier's Submitted before acting.
    await produce(
        kafka_bootstrap,
        [
            (processing, factories.envelope(received, dossier_id, producer="processing")),
            (processing, factories.envelope(issued, dossier_id, producer="processing", version=2)),
            (intake, factories.envelope(submitted, dossier_id, producer="intake")),
        ],
    )
    ca = LocalCa(tmp_path / "ca")
    app = DeliveryApplication(
        env=store_env("delivery"), signer=ca, verify_url=VERIFY_URL, catalog=factories.catalog_replica()
    )

    def signed(_: Inbox) -> bool:
        delivery = app.delivery(dossier_id)
        return delivery is not None and delivery.sha256 is not None

    await consume(kafka_bootstrap, app, (intake, processing), signed)
    relay = Relay(
        app,
        translate,
        producer="delivery",
        topics=[DELIVERY_RESULT.name],
        bootstrap=kafka_bootstrap,
        instance=f"test-{uuid4().hex[:8]}",
    )
    task = asyncio.create_task(relay.run())
    try:
        async with asyncio.timeout(60):
            while not relay.connected or await relay.backlog() > 0:
                await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    envelopes = [parse(r.value or b"") for r in await read_topic(DELIVERY_RESULT.name)]
    mine = [(env, payload) for env, payload in envelopes if env.subject == str(dossier_id)]
    assert [env.event_type for env, _ in mine] == ["ResultDispatched"]
    envelope, dispatched = mine[0]
    assert envelope.producer == "delivery" and envelope.actor.role == "system"
    delivery = app.delivery(dossier_id)
    assert delivery is not None and delivery.pdf_base64 is not None
    pdf = base64.b64decode(delivery.pdf_base64)
    assert dispatched.document_sha256 == hashlib.sha256(pdf).hexdigest()  # type: ignore[attr-defined]
    # pyHanko runs its own event loop: validate off this one, as the service does.
    assert (await asyncio.to_thread(check_signature, pdf, ca.trust_roots())).valid

    # Another consumer group reads both topics again: nothing is signed or published twice.
    notifications = app.recorder.max_notification_id()
    inbox = await consume(
        kafka_bootstrap, app, (intake, processing), lambda again: again.duplicates >= 3, "delivery-again", 60
    )
    assert (inbox.applied, inbox.duplicates) == (0, 3)
    assert app.recorder.max_notification_id() == notifications
    app.close()
