"""End to end: a dossier travels intake -> Kafka -> processing -> Kafka -> notify -> SMS.

The seven services run as separate processes on the real broker, as in `make run`. The citizen
is a resident of identity's registry seed who registers and logs in through identity's HTTP API
(OTP read from notify's SMS sink); intake checks the declared applicant against that registry.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from aiokafka import ConsumerRecord

from dvc_contracts import parse
from dvc_contracts.topics import PROCESSING_DOSSIER
from dvc_kernel.clock import VIETNAM
from dvc_notify.domain.sms import segments
from dvc_testing import factories
from dvc_testing.e2e import MINH, MINH_WARD, PROOF_OF_RESIDENCE, bearer, register_citizen
from dvc_testing.e2e_fixtures import module_stack
from dvc_testing.stack import Stack

pytestmark = pytest.mark.e2e

Reader = Callable[[str], Awaitable[list[ConsumerRecord[bytes, bytes]]]]
PDF = factories.one_page_pdf()
# catalog revisions are seen within half a second
stack = module_stack(18100, "stack", CATALOG_WATCH_SECONDS="0.5")


@dataclass(frozen=True)
class Citizen:
    authorization: dict[str, str]
    proof_sha256: str  # the proof of residence he uploaded once, attached to all his dossiers


@pytest.fixture(scope="module")
def citizen(stack: Stack) -> Citizen:
    """Minh registers and logs in through identity; he uploads his rental contract once."""
    token = bearer(register_citizen(stack, MINH, "mật khẩu đủ dài 2026"))
    uploaded = httpx.post(
        f"{stack.url('intake')}/v1/files", files={"file": ("hop-dong.pdf", PDF)}, headers=token, timeout=30
    )
    assert uploaded.status_code == 201, uploaded.text
    return Citizen(token, uploaded.json()["sha256"])


def dossier_body(citizen: Citizen, phone: str, n: int, procedure: str = "1.004194") -> dict[str, Any]:
    # The phone is where the receipt goes; the registry check covers ID number, name and birth date.
    return {
        "procedure_code": procedure,
        "applicant": {
            "id_number": MINH.id_number,
            "full_name": MINH.full_name,
            "date_of_birth": MINH.date_of_birth,
            "phone": phone,
        },
        "delivery_mode": "e_result",
        "ward_code": MINH_WARD,
        "form_data": {
            "ho_ten": MINH.full_name,
            "ngay_sinh": MINH.date_of_birth,
            "gioi_tinh": "nam",
            "so_dinh_danh": MINH.id_number,
            "noi_dung_de_nghi": f"Đăng ký tạm trú, hồ sơ thử {n}",
            "noi_de_nghi_ma_xa": MINH_WARD,
        },
        "attachments": [{"sha256": citizen.proof_sha256, "document_code": PROOF_OF_RESIDENCE}],
    }


def headers(citizen: Citizen, key: str) -> dict[str, str]:
    return {**citizen.authorization, "Idempotency-Key": key}


def submit(stack: Stack, citizen: Citizen, phone: str, n: int, procedure: str = "1.004194") -> dict[str, Any]:
    response = httpx.post(
        f"{stack.url('intake')}/v1/dossiers",
        json=dossier_body(citizen, phone, n, procedure),
        headers=headers(citizen, f"e2e-{phone}-{n}"),
        timeout=30,
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def sms_for(stack: Stack, phone: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{stack.url('notify')}/v1/dev/sms", params={"phone": phone, "limit": 1000}, timeout=10
    )
    response.raise_for_status()
    found: list[dict[str, Any]] = response.json()
    return found


RECEIPT = "đã được tiếp nhận lúc"  # the reception SMS; the fee due is told in another


def wait_for_sms(stack: Stack, phone: str, count: int, timeout: float = 120) -> list[dict[str, Any]]:
    """The reception SMS to `phone`, once `count` have arrived (or at the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [s for s in sms_for(stack, phone) if RECEIPT in s["text"]]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.3)


def test_a_submitted_dossier_reaches_the_citizen_as_an_sms(stack: Stack, citizen: Citizen) -> None:
    phone = "0912" + str(uuid4().int)[:6]
    dossier = submit(stack, citizen, phone, 1)

    (sms,) = wait_for_sms(stack, phone, 1)

    assert dossier["dossier_code"] in sms["text"]
    assert "Hẹn trả kết quả:" in sms["text"]  # the appointment from the legal deadline
    assert segments(sms["text"]) <= 2  # a receipt fits in two SMS segments (ADR 0023 / issue 16)


