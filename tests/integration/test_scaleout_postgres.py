"""Several processing instances on one PostgreSQL store: one relays, all consume, none repeats.

Instances of a service share the store and, through one consumer group, the partitions. Only the
instance holding the store's leader lock relays; when it dies another takes over. A partition
that moves between instances mid-stream is resumed from the tracking records in the shared
store, so a message the dead instance had applied but not acknowledged is recognised, not
applied again.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import psycopg
import pytest
from aiokafka import AIOKafkaProducer, ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment
from eventsourcing.persistence import Tracking
from faststream.kafka import KafkaBroker

from dvc_contracts import parse
from dvc_contracts.dossier import Withdrawn
from dvc_contracts.topics import INTAKE_DOSSIER, PROCESSING_DOSSIER
from dvc_kernel.application import Incoming
from dvc_kernel.inbox import Inbox, subscribe
from dvc_kernel.leadership import Leadership, LeadershipLost, leader_lock
from dvc_kernel.meta import CommandMeta
from dvc_processing.application import ProcessingApplication
from dvc_processing.board import Board
from dvc_processing.settings import ProcessingSettings
from dvc_testing import factories
from dvc_testing.postgres import TestPostgres
from dvc_testing.stack import is_ready

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

Reader = Callable[[str], Awaitable[list[ConsumerRecord[bytes, bytes]]]]
PORTS = iter(range(18901, 18950))  # this module's block


@pytest.fixture
def pg_env(postgres: TestPostgres) -> dict[str, str]:
    """A database of its own, as a deployment gives each service."""
    database = f"scale_{uuid4().hex[:10]}"
    with psycopg.connect(**_connect(postgres, postgres.dbname), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {database}")
    return {**postgres.env(), "POSTGRES_DBNAME": database}


def _connect(server: TestPostgres, dbname: str) -> dict[str, Any]:
    return {
        "host": server.host,
        "port": server.port,
        "user": server.user,
        "password": server.password,
        "dbname": dbname,
    }


# -- the leader lock ---------------------------------------------------------------------------

HOLDER = """
import sys, time
from dvc_kernel.leadership import leader_lock
from dvc_processing.settings import ProcessingSettings
lock = leader_lock(ProcessingSettings())
assert lock.try_acquire(sys.argv[1])
print("leading", flush=True)
time.sleep(600)
"""


@pytest.fixture(params=["postgres", "sqlite"])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {"DVC_DATA_DIR": str(tmp_path / "data")}
    if request.param == "postgres":
        env.update(request.getfixturevalue("pg_env"))
    else:
        env["PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # ProcessingSettings reads the environment, as in a service process
    try:
        yield env
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def hold_lock(name: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """Another instance, in its own process, that leads `name`."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, name],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "leading"
    return holder


