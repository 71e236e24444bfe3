"""Procedures and their versions: what the law asks of a citizen at a given date."""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import Field, model_validator

from .base import Citation, FieldOfActivity, Frozen
from .errors import VersionNotFound
from .forms import Form
from .rules import (
    DeadlineRule,
    DeadlineVariant,
    DeliveryMode,
    FeeSchedule,
    PaymentTiming,
    UnitLevel,
)

NATIONAL_CODE = r"^[1-3]\.\d{6}$"
# Procedures the national database gives no code we could confirm get a catalog-internal code.
CATALOG_CODE = rf"{NATIONAL_CODE}|^BCA-[A-Z0-9]+(-[A-Z0-9]+)*$"


class SubType(Frozen):
    """A case the portals list separately under one procedure (e.g. nhập sinh)."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=3)


# A document's identifier: short (it travels in every upload and supplement request, and
# intake caps identifiers at 100 characters) and stable (it must not change when a later
# version rewords the document's name). A form's code is its official form code.
DOCUMENT_CODE = r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*|[A-Z]{2}[0-9]{2})$"


class DocumentRequirement(Frozen):
    code: str = Field(pattern=DOCUMENT_CODE, max_length=32)
    name: str = Field(min_length=3)
    form_code: str | None = None
    required: bool = True
    condition: str | None = None

    @model_validator(mode="after")
    def _form_code_is_the_code(self) -> Self:
        if self.form_code is not None and self.code != self.form_code:
            raise ValueError(
                f"document '{self.code}' is form {self.form_code}: its code must be the form code"
            )
        return self


class UnsureFact(Frozen):
    """A fact kept as data although its source could not be confirmed (procedures.md UNSURE)."""

    fact: str = Field(pattern=r"^[a-z_]+(\.[a-z_0-9]+)*$")
    note: str = Field(min_length=5)


class ProcedureVersion(Frozen):
    code: str = Field(pattern=CATALOG_CODE)
    national_code: str | None = Field(default=None, pattern=NATIONAL_CODE)
    version: int = Field(ge=1)
    effective_from: date
    name: str = Field(min_length=3)
    field: FieldOfActivity
    level: int = Field(ge=1, le=4)
    sub_types: tuple[SubType, ...] = ()
    documents: tuple[DocumentRequirement, ...] = Field(min_length=1)
    form: Form | None = None
    result: str = Field(min_length=3)
    fees: FeeSchedule
    deadline: DeadlineRule
    deadline_variants: tuple[DeadlineVariant, ...] = ()
    unit_level: UnitLevel
    ministry_department: str | None = None
    delivery_modes: tuple[DeliveryMode, ...] = Field(min_length=1)
    payment_timing: PaymentTiming
    legal_basis: tuple[Citation, ...] = Field(min_length=1)
    unsure_facts: tuple[UnsureFact, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.national_code is not None and self.national_code != self.code:
            raise ValueError("code must be the national code when there is one")
        if self.national_code is None and not self.code.startswith("BCA-"):
            raise ValueError("a national-format code must also be given as national_code")
        if (self.unit_level is UnitLevel.MINISTRY) != (self.ministry_department is not None):
            raise ValueError("ministry_department is required for, and only for, ministry level")
        if (self.payment_timing is PaymentTiming.NONE) != self.fees.is_free:
            raise ValueError("payment_timing must be 'none' exactly when no fee is charged")
        if len(set(self.delivery_modes)) != len(self.delivery_modes):
            raise ValueError("delivery_modes must not repeat")
        document_codes = [d.code for d in self.documents]
        if len(set(document_codes)) != len(document_codes):
            raise ValueError("document codes must be unique within a version")
        variant_cases = [v.case for v in self.deadline_variants]
        if len(set(variant_cases)) != len(variant_cases):
            raise ValueError("deadline variant cases must be unique")
        for unsure in self.unsure_facts:
            if not _resolves(self, unsure.fact):
                raise ValueError(f"unsure fact '{unsure.fact}' names no fact of this version")
        return self

    def is_unsure(self, fact: str) -> bool:
        """Whether `fact` or anything containing it is marked unsure."""
        return any(fact == u.fact or fact.startswith(u.fact + ".") for u in self.unsure_facts)


def _resolves(model: object, path: str) -> bool:
    """Whether a dotted path (attribute names, numeric tuple indices) exists on the model."""
    current = model
    for part in path.split("."):
        if part.isdigit() and isinstance(current, tuple):
            if int(part) >= len(current):
                return False
            current = current[int(part)]
        elif isinstance(current, Frozen) and part in type(current).model_fields:
            current = getattr(current, part)
        else:
            return False
    return True


class Procedure(Frozen):
    """All versions of one procedure, oldest first."""

    code: str
    versions: tuple[ProcedureVersion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        for expected, v in enumerate(self.versions, start=1):
            if v.code != self.code:
                raise ValueError(f"version {v.version} has code {v.code}, expected {self.code}")
            if v.version != expected:
                raise ValueError(f"versions must be numbered 1, 2, … without gaps; got {v.version}")
        for older, newer in zip(self.versions, self.versions[1:], strict=False):
            if newer.effective_from <= older.effective_from:
                raise ValueError(f"version {newer.version} must take effect after version {older.version}")
        return self

    @property
    def latest(self) -> ProcedureVersion:
        return self.versions[-1]

    def in_force(self, at: date) -> ProcedureVersion:
        """The version in force on `at`: the newest one whose effective date has come."""
        for v in reversed(self.versions):
            if v.effective_from <= at:
                return v
        raise VersionNotFound(self.code, at=at)

    def version(self, number: int) -> ProcedureVersion:
        if 1 <= number <= len(self.versions):
            return self.versions[number - 1]
        raise VersionNotFound(self.code, number=number)
