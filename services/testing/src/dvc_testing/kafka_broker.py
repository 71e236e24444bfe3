"""Where tests get a real Kafka broker:

1. ``KAFKA_BOOTSTRAP_SERVERS`` if set (CI service, a shared cluster): used as is, never stopped.
2. Otherwise ``DVC_TEST_KAFKA`` says which broker the session starts, and it is that one or the
   session fails saying why (never a quiet fall-back to the other):
   - ``local`` (the default): the Maven-Central broker from ``deploy/kafka/kafkactl.py`` on its
     own port (19092, ``KAFKA_TEST_PORT``) and data dir (``<repo>/var/kafka-test``,
     ``KAFKA_TEST_DATA_DIR``), wiped per session, so tests never touch the development broker
     of ``make run`` on 9092. A session holds a lock on that data dir while it runs; a second
     concurrent session (another engineer in the same tree) gets a free port and data dir of
     its own instead of stopping the first one's. Needs a JDK and Maven.
   - ``container``: a testcontainers ``KafkaContainer`` (``KAFKA_TEST_IMAGE``) on a container
     engine (``DOCKER_HOST`` or the default socket), for CI runners with Docker and no JDK
     (docs/operations.md, "Tests on a container engine").
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlparse

DEFAULT_TEST_PORT = 19092
# Confluent Platform 8.1 ships Apache Kafka 4.1, the version of the local broker.
DEFAULT_TEST_IMAGE = "confluentinc/cp-kafka:8.1.0"


@dataclass
class TestBroker:
    bootstrap: str
    source: str  # "env", "container" or "local"
    _stop: Callable[[], None] | None = None

    __test__ = False  # not a pytest test class despite the name

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None


def container_engine_answers(timeout: float = 1.0) -> bool:
    """Ping the Docker API (DOCKER_HOST or the default socket); False instead of hanging."""
    url = urlparse(os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock"))
    try:
        if url.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX)
            sock.settimeout(timeout)
            sock.connect(url.path)
        elif url.scheme in ("tcp", "http") and url.hostname:
            sock = socket.create_connection((url.hostname, url.port or 2375), timeout)
        else:  # ssh:// or TLS engines: leave them to an explicit KAFKA_BOOTSTRAP_SERVERS
            return False
        with sock:
            sock.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            return sock.recv(64).split(b" ")[1:2] == [b"200"]
    except OSError:
        return False


def _container_broker() -> TestBroker:
    from testcontainers.community.kafka import KafkaContainer

    container = KafkaContainer(os.environ.get("KAFKA_TEST_IMAGE", DEFAULT_TEST_IMAGE)).with_kraft()
    # Same single-node settings as kafkactl: transactions need a one-replica state log.
    for key, value in {
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR": "1",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR": "1",
        "KAFKA_DEFAULT_REPLICATION_FACTOR": "1",
        "KAFKA_MIN_INSYNC_REPLICAS": "1",
        "KAFKA_AUTO_CREATE_TOPICS_ENABLE": "false",
    }.items():
        container.with_env(key, value)
    container.start(timeout=120)
    return TestBroker(container.get_bootstrap_server(), "container", container.stop)


def find_kafkactl() -> Path:
    """deploy/kafka/kafkactl.py of this checkout (the kernel may be installed non-editable)."""
    for base in (Path(__file__).resolve(), Path.cwd().resolve()):
        for parent in (base, *base.parents):
            candidate = parent / "deploy" / "kafka" / "kafkactl.py"
            if candidate.is_file():
                return candidate
    raise FileNotFoundError("deploy/kafka/kafkactl.py not found above this file or the cwd")


def _free_port_pair() -> int:
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        with socket.socket() as s:  # the controller takes port + 1
            if port < 65535 and s.connect_ex(("127.0.0.1", port + 1)) != 0:
                return port


def _kafkactl(kafkactl: Path, command: str, env: dict[str, str]) -> None:
    out = subprocess.run([sys.executable, str(kafkactl), command], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"kafkactl {command} failed:\n{out.stdout}{out.stderr}")


def _local_broker() -> TestBroker:
    kafkactl = find_kafkactl()
    repo = kafkactl.parents[2]
    port = int(os.environ.get("KAFKA_TEST_PORT", DEFAULT_TEST_PORT))
    data = Path(os.environ.get("KAFKA_TEST_DATA_DIR", repo / "var" / "kafka-test"))
    data.parent.mkdir(parents=True, exist_ok=True)
    # Held until the session ends (or its process dies, which releases it for us).
    lock_file = data.with_name(f"{data.name}.lock").open("w")
    lock: TextIO | None = lock_file
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # another live session owns that broker: do not steal it
        lock_file.close()
        port = _free_port_pair()
        data, lock = data.with_name(f"{data.name}-{port}"), None
    env = {**os.environ, "KAFKA_PORT": str(port), "KAFKA_DATA_DIR": str(data)}
    _kafkactl(kafkactl, "stop", env)  # whatever a crashed session left behind
    shutil.rmtree(data, ignore_errors=True)

    def stop() -> None:
        try:
            _kafkactl(kafkactl, "stop", env)
        finally:
            if lock is not None:
                lock.close()
            else:  # a one-off dir of a concurrent session would pile up under var/
                shutil.rmtree(data, ignore_errors=True)

    try:
        _kafkactl(kafkactl, "start", env)
    except BaseException:
        stop()  # the data dir and its logs stay for the post-mortem
        raise
    return TestBroker(f"127.0.0.1:{port}", "local", stop)


CHOICES = ("local", "container")


class BrokerChoiceError(RuntimeError):
    """DVC_TEST_KAFKA names a broker this machine cannot give."""


def acquire_broker() -> TestBroker:
    """A running broker for this test session; call ``stop()`` on it when done."""
    if bootstrap := os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        return TestBroker(bootstrap, "env")
    choice = os.environ.get("DVC_TEST_KAFKA", "local").strip().lower() or "local"
    if choice not in CHOICES:
        raise BrokerChoiceError(f"DVC_TEST_KAFKA={choice!r}: use one of {', '.join(CHOICES)}")
    if choice == "container":
        if not container_engine_answers():
            engine = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
            raise BrokerChoiceError(
                f"DVC_TEST_KAFKA=container, but no container engine answers at {engine}: start one "
                "(or set DOCKER_HOST), or unset DVC_TEST_KAFKA to use the local broker"
            )
        return _container_broker()
    return _local_broker()
