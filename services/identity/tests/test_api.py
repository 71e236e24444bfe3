"""HTTP API, in-process: identity's routes over an encrypted SQLite store, talking to notify's
real OTP endpoint (in-process too) and its SMS sink. Every error is a 4xx JSON {code, message}."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_identity.adapters.notify_client import NotifyOtpSender
from dvc_identity.application import Collaborators, IdentityApplication
from dvc_identity.main import build
from dvc_identity.settings import IdentitySettings
from dvc_kernel.errors import install_error_handlers
from dvc_kernel.local_secrets import SERVICE_SECRET_HEADER
from dvc_notify.adapters.sms import SmsSink
from dvc_notify.api import otp

from .conftest import HOA, PASSWORD

OFFICER = {
    "id_number": "038088004567",
    "full_name": "Hoàng Văn Đức",
    "phone": "0987654321",
    "role": "officer",
    "units": ["CAX-00070"],
    "password": "trực ban phường Hoàn Kiếm",
}


class Portal:
    def __init__(self, client: TestClient, sink: SmsSink, app: IdentityApplication, secret: str) -> None:
        self.client, self.sink, self.app, self.secret = client, sink, app, secret

    def code(self, phone: str) -> str:
        text: str = self.sink.list(phone)[0]["text"]
        return next(word for word in text.replace(",", " ").split() if word.isdigit() and len(word) == 6)

    def register(self, person: dict[str, str] = HOA) -> str:
        started = self.client.post("/v1/registrations", json={**person, "password": PASSWORD})
        assert started.status_code == 201, started.text
        registration = started.json()["registration_id"]
        verified = self.client.post(
            f"/v1/registrations/{registration}/verify", json={"code": self.code(person["phone"])}
        )
        assert verified.status_code == 201, verified.text
        account: str = verified.json()["account_id"]
        return account

    def log_in(
        self, id_number: str, password: str, phone: str, account_type: str = "citizen"
    ) -> dict[str, Any]:
        body = {"id_number": id_number, "password": password, "account_type": account_type}
        challenge = self.client.post("/v1/sessions", json=body)
        assert challenge.status_code == 201, challenge.text
        tokens = self.client.post(
            f"/v1/sessions/{challenge.json()['challenge_id']}/verify", json={"code": self.code(phone)}
        )
        assert tokens.status_code == 200, tokens.text
        found: dict[str, Any] = tokens.json()
        return found


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tools: Collaborators) -> Iterator[Portal]:
    monkeypatch.setenv("DVC_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DVC_SERVICE_SECRET", raising=False)
    settings = IdentitySettings()
    secret = settings.service_secret()  # generated into the data dir, as in development
    sink = SmsSink(tmp_path / "sms.sqlite3")
    notify = FastAPI()
    install_error_handlers(notify)
    notify.include_router(otp.router(sink, secret))
    tools.sms = NotifyOtpSender("http://notify", secret, client=TestClient(notify, base_url="http://notify"))
    app = IdentityApplication(env=settings.eventstore_env(), tools=tools)
    yield Portal(TestClient(build(settings, app)), sink, app, secret)
    app.close()


def operator_token(portal: Portal) -> str:
    from dvc_identity.application.staff import StaffRequest
    from dvc_kernel.meta import CommandMeta

    portal.app.appoint_staff(
        StaffRequest("001078005555", "Phạm Quốc Bảo", "0977000111", "operator", ["C06"], "quản trị hệ thống"),
        CommandMeta.system("identity-cli"),
    )
    token: str = portal.log_in("001078005555", "quản trị hệ thống", "0977000111", "staff")["access_token"]
    return token


def test_register_log_in_and_see_yourself(portal: Portal) -> None:
    account = portal.register()
    assert "Cổng dịch vụ công" in portal.sink.list(HOA["phone"])[0]["text"]
    tokens = portal.log_in(HOA["id_number"], PASSWORD, HOA["phone"])

    me = portal.client.get("/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})

    assert me.status_code == 200, me.text
    assert me.json()["account_id"] == account and me.json()["full_name"] == "Nguyễn Thị Hoa"
    assert me.json()["role"] == "citizen"

    refreshed = portal.client.post("/v1/tokens/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200 and refreshed.json()["refresh_token"] != tokens["refresh_token"]
    logout = portal.client.post(
        "/v1/sessions/logout", json={"refresh_token": refreshed.json()["refresh_token"]}
    )
    assert logout.status_code == 204


def test_jwks_serves_the_public_keys_only(portal: Portal) -> None:
    jwks = portal.client.get("/.well-known/jwks.json").json()
    assert jwks["keys"] and all(set(k) == {"kty", "crv", "x", "kid", "alg", "use"} for k in jwks["keys"])


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        (
            "post",
            "/v1/registrations",
            {**HOA, "full_name": "Nguyễn Thị Hòa", "password": PASSWORD},
            400,
            "registry.mismatch",
        ),
        ("post", "/v1/registrations", {**HOA, "password": "12345678"}, 400, "password.too_common"),
        ("post", "/v1/registrations", {**HOA, "date_of_birth": "14/05/2003"}, 422, "invalid_request"),
        ("post", "/v1/registrations/not-a-uuid/verify", {"code": "123456"}, 422, "invalid_request"),
        (
            "post",
            f"/v1/registrations/{'0' * 8}-0000-0000-0000-{'0' * 12}/verify",
            {"code": "123456"},
            404,
            "registration.not_found",
        ),
        (
            "post",
            "/v1/sessions",
            {"id_number": "001203004321", "password": "x"},
            401,
            "login.invalid_credentials",
        ),
        ("post", "/v1/sessions/abc/verify", {"code": "123456"}, 404, "otp.unknown_challenge"),
        ("post", "/v1/tokens/refresh", {"refresh_token": "y" * 43}, 401, "refresh.unknown"),
        ("get", "/v1/me", None, 401, "auth.missing_token"),
        ("post", "/v1/staff", OFFICER, 401, "auth.missing_token"),
        (
            "post",
            "/v1/organisations",
            {"tax_code": "0100109106", "name": "Viettel"},
            401,
            "auth.missing_token",
        ),
    ],
)
def test_every_error_is_a_clear_4xx(
    portal: Portal, method: str, path: str, body: dict[str, Any] | None, status: int, code: str
) -> None:
    response = portal.client.request(method, path, json=body)
    assert response.status_code == status, response.text
    problem = response.json()
    assert problem["code"] == code and problem["message"]


def test_operators_manage_staff_and_citizens_may_not(portal: Portal) -> None:
    operator = {"Authorization": f"Bearer {operator_token(portal)}"}
    created = portal.client.post("/v1/staff", json=OFFICER, headers=operator)
    assert created.status_code == 201, created.text
    staff_id = created.json()["account_id"]

    moved = portal.client.patch(f"/v1/staff/{staff_id}/units", json={"units": ["CAT-01"]}, headers=operator)
    assert moved.status_code == 200 and moved.json()["units"] == ["CAT-01"]
    bad = portal.client.patch(f"/v1/staff/{staff_id}/units", json={"units": ["CAX-1"]}, headers=operator)
    assert bad.status_code == 400 and bad.json()["code"] == "staff.bad_unit_code"
    no_reason = portal.client.delete(f"/v1/staff/{staff_id}", headers=operator)
    assert no_reason.status_code == 422
    removed = portal.client.delete(f"/v1/staff/{staff_id}", params={"reason": "Nghỉ hưu"}, headers=operator)
    assert removed.status_code == 204

    portal.register()
    citizen = portal.log_in(HOA["id_number"], PASSWORD, HOA["phone"])
    as_citizen = {"Authorization": f"Bearer {citizen['access_token']}"}
    refused = portal.client.post("/v1/staff", json=OFFICER, headers=as_citizen)
    assert refused.status_code == 403 and refused.json()["code"] == "auth.forbidden"


def test_a_citizen_registers_an_organisation(portal: Portal) -> None:
    portal.register()
    citizen = portal.log_in(HOA["id_number"], PASSWORD, HOA["phone"])
    headers = {"Authorization": f"Bearer {citizen['access_token']}"}
    created = portal.client.post(
        "/v1/organisations", json={"tax_code": "0100109106", "name": "Viettel"}, headers=headers
    )
    assert created.status_code == 201, created.text
    again = portal.client.post(
        "/v1/organisations", json={"tax_code": "0100109106", "name": "Viettel"}, headers=headers
    )
    assert again.status_code == 409 and again.json()["code"] == "organisation.already_registered"


def test_the_registry_look_up_is_for_services_and_staff(portal: Portal) -> None:
    declared = {k: HOA[k] for k in ("id_number", "full_name", "date_of_birth", "phone")}
    service = {SERVICE_SECRET_HEADER: portal.secret}

    assert portal.client.post("/v1/registry/match", json=declared, headers=service).json() == {
        "matched": True,
        "code": None,
        "message": None,
    }
    mismatch = portal.client.post(
        "/v1/registry/match", json={**declared, "date_of_birth": "2003-05-15"}, headers=service
    ).json()
    assert mismatch["matched"] is False and mismatch["code"] == "registry.mismatch"
    assert "Công an cấp xã" in mismatch["message"]

    assert portal.client.post("/v1/registry/match", json=declared).status_code == 401
    wrong = portal.client.post("/v1/registry/match", json=declared, headers={SERVICE_SECRET_HEADER: "guess"})
    assert wrong.status_code == 401

    portal.register()
    citizen = portal.log_in(HOA["id_number"], PASSWORD, HOA["phone"])
    as_citizen = {"Authorization": f"Bearer {citizen['access_token']}"}
    assert portal.client.post("/v1/registry/match", json=declared, headers=as_citizen).status_code == 403
    staff = {"Authorization": f"Bearer {operator_token(portal)}"}
    assert portal.client.post("/v1/registry/match", json=declared, headers=staff).json()["matched"] is True


def test_an_unreachable_notify_is_a_503_not_a_500(portal: Portal) -> None:
    portal.app.tools.sms = NotifyOtpSender("http://127.0.0.1:9", portal.secret, timeout=0.5)
    response = portal.client.post("/v1/registrations", json={**HOA, "password": PASSWORD})
    assert response.status_code == 503 and response.json()["code"] == "otp.sms_unavailable"
