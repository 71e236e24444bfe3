"""The broker dies during a run and comes back: nothing is lost, nothing is received twice.

The services run as processes on a broker of this test's own (the session's shared broker is
left alone). While the broker is down intake still accepts dossiers: they wait in its store, the
outbox. When the broker is back on the same port and data, every service reconnects by itself,
intake's relay publishes what waited, and processing receives each dossier exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from dvc_contracts import parse
from dvc_contracts.topics import INTAKE_DOSSIER, PROCESSING_DOSSIER
from dvc_kernel.kafka_topics import ensure_topics
from dvc_testing.e2e import MINH, MINH_WARD, PASSWORD, file_temporary_residence, register_citizen, stack_in
from dvc_testing.kafka_broker import find_kafkactl
from dvc_testing.stack import Stack, stack_ports
from dvc_testing.topic_reading import read_all

pytestmark = [pytest.mark.e2e, pytest.mark.kafka]

BROKER_PORT = 18950  # and 18951 for its controller: this module's block is 18950-18999
PORTS = stack_ports(18951)  # simulators: notify + 4..7


class Broker:
    """A single-node broker from kafkactl on a fixed port and data dir, which can be killed and
    started again on both."""

    def __init__(self, data: Path) -> None:
        self.kafkactl = find_kafkactl()
        self.env = {**os.environ, "KAFKA_PORT": str(BROKER_PORT), "KAFKA_DATA_DIR": str(data)}
        self.data = data
        self.pid_file = data / "kafka.pid"
        self.bootstrap = f"127.0.0.1:{BROKER_PORT}"

    def ctl(self, command: str) -> None:
        done = subprocess.run(
            [sys.executable, str(self.kafkactl), command], env=self.env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"kafkactl {command}: {done.stdout}{done.stderr}"

    def kill(self) -> None:
        """The JVM dies at once: no controlled shutdown, no flush."""
        pid = int(self.pid_file.read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes() if alive(pid) else b""
        assert str(self.data).encode() in cmdline, f"{pid} is not this test's broker (pids are recycled)"
        os.kill(pid, signal.SIGKILL)
        while alive(pid):
            time.sleep(0.1)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    broker = Broker(tmp_path / "kafka")
    broker.ctl("start")
    try:
        asyncio.run(ensure_topics(broker.bootstrap))
        yield broker
    finally:
        with contextlib.suppress(AssertionError, OSError):  # unless it is down already
            broker.kill()  # its data is thrown away: no need for a controlled shutdown
        broker.ctl("stop")


def submit(stack: Stack, token: str, key: str) -> str:
    deadline = time.monotonic() + 20
    while True:
        answer = file_temporary_residence(stack, token, MINH, MINH_WARD, key)
        # Started beside the catalog, intake may not know the procedure for a moment yet.
        if answer.status_code != 422 or "unknown_procedure" not in answer.text or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["dossier_code"])


async def published(bootstrap: str, topic: str, event_type: str) -> Counter[str]:
    """How many times each dossier code was published as `event_type` on `topic`."""
    counts: Counter[str] = Counter()
    for record in await read_all(bootstrap, topic):
        envelope = parse(record.value or b"")[0]
        if envelope.event_type == event_type:
            counts[str(envelope.payload["dossier_code"])] += 1
    return counts


SERVICES_USED = ["catalog", "identity", "notify", "intake", "processing"]


@contextmanager
def services(kafka: str, root: Path) -> Iterator[Stack]:
    """The services a dossier travels through, on `kafka`: the catalog, identity (the citizen's
    login and the registry), notify (the OTP SMS), intake and processing. They start together to
    keep this test short; intake's catalog replica may then still be catching up with the catalog
    when all are ready (see `submit`)."""
    stack = stack_in(kafka, root, PORTS)
    try:
        for name in SERVICES_USED:
            stack.start(name)
        stack.wait_ready(SERVICES_USED, timeout=120)
        yield stack
    finally:
        stack.stop_all()


def readiness(stack: Stack, service: str) -> tuple[int, dict[str, Any]]:
    answer = httpx.get(f"{stack.url(service)}/readyz", timeout=10)
    return answer.status_code, answer.json()["checks"]


def wait_reconnected(stack: Stack, timeout: float) -> None:
    """Every service's broker connection and relay are back, without anyone restarting them."""
    deadline = time.monotonic() + timeout
    for service in stack.processes:
        while (checks := readiness(stack, service)[1])["kafka"] != "ok" or checks["relay"] != "ok":
            assert time.monotonic() < deadline, f"{service} did not reconnect by itself: {checks}"
            time.sleep(0.5)


def test_a_broker_restart_loses_nothing_and_repeats_nothing(broker: Broker, tmp_path: Path) -> None:
    with services(broker.bootstrap, tmp_path / "stack") as stack:
        token = register_citizen(stack, MINH, PASSWORD)
        before = [submit(stack, token, f"restart-before-{i}") for i in range(3)]

        broker.kill()
        # Citizens keep filing: intake answers from its own store, the outbox keeps the events.
        during = [submit(stack, token, f"restart-during-{i}") for i in range(4)]
        # So intake stays in its load balancer's rotation: ready, with the outage reported.
        status, checks = readiness(stack, "intake")
        assert status == 200 and checks["kafka"] == "reconnecting", checks

        broker.ctl("start")  # same port, same data: the cluster as it was
        wait_reconnected(stack, timeout=90)
        after = [submit(stack, token, f"restart-after-{i}") for i in range(2)]

        codes = before + during + after
        deadline = time.monotonic() + 60
        while True:
            received = asyncio.run(published(broker.bootstrap, PROCESSING_DOSSIER.name, "Received"))
            if all(received[code] for code in codes) or time.monotonic() > deadline:
                break
            time.sleep(1)
        submitted = asyncio.run(published(broker.bootstrap, INTAKE_DOSSIER.name, "Submitted"))

        assert {code: submitted[code] for code in codes} == dict.fromkeys(codes, 1)
        assert {code: received[code] for code in codes} == dict.fromkeys(codes, 1)
        for code in codes:  # and the citizen sees each one received
            answer = httpx.get(
                f"{stack.url('processing')}/v1/dossiers/{code}",
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )
            assert answer.status_code == 200 and answer.json()["status"] == "received", answer.text
