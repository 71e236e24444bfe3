"""Small field readers shared by the calendar data loaders; each error names file and field."""

from __future__ import annotations

import re
from datetime import date, time
from importlib.resources import files
from typing import Any

import yaml

from .errors import CalendarDataError

# Data lives beside the code so it ships with the package; operators extend it by adding files.
DATA_PACKAGE = "dvc_calendar"
DATA_DIR = ("data",)

_HH_MM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def read_document(name: str) -> Any:
    resource = files(DATA_PACKAGE).joinpath(*DATA_DIR, name)
    try:
        return yaml.safe_load(resource.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CalendarDataError(name, "(document)", f"not valid YAML: {exc}") from exc


def data_file_names() -> list[str]:
    return sorted(entry.name for entry in files(DATA_PACKAGE).joinpath(*DATA_DIR).iterdir())


def mapping(value: Any, file: str, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CalendarDataError(file, field, "must be a mapping")
    return value


def text(value: Any, file: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CalendarDataError(file, field, "must be a non-empty string")
    return value.strip()


def wall_clock(value: Any, file: str, field: str) -> time:
    # Unquoted 07:30 is read by YAML 1.1 as the integer 450, so times must be quoted strings.
    if not isinstance(value, str) or not (match := _HH_MM.match(value)):
        raise CalendarDataError(file, field, f'must be a quoted "HH:MM" time, got {value!r}')
    return time(int(match.group(1)), int(match.group(2)))


def calendar_date(value: Any, file: str, field: str) -> date:
    # YAML reads an unquoted 2025-04-26 as a date already; accept an ISO string too.
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise CalendarDataError(file, field, f"must be a date YYYY-MM-DD, got {value!r}")


def boolean(value: Any, file: str, field: str) -> bool:
    if not isinstance(value, bool):
        raise CalendarDataError(file, field, f"must be true or false, got {value!r}")
    return value
