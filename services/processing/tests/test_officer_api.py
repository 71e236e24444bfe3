"""Officers act on dossiers of their unit over HTTP with real tokens; everyone else is refused."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import Tracking
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_contracts.delivery import ResultDispatched
from dvc_kernel import personal_data
from dvc_kernel.application import Incoming
from dvc_kernel.auth.fastapi import install_auth
from dvc_kernel.clock import FixedClock
from dvc_kernel.errors import install_error_handlers
from dvc_processing.api import officer, tracking
from dvc_processing.application import ProcessingApplication
from dvc_processing.projections.board import Board
from dvc_processing.projections.dossier_view import state_of
from dvc_testing import factories
from dvc_testing.new_dossiers import new_submitted
from dvc_testing.tokens import TestTokens

UNIT = "CAX-00004"  # Công an phường Ba Đình (Hà Nội)
SUBMITTED_AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hà Nội
TOKENS = TestTokens()
OWNER = "citizen-account-1"


class World:
    def __init__(self) -> None:
        self.clock = FixedClock(SUBMITTED_AT + timedelta(minutes=5))
        self.app = ProcessingApplication(clock=self.clock, catalog=factories.catalog_replica())
        self.board = Board(self.app)
        http = FastAPI()
        install_error_handlers(http)
        install_auth(http, TOKENS.verifier())
        http.include_router(officer.router(self.app))
        http.include_router(tracking.router(self.app, self.board))
        self.client = TestClient(http)
        self.offset = 0

    def submit(self, **changes: Any) -> str:
        payload = new_submitted(unit_code=UNIT, owner_account=OWNER, submitted_at=SUBMITTED_AT, **changes)
        dossier_id, code = payload.dossier_id, payload.dossier_code
        self.offset += 1
        # As it travels: the applicant and the form sealed under the dossier's key (ADR 0021).
        sealed = personal_data.current().seal(payload, str(dossier_id))
        envelope = factories.envelope(payload, dossier_id).model_copy(update={"payload": sealed})
        self.app.process_incoming(Incoming(envelope, payload), Tracking("intake.dossier.v1:0", self.offset))
        return code

    def tell(self, payload: Any, producer: str) -> None:
        """An event another service published about a dossier, as the inbox hands it over."""
        self.offset += 1
        self.app.process_incoming(
            Incoming(factories.envelope(payload, payload.dossier_id, producer=producer), payload),
            Tracking(f"{payload.topic}:0", self.offset),
        )

    def refresh_board(self) -> None:
        for notification in self.app.recorder.select_notifications(self.board.position + 1, 10_000):
            self.board.apply_event(self.app.mapper.to_domain_event(notification))
            self.board.position = notification.id

    def post(
        self,
        code: str,
        action: str,
        body: dict[str, Any] | None = None,
        role: str = "officer",
        units: tuple[str, ...] = (UNIT,),
        **headers: str,
    ) -> Any:
        return self.client.post(
            f"/v1/dossiers/{code}/{action}",
            json=body or {},
            headers={**TOKENS.headers(role, units, subject="officer-1"), **headers},
        )


@pytest.fixture
def world() -> World:
    return World()


def test_the_officer_walks_a_dossier_to_its_result(world: World) -> None:
    code = world.submit()
    dossier_id = world.app.case_by_code(code).id  # type: ignore[union-attr]
    world.tell(factories.fee_assessed(dossier_id, code, 7000, assessed_at=world.clock.now()), "payment")
    assert world.post(code, "assign", {"officer_id": "officer-1"}).status_code == 200
    asked = world.post(
        code,
        "supplement-requests",
        {
            "items": [
                {"document_code": "CT01", "description": "Tờ khai CT01 thiếu ý kiến của chủ hộ"},
                {"description": "Bổ sung hợp đồng thuê nhà có công chứng"},
            ]
        },
    )
    assert asked.status_code == 200 and asked.json()["status"] == "supplement_requested"
    assert len(asked.json()["open_supplement"]) == 2
    case = world.app.case_by_code(code)
    assert case is not None and case.open_request is not None
    resubmitted = factories.resubmitted(case.id, code, case.open_request, resubmitted_at=world.clock.now())
    world.offset += 1
    world.app.process_incoming(
        Incoming(factories.envelope(resubmitted, case.id), resubmitted),
        Tracking("intake.dossier.v1:0", world.offset),
    )
    assert world.post(code, "accept").json()["status"] == "accepted"
    approved = world.post(code, "decision", {"outcome": "approved", "summary": "Đăng ký tạm trú"})
    assert approved.json()["status"] == "approved"
    unpaid = world.post(code, "result", {"result_form": "CT08", "summary": "Đã cập nhật tạm trú"})
    assert unpaid.status_code == 409 and unpaid.json()["code"] == "fee_not_paid"
    world.clock.set(world.clock.now() + timedelta(minutes=1))
    world.tell(factories.fee_paid(dossier_id, 7000, paid_at=world.clock.now()), "payment")
    world.clock.set(world.clock.now() + timedelta(minutes=1))
    result = world.post(code, "result", {"result_form": "CT08", "summary": "Đã cập nhật tạm trú"})
    body = result.json()
    assert body["status"] == "result_issued"
    assert body["fee_due_vnd"] == 7000 and body["fee_paid_vnd"] == 7000
    kinds = [step["event_type"] for step in body["timeline"]]
    assert kinds == [
        "Submitted",
        "Received",
        "FeeAssessed",
        "Assigned",
        "SupplementRequested",
        "Resubmitted",
        "ResubmissionReceived",
        "Accepted",
        "Approved",
        "FeePaid",
        "ResultIssued",
    ]
    officer_steps = [s for s in body["timeline"] if s["actor"]["role"] == "officer"]
    assert all(s["actor"]["id"] == "officer-1" and s["actor"]["unit"] == UNIT for s in officer_steps)


def test_an_officer_of_another_unit_cannot_act(world: World) -> None:
    code = world.submit()
    refused = world.post(code, "accept", units=("CAX-00007",))
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_your_unit"


@pytest.mark.parametrize("role", ["citizen", "auditor", "operator"])
def test_only_officers_and_supervisors_act(world: World, role: str) -> None:
    code = world.submit()
    assert world.post(code, "accept", role=role).status_code == 403


def test_acting_without_a_token_is_401(world: World) -> None:
    code = world.submit()
    assert world.client.post(f"/v1/dossiers/{code}/accept").status_code == 401


def test_a_rejection_needs_a_listed_reason_a_legal_basis_and_an_explanation(world: World) -> None:
    code = world.submit()
    missing = world.post(code, "rejection", {"reason_code": "giay_to_gia_mao"})
    assert missing.status_code == 422
    unknown = world.post(
        code,
        "rejection",
        {
            "reason_code": "ve_nop_truc_tiep",
            "legal_basis": "Không",
            "explanation": "Mời ông/bà lên trụ sở nộp trực tiếp",
        },
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_reason_code"
    done = world.post(
        code,
        "rejection",
        {
            "reason_code": "giay_to_gia_mao",
            "legal_basis": "Luật Cư trú 68/2020/QH14, Điều 7",
            "explanation": "Hợp đồng thuê nhà không khớp với dữ liệu công chứng",
        },
    )
    assert done.status_code == 200 and done.json()["status"] == "rejected"
    step = done.json()["timeline"][-1]
    assert step["reason"].startswith("Hợp đồng") and step["rule"].startswith("Luật Cư trú")


def test_a_refusal_decision_needs_reasons_too(world: World) -> None:
    code = world.submit()
    world.post(code, "accept")
    refused = world.post(code, "decision", {"outcome": "refused"})
    assert refused.status_code == 422 and refused.json()["code"] == "reason_required"


def test_two_officers_accepting_at_once_one_wins_the_other_gets_409(world: World) -> None:
    code = world.submit()
    start = threading.Barrier(2)
    answers: list[int] = []

    def accept() -> None:
        start.wait()
        answers.append(world.post(code, "accept").status_code)

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [200, 409]
    assert [
        e
        for e in world.app.case_events(world.app.case_by_code(code).id)  # type: ignore[union-attr]
        if type(e).__name__ == "Accepted"
    ].__len__() == 1


def test_a_stale_if_match_is_409(world: World) -> None:
    code = world.submit()
    assert world.post(code, "accept", **{"If-Match": '"7"'}).status_code == 409
    assert world.post(code, "accept", **{"If-Match": '"1"'}).status_code == 200


def test_the_owner_tracks_their_dossier_and_nobody_else_does(world: World) -> None:
    code = world.submit()
    mine = world.client.get(f"/v1/dossiers/{code}", headers=TOKENS.headers("citizen", subject=OWNER))
    assert mine.status_code == 200
    assert mine.json()["due_at"] == "2026-11-26T10:00:00Z"  # Thursday 17:00 in Hà Nội
    other = world.client.get(f"/v1/dossiers/{code}", headers=TOKENS.headers("citizen"))
    assert other.status_code == 404
    stranger_officer = world.client.get(
        f"/v1/dossiers/{code}", headers=TOKENS.headers("officer", ("CAX-00007",))
    )
    assert stranger_officer.status_code == 404
    auditor = world.client.get(f"/v1/dossiers/{code}", headers=TOKENS.headers("auditor"))
    assert auditor.status_code == 200


def test_the_owner_and_the_units_staff_read_the_applicant_that_travelled_sealed(world: World) -> None:
    code = world.submit()
    for headers in (TOKENS.headers("citizen", subject=OWNER), TOKENS.headers("officer", (UNIT,))):
        view = world.client.get(f"/v1/dossiers/{code}", headers=headers).json()
        submitted = next(step for step in view["timeline"] if step["event_type"] == "Submitted")
        assert submitted["details"]["applicant"]["id_number"] == "001203004321"


def test_the_public_look_up_shows_status_only(world: World) -> None:
    code = world.submit()
    answer = world.client.get(f"/v1/public/dossiers/{code}", params={"id_last_digits": "4321"})
    assert answer.status_code == 200
    assert set(answer.json()) == {"dossier_code", "status", "status_label", "due_at"}
    wrong = world.client.get(f"/v1/public/dossiers/{code}", params={"id_last_digits": "0000"})
    assert wrong.status_code == 404


def test_the_id_digits_cannot_be_guessed_a_code_locks_for_an_hour_after_5_wrong(world: World) -> None:
    code = world.submit()  # the applicant's ID number ends in 4321

    def look_up(digits: str) -> int:
        return world.client.get(f"/v1/public/dossiers/{code}", params={"id_last_digits": digits}).status_code

    assert [look_up(f"{n:04d}") for n in range(5)] == [404] * 5
    assert look_up("4321") == 404  # locked: the right digits get the same answer as wrong ones
    unknown = world.client.get("/v1/public/dossiers/261123-AAAAAA-0", params={"id_last_digits": "4321"})
    assert (
        unknown.status_code == 404
        and unknown.json()
        == world.client.get(f"/v1/public/dossiers/{code}", params={"id_last_digits": "4321"}).json()
    )
    world.clock.set(world.clock.now() + timedelta(minutes=59))
    assert look_up("4321") == 404
    world.clock.set(world.clock.now() + timedelta(minutes=2))
    assert look_up("4321") == 200


def test_the_state_as_of_an_earlier_instant(world: World) -> None:
    code = world.submit()
    before_accept = world.clock.now()
    world.clock.set(before_accept + timedelta(hours=1))
    world.post(code, "accept")
    headers = TOKENS.headers("officer", (UNIT,))
    then = world.client.get(
        f"/v1/dossiers/{code}", params={"as_of": before_accept.isoformat()}, headers=headers
    ).json()
    now = world.client.get(f"/v1/dossiers/{code}", headers=headers).json()
    assert then["status"] == "received" and now["status"] == "accepted"


def test_the_state_before_the_dossier_was_filed_is_not_found(world: World) -> None:
    """An `as_of` before the first event was an AssertionError (a 500); there was no dossier."""
    code = world.submit()
    headers = TOKENS.headers("officer", (UNIT,))
    before = world.clock.now() - timedelta(days=1)
    answer = world.client.get(f"/v1/dossiers/{code}", params={"as_of": before.isoformat()}, headers=headers)
    assert answer.status_code == 404 and answer.json()["code"] == "dossier_not_found"
    far = world.client.get(
        f"/v1/dossiers/{code}", params={"as_of": "0001-01-01T00:00:00+07:00"}, headers=headers
    )
    assert far.status_code == 422 and far.json()["code"] == "instant_out_of_range"


def test_the_queue_sorts_by_due_date_and_the_dashboard_counts_on_time(world: World) -> None:
    late = world.submit(procedure_code="1.004222")  # permanent registration: 7 working days
    soon = world.submit()  # temporary registration: 3 working days
    world.refresh_board()
    queue = world.client.get("/v1/queue", headers=TOKENS.headers("officer", (UNIT,))).json()
    assert [row["dossier_code"] for row in queue] == [soon, late]
    world.post(
        soon,
        "rejection",
        {"reason_code": "giay_to_gia_mao", "explanation": "Giấy tờ giả mạo"},
    )
    world.refresh_board()
    rows = world.client.get("/v1/dashboard", headers=TOKENS.headers("supervisor", (UNIT,))).json()
    by_procedure = {r["procedure_code"]: r for r in rows}
    assert by_procedure["1.004194"]["decided"] == 1 and by_procedure["1.004194"]["on_time_rate"] == 1.0
    assert by_procedure["1.004222"]["open"] == 1
    # An officer reads their own unit's dashboard, and nobody else's.
    own = world.client.get("/v1/dashboard", headers=TOKENS.headers("officer", (UNIT,))).json()
    assert own == rows
    other = world.client.get("/v1/dashboard", headers=TOKENS.headers("officer", ("CAX-00007",))).json()
    assert other == []


def test_the_results_way_to_the_citizen_shows_on_the_timeline(world: World) -> None:
    code = world.submit()
    dossier_id = world.app.case_by_code(code).id  # type: ignore[union-attr]
    world.tell(factories.fee_assessed(dossier_id, code, 0), "payment")
    world.post(code, "accept")
    world.post(code, "decision", {"outcome": "approved", "summary": "Đăng ký tạm trú"})
    world.post(code, "result", {"result_form": "CT08", "summary": "Đã cập nhật tạm trú"})
    world.tell(
        ResultDispatched(
            dossier_id=dossier_id,
            dossier_code=code,
            channel="e_result",
            document_sha256="ab" * 32,
            verification_code="KQ-7H3M",
            dispatched_at=world.clock.now(),
        ),
        "delivery",
    )
    shown = world.client.get(
        f"/v1/dossiers/{code}", headers=TOKENS.headers("officer", (UNIT,), subject="officer-1")
    ).json()
    assert shown["delivery_status"] == "dispatched"
    last = shown["timeline"][-1]
    assert last["event_type"] == "ResultDispatched" and last["label"] == "Gửi kết quả"
    assert last["details"]["channel"] == "e_result"


def test_a_fee_event_before_its_dossier_is_parked_then_applied_once_it_is_received(world: World) -> None:
    dossier_id = uuid4()
    code = "261123-AAAAAA-X"
    world.tell(factories.fee_assessed(dossier_id, code, 7000, assessed_at=SUBMITTED_AT), "payment")
    assert world.app.case(dossier_id) is None  # the partition moved on; nothing is lost
    payload = factories.submitted(
        dossier_id, dossier_code=code, unit_code=UNIT, owner_account=OWNER, submitted_at=SUBMITTED_AT
    )
    world.tell(payload, "intake")
    case = world.app.case(dossier_id)
    assert case is not None and case.fee_due_vnd == 7000
    assert world.app.waiting_subjects() == set()  # released: nothing is applied twice


def test_the_officers_board_shows_each_dossier_as_its_tracking_page_does(world: World) -> None:
    """The board folds plain data without hash chains (ADR 0018); what it shows must be what
    tracking, folding the sealed envelopes, shows."""
    code = world.submit()
    dossier_id = world.app.case_by_code(code).id  # type: ignore[union-attr]
    world.tell(factories.fee_assessed(dossier_id, code, 7000, assessed_at=world.clock.now()), "payment")
    world.post(code, "assign", {"officer_id": "officer-1"})
    world.post(code, "accept")
    world.refresh_board()

    tracked = state_of(world.app, dossier_id)
    assert tracked is not None
    assert world.board.dossiers[dossier_id] == tracked
    (due,) = world.board.open_with_due_dates()
    assert (due.dossier_id, due.due_at, due.unit_code) == (dossier_id, tracked.due_at, tracked.unit_code)


def test_the_dossier_view_lists_what_an_officer_may_do_now(world: World) -> None:
    code = world.submit()
    headers = TOKENS.headers("officer", (UNIT,))
    received = world.client.get(f"/v1/dossiers/{code}", headers=headers).json()
    assert received["actions"] == ["assign", "accept", "request_supplement", "reject", "transfer"]
    accepted = world.post(code, "accept").json()
    assert accepted["actions"] == ["assign", "request_supplement", "approve", "refuse", "transfer"]
    approved = world.post(code, "decision", {"outcome": "approved", "summary": "Đăng ký tạm trú"}).json()
    assert approved["actions"] == ["issue_result"]
