"""The rules of tờ khai CT01, read like the form: every problem named by its label, at once."""

from __future__ import annotations

from datetime import date

from dvc_intake.domain.form import FieldRule, FormRules, Option, check_form, merged

TODAY = date(2026, 11, 23)
CT01 = FormRules(
    code="CT01",
    name="Tờ khai thay đổi thông tin cư trú",
    fields=(
        FieldRule(
            "ho_ten",
            "Họ, chữ đệm và tên",
            "text",
            required=True,
            min_length=2,
            max_length=100,
            pattern=r"^[^0-9]+$",
            pattern_hint="không chứa chữ số",
        ),
        FieldRule(
            "ngay_sinh",
            "Ngày, tháng, năm sinh",
            "date",
            required=True,
            not_in_future=True,
            min_date=date(1900, 1, 1),
        ),
        FieldRule(
            "gioi_tinh",
            "Giới tính",
            "enum",
            required=True,
            options=(Option("nam", "Nam"), Option("nu", "Nữ")),
        ),
        FieldRule("so_nguoi", "Số người cùng đăng ký", "integer", minimum=1, maximum=10),
        FieldRule("y_kien_chu_ho", "Ý kiến đồng ý của chủ hộ", "boolean"),
    ),
)


def problems(data: dict[str, object]) -> dict[str, str]:
    return {p.field: p.message for p in check_form(CT01, data, TODAY)}


def test_a_correctly_filled_form_has_no_problem() -> None:
    assert (
        problems(
            {
                "ho_ten": "Lê Thị Mai",
                "ngay_sinh": "1985-11-02",
                "gioi_tinh": "nu",
                "so_nguoi": 2,
                "y_kien_chu_ho": True,
            }
        )
        == {}
    )


def test_every_required_field_left_empty_is_named_by_its_label() -> None:
    assert problems({"ho_ten": "   "}) == {
        "ho_ten": "Vui lòng nhập «Họ, chữ đệm và tên».",
        "ngay_sinh": "Vui lòng nhập «Ngày, tháng, năm sinh».",
        "gioi_tinh": "Vui lòng nhập «Giới tính».",
    }


def test_a_birth_date_in_the_future_or_before_1900_is_refused() -> None:
    base = {"ho_ten": "Lê Thị Mai", "gioi_tinh": "nu"}
    assert problems({**base, "ngay_sinh": "2026-11-24"}) == {
        "ngay_sinh": "«Ngày, tháng, năm sinh» không được sau ngày hôm nay."
    }
    assert problems({**base, "ngay_sinh": "1899-12-31"}) == {
        "ngay_sinh": "«Ngày, tháng, năm sinh» không được trước ngày 01/01/1900."
    }
    assert "NNNN-TT-NN" in problems({**base, "ngay_sinh": "02/11/1985"})["ngay_sinh"]


def test_text_rules_explain_the_pattern_in_vietnamese() -> None:
    found = problems({"ho_ten": "M4i", "ngay_sinh": "1985-11-02", "gioi_tinh": "nu"})
    assert found == {"ho_ten": "«Họ, chữ đệm và tên» không đúng định dạng: không chứa chữ số."}
    assert (
        "ít nhất 2 ký tự" in problems({"ho_ten": "M", "ngay_sinh": "1985-11-02", "gioi_tinh": "nu"})["ho_ten"]
    )


def test_a_trailing_newline_does_not_slip_through_a_pattern() -> None:
    assert "ho_ten" in problems({"ho_ten": "Lê Thị Mai\n1", "ngay_sinh": "1985-11-02", "gioi_tinh": "nu"})


def test_enum_integer_and_boolean_values_are_typed() -> None:
    found = problems(
        {
            "ho_ten": "Lê Thị Mai",
            "ngay_sinh": "1985-11-02",
            "gioi_tinh": "khac",
            "so_nguoi": 11,
            "y_kien_chu_ho": "có",
        }
    )
    assert found == {
        "gioi_tinh": "«Giới tính» chỉ nhận một trong các giá trị: Nam, Nữ.",
        "so_nguoi": "«Số người cùng đăng ký» không được lớn hơn 10.",
        "y_kien_chu_ho": "«Ý kiến đồng ý của chủ hộ» phải là Có hoặc Không.",
    }
    assert "số nguyên" in problems({"so_nguoi": True})["so_nguoi"]  # JSON true is not 1


def test_a_field_the_form_does_not_have_is_refused() -> None:
    found = problems(
        {"ho_ten": "Lê Thị Mai", "ngay_sinh": "1985-11-02", "gioi_tinh": "nu", "ma_so_thue": "1"}
    )
    assert found == {"ma_so_thue": "Trường «ma_so_thue» không có trong tờ khai CT01."}


def test_a_procedure_without_a_form_takes_no_form_data() -> None:
    assert check_form(None, {}, TODAY) == []
    assert [p.field for p in check_form(None, {"x": 1}, TODAY)] == ["x"]


def test_a_supplement_changes_some_fields_and_clears_others() -> None:
    assert merged({"a": 1, "b": 2}, {"b": 3, "a": None, "c": 4}) == {"b": 3, "c": 4}
