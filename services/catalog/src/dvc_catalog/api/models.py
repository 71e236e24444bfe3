"""Response bodies of the catalog API (the full procedure version is the public contract)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from dvc_contracts.catalog import UnitPublished

from ..domain.procedures import ProcedureVersion


class Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ErrorBody(Body):
    code: str = Field(description="Machine-readable error code.")
    message: str = Field(description="What went wrong, in Vietnamese.")


class ProcedureSummary(Body):
    code: str
    national_code: str | None
    name: str
    field_code: str
    field_name: str
    level: int
    unit_level: str
    version: int
    effective_from: dt.date

    @classmethod
    def of(cls, version: ProcedureVersion) -> ProcedureSummary:
        return cls(
            code=version.code,
            national_code=version.national_code,
            name=version.name,
            field_code=version.field.code,
            field_name=version.field.name,
            level=version.level,
            unit_level=version.unit_level.value,
            version=version.version,
            effective_from=version.effective_from,
        )


class ProcedureList(Body):
    total: int
    items: list[ProcedureSummary]


class UnitPage(Body):
    total: int
    limit: int
    offset: int
    items: list[UnitPublished]
