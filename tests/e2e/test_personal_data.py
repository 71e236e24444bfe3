"""No personal data in clear on the topics or in the stores (issue 15, ADR 0021).

The production configuration (no development sink: SMS go to the provider's simulator) runs a
whole story of the demo resident Trần Văn Minh: he registers, files a temporary-residence
dossier with his e-mail, pays it online, an officer accepts and decides it and the signed
e-result goes out; a host notifies his stay as a lodging guest. Then every record of every
topic (key, value, headers) and every file of every service's data directory is read as bytes:
his ID number, phone and date of birth appear nowhere, in any of the forms they could take
(as typed, NFC/NFD, JSON-escaped, digits only, the date as dd/mm/yyyy or ddmmyyyy).
"""

from __future__ import annotations

import asyncio
import time
import unicodedata
from datetime import datetime, timedelta

import httpx
import pytest

from dvc_contracts.topics import ALL_TOPICS
from dvc_kernel.clock import VIETNAM
from dvc_testing.e2e import (
    MINH,
    MINH_WARD,
    OFFICER,
    OPERATOR,
    PASSWORD,
    Person,
    appoint,
    bearer,
    bootstrap_operator,
    decide_and_issue,
    file_at_intake,
    file_temporary_residence,
    pay_online,
    register_citizen,
    tracking_when,
)
from dvc_testing.e2e_fixtures import module_stack
from dvc_testing.stack import SERVICES, Stack
from dvc_testing.topic_reading import read_all

pytestmark = pytest.mark.e2e

HOA = Person("001203004321", "Nguyễn Thị Hoa", "0912345678", "2003-05-14")  # the host
MINH_MAIL = "tran.van.minh@example.vn"


def forms(value: str) -> set[bytes]:
    """Every byte form `value` could take in a file or a message."""
    texts = {value, unicodedata.normalize("NFC", value), unicodedata.normalize("NFD", value)}
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) >= 8:
        texts.add(digits)
    found = {t.encode("utf-8") for t in texts} | {t.encode("utf-16-le") for t in texts}
    found |= {t.encode("unicode_escape") for t in texts}
    return {f for f in found if f}


SECRETS = {
    "ID number": forms(MINH.id_number),
    "phone": forms(MINH.phone) | forms("+84903123456") | forms("84903123456"),
    "date of birth": forms("1990-08-21") | forms("21/08/1990") | forms("21081990") | forms("19900821"),
}


def leaks(where: str, data: bytes) -> list[str]:
    return [f"{what} in {where}" for what, found in SECRETS.items() if any(f in data for f in found)]


stack = module_stack(19700, "personal-data", development=False)  # helper block 19700-19799


@pytest.fixture(scope="module")
def story(stack: Stack) -> dict[str, str]:
    return the_whole_story(stack)


def the_whole_story(stack: Stack) -> dict[str, str]:
    operator = bootstrap_operator(stack, OPERATOR, PASSWORD)
    officer = appoint(stack, operator, OFFICER, "officer", [f"CAX-{MINH_WARD}"], PASSWORD)
    minh = register_citizen(stack, MINH, PASSWORD)
    host = register_citizen(stack, HOA, PASSWORD)

    filed = file_temporary_residence(stack, minh, MINH, MINH_WARD, "personal-data", email=MINH_MAIL)
    assert filed.status_code == 201, filed.text
    code: str = filed.json()["dossier_code"]
    pay_online(stack, minh, code)
    tracking_when(stack, code, minh, lambda v: v["fee_paid_vnd"] == 7000, "paid")
    decide_and_issue(stack, officer, code, "Đã đăng ký tạm trú tại phường Bến Thành", "CT08")
    tracking_when(
        stack, code, minh, lambda v: v.get("delivery_status") == "dispatched", "dispatched", timeout=90
    )

    arrived = (datetime.now(VIETNAM) - timedelta(hours=1)).replace(microsecond=0)
    notice = {
        "establishment": "Nhà nghỉ Hoàn Kiếm",
        "ward_code": "00070",
        "address": "12 phố Hàng Trống",
        "guests": [
            {
                "id_number": MINH.id_number,
                "full_name": MINH.full_name,
                "date_of_birth": MINH.date_of_birth,
                "arrived_at": arrived.isoformat(),
                "stay_from": arrived.date().isoformat(),
                "stay_until": (arrived.date() + timedelta(days=2)).isoformat(),
            }
        ],
    }
    answer = file_at_intake(stack, "/v1/lodging-notices", notice, host, "personal-data-notice")
    assert answer.status_code == 201, answer.text
    return {"code": code, "operator": operator, "officer": officer}


