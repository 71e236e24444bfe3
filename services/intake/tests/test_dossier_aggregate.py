"""The dossier aggregate: given its events, when the citizen or processing acts, then which
events follow (or which refusal)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from dvc_intake.domain.dossier import Dossier, Status
from dvc_intake.domain.refusal import Refused

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
META: dict[str, Any] = {"actor_id": "account-hoa", "actor_role": "citizen"}


def draft() -> Dossier:
    return Dossier(
        id=uuid4(), owner_account="account-hoa", procedure_code="1.003677", pinned_version=2, meta=META
    )


def submitted() -> Dossier:
    dossier = draft()
    dossier.submit(
        code="261123-K7M3Q9-4",
        procedure_version=2,
        applicant={"id_number": "001203004321"},
        unit_code="CAX-00070",
        ward_code="00070",
        delivery_mode="e_result",
        form_data={"ho_ten": "Nguyễn Thị Hoa"},
        attachments=[],
        submitted_at=AT,
        submit_key="key-1",
        request_fingerprint=None,
        meta=META,
    )
    return dossier


def new_events(dossier: Dossier) -> list[str]:
    return [type(e).__name__ for e in dossier.collect_events()]


def test_a_draft_is_edited_and_submitted() -> None:
    dossier = draft()
    dossier.edit(
        form_data={"ho_ten": "Nguyễn Thị Hoa"}, applicant=None, delivery_mode=None, ward_code=None, meta=META
    )
    assert new_events(dossier) == ["Started", "Edited"]
    fresh = submitted()
    assert new_events(fresh) == ["Started", "Submitted"]
    assert (fresh.status, fresh.unit_code) == (Status.SUBMITTED, "CAX-00070")


def test_a_submitted_dossier_is_no_longer_a_draft() -> None:
    dossier = submitted()
    with pytest.raises(Refused) as refused:
        dossier.edit(form_data={}, applicant=None, delivery_mode=None, ward_code=None, meta=META)
    assert refused.value.code == "draft_already_submitted"


def test_the_same_file_for_the_same_paper_is_attached_once() -> None:
    dossier = draft()
    ref = {"sha256": "a" * 64, "document_code": "CT01", "media_type": "application/pdf", "size": 10}
    assert dossier.attach(ref, META)
    assert not dossier.attach(ref, META)
    dossier.detach("a" * 64, META)
    assert dossier.attachments == []


def test_a_supplement_request_is_answered_then_closed() -> None:
    dossier = submitted()
    request_id = uuid4()
    dossier.note_supplement_requested(request_id, [{"document_code": None, "description": "Ảnh mờ"}], META)
    dossier.resubmit(
        request_id=None, form_data={}, added=[], note="Đã chụp lại", at=AT, idempotency_key="s-1", meta=META
    )
    assert dossier.status is Status.RESUBMITTED and dossier.supplement is None
    assert new_events(dossier)[-2:] == ["SupplementOpened", "Resubmitted"]
    with pytest.raises(Refused):
        dossier.resubmit(
            request_id=None, form_data={}, added=[], note="x", at=AT, idempotency_key="s-2", meta=META
        )


def test_an_answer_to_a_replaced_request_is_refused() -> None:
    dossier = submitted()
    dossier.note_supplement_requested(uuid4(), [{"document_code": None, "description": "Thiếu"}], META)
    with pytest.raises(Refused) as refused:
        dossier.resubmit(
            request_id=uuid4(), form_data={}, added=[], note="x", at=AT, idempotency_key="s-1", meta=META
        )
    assert refused.value.code == "supplement_request_mismatch"


def test_a_decision_closes_the_supplement_and_withdrawal_is_then_refused() -> None:
    dossier = submitted()
    dossier.note_supplement_requested(uuid4(), [{"document_code": None, "description": "Thiếu"}], META)
    dossier.note_processing(Status.REJECTED, None, META)
    assert (dossier.status, dossier.supplement) == (Status.REJECTED, None)
    with pytest.raises(Refused) as refused:
        dossier.withdraw("Không cần nữa", AT, META)
    assert refused.value.code == "dossier_already_decided"


def test_accepted_is_not_a_decision() -> None:
    dossier = submitted()
    dossier.note_processing(Status.ACCEPTED, None, META)
    assert dossier.withdraw(None, AT, META)
    assert dossier.status is Status.WITHDRAWN


def test_late_news_never_moves_a_withdrawn_dossier_back() -> None:
    dossier = submitted()
    dossier.withdraw(None, AT, META)
    dossier.collect_events()
    dossier.note_processing(Status.RECEIVED, "CAX-00070", META)
    dossier.note_supplement_requested(uuid4(), [{"document_code": None, "description": "Thiếu"}], META)
    dossier.note_processing(Status.WITHDRAWN, None, META)
    assert new_events(dossier) == [] and dossier.status is Status.WITHDRAWN
    assert not dossier.withdraw(None, AT, META)  # a retried withdrawal changes nothing


def test_a_transfer_moves_the_dossier_to_the_new_unit() -> None:
    dossier = submitted()
    dossier.note_processing(Status.SUBMITTED, "CAX-00073", META)
    assert dossier.unit_code == "CAX-00073"
