"""Which Kafka broker a test session gets: the one `DVC_TEST_KAFKA` names, or the session fails
saying why; an external broker (`KAFKA_BOOTSTRAP_SERVERS`) is used as is. The container broker
itself runs in the CI job on a container engine (docs/operations.md); here, its choice."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dvc_testing import kafka_broker
from dvc_testing.kafka_broker import BrokerChoiceError, TestBroker, acquire_broker


@pytest.fixture(autouse=True)
def no_external_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[str]:
    """A unix socket that answers the Docker API's ping as an engine does."""
    path = tmp_path / "docker.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.listen()

    def answer() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                connection.recv(1024)
                connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nOK")

    threading.Thread(target=answer, daemon=True).start()
    yield f"unix://{path}"
    server.close()


def test_a_container_broker_without_an_engine_fails_saying_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DVC_TEST_KAFKA", "container")
    monkeypatch.setenv("DOCKER_HOST", f"unix:///tmp/no-such-engine-{uuid.uuid4().hex}.sock")
    with pytest.raises(BrokerChoiceError, match="no container engine answers at unix:///tmp/no-such-engine"):
        acquire_broker()


def test_a_container_broker_is_started_on_the_engine_that_answers(
    monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    monkeypatch.setenv("DVC_TEST_KAFKA", "container")
    monkeypatch.setenv("DOCKER_HOST", engine)
    monkeypatch.setattr(kafka_broker, "_container_broker", lambda: TestBroker("container:9092", "container"))
    monkeypatch.setattr(kafka_broker, "_local_broker", lambda: pytest.fail("the local broker was started"))
    assert acquire_broker().source == "container"


def test_the_local_broker_is_the_default_even_with_an_engine(
    monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    monkeypatch.delenv("DVC_TEST_KAFKA", raising=False)
    monkeypatch.setenv("DOCKER_HOST", engine)
    monkeypatch.setattr(kafka_broker, "_container_broker", lambda: pytest.fail("a container was started"))
    monkeypatch.setattr(kafka_broker, "_local_broker", lambda: TestBroker("127.0.0.1:19092", "local"))
    assert acquire_broker().source == "local"


def test_an_unknown_choice_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DVC_TEST_KAFKA", "docker")
    with pytest.raises(BrokerChoiceError, match="DVC_TEST_KAFKA='docker': use one of local, container"):
        acquire_broker()


def test_an_external_broker_is_used_as_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka.internal:9092")
    monkeypatch.setenv("DVC_TEST_KAFKA", "container")
    assert acquire_broker() == TestBroker("kafka.internal:9092", "env")
