"""The catalog as one query object: procedures, fields of activity and units, already validated."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from .base import FieldOfActivity
from .errors import ProcedureNotFound
from .forms import Form
from .procedures import Procedure, ProcedureVersion
from .rules import Exemption
from .search import search
from .units import Unit, UnitDirectory


class Catalog:
    """Read-only view of everything the catalog publishes; built once by the loader."""

    def __init__(
        self,
        *,
        procedures: Iterable[Procedure],
        fields: Iterable[FieldOfActivity],
        forms: Iterable[Form],
        exemptions: Iterable[Exemption],
        units: UnitDirectory,
    ) -> None:
        self._procedures = {p.code: p for p in sorted(procedures, key=lambda p: p.code)}
        self.fields: Mapping[str, FieldOfActivity] = {f.code: f for f in fields}
        self.forms: Mapping[str, Form] = {f.code: f for f in forms}
        self.exemptions: Mapping[str, Exemption] = {e.code: e for e in exemptions}
        self.units = units

    @property
    def procedures(self) -> tuple[Procedure, ...]:
        return tuple(self._procedures.values())

    def procedure(self, code: str) -> Procedure:
        try:
            return self._procedures[code]
        except KeyError:
            raise ProcedureNotFound(code) from None

    def version(self, code: str, *, at: date | None = None, number: int | None = None) -> ProcedureVersion:
        """An explicit version number wins; otherwise the version in force at `at`
        (or the latest when no date is given)."""
        procedure = self.procedure(code)
        if number is not None:
            return procedure.version(number)
        return procedure.in_force(at) if at is not None else procedure.latest

    def search(
        self,
        *,
        at: date,
        q: str | None = None,
        field: str | None = None,
        level: int | None = None,
    ) -> list[ProcedureVersion]:
        """Versions in force at `at` matching the filters (procedures not yet in force are left out)."""
        in_force = [p.in_force(at) for p in self._procedures.values() if p.versions[0].effective_from <= at]
        return search(in_force, q=q, field=field, level=level)

    def competent_unit(self, code: str, ward_code: str, *, at: date) -> Unit:
        return self.units.competent_unit(self.version(code, at=at), ward_code)
