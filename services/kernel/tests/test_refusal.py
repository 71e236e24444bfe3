"""One refusal, one HTTP mapping: every kind of no answers with its own status, as a problem."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_kernel.errors import PROBLEM_JSON, STATUS_OF, install_error_handlers
from dvc_kernel.refusal import Kind, Refusal


def client_refusing(refusal: Refusal) -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/")
    def refuse() -> None:
        raise refusal

    return TestClient(app)


def test_every_kind_has_a_status() -> None:
    assert set(STATUS_OF) == set(Kind)


def test_a_refusal_answers_with_its_kinds_status_code_and_vietnamese_message() -> None:
    refused = Refusal("dossier_closed", "Hồ sơ đã kết thúc xử lý.", Kind.CONFLICT, dossier="ABC")
    answer = client_refusing(refused).get("/")
    assert answer.status_code == 409
    assert answer.headers["content-type"] == PROBLEM_JSON
    body = answer.json()
    assert body["code"] == "dossier_closed"
    assert body["detail"] == "Hồ sơ đã kết thúc xử lý."
    assert body["details"] == {"dossier": "ABC"}


def test_a_throttled_refusal_says_when_to_come_back() -> None:
    refused = Refusal("locked", "Tạm khoá, thử lại sau.", Kind.TOO_MANY, headers={"Retry-After": "3600"})
    answer = client_refusing(refused).get("/")
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "3600"


def test_a_rule_that_names_no_kind_refuses_as_invalid() -> None:
    assert client_refusing(Refusal("bad", "Không hợp lệ.")).get("/").status_code == 422
