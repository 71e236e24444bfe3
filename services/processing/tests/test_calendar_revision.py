"""A working calendar revised while dossiers are open (ADR 0023): every due date records the
calendar version it was counted by; open dossiers are counted again by a new version with a
`DueDateRecalculated` saying both versions, both dates and why; closed dossiers stay as judged."""

from __future__ import annotations

import itertools
import shutil
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import Tracking

import dvc_calendar
from dvc_calendar import CalendarVersion, CalendarVersions, load_versions
from dvc_calendar.yaml_fields import DATA_DIR
from dvc_contracts.case import DueDateRecalculated
from dvc_contracts.dossier import Received, Withdrawn
from dvc_kernel.application import Incoming
from dvc_kernel.clock import VIETNAM, FixedClock
from dvc_processing.application import ProcessingApplication
from dvc_processing.application.watcher import DeadlineWatcher
from dvc_processing.audit.recompute import recount_all
from dvc_processing.audit.replay import Record
from dvc_processing.domain.case import Case
from dvc_processing.projections.board import Board
from dvc_processing.projections.timelines import Timelines, history_of
from dvc_processing.translation import translate
from dvc_testing import factories

POSITIONS = itertools.count(1)  # tracking positions of the consumed intake events
PACKAGED = Path(dvc_calendar.__file__).resolve().parent / Path(*DATA_DIR) / "versions"
# Tuesday 25/08/2026 09:00: 3 working days for temporary residence → Friday 28/08 17:00.
SUBMITTED = datetime(2026, 8, 25, 9, 0, tzinfo=VIETNAM)
LATE_DAY_OFF = """  - date: 2026-08-27
    kind: day_off
    name: "Nghỉ theo quyết định bổ sung"
    source: "Quyết định bổ sung về ngày nghỉ 27/08/2026"
    status: confirmed
    in_force: true
"""


@pytest.fixture
def revised(versions: CalendarVersions) -> CalendarVersion:
    return versions.version(2)


@pytest.fixture
def versions(tmp_path: Path) -> CalendarVersions:
    """Version 2, as a late decision would make it: Thursday 27/08/2026 off."""
    root = tmp_path / "versions"
    shutil.copytree(PACKAGED, root)
    shutil.copytree(root / "v1", root / "v2")
    (root / "v2" / "version.yaml").write_text(
        "version: 2\neffective_from: 2026-08-26\nlegal_basis:\n"
        '  - "Quyết định bổ sung về ngày nghỉ 27/08/2026"\n',
        encoding="utf-8",
    )
    year = root / "v2" / "vn-2026.yaml"
    year.write_text(year.read_text(encoding="utf-8") + LATE_DAY_OFF, encoding="utf-8")
    return load_versions(root)


def receive(app: ProcessingApplication) -> UUID:
    dossier_id = uuid4()
    payload = factories.submitted(
        dossier_id,
        dossier_code=f"260825-{dossier_id.hex[:6].upper()}-X",
        unit_code="CAX-00004",
        submitted_at=SUBMITTED.astimezone(UTC),
    )
    app.process_incoming(
        Incoming(factories.envelope(payload, dossier_id), payload),
        Tracking("intake.dossier.v1:0", next(POSITIONS)),
    )
    return dossier_id


def test_the_receipt_records_the_calendar_version_it_was_counted_by() -> None:
    app = ProcessingApplication(clock=FixedClock(SUBMITTED), catalog=factories.catalog_replica())
    dossier_id = receive(app)
    (event,) = app.events.get(dossier_id)
    out = translate(event)
    assert out is not None and isinstance(out.payload, Received)
    assert out.payload.calendar_version == 1 and out.payload.due_estimated is False
    assert out.payload.due_at == datetime(2026, 8, 28, 17, 0, tzinfo=VIETNAM)


