"""The catalog says what the law says (procedures.md), procedure by procedure."""

from __future__ import annotations

from datetime import date

import pytest

from dvc_catalog.domain.catalog import Catalog
from dvc_catalog.domain.procedures import ProcedureVersion
from dvc_catalog.domain.rules import DeadlineKind, PaymentTiming, UnitLevel

from .conftest import TODAY

WD, HALF, NOW, CAL = (
    DeadlineKind.WORKING_DAYS,
    DeadlineKind.HALF_WORKING_DAYS,
    DeadlineKind.IMMEDIATE,
    DeadlineKind.CALENDAR_DAYS,
)

# procedures.md §2: code, name, deadline, fee in person / online (VND, first fee case).
RESIDENCE = [
    ("1.004222", "Đăng ký thường trú", WD, 7, (20_000, 10_000)),
    ("1.003197", "Xóa đăng ký thường trú", WD, 5, None),
    ("1.004194", "Đăng ký tạm trú", WD, 3, (15_000, 7_000)),
    ("1.002755", "Gia hạn tạm trú", WD, 3, (15_000, 7_000)),
    ("1.010028", "Xóa đăng ký tạm trú", WD, 2, None),
    ("1.010038", "Tách hộ", WD, 5, (10_000, 5_000)),
    ("1.010039", "Điều chỉnh thông tin về cư trú trong Cơ sở dữ liệu về cư trú", WD, 3, None),
    ("1.010040", "Khai báo thông tin về cư trú", WD, 5, None),
    ("1.010041", "Xác nhận thông tin về cư trú", WD, 3, None),
    ("2.001159", "Thông báo lưu trú", NOW, 0, None),
    ("1.003677", "Khai báo tạm vắng", WD, 1, None),
]


def current(catalog: Catalog, code: str) -> ProcedureVersion:
    return catalog.version(code, at=TODAY)


@pytest.mark.parametrize(("code", "name", "kind", "amount", "fees"), RESIDENCE)
def test_residence_procedures_are_decided_by_commune_police_within_the_legal_deadline(
    catalog: Catalog,
    code: str,
    name: str,
    kind: DeadlineKind,
    amount: int,
    fees: tuple[int, int] | None,
) -> None:
    v = current(catalog, code)
    assert v.name.startswith(name)
    assert v.field.code == "cu_tru"
    assert v.unit_level is UnitLevel.COMMUNE
    assert (v.deadline.kind, v.deadline.amount) == (kind, amount)
    # Residence dossiers are received on Saturday mornings too (procedures.md §5).
    assert v.deadline.saturday_morning_reception
    if fees is None:
        assert v.fees.is_free and v.payment_timing is PaymentTiming.NONE
    else:
        assert (v.fees.items[0].in_person, v.fees.items[0].online) == fees


def test_temporary_residence_by_list_costs_10000_in_person_and_5000_online_per_person(
    catalog: Catalog,
) -> None:
    for code in ("1.004194", "1.002755"):
        item = current(catalog, code).fees.item("theo_danh_sach")
        assert item is not None
        assert (item.in_person, item.online, item.basis.value) == (10_000, 5_000, "per_person")


def test_permanent_registration_lists_every_sub_type_the_portals_offer(catalog: Catalog) -> None:
    names = " | ".join(s.name for s in current(catalog, "1.004222").sub_types)
    for phrase in (
        "nhập sinh",
        "cả hộ từ ngoài tỉnh",
        "nhân khẩu từ ngoài tỉnh",
        "ngoài huyện trong tỉnh",
        "ngoài xã trong huyện",
        "trong xã đến",
        "định cư ở nước ngoài về",
        "lao động, học tập ở nước ngoài về",
        "nhà ở tập thể về hộ gia đình",
        "trường hợp khác",
    ):
        assert phrase in names


