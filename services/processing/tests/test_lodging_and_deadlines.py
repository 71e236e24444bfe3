"""Lodging notices are judged at once; time passing raises due-soon and breach; complaints climb
to the superior unit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from eventsourcing.persistence import Tracking

from dvc_contracts.lodging import Guest, LodgingNoticeFiled
from dvc_kernel.application import Incoming
from dvc_kernel.clock import VIETNAM, FixedClock
from dvc_kernel.errors import STATUS_OF
from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Kind, Refusal
from dvc_processing.application import ProcessingApplication
from dvc_processing.application.watcher import DeadlineWatcher
from dvc_processing.domain.lodging_notice import LodgingNotice
from dvc_processing.projections.board import Board
from dvc_processing.translation import translate
from dvc_testing import factories
from dvc_testing.new_dossiers import new_submitted
from dvc_testing.tokens import TestTokens

HANOI = VIETNAM
TOKENS = TestTokens()
UNIT = "CAX-00004"


def hanoi(*args: int) -> datetime:
    return datetime(*args, tzinfo=HANOI)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("notified", "on_time"), [(hanoi(2026, 11, 24, 7, 59), True), (hanoi(2026, 11, 24, 8, 1), False)]
)
def test_a_guest_arriving_at_23_30_may_be_notified_until_08_00(notified: datetime, on_time: bool) -> None:
    # Law on Residence 68/2020 Art. 30 cl. 4: arriving after 23:00, notify before 08:00 next day.
    app = ProcessingApplication(clock=FixedClock(notified), catalog=factories.catalog_replica())
    notice_id = uuid4()
    filed = LodgingNoticeFiled(
        notice_id=notice_id,
        notice_code="LT-261124-0001",
        host_account="host-1",
        establishment="Nhà nghỉ Hoa Sen",
        ward_code="00004",
        address="12 Phố Đội Cấn",
        unit_code=UNIT,
        guests=[
            Guest(
                id_number="079203000123",
                full_name="Trần Văn Nam",
                date_of_birth=date(2003, 2, 1),
                arrived_at=hanoi(2026, 11, 23, 23, 30),
                stay_from=date(2026, 11, 23),
                stay_until=date(2026, 11, 25),
            )
        ],
        filed_at=notified,
    )
    app.process_incoming(
        Incoming(factories.envelope(filed, notice_id, producer="intake"), filed),
        Tracking("intake.lodging.v1:0", 1),
    )
    notice: LodgingNotice = app.repository.get(notice_id)
    assert notice.guests[0]["on_time"] is on_time
    assert notice.received_at == notified  # received immediately, at any hour
    (event,) = app.events.get(notice_id)
    out = translate(event)
    assert out is not None and out.topic == "processing.lodging.v1"


def submit(app: ProcessingApplication) -> str:
    payload = new_submitted(
        unit_code=UNIT, owner_account="owner-1", submitted_at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    )
    app.process_incoming(
        Incoming(factories.envelope(payload, payload.dossier_id), payload), Tracking("intake.dossier.v1:0", 1)
    )
    return payload.dossier_code


def test_one_working_day_before_the_due_time_then_the_breach_then_the_apology() -> None:
    # Đăng ký tạm trú filed Monday 23/11/2026 09:00: due Thursday 26/11 17:00.
    clock = FixedClock(hanoi(2026, 11, 23, 9, 5))
    app = ProcessingApplication(clock=clock, catalog=factories.catalog_replica())
    board = Board(app)
    code = submit(app)

    def sync() -> None:
        for n in app.recorder.select_notifications(board.position + 1, 1000):
            board.apply_event(app.mapper.to_domain_event(n))
            board.position = n.id

    watcher = DeadlineWatcher(app, board)
    sync()
    clock.set(hanoi(2026, 11, 25, 16, 59))
    assert watcher.check() == 0
    clock.set(hanoi(2026, 11, 25, 17, 0))  # one working day before: Wednesday 17:00
    assert watcher.check() == 1
    sync()
    assert watcher.check() == 0  # noted once
    clock.set(hanoi(2026, 11, 26, 17, 0))
    assert watcher.check() == 1
    sync()
    case = app.case_by_code(code)
    assert case is not None and case.breached is not None
    kinds = [type(e).__name__ for e in app.case_events(case.id)]
    assert kinds[-2:] == ["DueSoonNoted", "DeadlineBreached"]
    assert board.dossiers[case.id].overdue
    letter = app.apology_letter(case, "Cần xác minh thêm nơi cư trú", hanoi(2026, 11, 30, 17, 0))
    assert "Công an phường Ba Đình" in letter and "17:00 ngày 30/11/2026" in letter


def test_a_complaint_goes_to_the_superior_unit_with_a_response_deadline() -> None:
    app = ProcessingApplication(
        clock=FixedClock(hanoi(2026, 11, 23, 10, 0)), catalog=factories.catalog_replica()
    )
    code = submit(app)
    owner = TOKENS.verifier().verify(TOKENS.token("citizen", subject="owner-1"))
    meta = CommandMeta(actor_id="owner-1", actor_role="citizen")
    complaint = app.file_complaint.sync(code, owner, "Đã quá hẹn mà chưa nhận được kết quả", meta)
    assert complaint.superior_unit == "CAT-01"  # Công an thành phố Hà Nội
    assert complaint.respond_by > complaint.filed_at + timedelta(days=10)
    stranger = TOKENS.verifier().verify(TOKENS.token("citizen"))
    with pytest.raises(Refusal) as unknown:
        app.file_complaint.sync(code, stranger, "…………………", meta)
    assert unknown.value.kind is Kind.NOT_FOUND
    officer = TOKENS.verifier().verify(TOKENS.token("supervisor", ["CAX-00004"]))
    with pytest.raises(Refusal) as refused:
        app.resolve_complaint.sync(complaint.id, officer, "Đã xử lý", meta)
    assert STATUS_OF[refused.value.kind] == 403
    supervisor = TOKENS.verifier().verify(TOKENS.token("supervisor", ["CAT-01"]))
    done = app.resolve_complaint.sync(complaint.id, supervisor, "Đơn vị đã trả kết quả ngày 27/11.", meta)
    assert done.resolution is not None