def test_an_open_dossier_is_counted_again_by_the_revised_calendar(revised: CalendarVersion) -> None:
    clock = FixedClock(SUBMITTED)
    app = ProcessingApplication(clock=clock, catalog=factories.catalog_replica())
    dossier_id = receive(app)
    clock.set(datetime(2026, 8, 26, 10, 0, tzinfo=VIETNAM))
    assert app.recalculate_due_date(dossier_id, revised)
    case = app.case(dossier_id)
    assert case is not None and case.calendar_version == 2
    # 26/08, (27/08 now off), 28/08, (29–30 weekend, 31/08–02/09 Quốc khánh break), 03/09.
    assert case.due_at == datetime(2026, 9, 3, 17, 0, tzinfo=VIETNAM)
    out = translate(list(app.events.get(dossier_id))[-1])
    assert out is not None and isinstance(out.payload, DueDateRecalculated)
    recalculated = out.payload
    assert (recalculated.old_calendar_version, recalculated.new_calendar_version) == (1, 2)
    assert recalculated.old_due_at == datetime(2026, 8, 28, 17, 0, tzinfo=VIETNAM)
    assert recalculated.new_due_at == datetime(2026, 9, 3, 17, 0, tzinfo=VIETNAM)
    assert "Quyết định bổ sung về ngày nghỉ 27/08/2026" in recalculated.reason
    assert "phiên bản 1 → 2" in recalculated.reason
    assert not app.recalculate_due_date(dossier_id, revised), "counted once per version"


def test_a_closed_dossier_stays_as_it_was_judged(revised: CalendarVersion) -> None:
    app = ProcessingApplication(clock=FixedClock(SUBMITTED), catalog=factories.catalog_replica())
    dossier_id = receive(app)
    case = app.case(dossier_id)
    assert case is not None
    withdrawn = Withdrawn(dossier_id=dossier_id, dossier_code=case.dossier_code, withdrawn_at=SUBMITTED)
    app.process_incoming(
        Incoming(factories.envelope(withdrawn, dossier_id), withdrawn),
        Tracking("intake.dossier.v1:0", next(POSITIONS)),
    )
    before = len(list(app.events.get(dossier_id)))
    assert not app.recalculate_due_date(dossier_id, revised)
    after = app.case(dossier_id)
    assert after is not None and after.calendar_version == 1
    assert after.due_at == datetime(2026, 8, 28, 17, 0, tzinfo=VIETNAM)
    assert len(list(app.events.get(dossier_id))) == before


def test_events_stored_before_calendar_versions_still_load() -> None:
    """A Received stored without the new fields (as the mapper rebuilds it: the stored state
    put on a bare object) folds, and translates, with their defaults."""
    app = ProcessingApplication(clock=FixedClock(SUBMITTED), catalog=factories.catalog_replica())
    (event,) = app.events.get(receive(app))
    old = object.__new__(type(event))
    old.__dict__.update(
        {k: v for k, v in event.__dict__.items() if k not in ("calendar_version", "due_estimated")}
    )
    case = old.mutate(None)
    assert isinstance(case, Case) and case.calendar_version is None and case.due_at is not None
    out = translate(old)
    assert out is not None and isinstance(out.payload, Received) and out.payload.calendar_version is None


def test_the_deadline_watcher_recounts_open_dossiers_once_when_a_new_version_takes_effect(
    versions: CalendarVersions,
) -> None:
    clock = FixedClock(SUBMITTED)
    app = ProcessingApplication(clock=clock, catalog=factories.catalog_replica())
    dossier_id = receive(app)
    board = Board(app)
    for n in app.recorder.select_notifications(1, 1000):
        board.apply_event(app.mapper.to_domain_event(n))
    watcher = DeadlineWatcher(app, board, versions=versions)
    assert watcher.check() == 0  # version 1 is in force: nothing to count again
    clock.set(datetime(2026, 8, 26, 8, 0, tzinfo=VIETNAM))  # version 2 takes effect
    assert watcher.check() == 1
    assert watcher.check() == 0
    case = app.case(dossier_id)
    assert case is not None and case.calendar_version == 2


