"""What officers and supervisors rely on beyond the happy path: supplement rounds counted and a
second round justified from the maintained list; the legal basis of a rejection or refusal taken
from the list; the queue naming applicant and procedure; dashboards by unit."""

from __future__ import annotations

from typing import Any

import pytest

from dvc_contracts.case import SupplementRequested
from dvc_processing.api import complaints
from dvc_processing.reasons import reasons
from dvc_processing.translation import translate
from dvc_testing import factories

from .test_officer_api import OWNER, TOKENS, UNIT, World

ITEMS = {"items": [{"document_code": "cho-o-hop-phap", "description": "Hợp đồng thuê nhà chưa công chứng"}]}


@pytest.fixture
def world() -> World:
    return World()


def resubmit(world: World, code: str) -> None:
    case = world.app.case_by_code(code)
    assert case is not None and case.open_request is not None
    payload = factories.resubmitted(case.id, code, case.open_request, resubmitted_at=world.clock.now())
    world.tell(payload, "intake")


def test_a_second_supplement_round_needs_a_reason_from_the_list_and_is_counted(world: World) -> None:
    code = world.submit()
    assert world.post(code, "supplement-requests", ITEMS).status_code == 200
    resubmit(world, code)
    again = world.post(code, "supplement-requests", ITEMS)
    assert again.status_code == 409 and again.json()["code"] == "supplement_round_reason_required"
    assert "phải nêu đầy đủ một lần" in again.json()["message"]
    made_up = world.post(code, "supplement-requests", {**ITEMS, "round_reason": "quen_hoi"})
    assert made_up.status_code == 422 and made_up.json()["code"] == "unknown_round_reason"
    listed = world.client.get(
        "/v1/supplement-round-reasons", headers=TOKENS.headers("officer", (UNIT,))
    ).json()
    reason = listed[0]["code"]
    second = world.post(code, "supplement-requests", {**ITEMS, "round_reason": reason})
    assert second.status_code == 200
    # The timeline says which round each request was, and why the second one was needed.
    requests = [s for s in second.json()["timeline"] if s["event_type"] == "SupplementRequested"]
    assert [(s["details"]["round"], s["details"]["round_reason"]) for s in requests] == [
        (1, None),
        (2, reason),
    ]
    case = world.app.case_by_code(code)
    assert case is not None
    out = translate(list(world.app.case_events(case.id))[-1])
    assert out is not None and isinstance(out.payload, SupplementRequested) and out.payload.round == 2

    # Queue and dashboard count the rounds; supervisors find dossiers asked more than once.
    other = world.submit()
    world.refresh_board()
    supervisor = TOKENS.headers("supervisor", (UNIT,))
    queue = {r["dossier_code"]: r for r in world.client.get("/v1/queue", headers=supervisor).json()}
    assert queue[code]["supplement_rounds"] == 2 and queue[other]["supplement_rounds"] == 0
    several = world.client.get("/v1/queue", params={"min_rounds": 2}, headers=supervisor).json()
    assert [r["dossier_code"] for r in several] == [code]
    (row,) = world.client.get("/v1/dashboard", headers=supervisor).json()
    assert row["several_supplement_rounds"] == 1


def test_the_queue_names_the_applicant_and_the_procedure(world: World) -> None:
    code = world.submit()
    world.refresh_board()
    (row,) = world.client.get("/v1/queue", headers=TOKENS.headers("officer", (UNIT,))).json()
    assert row["dossier_code"] == code
    assert row["applicant_name"] == "Nguyễn Thị Hoa"
    assert row["procedure_name"].startswith("Đăng ký tạm trú")


def rejection(**body: Any) -> dict[str, Any]:
    return {
        "reason_code": "giay_to_gia_mao",
        "explanation": "Hợp đồng thuê nhà không khớp dữ liệu công chứng",
        **body,
    }


def test_the_legal_basis_of_a_rejection_comes_from_the_maintained_list(world: World) -> None:
    listed = reasons()["giay_to_gia_mao"].legal_basis
    free_text = world.post(world.submit(), "rejection", rejection(legal_basis="Theo quy định"))
    assert free_text.status_code == 422 and free_text.json()["code"] == "legal_basis_not_listed"
    assert listed in free_text.json()["message"]
    omitted = world.post(world.submit(), "rejection", rejection())
    assert omitted.status_code == 200 and omitted.json()["timeline"][-1]["rule"] == listed
    precise = world.post(world.submit(), "rejection", rejection(legal_basis=f"{listed}, khoản 1"))
    assert precise.status_code == 200 and precise.json()["timeline"][-1]["rule"] == f"{listed}, khoản 1"


def test_a_refusal_takes_its_legal_basis_from_the_list_too(world: World) -> None:
    code = world.submit()
    world.post(code, "accept")
    refused = world.post(
        code,
        "decision",
        {
            "outcome": "refused",
            "reason_code": "khong_du_dieu_kien_tam_tru",
            "explanation": "Chỗ ở không hợp pháp",
        },
    )
    assert refused.status_code == 200
    assert refused.json()["timeline"][-1]["rule"] == reasons()["khong_du_dieu_kien_tam_tru"].legal_basis


def test_a_supervisor_reads_the_dashboards_of_every_unit_under_theirs(world: World) -> None:
    code = world.submit()
    world.refresh_board()
    province = world.app.catalog.units[UNIT].parent_code
    assert province is not None
    rows = world.client.get("/v1/dashboard", headers=TOKENS.headers("supervisor", (province,))).json()
    assert [r["unit_code"] for r in rows] == [UNIT]
    assert code  # the dossier counted there


def test_a_citizen_lists_their_complaints_and_reads_the_answer_on_the_timeline(world: World) -> None:
    world.client.app.include_router(complaints.router(world.app, world.board))  # type: ignore[attr-defined]
    code = world.submit()
    owner = TOKENS.headers("citizen", subject=OWNER)
    filed = world.client.post(
        f"/v1/dossiers/{code}/complaints",
        json={"text": "Đã quá hẹn mà chưa nhận được kết quả"},
        headers=owner,
    )
    assert filed.status_code == 201
    world.refresh_board()
    (mine,) = world.client.get("/v1/complaints/mine", headers=owner).json()
    assert mine["dossier_code"] == code and mine["resolution"] is None
    assert world.client.get("/v1/complaints/mine", headers=TOKENS.headers("citizen")).json() == []

    superior = world.app.catalog.units[UNIT].parent_code
    answer = "Đơn vị đã trả kết quả ngày 27/11; cán bộ tiếp nhận đã được nhắc nhở."
    resolved = world.client.post(
        f"/v1/complaints/{mine['complaint_id']}/resolution",
        json={"resolution": answer},
        headers=TOKENS.headers("supervisor", (superior,)),
    )
    assert resolved.status_code == 200, resolved.text
    world.refresh_board()
    (mine,) = world.client.get("/v1/complaints/mine", headers=owner).json()
    assert mine["resolution"] == answer and mine["resolved_at"] is not None
    timeline = world.client.get(f"/v1/dossiers/{code}", headers=owner).json()["timeline"]
    steps = [(s["event_type"], s["reason"]) for s in timeline if s["event_type"].startswith("Complaint")]
    assert steps == [
        ("ComplaintFiled", "Đã quá hẹn mà chưa nhận được kết quả"),
        ("ComplaintResolved", answer),
    ]
