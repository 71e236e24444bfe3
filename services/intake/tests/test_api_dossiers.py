"""HTTP: filing in one go, following my dossiers, who may see what."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from fastapi.testclient import TestClient

from dvc_kernel.auth.registry_stamp import registry_stamp
from dvc_testing.tokens import TestTokens

from .conftest import (
    CT01,
    HOA,
    PDF,
    PROOF_OF_RESIDENCE,
    SeededRegistry,
    citizen,
    dossier_body,
    intake_of,
    with_key,
)


def test_without_a_token_nothing_is_filed(http: TestClient) -> None:
    answer = http.post("/v1/dossiers", json=dossier_body(), headers={"Idempotency-Key": "no-token-1"})
    assert answer.status_code == 401
    assert answer.json()["code"] == "auth.missing_token"


def test_staff_cannot_file(http: TestClient, tokens: TestTokens) -> None:
    officer = tokens.headers("officer", units=["CAX-00070"])
    answer = http.post("/v1/dossiers", json=dossier_body(), headers=with_key(officer, "officer-files-1"))
    assert answer.status_code == 403


def test_a_citizen_files_an_absence_declaration_and_gets_a_code(http: TestClient, tokens: TestTokens) -> None:
    headers = citizen(tokens)
    answer = http.post("/v1/dossiers", json=dossier_body(), headers=with_key(headers, "absence-0001"))
    assert answer.status_code == 201, answer.text
    filed = answer.json()
    assert filed["dossier_code"].startswith("261123-")
    assert filed["procedure_version"] == 2  # Decree 154/2024 version, in force since 10/01/2025
    assert filed["unit_code"] == "CAX-00070"  # commune police of Phường Hoàn Kiếm
    assert filed["status"] == "submitted"
    again = http.post("/v1/dossiers", json=dossier_body(), headers=with_key(headers, "absence-0001"))
    assert again.status_code == 200 and again.json()["dossier_code"] == filed["dossier_code"]
    mine = http.get("/v1/dossiers", headers=headers).json()
    assert [d["dossier_code"] for d in mine] == [filed["dossier_code"]]


def test_someone_elses_dossier_is_not_found(http: TestClient, tokens: TestTokens) -> None:
    filed = http.post(
        "/v1/dossiers", json=dossier_body(), headers=with_key(citizen(tokens), "absence-0002")
    ).json()
    stranger = citizen(tokens, subject="account-stranger")
    answer = http.get(f"/v1/dossiers/{filed['dossier_code']}", headers=stranger)
    assert answer.status_code == 404
    assert answer.json()["code"] == "dossier_not_found"
    assert http.get("/v1/dossiers", headers=stranger).json() == []
    withdraw = http.post(f"/v1/dossiers/{filed['dossier_code']}/withdraw", headers=stranger, json={})
    assert withdraw.status_code == 404


def test_every_form_error_is_named_at_once(http: TestClient, tokens: TestTokens) -> None:
    form = {**CT01, "ngay_sinh": "2030-01-01", "so_dinh_danh": "12345", "gioi_tinh": "khac"}
    del form["ho_ten"]
    answer = http.post(
        "/v1/dossiers", json=dossier_body(form_data=form), headers=with_key(citizen(tokens), "bad-form-01")
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "invalid_form"
    fields = {f["field"]: f for f in problem["details"]["fields"]}
    assert set(fields) == {"ho_ten", "ngay_sinh", "gioi_tinh", "so_dinh_danh"}
    assert fields["ho_ten"]["message"] == "Vui lòng nhập «Họ, chữ đệm và tên»."
    assert fields["so_dinh_danh"]["label"] == "Số định danh cá nhân"
    assert "gồm đúng 12 chữ số" in fields["so_dinh_danh"]["message"]
    assert "Nam, Nữ" in fields["gioi_tinh"]["message"]
    assert http.get("/v1/dossiers", headers=citizen(tokens)).json() == []


def test_required_papers_must_be_attached(http: TestClient, tokens: TestTokens) -> None:
    body = dossier_body(procedure_code="1.004194", form_data=CT01)
    answer = http.post("/v1/dossiers", json=body, headers=with_key(citizen(tokens), "residence-01"))
    assert answer.status_code == 422
    assert answer.json()["code"] == "missing_documents"
    (missing,) = answer.json()["details"]["documents"]
    assert missing["document_code"] == PROOF_OF_RESIDENCE
    assert missing["message"] == "Chưa đính kèm «Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp»."

    uploaded = http.post(
        "/v1/files", files={"file": ("hop-dong-thue.pdf", PDF, "application/pdf")}, headers=citizen(tokens)
    ).json()
    body["attachments"] = [{"sha256": uploaded["sha256"], "document_code": PROOF_OF_RESIDENCE}]
    filed = http.post("/v1/dossiers", json=body, headers=with_key(citizen(tokens), "residence-02"))
    assert filed.status_code == 201, filed.text
    assert filed.json()["attachments"] == [
        {
            "sha256": uploaded["sha256"],
            "document_code": PROOF_OF_RESIDENCE,
            "media_type": "application/pdf",
            "size": len(PDF),
        }
    ]


def test_a_file_uploaded_by_someone_else_cannot_be_attached(http: TestClient, tokens: TestTokens) -> None:
    uploaded = http.post(
        "/v1/files", files={"file": ("x.pdf", PDF, "application/pdf")}, headers=citizen(tokens, "other")
    ).json()
    body = dossier_body(procedure_code="1.004194", form_data=CT01)
    body["attachments"] = [{"sha256": uploaded["sha256"], "document_code": PROOF_OF_RESIDENCE}]
    answer = http.post("/v1/dossiers", json=body, headers=with_key(citizen(tokens), "residence-03"))
    assert answer.status_code == 422
    assert answer.json()["code"] == "attachment_not_uploaded"


def test_declared_data_that_does_not_match_the_registry_is_refused(
    http: TestClient, tokens: TestTokens
) -> None:
    applicant = {**HOA, "date_of_birth": "2003-05-15"}
    answer = http.post(
        "/v1/dossiers",
        json=dossier_body(applicant=applicant),
        headers=with_key(citizen(tokens), "mismatch-01"),
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "registry_mismatch"
    assert "Công an cấp xã nơi cư trú" in answer.json()["message"]


def test_an_unknown_ward_is_refused(http: TestClient, tokens: TestTokens) -> None:
    answer = http.post(
        "/v1/dossiers", json=dossier_body(ward_code="99999"), headers=with_key(citizen(tokens), "ward-0001")
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "unknown_ward"


def test_a_malformed_request_names_the_field(http: TestClient, tokens: TestTokens) -> None:
    body = dossier_body()
    body["applicant"]["id_number"] = "12345"
    answer = http.post("/v1/dossiers", json=body, headers=with_key(citizen(tokens), "malformed-1"))
    assert answer.status_code == 422
    assert any(f["field"] == "applicant.id_number" for f in answer.json()["details"]["fields"])


def test_one_citizen_filing_many_dossiers_at_once_gets_them_all(http: TestClient, tokens: TestTokens) -> None:
    """Several tabs, or an organisation's clerk: concurrent filings by one account all land."""
    headers = citizen(tokens)

    def file(n: int) -> int:
        answer = http.post("/v1/dossiers", json=dossier_body(), headers=with_key(headers, f"burst-{n:04d}"))
        return answer.status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(file, range(24)))
    assert statuses == [201] * 24
    assert len(http.get("/v1/dossiers", headers=headers).json()) == 24


