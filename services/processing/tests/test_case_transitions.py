"""Given a dossier in some status, when an action is taken, then the table says what happens.

Every (status, action) pair is tried: the pairs in `TRANSITIONS` succeed, every other is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.application import Application
from eventsourcing.utils import get_topic

from dvc_contracts.status import DossierStatus as Status
from dvc_kernel.refusal import Refusal as TransitionRefused
from dvc_processing.domain.case import STATUSES, TRANSITIONS, Case

from .conftest import META, T0, received_case

ITEMS = [{"document_code": "CT01", "description": "Tờ khai CT01 thiếu chữ ký của chủ hộ"}]


def received(on_supplement: str = "restart") -> Case:
    """A level-4 dossier whose fee is nothing (the fee rules are in test_fees.py)."""
    case = received_case(on_supplement=on_supplement)
    case.note_fee("FeeAssessed", 0, "after_acceptance", ["gateway", "vietqr"], T0, META, None)
    return case


def in_status(status: Status) -> Case:
    case = received()
    steps: dict[Status, list[Callable[[Case], Any]]] = {
        Status.RECEIVED: [],
        Status.ACCEPTED: [lambda c: c.accept(T0, META)],
        Status.SUPPLEMENT_REQUESTED: [lambda c: c.request_supplement(uuid4(), ITEMS, T0, META)],
        Status.APPROVED: [lambda c: c.accept(T0, META), lambda c: c.approve("Đăng ký tạm trú", T0, META)],
        Status.REFUSED: [
            lambda c: c.accept(T0, META),
            lambda c: c.refuse("khong_du_dieu_kien_tam_tru", "Luật Cư trú, Điều 27", "…", T0, META),
        ],
        Status.REJECTED: [lambda c: c.reject("giay_to_gia_mao", "Luật Cư trú, Điều 7", "…", T0, META)],
        Status.RESULT_ISSUED: [
            lambda c: c.accept(T0, META),
            lambda c: c.approve("…", T0, META),
            lambda c: c.issue_result("CT08", "…", T0, META),
        ],
        Status.WITHDRAWN: [lambda c: c.acknowledge_withdrawal(T0, T0, META, None)],
    }
    for step in steps[status]:
        step(case)
    assert case.status is status
    return case


ACTIONS: dict[str, Callable[[Case], Any]] = {
    "assign": lambda c: c.assign("officer-2", T0, META),
    "accept": lambda c: c.accept(T0, META),
    "request_supplement": lambda c: c.request_supplement(uuid4(), ITEMS, T0, META),
    "reject": lambda c: c.reject(
        "giay_to_gia_mao", "Luật Cư trú 68/2020/QH14, Điều 7", "Hợp đồng thuê nhà không có thật", T0, META
    ),
    "approve": lambda c: c.approve("Đã đăng ký tạm trú", T0, META),
    "refuse": lambda c: c.refuse(
        "khong_du_dieu_kien_tam_tru", "Luật Cư trú 68/2020/QH14, Điều 27", "Chỗ ở không hợp pháp", T0, META
    ),
    "issue_result": lambda c: c.issue_result("CT08", "Thông báo kết quả đăng ký tạm trú", T0, META),
    "transfer": lambda c: c.transfer("CAX-00007", "Nơi tạm trú thuộc phường khác", T0, META),
}
REFUSING = [(s, a) for s in STATUSES for a in ACTIONS if s not in TRANSITIONS[a][0]]
ALLOWED = [(s, a) for s in STATUSES for a in ACTIONS if s in TRANSITIONS[a][0]]


@pytest.mark.parametrize(("status", "action"), ALLOWED)
def test_an_allowed_action_is_taken(status: Status, action: str) -> None:
    case = in_status(status)
    before = case.version
    ACTIONS[action](case)
    assert case.version == before + 1


@pytest.mark.parametrize(("status", "action"), REFUSING)
def test_every_other_action_is_refused(status: Status, action: str) -> None:
    case = in_status(status)
    with pytest.raises(TransitionRefused) as refused:
        ACTIONS[action](case)
    assert refused.value.code == "transition_not_allowed"


def test_a_supplement_request_lists_everything_at_once() -> None:
    case = received()
    with pytest.raises(TransitionRefused, match="một lần"):
        case.request_supplement(uuid4(), [], T0, META)
    with pytest.raises(TransitionRefused):
        case.request_supplement(uuid4(), [{"description": "  "}], T0, META)


@pytest.mark.parametrize("missing", ["reason_code", "legal_basis", "explanation"])
def test_a_rejection_without_reason_or_legal_basis_is_refused(missing: str) -> None:
    given = {
        "reason_code": "giay_to_gia_mao",
        "legal_basis": "Luật Cư trú, Điều 7",
        "explanation": "Giấy tờ giả",
    }
    given[missing] = " "
    with pytest.raises(TransitionRefused) as refused:
        received().reject(**given, at=T0, meta=META)
    assert refused.value.code == "reason_required"


def test_the_resubmission_answers_the_open_request_only() -> None:
    case = received()
    request = uuid4()
    case.request_supplement(request, ITEMS, T0, META)
    assert not case.receive_resubmission(uuid4(), T0, None, [], META, None)
    assert case.receive_resubmission(request, T0, T0 + timedelta(days=5), [], META, None)
    assert case.status is Status.RECEIVED
    assert not case.receive_resubmission(request, T0, None, [], META, None)  # redelivered


def test_a_withdrawal_after_the_decision_changes_nothing() -> None:
    case = in_status(Status.REJECTED)
    assert not case.acknowledge_withdrawal(T0, T0, META, None)
    assert case.status is Status.REJECTED


def test_a_transfer_goes_to_another_unit_with_a_reason_and_clears_the_assignee() -> None:
    case = received()
    case.assign("officer-1", T0, META)
    with pytest.raises(TransitionRefused):
        case.transfer("CAX-00007", " ", T0, META)
    with pytest.raises(TransitionRefused):
        case.transfer("CAX-00004", "…", T0, META)
    case.transfer("CAX-00007", "Địa chỉ thuộc phường khác", T0, META)
    assert case.unit_code == "CAX-00007" and case.officer_id is None and case.status is Status.RECEIVED


def test_a_breach_is_recorded_once_and_requires_an_apology_with_a_later_date() -> None:
    case = received()
    assert case.due_at is not None
    assert not case.record_breach(case.due_at - timedelta(minutes=1), META)
    late = case.due_at + timedelta(minutes=1)
    assert case.record_breach(late, META)
    assert not case.record_breach(late, META)
    with pytest.raises(TransitionRefused):
        case.apologise("Chờ xác minh", late - timedelta(hours=1), "…", late, META)
    case.apologise("Chờ xác minh nơi cư trú", late + timedelta(days=2), "…", late, META)
    assert case.breached is None and case.due_at == late + timedelta(days=2)


def test_no_apology_is_issued_without_a_breach() -> None:
    with pytest.raises(TransitionRefused) as refused:
        received().apologise("…", T0 + timedelta(days=9), "…", T0, META)
    assert refused.value.code == "no_breach"


def test_the_clock_does_not_run_out_while_the_citizen_holds_the_dossier() -> None:
    case = in_status(Status.SUPPLEMENT_REQUESTED)
    assert not case.record_breach(T0 + timedelta(days=30), META)


# The case's events keep the topics processing's stores hold (`module:Class.Event`), though the
# actions declaring them live in sibling modules: stores written before the split still load.
STORED = {
    "Received",
    "Assigned",
    "Accepted",
    "SupplementRequested",
    "ResubmissionReceived",
    "DueDateRecalculated",
    "Rejected",
    "Approved",
    "Refused",
    "ResultIssued",
    "Transferred",
    "WithdrawalAcknowledged",
    "FeeNoted",
    "DeliveryNoted",
    "DueSoonNoted",
    "DeadlineBreached",
    "ApologyIssued",
}


def test_every_event_keeps_the_topic_stores_hold() -> None:
    for name in STORED:
        assert get_topic(getattr(Case, name)) == f"dvc_processing.domain.case:Case.{name}"


def test_a_case_recorded_under_those_topics_loads_as_it_was() -> None:
    store = Application[object]()
    case = received()
    case.assign("officer-1", T0, META)
    case.request_supplement(uuid4(), ITEMS, T0, META)
    store.save(case)
    recorded = store.recorder.select_events(case.id)
    assert {r.topic.rsplit(".", 1)[-1] for r in recorded} == {
        "Received",
        "FeeNoted",
        "Assigned",
        "SupplementRequested",
    }
    assert all(r.topic.startswith("dvc_processing.domain.case:Case.") for r in recorded)
    loaded: Case = store.repository.get(case.id)
    assert (loaded.status, loaded.officer_id, loaded.supplement_rounds) == (
        "supplement_requested",
        "officer-1",
        1,
    )
    assert loaded.fee.due_vnd == 0 and loaded.version == case.version