def test_resubmitting_with_the_same_idempotency_key_gives_the_same_dossier(
    stack: Stack, citizen: Citizen
) -> None:
    phone = "0913" + str(uuid4().int)[:6]
    first = submit(stack, citizen, phone, 2)
    again = httpx.post(
        f"{stack.url('intake')}/v1/dossiers",
        json=dossier_body(citizen, phone, 2),
        headers=headers(citizen, f"e2e-{phone}-2"),
        timeout=30,
    )
    assert again.status_code == 200
    assert again.json()["dossier_code"] == first["dossier_code"]
    assert len(wait_for_sms(stack, phone, 1)) == 1


def test_bad_input_gets_a_clear_error_and_no_dossier(stack: Stack, citizen: Citizen) -> None:
    body = dossier_body(citizen, "0914000000", 3)
    body["applicant"]["id_number"] = "12345"
    response = httpx.post(
        f"{stack.url('intake')}/v1/dossiers",
        json=body,
        headers=headers(citizen, "e2e-bad-input"),
        timeout=30,
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invalid_request"
    assert any(f["field"] == "applicant.id_number" for f in problem["details"]["fields"])


async def test_processing_killed_mid_stream_receives_every_dossier_exactly_once(
    stack: Stack,
    citizen: Citizen,
    read_topic: Reader,
) -> None:
    phone = "0915" + str(uuid4().int)[:6]
    total = 40
    codes: list[str] = []
    for n in range(total):
        if n == 12:
            stack.kill("processing")  # SIGKILL: no clean shutdown, offsets not committed
        if n == 28:
            stack.start("processing")
        codes.append((await asyncio.to_thread(submit, stack, citizen, phone, 100 + n))["dossier_code"])
    await asyncio.to_thread(stack.wait_ready, ["processing"])

    sms = await asyncio.to_thread(wait_for_sms, stack, phone, total)
    assert sorted(code for s in sms for code in codes if code in s["text"]) == sorted(codes)
    assert len(sms) == total

    received = Counter()
    for record in await read_topic(PROCESSING_DOSSIER.name):
        envelope, payload = parse(record.value or b"")
        if envelope.event_type == "Received":
            received[json.loads(payload.model_dump_json())["dossier_code"]] += 1
    assert {code: received[code] for code in codes} == {code: 1 for code in codes}


# Gia hạn tạm trú: the same form and papers as Đăng ký tạm trú, and filed by no other test. The
# revision goes onto the session broker's catalog topic, which every stack started after this
# one follows: revising a procedure other tests file would change their deadlines.
REVISED = "1.002755"


def test_a_catalog_revision_reaches_the_running_services(stack: Stack, citizen: Citizen) -> None:
    """An operator adds version 3 of Gia hạn tạm trú, in force from today, with a 4-day deadline:
    the running catalog publishes it, and processing and intake, already running, follow it."""
    procedure = Path(stack.extra_env["CATALOG_DATA_DIR"]) / "procedures" / REVISED
    today = datetime.now(VIETNAM).date().isoformat()
    (procedure / "v3.yaml").write_text(
        "revises: 2\nversion: 3\n"
        f"effective_from: {today}\n"
        "deadline:\n  kind: working_days\n  amount: 4\n"
        "  saturday_morning_reception: true\n  on_supplement: restart\n",
        encoding="utf-8",
    )

    deadline = time.monotonic() + 60
    preview: dict[str, Any] = {}
    while time.monotonic() < deadline:
        preview = httpx.get(
            f"{stack.url('processing')}/v1/deadlines/preview",
            timeout=10,
            params={"procedure": REVISED, "received_at": datetime.now(VIETNAM).isoformat()},
        ).json()
        if preview.get("version") == 3:
            break
        time.sleep(0.3)
    assert preview["version"] == 3
    assert preview["rule"]["amount"] == 4
    served = httpx.get(f"{stack.url('catalog')}/v1/procedures/{REVISED}", timeout=10).json()
    assert served["version"] == 3
    dossier = submit(stack, citizen, "0916" + str(uuid4().int)[:6], 900, REVISED)
    assert dossier["procedure_version"] == 3
