"""Which days are working days, and when Saturday-morning reception opens (2025 and 2026)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml

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

# The tables of days are data, a day a line, in working_days.yaml.
TABLES = yaml.safe_load((Path(__file__).parent / "working_days.yaml").read_text(encoding="utf-8"))

# (day, working?, why)
DAYS = [
    (day, {"working day": True, "day off": False}[kind], why) for day, kind, why in TABLES["working days"]
]


@pytest.mark.parametrize(("day", "working", "why"), DAYS, ids=[str(d[0]) for d in DAYS])
def test_working_days(day: date, working: bool, why: str) -> None:
    assert CALENDAR.is_working_day(day) is working, why


# (Saturday, opens for residence reception?, why)
SATURDAYS = [
    (day, {"opens": True, "stays shut": False}[opens], why) for day, opens, why in TABLES["saturday mornings"]
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
