"""End to end on the real broker, over HTTP with real accounts: a level-4 dossier is paid online
through the gateway simulator and its signed e-result reaches the citizen by e-mail, where it
verifies; a level-3 dossier's result waits at the office, its fee is paid at the counter and
the officer hands it over after checking the ID and the originals. The day's reconciliation
balances, and the citizen's inbox and the dossier's timeline show every step."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import httpx
import pytest

from dvc_kernel.clock import VIETNAM
from dvc_testing.e2e import (
    MINH,
    MINH_WARD,
    OFFICER,
    Person,
    bearer,
    call,
    decide_and_issue,
    file_at_intake,
    file_temporary_residence,
    pay_online,
    tracking_when,
)
from dvc_testing.e2e_fixtures import module_people, module_stack
from dvc_testing.stack import Stack

pytestmark = pytest.mark.e2e

WARD_POLICE = "CAX-26743"  # Công an phường Bến Thành, where Minh lives
CITY_POLICE = "CAT-79"  # Công an Thành phố Hồ Chí Minh, which reissues ID cards there
CASHIER = Person("001086003333", "Lê Thị Thu", "0987000333")
MINH_MAIL = "tran.van.minh@example.vn"

T = TypeVar("T")


def eventually(probe: Callable[[], T | None], what: str, timeout: float = 60) -> T:
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.25)


stack = module_stack(17100, "payment-delivery")


people = module_people(
    {
        "ward_officer": (OFFICER, "officer", [WARD_POLICE]),
        "city_officer": (CASHIER, "officer", [CITY_POLICE]),
    }
)


def tracking(stack: Stack, code: str, token: str) -> dict[str, Any]:
    return call(stack, "processing", "GET", f"/v1/dossiers/{code}", token)  # type: ignore[no-any-return]


def when_tracking(stack: Stack, code: str, token: str, **expected: Any) -> dict[str, Any]:
    return tracking_when(
        stack,
        code,
        token,
        lambda view: all(view.get(k) == v for k, v in expected.items()),
        f"showed {expected}",
    )


def fee_of(stack: Stack, code: str, token: str) -> dict[str, Any] | None:
    answer = httpx.get(f"{stack.url('payment')}/v1/dossiers/{code}/fee", headers=bearer(token), timeout=10)
    return answer.json() if answer.status_code == 200 else None  # type: ignore[no-any-return]


def test_a_level_4_dossier_is_paid_online_and_its_signed_e_result_arrives_by_e_mail(
    stack: Stack, people: dict[str, str]
) -> None:
    citizen, officer = people["citizen"], people["ward_officer"]
    filed = file_temporary_residence(stack, citizen, MINH, MINH_WARD, "level-4-paid", email=MINH_MAIL)
    assert filed.status_code == 201, filed.text
    code = filed.json()["dossier_code"]
    when_tracking(stack, code, citizen, status="received")

    # Temporary residence is paid before the dossier is handled: an officer cannot accept it yet.
    eventually(lambda: tracking(stack, code, citizen)["fee_due_vnd"], f"{code} fee assessed")
    unpaid = httpx.post(
        f"{stack.url('processing')}/v1/dossiers/{code}/accept", headers=bearer(officer), timeout=30
    )
    assert unpaid.status_code == 409 and unpaid.json()["code"] == "fee_not_paid"

    fee = pay_online(stack, citizen, code)
    assert fee["amount_vnd"] == 7000 and fee["paid"]["method"] == "gateway"
    when_tracking(stack, code, citizen, fee_paid_vnd=7000)
    decide_and_issue(stack, officer, code, "Đã đăng ký tạm trú tại phường Bến Thành", "CT08")

    # The signed e-result, e-mailed by notify with the PDF attached.
    def mail_with_pdf() -> dict[str, Any] | None:
        listed = httpx.get(
            f"{stack.simulator_url('smtp-sink')}/messages", params={"to": MINH_MAIL}, timeout=10
        )
        for message in listed.json():
            if any(a["media_type"] == "application/pdf" for a in message.get("attachments", [])):
                return message  # type: ignore[no-any-return]
        return None

    mail = eventually(mail_with_pdf, "the e-result e-mailed to Minh", timeout=90)
    assert code in mail["subject"]
    attached = next(a for a in mail["attachments"] if a["media_type"] == "application/pdf")
    pdf = httpx.get(attached["url"], timeout=10)
    assert pdf.content.startswith(b"%PDF-")

    verdict = httpx.post(
        f"{stack.url('delivery')}/v1/verify", files={"file": ("ket-qua.pdf", pdf.content)}, timeout=60
    ).json()
    assert verdict["authentic"] is True and verdict["dossier_code"] == code
    forged = bytearray(pdf.content)
    middle = len(forged) // 2
    forged[middle] = (forged[middle] + 1) % 256
    tampered = httpx.post(
        f"{stack.url('delivery')}/v1/verify", files={"file": ("ket-qua.pdf", bytes(forged))}, timeout=60
    ).json()
    assert tampered["authentic"] is False

    # The timeline tells the whole story, payment and delivery included.
    final = when_tracking(stack, code, citizen, delivery_status="dispatched")
    kinds = [step["event_type"] for step in final["timeline"]]
    for kind in (
        "Submitted",
        "Received",
        "FeeAssessed",
        "FeePaid",
        "Accepted",
        "Approved",
        "ResultIssued",
        "ResultDispatched",
    ):
        assert kind in kinds, kinds
    assert (
        kinds.index("FeePaid")
        < kinds.index("Accepted")
        < kinds.index("ResultIssued")
        < kinds.index("ResultDispatched")
    )

    # The citizen's inbox holds a message for every step they were told about.
    def inbox_complete() -> list[dict[str, Any]] | None:
        mine = [m for m in call(stack, "notify", "GET", "/v1/inbox", citizen) if m["dossier_code"] == code]
        templates = {m["template"] for m in mine}
        wanted = ("received", "fee", "paid", "accepted", "approved", "result")
        return mine if all(any(w in t for t in templates) for w in wanted) else None

    inbox = eventually(inbox_complete, f"Minh's inbox shows every step of {code}", timeout=60)
    assert {m["channel"] for m in inbox} == {"sms", "email"}

    # The day's payments match the gateway's own list.
    day = datetime.now(VIETNAM).date().isoformat()
    report = call(stack, "payment", "GET", f"/v1/reconciliation/{day}", officer)
    assert report["balanced"] is True, report


def test_a_level_3_result_waits_at_the_office_and_is_handed_over_after_the_checks(
    stack: Stack, people: dict[str, str]
) -> None:
    citizen, officer = people["citizen"], people["city_officer"]
    body = {
        "procedure_code": "2.001194",
        "applicant": {
            "id_number": MINH.id_number,
            "full_name": MINH.full_name,
            "phone": MINH.phone,
            "date_of_birth": MINH.date_of_birth,
        },
        "ward_code": MINH_WARD,
        "delivery_mode": "pickup",
        "form_data": {
            "ho_ten": MINH.full_name,
            "ngay_sinh": MINH.date_of_birth,
            "gioi_tinh": "nam",
            "so_dinh_danh": MINH.id_number,
            "so_dien_thoai": MINH.phone,
            "loai_de_nghi": "cap_lai",
            "ly_do": "Bị mất thẻ căn cước",
            "noi_lam_thu_tuc_ma_xa": MINH_WARD,
        },
        "attachments": [],
    }
    filed = file_at_intake(stack, "/v1/dossiers", body, citizen, "level-3-pickup")
    assert filed.status_code == 201, filed.text
    code, dossier_id = filed.json()["dossier_code"], filed.json()["dossier_id"]
    when_tracking(stack, code, citizen, status="received", unit_code=CITY_POLICE)

    # Level 3: the fee is paid at the office, so the result is issued first.
    fee = eventually(lambda: fee_of(stack, code, citizen), f"{code} fee assessed")
    assert (
        fee["methods"] == ["counter"] and fee["amount_vnd"] == 35000
    )  # online filing: half the in-person rate (catalog v2)
    decide_and_issue(stack, officer, code, "Cấp lại thẻ căn cước", "CC02")
    when_tracking(stack, code, citizen, delivery_status="ready_for_pickup")

    slots = call(stack, "delivery", "GET", f"/v1/pickup/{dossier_id}/slots", citizen)
    assert slots, "the city police has free reception slots"
    call(
        stack,
        "delivery",
        "POST",
        f"/v1/pickup/{dossier_id}/booking",
        citizen,
        {"slot_start": slots[0]["start"]},
    )
    when_tracking(stack, code, citizen, delivery_status="pickup_booked")

    # At the desk: the cashier's receipt, then the hand-over after checking the ID and the originals.
    no_originals = httpx.post(
        f"{stack.url('delivery')}/v1/pickup/{dossier_id}/collected",
        json={"id_checked": True, "originals_checked": False, "collected_by": MINH.full_name},
        headers=bearer(officer),
        timeout=30,
    )
    assert no_originals.status_code in (409, 422), no_originals.text
    call(
        stack,
        "payment",
        "POST",
        f"/v1/dossiers/{code}/counter-receipts",
        officer,
        {"receipt_number": "0001234/BL", "amount_vnd": 35000},
    )
    call(
        stack,
        "delivery",
        "POST",
        f"/v1/pickup/{dossier_id}/collected",
        officer,
        {"id_checked": True, "originals_checked": True, "collected_by": MINH.full_name},
    )
    final = when_tracking(stack, code, citizen, delivery_status="collected", fee_paid_vnd=35000)
    kinds = [step["event_type"] for step in final["timeline"]]
    for kind in ("FeeAssessed", "ResultIssued", "ReadyForPickup", "PickupBooked", "FeePaid", "Collected"):
        assert kind in kinds, kinds

    day = datetime.now(VIETNAM).date().isoformat()
    report = call(stack, "payment", "GET", f"/v1/reconciliation/{day}", officer)
    assert report["balanced"] is True, report
