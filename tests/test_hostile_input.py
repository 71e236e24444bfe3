"""Hostile input against every service, in process: sizes refused before work, errors in one
format (RFC 9457 problem details, Vietnamese texts), `Allow` on a 405 (issue 14)."""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_kernel.devstack import SERVICES
from dvc_kernel.testing.tokens import TestTokens

TOKENS = TestTokens()
MB = 1000 * 1000


@pytest.fixture(scope="module")
def apps() -> Iterator[dict[str, FastAPI]]:
    os.environ["DVC_DATA_DIR"] = tempfile.mkdtemp(prefix="dvc-hostile-")
    built = {name: importlib.import_module(f"dvc_{name}.main").build() for name in SERVICES}
    for app in built.values():
        app.state.token_verifier = TOKENS.verifier()
    yield built
    for app in built.values():
        app.state.runtime.app.close()


def client(apps: dict[str, FastAPI], service: str) -> TestClient:
    return TestClient(apps[service], raise_server_exceptions=False)


def test_a_50_mb_registration_is_refused_before_it_is_parsed(apps: dict[str, FastAPI]) -> None:
    body = b'{"id_number": "' + b"1" * (50 * MB) + b'"}'
    answer = client(apps, "identity").post(
        "/v1/registrations", content=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "request_too_large"


def test_an_unauthenticated_400_mib_upload_is_401_before_anything_is_read(apps: dict[str, FastAPI]) -> None:
    headers = {"Content-Length": str(400 * 1024 * 1024), "Content-Type": "multipart/form-data; boundary=x"}
    answer = client(apps, "intake").post("/v1/files", content=b"--x", headers=headers)
    assert answer.status_code == 401 and answer.json()["code"] == "auth.missing_token"
    signed_in = {**headers, **TOKENS.headers("citizen")}
    answer = client(apps, "intake").post("/v1/files", content=b"--x", headers=signed_in)
    assert answer.status_code == 413


@pytest.mark.parametrize("service", SERVICES)
def test_a_wrong_method_is_a_405_with_allow(apps: dict[str, FastAPI], service: str) -> None:
    answer = client(apps, service).delete("/healthz")
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET"
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["title"] == "Phương thức không được hỗ trợ"


@pytest.mark.parametrize("service", SERVICES)
def test_an_unknown_address_is_a_problem_in_vietnamese(apps: dict[str, FastAPI], service: str) -> None:
    answer = client(apps, service).get("/v1/nothing-here")
    assert answer.status_code == 404
    body = answer.json()
    assert body["status"] == 404 and body["detail"] == "Không tìm thấy địa chỉ yêu cầu."


def test_field_errors_are_in_vietnamese(apps: dict[str, FastAPI]) -> None:
    answer = client(apps, "identity").post("/v1/registrations", json={})
    assert answer.status_code == 422
    body = answer.json()
    assert answer.headers["content-type"] == "application/problem+json"
    assert "Field required" not in answer.text
    assert body["errors"] and all(e["problem"] == "Thiếu thông tin bắt buộc." for e in body["errors"])
    assert {e["type"] for e in body["errors"]} == {"missing"}
