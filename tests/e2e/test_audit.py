"""End to end on the real broker: the auditors' tool rebuilds what tracking shows from the
topics alone, checks the rules and the hash chains, compares processing's store with its
topics and names who read a dossier; the SSE stream resumes without a gap, keeps units apart
and holds a hundred subscribers."""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import sys
import time
from datetime import datetime
from typing import Any

import httpx
import pytest

from dvc_testing.e2e import (
    MINH,
    OFFICER,
    Person,
    bearer,
    call,
    fee_settled,
    file_temporary_residence,
    pay_online,
    tracked,
    tracking_when,
)
from dvc_testing.e2e_fixtures import module_people, module_stack
from dvc_testing.stack import Stack

pytestmark = pytest.mark.e2e

STRANGER = Person("001085003333", "Lê Thị Hoa", "0987000333")
AUDITOR = Person("001085004444", "Phạm Quốc Bảo", "0987000444")
UNIT, OTHER_UNIT = "CAX-26743", "CAX-00004"


stack = module_stack(18400, "audit")


people = module_people(
    {
        "officer": (OFFICER, "officer", [UNIT]),
        "stranger": (STRANGER, "officer", [OTHER_UNIT]),
        "auditor": (AUDITOR, "auditor", ["C06"]),
    }
)


def subject_of(token: str) -> str:
    claims = token.split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["sub"])


def submit(stack: Stack, citizen: str, key: str) -> str:
    answer = file_temporary_residence(stack, citizen, MINH, "26743", key)
    assert answer.status_code in (200, 201), answer.text
    return str(answer.json()["dossier_code"])


def relayed(stack: Stack, timeout: float = 30) -> None:
    """Wait until processing's relay has published everything stored."""
    deadline = time.monotonic() + timeout
    while httpx.get(f"{stack.url('processing')}/readyz", timeout=10).json()["checks"]["relay_backlog"]:
        assert time.monotonic() < deadline, "processing's relay did not catch up"
        time.sleep(0.2)
    time.sleep(0.5)  # intake's relay too: it has no shorter signal than a moment


def audit(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dvc_processing.audit.cli", "--bootstrap", stack.kafka, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=stack.env(),
    )


async def read_stream(
    stack: Stack, token: str, last_event_id: int | None, until: Any, seconds: float
) -> list[dict[str, str]]:
    """SSE events until `until(events)` holds or `seconds` pass."""
    headers = bearer(token) | ({"Last-Event-ID": str(last_event_id)} if last_event_id is not None else {})
    events: list[dict[str, str]] = []
    try:
        async with (
            asyncio.timeout(seconds),
            httpx.AsyncClient(base_url=stack.url("processing"), timeout=None) as client,
            client.stream("GET", "/v1/stream", headers=headers) as answer,
        ):
            assert answer.status_code == 200
            current: dict[str, str] = {}
            async for line in answer.aiter_lines():
                if line == "":
                    if "id" in current:
                        events.append(current)
                        if until(events):
                            return events
                    current = {}
                elif not line.startswith(":") and ":" in line:
                    field, _, value = line.partition(":")
                    current[field] = value.strip()
    except TimeoutError:
        pass
    return events


def of(code: str, events: list[dict[str, str]]) -> list[dict[str, str]]:
    return [e for e in events if json.loads(e["data"])["payload"].get("dossier_code") == code]


