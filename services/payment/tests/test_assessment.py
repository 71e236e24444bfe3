"""The fee a dossier owes, read as the circulars say it (Circular 75/2022/TT-BTC for residence
fees, its Art. 4 for who is exempt; Decree 43/2011 Art. 3 for how each level pays)."""

from __future__ import annotations

from datetime import date

from dvc_payment.adapters.fee_rules import reading_rules, schedule_of
from dvc_payment.domain.assessment import Assessment, Filing, assess
from dvc_testing import factories

FILED_ON = date(2026, 11, 23)


def fee_for(procedure: str, version: int = 1, filed_on: date = FILED_ON, **filing: object) -> Assessment:
    published = factories.catalog_replica().version(procedure, version)
    assert published is not None
    return assess(schedule_of(published), Filing(filed_on=filed_on, **filing), reading_rules())  # type: ignore[arg-type]


def test_temporary_residence_filed_online_costs_the_online_rate() -> None:
    fee = fee_for("1.004194", 2, form_data={})
    assert fee.amount_vnd == 7_000
    assert fee.rate == "online"
    assert "7.000 đồng/hồ sơ" in fee.rule and "Thông tư 75/2022/TT-BTC" in fee.rule


def test_the_same_dossier_filed_in_person_costs_the_in_person_rate() -> None:
    assert fee_for("1.004194", 2, form_data={}, rate="in_person").amount_vnd == 15_000


def test_permanent_residence_online_is_ten_thousand() -> None:
    assert fee_for("1.004222", form_data={}).amount_vnd == 10_000


def test_registration_by_list_is_charged_per_person_named_in_the_form() -> None:
    fee = fee_for("1.004194", 2, form_data={"truong_hop_le_phi": "theo_danh_sach", "so_luong": 3})
    assert fee.amount_vnd == 15_000
    assert "5.000 đồng/người × 3 người = 15.000 đồng" in fee.rule


def test_a_form_that_names_no_case_gets_the_general_case() -> None:
    assert fee_for("1.004194", 2, form_data={}).case == "ca_nhan"


def test_a_child_under_sixteen_pays_nothing() -> None:
    fee = fee_for("1.004194", 2, form_data={"ngay_sinh": "2012-05-01"})
    assert fee.amount_vnd == 0
    assert fee.exemption == "Trẻ em theo quy định của Luật Trẻ em"
    assert "Điều 4" in fee.rule and "14 tuổi" in fee.rule
    assert fee.methods == ()


def test_a_sixteen_year_old_pays() -> None:
    assert fee_for("1.004194", 2, form_data={"ngay_sinh": "2010-11-23"}).amount_vnd == 7_000


def test_a_person_of_sixty_pays_nothing_and_one_of_fifty_nine_pays() -> None:
    assert fee_for("1.004222", form_data={}, date_of_birth=date(1966, 11, 23)).amount_vnd == 0
    assert fee_for("1.004222", form_data={}, date_of_birth=date(1966, 11, 24)).amount_vnd == 10_000


def test_a_declared_poor_household_is_exempt_from_residence_fees() -> None:
    fee = fee_for("1.004222", form_data={"doi_tuong_mien_le_phi": "ho_ngheo"})
    assert fee.amount_vnd == 0
    assert fee.exemption == "Công dân thuộc hộ nghèo theo quy định của pháp luật"


def test_an_exemption_the_schedule_does_not_list_does_not_apply() -> None:
    # The passport fee (Circular 25/2021/TT-BTC) lists no exemption for the elderly.
    fee = fee_for("1.001456", form_data={"doi_tuong_mien_le_phi": "ho_ngheo"}, date_of_birth=date(1940, 1, 1))
    assert fee.amount_vnd == 200_000


def test_a_procedure_without_fees_costs_nothing_and_says_so() -> None:
    fee = fee_for("1.010028", form_data={})
    assert fee.amount_vnd == 0
    assert "không thu phí, lệ phí" in fee.rule
    assert fee.methods == ()


def test_level_four_pays_online_and_level_three_at_the_counter() -> None:
    assert fee_for("1.004194", 2, form_data={}).methods == ("gateway", "vietqr")
    assert fee_for("2.001195", form_data={}).methods == ("counter",)


def test_when_the_fee_is_due_follows_the_procedure() -> None:
    assert fee_for("1.004194", 2, form_data={}).due == "on_submission"
    assert fee_for("BCA-VK-CCHT", form_data={}).due == "after_acceptance"
