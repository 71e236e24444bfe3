"""Calendar versions: a deadline is counted by the version in force, records it, and is never a
silent guess for a year the calendar has no data for (ADR 0023)."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dvc_calendar import (
    CalendarDataError,
    CalendarVersions,
    DeadlineKind,
    DeadlineRule,
    NoCalendarData,
    SupplementPolicy,
    compute_due,
    judged,
    load_versions,
)
from dvc_calendar.yaml_fields import DATA_DIR

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TEN_WORKING_DAYS = DeadlineRule(
    kind=DeadlineKind.WORKING_DAYS, amount=10, on_supplement=SupplementPolicy.RESTART
)
PACKAGED = Path(__file__).resolve().parents[1] / "src" / "dvc_calendar" / Path(*DATA_DIR) / "versions"

# Version 2 as a late decision would make it: Friday 04/09/2026 becomes a day off.
V2 = """version: 2
effective_from: 2026-08-20
legal_basis:
  - "Quyết định giả định cho phép nghỉ thứ Sáu 04/09/2026"
"""
LATE_DAY_OFF = """  - date: 2026-09-04
    kind: day_off
    name: "Nghỉ bù theo quyết định bổ sung"
    source: "Quyết định giả định cho phép nghỉ thứ Sáu 04/09/2026"
    status: confirmed
    in_force: true
"""


@pytest.fixture
def revised(tmp_path: Path) -> CalendarVersions:
    root = tmp_path / "versions"
    shutil.copytree(PACKAGED, root)
    shutil.copytree(root / "v1", root / "v2")
    (root / "v2" / "version.yaml").write_text(V2, encoding="utf-8")
    year = root / "v2" / "vn-2026.yaml"
    year.write_text(year.read_text(encoding="utf-8") + LATE_DAY_OFF, encoding="utf-8")
    return load_versions(root)


def test_the_packaged_calendar_is_version_1_and_knows_2025_and_2026() -> None:
    versions = CalendarVersions.packaged()
    first = versions.version(1)
    assert first.effective_from == date(2025, 1, 1)
    assert first.years == {2025, 2026}
    assert any("12729/VPCP-KGVX" in basis for basis in first.legal_basis)
    assert versions.in_force(date(2024, 12, 31)) is None


def test_the_version_in_force_counts_and_is_recorded(revised: CalendarVersions) -> None:
    received = datetime(2026, 8, 25, 9, 0, tzinfo=VN)  # Tuesday
    before, after = revised.in_force(date(2026, 8, 19)), revised.in_force(date(2026, 8, 20))
    assert before is not None and after is not None
    assert (before.version, after.version) == (1, 2)
    old = judged(
        compute_due(received, TEN_WORKING_DAYS, calendar=before.calendar), before, received, strict=True
    )
    new = judged(
        compute_due(received, TEN_WORKING_DAYS, calendar=after.calendar), after, received, strict=True
    )
    # 26, 27, 28/08, (31/08, 01–02/09 off), 03, 04, 07, 08, 09, 10, 11/09 → Friday 11/09;
    # with Friday 04/09 off the tenth working day is Monday 14/09.
    assert old.due_at.date() == date(2026, 9, 11) and old.calendar_version == 1
    assert new.due_at.date() == date(2026, 9, 14) and new.calendar_version == 2
    assert not old.estimated and not new.estimated


def test_a_year_without_calendar_data_is_refused_not_guessed() -> None:
    version = CalendarVersions.packaged().latest
    received = datetime(2027, 3, 2, 9, 0, tzinfo=VN)
    deadline = compute_due(received, TEN_WORKING_DAYS, calendar=version.calendar)
    with pytest.raises(NoCalendarData) as refused:
        judged(deadline, version, received, strict=True)
    assert refused.value.year == 2027
    assert "Chưa có lịch làm việc năm 2027" in refused.value.message


def test_a_count_that_crosses_into_an_unknown_year_is_flagged_as_an_estimate() -> None:
    version = CalendarVersions.packaged().latest
    received = datetime(2026, 12, 24, 9, 0, tzinfo=VN)
    deadline = judged(
        compute_due(received, TEN_WORKING_DAYS, calendar=version.calendar), version, received, strict=True
    )
    assert deadline.due_at.year == 2027
    assert deadline.estimated and deadline.calendar_version == 1
    assert "chưa có lịch làm việc năm 2027" in deadline.steps[-1]


def test_when_not_strict_even_an_unknown_year_is_answered_as_an_estimate() -> None:
    """Processing must still give a dossier received in such a year an appointment."""
    version = CalendarVersions.packaged().latest
    received = datetime(2027, 3, 2, 9, 0, tzinfo=VN)
    deadline = judged(
        compute_due(received, TEN_WORKING_DAYS, calendar=version.calendar), version, received, strict=False
    )
    assert deadline.estimated


def test_a_version_without_legal_basis_is_refused_naming_the_file(tmp_path: Path) -> None:
    root = tmp_path / "versions"
    shutil.copytree(PACKAGED, root)
    (root / "v1" / "version.yaml").write_text("version: 1\neffective_from: 2025-01-01\n", encoding="utf-8")
    with pytest.raises(CalendarDataError) as error:
        load_versions(root)
    assert error.value.file == "v1/version.yaml" and error.value.field == "legal_basis"
