"""Versions of the working calendar: which one judged a deadline, and which years it knows.

Holidays, swaps and days off are law that changes during the year (a swap announced late, a
holiday confirmed). Each version is a complete, immutable set of year files
(`data/calendar/versions/v<N>/vn-YYYY.yaml`) with the date it takes effect and the decisions
that made it (`version.yaml`); the version in force on a date is the newest whose date has come.
Every due date records the version it was counted by, so it can be recomputed years later and
compared with a revision (ADR 0023).

A version knows only the years it has files for: the `holidays` package would answer for any
year, but without the government's swaps for it, so an answer for another year is a guess and
is either refused or flagged as an estimate, never given silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from itertools import pairwise
from typing import Any

import yaml

from .calendar_data import CalendarEntry, parse_year_file
from .errors import CalendarDataError
from .working_calendar import WorkingCalendar
from .yaml_fields import DATA_DIR, DATA_PACKAGE, calendar_date, mapping, text

_VERSION_DIR = re.compile(r"^v([1-9]\d*)$")
VERSIONS_DIR = "versions"


class NoCalendarData(ValueError):
    """No calendar version in force knows the year of an instant: refusing beats guessing."""

    def __init__(self, year: int, version: int | None) -> None:
        self.year = year
        self.version = version
        self.message = (
            f"Chưa có lịch làm việc năm {year} (ngày nghỉ lễ, ngày nghỉ hoán đổi, ngày làm bù) nên "
            "chưa tính được thời hạn giải quyết. Vui lòng chọn thời điểm trong năm đã có lịch."
        )
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class CalendarVersion:
    version: int
    effective_from: date  # Vietnam date from which it is the calendar in force
    legal_basis: tuple[str, ...]
    years: frozenset[int]  # the years it has data for
    calendar: WorkingCalendar
    entries: tuple[CalendarEntry, ...] = ()

    def covers(self, year: int) -> bool:
        return year in self.years


class CalendarVersions:
    """Every version, oldest first, numbered 1, 2, … with increasing effective dates."""

    def __init__(self, versions: Sequence[CalendarVersion]) -> None:
        if not versions:
            raise ValueError("at least one calendar version is needed")
        for expected, v in enumerate(versions, start=1):
            if v.version != expected:
                raise ValueError(f"calendar versions must be numbered 1, 2, … ; got {v.version}")
        for older, newer in pairwise(versions):
            if newer.effective_from <= older.effective_from:
                raise ValueError(f"calendar v{newer.version} must take effect after v{older.version}")
        self.versions = tuple(versions)

    @classmethod
    def packaged(cls) -> CalendarVersions:
        return _packaged_versions()

    @property
    def latest(self) -> CalendarVersion:
        return self.versions[-1]

    def version(self, number: int) -> CalendarVersion:
        if 1 <= number <= len(self.versions):
            return self.versions[number - 1]
        raise KeyError(f"no calendar version {number}")

    def in_force(self, on: date) -> CalendarVersion | None:
        """The version in force on `on` (Vietnam date), None before the first one."""
        for v in reversed(self.versions):
            if v.effective_from <= on:
                return v
        return None


def parse_version(
    document: Any, file: str, entries: Sequence[CalendarEntry], years: set[int]
) -> CalendarVersion:
    body = mapping(document, file, "(document)")
    number = body.get("version")
    if not isinstance(number, int) or number < 1:
        raise CalendarDataError(file, "version", "must be a positive integer")
    basis = body.get("legal_basis")
    if not isinstance(basis, list) or not basis:
        raise CalendarDataError(file, "legal_basis", "must list the decisions this version rests on")
    return CalendarVersion(
        version=number,
        effective_from=calendar_date(body.get("effective_from"), file, "effective_from"),
        legal_basis=tuple(text(b, file, f"legal_basis[{i}]") for i, b in enumerate(basis)),
        years=frozenset(years),
        calendar=WorkingCalendar(entries),
        entries=tuple(entries),
    )


def load_versions(root: Any = None) -> CalendarVersions:
    """Every version under `root` (a directory or Traversable; default: the packaged data)."""
    root = root if root is not None else files(DATA_PACKAGE).joinpath(*DATA_DIR, VERSIONS_DIR)
    loaded = []
    for directory in sorted(
        (d for d in root.iterdir() if _VERSION_DIR.match(d.name)), key=lambda d: int(d.name[1:])
    ):
        entries: list[CalendarEntry] = []
        years: set[int] = set()
        for year_file in sorted(f for f in directory.iterdir() if f.name.startswith("vn-")):
            name = f"{directory.name}/{year_file.name}"
            year_entries = parse_year_file(_read(year_file, name), year_file.name)
            entries.extend(year_entries)
            years.add(int(year_file.name[3:7]))
        name = f"{directory.name}/version.yaml"
        version = parse_version(_read(directory.joinpath("version.yaml"), name), name, entries, years)
        if f"v{version.version}" != directory.name:
            raise CalendarDataError(name, "version", f"must be {directory.name[1:]} as the directory says")
        loaded.append(version)
    return CalendarVersions(loaded)


def _read(resource: Any, name: str) -> Any:
    try:
        return yaml.safe_load(resource.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CalendarDataError(name, "(file)", "missing") from None
    except yaml.YAMLError as exc:
        raise CalendarDataError(name, "(document)", f"not valid YAML: {exc}") from exc


@cache
def _packaged_versions() -> CalendarVersions:
    return load_versions()


def packaged_calendar() -> WorkingCalendar:
    """The latest calendar version shipped with the package (cached). Deadlines that are
    recorded use `CalendarVersions` instead, to know and keep the version they used."""
    return _packaged_versions().latest.calendar


def packaged_entries() -> tuple[CalendarEntry, ...]:
    """Every entry of the latest calendar version shipped with the package, validated."""
    return _packaged_versions().latest.entries
