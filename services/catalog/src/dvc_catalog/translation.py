"""Domain → public contract: what the catalog publishes on `catalog.procedure.v1` / `catalog.unit.v1`.

Nested value objects share their shape with the contract, so they are carried over by
dumping and re-validating; `extra="forbid"` on both sides makes any drift fail loudly in
tests instead of silently dropping a fact.
"""

from __future__ import annotations

from typing import Any

from dvc_contracts.catalog import (
    Citation,
    DeadlineRuleSpec,
    DeadlineVariantSpec,
    DocumentSpec,
    FeeScheduleSpec,
    FormSpec,
    ProcedureVersionPublished,
    SubTypeSpec,
    UnitPublished,
    UnsureFactSpec,
)
from dvc_contracts.topics import CATALOG_PROCEDURE, CATALOG_UNIT
from dvc_kernel.envelopes import Outgoing

from .domain.ledger import ProcedureLedger, UnitLedger
from .domain.procedures import ProcedureVersion
from .domain.units import Unit


def procedure_version_published(version: ProcedureVersion) -> ProcedureVersionPublished:
    return ProcedureVersionPublished(
        code=version.code,
        national_code=version.national_code,
        version=version.version,
        effective_from=version.effective_from,
        name=version.name,
        field_code=version.field.code,
        field_name=version.field.name,
        level=version.level,
        sub_types=[SubTypeSpec.model_validate(s.model_dump()) for s in version.sub_types],
        documents=[DocumentSpec.model_validate(d.model_dump()) for d in version.documents],
        form=FormSpec.model_validate(version.form.model_dump(exclude={"note"})) if version.form else None,
        result=version.result,
        fees=FeeScheduleSpec.model_validate(version.fees.model_dump(mode="json")),
        deadline=DeadlineRuleSpec.model_validate(version.deadline.model_dump(mode="json")),
        deadline_variants=[
            DeadlineVariantSpec.model_validate(v.model_dump(mode="json")) for v in version.deadline_variants
        ],
        unit_level=version.unit_level.value,
        ministry_department_code=version.ministry_department,
        delivery_modes=[m.value for m in version.delivery_modes],
        payment_timing=version.payment_timing.value,
        legal_basis=[Citation.model_validate(c.model_dump()) for c in version.legal_basis],
        unsure_facts=[UnsureFactSpec.model_validate(u.model_dump()) for u in version.unsure_facts],
    )


def unit_published(unit: Unit) -> UnitPublished:
    return UnitPublished(
        code=unit.code,
        name=unit.name,
        short_name=unit.short_name,
        level=unit.level.value,
        admin_code=unit.admin_code,
        province_code=unit.province_code,
        parent_code=unit.parent_code,
    )


def translate(event: Any) -> Outgoing | None:
    """Ledger events -> the compacted catalog topics.

    A procedure version is keyed `<code>@v<version>` so compaction keeps every version (a
    dossier keeps the version it was filed under); a unit is keyed by its code (latest wins).
    """
    if isinstance(event, ProcedureLedger.VersionPublished):
        payload = ProcedureVersionPublished.model_validate(event.document)
        return Outgoing(CATALOG_PROCEDURE.name, f"{payload.code}@v{payload.version}", payload)
    if isinstance(event, UnitLedger.UnitPublished):
        unit = UnitPublished.model_validate(event.document)
        return Outgoing(CATALOG_UNIT.name, unit.code, unit)
    return None
