"""The auditors' rules and the causal interleaving of two producers, on contract envelopes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from dvc_contracts import Envelope, EventPayload
from dvc_contracts.case import Approved, DeadlineBreached, Refused
from dvc_contracts.dossier import Received, ResultIssued
from dvc_contracts.payment import Refunded
from dvc_processing.audit.checks import check_dossier
from dvc_processing.audit.replay import causal_order
from dvc_testing import factories

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
ID = uuid4()
IDS = {"dossier_id": ID, "dossier_code": "261123-000001-X"}


def sealed(payloads: list[EventPayload], causes: dict[int, Envelope] | None = None) -> list[Envelope]:
    out: list[Envelope] = []
    for i, payload in enumerate(payloads, start=1):
        e = factories.envelope(
            payload, ID, producer="processing", version=i, occurred_at=T0 + timedelta(hours=i)
        )
        update: dict[str, object] = {"prev_hash": out[-1].hash if out else None}
        if causes and i in causes:
            update["causation_id"] = causes[i].event_id
        out.append(e.model_copy(update=update).sealed())
    return out


RECEIVED = Received(**IDS, procedure_code="1.004194", unit_code="CAX-00004", received_at=T0, due_at=None)
RESULT = ResultIssued(**IDS, result_form="CT08", summary="Xong", delivery_mode="e_result", issued_at=T0)


def rules(envelopes: list[Envelope]) -> list[str]:
    return [f.rule for f in check_dossier(str(ID), envelopes)]


def test_a_result_needs_a_decision_before_it() -> None:
    assert rules(sealed([RECEIVED, RESULT])) == ["result_without_decision"]
    assert rules(sealed([RECEIVED, Approved(**IDS, summary="Được", approved_at=T0), RESULT])) == []


def test_a_refusal_needs_a_legal_basis() -> None:
    refusal = Refused(
        **IDS, reason_code="R01", legal_basis=" ", explanation="Không đủ điều kiện", refused_at=T0
    )
    findings = check_dossier(str(ID), sealed([RECEIVED, refusal]))
    assert [(f.rule, f.dossier) for f in findings] == [("reason_missing", IDS["dossier_code"])]
    assert "legal_basis" in findings[0].detail


def test_a_breach_needs_an_apology_or_the_end() -> None:
    breach = DeadlineBreached(**IDS, unit_code="CAX-00004", due_at=T0, breached_at=T0)
    events = sealed([RECEIVED, breach])
    assert [(f.rule, f.event_id) for f in check_dossier(str(ID), events)] == [
        ("breach_without_apology", events[1].event_id)
    ]
    ended = sealed([RECEIVED, breach, Approved(**IDS, summary="Được", approved_at=T0), RESULT])
    assert rules(ended) == []


def test_a_consumed_event_goes_right_before_what_it_caused() -> None:
    submitted = factories.envelope(factories.submitted(ID, dossier_code=IDS["dossier_code"]), ID)
    processing = sealed([RECEIVED, Approved(**IDS, summary="Được", approved_at=T0)], causes={1: submitted})
    assert causal_order([processing, [submitted]]) == [submitted, *processing]


def test_a_level_4_result_is_issued_only_once_its_fee_is_paid() -> None:
    fee = factories.fee_assessed(ID, IDS["dossier_code"], 7000)
    approved = Approved(**IDS, summary="Được", approved_at=T0)
    assert rules(sealed([RECEIVED, fee, approved, RESULT])) == ["result_before_fee_paid"]
    paid = factories.fee_paid(ID, 7000)
    assert rules(sealed([RECEIVED, fee, paid, approved, RESULT])) == []


def test_a_level_3_fee_paid_at_the_counter_may_follow_the_result() -> None:
    fee = factories.fee_assessed(ID, IDS["dossier_code"], 35000, methods=["counter"])
    approved = Approved(**IDS, summary="Được", approved_at=T0)
    assert rules(sealed([RECEIVED, fee, approved, RESULT])) == []


def test_nothing_is_refunded_that_was_not_paid() -> None:
    refund = Refunded(
        **IDS,
        amount_vnd=7000,
        reason="Hồ sơ bị từ chối",
        transaction_ref="14000001",
        refund_ref="RF1",
        refunded_at=T0,
    )
    assert rules(sealed([RECEIVED, refund])) == ["refund_without_payment"]
    assert rules(sealed([RECEIVED, factories.fee_paid(ID, 7000), refund])) == []