def test_permanent_registration_asks_for_ct01_or_ct02_and_proof_of_lawful_residence(
    catalog: Catalog,
) -> None:
    v = current(catalog, "1.004222")
    assert v.form is not None and v.form.code == "CT01"
    assert {d.form_code for d in v.documents} >= {"CT01", "CT02"}
    assert any("chỗ ở hợp pháp" in d.name for d in v.documents)


def test_residence_confirmation_takes_half_a_working_day_when_the_data_is_in_the_database(
    catalog: Catalog,
) -> None:
    v = current(catalog, "1.010041")
    (variant,) = v.deadline_variants
    assert (variant.rule.kind, variant.rule.amount) == (HALF, 1)
    assert "CT07" in v.result and "01 năm" in v.result


def test_residence_declaration_outside_the_population_database_is_unsure(catalog: Catalog) -> None:
    v = current(catalog, "1.010040")
    (variant,) = v.deadline_variants
    assert (variant.rule.kind, variant.rule.amount) == (CAL, 30)
    assert v.is_unsure("deadline_variants.0") and v.is_unsure("national_code")


def test_codes_marked_unsure_in_procedures_md_stay_unsure(catalog: Catalog) -> None:
    for code in ("1.003197", "1.010038", "1.010039", "1.010040"):
        assert current(catalog, code).is_unsure("national_code"), code
    for code in ("1.004222", "1.004194", "1.010041"):
        assert not current(catalog, code).is_unsure("national_code"), code


def test_whether_a_supplement_pauses_the_clock_is_marked_unsure(catalog: Catalog) -> None:
    assert current(catalog, "1.004222").is_unsure("deadline.on_supplement")


def test_lodging_notice_is_received_immediately_and_free(catalog: Catalog) -> None:
    v = current(catalog, "2.001159")
    assert v.deadline.kind is NOW and v.fees.is_free and v.form is None
    assert any(c.provision == "Khoản 4 Điều 30" for c in v.legal_basis)


def test_residence_law_changed_on_10_january_2025_when_decree_154_replaced_decree_62(
    catalog: Catalog,
) -> None:
    before = catalog.version("1.004222", at=date(2025, 1, 9))
    after = catalog.version("1.004222", at=date(2025, 1, 10))
    assert (before.version, after.version) == (1, 2)
    assert any("62/2021" in c.document for c in before.legal_basis)
    assert any("154/2024" in c.document for c in after.legal_basis)
    assert not any("62/2021" in c.document for c in after.legal_basis)
    # Everything the revision did not restate is carried over.
    assert after.fees == before.fees and after.deadline == before.deadline


