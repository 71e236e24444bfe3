"""Given an intake application, when a citizen submits, then one dossier with one code exists."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import chain, repeat
from typing import Any

import pytest
from dvc_contracts.dossier import Submitted
from dvc_intake import application as intake_app
from dvc_intake.application import IntakeApplication, Submission
from dvc_intake.translation import translate
from dvc_kernel.clock import FixedClock
from dvc_kernel.errors import Conflict, Unprocessable
from dvc_kernel.meta import CommandMeta
from dvc_kernel.testing import factories

APPLICANT = {"id_number": "001203004321", "full_name": "Nguyễn Thị Hoa", "phone": "0912345678", "email": None}


def submission(**changes: Any) -> Submission:
    data: dict[str, Any] = {
        "procedure_code": "1.004194",
        "applicant": APPLICANT,
        "delivery_mode": "e_result",
        "form_data": {"noi_dung_de_nghi": "Đăng ký tạm trú"},
    }
    data.update(changes)
    return Submission(**data)


@pytest.fixture
def app() -> IntakeApplication:
    # 23:30 UTC on 22/11 is 06:30 on 23/11 in Vietnam: the code carries the Vietnamese date.
    return IntakeApplication(
        clock=FixedClock(datetime(2026, 11, 22, 23, 30, tzinfo=UTC)), catalog=factories.catalog_replica()
    )


META = CommandMeta(actor_id="001203004321", actor_role="citizen")


def test_submitting_gives_a_dossier_code_dated_in_vietnam_time(app: IntakeApplication) -> None:
    dossier, created = app.submit(submission(), "001203004321", "key-00000001", META)
    assert created
    assert dossier.code.startswith("261123-")
    assert app.dossier_by_code(dossier.code) is not None


def test_retrying_with_the_same_key_returns_the_same_dossier(app: IntakeApplication) -> None:
    first, _ = app.submit(submission(), "001203004321", "key-00000001", META)
    again, created = app.submit(submission(), "001203004321", "key-00000001", META)
    assert not created
    assert again.id == first.id and again.code == first.code
    assert len(list(app.events.get(first.id))) == 1


def test_reusing_a_key_for_another_dossier_is_refused(app: IntakeApplication) -> None:
    app.submit(submission(), "001203004321", "key-00000001", META)
    with pytest.raises(Conflict) as refused:
        app.submit(submission(delivery_mode="pickup"), "001203004321", "key-00000001", META)
    assert refused.value.code == "idempotency_key_reused"


def test_a_code_already_taken_is_never_given_twice(
    app: IntakeApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes = chain(repeat("261123-AAAAAA-X", 2), ["261123-BBBBBB-Y"])
    monkeypatch.setattr(intake_app, "new_code", lambda _day: next(codes))
    first, _ = app.submit(submission(), "001203004321", "key-00000001", META)
    second, _ = app.submit(submission(), "001203004321", "key-00000002", META)
    assert first.code == "261123-AAAAAA-X"
    assert second.code == "261123-BBBBBB-Y"


def test_the_public_submitted_event_carries_the_dossier(app: IntakeApplication) -> None:
    dossier, _ = app.submit(submission(), "001203004321", "key-00000001", META)
    (stored,) = app.events.get(dossier.id)
    out = translate(stored)
    assert out is not None and isinstance(out.payload, Submitted)
    assert out.key == str(dossier.id)
    assert out.payload.dossier_code == dossier.code
    assert out.payload.applicant.full_name == "Nguyễn Thị Hoa"


def test_the_dossier_keeps_the_version_in_force_on_the_day_it_is_filed(app: IntakeApplication) -> None:
    # Đăng ký tạm trú: version 2 took effect on 10/01/2025 with Decree 154/2024.
    dossier, _ = app.submit(submission(), "001203004321", "key-00000001", META)
    assert dossier.procedure_version == 2
    early = IntakeApplication(
        clock=FixedClock(datetime(2024, 6, 3, 2, 0, tzinfo=UTC)), catalog=factories.catalog_replica()
    )
    old, _ = early.submit(submission(), "001203004321", "key-00000001", META)
    assert old.procedure_version == 1


def test_an_unknown_procedure_is_refused_with_a_clear_message(app: IntakeApplication) -> None:
    with pytest.raises(Unprocessable) as refused:
        app.submit(submission(procedure_code="1.999999"), "001203004321", "key-00000001", META)
    assert refused.value.code == "unknown_procedure"
    assert "1.999999" in refused.value.message


def test_a_delivery_mode_the_procedure_does_not_offer_is_refused(app: IntakeApplication) -> None:
    # Cấp hộ chiếu phổ thông: the passport is posted or collected, never sent electronically.
    with pytest.raises(Unprocessable) as refused:
        app.submit(
            submission(procedure_code="1.001456", delivery_mode="e_result"),
            "001203004321",
            "key-00000001",
            META,
        )
    assert refused.value.code == "delivery_mode_not_allowed"