def test_a_citizen_filing_for_themselves_with_a_stamped_token_is_not_checked_again(
    http: TestClient, tokens: TestTokens, registry: SeededRegistry
) -> None:
    """Identity stamped the token: the holder's own data matched the registry when it was
    issued. Filing for that same person needs no second look-up (ADR 0018)."""
    secret = intake_of(http).service_secret
    assert secret is not None
    stamp = registry_stamp(
        secret, HOA["id_number"], HOA["full_name"], date.fromisoformat(HOA["date_of_birth"])
    )
    stamped = tokens.headers("citizen", subject="account-hoa", registry_stamp=stamp)

    answer = http.post("/v1/dossiers", json=dossier_body(), headers=with_key(stamped, "stamped-0001"))

    assert answer.status_code == 201, answer.text
    assert registry.asked == []


def test_filing_for_someone_else_than_the_stamped_holder_asks_the_registry(
    http: TestClient, tokens: TestTokens, registry: SeededRegistry
) -> None:
    secret = intake_of(http).service_secret
    assert secret is not None
    # The token's stamp is of another person (a parent filing for a child, say).
    stamp = registry_stamp(secret, "079090001234", "Trần Văn Minh", date(1990, 8, 21))
    stamped = tokens.headers("citizen", subject="account-minh", registry_stamp=stamp)

    answer = http.post("/v1/dossiers", json=dossier_body(), headers=with_key(stamped, "someone-0001"))

    assert answer.status_code == 201, answer.text
    assert [p.id_number for p in registry.asked] == [HOA["id_number"]]


def test_a_new_filing_answers_with_a_consistency_token_for_processings_views(
    http: TestClient, tokens: TestTokens
) -> None:
    headers = citizen(tokens)
    filed = http.post("/v1/dossiers", json=dossier_body(), headers=with_key(headers, "token-0001"))
    dossier = intake_of(http).owned_by_code("account-hoa", filed.json()["dossier_code"])
    assert filed.headers["X-Consistency-Token"] == f"intake/{dossier.id}@{dossier.version}"
    again = http.post("/v1/dossiers", json=dossier_body(), headers=with_key(headers, "token-0001"))
    assert "X-Consistency-Token" not in again.headers  # a replay wrote nothing new
