"""HTTP routes, through FastAPI's TestClient, with the router mounted on a bare app."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_catalog.api import build_router
from dvc_catalog.domain.catalog import Catalog
from dvc_contracts.catalog import ProcedureVersionPublished
from dvc_kernel.clock import FixedClock
from dvc_kernel.errors import install_error_handlers

# 31/12/2024 23:30 UTC is already 01/01/2025 in Vietnam: the 2025 ID-card fees apply.
NEW_YEAR_IN_HANOI = datetime(2024, 12, 31, 23, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def client(catalog: Catalog) -> TestClient:
    app = FastAPI()
    app.include_router(build_router(catalog, clock=FixedClock(NEW_YEAR_IN_HANOI)))
    install_error_handlers(app)
    return TestClient(app)


def test_list_filters_by_field_and_level(client: TestClient) -> None:
    body = client.get("/v1/procedures", params={"field": "cu_tru", "level": "4"}).json()
    assert body["total"] == 11
    assert {p["field_code"] for p in body["items"]} == {"cu_tru"}


def test_list_searches_text_without_diacritics(client: TestClient) -> None:
    body = client.get("/v1/procedures", params={"q": "dang ky tam tru"}).json()
    first = body["items"][0]
    assert (first["code"], first["name"]) == ("1.004194", "Đăng ký tạm trú")


def test_bad_level_is_a_422_with_a_vietnamese_message(client: TestClient) -> None:
    for level in ("7", "bốn"):
        response = client.get("/v1/procedures", params={"level": level})
        assert response.status_code == 422
        body = response.json()
        assert (body["status"], body["code"]) == (422, "invalid_parameter")
        assert body["detail"] == body["message"] == "Tham số «level» phải là số nguyên từ 1 đến 4."


def test_unknown_field_is_a_422(client: TestClient) -> None:
    response = client.get("/v1/procedures", params={"field": "giao_thong"})
    assert response.status_code == 422 and response.json()["code"] == "unknown_field"


def test_detail_is_the_version_in_force_today_in_vietnam(client: TestClient) -> None:
    response = client.get("/v1/procedures/2.001194")
    assert response.status_code == 200
    body = ProcedureVersionPublished.model_validate(response.json())
    assert (body.version, body.fees.items[0].online) == (2, 35_000)
    assert body.form is not None and body.form.code == "CC01"


def test_detail_by_explicit_version(client: TestClient) -> None:
    body = client.get("/v1/procedures/2.001194", params={"version": "1"}).json()
    assert body["version"] == 1 and body["fees"]["items"][0]["online"] == 70_000


def test_unknown_procedure_and_version_are_404s(client: TestClient) -> None:
    response = client.get("/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response.json()["code"] == "procedure_not_found"
    assert response.json()["detail"] == "Không tìm thấy thủ tục hành chính có mã «9.999999»."
    response = client.get("/v1/procedures/1.004194", params={"version": "5"})
    assert response.status_code == 404
    assert response.json()["code"] == "procedure_version_not_found"
    assert client.get("/v1/procedures/1.004194", params={"version": "x"}).status_code == 422


def test_competent_unit_route(client: TestClient) -> None:
    body = client.get("/v1/procedures/1.004194/competent-unit", params={"ward": "00070"}).json()
    assert body["code"] == "CAX-00070" and body["parent_code"] == "CAT-01"
    response = client.get("/v1/procedures/1.004194/competent-unit", params={"ward": "99999"})
    assert response.status_code == 404 and response.json()["code"] == "ward_not_found"
    assert client.get("/v1/procedures/1.004194/competent-unit").status_code == 422


def test_units_are_paged_and_filtered(client: TestClient) -> None:
    body = client.get(
        "/v1/units", params={"level": "commune", "province": "1", "limit": "10", "offset": "5"}
    ).json()
    assert body["limit"] == 10 and body["offset"] == 5 and len(body["items"]) == 10
    assert body["total"] > 100 and {u["province_code"] for u in body["items"]} == {"01"}
    assert client.get("/v1/units", params={"level": "province"}).json()["total"] == 34
    found = client.get("/v1/units", params={"q": "Hoàn Kiếm"}).json()
    assert [u["code"] for u in found["items"]] == ["CAX-00070"]


@pytest.mark.parametrize(
    "params",
    [{"level": "district"}, {"province": "abc"}, {"limit": "0"}, {"limit": "501"}, {"offset": "-1"}],
)
def test_bad_unit_filters_are_422s(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/v1/units", params=params)
    assert response.status_code == 422 and response.json()["code"] == "invalid_parameter"


def test_unit_detail_and_404(client: TestClient) -> None:
    assert client.get("/v1/units/C06").json()["name"] == ("Cục Cảnh sát quản lý hành chính về trật tự xã hội")
    response = client.get("/v1/units/CAX-99999")
    assert response.status_code == 404 and response.json()["code"] == "unit_not_found"


def test_validation_errors_from_fastapi_get_the_same_body_shape(catalog: Catalog) -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/other")
    def other(n: int) -> int:
        return n

    response = TestClient(app).get("/other", params={"n": "x"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail", "code", "errors"} <= set(body)
    assert body["errors"] == [
        {"field": "n", "in": "query", "problem": "Phải là số nguyên.", "type": "int_parsing"}
    ]
