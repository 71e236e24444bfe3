"""Operators' CSV extracts of the population database: parse, check, and report.

One resident per row, UTF-8 (a BOM from spreadsheet exports is tolerated), header row::

    id_number,full_name,date_of_birth,sex,ward_code,household_id,phone

Dates are ``YYYY-MM-DD`` or ``DD/MM/YYYY``; sex is ``male``/``female`` or ``Nam``/``Nữ``;
phone may be empty. A bad row never stops the load: it is reported with its line number and
the reason, and every good row is accepted.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from dvc_identity.domain.id_number import Sex, check_id_number
from dvc_identity.domain.phone import is_mobile_number, normalise_phone
from dvc_identity.domain.refusal import Refusal, RefusedError
from dvc_identity.domain.registry import Resident

COLUMNS = ("id_number", "full_name", "date_of_birth", "sex", "ward_code", "household_id", "phone")
REQUIRED = COLUMNS[:-1]
LABELS = {
    "id_number": "Số định danh cá nhân",
    "full_name": "Họ, chữ đệm và tên",
    "date_of_birth": "Ngày, tháng, năm sinh",
    "sex": "Giới tính",
    "ward_code": "Mã xã, phường nơi thường trú",
    "household_id": "Số hộ",
    "phone": "Số điện thoại",
}
_SEXES = {"male": Sex.MALE, "nam": Sex.MALE, "female": Sex.FEMALE, "nữ": Sex.FEMALE}
_LANDLINE = re.compile(r"02\d{9}")  # 11-digit landlines since 2017


@dataclass(frozen=True)
class RejectedRow:
    line: int
    code: str
    reason: str


@dataclass
class LoadResult:
    accepted: list[Resident] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)


class CsvHeaderError(RefusedError):
    """The file cannot be read at all (missing columns in the header)."""


def _reject(code: str, reason: str) -> RefusedError:
    return RefusedError(Refusal(f"registry_csv.{code}", reason))


def parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _reject("bad_date", f"Ngày sinh “{text}” không hợp lệ (định dạng YYYY-MM-DD hoặc DD/MM/YYYY).")


def _resident(row: dict[str, str], today: date | None, known_wards: Collection[str] | None) -> Resident:
    values = {name: unicodedata.normalize("NFC", (row.get(name) or "").strip()) for name in COLUMNS}
    for name in REQUIRED:
        if not values[name]:
            raise _reject("missing_field", f"Thiếu thông tin bắt buộc: {LABELS[name]}.")
    born = parse_date(values["date_of_birth"])
    if today is not None and born > today:
        raise _reject("future_date", "Ngày sinh không được sau ngày hiện tại.")
    sex = _SEXES.get(values["sex"].casefold())
    if sex is None:
        raise _reject("bad_sex", f"Giới tính “{values['sex']}” không hợp lệ (Nam hoặc Nữ).")
    if any(ch.isdigit() for ch in values["full_name"]):
        raise _reject("bad_name", "Họ, chữ đệm và tên không được chứa chữ số.")
    id_number = check_id_number(values["id_number"], date_of_birth=born, sex=sex).value
    ward = values["ward_code"]
    if not ward.isascii() or not ward.isdigit():
        raise _reject("bad_ward_code", f"Mã xã, phường “{ward}” phải gồm các chữ số.")
    if known_wards is not None and ward not in known_wards:
        raise _reject("unknown_ward", f"Mã xã, phường “{ward}” không có trong danh mục.")
    phone = normalise_phone(values["phone"]) if values["phone"] else None
    if phone is not None and not (is_mobile_number(phone) or _LANDLINE.fullmatch(phone)):
        raise _reject("bad_phone", f"Số điện thoại “{values['phone']}” không hợp lệ.")
    return Resident(
        id_number=id_number,
        full_name=" ".join(values["full_name"].split()),
        date_of_birth=born,
        sex=sex,
        ward_code=ward,
        household_id=values["household_id"],
        phone=phone,
    )


def load_residents(
    lines: Iterable[str],
    *,
    today: date | None = None,
    known_wards: Collection[str] | None = None,
) -> LoadResult:
    """Read an extract; ``today`` refuses birth dates in the future, ``known_wards`` unknown wards."""
    reader = csv.DictReader(lines)
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        raise CsvHeaderError(
            Refusal(
                "registry_csv.bad_header",
                "Dòng tiêu đề thiếu cột: " + ", ".join(missing) + ".",
            )
        )
    result = LoadResult()
    first_line: dict[str, int] = {}
    for row in reader:
        start = reader.line_num  # the physical line (where the row ends, if it spans several)
        if None in row or None in row.values():
            result.rejected.append(
                RejectedRow(start, "registry_csv.wrong_column_count", "Số cột không khớp tiêu đề.")
            )
            continue
        try:
            resident = _resident(row, today, known_wards)
        except RefusedError as error:
            result.rejected.append(RejectedRow(start, error.code, error.message))
            continue
        if resident.id_number in first_line:
            result.rejected.append(
                RejectedRow(
                    start,
                    "registry_csv.duplicate_id",
                    f"Số định danh cá nhân trùng với dòng {first_line[resident.id_number]}.",
                )
            )
            continue
        first_line[resident.id_number] = start
        result.accepted.append(resident)
    return result


def write_residents(residents: Iterable[Resident], out: TextIO) -> None:
    """Write residents in the layout ``load_residents`` reads."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in residents:
        writer.writerow(
            [
                r.id_number,
                r.full_name,
                r.date_of_birth.isoformat(),
                r.sex.value,
                r.ward_code,
                r.household_id,
                r.phone or "",
            ]
        )


@dataclass(frozen=True)
class LoadReport:
    path: Path
    result: LoadResult

    def render(self) -> str:
        """Plain-text report for the operator's terminal."""
        lines = [f"{self.path}: {len(self.result.accepted)} accepted, {len(self.result.rejected)} rejected"]
        lines += [f"  line {r.line}: {r.code}: {r.reason}" for r in self.result.rejected]
        return "\n".join(lines)


def load_csv_command(
    path: str | Path, *, today: date | None = None, known_wards: Collection[str] | None = None
) -> LoadReport:
    """Entry point for the operators' command: read a file and report."""
    path = Path(path)
    # utf-8-sig: spreadsheet exports start with a byte-order mark.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return LoadReport(path, load_residents(handle, today=today, known_wards=known_wards))
