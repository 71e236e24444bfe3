"""Loading `data/fee_rules.yaml` and reading a published procedure version as a fee schedule."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from dvc_contracts.catalog import ProcedureVersionPublished

from ..domain.assessment import AgeExemption, Exemption, FeeCase, ReadingRules, Schedule, citations


@cache
def reading_rules() -> ReadingRules:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("dvc_payment").joinpath("data/fee_rules.yaml").read_text(encoding="utf-8")
    )
    fields = raw["form_fields"]
    return ReadingRules(
        case_field=fields["fee_case"],
        quantity_field=fields["quantity"],
        declared_exemption_field=fields["declared_exemption"],
        date_of_birth_field=fields["date_of_birth"],
        age_exemptions=tuple(AgeExemption(**item) for item in raw["age_exemptions"]),
        methods_by_level={int(k): tuple(v) for k, v in raw["methods_by_level"].items()},
        due_by_timing=dict(raw["due_by_timing"]),
        basis_units=dict(raw["basis_units"]),
    )


def schedule_of(version: ProcedureVersionPublished) -> Schedule:
    fees = version.fees
    return Schedule(
        procedure_code=version.code,
        procedure_name=version.name,
        version=version.version,
        level=version.level,
        payment_timing=version.payment_timing,
        cases=tuple(FeeCase(i.case, i.label, i.in_person, i.online, i.basis) for i in fees.items),
        exemptions=tuple(
            Exemption(e.code, e.label, citations([(c.document, c.provision) for c in e.legal_basis]))
            for e in fees.exemptions
        ),
        basis=citations([(c.document, c.provision) for c in fees.legal_basis])
        or citations([(c.document, c.provision) for c in version.legal_basis[:1]]),
    )
