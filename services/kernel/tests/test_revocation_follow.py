"""A service learns a revocation from identity's topic within seconds, and one published before
it started (within the token lifetime) too."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer

from dvc_contracts.identity import StaffRemoved
from dvc_contracts.topics import IDENTITY_ACCOUNT
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.auth.revocations import Revocations
from dvc_kernel.envelopes import Outgoing, build_envelope

pytestmark = pytest.mark.kafka


async def publish_removal(bootstrap: str, account: str, at: datetime) -> None:
    payload = StaffRemoved(account_id=account, reason="Nghỉ hưu", removed_at=at)
    stored = SimpleNamespace(originator_id=uuid4(), originator_version=1, timestamp=at, meta={})
    envelope = build_envelope(stored, Outgoing(IDENTITY_ACCOUNT.name, account, payload), "identity", None)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(IDENTITY_ACCOUNT.name, envelope.to_bytes(), key=account.encode())
    finally:
        await producer.stop()


async def wait_refused(revocations: Revocations, holder: Principal, timeout: float = 10) -> float:
    started = time.monotonic()
    while not revocations.refuses(holder):
        assert time.monotonic() - started < timeout, "the revocation never arrived"
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def test_a_removal_reaches_the_token_check_within_seconds(kafka_bootstrap: str) -> None:
    issued = datetime.now(UTC) - timedelta(minutes=1)
    earlier, later = str(uuid4()), str(uuid4())
    await publish_removal(kafka_bootstrap, earlier, datetime.now(UTC))  # before the service started

    revocations = Revocations()
    following = asyncio.create_task(revocations.follow(kafka_bootstrap))
    try:
        await wait_refused(revocations, Principal(earlier, Role.OFFICER, issued_at=issued))
        await publish_removal(kafka_bootstrap, later, datetime.now(UTC))
        took = await wait_refused(revocations, Principal(later, Role.OFFICER, issued_at=issued))
        assert took < 5
    finally:
        following.cancel()
        await asyncio.gather(following, return_exceptions=True)
