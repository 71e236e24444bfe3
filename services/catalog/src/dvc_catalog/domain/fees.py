"""Fee assessment: which amount a dossier owes, from the version's schedule and the applicant's case."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from .base import Frozen
from .errors import FeeCaseNotFound
from .procedures import ProcedureVersion
from .rules import Channel, FeeBasis


class FeeAssessment(Frozen):
    procedure_code: str
    procedure_version: int
    case: str | None
    channel: Channel
    quantity: int = Field(ge=1)
    basis: FeeBasis | None
    unit_amount: int = Field(ge=0)
    amount: int = Field(ge=0)
    exempted_by: str | None = None


def assess_fee(
    version: ProcedureVersion,
    *,
    channel: Channel,
    case: str | None = None,
    quantity: int = 1,
    exemption_codes: Iterable[str] = (),
) -> FeeAssessment:
    """The amount owed in integer VND.

    `quantity` counts persons, items or data fields for schedules charged per unit.
    An exemption counts only when this version's schedule lists it: the same person may be
    exempt from residence fees yet pay for a passport.
    """
    if quantity < 1:
        raise ValueError("quantity must be at least 1")
    schedule = version.fees
    if not schedule.items:
        return FeeAssessment(
            procedure_code=version.code,
            procedure_version=version.version,
            case=None,
            channel=channel,
            quantity=quantity,
            basis=None,
            unit_amount=0,
            amount=0,
        )
    if case is None:
        if len(schedule.items) > 1:
            raise FeeCaseNotFound(version.code, None)
        item = schedule.items[0]
    else:
        found = schedule.item(case)
        if found is None:
            raise FeeCaseNotFound(version.code, case)
        item = found
    claimed = set(exemption_codes)
    exempted_by = next((e.code for e in schedule.exemptions if e.code in claimed), None)
    unit_amount = item.amount(channel)
    return FeeAssessment(
        procedure_code=version.code,
        procedure_version=version.version,
        case=item.case,
        channel=channel,
        quantity=quantity,
        basis=item.basis,
        unit_amount=unit_amount,
        amount=0 if exempted_by else unit_amount * quantity,
        exempted_by=exempted_by,
    )
