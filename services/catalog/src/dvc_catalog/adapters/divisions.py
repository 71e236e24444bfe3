"""Province and commune police units, derived from the current administrative divisions.

The `vietnam-provinces` package carries the 34 provinces and 3,321 communes, wards and
special zones in force since 01/07/2025; every one of them has a police unit of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from vietnam_provinces import Province, VietNamDivisionType, Ward

from ..domain.rules import UnitLevel
from ..domain.units import Unit

PROVINCE_PREFIX = "CAT"
COMMUNE_PREFIX = "CAX"


def province_unit_code(province_code: str) -> str:
    return f"{PROVINCE_PREFIX}-{province_code}"


def commune_unit_code(ward_code: str) -> str:
    return f"{COMMUNE_PREFIX}-{ward_code}"


def _bare_name(name: str, division_type: str) -> str:
    """ "Phường Hoàn Kiếm" → "Hoàn Kiếm": the division type is said again in the unit's name."""
    prefix = division_type + " "
    return name[len(prefix) :] if name.lower().startswith(prefix) else name


def province_units() -> Iterator[Unit]:
    for province in Province.iter_all():
        code = f"{int(province.code):02d}"
        kind = "thành phố" if province.division_type is VietNamDivisionType.THANH_PHO_TRUNG_UONG else "tỉnh"
        yield Unit(
            code=province_unit_code(code),
            name=f"Công an {kind} {_bare_name(province.name, kind)}",
            level=UnitLevel.PROVINCE,
            admin_code=code,
            province_code=code,
        )


def commune_units() -> Iterator[Unit]:
    for ward in Ward.iter_all():
        code = f"{int(ward.code):05d}"
        province = f"{int(ward.province_code):02d}"
        kind = ward.division_type.value
        yield Unit(
            code=commune_unit_code(code),
            name=f"Công an {kind} {_bare_name(ward.name, kind)}",
            level=UnitLevel.COMMUNE,
            admin_code=code,
            province_code=province,
            parent_code=province_unit_code(province),
        )
