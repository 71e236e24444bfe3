"""The hash chain catches an altered, deleted, inserted or reordered event and names it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from dvc_contracts import Actor, Envelope, EventPayload
from dvc_contracts.case import Approved, Assigned
from dvc_contracts.dossier import Accepted, Received, ResultIssued
from dvc_contracts.integrity import Finding, verify

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
OFFICER = Actor(id="officer-1", role="officer", unit="CAX-00004")


def story(dossier_id: UUID, code: str) -> list[EventPayload]:
    ids = {"dossier_id": dossier_id, "dossier_code": code}
    return [
        Received(**ids, procedure_code="1.004194", unit_code="CAX-00004", received_at=T0, due_at=None),
        Assigned(**ids, officer_id="officer-1", unit_code="CAX-00004", assigned_at=T0 + timedelta(hours=1)),
        Accepted(**ids, accepted_at=T0 + timedelta(hours=2)),
        Approved(**ids, summary="Đăng ký tạm trú", approved_at=T0 + timedelta(hours=3)),
        ResultIssued(
            **ids,
            result_form="CT08",
            summary="Đã cập nhật",
            delivery_mode="e_result",
            issued_at=T0 + timedelta(hours=4),
        ),
    ]


def chain(dossier_id: UUID, code: str) -> list[Envelope]:
    """A dossier's events sealed as the relay seals them: each names its predecessor's hash."""
    sealed: list[Envelope] = []
    for version, payload in enumerate(story(dossier_id, code), start=1):
        sealed.append(
            Envelope(
                event_id=uuid4(),
                event_type=payload.event_type,
                schema_version=payload.schema_version,
                subject=str(dossier_id),
                occurred_at=T0 + timedelta(hours=version),
                producer="processing",
                aggregate_version=version,
                actor=OFFICER,
                prev_hash=sealed[-1].hash if sealed else None,
                payload=payload.model_dump(mode="json"),
            ).sealed()
        )
    return sealed


def log() -> tuple[list[Envelope], list[Envelope], list[Envelope]]:
    """Two dossiers interleaved as on one topic, and each dossier's own events."""
    a, b = chain(uuid4(), "A"), chain(uuid4(), "B")
    interleaved = [e for pair in zip(a, b, strict=True) for e in pair]
    return interleaved, a, b


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, [str(f) for f in findings]
    return findings[0]


def test_a_clean_log_passes() -> None:
    assert verify(log()[0]) == []


def test_an_altered_event_is_named() -> None:
    entries, a, _ = log()
    victim = a[2]
    altered = victim.model_copy(update={"payload": {**victim.payload, "dossier_code": "X"}})
    entries[entries.index(victim)] = altered
    finding = only(verify(entries))
    assert (finding.problem, finding.event_id) == ("altered", victim.event_id)
    assert finding.subject == victim.subject
    assert finding.position == 4


def test_a_deleted_event_is_named_by_the_one_left_pointing_at_the_hole() -> None:
    entries, a, _ = log()
    entries.remove(a[2])
    finding = only(verify(entries))
    assert (finding.problem, finding.event_id) == ("deleted", a[3].event_id)


def test_an_inserted_event_is_named() -> None:
    entries, a, _ = log()
    forged = (
        a[2]
        .model_copy(update={"event_id": uuid4(), "payload": {**a[2].payload, "accepted_at": T0.isoformat()}})
        .sealed()
    )  # correctly sealed and chained to a[1]: only the fork gives it away
    entries.insert(entries.index(a[2]), forged)
    finding = only(verify(entries))
    assert (finding.problem, finding.event_id, finding.position) == ("inserted", forged.event_id, 4)


def test_a_second_first_event_is_an_insertion() -> None:
    entries, a, _ = log()
    forged = a[0].model_copy(update={"event_id": uuid4(), "aggregate_version": 1}).sealed()
    entries.insert(3, forged)
    finding = only(verify(entries))
    assert (finding.problem, finding.event_id) == ("inserted", forged.event_id)


def test_reordered_events_are_named() -> None:
    entries, a, _ = log()
    i, j = entries.index(a[1]), entries.index(a[2])
    entries[i], entries[j] = entries[j], entries[i]
    finding = only(verify(entries))
    assert (finding.problem, finding.event_id, finding.position) == ("reordered", a[2].event_id, i)
    assert str(a[1].event_id) in finding.detail


def test_a_version_that_does_not_increase_is_named() -> None:
    _, a, _ = log()
    bad = a[1].model_copy(update={"aggregate_version": 1}).sealed()
    rest = a[2].model_copy(update={"prev_hash": bad.hash}).sealed()
    finding = only(verify([a[0], bad, rest]))
    assert (finding.problem, finding.event_id) == ("version", bad.event_id)


def test_each_dossier_is_checked_on_its_own_chain() -> None:
    """Damage to one dossier names that dossier only."""
    entries, a, b = log()
    entries.remove(b[1])
    finding = only(verify(entries))
    assert (finding.subject, finding.event_id) == (b[2].subject, b[2].event_id)
    assert verify(a) == []
