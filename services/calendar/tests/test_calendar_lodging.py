"""Lodging notices (thông báo lưu trú), Law on Residence 68/2020 Art. 30 cl. 4: before 23:00 of
the day the stay begins; after 23:00, before 08:00 of the next day; every day of the year."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from dvc_calendar import (
    NaiveDateTimeError,
    assess_lodging_notice,
    lodging_notice_due,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(y: int, mo: int, d: int, h: int, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=VN)


# (arrived, notified, on time?, why)
CASES = [
    (vn(2025, 5, 5, 23, 30), vn(2025, 5, 6, 7, 59), True, "after 23:00: before 08:00 next day"),
    (vn(2025, 5, 5, 23, 30), vn(2025, 5, 6, 8, 1), False, "08:01 the next day is late"),
    (vn(2025, 5, 5, 23, 30), vn(2025, 5, 6, 8, 0), False, "'trước 08 giờ': 08:00:00 is late"),
    (vn(2025, 5, 5, 20), vn(2025, 5, 5, 22, 59), True, "before 23:00 of the day of arrival"),
    (vn(2025, 5, 5, 20), vn(2025, 5, 5, 23, 0), False, "'trước 23 giờ': 23:00:00 is late"),
    (vn(2025, 5, 5, 20), vn(2025, 5, 6, 7, 0), False, "arrived before 23:00: no 08:00 grace"),
    (vn(2025, 5, 5, 22, 59), vn(2025, 5, 5, 23, 5), False, "arrived 22:59: due before 23:00"),
    (
        vn(2025, 5, 5, 23, 0),
        vn(2025, 5, 6, 7, 30),
        True,
        "arrival at 23:00 sharp cannot be notified before 23:00: the after-23:00 branch applies",
    ),
    (
        vn(2025, 5, 6, 0, 30),
        vn(2025, 5, 6, 22, 59),
        True,
        "arrival 00:30: the stay begins that day, so before 23:00 the same day",
    ),
    (vn(2025, 5, 6, 0, 30), vn(2025, 5, 6, 23, 0), False, "arrival 00:30: 23:00 that day is late"),
    (vn(2025, 1, 29, 23, 45), vn(2025, 1, 30, 7, 30), True, "mùng 1 Tết 2025: the rule runs on holidays too"),
    (vn(2025, 4, 30, 14), vn(2025, 4, 30, 23, 10), False, "30/04 holiday: still due before 23:00"),
    (
        vn(2025, 12, 31, 23, 10),
        vn(2026, 1, 1, 7, 55),
        True,
        "New Year's Eve arrival: before 08:00 on 01/01/2026, a holiday",
    ),
    (
        datetime(2025, 5, 5, 16, 30, tzinfo=UTC),
        datetime(2025, 5, 6, 0, 59, tzinfo=UTC),
        True,
        "16:30 UTC is 23:30 in Hà Nội; 00:59 UTC is 07:59",
    ),
]


@pytest.mark.parametrize(("arrived", "notified", "on_time", "why"), CASES, ids=[c[3][:60] for c in CASES])
def test_lodging_notice(arrived: datetime, notified: datetime, on_time: bool, why: str) -> None:
    assert assess_lodging_notice(arrived, notified).on_time is on_time, why


# (arrived, due, why)
DUE = [
    (vn(2025, 5, 5, 23, 30), vn(2025, 5, 6, 8), "after 23:00: 08:00 next day"),
    (vn(2025, 5, 6, 0, 30), vn(2025, 5, 6, 23), "00:30 belongs to the day the stay begins"),
    (vn(2025, 5, 6, 7, 59), vn(2025, 5, 6, 23), "early morning arrival: 23:00 the same day"),
    (vn(2026, 2, 16, 23, 0), vn(2026, 2, 17, 8), "giao thừa 2026 at 23:00: 08:00 on mùng 1"),
]


@pytest.mark.parametrize(("arrived", "due", "why"), DUE, ids=[d[2][:60] for d in DUE])
def test_lodging_due_instant(arrived: datetime, due: datetime, why: str) -> None:
    deadline = lodging_notice_due(arrived)
    assert deadline.due_at == due, why
    assert deadline.due_at.tzinfo == VN


def test_explanation_and_lateness() -> None:
    assessment = assess_lodging_notice(vn(2025, 5, 5, 23, 30), vn(2025, 5, 6, 8, 1))
    assert "Điều 30 khoản 4" in assessment.steps[0]
    assert assessment.steps[-1] == "Thông báo lúc 08:01 thứ Ba 06/05/2025: quá hạn 1 phút"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(NaiveDateTimeError, match="notified_at"):
        assess_lodging_notice(vn(2025, 5, 5, 23, 30), datetime(2025, 5, 6, 7, 59))
