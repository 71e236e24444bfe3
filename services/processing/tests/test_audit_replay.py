"""The auditors' replay counts an event once: a relay that crashed after publishing publishes it
again, byte for byte, and that copy changes nothing; an event reusing an id with other content
is tampering, and the checks say so."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer

from dvc_contracts import Envelope
from dvc_contracts.dossier import Received
from dvc_contracts.topics import INTAKE_DOSSIER, PROCESSING_DOSSIER
from dvc_processing.audit.checks import check_integrity
from dvc_processing.audit.replay import Record, dossier_events, read_topics, rebuild
from dvc_testing import factories

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
ID = uuid4()
CODE = "261123-000001-X"


def story() -> tuple[Envelope, Envelope]:
    submitted = factories.envelope(factories.submitted(ID, dossier_code=CODE), ID)
    received = factories.envelope(
        Received(
            dossier_id=ID,
            dossier_code=CODE,
            procedure_code="1.004194",
            unit_code="CAX-00004",
            received_at=T0 + timedelta(minutes=1),
            due_at=None,
        ),
        ID,
        producer="processing",
    )
    return submitted, received.model_copy(update={"causation_id": submitted.event_id}).sealed()


def tampered(envelope: Envelope) -> Envelope:
    """The same event id with other content, sealed again so its own hash holds."""
    payload = {**envelope.payload, "unit_code": "CAX-99999"}
    return envelope.model_copy(update={"payload": payload}).sealed()


def topics(intake: list[Envelope], processing: list[Envelope]) -> dict[str, list[Record]]:
    return {
        INTAKE_DOSSIER.name: [Record(INTAKE_DOSSIER.name, 0, i, e) for i, e in enumerate(intake)],
        PROCESSING_DOSSIER.name: [Record(PROCESSING_DOSSIER.name, 0, i, e) for i, e in enumerate(processing)],
    }


def test_an_event_published_twice_folds_once_and_is_no_finding() -> None:
    submitted, received = story()
    log = topics([submitted], [received, received])
    events = dossier_events(log)
    assert [e.event_type for e in events[str(ID)]] == ["Submitted", "Received"]
    state = rebuild(events)[str(ID)]
    assert [s.event_type for s in state.steps] == ["Submitted", "Received"]
    assert check_integrity(log) == []


def test_an_id_reused_with_other_content_is_flagged_and_folds_as_first_read() -> None:
    submitted, received = story()
    forged = tampered(received)
    assert forged.event_id == received.event_id and forged.hash != received.hash
    log = topics([submitted], [received, forged])
    state = rebuild(dossier_events(log))[str(ID)]
    assert state.unit_code == "CAX-00004" and len(state.steps) == 2
    findings = check_integrity(log)
    assert ("tamper_conflicting_copy", CODE, received.event_id) in [
        (f.rule, f.dossier, f.event_id) for f in findings
    ]
    conflict = next(f for f in findings if f.rule == "tamper_conflicting_copy")
    assert conflict.detail.startswith(f"{PROCESSING_DOSSIER.name}[0]@1:")


@pytest.mark.kafka
async def test_reading_a_topic_drops_the_relays_second_copy_and_keeps_a_forged_one(
    kafka_bootstrap: str, fresh_topic: Callable[[int], Awaitable[str]]
) -> None:
    submitted, received = story()
    forged = tampered(received)
    topic = await fresh_topic(1)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()
    try:
        for envelope in (submitted, received, received, forged):
            await producer.send_and_wait(topic, envelope.to_bytes(), key=str(ID).encode())
    finally:
        await producer.stop()

    read = await read_topics(kafka_bootstrap, [topic])

    assert [(r.offset, r.envelope) for r in read[topic]] == [(0, submitted), (1, received), (3, forged)]
    findings = check_integrity(read)
    assert "tamper_conflicting_copy" in [f.rule for f in findings]  # the chain may say more about it
    assert {(f.event_id, f.detail.split(":")[0]) for f in findings} == {(forged.event_id, f"{topic}[0]@3")}
