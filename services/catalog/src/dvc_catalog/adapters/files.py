"""The shape of the data files: domain facts with references (field, form, exemptions) as codes."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from ..domain.base import Citation, FieldOfActivity, Frozen
from ..domain.procedures import DocumentRequirement, SubType, UnsureFact
from ..domain.rules import (
    DeadlineRule,
    DeadlineVariant,
    DeliveryMode,
    Exemption,
    FeeItem,
    PaymentTiming,
    UnitLevel,
)


class FieldsFile(Frozen):
    fields: tuple[FieldOfActivity, ...] = Field(min_length=1)


class ExemptionsFile(Frozen):
    exemptions: tuple[Exemption, ...] = Field(min_length=1)


class Department(Frozen):
    code: str = Field(pattern=r"^[A-Z][0-9]{2}$")
    name: str = Field(min_length=5)
    short_name: str | None = None


class DepartmentsFile(Frozen):
    departments: tuple[Department, ...] = Field(min_length=1)


class FeeScheduleFile(Frozen):
    items: tuple[FeeItem, ...] = ()
    exemptions: tuple[str, ...] = ()
    legal_basis: tuple[Citation, ...] = ()


class ProcedureVersionFile(Frozen):
    """One version of one procedure, as written in `procedures/<code>/v<N>.yaml`.

    A revision may instead say `revises: <N>` and give only the top-level keys that changed
    (plus `version` and `effective_from`); the loader merges it over version N.
    """

    code: str
    national_code: str | None = None
    version: int = Field(ge=1)
    effective_from: date
    name: str
    field: str
    level: int
    sub_types: tuple[SubType, ...] = ()
    documents: tuple[DocumentRequirement, ...]
    form: str | None = None
    result: str
    fees: FeeScheduleFile
    deadline: DeadlineRule
    deadline_variants: tuple[DeadlineVariant, ...] = ()
    unit_level: UnitLevel
    ministry_department: str | None = None
    delivery_modes: tuple[DeliveryMode, ...]
    payment_timing: PaymentTiming
    legal_basis: tuple[Citation, ...]
    unsure_facts: tuple[UnsureFact, ...] = ()
