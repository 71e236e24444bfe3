"""Every error answer is a problem details document (RFC 9457) with Vietnamese texts."""

from __future__ import annotations

from fastapi import FastAPI, Query
from fastapi.testclient import TestClient

from dvc_kernel.errors import field_problem, install_error_handlers
from dvc_kernel.refusal import Kind, Refusal

app = FastAPI()
install_error_handlers(app)


@app.get("/boom")
def boom() -> None:
    raise RuntimeError("secret internals")


@app.get("/missing")
def missing() -> None:
    raise Refusal("dossier_not_found", "Không tìm thấy hồ sơ có mã này.", Kind.NOT_FOUND, code_given="X")


@app.get("/page")
def page(limit: int = Query(ge=1, le=100)) -> int:
    return limit


client = TestClient(app, raise_server_exceptions=False)


def test_an_unexpected_error_is_a_500_problem_that_tells_nothing_internal() -> None:
    answer = client.get("/boom")
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["code"] == "internal_error" and body["title"] == "Lỗi hệ thống"
    assert "secret" not in answer.text


def test_a_refusal_keeps_its_code_and_details() -> None:
    body = client.get("/missing").json()
    assert body == {
        "type": "https://dichvucong.bocongan.gov.vn/problems/dossier_not_found",
        "title": "Không tìm thấy",
        "status": 404,
        "detail": "Không tìm thấy hồ sơ có mã này.",
        "code": "dossier_not_found",
        "message": "Không tìm thấy hồ sơ có mã này.",
        "details": {"code_given": "X"},
    }


def test_field_errors_say_what_is_wrong_in_vietnamese() -> None:
    assert client.get("/page").json()["errors"][0]["problem"] == "Thiếu thông tin bắt buộc."
    assert client.get("/page?limit=0").json()["errors"][0]["problem"] == "Phải từ 1 trở lên."
    assert client.get("/page?limit=x").json()["errors"][0]["problem"] == "Phải là số nguyên."
    assert field_problem({"type": "something_new"}) == "Giá trị không hợp lệ."
    ours = {"type": "value_error", "ctx": {"error": ValueError("Số định danh phải có 12 chữ số.")}}
    assert field_problem(ours) == "Số định danh phải có 12 chữ số."
    theirs = {"type": "value_error", "ctx": {"error": ValueError("bad thing")}}
    assert field_problem(theirs) == "Giá trị không hợp lệ."
