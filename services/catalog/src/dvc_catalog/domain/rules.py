"""The rules a procedure version carries: deadline, fees, delivery, payment and competent level."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from .base import Citation, Frozen


class DeadlineKind(StrEnum):
    IMMEDIATE = "immediate"
    WORKING_DAYS = "working_days"
    HALF_WORKING_DAYS = "half_working_days"
    CALENDAR_DAYS = "calendar_days"


class SupplementPolicy(StrEnum):
    """What a request for supplements does to the clock (procedures.md §8 leaves it open)."""

    PAUSE = "pause"
    RESTART = "restart"


class DeadlineRule(Frozen):
    """The legal deadline; the calendar (working days, holidays, 15:00 cut-off) lives elsewhere."""

    kind: DeadlineKind
    amount: int = Field(default=0, ge=0)
    saturday_morning_reception: bool
    on_supplement: SupplementPolicy

    @model_validator(mode="after")
    def _amount_fits_kind(self) -> Self:
        if (self.kind is DeadlineKind.IMMEDIATE) != (self.amount == 0):
            raise ValueError("amount must be 0 for immediate deadlines and at least 1 otherwise")
        return self


class DeadlineVariant(Frozen):
    """A case of the procedure with a deadline of its own (e.g. data already in the database)."""

    case: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=3)
    rule: DeadlineRule


class Channel(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"


class FeeBasis(StrEnum):
    PER_DOSSIER = "per_dossier"
    PER_PERSON = "per_person"
    PER_ITEM = "per_item"
    PER_DATA_FIELD = "per_data_field"


class FeeItem(Frozen):
    """The amount for one case of the procedure, by channel, in integer VND."""

    case: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=3)
    in_person: int = Field(ge=0)
    online: int = Field(ge=0)
    basis: FeeBasis = FeeBasis.PER_DOSSIER

    def amount(self, channel: Channel) -> int:
        return self.online if channel is Channel.ONLINE else self.in_person


class Exemption(Frozen):
    """Who does not pay, and why."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=3)
    legal_basis: tuple[Citation, ...] = Field(min_length=1)


class FeeSchedule(Frozen):
    """All fee cases of a procedure version; an empty schedule means the procedure is free."""

    items: tuple[FeeItem, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    legal_basis: tuple[Citation, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        cases = [i.case for i in self.items]
        if len(set(cases)) != len(cases):
            raise ValueError("fee cases must be unique")
        if self.items and not self.legal_basis:
            raise ValueError("a fee needs its legal basis")
        return self

    @property
    def is_free(self) -> bool:
        return all(i.in_person == 0 and i.online == 0 for i in self.items)

    def item(self, case: str) -> FeeItem | None:
        return next((i for i in self.items if i.case == case), None)


class UnitLevel(StrEnum):
    MINISTRY = "ministry"
    PROVINCE = "province"
    COMMUNE = "commune"


class DeliveryMode(StrEnum):
    E_RESULT = "e_result"
    POST = "post"
    PICKUP = "pickup"


class PaymentTiming(StrEnum):
    BEFORE_SUBMISSION = "before_submission"
    AFTER_ACCEPTANCE = "after_acceptance"
    NONE = "none"
