"""Hostile input against every service, in process: sizes refused before work, errors in one
format (RFC 9457 problem details, Vietnamese texts), `Allow` on a 405 (issue 14)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_contracts import Envelope
from dvc_contracts.dossier import Received
from dvc_kernel import dead_letters
from dvc_kernel.inbox import Inbox, Record
from dvc_testing import factories
from dvc_testing.in_process import SMS_PROVIDER, built_services, environment
from dvc_testing.stack import SERVICES
from dvc_testing.tokens import TestTokens

TOKENS = TestTokens()
MB = 1000 * 1000


@pytest.fixture(scope="module")
def apps() -> Iterator[dict[str, FastAPI]]:
    data = tempfile.mkdtemp(prefix="dvc-hostile-")
    with environment({**SMS_PROVIDER, "DVC_DATA_DIR": data}), built_services(TOKENS) as built:
        yield built


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


# -- a poison message in front of valid ones, on every consuming service (ADR 0020) -----------

CONSUMERS = ["intake", "processing", "payment", "delivery", "notify"]


def valid_event(service: str) -> Envelope:
    dossier_id = uuid4()
    code = f"261123-{str(dossier_id.int)[:6]}-{dossier_id.hex[:1].upper()}"
    if service == "intake":  # intake follows what processing does with its dossiers
        received = Received(
            dossier_id=dossier_id,
            dossier_code=code,
            procedure_code="1.004194",
            received_at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
        )
        return factories.envelope(received, dossier_id, producer="processing")
    return factories.envelope(factories.submitted(dossier_id, dossier_code=code), dossier_id)


@pytest.mark.parametrize("service", CONSUMERS)
async def test_a_poison_message_is_set_aside_and_the_valid_ones_behind_it_applied_once(
    apps: dict[str, FastAPI], service: str
) -> None:
    app = apps[service].state.runtime.app
    if getattr(app, "catalog", None) is not None:
        app.catalog = factories.catalog_replica()  # as a running service has it, caught up
    valid = [valid_event(service) for _ in range(3)]
    topic = f"test.poison.{service}"
    # Not an envelope at all, with the header of a type the service handles.
    poison = Record(
        topic, 0, 0, b'{"event_type": "' + b"\xff" * 16, [("event_type", valid[0].event_type.encode())]
    )
    records = [
        poison,
        *(
            Record(topic, 0, i + 1, e.to_bytes(), [("event_type", e.event_type.encode())])
            for i, e in enumerate(valid)
        ),
    ]
    inbox = Inbox(app, handles=app.handles, max_attempts=2)

    await inbox.deliver_records(records, f"{service}-hostile")

    assert inbox.dead_letters == 1 and inbox.applied == 3
    [letter] = [d for d in dead_letters.pending(app) if d.topic == topic]
    assert (letter.partition, letter.offset, letter.attempts) == (0, 0, 2)
    assert letter.error.startswith("Undecodable")
    again = Inbox(app, handles=app.handles, max_attempts=2)
    await again.deliver_records(records, f"{service}-hostile")
    assert (again.applied, again.duplicates, again.dead_letters) == (0, 4, 0)  # each once, the poison too
