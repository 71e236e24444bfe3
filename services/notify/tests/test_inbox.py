"""Each citizen reads their own messages over HTTP, newest first; staff read none; a one-time
code never reaches the inbox, the store or the public events."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_contracts.dossier import Accepted
from dvc_contracts.payment import FeeAssessed
from dvc_kernel.auth.fastapi import install_auth
from dvc_kernel.errors import install_error_handlers
from dvc_kernel.local_secrets import SERVICE_SECRET_HEADER
from dvc_notify.api import inbox, otp
from dvc_notify.translation import translator
from dvc_testing import factories
from dvc_testing.tokens import TestTokens

from .conftest import PHONE, Notify, eventually

TOKENS = TestTokens()
AT = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def client_for(notify: Notify) -> TestClient:
    http = FastAPI()
    install_error_handlers(http)
    install_auth(http, TOKENS.verifier())
    http.include_router(inbox.router(notify.app))
    http.include_router(otp.router(notify.sink, "secret"))
    return TestClient(http)


def fee(dossier_id: UUID, code: str) -> FeeAssessed:
    rule = "Lệ phí đăng ký cư trú nộp trực tuyến"
    return factories.fee_assessed(
        dossier_id, code, rule=rule, due="on_submission", methods=["gateway"], assessed_at=AT
    )


async def test_a_citizen_sees_their_own_messages_newest_first_with_their_status(notify: Notify) -> None:
    hoa, minh = "account-hoa", "account-minh"
    first, second, other = uuid4(), uuid4(), uuid4()
    notify.submitted(first, owner=hoa, email="hoa@example.vn")
    notify.feed(fee(first, "261123-K7M3Q9-4"), first)
    notify.submitted(second, owner=hoa)
    notify.feed(Accepted(dossier_id=second, dossier_code="261123-K7M3Q9-4", accepted_at=AT), second)
    notify.submitted(other, owner=minh)
    notify.feed(Accepted(dossier_id=other, dossier_code="261123-K7M3Q9-4", accepted_at=AT), other)
    async with notify.dispatching(email=_Accepting()):
        await eventually(lambda: all(m.status == "delivered" for m in notify.messages()))
    client = client_for(notify)

    answer = client.get("/v1/inbox", headers=TOKENS.headers("citizen", subject=hoa))

    assert answer.status_code == 200, answer.text
    mine = answer.json()
    assert [(m["template"], m["channel"]) for m in mine] == [
        ("accepted", "sms"),
        ("fee_due_on_submission", "sms"),
        ("fee_due_on_submission", "email"),
    ]
    assert {m["status"] for m in mine} == {"delivered"}
    assert {m["dossier_id"] for m in mine} == {str(first), str(second)}
    assert mine[2]["summary"] == "Hồ sơ 261123-K7M3Q9-4: phí, lệ phí cần nộp 7.000 đồng"
    theirs = client.get("/v1/inbox", headers=TOKENS.headers("citizen", subject=minh)).json()
    assert [m["dossier_id"] for m in theirs] == [str(other)]


def test_an_account_without_messages_has_an_empty_inbox(notify: Notify) -> None:
    answer = client_for(notify).get("/v1/inbox", headers=TOKENS.headers("organisation"))
    assert answer.status_code == 200 and answer.json() == []


@pytest.mark.parametrize("role", ["officer", "supervisor", "auditor", "operator"])
def test_staff_have_no_inbox_here(notify: Notify, role: str) -> None:
    answer = client_for(notify).get("/v1/inbox", headers=TOKENS.headers(role, ["CAX-00004"]))
    assert answer.status_code == 403


def test_without_a_token_the_inbox_is_refused(notify: Notify) -> None:
    assert client_for(notify).get("/v1/inbox").status_code == 401


async def test_a_one_time_code_never_reaches_the_inbox_the_store_or_the_events(notify: Notify) -> None:
    dossier = uuid4()
    notify.submitted(dossier, owner="account-hoa")
    notify.feed(Accepted(dossier_id=dossier, dossier_code="261123-K7M3Q9-4", accepted_at=AT), dossier)
    client = client_for(notify)
    code = "042917"
    body = {
        "message_id": "otp-aaaaaaaa",
        "phone": PHONE,
        "code": code,
        "purpose": "login",
        "valid_minutes": 5,
    }
    assert client.post("/v1/internal/otp", json=body, headers={SERVICE_SECRET_HEADER: "secret"}).is_success
    async with notify.dispatching():
        await eventually(lambda: all(m.status == "delivered" for m in notify.messages()))
    assert any(code in sms["text"] for sms in notify.sink.list(PHONE)), "the citizen got the code"

    inbox_text = client.get("/v1/inbox", headers=TOKENS.headers("citizen", subject="account-hoa")).text
    stored = [repr(vars(e)) for e in notify.stored_events()]
    translate = translator(lambda i, v: notify.app.repository.get(i, version=v))
    public = [
        json.dumps(out.payload.model_dump(mode="json"))
        for e in notify.stored_events()
        if (out := translate(e))
    ]
    assert public, "the SMS about the dossier was published"
    for text in (inbox_text, *stored, *public):
        assert code not in text


class _Accepting:
    async def send(self, email: object) -> str:
        return "250 OK queued as test"


def test_the_inbox_waits_for_a_filing_it_has_not_yet_seen(
    notify: Notify, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dvc_kernel import consistency

    monkeypatch.setattr(consistency, "WAIT_SECONDS", 0.2)
    dossier = uuid4()
    token = consistency.aggregate_token("intake", dossier, 2)
    hoa = TOKENS.headers("citizen", subject="account-hoa")
    early = client_for(notify).get("/v1/inbox", params={"consistency": token}, headers=hoa)
    assert early.status_code == 503 and early.headers["Retry-After"] == "1"
    notify.submitted(dossier, owner="account-hoa")
    later = client_for(notify).get("/v1/inbox", headers={**hoa, consistency.HEADER: token})
    assert later.status_code == 200
