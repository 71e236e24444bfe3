"""A result's way to the citizen, one aggregate per dossier (its id is the dossier id).

It learns the dossier from intake (applicant, chosen mode, the form's address) and processing
(unit, issued result), then follows one channel, each in a module of its own:
* e-result (`e_result.py`): the signed PDF is kept here; the owner's first download delivers it;
* post (`shipment.py`): a shipment is requested, the post's tracking updates are kept, a failed
  attempt is retried until the last one, after which the parcel returns to the unit for pickup;
* pickup (`at_unit.py`): ready at the unit, a slot booked, collection recorded after the
  officer checked the ID card (and the originals, for level 3).
Each event is declared once, in the module of its concern; the aggregate class stays here, so
every stored event keeps its topic (`dvc_delivery.domain.result_delivery:ResultDelivery.X`).
Every refusal is a `dvc_kernel.refusal.Refusal` with a code and a Vietnamese message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from .at_unit import AtUnit
from .e_result import EResult
from .shipment import Shipment
from .state import Address, Contact, Result, Status, TrackingEntry

__all__ = ["Lookup", "ResultDelivery", "Status"]

_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/delivery")


def verification_index_id(code: str) -> UUID:
    return uuid5(_NS, f"verification:{code.upper()}")


def dossier_code_index_id(code: str) -> UUID:
    return uuid5(_NS, f"dossier:{code.upper()}")


def document_index_id(sha256: str) -> UUID:
    return uuid5(_NS, f"document:{sha256}")


def tracking_index_id(tracking_number: str) -> UUID:
    return uuid5(_NS, f"tracking:{tracking_number}")


class Lookup(Aggregate):
    """Finds a dossier by its code, a verification code, a document hash or a tracking number; created in
    the same transaction as what it points to, so a code is never given twice."""

    @event("Created")
    def __init__(self, id: UUID, dossier_id: UUID) -> None:
        self.dossier_id = dossier_id


class ResultDelivery(EResult, Shipment, AtUnit, Aggregate):
    class UnitChanged(Aggregate.Event):
        unit_code: str
        at: datetime

        def apply(self, aggregate: Any) -> None:
            aggregate.unit_code = self.unit_code

    class Withdrawn(Aggregate.Event):
        at: datetime

        def apply(self, aggregate: Any) -> None:
            aggregate.status = Status.WITHDRAWN

    class ResultIssued(Aggregate.Event):
        result_form: str
        summary: str
        mode: str
        issued_at: datetime

        def apply(self, aggregate: Any) -> None:
            aggregate.result = Result(self.result_form, self.summary, self.issued_at)
            aggregate.mode = self.mode

    @event("Registered")
    def __init__(
        self,
        id: UUID,
        dossier_code: str,
        owner_account: str,
        applicant: Contact,
        unit_code: str | None,
        procedure_code: str,
        procedure_version: int,
        chosen_mode: str,
        form_address: Address | None,
        at: datetime,
    ) -> None:
        self.dossier_code = dossier_code
        self.owner_account = owner_account
        self.applicant = applicant
        self.unit_code = unit_code
        self.procedure_code = procedure_code
        self.procedure_version = procedure_version
        self.chosen_mode = chosen_mode
        self.form_address = form_address
        self.citizen_address: Address | None = None
        self.status = Status.AWAITING_RESULT
        self.result: Result | None = None
        self.mode: str | None = None
        self.pdf_base64: str | None = None
        self.sha256: str | None = None
        self.verification_code: str | None = None
        self.signed_at: datetime | None = None
        self.signed_by: str | None = None
        self.downloaded_at: datetime | None = None
        self.tracking_number: str | None = None
        self.shipping_address: Address | None = None
        self.postal_fee_vnd = 0
        self.attempt = 0
        self.tracking: list[TrackingEntry] = []
        self.ready_at: datetime | None = None
        self.bring: list[str] = []
        self.slot: tuple[datetime, datetime] | None = None
        self.collected_at: datetime | None = None

    # -- what it knows ----------------------------------------------------------------------

    @property
    def address(self) -> Address | None:
        """Where a parcel goes: the address the citizen gave, else the one in the form."""
        return self.citizen_address or self.form_address

    @property
    def issued(self) -> bool:
        return self.result is not None

    # -- from other services ----------------------------------------------------------------

    def move_to_unit(self, unit_code: str, at: datetime) -> bool:
        if unit_code == self.unit_code:
            return False
        self.trigger_event(self.UnitChanged, unit_code=unit_code, at=at)
        return True

    def withdraw(self, at: datetime) -> bool:
        if self.issued or self.status is Status.WITHDRAWN:
            return False
        self.trigger_event(self.Withdrawn, at=at)
        return True

    def record_result(self, result_form: str, summary: str, mode: str, issued_at: datetime) -> bool:
        """False when already recorded (a result is issued once)."""
        if self.issued:
            return False
        self.trigger_event(
            self.ResultIssued, result_form=result_form, summary=summary, mode=mode, issued_at=issued_at
        )
        return True
