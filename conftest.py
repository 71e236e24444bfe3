"""Root pytest configuration: the real-Kafka fixtures and small factories shared by suites."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from uuid import uuid4

import pytest
import pytest_asyncio
from aiokafka import ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from dvc_testing.postgres import TestPostgres, start_postgres
from dvc_testing.topic_reading import read_all

pytest_plugins = ["dvc_testing.pytest_kafka"]


@pytest.fixture(scope="session", autouse=True)
def personal_keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The data keys sealing personal fields on the topics (ADR 0021), for the whole session:
    the test process, services built in it and the stacks it starts share one directory,
    outside the repository's var/; and the event stores' keys."""
    import os

    from dvc_kernel import personal_data
    from dvc_kernel.key_storage import KeyRing

    directory = tmp_path_factory.mktemp("personal-keys")
    os.environ["DVC_PERSONAL_KEYS_DIR"] = str(directory)
    # Services on PostgreSQL need their store key, as in production (store_cipher.py).
    import base64
    import secrets

    from dvc_testing.stack import SERVICES

    for name in SERVICES:
        os.environ.setdefault(
            f"{name.upper()}_CIPHER_KEY", base64.b64encode(secrets.token_bytes(32)).decode()
        )
    personal_data.configure(personal_data.LocalKeys(KeyRing(directory)))
    yield directory


TopicFactory = Callable[[int], Awaitable[str]]


@pytest_asyncio.fixture(loop_scope="session")
async def fresh_topic(kafka_bootstrap: str) -> AsyncIterator[TopicFactory]:
    """Creates topics of its own for one test, with the given number of partitions."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    created: list[str] = []

    async def make(partitions: int) -> str:
        name = f"test.{uuid4().hex[:12]}"
        await admin.create_topics([NewTopic(name, partitions, 1)])
        created.append(name)
        return name

    try:
        yield make
    finally:
        if created:
            await admin.delete_topics(created)
        await admin.close()


@pytest.fixture
def read_topic(kafka_bootstrap: str) -> Callable[[str], Awaitable[list[ConsumerRecord[bytes, bytes]]]]:
    return lambda topic: read_all(kafka_bootstrap, topic)


@pytest.fixture(scope="session")
def postgres() -> Iterator[TestPostgres]:
    """A real PostgreSQL server (Debian package), for the production event store's tests."""
    server = start_postgres()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], dict[str, str]]:
    """Event-store settings for a service application, on each store we support."""
    if request.param == "postgres":
        server: TestPostgres = request.getfixturevalue("postgres")

        def pg_env(name: str) -> dict[str, str]:
            # A database per call: tests stay independent, as services do in production.
            database = f"t_{uuid4().hex[:12]}"
            subprocess.run(
                [
                    "psql",
                    "-h",
                    server.host,
                    "-p",
                    str(server.port),
                    "-U",
                    server.user,
                    "-d",
                    server.dbname,
                    "-c",
                    f"CREATE DATABASE {database}",
                ],
                check=True,
                capture_output=True,
            )
            return {**server.env(), "POSTGRES_DBNAME": database}

        return pg_env

    def sqlite_env(name: str) -> dict[str, str]:
        path = tmp_path / name
        path.mkdir(parents=True, exist_ok=True)
        return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path / "events.sqlite3")}

    return sqlite_env
