"""The case's events keep the topics processing's stores hold (`module:Class.Event`), though
the actions declaring them live in sibling modules: stores written before the split load, and
a store written now loads with the code of before."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from eventsourcing.application import Application
from eventsourcing.utils import get_topic

from dvc_processing.domain.case import Case

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
META: dict[str, Any] = {"actor_id": "officer-1", "actor_role": "officer", "actor_unit": "CAX-00004"}
ITEMS = [{"document_code": "CT01", "description": "Tờ khai CT01 thiếu chữ ký của chủ hộ"}]

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
    case = Case(
        id=uuid4(),
        dossier_code="261123-K7M3Q9-4",
        procedure_code="1.004194",
        procedure_version=2,
        level=4,
        owner_account="citizen-1",
        unit_code="CAX-00004",
        delivery_mode="e_result",
        submitted_at=T0,
        received_at=T0,
        due_at=None,
        due_explanation=[],
        on_supplement="restart",
        meta=META,
        cause=None,
    )
    case.note_fee("FeeAssessed", 0, "after_acceptance", ["gateway"], T0, META, None)
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
