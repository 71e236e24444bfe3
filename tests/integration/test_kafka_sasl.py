"""Kafka with TLS, SCRAM and ACLs (issue 15, ADR 0024): the project's broker runs a SASL_SSL
listener; processing's relay authenticates through the kernel's settings and its events reach
notify's consumer group; a wrong password is refused; processing cannot write a topic its ACLs
do not give it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaConnectionError, TopicAuthorizationFailedError
from faststream.kafka import KafkaBroker

from dvc_contracts.topics import INTAKE_DOSSIER, PROCESSING_DOSSIER
from dvc_kernel import kafka_security
from dvc_kernel.kafka_acls import create_acls, service_acls, subscriptions_from_asyncapi
from dvc_kernel.kafka_security import KafkaSecurity
from dvc_kernel.kafka_topics import ensure_topics
from dvc_kernel.relay import Relay
from dvc_processing.application import ProcessingApplication
from dvc_processing.translation import translate
from dvc_testing import factories
from dvc_testing.relay_runs import received_dossiers, relay_until_caught_up
from dvc_testing.secure_kafka import ADMIN, SecuredBroker, start_secured_broker

pytestmark = pytest.mark.kafka

REPO = Path(__file__).resolve().parents[2]
SUBSCRIPTIONS = subscriptions_from_asyncapi(json.loads((REPO / "docs" / "asyncapi.json").read_text()))


@pytest.fixture(scope="module")
def broker() -> Iterator[SecuredBroker]:
    secured = start_secured_broker(["processing", "notify"])
    try:
        yield secured
    finally:
        secured.stop()


def connect_as(security: KafkaSecurity) -> None:
    kafka_security.configure(security)


@pytest.fixture(autouse=True)
def plaintext_afterwards() -> Iterator[None]:
    yield
    kafka_security.configure(None)  # other tests use the plaintext session broker


@pytest.fixture(scope="module")
async def prepared(broker: SecuredBroker) -> AsyncIterator[SecuredBroker]:
    """Topics and ACLs, created by the super user as the deployment's operator would."""
    connect_as(broker.security(ADMIN))
    await ensure_topics(broker.bootstrap, specs=[INTAKE_DOSSIER, PROCESSING_DOSSIER])
    admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap, **kafka_security.client_options())
    await admin.start()
    try:
        for user in ("processing", "notify"):
            await create_acls(admin, f"User:{user}", service_acls(user, SUBSCRIPTIONS))
    finally:
        await admin.close()
    kafka_security.configure(None)
    yield broker


async def test_a_service_authenticates_and_its_events_reach_their_consumer(
    prepared: SecuredBroker, tmp_path: Path
) -> None:
    connect_as(prepared.security("processing"))
    store = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "events.sqlite3")}
    app = ProcessingApplication(env=store, catalog=factories.catalog_replica())
    received_dossiers(app, 5)
    relay = Relay(
        app, translate, producer="processing", topics=[PROCESSING_DOSSIER.name], bootstrap=prepared.bootstrap
    )
    await relay_until_caught_up(relay, patience=40)
    app.close()
    assert relay.published >= 5

    # notify's group reads them through FastStream, as its inbox does.
    connect_as(prepared.security("notify"))
    received: list[str] = []
    consumer = KafkaBroker(prepared.bootstrap, security=kafka_security.broker_security())

    @consumer.subscriber(PROCESSING_DOSSIER.name, group_id="notify", auto_offset_reset="earliest")
    async def collect(envelope: dict[str, Any]) -> None:
        received.append(str(envelope["event_id"]))

    await consumer.start()
    try:
        async with asyncio.timeout(30):
            while len(received) < relay.published:
                await asyncio.sleep(0.1)
    finally:
        await consumer.stop()
    assert len(set(received)) == 5


async def test_a_wrong_password_is_refused(prepared: SecuredBroker) -> None:
    connect_as(prepared.security("processing", password="not-the-password"))
    producer = AIOKafkaProducer(bootstrap_servers=prepared.bootstrap, **kafka_security.client_options())
    with pytest.raises(KafkaConnectionError):
        await producer.start()
    await producer.stop()
    # Refused for its credentials (not a TLS or network failure), as the broker says.
    log = (prepared.data / "logs" / "server.log").read_text()
    assert "invalid credentials with SASL mechanism SCRAM-SHA-512" in log


async def test_a_service_cannot_write_a_topic_its_acls_do_not_give(prepared: SecuredBroker) -> None:
    connect_as(prepared.security("processing"))
    producer = AIOKafkaProducer(bootstrap_servers=prepared.bootstrap, **kafka_security.client_options())
    await producer.start()  # authenticated: it may connect
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            # intake's topic: only intake writes dossier applications.
            await producer.send_and_wait(INTAKE_DOSSIER.name, b"{}", key=str(uuid4()).encode())
    finally:
        await producer.stop()
