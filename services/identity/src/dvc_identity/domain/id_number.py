"""The 12-digit personal identification number (số định danh cá nhân).

Layout ``PPP G YY NNNNNN`` (Decree 137/2015/NĐ-CP Art. 13; Circular 07/2016/TT-BCA Art. 7):

* ``PPP``: code of the province where the birth was registered (001-096, the 63 provinces
  before 2025 — numbers already issued keep them), or of the country for a birth registered
  abroad (first digit non-zero);
* ``G``: century of birth and sex — 0/1 for the 1900s male/female, 2/3 for the 2000s,
  4/5 for the 2100s, 6/7 for the 2200s, 8/9 for the 2300s;
* ``YY``: the last two digits of the year of birth;
* ``NNNNNN``: a random serial.

Each rule has its own error code so the portal can say exactly what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dvc_identity.data import country_codes, province_codes
from dvc_identity.domain.refusal import Refusal, RefusedError

ID_NUMBER_LENGTH = 12
LEGACY_CMND_LENGTH = 9
FIRST_CENTURY = 1900  # G = 0/1
LAST_CENTURY = 2300  # G = 8/9


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class PlaceKind(StrEnum):
    PROVINCE = "province"
    COUNTRY = "country"


@dataclass(frozen=True)
class IdNumber:
    """A personal ID number whose layout is valid, with its parts decoded."""

    value: str
    place_code: str
    place_kind: PlaceKind
    place_name: str
    century: int  # 1900, 2000, ...
    sex: Sex
    year_suffix: int  # YY

    @property
    def born_abroad(self) -> bool:
        return self.place_kind is PlaceKind.COUNTRY


# What the first three digits name: a province for a birth registered in Viet Nam (0xx), else
# the country of one registered abroad.
_PLACES = {
    PlaceKind.PROVINCE: "tỉnh, thành phố nơi đăng ký khai sinh",
    PlaceKind.COUNTRY: "quốc gia nơi đăng ký khai sinh ở nước ngoài",
}


def _refuse(code: str, message: str) -> RefusedError:
    return RefusedError(Refusal(f"id_number.{code}", message))


def parse_id_number(raw: str) -> IdNumber:
    """Check the layout alone (no declared data) and decode the parts.

    Spaces are ignored because people copy the number from the card in groups.
    """
    value = "".join(raw.split())
    if not value.isascii() or not value.isdigit():
        raise _refuse("not_digits", "Số định danh cá nhân chỉ được gồm các chữ số từ 0 đến 9.")
    if len(value) == LEGACY_CMND_LENGTH:
        # Law on Identification 2023 Art. 46: 9-digit CMND cards are valid until 31/12/2024.
        # The platform runs after that date, so the refusal is unconditional.
        raise _refuse(
            "legacy_cmnd",
            "Số Chứng minh nhân dân 9 số đã hết giá trị sử dụng từ sau ngày 31/12/2024. "
            "Vui lòng sử dụng số định danh cá nhân gồm 12 chữ số "
            "(in trên thẻ Căn cước hoặc Căn cước công dân).",
        )
    if len(value) != ID_NUMBER_LENGTH:
        raise _refuse("wrong_length", "Số định danh cá nhân phải gồm đúng 12 chữ số.")

    place_code = value[:3]
    place_kind = PlaceKind.PROVINCE if place_code[0] == "0" else PlaceKind.COUNTRY
    place_name = (province_codes() if place_kind is PlaceKind.PROVINCE else country_codes()).get(place_code)
    if place_name is None:
        raise _refuse(
            f"unknown_{place_kind.value}",
            f"Ba chữ số đầu của số định danh cá nhân ({place_code}) không phải là mã {_PLACES[place_kind]}.",
        )

    g = int(value[3])
    return IdNumber(
        value=value,
        place_code=place_code,
        place_kind=place_kind,
        place_name=place_name,
        century=FIRST_CENTURY + (g // 2) * 100,
        sex=Sex.MALE if g % 2 == 0 else Sex.FEMALE,
        year_suffix=int(value[4:6]),
    )


def century_sex_digit(birth_year: int, sex: Sex) -> int:
    """The G digit for a year of birth and a sex; refuses years the layout cannot express."""
    if not FIRST_CENTURY <= birth_year < LAST_CENTURY + 100:
        raise _refuse(
            "birth_year_unsupported",
            "Năm sinh phải từ năm 1900 đến năm 2399 theo cấu trúc số định danh cá nhân.",
        )
    return (birth_year - FIRST_CENTURY) // 100 * 2 + (0 if sex is Sex.MALE else 1)


def check_id_number(raw: str, *, date_of_birth: date, sex: Sex) -> IdNumber:
    """Check the layout and that the number agrees with the declared birth date and sex."""
    number = parse_id_number(raw)
    century_sex_digit(date_of_birth.year, sex)  # refuses years outside 1900-2399
    if number.century != date_of_birth.year // 100 * 100:
        raise _refuse(
            "century_mismatch",
            "Chữ số thứ tư của số định danh cá nhân (mã thế kỷ sinh) không khớp với năm sinh đã khai.",
        )
    if number.sex is not sex:
        raise _refuse(
            "sex_mismatch",
            "Chữ số thứ tư của số định danh cá nhân (mã giới tính) không khớp với giới tính đã khai.",
        )
    if number.year_suffix != date_of_birth.year % 100:
        raise _refuse(
            "birth_year_mismatch",
            "Chữ số thứ năm và thứ sáu của số định danh cá nhân không khớp với năm sinh đã khai.",
        )
    return number


def compose_id_number(place_code: str, date_of_birth: date, sex: Sex, serial: int) -> str:
    """Build a number from its parts (used by the seed generator and by tests)."""
    if not 0 <= serial < 1_000_000:
        raise ValueError("the serial has six digits")
    g = century_sex_digit(date_of_birth.year, sex)
    return f"{place_code}{g}{date_of_birth.year % 100:02d}{serial:06d}"
