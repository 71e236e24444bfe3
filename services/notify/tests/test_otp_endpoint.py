"""The internal OTP endpoint: only services may call it, it sends the code at once in a fixed
Vietnamese text, a repeated message id sends one SMS, and nothing else can be sent."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_kernel.errors import install_error_handlers
from dvc_kernel.local_secrets import SERVICE_SECRET_HEADER
from dvc_notify.adapters.sms import SmsSink
from dvc_notify.api import otp

SECRET = "shared-between-identity-and-notify"
BODY = {
    "message_id": "otp-3qkLcjwkX-r8lU4YjNXs4g",
    "phone": "0912345678",
    "code": "042917",
    "purpose": "login",
    "valid_minutes": 5,
}


@pytest.fixture
def sink(tmp_path: Path) -> SmsSink:
    return SmsSink(tmp_path / "sms.sqlite3")


@pytest.fixture
def client(sink: SmsSink) -> TestClient:
    http = FastAPI()
    install_error_handlers(http)
    http.include_router(otp.router(sink, SECRET))
    return TestClient(http)


def test_a_service_gets_the_code_sent_at_once_in_vietnamese(client: TestClient, sink: SmsSink) -> None:
    response = client.post("/v1/internal/otp", json=BODY, headers={SERVICE_SECRET_HEADER: SECRET})

    assert response.status_code == 200, response.text
    (sms,) = sink.list("0912345678")
    assert "042917" in sms["text"]
    assert "đăng nhập" in sms["text"] and "5 phút" in sms["text"]
    assert "không cung cấp mã này" in sms["text"]
    assert response.json()["provider_ref"].startswith("sink-")


def test_the_registration_text_says_registration(client: TestClient, sink: SmsSink) -> None:
    body = {**BODY, "purpose": "register", "message_id": "otp-registration-1"}
    client.post("/v1/internal/otp", json=body, headers={SERVICE_SECRET_HEADER: SECRET})
    assert "đăng ký tài khoản" in sink.list("0912345678")[0]["text"]


def test_a_repeated_message_id_sends_one_sms(client: TestClient, sink: SmsSink) -> None:
    for _ in range(3):
        assert client.post("/v1/internal/otp", json=BODY, headers={SERVICE_SECRET_HEADER: SECRET}).is_success
    assert len(sink.list("0912345678")) == 1


@pytest.mark.parametrize("headers", [{}, {SERVICE_SECRET_HEADER: "guess"}, {SERVICE_SECRET_HEADER: ""}])
def test_without_the_service_secret_nothing_is_sent(
    client: TestClient, sink: SmsSink, headers: dict[str, str]
) -> None:
    response = client.post("/v1/internal/otp", json=BODY, headers=headers)

    assert response.status_code == 403
    assert response.json()["code"] == "auth.service_only"
    assert response.json()["detail"] == "Chức năng này chỉ dành cho các dịch vụ nội bộ."
    assert sink.list() == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code", "12345"),  # not six digits
        ("code", "Chuyển tiền vào tài khoản 123"),  # no free text
        ("purpose", "marketing"),  # only the fixed templates
        ("phone", "+84912345678"),
        ("message_id", "x"),
    ],
)
def test_anything_but_a_code_for_a_known_template_is_refused(
    client: TestClient, sink: SmsSink, field: str, value: str
) -> None:
    response = client.post(
        "/v1/internal/otp", json={**BODY, field: value}, headers={SERVICE_SECRET_HEADER: SECRET}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert sink.list() == []


def test_the_code_is_never_logged(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("DEBUG"):
        client.post("/v1/internal/otp", json=BODY, headers={SERVICE_SECRET_HEADER: SECRET})
    assert "042917" not in caplog.text