async def test_the_audit_tool_and_the_stream_on_a_real_run(stack: Stack, people: dict[str, str]) -> None:
    citizen, officer, auditor = people["citizen"], people["officer"], people["auditor"]
    first = await asyncio.to_thread(submit, stack, citizen, "audit-0001")
    second = await asyncio.to_thread(submit, stack, citizen, "audit-0002")
    received = await asyncio.to_thread(tracked, stack, first, citizen, "received")
    assert received["unit_code"] == UNIT, received
    await asyncio.to_thread(tracked, stack, second, citizen, "received")

    # An officer tool subscribes, receives what is there, then drops the connection.
    before = await read_stream(stack, officer, 0, lambda ev: len(of(first, ev)) >= 1, 20)
    assert of(first, before), "the officer's stream never showed the dossier"
    resume_from = int(of(first, before)[0]["id"])

    await asyncio.to_thread(pay_online, stack, citizen, first)  # paid before it is handled
    await asyncio.to_thread(tracking_when, stack, first, officer, fee_settled, "was paid")
    accepted_at = datetime.now().astimezone()
    await asyncio.sleep(1.0)  # `--as-of` below falls between reception and acceptance
    proc = "processing"
    await asyncio.to_thread(call, stack, proc, "POST", f"/v1/dossiers/{first}/accept", officer)
    decision = {"outcome": "approved", "summary": "Đăng ký tạm trú tại phường Bến Thành"}
    await asyncio.to_thread(call, stack, proc, "POST", f"/v1/dossiers/{first}/decision", officer, decision)
    result = {"result_form": "CT08", "summary": "Đã cập nhật thông tin tạm trú"}
    await asyncio.to_thread(call, stack, proc, "POST", f"/v1/dossiers/{first}/result", officer, result)
    rejection = {
        "reason_code": "khong_du_dieu_kien_tam_tru",
        "legal_basis": "Luật Cư trú 68/2020/QH14, Điều 27",
        "explanation": "Chỗ ở không thuộc quyền sử dụng hợp pháp của người đăng ký.",
    }
    await asyncio.to_thread(call, stack, proc, "POST", f"/v1/dossiers/{second}/rejection", officer, rejection)
    await asyncio.to_thread(tracked, stack, first, citizen, "result_issued")
    final = await asyncio.to_thread(  # its story's last public step: the e-result dispatched
        tracking_when, stack, first, citizen, lambda v: v["delivery_status"] == "dispatched", "was dispatched"
    )
    await asyncio.to_thread(tracked, stack, second, officer, "rejected")  # a staff read: recorded
    await asyncio.to_thread(relayed, stack)

    # Reconnecting with Last-Event-ID: everything after it, nothing missed, nothing twice.
    after = await read_stream(
        stack, officer, resume_from, lambda ev: "ResultIssued" in [e["event"] for e in of(first, ev)], 30
    )

    def whole_story(ev: list[dict[str, str]]) -> bool:
        seen = [e["event"] for e in of(first, ev)] + [e["event"] for e in of(second, ev)]
        return "ResultIssued" in seen and "DossierViewed" in seen

    everything = await read_stream(stack, auditor, 0, whole_story, 30)
    # The officer's stream is the auditor's without the access log (staff reads are for auditors).
    expected = [
        e["id"] for e in of(first, everything) if int(e["id"]) > resume_from and e["event"] != "DossierViewed"
    ]
    assert [e["id"] for e in of(first, after)] == expected
    decisions = [e["event"] for e in of(first, after) if e["event"] != "Noted"]  # fee and delivery
    assert decisions == ["Accepted", "Approved", "ResultIssued"]
    assert all(e["event"] != "DossierViewed" for e in after)  # the access log is for auditors
    assert any(e["event"] == "DossierViewed" for e in everything)

    # An officer of another unit sees nothing of this unit's dossiers.
    stranger = await read_stream(stack, people["stranger"], 0, lambda ev: False, 3)
    assert of(first, stranger) == [] and of(second, stranger) == []

    # The tool, from the topics alone: the same timeline as tracking, and the earlier state.
    timeline = await asyncio.to_thread(audit, stack, "timeline", first)
    assert timeline.returncode == 0, timeline.stderr
    assert json.loads(timeline.stdout)["steps"] == final["timeline"]
    earlier = await asyncio.to_thread(audit, stack, "timeline", first, "--as-of", accepted_at.isoformat())
    assert json.loads(earlier.stdout)["status"] == "received"

    # The test broker is shared with other tests' stacks, whose stores may relay the same
    # dossiers again: only this run's dossiers are judged.
    checked = await asyncio.to_thread(audit, stack, "check", "--dossier", first, "--dossier", second)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    compared = await asyncio.to_thread(
        audit,
        stack,
        "compare",
        "--service",
        "processing",
        "--url",
        stack.url("processing"),
        "--token",
        auditor,
        "--known-subjects-only",  # the test broker is shared with other stacks
        "--dossier",  # whose test harnesses also publish onto processing's topic
        first,
        "--dossier",
        second,
    )
    assert compared.returncode == 0, compared.stdout + compared.stderr
    viewers = await asyncio.to_thread(audit, stack, "viewers", second)
    assert subject_of(officer) in [v["viewer_id"] for v in json.loads(viewers.stdout)]
    assert subject_of(citizen) not in [v["viewer_id"] for v in json.loads(viewers.stdout)]


async def test_a_hundred_subscribers_each_get_a_new_event(stack: Stack, people: dict[str, str]) -> None:
    auditor, officer = people["auditor"], people["officer"]
    code = await asyncio.to_thread(submit, stack, people["citizen"], "audit-0100")
    await asyncio.to_thread(tracked, stack, code, people["citizen"], "received")
    await asyncio.to_thread(relayed, stack)
    notifications = "/v1/audit/notifications?limit=1"
    start = (await asyncio.to_thread(call, stack, "processing", "GET", notifications, auditor))["max_id"]

    def saw_the_read(events: list[dict[str, str]]) -> bool:
        return any(e["event"] == "DossierViewed" and of(code, [e]) for e in events)

    clients = [asyncio.create_task(read_stream(stack, auditor, start, saw_the_read, 60)) for _ in range(100)]
    await asyncio.sleep(3.0)  # all connected and following
    await asyncio.to_thread(tracked, stack, code, officer, "received")  # a recorded read: a new event
    received = await asyncio.gather(*clients)
    assert all(saw_the_read(events) for events in received), sum(not saw_the_read(e) for e in received)
