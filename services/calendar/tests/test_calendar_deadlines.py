"""Due times of dossiers, worked out by hand from the 2025–2026 calendar.

Rules of counting (Civil Code 2015): the day of reception is not counted (Art. 147); an
N-working-day deadline ends at the close of office hours (17:00) of the N-th working day; a
deadline ending on a non-working day ends at the end of the next working day (Art. 148).
A submission outside the window counts from the moment the window next opens.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

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

# (rule, received at, due at, why)
CASES = [
    # --- 30/4–1/5 2025 and the swap Sat 26/04 worked / Fri 02/05 off ---
    (
        TAM_TRU,
        vn(2025, 4, 29, 10),
        vn(2025, 5, 7, 17),
        "Art. 147 skips Tue 29/04; 30/04, 01/05 holidays, 02/05 swapped off: 05, 06, 07/05",
    ),
    (
        TAM_TRU,
        vn(2025, 4, 25, 10),
        vn(2025, 4, 29, 17),
        "Sat 26/04/2025 is a worked day: 26/04, 28/04, 29/04",
    ),
    (
        TAM_TRU,
        vn(2025, 4, 26, 14),
        vn(2025, 5, 5, 17),
        "worked Saturday 26/04 afternoon is inside the window; then 28/04, 29/04, 05/05",
    ),
    (
        CAN_CUOC,
        vn(2025, 4, 26, 9),
        vn(2025, 5, 9, 17),
        "ID cards have no Saturday reception, but 26/04/2025 is a working day: 28, 29/04, 5–9/05",
    ),
    (
        TAM_TRU,
        vn(2025, 4, 30, 10),
        vn(2025, 5, 8, 17),
        "filed on a holiday: counts from 07:30 Mon 05/05 (Sat 03/05 is in the break), then 6–8/05",
    ),
    # --- Saturday mornings and afternoons (residence: Monday–Friday and Saturday morning) ---
    (
        TAM_TRU,
        vn(2025, 5, 10, 9),
        vn(2025, 5, 14, 17),
        "Saturday morning reception; Saturday itself not counted (Art. 147): 12, 13, 14/05",
    ),
    (
        TAM_TRU,
        vn(2025, 5, 10, 14),
        vn(2025, 5, 15, 17),
        "Saturday afternoon is outside the window: counts from Mon 12/05 07:30, then 13–15/05",
    ),
    (
        CAN_CUOC,
        vn(2025, 5, 10, 9),
        vn(2025, 5, 21, 17),
        "no Saturday reception for ID cards: from Mon 12/05, then 13–16/05 and 19–21/05",
    ),
    # --- after hours, lunch break and the 17:00 boundary ---
    (TAM_TRU, vn(2025, 5, 12, 16, 59), vn(2025, 5, 15, 17), "inside office hours: 13, 14, 15/05"),
    (
        TAM_TRU,
        vn(2025, 5, 12, 17),
        vn(2025, 5, 16, 17),
        "17:00 is closing time, outside the window: counts from Tue 13/05, then 14–16/05",
    ),
    (TAM_TRU, vn(2025, 5, 12, 17, 30), vn(2025, 5, 16, 17), "after hours: counts from Tue 13/05"),
    (
        TAM_TRU,
        vn(2025, 5, 12, 7),
        vn(2025, 5, 15, 17),
        "before opening: counts from 07:30 the same Monday, which is not counted",
    ),
    (TAM_TRU, vn(2025, 5, 12, 12), vn(2025, 5, 15, 17), "lunch break: counts from 13:00 the same day"),
    # --- Tết Ất Tỵ 2025 (27/01–31/01 off, 01/02 mùng 4 on a Saturday) ---
    (TAM_TRU, vn(2025, 1, 24, 16), vn(2025, 2, 5, 17), "27/01–31/01 Tết and substitute day: 03, 04, 05/02"),
    (
        THUONG_TRU,
        vn(2025, 1, 23, 9),
        vn(2025, 2, 10, 17),
        "7 working days over Tết 2025: 24/01, 03–07/02, 10/02",
    ),
    (
        TAM_TRU,
        vn(2025, 1, 29, 10),
        vn(2025, 2, 6, 17),
        "filed online on mùng 1 Tết: counts from Mon 03/02 07:30, then 04–06/02",
    ),
    (
        TAM_TRU,
        vn(2025, 2, 8, 10),
        vn(2025, 2, 12, 17),
        "08/02/2025 is an ordinary Saturday (no make-up day for Tết 2025): 10, 11, 12/02",
    ),
    (TAM_TRU, vn(2024, 12, 31, 10), vn(2025, 1, 6, 17), "01/01/2025 Tết Dương lịch skipped: 02, 03, 06/01"),
    # --- Giỗ Tổ Hùng Vương 2025 (Monday 07/04) ---
    (TAM_TRU, vn(2025, 4, 4, 10), vn(2025, 4, 10, 17), "07/04/2025 Giỗ Tổ skipped: 08, 09, 10/04"),
    (
        TAM_TRU,
        vn(2025, 4, 5, 9),
        vn(2025, 4, 11, 17),
        "Sat 05/04 opens the Giỗ Tổ long weekend: counts from Tue 08/04, then 09–11/04",
    ),
    # --- Quốc khánh 2025 (Mon 01/09 + Tue 02/09) ---
    (TAM_TRU, vn(2025, 8, 29, 10), vn(2025, 9, 5, 17), "01/09 and 02/09/2025 skipped: 03–05/09"),
    (
        XOA_TAM_TRU,
        vn(2025, 9, 2, 9),
        vn(2025, 9, 5, 17),
        "filed on Quốc khánh: counts from Wed 03/09, then 04, 05/09",
    ),
    # --- 2026: New Year swap, Tết Bính Ngọ, Giỗ Tổ substitute, 30/4–1/5, Quốc khánh swap ---
    (
        TAM_TRU,
        vn(2025, 12, 31, 10),
        vn(2026, 1, 7, 17),
        "01/01 holiday, 02/01 swapped off (12729/VPCP-KGVX): 05, 06, 07/01/2026",
    ),
    (CAN_CUOC, vn(2026, 1, 9, 10), vn(2026, 1, 19, 17), "Sat 10/01/2026 is worked: 10, 12–16, 19/01"),
    (TAM_TRU, vn(2026, 2, 13, 15), vn(2026, 2, 25, 17), "16–20/02 Tết 2026 skipped: 23, 24, 25/02"),
    (
        TAM_TRU,
        vn(2026, 2, 14, 9),
        vn(2026, 2, 26, 17),
        "Sat 14/02/2026 (27 Tết) is in the Tết break: counts from Mon 23/02, then 24–26/02",
    ),
    (
        CAN_CUOC,
        vn(2026, 2, 12, 9),
        vn(2026, 3, 2, 17),
        "7 working days over Tết 2026: 13/02, 23–27/02, 02/03",
    ),
    (
        TAM_TRU,
        vn(2026, 4, 24, 10),
        vn(2026, 5, 4, 17),
        "Giỗ Tổ on Sun 26/04 gives Mon 27/04 off; 30/04, 01/05 holidays: 28, 29/04, 04/05",
    ),
    (
        TAM_TRU,
        vn(2026, 4, 25, 9),
        vn(2026, 5, 5, 17),
        "Sat 25/04/2026 is in the Giỗ Tổ break: counts from Tue 28/04, then 29/04, 04, 05/05",
    ),
    (
        THUONG_TRU,
        vn(2026, 4, 29, 9),
        vn(2026, 5, 12, 17),
        "30/04 and 01/05/2026 skipped: 04–08/05, 11, 12/05",
    ),
    (TAM_TRU, vn(2026, 8, 21, 10), vn(2026, 8, 25, 17), "Sat 22/08/2026 worked for Mon 31/08: 22, 24, 25/08"),
    (
        TAM_TRU,
        vn(2026, 8, 28, 10),
        vn(2026, 9, 7, 17),
        "31/08 swapped off, 01/09 and 02/09 Quốc khánh: 03, 04, 07/09",
    ),
    (
        CAN_CUOC,
        vn(2026, 8, 22, 14),
        vn(2026, 9, 4, 17),
        "worked Saturday afternoon is inside the window: 24–28/08, 03, 04/09",
    ),
    (
        TAM_TRU,
        vn(2026, 11, 23, 10),
        vn(2026, 11, 26, 17),
        "24/11 Ngày Văn hóa Việt Nam is not a day off by default: 24, 25, 26/11",
    ),
    # --- "received after 15:00 counts from the next working day" (off by default) ---
    (
        TAM_TRU_CUTOFF,
        vn(2025, 5, 12, 15, 30),
        vn(2025, 5, 16, 17),
        "cutoff set: counts from Tue 13/05 07:30, Tuesday not counted: 14, 15, 16/05",
    ),
    (TAM_TRU, vn(2025, 5, 12, 15, 30), vn(2025, 5, 15, 17), "no cutoff by default: 13, 14, 15/05"),
    (
        TAM_TRU_CUTOFF,
        vn(2025, 5, 12, 15),
        vn(2025, 5, 15, 17),
        "15:00:00 is not after 15:00 ('sau 15 giờ'): 13, 14, 15/05",
    ),
    (
        TAM_TRU_CUTOFF,
        vn(2025, 4, 25, 15, 30),
        vn(2025, 5, 5, 17),
        "next working day after Fri 25/04 is the worked Sat 26/04: 28, 29/04, 05/05",
    ),
    # --- ½ working day = 4 working hours, counted from the instant (Art. 147 cl. 1) ---
    (
        XAC_NHAN,
        vn(2025, 5, 12, 8),
        vn(2025, 5, 12, 13, 30),
        "3h30 until 11:30, lunch break not counted, 30 min from 13:00",
    ),
    (
        XAC_NHAN,
        vn(2025, 5, 9, 16),
        vn(2025, 5, 12, 10, 30),
        "1 h on Friday 16:00–17:00, 3 h on Monday 07:30–10:30",
    ),
    (
        XAC_NHAN,
        vn(2025, 4, 29, 15),
        vn(2025, 5, 5, 9, 30),
        "2 h on 29/04, holidays 30/04–02/05 and the weekend skipped, 2 h on Mon 05/05",
    ),
    (
        XAC_NHAN,
        vn(2025, 5, 10, 9),
        vn(2025, 5, 12, 11, 30),
        "received Saturday morning, but Saturday is no working time: 4 h from Mon 07:30",
    ),
    (
        XAC_NHAN,
        vn(2025, 4, 25, 15),
        vn(2025, 4, 26, 9, 30),
        "2 h on Friday, 2 h on the worked Saturday 26/04/2025",
    ),
    (
        XAC_NHAN,
        vn(2026, 2, 13, 14),
        vn(2026, 2, 23, 8, 30),
        "3 h before Tết 2026, 1 h on Mon 23/02 after the break",
    ),
    (
        EIGHT_HOURS,
        vn(2025, 10, 1, 10),
        vn(2025, 10, 2, 10),
        "8 working hours: 1h30 + 4 h on Wed 01/10, 2h30 on Thu 02/10",
    ),
    # --- calendar days (Art. 147 and 148) ---
    (THIRTY_DAYS, vn(2025, 5, 12, 10), vn(2025, 6, 11, 17), "12/05 + 30 days = Wed 11/06/2025"),
    (
        THIRTY_DAYS,
        vn(2025, 4, 4, 10),
        vn(2025, 5, 5, 17),
        "04/04 + 30 days = Sun 04/05/2025: moved to Mon 05/05 (Art. 148)",
    ),
    (
        THIRTY_DAYS,
        vn(2025, 3, 31, 10),
        vn(2025, 5, 5, 17),
        "31/03 + 30 days = 30/04/2025 holiday; 01/05, 02/05 off: Mon 05/05 (Art. 148)",
    ),
    (
        THIRTY_DAYS,
        vn(2026, 1, 16, 10),
        vn(2026, 2, 23, 17),
        "16/01 + 30 days = Sun 15/02/2026, then Tết: Mon 23/02 (Art. 148)",
    ),
    # --- immediately ---
    (IMMEDIATE, vn(2025, 5, 12, 9, 15), vn(2025, 5, 12, 9, 15), "due at reception"),
    (
        IMMEDIATE,
        vn(2025, 5, 11, 20),
        vn(2025, 5, 12, 7, 30),
        "filed on Sunday evening: counts when the window opens Monday 07:30",
    ),
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
