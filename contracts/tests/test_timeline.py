"""The shared fold: the order `interleave` gives producers' streams, and the state `fold` and
`apply` build from them (one validation per dossier, with the result validating would give)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from pydantic import ValidationError

from dvc_contracts import Actor, Envelope, EventPayload
from dvc_contracts.case import Approved, Assigned
from dvc_contracts.dossier import Accepted, Received, ResultIssued
from dvc_contracts.timeline import DossierState, Step, apply, fold, interleave

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
OFFICER = Actor(id="officer-1", role="officer", unit="CAX-00004")
ID = uuid4()
IDS = {"dossier_id": ID, "dossier_code": "261123-000001-X"}


def sealed(payload: EventPayload | dict[str, Any], hours: int, cause: Envelope | None = None) -> Envelope:
    data = payload if isinstance(payload, dict) else payload.model_dump(mode="json")
    return Envelope(
        event_id=uuid4(),
        event_type=data.pop("event_type") if isinstance(payload, dict) else payload.event_type,
        schema_version=1,
        subject=str(ID),
        occurred_at=T0 + timedelta(hours=hours),
        producer="processing",
        aggregate_version=hours + 1,
        causation_id=cause.event_id if cause else None,
        actor=OFFICER,
        payload=data,
    ).sealed()


def story() -> list[Envelope]:
    received = Received(
        **IDS, procedure_code="1.004194", unit_code="CAX-00004", received_at=T0, due_at=T0 + timedelta(days=3)
    )
    return [
        sealed(received, 1),
        sealed(Assigned(**IDS, officer_id="officer-1", unit_code="CAX-00004", assigned_at=T0), 2),
        sealed(Accepted(**IDS, accepted_at=T0), 3),
        sealed(Approved(**IDS, summary="Đăng ký tạm trú", approved_at=T0), 4),
        sealed(
            ResultIssued(**IDS, result_form="CT08", summary="Xong", delivery_mode="e_result", issued_at=T0), 5
        ),
    ]


def ids(envelopes: list[Envelope]) -> list[UUID]:
    return [e.event_id for e in envelopes]


def test_a_cause_from_another_stream_comes_right_before_its_effect() -> None:
    submitted = sealed({"event_type": "Submitted", "dossier_id": str(ID)}, 0)
    fee = sealed({"event_type": "FeeAssessed", "dossier_id": str(ID), "amount_vnd": 7000, "rule": "r"}, 2)
    received = sealed({"event_type": "Received", "dossier_id": str(ID)}, 1, cause=submitted)
    noted = sealed({"event_type": "Noted", "dossier_id": str(ID)}, 3, cause=fee)
    ordered = interleave([[received, noted], [submitted], [fee]])
    assert ids(ordered) == ids([submitted, received, fee, noted])


def test_a_corrupt_order_still_places_every_event_once() -> None:
    a = sealed({"event_type": "Received", "dossier_id": str(ID)}, 1)
    b = sealed({"event_type": "Accepted", "dossier_id": str(ID)}, 2, cause=a)
    a_naming_b = a.model_copy(update={"causation_id": b.event_id})  # a cycle: a names b names a
    # a goes after what it names; b's own cause is a, already being placed: the cycle ends there
    assert ids(interleave([[a_naming_b, b]])) == ids([b, a])
    # An event whose cause comes later in its own stream goes after that cause.
    first = sealed({"event_type": "Received", "dossier_id": str(ID)}, 1)
    later = sealed({"event_type": "Accepted", "dossier_id": str(ID)}, 2)
    assert ids(interleave([[first.model_copy(update={"causation_id": later.event_id}), later]])) == ids(
        [later, first]
    )


def test_the_fold_tells_status_unit_deadline_and_each_step() -> None:
    state = fold(story())
    assert state is not None
    assert (state.status, state.unit_code, state.officer_id) == ("result_issued", "CAX-00004", "officer-1")
    assert state.due_at == T0 + timedelta(days=3) and isinstance(state.due_at, datetime)
    assert state.decided_at == T0 + timedelta(hours=5) and state.on_time is True
    kinds = [s.event_type for s in state.steps]
    assert kinds == ["Received", "Assigned", "Accepted", "Approved", "ResultIssued"]
    assert all(isinstance(s, Step) for s in state.steps)
    assert "dossier_id" not in state.steps[0].details and state.steps[0].details["unit_code"] == "CAX-00004"


def test_as_of_an_instant_gives_the_state_then() -> None:
    earlier = fold(story(), as_of=T0 + timedelta(hours=3, minutes=30))
    assert earlier is not None and earlier.status == "accepted" and len(earlier.steps) == 3
    assert fold(story(), as_of=T0) is None


def test_applying_events_one_by_one_gives_what_the_fold_gives() -> None:
    events = story()
    state: DossierState | None = None
    for envelope in events:
        state = apply(state, envelope)
    assert state == fold(events)
    assert state is not None and state.model_dump(mode="json") == DossierState.model_validate(
        state.model_dump(mode="json")
    ).model_dump(mode="json")


def test_a_payload_value_of_the_wrong_type_is_refused_as_validation_would() -> None:
    refused = sealed(
        {"event_type": "Refused", "dossier_id": str(ID), "explanation": 42, "legal_basis": "Điều 27"}, 1
    )
    with pytest.raises(ValidationError):
        fold([refused])


def test_a_recalculated_due_date_moves_the_appointment_and_says_why() -> None:
    from dvc_contracts.case import DueDateRecalculated

    received = Received(
        **IDS,
        procedure_code="1.004194",
        unit_code="CAX-00004",
        received_at=T0,
        due_at=T0 + timedelta(days=3),
        calendar_version=1,
    )
    moved = DueDateRecalculated(
        **IDS,
        old_calendar_version=1,
        new_calendar_version=2,
        old_due_at=T0 + timedelta(days=3),
        new_due_at=T0 + timedelta(days=4),
        reason="Lịch làm việc được sửa đổi (phiên bản 1 → 2)",
        due_explanation=["Bỏ qua 27/08/2026 (Nghỉ theo quyết định bổ sung)"],
        recalculated_at=T0 + timedelta(hours=2),
    )
    state = fold([sealed(received, 1), sealed(moved, 2)])
    assert state.due_at == T0 + timedelta(days=4)
    assert state.steps[-1].label == "Tính lại hạn trả kết quả theo lịch làm việc sửa đổi"
    assert state.steps[-1].reason == "Lịch làm việc được sửa đổi (phiên bản 1 → 2)"


def test_a_fee_paid_before_the_result_is_listed_before_it_though_noted_after() -> None:
    """Processing noted the payment 100 ms after issuing the result; the citizen paid 90 ms
    before it was issued: the timeline says what happened when."""
    submitted = sealed({"event_type": "Submitted", "dossier_id": str(ID)}, 0)
    received = sealed({"event_type": "Received", "dossier_id": str(ID)}, 1, cause=submitted)
    assessed = sealed({"event_type": "FeeAssessed", "dossier_id": str(ID), "amount_vnd": 0, "rule": "r"}, 2)
    issued = sealed({"event_type": "ResultIssued", "dossier_id": str(ID)}, 5)
    paid = sealed({"event_type": "FeePaid", "dossier_id": str(ID)}, 5).model_copy(
        update={"occurred_at": issued.occurred_at - timedelta(milliseconds=90)}
    )
    noted = sealed({"event_type": "Noted", "dossier_id": str(ID)}, 5, cause=paid).model_copy(
        update={"occurred_at": issued.occurred_at + timedelta(milliseconds=100)}
    )
    ordered = interleave([[received, issued, noted], [submitted], [assessed, paid]])
    assert ids(ordered) == ids([submitted, received, assessed, paid, issued, noted])


def test_a_cause_stamped_a_little_late_by_its_clock_still_comes_first() -> None:
    submitted = sealed({"event_type": "Submitted", "dossier_id": str(ID)}, 2)  # intake's clock ahead
    received = sealed({"event_type": "Received", "dossier_id": str(ID)}, 1, cause=submitted)
    assert ids(interleave([[received], [submitted]])) == ids([submitted, received])