# procedures.md §3: identity cards, 7 working days, Monday-Friday, province level.
@pytest.mark.parametrize(
    ("code", "case", "in_person"),
    [("2.001195", "chuyen_doi", 30_000), ("2.001195", "cap_doi", 50_000), ("2.001194", "cap_lai", 70_000)],
)
def test_identity_card_fees_follow_circular_73_2024_and_halve_online_in_2025(
    catalog: Catalog, code: str, case: str, in_person: int
) -> None:
    v = catalog.version(code, at=date(2025, 6, 1))
    item = v.fees.item(case)
    assert item is not None and (item.in_person, item.online) == (in_person, in_person // 2)
    assert (v.deadline.kind, v.deadline.amount) == (WD, 7)
    assert not v.deadline.saturday_morning_reception
    assert v.unit_level is UnitLevel.PROVINCE
    assert v.form is not None and v.form.code == "CC01"


def test_first_identity_card_is_free(catalog: Catalog) -> None:
    v = current(catalog, "2.000200")
    assert v.fees.is_free and v.payment_timing is PaymentTiming.NONE
    assert {d.form_code for d in v.documents} == {"CC01", "DC01"}


def test_identity_card_exemptions_are_the_seven_categories_of_procedures_md(catalog: Catalog) -> None:
    codes = {e.code for e in current(catalog, "2.001194").fees.exemptions}
    assert codes == {
        "tre_em",
        "nguoi_cao_tuoi",
        "nguoi_khuyet_tat",
        "nguoi_co_cong",
        "dtts_xa_dbkk",
        "bien_gioi_hai_dao",
        "ho_ngheo",
    }


def test_population_data_extraction_costs_1000_per_data_field(catalog: Catalog) -> None:
    v = current(catalog, "BCA-DC-KHAITHAC")
    (item,) = v.fees.items
    assert (item.in_person, item.basis.value) == (1_000, "per_data_field")
    assert v.is_unsure("deadline")


def test_every_procedure_named_by_the_ministry_portal_is_in_the_catalog(catalog: Catalog) -> None:
    names = [p.latest.name for p in catalog.procedures]

    def has(fragment: str) -> bool:
        return any(fragment in n for n in names)

    for fragment in (
        "Đăng ký lịch hẹn cấp, cấp đổi, cấp lại thẻ căn cước",
        "Xác nhận số Chứng minh nhân dân",
        "Khai thác thông tin trong Cơ sở dữ liệu quốc gia về dân cư",
        "Thông báo số định danh cá nhân",
        "đủ điều kiện về an ninh, trật tự",
        "vũ khí",
        "vật liệu nổ",
        "công cụ hỗ trợ",
        "Đăng ký mẫu con dấu mới",
        "Đổi, cấp lại giấy chứng nhận đăng ký mẫu con dấu",
        "dấu nổi, dấu thu nhỏ, dấu xi",
        "Đăng ký thêm con dấu",
        "Đăng ký lại mẫu con dấu",
        "Cấp hộ chiếu phổ thông ở trong nước",
        "Khai báo tạm trú cho người nước ngoài",
    ):
        assert has(fragment), fragment


def test_ordinary_passport_takes_8_working_days_and_200000_with_10_percent_off_online(
    catalog: Catalog,
) -> None:
    before = catalog.version("1.001456", at=date(2023, 12, 31))
    after = catalog.version("1.001456", at=date(2024, 1, 1))
    assert (before.fees.items[0].online, after.fees.items[0].online) == (200_000, 180_000)
    assert after.fees.items[0].in_person == 200_000
    assert (after.deadline.kind, after.deadline.amount) == (WD, 8)
    assert after.unit_level is UnitLevel.PROVINCE and after.form is not None


def test_foreigners_temporary_residence_is_declared_immediately_and_free(catalog: Catalog) -> None:
    v = current(catalog, "1.001437")
    assert v.deadline.kind is NOW and v.fees.is_free
    assert v.form is not None and v.form.code == "NA17"


def test_central_level_seal_registration_is_decided_by_c06_in_3_working_days(catalog: Catalog) -> None:
    v = current(catalog, "1.003154")
    assert v.unit_level is UnitLevel.MINISTRY and v.ministry_department == "C06"
    assert (v.deadline.kind, v.deadline.amount) == (WD, 3)


def test_sports_weapon_permits_moved_to_the_2024_weapons_law_on_1_january_2025(
    catalog: Catalog,
) -> None:
    old = catalog.version("1.000727", at=date(2024, 12, 31))
    new = catalog.version("1.000727", at=date(2025, 1, 1))
    assert any("14/2017" in c.document for c in old.legal_basis)
    assert any("42/2024" in c.document for c in new.legal_basis)
    assert (new.deadline.amount, new.fees.items[0].basis.value) == (10, "per_item")


def test_every_procedure_without_a_confirmed_national_code_says_so(catalog: Catalog) -> None:
    for procedure in catalog.procedures:
        for v in procedure.versions:
            if v.national_code is None:
                assert v.is_unsure("national_code"), v.code


def test_every_version_cites_its_legal_basis_and_fee_instrument(catalog: Catalog) -> None:
    for procedure in catalog.procedures:
        for v in procedure.versions:
            assert v.legal_basis
            if not v.fees.is_free:
                assert v.fees.legal_basis, v.code
