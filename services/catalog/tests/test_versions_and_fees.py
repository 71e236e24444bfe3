"""Version lookup by date and number, and fee assessment."""

from __future__ import annotations

from datetime import date

import pytest

from dvc_catalog.domain.catalog import Catalog
from dvc_catalog.domain.errors import FeeCaseNotFound, ProcedureNotFound, VersionNotFound
from dvc_catalog.domain.fees import assess_fee
from dvc_catalog.domain.rules import Channel


def test_the_version_in_force_changes_on_its_effective_date(catalog: Catalog) -> None:
    assert catalog.version("2.001194", at=date(2024, 12, 31)).version == 1
    assert catalog.version("2.001194", at=date(2025, 1, 1)).version == 2


def test_an_explicit_version_number_wins_over_the_date(catalog: Catalog) -> None:
    assert catalog.version("2.001194", number=1, at=date(2025, 6, 1)).version == 1
    assert catalog.version("2.001194").version == 2  # latest when nothing is asked


def test_unknown_version_and_procedure_are_clear_errors(catalog: Catalog) -> None:
    with pytest.raises(VersionNotFound, match="không có phiên bản số 9"):
        catalog.version("2.001194", number=9)
    with pytest.raises(VersionNotFound, match="chưa có phiên bản nào có hiệu lực vào ngày 01/01/2020"):
        catalog.version("2.001194", at=date(2020, 1, 1))
    with pytest.raises(ProcedureNotFound, match=r"9\.999999"):
        catalog.version("9.999999")


def test_procedures_not_yet_in_force_are_not_listed(catalog: Catalog) -> None:
    codes = {v.code for v in catalog.search(at=date(2024, 8, 1))}
    assert "2.000200" in codes and "2.001194" not in codes


def test_online_filing_is_cheaper_than_in_person(catalog: Catalog) -> None:
    v = catalog.version("1.004222", at=date(2025, 3, 1))
    assert assess_fee(v, channel=Channel.IN_PERSON).amount == 20_000
    assert assess_fee(v, channel=Channel.ONLINE).amount == 10_000


def test_registration_by_list_is_charged_per_person(catalog: Catalog) -> None:
    v = catalog.version("1.004194", at=date(2025, 3, 1))
    fee = assess_fee(v, channel=Channel.ONLINE, case="theo_danh_sach", quantity=4)
    assert (fee.unit_amount, fee.amount) == (5_000, 20_000)


def test_an_exemption_listed_by_the_schedule_makes_the_fee_zero(catalog: Catalog) -> None:
    v = catalog.version("2.001194", at=date(2025, 3, 1))
    fee = assess_fee(v, channel=Channel.IN_PERSON, exemption_codes={"nguoi_cao_tuoi"})
    assert (fee.amount, fee.exempted_by) == (0, "nguoi_cao_tuoi")


def test_an_exemption_the_schedule_does_not_grant_changes_nothing(catalog: Catalog) -> None:
    passport = catalog.version("1.001456", at=date(2025, 3, 1))
    fee = assess_fee(passport, channel=Channel.IN_PERSON, exemption_codes={"nguoi_cao_tuoi"})
    assert (fee.amount, fee.exempted_by) == (200_000, None)


def test_several_fee_cases_need_the_case_to_be_named(catalog: Catalog) -> None:
    v = catalog.version("2.001195", at=date(2025, 3, 1))
    with pytest.raises(FeeCaseNotFound):
        assess_fee(v, channel=Channel.ONLINE)
    with pytest.raises(FeeCaseNotFound):
        assess_fee(v, channel=Channel.ONLINE, case="khong_co")
    assert assess_fee(v, channel=Channel.ONLINE, case="chuyen_doi").amount == 15_000


def test_a_free_procedure_costs_nothing(catalog: Catalog) -> None:
    v = catalog.version("2.001159", at=date(2025, 3, 1))
    assert assess_fee(v, channel=Channel.ONLINE, quantity=3).amount == 0
