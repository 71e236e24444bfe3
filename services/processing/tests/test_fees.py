"""Given what payment said about a dossier's fee, when an officer acts, then the fee rule of
its level decides (Decree 43/2011 Art. 3: level 4 pays online, level 3 at the office)."""

from __future__ import annotations

from uuid import uuid4

import pytest

from dvc_contracts.status import DossierStatus as Status
from dvc_kernel.refusal import Refusal as TransitionRefused
from dvc_processing.domain.case import Case

from .conftest import META, T0, received_case

ONLINE = ["gateway", "vietqr"]


def approved(level: int, fee: tuple[int, str, list[str]] | None, paid: int = 0) -> Case:
    case = received_case(level)
    if fee is not None:
        case.note_fee("FeeAssessed", *fee, at=T0, meta=META, cause=None)
    if paid:
        case.note_fee("FeePaid", paid, None, [], at=T0, meta=META, cause=None)
    case.accept(T0, META)
    case.approve("Đã đăng ký tạm trú", T0, META)
    return case


def test_a_level_4_result_waits_until_the_fee_is_paid() -> None:
    case = approved(4, (7000, "after_acceptance", ONLINE))
    with pytest.raises(TransitionRefused) as refused:
        case.issue_result("CT08", "…", T0, META)
    assert refused.value.code == "fee_not_paid"
    case.note_fee("FeePaid", 7000, None, [], at=T0, meta=META, cause=None)
    case.issue_result("CT08", "…", T0, META)
    assert case.status is Status.RESULT_ISSUED


def test_a_level_4_result_waits_for_the_assessment_even_if_it_will_be_nothing() -> None:
    case = approved(4, None)
    with pytest.raises(TransitionRefused) as refused:
        case.issue_result("CT08", "…", T0, META)
    assert refused.value.code == "fee_not_assessed"
    case.note_fee("FeeAssessed", 0, "after_acceptance", ONLINE, at=T0, meta=META, cause=None)
    case.issue_result("CT08", "…", T0, META)


def test_a_level_3_fee_is_paid_at_the_office_so_the_result_is_issued_before() -> None:
    case = approved(3, (7000, "after_acceptance", ["counter"]))
    case.issue_result("CT08", "…", T0, META)
    assert case.status is Status.RESULT_ISSUED


def test_a_fee_due_on_submission_is_paid_before_the_dossier_is_accepted() -> None:
    case = received_case()
    case.note_fee("FeeAssessed", 15000, "on_submission", ONLINE, at=T0, meta=META, cause=None)
    with pytest.raises(TransitionRefused) as refused:
        case.accept(T0, META)
    assert refused.value.code == "fee_not_paid"
    case.note_fee("FeePaid", 15000, None, [], at=T0, meta=META, cause=None)
    case.accept(T0, META)
    assert case.status is Status.ACCEPTED


def test_a_refunded_fee_is_no_longer_paid() -> None:
    case = approved(4, (7000, "after_acceptance", ONLINE), paid=7000)
    case.note_fee("Refunded", 7000, None, [], at=T0, meta=META, cause=None)
    assert not case.fee.settled


def test_the_fee_never_blocks_a_rejection_or_a_supplement_request() -> None:
    case = received_case()
    case.note_fee("FeeAssessed", 15000, "on_submission", ONLINE, at=T0, meta=META, cause=None)
    case.request_supplement(uuid4(), [{"description": "Thiếu hợp đồng thuê nhà"}], T0, META)
    assert case.status is Status.SUPPLEMENT_REQUESTED
    case.reject("giay_to_gia_mao", "Luật Cư trú 68/2020/QH14, Điều 7", "Giấy tờ giả mạo", T0, META)
    assert case.status is Status.REJECTED
