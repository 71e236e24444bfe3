"""Which days are working days, and when Saturday-morning reception opens (2025 and 2026)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dvc_calendar import (
    CalendarDataError,
    EntryStatus,
    WorkingCalendar,
    load_office_hours,
    packaged_calendar,
    packaged_entries,
    parse_office_hours,
    parse_year_file,
)

CALENDAR = packaged_calendar()

# (day, working?, why)
DAYS = [
    (date(2025, 1, 1), False, "Tết Dương lịch, Labour Code 2019 Art. 112"),
    (date(2025, 1, 2), True, "an ordinary Thursday after New Year 2025"),
    (date(2025, 1, 27), False, "29 Tết: substitute day for mùng 4 falling on Sat 01/02/2025"),
    (date(2025, 1, 29), False, "Tết Nguyên Đán (mùng 1) 2025"),
    (date(2025, 1, 31), False, "mùng 3 Tết 2025"),
    (date(2025, 2, 1), False, "mùng 4 Tết 2025 on a Saturday"),
    (date(2025, 2, 3), True, "first working day after Tết 2025"),
    (date(2025, 2, 8), False, "an ordinary Saturday: no Saturday was worked for Tết 2025"),
    (date(2025, 4, 7), False, "Giỗ Tổ Hùng Vương, 10/3 lunar = Monday 07/04/2025"),
    (date(2025, 4, 26), True, "Saturday worked in exchange for Friday 02/05/2025"),
    (date(2025, 4, 30), False, "Ngày Chiến thắng"),
    (date(2025, 5, 1), False, "Ngày Quốc tế Lao động"),
    (date(2025, 5, 2), False, "Friday swapped off for Saturday 26/04/2025"),
    (date(2025, 9, 1), False, "day adjacent to Quốc khánh 2025 (Art. 112: 2/9 plus one day)"),
    (date(2025, 9, 2), False, "Quốc khánh 2025"),
    (date(2025, 9, 3), True, "working day after Quốc khánh 2025"),
    (date(2026, 1, 1), False, "Tết Dương lịch 2026"),
    (date(2026, 1, 2), False, "Friday swapped off, Công văn 12729/VPCP-KGVX"),
    (date(2026, 1, 10), True, "Saturday worked for Friday 02/01/2026"),
    (date(2026, 2, 13), True, "Friday before Tết 2026 is worked"),
    (date(2026, 2, 16), False, "29 Tết (giao thừa) Bính Ngọ"),
    (date(2026, 2, 20), False, "mùng 4 Tết Bính Ngọ"),
    (date(2026, 2, 23), True, "first working day after Tết 2026 (break 14/02–22/02)"),
    (date(2026, 4, 26), False, "Giỗ Tổ Hùng Vương 2026 on a Sunday"),
    (date(2026, 4, 27), False, "substitute day for Giỗ Tổ (Labour Code Art. 111 cl. 3)"),
    (date(2026, 5, 1), False, "Ngày Quốc tế Lao động 2026 (Friday)"),
    (date(2026, 8, 22), True, "Saturday worked for Monday 31/08/2026 (reported swap)"),
    (date(2026, 8, 31), False, "Monday swapped off before Quốc khánh 2026"),
    (date(2026, 9, 1), False, "day adjacent to Quốc khánh 2026"),
    (date(2026, 9, 2), False, "Quốc khánh 2026"),
    (date(2026, 9, 3), True, "working day after Quốc khánh 2026"),
    (date(2026, 11, 24), True, "Ngày Văn hóa Việt Nam is only proposed: off by default"),
]


@pytest.mark.parametrize(("day", "working", "why"), DAYS, ids=[str(d[0]) for d in DAYS])
def test_working_days(day: date, working: bool, why: str) -> None:
    assert CALENDAR.is_working_day(day) is working, why


# (Saturday, opens for residence reception?, why)
SATURDAYS = [
    (date(2025, 5, 10), True, "ordinary Saturday: residence reception Saturday morning"),
    (date(2025, 4, 26), False, "a worked Saturday is a full working day, not a morning"),
    (date(2025, 5, 3), False, "inside the 30/4–4/5 break: Friday 02/05 is off"),
    (date(2025, 4, 5), False, "weekend before Giỗ Tổ on Monday 07/04/2025"),
    (date(2025, 1, 25), False, "start of the Tết 2025 break: Monday 27/01 is off"),
    (date(2025, 2, 1), False, "mùng 4 Tết is itself a holiday"),
    (date(2026, 2, 14), False, "start of the Tết 2026 break (27 Tết)"),
    (date(2026, 8, 29), False, "Monday 31/08/2026 is swapped off"),
]


@pytest.mark.parametrize(("day", "opens", "why"), SATURDAYS, ids=[str(s[0]) for s in SATURDAYS])
def test_saturday_morning_reception(day: date, opens: bool, why: str) -> None:
    assert CALENDAR.opens_saturday_morning(day) is opens, why


def test_holiday_names_are_vietnamese_for_explanations() -> None:
    assert CALENDAR.explain(date(2025, 4, 30)) == "Bỏ qua 30/04/2025 (Ngày Chiến thắng)"
    assert CALENDAR.explain(date(2025, 4, 26)).startswith("Tính thứ Bảy 26/04/2025 là ngày làm")


def test_proposed_holiday_is_data_that_can_be_switched_on() -> None:
    entries = packaged_entries()
    culture_day = next(e for e in entries if e.day == date(2026, 11, 24))
    assert culture_day.status is EntryStatus.PROPOSED and not culture_day.in_force
    switched_on = [replace(e, in_force=True) if e is culture_day else e for e in entries]
    assert not WorkingCalendar(switched_on).is_working_day(date(2026, 11, 24))


def _year_file(**entry: object) -> dict[str, object]:
    base: dict[str, object] = {
        "date": date(2025, 4, 26),
        "kind": "working_day",
        "name": "Làm bù",
        "source": "Thông báo",
        "status": "confirmed",
        "in_force": True,
    }
    return {"year": 2025, "entries": [base | entry]}


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (_year_file(kind="holiday"), "entries[0].kind"),
        (_year_file(date=date(2026, 1, 10)), "entries[0].date"),
        (_year_file(date=date(2025, 4, 25)), "entries[0].kind"),  # a Friday cannot be "worked"
        (_year_file(source=""), "entries[0].source"),
        (_year_file(in_force="yes"), "entries[0].in_force"),
        (_year_file(status="maybe"), "entries[0].status"),
        ({"year": 2024, "entries": []}, "year"),
    ],
)
def test_year_file_errors_name_file_and_field(document: object, field: str) -> None:
    with pytest.raises(CalendarDataError) as error:
        parse_year_file(document, "vn-2025.yaml")
    assert error.value.file == "vn-2025.yaml" and error.value.field == field
    assert "vn-2025.yaml" in str(error.value) and field in str(error.value)


def test_duplicate_dates_are_refused() -> None:
    document = _year_file()
    entries = document["entries"]
    assert isinstance(entries, list)
    document["entries"] = entries * 2
    with pytest.raises(CalendarDataError, match=r"entries\[1\]\.date"):
        parse_year_file(document, "vn-2025.yaml")


def test_default_office_hours() -> None:
    hours = load_office_hours()
    assert [(s.start.isoformat("minutes"), s.end.isoformat("minutes")) for s in hours.sessions] == [
        ("07:30", "11:30"),
        ("13:00", "17:00"),
    ]
    assert hours.working_day_length().total_seconds() == 8 * 3600
    assert load_office_hours("unknown-unit") == hours


def test_unquoted_office_hour_is_refused() -> None:
    bad = {"sessions": [{"start": 450, "end": "11:30"}], "saturday_morning": None}
    with pytest.raises(CalendarDataError, match=r"office-hours\.yaml: field 'x\.sessions\[0\]"):
        parse_office_hours(bad, "office-hours.yaml", "x")
