"""Supervisors' gauges: per unit, how many open dossiers are due within a working day and how
many are past due, by the same times the deadline watcher acts on."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from eventsourcing.persistence import Tracking

from dvc_kernel.application import Incoming
from dvc_kernel.clock import VIETNAM, FixedClock
from dvc_processing.application import ProcessingApplication
from dvc_processing.projections.board import Board
from dvc_processing.projections.metrics import DeadlineGauges
from dvc_testing import factories


def hanoi(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)  # type: ignore[misc]


def receive(app: ProcessingApplication, unit: str, submitted_at: datetime, offset: int) -> None:
    dossier_id = uuid4()
    payload = factories.submitted(
        dossier_id, dossier_code=f"261123-{offset:06d}-X", unit_code=unit, submitted_at=submitted_at
    )
    app.process_incoming(
        Incoming(factories.envelope(payload, dossier_id), payload), Tracking("intake.dossier.v1:0", offset)
    )


def test_due_soon_and_overdue_are_counted_per_unit_with_zeros_for_units_on_time() -> None:
    app = ProcessingApplication(
        clock=FixedClock(hanoi(2026, 11, 23, 9, 5)), catalog=factories.catalog_replica()
    )
    monday = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội: due Thursday 26/11 17:00
    receive(app, "CAX-00004", monday, 1)
    receive(app, "CAX-00004", monday, 2)
    receive(app, "CAX-00007", datetime(2026, 11, 25, 2, 0, tzinfo=UTC), 3)  # Wednesday: due 30/11
    board = Board(app)
    for n in app.recorder.select_notifications(1, 1000):
        board.apply_event(app.mapper.to_domain_event(n))
    gauges = DeadlineGauges(board)

    gauges.count(hanoi(2026, 11, 25, 17, 0))  # Wednesday 17:00: one working day before Thursday's
    assert list(gauges.due_soon_samples()) == [(2.0, {"unit": "CAX-00004"}), (0.0, {"unit": "CAX-00007"})]
    assert list(gauges.overdue_samples()) == [(0.0, {"unit": "CAX-00004"}), (0.0, {"unit": "CAX-00007"})]

    gauges.count(hanoi(2026, 11, 26, 17, 0))  # Thursday 17:00: due now
    assert list(gauges.due_soon_samples()) == [(0.0, {"unit": "CAX-00004"}), (0.0, {"unit": "CAX-00007"})]
    assert list(gauges.overdue_samples()) == [(2.0, {"unit": "CAX-00004"}), (0.0, {"unit": "CAX-00007"})]