def catalog_records() -> list[Record]:
    replica = factories.catalog_replica()
    return [
        Record(
            "catalog.procedure.v1", 0, i, factories.envelope(v, f"{v.code}@v{v.version}", producer="catalog")
        )
        for i, v in enumerate(v for versions in replica.procedures.values() for v in versions.values())
    ]


def test_dvc_audit_recompute_counts_every_due_date_again_from_the_log(versions: CalendarVersions) -> None:
    clock = FixedClock(SUBMITTED)
    app = ProcessingApplication(clock=clock, catalog=factories.catalog_replica())
    first, second = receive(app), receive(app)
    clock.set(datetime(2026, 8, 26, 10, 0, tzinfo=VIETNAM))
    assert app.recalculate_due_date(first, versions.version(2))
    timelines = Timelines(history_of(app))
    log = {str(d): timelines.envelopes(app.events.get(d)) for d in (first, second)}

    recounts = recount_all(log, catalog_records(), calendars=versions)
    # first: Received (v1) and DueDateRecalculated (v2); second: Received (v1); all as recorded.
    assert [
        (r.event_type, r.calendar_version)
        for r in recounts
        if r.dossier.endswith(first.hex[:6].upper() + "-X")
    ] == [
        ("Received", 1),
        ("DueDateRecalculated", 2),
    ]
    assert len(recounts) == 3 and not any(r.differs for r in recounts)

    # Counted by data that no longer has version 2 (say, a version deleted): reported, not guessed.
    only_v1 = CalendarVersions([versions.version(1)])
    problems = [r for r in recount_all(log, catalog_records(), calendars=only_v1) if r.differs]
    assert [(r.event_type, r.recomputed) for r in problems] == [("DueDateRecalculated", None)]

    # A due date on the log that the rules do not give is reported with both dates.
    received = log[str(second)][1]
    assert received.event_type == "Received"
    forged = received.model_copy(update={"payload": {**received.payload, "due_at": "2026-08-31T10:00:00Z"}})
    log[str(second)][1] = forged
    (wrong,) = [r for r in recount_all(log, catalog_records(), calendars=versions) if r.differs]
    assert wrong.recomputed == datetime(2026, 8, 28, 17, 0, tzinfo=VIETNAM)
    assert wrong.recorded == datetime(2026, 8, 31, 10, 0, tzinfo=UTC)


def test_recompute_keeps_to_the_period_or_the_dossier_asked_for(versions: CalendarVersions) -> None:
    app = ProcessingApplication(clock=FixedClock(SUBMITTED), catalog=factories.catalog_replica())
    dossier_id = receive(app)
    log = {str(dossier_id): Timelines(history_of(app)).envelopes(app.events.get(dossier_id))}
    code = app.case(dossier_id).dossier_code  # type: ignore[union-attr]
    later = datetime(2026, 9, 1, tzinfo=VIETNAM)
    assert recount_all(log, catalog_records(), received_from=later, calendars=versions) == []
    assert len(recount_all(log, catalog_records(), received_until=later, calendars=versions)) == 1
    assert recount_all(log, catalog_records(), code="000000-XXXXXX-X", calendars=versions) == []
    assert len(recount_all(log, catalog_records(), code=code, calendars=versions)) == 1


def test_the_recompute_command_takes_a_dossier_or_a_period() -> None:
    from dvc_processing.audit.cli import parser

    one = parser().parse_args(["recompute", "260825-ABCDEF-X"])
    assert one.command == "recompute" and one.code == "260825-ABCDEF-X"
    period = parser().parse_args(
        ["recompute", "--from", "2026-01-01T00:00:00+07:00", "--until", "2027-01-01T00:00:00+07:00"]
    )
    assert period.code is None and period.received_from.year == 2026 and period.received_until.year == 2027
