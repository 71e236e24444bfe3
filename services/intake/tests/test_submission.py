"""Given an intake application, when a citizen files, then one dossier with one code exists,
filed under the version in force on the day of submission and routed to the competent unit."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import chain, repeat
from typing import Any

import pytest

from dvc_contracts.dossier import Submitted
from dvc_intake.application import IntakeApplication
from dvc_intake.application import base as intake_base
from dvc_intake.application.drafts import DraftEdit
from dvc_intake.application.filing import Submission
from dvc_intake.domain.refusal import Refused
from dvc_intake.translation import translate
from dvc_kernel.clock import FixedClock
from dvc_kernel.meta import CommandMeta

from .conftest import CT01, HOA, HOA_WARD, SeededRegistry

OWNER = "account-hoa"
META = CommandMeta(actor_id=OWNER, actor_role="citizen")


def submission(**changes: Any) -> Submission:
    data: dict[str, Any] = {
        "procedure_code": "1.003677",
        "applicant": dict(HOA),
        "delivery_mode": "e_result",
        "ward_code": HOA_WARD,
        "form_data": dict(CT01),
    }
    data.update(changes)
    return Submission(**data)


def test_submitting_gives_a_dossier_code_dated_in_vietnam_time(
    app: IntakeApplication, clock: FixedClock
) -> None:
    clock.set(datetime(2026, 11, 22, 23, 30, tzinfo=UTC))  # 06:30 on 23/11 in Vietnam
    dossier, created = app.submit(submission(), OWNER, "key-00000001", META)
    assert created
    assert dossier.code is not None and dossier.code.startswith("261123-")
    assert app.dossier_by_code(dossier.code) is not None


def test_retrying_with_the_same_key_returns_the_same_dossier(app: IntakeApplication) -> None:
    first, _ = app.submit(submission(), OWNER, "key-00000001", META)
    again, created = app.submit(submission(), OWNER, "key-00000001", META)
    assert not created
    assert again.id == first.id and again.code == first.code
    assert [type(e).__name__ for e in app.events.get(first.id)] == ["Started", "Submitted"]


def test_reusing_a_key_for_another_dossier_is_refused(app: IntakeApplication) -> None:
    app.submit(submission(), OWNER, "key-00000001", META)
    with pytest.raises(Refused) as refused:
        app.submit(submission(delivery_mode="pickup"), OWNER, "key-00000001", META)
    assert refused.value.code == "idempotency_key_reused" and refused.value.kind == "conflict"


def test_a_code_already_taken_is_never_given_twice(
    app: IntakeApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes = chain(repeat("261123-AAAAAA-X", 2), ["261123-BBBBBB-Y"])
    monkeypatch.setattr(intake_base, "new_code", lambda _day: next(codes))
    first, _ = app.submit(submission(), OWNER, "key-00000001", META)
    second, _ = app.submit(submission(), OWNER, "key-00000002", META)
    assert (first.code, second.code) == ("261123-AAAAAA-X", "261123-BBBBBB-Y")


def test_the_public_submitted_event_carries_the_dossier(app: IntakeApplication) -> None:
    dossier, _ = app.submit(submission(), OWNER, "key-00000001", META)
    started, stored = app.events.get(dossier.id)
    assert translate(started) is None  # drafting stays inside intake
    out = translate(stored)
    assert out is not None and isinstance(out.payload, Submitted)
    assert out.key == str(dossier.id)
    assert out.payload.dossier_code == dossier.code
    assert out.payload.owner_account == OWNER
    assert out.payload.unit_code == "CAX-00070"
    assert out.payload.applicant.full_name == "Nguyễn Thị Hoa"
    assert out.payload.form_data == CT01


def test_the_version_is_the_one_in_force_on_the_day_of_submission_not_of_the_draft(
    app: IntakeApplication, clock: FixedClock
) -> None:
    # Khai báo tạm vắng: version 2 took effect on 10/01/2025 with Decree 154/2024.
    clock.set(datetime(2025, 1, 9, 3, 0, tzinfo=UTC))
    draft, _ = app.start_draft(OWNER, "1.003677", META)
    assert draft.pinned_version == 1
    app.edit_draft(
        OWNER,
        draft.id,
        draft.version,
        DraftEdit(form_data=dict(CT01), applicant=dict(HOA), delivery_mode="e_result", ward_code=HOA_WARD),
        META,
    )
    clock.set(datetime(2025, 1, 10, 3, 0, tzinfo=UTC))
    dossier, _ = app.submit_draft(OWNER, draft.id, "submit-0001", META)
    assert dossier.procedure_version == 2


def test_an_unknown_procedure_is_refused_with_a_clear_message(app: IntakeApplication) -> None:
    with pytest.raises(Refused) as refused:
        app.submit(submission(procedure_code="1.999999"), OWNER, "key-00000001", META)
    assert refused.value.code == "unknown_procedure"
    assert "1.999999" in refused.value.message


def test_a_delivery_mode_the_procedure_does_not_offer_is_refused(app: IntakeApplication) -> None:
    # Cấp hộ chiếu phổ thông: the passport is posted or collected, never sent electronically.
    with pytest.raises(Refused) as refused:
        app.submit(submission(procedure_code="1.001456"), OWNER, "key-00000001", META)
    assert refused.value.code == "delivery_mode_not_allowed"


def test_nothing_is_written_when_the_registry_says_no(
    app: IntakeApplication, registry: SeededRegistry
) -> None:
    stranger = {**HOA, "full_name": "Nguyễn Thị Hoà Bình"}
    with pytest.raises(Refused) as refused:
        app.submit(submission(applicant=stranger), OWNER, "key-00000001", META)
    assert refused.value.code == "registry_mismatch"
    assert registry.asked[-1].full_name == "Nguyễn Thị Hoà Bình"
    assert app.dossiers_of(OWNER, drafts=False) == []
    assert app.recorder.max_notification_id() in (None, 0)
