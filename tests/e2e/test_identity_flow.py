"""End to end: a seeded resident registers and logs in through identity and notify as separate
processes on the real broker; the OTP travels identity -> notify -> SMS sink (never in an event),
and `AccountRegistered` reaches `identity.account.v1` without any secret or personal data.

Needs notify's main.py to mount the internal OTP router (`dvc_notify.api.otp`).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from aiokafka import ConsumerRecord

from dvc_contracts import Envelope
from dvc_contracts.identity import AccountRegistered
from dvc_contracts.topics import IDENTITY_ACCOUNT
from dvc_testing.stack import Stack, stack_ports

pytestmark = pytest.mark.e2e

Reader = Callable[[str], Awaitable[list[ConsumerRecord[bytes, bytes]]]]
TEST_PORTS = stack_ports(18200)  # apart from the dossier flow's
HOA = {
    "id_number": "001203004321",
    "full_name": "Nguyễn Thị Hoa",
    "date_of_birth": "2003-05-14",
    "phone": "0912345678",
}
PASSWORD = "hoa sen trong đầm"
CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture(scope="module")
def stack(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("identity-stack")
    running = Stack(
        kafka=kafka_bootstrap, data_dir=root / "data", log_dir=root / "logs", ports=dict(TEST_PORTS)
    )
    running.start("notify")
    running.start("identity")
    try:
        running.wait_ready(["identity", "notify"], timeout=180)
        yield running
    finally:
        running.stop_all()


def sms_codes(stack: Stack, phone: str, count: int, timeout: float = 30) -> list[str]:
    """The codes of the first ``count`` SMS to ``phone``, oldest first, from notify's sink."""
    deadline = time.monotonic() + timeout
    while True:
        response = httpx.get(f"{stack.url('notify')}/v1/dev/sms", params={"phone": phone}, timeout=10)
        response.raise_for_status()
        found: list[dict[str, Any]] = response.json()
        if len(found) >= count or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(found) >= count, found
    return [match.group(1) for sms in reversed(found) if (match := CODE.search(sms["text"]))]


def post(stack: Stack, path: str, body: dict[str, Any], **kwargs: Any) -> httpx.Response:
    return httpx.post(f"{stack.url('identity')}{path}", json=body, timeout=30, **kwargs)


def register_and_log_in(stack: Stack) -> tuple[str, list[str]]:
    """Register, verify, log in, read /v1/me; returns the account id and every secret seen."""
    started = post(stack, "/v1/registrations", {**HOA, "password": PASSWORD})
    assert started.status_code == 201, started.text
    assert started.json()["phone_hint"] == "091****678"
    (register_code,) = sms_codes(stack, HOA["phone"], 1)

    verified = post(
        stack, f"/v1/registrations/{started.json()['registration_id']}/verify", {"code": register_code}
    )
    assert verified.status_code == 201, verified.text
    account_id = verified.json()["account_id"]

    challenge = post(stack, "/v1/sessions", {"id_number": HOA["id_number"], "password": PASSWORD})
    assert challenge.status_code == 201, challenge.text
    login_code = sms_codes(stack, HOA["phone"], 2)[1]
    tokens = post(stack, f"/v1/sessions/{challenge.json()['challenge_id']}/verify", {"code": login_code})
    assert tokens.status_code == 200, tokens.text
    access, refresh = tokens.json()["access_token"], tokens.json()["refresh_token"]

    me = httpx.get(
        f"{stack.url('identity')}/v1/me", headers={"Authorization": f"Bearer {access}"}, timeout=10
    )
    assert me.status_code == 200, me.text
    assert me.json()["account_id"] == account_id and me.json()["full_name"] == HOA["full_name"]

    return account_id, [PASSWORD, register_code, login_code, access, refresh]


async def test_a_resident_registers_logs_in_and_is_known_to_the_platform(
    stack: Stack, read_topic: Reader
) -> None:
    account_id, secrets = await asyncio.to_thread(register_and_log_in, stack)
    deadline = time.monotonic() + 60
    while True:
        records = await read_topic(IDENTITY_ACCOUNT.name)
        mine = [r for r in records if r.key == account_id.encode()]
        if len(mine) >= 2 or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    envelopes = [Envelope.model_validate_json(r.value or b"") for r in mine]
    assert [e.event_type for e in envelopes] == ["AccountRegistered", "PhoneVerified"]
    registered = AccountRegistered.model_validate(envelopes[0].payload)
    assert str(registered.account_id) == account_id
    for record in mine:
        raw = (record.value or b"").decode()
        assert not [s for s in secrets if s in raw]
        # Nor her personal data (ADR 0021): nobody downstream needs it from identity.
        assert not [s for s in (HOA["id_number"], HOA["phone"], HOA["full_name"]) if s in raw]
        assert "hash" not in Envelope.model_validate_json(raw).payload


def test_a_mismatch_with_the_registry_is_refused_and_sends_nothing(stack: Stack) -> None:
    body = {**HOA, "id_number": "048185000777", "full_name": "Lê Thị Mai", "date_of_birth": "1985-11-03"}
    refused = post(stack, "/v1/registrations", {**body, "phone": "0935111222", "password": PASSWORD})

    assert refused.status_code == 400
    assert refused.json()["code"] == "registry.mismatch"
    assert "Cơ sở dữ liệu quốc gia về dân cư" in refused.json()["message"]
    listed = httpx.get(f"{stack.url('notify')}/v1/dev/sms", params={"phone": "0935111222"}, timeout=10).json()
    assert listed == []
