"""HTTP: a draft is saved, resumed on another device, given files, and submitted."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from dvc_testing.tokens import TestTokens

from .conftest import CT01, HOA, HOA_WARD, JPEG, PDF, PNG, PROOF_OF_RESIDENCE, citizen, with_key


def start(http: TestClient, headers: dict[str, str], procedure: str = "1.004194") -> dict[str, Any]:
    answer = http.post("/v1/drafts", json={"procedure_code": procedure}, headers=headers)
    assert answer.status_code == 201, answer.text
    assert answer.headers["ETag"] == f'"{answer.json()["version"]}"'
    draft: dict[str, Any] = answer.json()
    return draft


def fill(http: TestClient, headers: dict[str, str], draft: dict[str, Any]) -> dict[str, Any]:
    body = {"applicant": HOA, "delivery_mode": "e_result", "ward_code": HOA_WARD, "form_data": CT01}
    answer = http.put(
        f"/v1/drafts/{draft['draft_id']}", json=body, headers={**headers, "If-Match": f'"{draft["version"]}"'}
    )
    assert answer.status_code == 200, answer.text
    saved: dict[str, Any] = answer.json()
    return saved


def attach(
    http: TestClient, headers: dict[str, str], draft_id: str, content: bytes, name: str = "scan.pdf"
) -> Any:
    return http.post(
        f"/v1/drafts/{draft_id}/attachments",
        files={"file": (name, content, "application/pdf")},
        data={"document_code": PROOF_OF_RESIDENCE},
        headers=headers,
    )


def test_a_draft_shows_the_papers_the_procedure_asks_for(http: TestClient, tokens: TestTokens) -> None:
    draft = start(http, citizen(tokens))
    assert draft["status"] == "draft" and draft["pinned_version"] == 2
    assert draft["form_code"] == "CT01"
    papers = {d["code"]: d for d in draft["documents"]}
    assert papers["CT01"]["filled_online"] is True
    assert papers[PROOF_OF_RESIDENCE]["required"] is True and papers[PROOF_OF_RESIDENCE]["attached"] is False


def test_a_draft_is_saved_and_resumed(http: TestClient, tokens: TestTokens) -> None:
    headers = citizen(tokens)
    draft = start(http, headers)
    saved = fill(http, headers, draft)
    resumed = http.get(f"/v1/drafts/{draft['draft_id']}", headers=headers)
    assert resumed.status_code == 200
    assert resumed.json()["form_data"] == CT01
    assert resumed.headers["ETag"] == f'"{saved["version"]}"'
    assert [d["draft_id"] for d in http.get("/v1/drafts", headers=headers).json()] == [draft["draft_id"]]


def test_saving_over_a_newer_version_is_refused(http: TestClient, tokens: TestTokens) -> None:
    headers = citizen(tokens)
    draft = start(http, headers)
    fill(http, headers, draft)  # saved from the phone
    stale = http.put(
        f"/v1/drafts/{draft['draft_id']}",
        json={"form_data": {"ho_ten": "Nguyễn Thị Hoa"}},
        headers={**headers, "If-Match": f'"{draft["version"]}"'},  # the laptop's old copy
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "draft_changed"
    missing = http.put(f"/v1/drafts/{draft['draft_id']}", json={"form_data": {}}, headers=headers)
    assert missing.status_code == 428


def test_someone_elses_draft_is_not_found(http: TestClient, tokens: TestTokens) -> None:
    draft = start(http, citizen(tokens))
    other = citizen(tokens, "account-other")
    assert http.get(f"/v1/drafts/{draft['draft_id']}", headers=other).status_code == 404
    assert attach(http, other, draft["draft_id"], PDF).status_code == 404


def test_files_are_judged_by_content_not_by_name(http: TestClient, tokens: TestTokens) -> None:
    headers = citizen(tokens)
    draft = start(http, headers)
    fake = attach(http, headers, draft["draft_id"], b"MZ\x90\x00 this is an executable", "giay-to.pdf")
    assert fake.status_code == 415
    assert fake.json()["code"] == "file_type_not_allowed"
    assert "PDF, JPEG hoặc PNG" in fake.json()["message"]
    for content in (PDF, PNG, JPEG):
        assert attach(http, headers, draft["draft_id"], content).status_code == 201
    types = {
        a["media_type"]
        for a in http.get(f"/v1/drafts/{draft['draft_id']}", headers=headers).json()["attachments"]
    }
    assert types == {"application/pdf", "image/png", "image/jpeg"}


def test_a_file_over_the_size_limit_is_refused(http: TestClient, tokens: TestTokens) -> None:
    headers = citizen(tokens)
    draft = start(http, headers)
    big = attach(http, headers, draft["draft_id"], PDF + bytes(64 * 1024))  # the test limit is 64 KiB
    assert big.status_code == 413
    assert big.json()["code"] == "file_too_large"
    assert "dung lượng" in big.json()["message"]


def test_a_file_for_a_paper_the_procedure_does_not_ask_for_is_refused(
    http: TestClient, tokens: TestTokens
) -> None:
    headers = citizen(tokens)
    draft = start(http, headers)
    answer = http.post(
        f"/v1/drafts/{draft['draft_id']}/attachments",
        files={"file": ("x.pdf", PDF, "application/pdf")},
        data={"document_code": "CT99"},
        headers=headers,
    )
    assert answer.status_code == 422 and answer.json()["code"] == "unknown_document"


def test_a_draft_is_submitted_once_and_becomes_the_dossier(http: TestClient, tokens: TestTokens) -> None:
    headers = citizen(tokens)
    draft = start(http, headers)
    fill(http, headers, draft)
    early = http.post(f"/v1/drafts/{draft['draft_id']}/submit", headers=with_key(headers, "submit-0001"))
    assert early.status_code == 422 and early.json()["code"] == "missing_documents"
    assert attach(http, headers, draft["draft_id"], PDF).status_code == 201

    filed = http.post(f"/v1/drafts/{draft['draft_id']}/submit", headers=with_key(headers, "submit-0002"))
    assert filed.status_code == 201, filed.text
    code = filed.json()["dossier_code"]
    assert filed.headers["Location"] == f"/v1/dossiers/{code}"
    again = http.post(f"/v1/drafts/{draft['draft_id']}/submit", headers=with_key(headers, "submit-0002"))
    assert again.status_code == 200 and again.json()["dossier_code"] == code
    other_key = http.post(f"/v1/drafts/{draft['draft_id']}/submit", headers=with_key(headers, "submit-0003"))
    assert other_key.status_code == 409
    current = http.get(f"/v1/drafts/{draft['draft_id']}", headers=headers).headers["ETag"]
    edit = http.put(
        f"/v1/drafts/{draft['draft_id']}", json={"form_data": {}}, headers={**headers, "If-Match": current}
    )
    assert edit.status_code == 409 and edit.json()["code"] == "draft_already_submitted"
    assert http.get(f"/v1/dossiers/{code}", headers=headers).json()["attachments"][0]["document_code"] == (
        PROOF_OF_RESIDENCE
    )


def test_an_incomplete_draft_lists_everything_missing(http: TestClient, tokens: TestTokens) -> None:
    headers = citizen(tokens)
    draft = start(http, headers)
    answer = http.post(f"/v1/drafts/{draft['draft_id']}/submit", headers=with_key(headers, "submit-0009"))
    assert answer.status_code == 422
    details = answer.json()["details"]
    fields = {f["field"] for f in details["fields"]}
    assert {"ho_ten", "ngay_sinh", "so_dinh_danh", "applicant", "delivery_mode", "ward_code"} <= fields
    assert [d["document_code"] for d in details["documents"]] == [PROOF_OF_RESIDENCE]


def test_the_owner_deletes_a_draft_and_nobody_else_can(http: TestClient, tokens: TestTokens) -> None:
    headers = citizen(tokens)
    draft = fill(http, headers, start(http, headers))
    stranger = citizen(tokens, subject="account-stranger")
    assert http.delete(f"/v1/drafts/{draft['draft_id']}", headers=stranger).status_code == 404
    assert http.delete(f"/v1/drafts/{draft['draft_id']}", headers=headers).status_code == 204
    assert http.get(f"/v1/drafts/{draft['draft_id']}", headers=headers).status_code == 404
    assert http.get("/v1/drafts", headers=headers).json() == []
    gone = http.post(f"/v1/drafts/{draft['draft_id']}/submit", headers=with_key(headers, "deleted-0001"))
    assert gone.status_code == 404
    assert http.delete(f"/v1/drafts/{draft['draft_id']}", headers=headers).status_code == 404


def test_a_submitted_dossier_is_withdrawn_not_deleted(http: TestClient, tokens: TestTokens) -> None:
    headers = citizen(tokens)
    draft = fill(http, headers, start(http, headers))
    assert attach(http, headers, draft["draft_id"], PDF).status_code == 201
    filed = http.post(f"/v1/drafts/{draft['draft_id']}/submit", headers=with_key(headers, "keep-0001"))
    assert filed.status_code == 201
    refused = http.delete(f"/v1/drafts/{draft['draft_id']}", headers=headers)
    assert refused.status_code == 409 and refused.json()["code"] == "draft_already_submitted"
