"""Due times of dossiers, worked out by hand from the 2025–2026 calendar.

Rules of counting (Civil Code 2015): the day of reception is not counted (Art. 147); an
N-working-day deadline ends at the close of office hours (17:00) of the N-th working day; a
deadline ending on a non-working day ends at the end of the next working day (Art. 148).
A submission outside the window counts from the moment the window next opens.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from dvc_calendar import (
    DeadlineKind,
    DeadlineRule,
    NaiveDateTimeError,
    SupplementPolicy,
    compute_due,
    parse_deadline_rule,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
RESTART = SupplementPolicy.RESTART


def vn(y: int, mo: int, d: int, h: int, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=VN)


def working_days(n: int, *, saturday: bool, cutoff: time | None = None) -> DeadlineRule:
    return DeadlineRule(
        kind=DeadlineKind.WORKING_DAYS,
        amount=n,
        on_supplement=RESTART,
        saturday_morning_reception=saturday,
        after_cutoff_next_day=cutoff,
    )


TAM_TRU = working_days(3, saturday=True)  # Đăng ký tạm trú: 3 working days (Residence Law Art. 28)
THUONG_TRU = working_days(7, saturday=True)  # Đăng ký thường trú: 7 working days (Art. 22)
XOA_TAM_TRU = working_days(2, saturday=True)  # Xóa đăng ký tạm trú: 2 working days
CAN_CUOC = working_days(7, saturday=False)  # thẻ căn cước: 7 working days, Monday–Friday only
TAM_TRU_CUTOFF = working_days(3, saturday=True, cutoff=time(15, 0))
XAC_NHAN = DeadlineRule(  # Xác nhận thông tin về cư trú: ½ working day
    kind=DeadlineKind.HALF_WORKING_DAYS, amount=1, on_supplement=RESTART, saturday_morning_reception=True
)
EIGHT_HOURS = DeadlineRule(kind=DeadlineKind.WORKING_HOURS, amount=8, on_supplement=RESTART)
THIRTY_DAYS = DeadlineRule(  # Khai báo thông tin về cư trú, not in the population DB: 30 days
    kind=DeadlineKind.CALENDAR_DAYS, amount=30, on_supplement=RESTART, saturday_morning_reception=True
)
IMMEDIATE = DeadlineRule(
    kind=DeadlineKind.IMMEDIATE, amount=0, on_supplement=RESTART, saturday_morning_reception=True
)

RULES = {
    "TAM_TRU": TAM_TRU,
    "THUONG_TRU": THUONG_TRU,
    "XOA_TAM_TRU": XOA_TAM_TRU,
    "CAN_CUOC": CAN_CUOC,
    "TAM_TRU_CUTOFF": TAM_TRU_CUTOFF,
    "XAC_NHAN": XAC_NHAN,
    "EIGHT_HOURS": EIGHT_HOURS,
    "THIRTY_DAYS": THIRTY_DAYS,
    "IMMEDIATE": IMMEDIATE,
}


def vn_instant(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


# (rule, received at, due at, why): the table of cases is data, one case a line, in due_times.yaml.
CASES = [
    (RULES[rule], vn_instant(received), vn_instant(due), why)
    for rule, received, due, why in yaml.safe_load(
        (Path(__file__).parent / "due_times.yaml").read_text(encoding="utf-8")
    )
]


@pytest.mark.parametrize(("rule", "received_at", "due_at", "why"), CASES, ids=[c[3][:60] for c in CASES])
def test_due_time(rule: DeadlineRule, received_at: datetime, due_at: datetime, why: str) -> None:
    deadline = compute_due(received_at, rule)
    assert deadline.due_at == due_at, why
    assert deadline.due_at.tzinfo == VN
    assert deadline.steps, "every computation explains itself"


def test_explanation_reads_like_the_law() -> None:
    steps = compute_due(vn(2025, 4, 29, 10), TAM_TRU).steps
    assert "Không tính ngày tiếp nhận (Điều 147 Bộ luật Dân sự 2015)" in steps
    assert "Bỏ qua 30/04/2025 (Ngày Chiến thắng)" in steps
    assert steps[-1].startswith("Hạn giải quyết: 17:00 thứ Tư 07/05/2025")


def test_explanation_of_a_submission_outside_the_window() -> None:
    steps = compute_due(vn(2025, 5, 3, 9), TAM_TRU).steps
    assert steps[0].endswith("tính từ 07:30 thứ Hai 05/05/2025")


def test_explanation_of_article_148() -> None:
    steps = compute_due(vn(2025, 4, 4, 10), THIRTY_DAYS).steps
    assert any("Điều 148" in step for step in steps)


def test_instants_in_utc_are_read_on_the_vietnam_clock() -> None:
    # 02:00 UTC is 09:00 in Hà Nội; 10:30 UTC is 17:30, after hours.
    assert compute_due(datetime(2025, 5, 12, 2, 0, tzinfo=UTC), TAM_TRU).due_at == vn(2025, 5, 15, 17)
    assert compute_due(datetime(2025, 5, 12, 10, 30, tzinfo=UTC), TAM_TRU).due_at == vn(2025, 5, 16, 17)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(NaiveDateTimeError, match="received_at"):
        compute_due(datetime(2025, 5, 12, 9), TAM_TRU)
    assert issubclass(NaiveDateTimeError, ValueError)


def test_rule_from_catalog_data() -> None:
    rule = parse_deadline_rule(
        {
            "kind": "working_days",
            "amount": 3,
            "on_supplement": "restart",
            "saturday_morning_reception": True,
            "after_cutoff_next_day": "15:00",
        }
    )
    assert rule == TAM_TRU_CUTOFF
    with pytest.raises(ValueError, match="amount"):
        parse_deadline_rule({"kind": "working_days", "on_supplement": "pause"})
    with pytest.raises(ValueError, match="on_supplement"):
        parse_deadline_rule({"kind": "immediate"})
