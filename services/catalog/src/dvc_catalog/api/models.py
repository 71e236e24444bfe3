"""Response bodies of the catalog API (the full procedure version is the public contract)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from dvc_contracts.catalog import UnitPublished
from dvc_kernel.attribute_views import view_of

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
        return view_of(
            cls,
            version,
            field_code=version.field.code,
            field_name=version.field.name,
            unit_level=version.unit_level.value,
        )


class ProcedureList(Body):
    total: int
    items: list[ProcedureSummary]


class UnitPage(Body):
    total: int
    limit: int
    offset: int
    items: list[UnitPublished]
