"""Public fee events of a dossier (payment.fee.v1, keyed by dossier id).

`FeePaid` itself lives in `dossier.py` (it was one of the first dossier events); the events here
say what was owed and under which rule, and what was given back.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import AwareDatetime, Field

from .base import DossierEvent
from .topics import PAYMENT_FEE

TOPIC = PAYMENT_FEE.name

PaymentMethod = Literal["gateway", "vietqr", "counter"]
# Paid online (level 4), as against at the office's counter (level 3).
ONLINE_METHODS: frozenset[str] = frozenset({"gateway", "vietqr"})


class FeeAssessed(DossierEvent):
    """The fee owed for a dossier, from the procedure version it was filed under."""

    event_type: ClassVar[str] = "FeeAssessed"
    topic: ClassVar[str] = TOPIC

    procedure_code: str = Field(description="National procedure code.")
    procedure_version: int = Field(ge=1, description="Catalog version the fee was read from.")
    unit_code: str | None = Field(default=None, description="Unit that collects the fee.")
    amount_vnd: int = Field(ge=0, description="Amount owed, in VND (0 when exempt or free).")
    rate: Literal["online", "in_person"] = Field(description="Which of the procedure's rates applies.")
    rule: str = Field(
        min_length=1, description="The rule that produced the amount, with its legal basis (Vietnamese)."
    )
    exemption: str | None = Field(default=None, description="Exemption applied, if any (Vietnamese).")
    due: Literal["on_submission", "after_acceptance"] = Field(
        description="When the fee must be paid: right after submission, or once the dossier is accepted."
    )
    methods: list[PaymentMethod] = Field(description="How it may be paid.")
    assessed_at: AwareDatetime = Field(description="When it was assessed (UTC).")


class Refunded(DossierEvent):
    """A fee paid for a dossier that was rejected or withdrawn was paid back."""

    event_type: ClassVar[str] = "Refunded"
    topic: ClassVar[str] = TOPIC

    amount_vnd: int = Field(ge=0, description="Amount refunded, in VND.")
    reason: str = Field(min_length=1, description="Why (Vietnamese), e.g. the dossier was rejected.")
    transaction_ref: str = Field(description="The payment being refunded.")
    refund_ref: str = Field(description="The gateway's (or the cashier's) refund reference.")
    refunded_at: AwareDatetime = Field(description="When the refund was confirmed (UTC).")