async def every_record(bootstrap: str) -> list[tuple[str, bytes]]:
    """Every record of every topic the platform has, key, value and headers as bytes (aborted
    records too: nothing may hold it)."""
    records = await read_all(bootstrap, *(t.name for t in ALL_TOPICS), committed_only=False)
    found: list[tuple[str, bytes]] = []
    for r in records:
        headers = b"".join(k.encode() + v for k, v in r.headers)
        found.append((f"{r.topic}@{r.offset}", (r.key or b"") + (r.value or b"") + headers))
    return found


def test_no_topic_and_no_store_holds_the_residents_personal_data_in_clear(
    stack: Stack, story: dict[str, str], kafka_bootstrap: str
) -> None:
    code = story["code"]

    records = asyncio.run(every_record(kafka_bootstrap))
    topics = {where.split("@")[0] for where, _ in records}
    for expected in (
        "intake.dossier.v1",
        "intake.lodging.v1",
        "processing.lodging.v1",
        "identity.account.v1",
    ):
        assert expected in topics, topics
    found = [leak for where, data in records for leak in leaks(where, data)]

    # The search finds what it looks for: the registry extract holds his data in clear.
    registry = stack.data_dir / "identity" / "registry.csv"
    assert len(leaks("registry", registry.read_bytes())) == 3
    files = [p for p in stack.data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "events.sqlite3" for p in files)
    for path in files:
        if "personal-keys" in path.parts:
            continue  # the data keys, named by dossier id
        if path == registry:
            continue  # the population registry's extract identity checks against: an input, not ours
        found += leaks(str(path.relative_to(stack.data_dir)), path.read_bytes())
    assert found == [], f"dossier {code}: personal data in clear: {found}"
    print(f"\nscanned {len(records)} records on {len(topics)} topics and {len(files)} files: no leak")


def test_production_has_no_sms_listing_and_the_codes_went_to_the_provider(
    stack: Stack, story: dict[str, str]
) -> None:
    assert (
        httpx.get(f"{stack.url('notify')}/v1/dev/sms", params={"phone": MINH.phone}, timeout=10).status_code
        == 404
    )
    received = httpx.get(stack.sms_url(), params={"phone": MINH.phone}, timeout=10).json()
    assert any("Mã xác thực" in m["text"] or "mã" in m["text"].lower() for m in received)


def test_a_removed_officers_token_is_refused_by_every_service_within_seconds(
    stack: Stack, story: dict[str, str]
) -> None:
    officer = bearer(story["officer"])
    me = httpx.get(f"{stack.url('identity')}/v1/me", headers=officer, timeout=10).json()
    probe = "/v1/audit/notifications"  # auditors only: an officer is refused (403) until revoked (401)
    assert {
        s: httpx.get(f"{stack.url(s)}{probe}", headers=officer, timeout=10).status_code for s in SERVICES
    } == {s: 403 for s in SERVICES}
    removed = httpx.delete(
        f"{stack.url('identity')}/v1/staff/{me['account_id']}",
        params={"reason": "Chuyển công tác"},
        headers=bearer(story["operator"]),
        timeout=30,
    )
    assert removed.status_code == 204, removed.text
    started = time.monotonic()
    waiting = set(SERVICES)
    while waiting:
        for service in sorted(waiting):
            answer = httpx.get(f"{stack.url(service)}{probe}", headers=officer, timeout=10)
            if answer.status_code == 401 and answer.json()["code"] == "auth.revoked":
                waiting.discard(service)
        assert time.monotonic() - started < 10, f"still accepted by {sorted(waiting)}"
        time.sleep(0.1)
    print(
        f"\nthe removed officer's token refused by all seven services in {time.monotonic() - started:.2f} s"
    )
