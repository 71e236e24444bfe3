"""End to end, with real accounts and tokens on the real broker: a dossier from submission to
result, every step visible in tracking and told to the citizen by SMS; the dossier rebuilt from
the topics alone equals what tracking shows."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from aiokafka import ConsumerRecord

from dvc_contracts import Envelope
from dvc_contracts.timeline import fold, interleave
from dvc_contracts.topics import INTAKE_DOSSIER, PAYMENT_FEE, PROCESSING_DOSSIER
from dvc_kernel.personal_data import opened_step
from dvc_testing.e2e import (
    MINH,
    OFFICER,
    call,
    decide_and_issue,
    fee_settled,
    file_temporary_residence,
    pay_online,
    tracked,
    tracking_when,
    wait_sms,
)
from dvc_testing.e2e_fixtures import module_people, module_stack
from dvc_testing.stack import Stack

pytestmark = pytest.mark.e2e

Reader = Callable[[str], Awaitable[list[ConsumerRecord[bytes, bytes]]]]
UNIT = "CAX-26743"  # Công an phường Bến Thành, where Minh lives


stack = module_stack(18300, "lifecycle")


people = module_people({"officer": (OFFICER, "officer", [UNIT])})


async def test_a_dossier_from_submission_to_result(
    stack: Stack, people: dict[str, str], read_topic: Reader
) -> None:
    citizen, officer = people["citizen"], people["officer"]
    answer = await asyncio.to_thread(
        file_temporary_residence, stack, citizen, MINH, "26743", "lifecycle-0001"
    )
    assert answer.status_code == 201, answer.text
    dossier = answer.json()
    code = dossier["dossier_code"]

    received = await asyncio.to_thread(tracked, stack, code, citizen, "received")
    assert received["due_at"] is not None and received["unit_code"] == UNIT
    await asyncio.to_thread(wait_sms, stack, MINH.phone, f"{code} đã được tiếp nhận")

    await asyncio.to_thread(
        call,
        stack,
        "processing",
        "POST",
        f"/v1/dossiers/{code}/supplement-requests",
        officer,
        {"items": [{"document_code": "CT01", "description": "Tờ khai CT01 thiếu ý kiến đồng ý của chủ hộ"}]},
    )
    await asyncio.to_thread(wait_sms, stack, MINH.phone, f"{code} cần bổ sung")
    await asyncio.to_thread(tracked, stack, code, citizen, "supplement_requested")

    await asyncio.to_thread(
        call,
        stack,
        "intake",
        "POST",
        f"/v1/dossiers/{code}/supplements",
        citizen,
        {"form_data": {}, "attachments": [], "note": "Đã có ý kiến của chủ hộ"},
        **{"Idempotency-Key": "lifecycle-0001-s1"},
    )
    await asyncio.to_thread(wait_sms, stack, MINH.phone, "Đã tiếp nhận hồ sơ bổ sung")
    await asyncio.to_thread(tracked, stack, code, officer, "received")

    # Temporary residence is paid before it is handled (the catalog's payment_timing).
    await asyncio.to_thread(pay_online, stack, citizen, code)
    await asyncio.to_thread(tracking_when, stack, code, officer, fee_settled, "was paid")
    approved, issued = "Đăng ký tạm trú tại phường Bến Thành", "Đã cập nhật thông tin tạm trú"
    await asyncio.to_thread(decide_and_issue, stack, officer, code, approved, "CT08", issued)
    final = await asyncio.to_thread(tracked, stack, code, citizen, "result_issued")
    await asyncio.to_thread(wait_sms, stack, MINH.phone, f"{code} đã có kết quả")

    kinds = [step["event_type"] for step in final["timeline"]]
    assert {"FeeAssessed", "FeePaid"} <= set(kinds)
    assert kinds.index("FeePaid") < kinds.index("Accepted")
    assert [k for k in kinds if not k.startswith("Fee")] == [
        "Submitted",
        "Received",
        "SupplementRequested",
        "Resubmitted",
        "ResubmissionReceived",
        "Accepted",
        "Approved",
        "ResultIssued",
    ]

    # The same dossier rebuilt by someone holding only the topics (an auditor): the same story.
    envelopes: list[Envelope] = []
    for topic in (INTAKE_DOSSIER.name, PROCESSING_DOSSIER.name, PAYMENT_FEE.name):
        for record in await read_topic(topic):
            envelope = Envelope.model_validate_json(record.value or b"")
            if envelope.payload.get("dossier_id") == dossier["dossier_id"]:
                envelopes.append(envelope)
    by_producer = [[e for e in envelopes if e.producer == p] for p in ("processing", "intake", "payment")]
    rebuilt = fold(interleave(by_producer))
    assert rebuilt is not None
    # The applicant travelled sealed (ADR 0021); an auditor given the data keys opens it.
    steps = [opened_step(step, dossier["dossier_id"]) for step in rebuilt.steps]
    assert [step.model_dump(mode="json") for step in steps] == final["timeline"]
    assert steps != rebuilt.steps  # it was sealed, and is open now
    assert (rebuilt.status, rebuilt.unit_code) == (final["status"], final["unit_code"])
