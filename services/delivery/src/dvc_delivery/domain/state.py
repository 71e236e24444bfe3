"""What every concern of a `ResultDelivery` sees: its status values, the shapes it keeps, and
(for the type checker) the state and event recording the aggregate gives its mixins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypedDict
from uuid import UUID

from eventsourcing.domain import Aggregate

from dvc_kernel.event_meta import EventMeta

if TYPE_CHECKING:
    from eventsourcing.domain import CanMutateAggregate

# A postal address: recipient, phone, street, commune, ward_code, province, province_code.
Address = dict[str, str]


class Status(StrEnum):
    AWAITING_RESULT = "awaiting_result"
    E_RESULT_AVAILABLE = "e_result_available"
    AWAITING_ADDRESS = "awaiting_address"  # post chosen, no address known yet
    SHIPMENT_REQUESTED = "shipment_requested"  # waiting for the post to accept the order
    IN_POST = "in_post"
    DELIVERED = "delivered"
    AT_UNIT = "at_unit"  # ready for pickup (chosen, or returned by the post)
    COLLECTED = "collected"
    WITHDRAWN = "withdrawn"


class Contact(TypedDict):
    """The applicant as delivery needs them: a name to print, a phone and e-mail to reach."""

    full_name: str
    phone: str
    email: str | None


@dataclass(frozen=True)
class Result:
    """The issued result, as processing described it."""

    result_form: str
    summary: str
    issued_at: datetime


class TrackingEntry(TypedDict):
    """One update of the post about a parcel."""

    seq: int
    status: str
    detail: str
    attempt: int
    at: datetime


class AboutDossier(Aggregate.Event):
    """An event other services learn (on delivery.result.v1): it names the dossier by its code."""

    dossier_code: str


class AtUnitEvent(AboutDossier):
    """An event of the result's way at the unit: which unit, when, and who did it."""

    unit_code: str | None
    at: datetime
    meta: EventMeta


class DeliveryState:
    """Base of the aggregate's mixins: declares, for mypy only, what the aggregate holds."""

    if TYPE_CHECKING:
        id: UUID
        dossier_code: str
        unit_code: str | None
        status: Status
        mode: str | None
        result: Result | None
        citizen_address: Address | None
        form_address: Address | None
        pdf_base64: str | None
        downloaded_at: datetime | None
        tracking_number: str | None
        shipping_address: Address | None
        attempt: int
        tracking: list[TrackingEntry]

        @property
        def address(self) -> Address | None: ...

        @property
        def issued(self) -> bool: ...

        def trigger_event(self, event_class: type[CanMutateAggregate[UUID]], **kwargs: Any) -> None: ...

        def _ready_at_unit(self, bring: list[str], at: datetime, meta: EventMeta) -> None: ...