async def test_one_instance_leads_and_another_takes_over_when_it_dies(store_settings: dict[str, str]) -> None:
    name = f"relay:{uuid4()}"
    holder = hold_lock(name, store_settings)
    leadership = Leadership(leader_lock(ProcessingSettings()), retry_seconds=0.2, check_seconds=0.2)
    leading = asyncio.Event()

    async def relay() -> None:
        leading.set()
        await asyncio.Event().wait()

    task = asyncio.create_task(leadership.run(name, relay))
    try:
        await asyncio.sleep(1.5)
        assert not leading.is_set(), "two instances led the same store at once"
        assert leadership.role == "standby"

        holder.send_signal(signal.SIGKILL)
        holder.wait()
        async with asyncio.timeout(15):
            await leading.wait()
        assert leadership.role == "leader"
    finally:
        holder.kill()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_a_leader_whose_session_ends_stops_relaying(
    pg_env: dict[str, str], postgres: TestPostgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in pg_env.items():
        monkeypatch.setenv(key, value)
    leadership = Leadership(leader_lock(ProcessingSettings()), retry_seconds=0.2, check_seconds=0.2)
    leading, stopped = asyncio.Event(), asyncio.Event()

    async def relay() -> None:
        leading.set()
        try:
            await asyncio.Event().wait()
        finally:
            stopped.set()

    task = asyncio.create_task(leadership.run(f"relay:{uuid4()}", relay))
    async with asyncio.timeout(10):
        await leading.wait()
    # The server ends the leader's session (a failover, an operator, a network loss).
    with psycopg.connect(**_connect(postgres, pg_env["POSTGRES_DBNAME"]), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'dvc-relay-leader' AND datname = current_database()"
        )
    async with asyncio.timeout(10):
        with pytest.raises(LeadershipLost):
            await task
    assert stopped.is_set()


# -- two instances writing one dossier ------------------------------------------------------------


async def test_a_consumed_event_that_conflicts_with_another_instance_is_applied_after_reloading(
    kafka_bootstrap: str, pg_env: dict[str, str], fresh_topic: Callable[[int], Awaitable[str]]
) -> None:
    officer_side = ProcessingApplication(env=pg_env)  # serves an officer's HTTP request
    consumer_side = ProcessingApplication(env=pg_env)  # consumes the citizen's withdrawal
    dossier_id = uuid4()
    submitted = factories.submitted(dossier_id, dossier_code="261123-000001-W", unit_code="CAX-26743")
    officer_side.process_incoming(
        Incoming(factories.envelope(submitted, dossier_id), submitted), Tracking("intake.dossier.v1:0", 1)
    )

    # The officer's assignment commits between the consumer's read of the case and its write.
    read_case = consumer_side.case
    reads = 0

    def officer_acts_meanwhile(dossier: UUID) -> Any:
        nonlocal reads
        reads += 1
        found = read_case(dossier)
        if len(officer_side.case_events(dossier)) == 1:
            case = officer_side.case(dossier)
            assert case is not None
            case.assign("001085002222", officer_side.clock.now(), CommandMeta.system("processing").as_dict())
            officer_side.save(case)
        return found

    consumer_side.case = officer_acts_meanwhile  # type: ignore[method-assign]
    topic = await fresh_topic(1)
    withdrawn = Withdrawn(
        dossier_id=dossier_id, dossier_code="261123-000001-W", withdrawn_at=datetime.now(UTC)
    )
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(
            topic, factories.envelope(withdrawn, dossier_id).to_bytes(), key=str(dossier_id).encode()
        )
    finally:
        await producer.stop()

    inbox = Inbox(consumer_side)
    broker = KafkaBroker(kafka_bootstrap)
    subscribe(broker, inbox, [topic], group_id=f"processing-{uuid4().hex[:6]}", description="test")
    await broker.start()
    try:
        async with asyncio.timeout(30):
            while inbox.applied < 1:
                await asyncio.sleep(0.05)
    finally:
        await broker.stop()

    assert reads == 2, "the withdrawal was not retried on a fresh read of the case"
    kinds = [type(e).__name__ for e in officer_side.case_events(dossier_id)]
    assert kinds.count("WithdrawalAcknowledged") == 1, kinds
    assert kinds.index("Assigned") < kinds.index("WithdrawalAcknowledged"), kinds
    case = consumer_side.case(dossier_id)
    assert case is not None and case.status.value == "withdrawn"
    officer_side.close()
    consumer_side.close()


async def test_an_instance_queue_shows_dossiers_the_other_instance_received(pg_env: dict[str, str]) -> None:
    receiving = ProcessingApplication(env=pg_env)
    serving = ProcessingApplication(env=pg_env)
    board = Board(serving)  # the officers' queue of the instance their browser reached
    following = asyncio.create_task(board.run())
    try:
        dossiers = [uuid4() for _ in range(3)]
        for i, dossier_id in enumerate(dossiers):
            submitted = factories.submitted(
                dossier_id, dossier_code=f"261123-00000{i}-Q", unit_code="CAX-26743"
            )
            receiving.process_incoming(
                Incoming(factories.envelope(submitted, dossier_id), submitted),
                Tracking("intake.dossier.v1:0", i + 1),
            )
        async with asyncio.timeout(10):
            while len(board.queue(["CAX-26743"])) < 3:
                await asyncio.sleep(0.05)
        assert {d.dossier_id for d in board.queue(["CAX-26743"])} == set(dossiers)
    finally:
        following.cancel()
        await asyncio.gather(following, return_exceptions=True)
        receiving.close()
        serving.close()


# -- two processing instances under load -------------------------------------------------------


class Instance:
    """One processing process (a pod): its own port and data dir, the shared store and group."""

    def __init__(self, name: str, kafka: str, root: Path, pg_env: dict[str, str]) -> None:
        self.url = f"http://127.0.0.1:{next(PORTS)}"
        self.log = root / f"{name}.log"
        env = {
            **os.environ,
            **pg_env,
            "KAFKA_BOOTSTRAP_SERVERS": kafka,
            "DVC_DATA_DIR": str(root / name),
            "PROCESSING_PORT": self.url.rsplit(":", 1)[1],
            "DVC_INSTANCE_ID": "0",  # one relay transactional id per store, not per pod
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from dvc_processing.main import run; run()"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not is_ready(self.url):
            assert self.process.poll() is None, f"exited with {self.process.returncode}; see {self.log}"
            assert time.monotonic() < deadline, f"not ready after {timeout}s; see {self.log}"
            time.sleep(0.2)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def relay_role(instance: Instance) -> str:
    checks = httpx.get(f"{instance.url}/readyz", timeout=5).json()["checks"]
    return str(checks["relay_role"])


async def group_members(kafka: str, group: str, topic: str) -> list[set[int]]:
    """The partitions of `topic` each live member of `group` holds."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        [response] = await admin.describe_consumer_groups([group])
    finally:
        await admin.close()
    [(_error, _group, _state, _type, _protocol, members, *_)] = response.groups
    held = []
    for member in members:
        assignment = ConsumerProtocolMemberAssignment.decode(member[-1])
        held.append({p for t, partitions in assignment.assignment if t == topic for p in partitions})
    return held


class Intake:
    """Submitted dossiers onto intake's topic at a steady rate, as intake's relay would."""

    def __init__(self, kafka: str, count: int) -> None:
        self.kafka = kafka
        self.dossiers = [uuid4() for _ in range(count)]
        self.sent = 0

    async def run(self, per_second: float) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self.kafka, acks="all", enable_idempotence=True)
        await producer.start()
        try:
            for i, dossier_id in enumerate(self.dossiers):
                payload = factories.submitted(dossier_id, dossier_code=f"261123-{i:06d}-S")
                envelope = factories.envelope(payload, dossier_id)
                await producer.send_and_wait(
                    INTAKE_DOSSIER.name, envelope.to_bytes(), key=str(dossier_id).encode()
                )
                self.sent += 1
                await asyncio.sleep(1 / per_second)
        finally:
            await producer.stop()

    async def reached(self, count: int) -> None:
        while self.sent < count:
            await asyncio.sleep(0.05)


@pytest.fixture
async def instances() -> AsyncIterator[list[Instance]]:
    started: list[Instance] = []
    try:
        yield started
    finally:
        for instance in started:
            instance.stop()


async def received(read_topic: Reader, dossiers: set[UUID]) -> Counter[UUID]:
    """How many times each of `dossiers` was published as Received."""
    counts: Counter[UUID] = Counter()
    for record in await read_topic(PROCESSING_DOSSIER.name):
        envelope = parse(record.value or b"")[0]
        if envelope.event_type == "Received" and (dossier_id := UUID(envelope.subject)) in dossiers:
            counts[dossier_id] += 1
    return counts


async def test_instances_share_partitions_and_a_rebalance_loses_and_repeats_nothing(
    kafka_bootstrap: str,
    pg_env: dict[str, str],
    read_topic: Reader,
    instances: list[Instance],
    tmp_path: Path,
) -> None:
    intake = Intake(kafka_bootstrap, 240)
    first = Instance("first", kafka_bootstrap, tmp_path, pg_env)
    instances.append(first)
    await asyncio.to_thread(first.wait_ready)
    flow = asyncio.create_task(intake.run(per_second=12))
    try:
        # A second instance joins while dossiers flow: the group rebalances.
        await intake.reached(40)
        second = Instance("second", kafka_bootstrap, tmp_path, pg_env)
        instances.append(second)
        await asyncio.to_thread(second.wait_ready)
        assert {relay_role(first), relay_role(second)} == {"leader", "standby"}
        async with asyncio.timeout(30):
            while (
                sum(
                    1
                    for held in await group_members(kafka_bootstrap, "processing", INTAKE_DOSSIER.name)
                    if held
                )
                < 2
            ):
                await asyncio.sleep(0.5)

        # The leading instance dies mid-stream, unacknowledged messages and all.
        await intake.reached(120)
        leader, survivor = (first, second) if relay_role(first) == "leader" else (second, first)
        leader.kill()
        async with asyncio.timeout(30):
            while relay_role(survivor) != "leader":
                await asyncio.sleep(0.2)

        # A replacement starts late: another rebalance, still mid-stream.
        await intake.reached(180)
        replacement = Instance("replacement", kafka_bootstrap, tmp_path, pg_env)
        instances.append(replacement)
        await asyncio.to_thread(replacement.wait_ready)
        await flow
    finally:
        flow.cancel()
        await asyncio.gather(flow, return_exceptions=True)

    dossiers = set(intake.dossiers)
    async with asyncio.timeout(90):
        while len(counts := await received(read_topic, dossiers)) < len(dossiers):
            await asyncio.sleep(1)
    assert set(counts.values()) == {1}, f"published more than once: {[d for d, n in counts.items() if n > 1]}"

    store = ProcessingApplication(env=pg_env)
    try:
        cases = [store.case(d) for d in intake.dossiers]
        assert all(c is not None for c in cases)
        assert {c.dossier_code for c in cases if c} == {f"261123-{i:06d}-S" for i in range(len(cases))}
        # One reception each: the case was created once and nothing else happened to it.
        assert {len(store.case_events(d)) for d in intake.dossiers} == {1}
    finally:
        store.close()
