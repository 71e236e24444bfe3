"""Operators' extracts: good rows are loaded, bad rows are reported with line and reason."""

import io
from datetime import date
from pathlib import Path

import pytest

from dvc_identity.domain.id_number import Sex
from dvc_identity.domain.registry_csv import (
    CsvHeaderError,
    load_csv_command,
    load_residents,
    write_residents,
)

HEADER = "id_number,full_name,date_of_birth,sex,ward_code,household_id,phone\n"
GOOD = "001090123456,Trần Văn An,1990-05-12,male,00004,HK1,0912345678\n"


def load(*rows: str, **options: object) -> tuple[list[str], list[tuple[int, str]]]:
    result = load_residents(io.StringIO(HEADER + "".join(rows)), **options)  # type: ignore[arg-type]
    return [r.id_number for r in result.accepted], [(r.line, r.code) for r in result.rejected]


def test_a_good_row_is_accepted_with_its_fields_parsed() -> None:
    result = load_residents(io.StringIO(HEADER + GOOD))
    (resident,) = result.accepted
    assert resident.full_name == "Trần Văn An"
    assert resident.date_of_birth == date(1990, 5, 12)
    assert resident.sex is Sex.MALE
    assert resident.phone == "0912345678"
    assert result.rejected == []


def test_vietnamese_dates_and_sexes_are_understood_and_the_phone_is_optional() -> None:
    accepted, rejected = load("079185654321,Lê Thị Bình,31/01/1985,Nữ,26734,HK2,\n")
    assert accepted == ["079185654321"] and rejected == []


def test_bad_rows_are_reported_by_line_and_good_ones_still_load() -> None:
    accepted, rejected = load(
        GOOD,  # line 2
        "001090123457,,1990-05-12,male,00004,HK1,\n",  # 3: no name
        "001090123458,Trần Văn Bình,1990-13-12,male,00004,HK1,\n",  # 4: no 13th month
        "001090123459,Trần Văn Cường,1990-05-12,khác,00004,HK1,\n",  # 5: unknown sex
        "012345678,Trần Văn Dũng,1990-05-12,male,00004,HK1,\n",  # 6: 9-digit CMND
        "001190123460,Trần Văn Em,1990-05-12,male,00004,HK1,\n",  # 7: G says female
        "001090123456,Trần Văn An,1990-05-12,male,00004,HK1,\n",  # 8: duplicate of line 2
        "001090123461,Trần Văn Giang,1990-05-12,male,00004,HK1,12345\n",  # 9: bad phone
        "001090123462,Trần Văn Hải,1990-05-12,male,P.04,HK1,\n",  # 10: ward not digits
        "001090123463,Trần Văn 3,1990-05-12,male,00004,HK1,\n",  # 11: digit in name
        "001090123464,Trần Văn Khoa,1990-05-12,male,00004\n",  # 12: too few columns
    )
    assert accepted == ["001090123456"]
    assert rejected == [
        (3, "registry_csv.missing_field"),
        (4, "registry_csv.bad_date"),
        (5, "registry_csv.bad_sex"),
        (6, "id_number.legacy_cmnd"),
        (7, "id_number.sex_mismatch"),
        (8, "registry_csv.duplicate_id"),
        (9, "registry_csv.bad_phone"),
        (10, "registry_csv.bad_ward_code"),
        (11, "registry_csv.bad_name"),
        (12, "registry_csv.wrong_column_count"),
    ]


def test_the_duplicate_reason_names_the_first_line() -> None:
    result = load_residents(io.StringIO(HEADER + GOOD + GOOD))
    assert "dòng 2" in result.rejected[0].reason


def test_future_birth_dates_and_unknown_wards_are_refused_when_asked() -> None:
    _, rejected = load(GOOD, today=date(1990, 5, 1))
    assert rejected == [(2, "registry_csv.future_date")]
    _, rejected = load(GOOD, known_wards={"00001"})
    assert rejected == [(2, "registry_csv.unknown_ward")]


def test_a_header_without_the_required_columns_refuses_the_file() -> None:
    with pytest.raises(CsvHeaderError) as caught:
        load_residents(io.StringIO("id_number,name\n" + GOOD))
    assert caught.value.code == "registry_csv.bad_header"


def test_what_is_written_reads_back_identically() -> None:
    result = load_residents(io.StringIO(HEADER + GOOD))
    out = io.StringIO()
    write_residents(result.accepted, out)
    assert load_residents(io.StringIO(out.getvalue())).accepted == result.accepted


def test_the_command_reads_a_spreadsheet_export_and_reports(tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    path.write_text(HEADER + GOOD + "bad,row\n", encoding="utf-8-sig")  # with a BOM
    report = load_csv_command(path)
    assert len(report.result.accepted) == 1
    rendered = report.render()
    assert "1 accepted, 1 rejected" in rendered
    assert "line 3" in rendered
