"""Form validation: every message is Vietnamese and names the field by its label."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pytest

from dvc_catalog.domain.catalog import Catalog
from dvc_catalog.domain.forms import Form, FormField, validate_form

TODAY = date(2025, 10, 1)

VALID_CT01 = {
    "ho_ten": "Nguyễn Thị Hoa",
    "ngay_sinh": "1990-05-17",
    "gioi_tinh": "nu",
    "so_dinh_danh": "001190012345",
    "so_dien_thoai": "0912345678",
    "email": "hoa@example.vn",
    "noi_dung_de_nghi": "Đăng ký tạm trú tại nhà thuê",
    "noi_de_nghi_ma_xa": "00070",
}


@pytest.fixture
def ct01(catalog: Catalog) -> Form:
    return catalog.forms["CT01"]


def messages(form: Form, data: Mapping[str, object]) -> dict[str, str]:
    return {e.field: e.message for e in validate_form(form, data, today=TODAY)}


def test_a_complete_ct01_is_valid(ct01: Form) -> None:
    assert validate_form(ct01, VALID_CT01, today=TODAY) == []


def test_ct01_carries_the_fields_of_the_legal_form(ct01: Form) -> None:
    labels = {f.label for f in ct01.fields}
    for label in (
        "Họ, chữ đệm và tên",
        "Ngày, tháng, năm sinh",
        "Giới tính",
        "Số định danh cá nhân",
        "Số điện thoại liên hệ",
        "Email",
        "Họ, chữ đệm và tên chủ hộ",
        "Mối quan hệ với chủ hộ",
        "Số định danh cá nhân của chủ hộ",
        "Nội dung đề nghị",
    ):
        assert label in labels


def test_missing_required_fields_are_named(ct01: Form) -> None:
    data = {**VALID_CT01, "ho_ten": "  "}
    del data["so_dinh_danh"]
    assert messages(ct01, data) == {
        "ho_ten": "Họ, chữ đệm và tên là thông tin bắt buộc, không được để trống.",
        "so_dinh_danh": "Số định danh cá nhân là thông tin bắt buộc, không được để trống.",
    }


def test_a_personal_id_number_has_exactly_12_digits(ct01: Form) -> None:
    got = messages(ct01, {**VALID_CT01, "so_dinh_danh": "12345"})
    assert got == {"so_dinh_danh": "Số định danh cá nhân không đúng định dạng: gồm đúng 12 chữ số."}


def test_a_birth_date_in_the_future_or_malformed_is_refused(ct01: Form) -> None:
    assert messages(ct01, {**VALID_CT01, "ngay_sinh": "2030-01-01"}) == {
        "ngay_sinh": "Ngày, tháng, năm sinh không được sau ngày hiện tại."
    }
    assert "YYYY-MM-DD" in messages(ct01, {**VALID_CT01, "ngay_sinh": "17/05/1990"})["ngay_sinh"]
    assert messages(ct01, {**VALID_CT01, "ngay_sinh": date(1850, 1, 1)}) == {
        "ngay_sinh": "Ngày, tháng, năm sinh không được trước ngày 01/01/1900."
    }


def test_an_enum_lists_the_allowed_labels(ct01: Form) -> None:
    assert messages(ct01, {**VALID_CT01, "gioi_tinh": "khac"}) == {
        "gioi_tinh": "Giới tính phải là một trong các giá trị: Nam; Nữ."
    }


def test_length_and_phone_rules(ct01: Form) -> None:
    got = messages(ct01, {**VALID_CT01, "noi_dung_de_nghi": "abc", "so_dien_thoai": "+84912345678"})
    assert got["noi_dung_de_nghi"] == "Nội dung đề nghị phải có ít nhất 5 ký tự."
    assert got["so_dien_thoai"].startswith("Số điện thoại liên hệ không đúng định dạng")


def test_fields_that_are_not_on_the_form_are_reported(ct01: Form) -> None:
    assert messages(ct01, {**VALID_CT01, "ma_so_thue": "0101"}) == {
        "ma_so_thue": "Trường «ma_so_thue» không có trong tờ khai CT01."
    }


def test_boolean_and_integer_rules() -> None:
    form = Form(
        code="TEST",
        name="Tờ khai thử",
        legal_basis=({"document": "Văn bản thử"},),
        fields=(
            FormField(name="so_nguoi", label="Số người", type="integer", minimum=1, maximum=10),
            FormField(name="dong_y", label="Đồng ý", type="boolean", required=True),
        ),
    )
    assert messages(form, {"so_nguoi": "0", "dong_y": "có"}) == {
        "so_nguoi": "Số người không được nhỏ hơn 1.",
        "dong_y": "Đồng ý phải là có hoặc không.",
    }
    assert messages(form, {"so_nguoi": 11, "dong_y": True}) == {"so_nguoi": "Số người không được lớn hơn 10."}
    assert messages(form, {"so_nguoi": True, "dong_y": False}) == {"so_nguoi": "Số người phải là số nguyên."}


def test_rules_must_fit_the_field_type() -> None:
    with pytest.raises(ValueError, match="options"):
        FormField(name="x", label="X", type="enum")
    with pytest.raises(ValueError, match="pattern_hint"):
        FormField(name="x", label="X", type="text", pattern=r"^\d+$")
    with pytest.raises(ValueError, match="date rules"):
        FormField(name="x", label="X", type="text", not_in_future=True)


def test_identity_card_form_validates_the_old_card_number(catalog: Catalog) -> None:
    cc01 = catalog.forms["CC01"]
    data = {
        "ho_ten": "Trần Văn An",
        "ngay_sinh": "1985-02-03",
        "gioi_tinh": "nam",
        "so_dinh_danh": "001085001234",
        "so_dien_thoai": "0987654321",
        "loai_de_nghi": "cap_doi",
        "so_the_da_cap": "1234567",
        "noi_lam_thu_tuc_ma_xa": "00070",
    }
    assert messages(cc01, data) == {
        "so_the_da_cap": "Số Chứng minh nhân dân, thẻ Căn cước công dân hoặc thẻ căn cước đã được cấp "
        "không đúng định dạng: gồm 9 hoặc 12 chữ số."
    }
