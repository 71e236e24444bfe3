"""Which police unit a dossier goes to (procedures.md §9: "routes the dossier to the competent
police unit").

Since 01/03/2025 commune police handle residence and most identity matters; province police
decide what the catalog marks as province level; a Ministry department decides the rest. The
citizen names the ward of their address; the catalog's unit directory says which commune
police serves that ward (`CAX-<ward>`) and which province police is above it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .refusal import Refused

UnitLevel = Literal["ministry", "province", "commune"]


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: UnitLevel
    parent_code: str | None


def commune_unit_code(ward_code: str) -> str:
    return f"CAX-{ward_code}"


def commune_police(ward_code: str, units: Mapping[str, Unit]) -> Unit:
    """The commune police serving the ward; refused when the ward is not a known ward."""
    unit = units.get(commune_unit_code(ward_code))
    if unit is None or unit.level != "commune":
        raise Refused(
            "unknown_ward",
            f"Không tìm thấy xã, phường, đặc khu có mã «{ward_code}». "
            "Vui lòng chọn lại đơn vị hành chính cấp xã nơi cư trú.",
            field="ward_code",
        )
    return unit


def competent_unit(
    unit_level: UnitLevel,
    ministry_department_code: str | None,
    ward_code: str,
    units: Mapping[str, Unit],
) -> Unit:
    commune = commune_police(ward_code, units)
    if unit_level == "commune":
        return commune
    if unit_level == "province":
        province = units.get(commune.parent_code or "")
        if province is None:
            raise LookupError(f"unit directory lacks the province unit above {commune.code}")
        return province
    department = units.get(ministry_department_code or "")
    if department is None:
        raise LookupError(f"unit directory lacks ministry department {ministry_department_code!r}")
    return department
