"""Given a submitted dossier, when processing consumes it, then it is received exactly once."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

from eventsourcing.persistence import Tracking

from dvc_contracts.dossier import Received
from dvc_kernel.application import Incoming
from dvc_kernel.clock import VIETNAM, FixedClock
from dvc_processing.application import ProcessingApplication
from dvc_processing.translation import translate
from dvc_testing import factories

RECEIVED_AT = datetime(2026, 11, 23, 2, 15, tzinfo=UTC)


def submitted(dossier_id: UUID) -> Incoming:
    payload = factories.submitted(dossier_id, submitted_at=RECEIVED_AT)
    return Incoming(factories.envelope(payload, dossier_id), payload)


def test_a_submitted_dossier_is_received_at_the_moment_it_arrives() -> None:
    app = ProcessingApplication(clock=FixedClock(RECEIVED_AT), catalog=factories.catalog_replica())
    dossier_id = uuid4()
    assert app.process_incoming(submitted(dossier_id), Tracking("intake.dossier.v1:0", 1))
    case = app.case(dossier_id)
    assert case is not None and case.status == "received"
    assert case.received_at == RECEIVED_AT


def test_the_receipt_carries_the_appointment_from_the_legal_deadline() -> None:
    # Đăng ký tạm trú, 3 working days (Law on Residence Art. 28); submitted Monday 23/11/2026
    # 09:15; the day of submission is not counted (Civil Code Art. 147): Tue 24, Wed 25, Thu 26;
    # the deadline ends at the close of office hours on Thursday 26/11/2026.
    app = ProcessingApplication(clock=FixedClock(RECEIVED_AT), catalog=factories.catalog_replica())
    dossier_id = uuid4()
    app.process_incoming(submitted(dossier_id), Tracking("intake.dossier.v1:0", 1))
    case = app.case(dossier_id)
    assert case is not None and case.due_at is not None
    assert case.due_at.astimezone(VIETNAM).isoformat() == "2026-11-26T17:00:00+07:00"
    (event,) = app.events.get(dossier_id)
    out = translate(event)
    assert out is not None and isinstance(out.payload, Received)
    assert out.payload.due_at == case.due_at
    assert out.payload.procedure_version == 2
    assert any("Điều 147" in step for step in out.payload.due_explanation)
    (event,) = app.events.get(dossier_id)
    out = translate(event)
    assert out is not None and isinstance(out.payload, Received)
    assert out.payload.dossier_code == "261123-K7M3Q9-4"


def test_a_redelivered_message_changes_nothing() -> None:
    app = ProcessingApplication(clock=FixedClock(RECEIVED_AT), catalog=factories.catalog_replica())
    dossier_id = uuid4()
    message = submitted(dossier_id)
    assert app.process_incoming(message, Tracking("intake.dossier.v1:0", 1))
    assert not app.process_incoming(message, Tracking("intake.dossier.v1:0", 1))
    assert len(list(app.events.get(dossier_id))) == 1


def test_the_same_dossier_arriving_again_at_another_offset_is_not_received_twice() -> None:
    app = ProcessingApplication(clock=FixedClock(RECEIVED_AT), catalog=factories.catalog_replica())
    dossier_id = uuid4()
    app.process_incoming(submitted(dossier_id), Tracking("intake.dossier.v1:0", 1))
    app.process_incoming(submitted(dossier_id), Tracking("intake.dossier.v1:0", 2))
    assert len(list(app.events.get(dossier_id))) == 1
