"""HTTP, after submission: intake mirrors processing's news; the citizen answers a supplement
request while it is open and may withdraw until a decision."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from dvc_contracts import Actor, EventPayload
from dvc_contracts.case import Approved, SupplementItem, SupplementRequested, WithdrawalAcknowledged
from dvc_contracts.dossier import Accepted, Received, RejectedWithReason
from dvc_kernel.application import Incoming
from dvc_kernel.inbox import tracking_for
from dvc_testing import factories
from dvc_testing.tokens import TestTokens

from .conftest import PDF, citizen, dossier_body, intake_of, with_key

AT = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
OFFICER = Actor(id="officer-1", role="officer", unit="CAX-00070")
_offset = iter(range(1, 10_000))


def report(http: TestClient, payload: EventPayload) -> bool:
    """Processing's event, delivered through intake's inbox as the consumer would."""
    subject = payload.dossier_id  # type: ignore[attr-defined]
    envelope = factories.envelope(payload, subject, producer="processing", actor=OFFICER)
    tracking = tracking_for("processing.dossier.v1", 0, next(_offset))
    return intake_of(http).process_incoming(Incoming(envelope, payload), tracking)


def filed(http: TestClient, tokens: TestTokens, key: str = "followup-01") -> dict[str, Any]:
    answer = http.post("/v1/dossiers", json=dossier_body(), headers=with_key(citizen(tokens), key))
    assert answer.status_code == 201, answer.text
    dossier: dict[str, Any] = answer.json()
    return dossier


def supplement_request(dossier: dict[str, Any], request_id: UUID) -> SupplementRequested:
    return SupplementRequested(
        dossier_id=dossier["dossier_id"],
        dossier_code=dossier["dossier_code"],
        request_id=request_id,
        items=[SupplementItem(document_code="CT01", description="Tờ khai thiếu ý kiến của chủ hộ")],
        clock="restarts",
        requested_at=AT,
    )


def test_the_status_follows_processing(http: TestClient, tokens: TestTokens) -> None:
    dossier = filed(http, tokens)
    ids = {"dossier_id": dossier["dossier_id"], "dossier_code": dossier["dossier_code"]}
    report(http, Received(**ids, procedure_code="1.003677", received_at=AT, unit_code="CAX-00070"))
    view = http.get(f"/v1/dossiers/{dossier['dossier_code']}", headers=citizen(tokens)).json()
    assert (view["status"], view["status_label"]) == ("received", "Đã tiếp nhận, chờ kiểm tra")
    report(http, Accepted(**ids, accepted_at=AT))
    view = http.get(f"/v1/dossiers/{dossier['dossier_code']}", headers=citizen(tokens)).json()
    assert view["status"] == "accepted"


def test_a_supplement_is_answered_only_while_it_is_open(http: TestClient, tokens: TestTokens) -> None:
    headers = citizen(tokens)
    dossier = filed(http, tokens)
    code = dossier["dossier_code"]
    body = {"form_data": {"ho_ten_chu_ho": "Trần Văn Nam"}, "note": "Đã bổ sung ý kiến chủ hộ"}
    early = http.post(f"/v1/dossiers/{code}/supplements", json=body, headers=with_key(headers, "supp-0001"))
    assert early.status_code == 409 and early.json()["code"] == "no_supplement_requested"

    request_id = uuid4()
    assert report(http, supplement_request(dossier, request_id))
    view = http.get(f"/v1/dossiers/{code}", headers=headers).json()
    assert view["status"] == "supplement_requested"
    assert view["supplement"]["items"][0]["description"] == "Tờ khai thiếu ý kiến của chủ hộ"

    bad = {"form_data": {"so_dinh_danh_chu_ho": "12"}}
    refused = http.post(f"/v1/dossiers/{code}/supplements", json=bad, headers=with_key(headers, "supp-0002"))
    assert (
        refused.status_code == 422
        and refused.json()["details"]["fields"][0]["field"] == "so_dinh_danh_chu_ho"
    )

    upload = http.post("/v1/files", files={"file": ("y-kien.pdf", PDF, "application/pdf")}, headers=headers)
    body["attachments"] = [{"sha256": upload.json()["sha256"], "document_code": "CT01"}]
    answer = http.post(f"/v1/dossiers/{code}/supplements", json=body, headers=with_key(headers, "supp-0003"))
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "resubmitted" and answer.json()["supplement"] is None
    assert answer.json()["form_data"]["ho_ten_chu_ho"] == "Trần Văn Nam"
    retry = http.post(f"/v1/dossiers/{code}/supplements", json=body, headers=with_key(headers, "supp-0003"))
    assert retry.status_code == 200
    again = http.post(f"/v1/dossiers/{code}/supplements", json=body, headers=with_key(headers, "supp-0004"))
    assert again.status_code == 409


def test_a_decision_closes_the_supplement_and_ends_withdrawal(http: TestClient, tokens: TestTokens) -> None:
    headers = citizen(tokens)
    dossier = filed(http, tokens)
    code = dossier["dossier_code"]
    report(http, supplement_request(dossier, uuid4()))
    report(
        http,
        RejectedWithReason(
            dossier_id=dossier["dossier_id"],
            dossier_code=code,
            reason_code="khong_du_dieu_kien",
            legal_basis="Luật Cư trú 68/2020/QH14, Điều 31",
            explanation="Không đủ điều kiện khai báo tạm vắng",
            rejected_at=AT,
        ),
    )
    view = http.get(f"/v1/dossiers/{code}", headers=headers).json()
    assert (view["status"], view["supplement"]) == ("rejected", None)
    answer = http.post(f"/v1/dossiers/{code}/withdraw", json={"reason": "Không cần nữa"}, headers=headers)
    assert answer.status_code == 409
    assert answer.json()["code"] == "dossier_already_decided"


def test_an_undecided_dossier_is_withdrawn_once(http: TestClient, tokens: TestTokens) -> None:
    headers = citizen(tokens)
    dossier = filed(http, tokens)
    code = dossier["dossier_code"]
    answer = http.post(f"/v1/dossiers/{code}/withdraw", json={"reason": "Đổi kế hoạch"}, headers=headers)
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["withdrawal_reason"]) == ("withdrawn", "Đổi kế hoạch")
    again = http.post(f"/v1/dossiers/{code}/withdraw", headers=headers)
    assert again.status_code == 200 and again.json()["status"] == "withdrawn"
    ids = {"dossier_id": dossier["dossier_id"], "dossier_code": code}
    report(
        http, Received(**ids, procedure_code="1.003677", received_at=AT)
    )  # processing had not seen the withdrawal yet
    report(http, WithdrawalAcknowledged(**ids, withdrawn_at=AT))
    assert http.get(f"/v1/dossiers/{code}", headers=headers).json()["status"] == "withdrawn"
    kinds = [type(e).__name__ for e in intake_of(http).events.get(UUID(dossier["dossier_id"]))]
    assert kinds == ["Started", "Submitted", "Withdrawn"]


def test_a_redelivered_report_changes_nothing(http: TestClient, tokens: TestTokens) -> None:
    dossier = filed(http, tokens)
    approved = Approved(
        dossier_id=dossier["dossier_id"],
        dossier_code=dossier["dossier_code"],
        summary="Đồng ý",
        approved_at=AT,
    )
    envelope = factories.envelope(approved, dossier["dossier_id"], producer="processing", actor=OFFICER)
    tracking = tracking_for("processing.dossier.v1", 1, 41)
    application = intake_of(http)
    assert application.process_incoming(Incoming(envelope, approved), tracking)
    assert not application.process_incoming(Incoming(envelope, approved), tracking)


def test_news_of_a_dossier_intake_never_filed_is_only_tracked(http: TestClient) -> None:
    stray = Accepted(dossier_id=uuid4(), dossier_code="261123-K7M3Q9-4", accepted_at=AT)
    assert report(http, stray)
