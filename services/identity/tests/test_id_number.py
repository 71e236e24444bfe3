"""Decree 137/2015 Art. 13 and Circular 07/2016/TT-BCA Art. 7: the 12-digit personal ID number."""

from datetime import date

import pytest

from dvc_identity.domain.id_number import (
    PlaceKind,
    Sex,
    check_id_number,
    compose_id_number,
    parse_id_number,
)
from dvc_identity.domain.refusal import RefusedError


def refusal_code(raw: str, born: date, sex: Sex) -> str:
    with pytest.raises(RefusedError) as caught:
        check_id_number(raw, date_of_birth=born, sex=sex)
    return caught.value.code


@pytest.mark.parametrize(
    ("number", "born", "sex"),
    [
        ("001090123456", date(1990, 5, 12), Sex.MALE),  # Hà Nội, 1900s, male -> G = 0
        ("079185654321", date(1985, 1, 31), Sex.FEMALE),  # TP Hồ Chí Minh, 1900s, female -> 1
        ("048203000001", date(2003, 12, 1), Sex.MALE),  # Đà Nẵng, 2000s, male -> 2
        ("096305999999", date(2005, 2, 28), Sex.FEMALE),  # Cà Mau, 2000s, female -> 3
    ],
)
def test_a_number_agreeing_with_birth_date_and_sex_is_accepted(number: str, born: date, sex: Sex) -> None:
    parsed = check_id_number(number, date_of_birth=born, sex=sex)
    assert parsed.value == number
    assert parsed.place_kind is PlaceKind.PROVINCE
    assert parsed.sex is sex
    assert parsed.century == born.year // 100 * 100


def test_the_province_of_birth_registration_is_decoded() -> None:
    assert parse_id_number("001090123456").place_name == "Hà Nội"
    assert parse_id_number("046090123456").place_name == "Thừa Thiên Huế"


def test_a_birth_registered_abroad_carries_a_country_code() -> None:
    parsed = check_id_number("392095123456", date_of_birth=date(1995, 7, 1), sex=Sex.MALE)
    assert parsed.born_abroad
    assert parsed.place_name == "Japan"


def test_spaces_typed_between_groups_are_ignored() -> None:
    assert parse_id_number(" 001 0 90 123456 ").value == "001090123456"


def test_the_nine_digit_cmnd_is_refused_with_the_2024_deadline() -> None:
    with pytest.raises(RefusedError) as caught:
        parse_id_number("012345678")
    assert caught.value.code == "id_number.legacy_cmnd"
    assert "31/12/2024" in caught.value.message
    assert "12 chữ số" in caught.value.message


@pytest.mark.parametrize("raw", ["00109012345", "0010901234567", "1234"])
def test_a_number_must_have_exactly_twelve_digits(raw: str) -> None:
    with pytest.raises(RefusedError) as caught:
        parse_id_number(raw)
    assert caught.value.code == "id_number.wrong_length"


@pytest.mark.parametrize("raw", ["00109012345A", "001-090-1234", "００１０９０１２３４５６"])
def test_a_number_holds_only_ascii_digits(raw: str) -> None:
    with pytest.raises(RefusedError) as caught:
        parse_id_number(raw)
    assert caught.value.code == "id_number.not_digits"


@pytest.mark.parametrize("code", ["000", "003", "097", "099"])
def test_a_province_code_must_exist(code: str) -> None:
    with pytest.raises(RefusedError) as caught:
        parse_id_number(code + "090123456")
    assert caught.value.code == "id_number.unknown_province"
    assert code in caught.value.message


def test_a_country_code_must_exist_and_viet_nam_is_not_one() -> None:
    for code in ("999", "704"):
        with pytest.raises(RefusedError) as caught:
            parse_id_number(code + "090123456")
        assert caught.value.code == "id_number.unknown_country"


def test_the_fourth_digit_must_give_the_century_of_birth() -> None:
    # G = 2 says "born in the 2000s, male"; the declared birth is in 1990.
    assert refusal_code("001290123456", date(1990, 1, 1), Sex.MALE) == "id_number.century_mismatch"


def test_the_fourth_digit_must_give_the_declared_sex() -> None:
    # G = 1 says "female"; the declared sex is male.
    assert refusal_code("001190123456", date(1990, 1, 1), Sex.MALE) == "id_number.sex_mismatch"


def test_the_fifth_and_sixth_digits_are_the_year_of_birth() -> None:
    assert refusal_code("001091123456", date(1990, 1, 1), Sex.MALE) == "id_number.birth_year_mismatch"


def test_a_birth_year_outside_1900_2399_cannot_have_a_number() -> None:
    assert refusal_code("001099123456", date(1899, 1, 1), Sex.MALE) == "id_number.birth_year_unsupported"


def test_every_refusal_message_is_vietnamese_with_diacritics() -> None:
    with pytest.raises(RefusedError) as caught:
        parse_id_number("001A90123456")
    assert "chữ số" in caught.value.message


@pytest.mark.parametrize(
    ("year", "sex", "digit"),
    [
        (1900, Sex.MALE, "0"),
        (1999, Sex.FEMALE, "1"),
        (2000, Sex.MALE, "2"),
        (2099, Sex.FEMALE, "3"),
        (2100, Sex.MALE, "4"),
        (2250, Sex.FEMALE, "7"),
        (2399, Sex.MALE, "8"),
    ],
)
def test_composed_numbers_use_the_century_and_sex_table(year: int, sex: Sex, digit: str) -> None:
    number = compose_id_number("001", date(year, 6, 1), sex, 42)
    assert number == f"001{digit}{year % 100:02d}000042"
    assert check_id_number(number, date_of_birth=date(year, 6, 1), sex=sex).value == number
