"""Police units and the resolution of the unit competent for a procedure at an address."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Self

from pydantic import Field, model_validator

from .base import Frozen
from .errors import UnitNotFound, WardNotFound
from .procedures import ProcedureVersion
from .rules import UnitLevel
from .text import fold


class Unit(Frozen):
    """A Ministry department, a province police or a commune police.

    `admin_code` is the administrative division code the unit is derived from (2 digits for a
    province, 5 for a commune); ministry departments have none.
    """

    code: str = Field(pattern=r"^[A-Z0-9]+(-[0-9]+)?$")
    name: str = Field(min_length=3)
    short_name: str | None = None
    level: UnitLevel
    admin_code: str | None = Field(default=None, pattern=r"^\d{2}(\d{3})?$")
    province_code: str | None = Field(default=None, pattern=r"^\d{2}$")
    parent_code: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if self.level is UnitLevel.MINISTRY:
            if self.admin_code or self.province_code or self.parent_code:
                raise ValueError("a ministry department has no administrative code or parent")
        elif self.admin_code is None or self.province_code is None:
            raise ValueError("a local unit needs its administrative and province codes")
        if self.level is UnitLevel.COMMUNE and self.parent_code is None:
            raise ValueError("a commune unit needs its superior province unit")
        return self


def normalise_division_code(raw: str, width: int) -> str | None:
    """`"70"` and `"00070"` name the same ward; anything but digits names nothing."""
    raw = raw.strip()
    if not raw.isdigit() or len(raw) > width:
        return None
    return raw.zfill(width)


class UnitDirectory:
    """Every unit, indexed by code and by the ward it serves."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self._by_code: dict[str, Unit] = {}
        for unit in units:
            if unit.code in self._by_code:
                raise ValueError(f"duplicate unit code {unit.code}")
            self._by_code[unit.code] = unit
        self._commune_by_ward: Mapping[str, Unit] = {
            u.admin_code: u for u in self._by_code.values() if u.level is UnitLevel.COMMUNE and u.admin_code
        }
        for unit in self._by_code.values():
            if unit.parent_code is not None and unit.parent_code not in self._by_code:
                raise ValueError(f"unit {unit.code} names unknown superior {unit.parent_code}")
        self._words = {code: fold(u.name).split() for code, u in self._by_code.items()}

    def __len__(self) -> int:
        return len(self._by_code)

    def all(self) -> tuple[Unit, ...]:
        return tuple(self._by_code.values())

    def get(self, code: str) -> Unit:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnitNotFound(code) from None

    def commune_of_ward(self, ward_code: str) -> Unit:
        normal = normalise_division_code(ward_code, 5)
        unit = self._commune_by_ward.get(normal) if normal else None
        if unit is None:
            raise WardNotFound(ward_code)
        return unit

    def superior(self, unit: Unit) -> Unit | None:
        return self._by_code[unit.parent_code] if unit.parent_code else None

    def find(
        self,
        *,
        level: UnitLevel | None = None,
        province_code: str | None = None,
        q: str | None = None,
    ) -> list[Unit]:
        """Units matching every given filter, in directory order (ministry, provinces, communes)."""
        words = fold(q).split() if q else []
        return [
            u
            for code, u in self._by_code.items()
            if (level is None or u.level is level)
            and (province_code is None or u.province_code == province_code)
            and all(w == code.lower() or any(t.startswith(w) for t in self._words[code]) for w in words)
        ]

    def competent_unit(self, version: ProcedureVersion, ward_code: str) -> Unit:
        """The unit that decides `version` for a dossier at `ward_code`.

        The ward is checked for every level, so a typo in an address fails the same way
        whichever unit ends up competent.
        """
        commune = self.commune_of_ward(ward_code)
        if version.unit_level is UnitLevel.COMMUNE:
            return commune
        if version.unit_level is UnitLevel.PROVINCE:
            province = self.superior(commune)
            assert province is not None  # guaranteed by Unit validation and __init__
            return province
        assert version.ministry_department is not None  # guaranteed by ProcedureVersion
        return self.get(version.ministry_department)
