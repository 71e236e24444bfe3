"""Public dossier events: what intake and processing tell the rest of the system."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from .base import ContractModel, DossierEvent, EventPayload
from .topics import INTAKE_DOSSIER, PAYMENT_FEE, PROCESSING_DOSSIER

DeliveryMode = Literal["e_result", "post", "pickup"]

# How an appointment was counted (ADR 0023), said alike by every event that sets one.
CalendarVersion = Annotated[
    int | None, Field(description="Working-calendar version the due time was counted by (ADR 0023).")
]
DueEstimated = Annotated[
    bool, Field(description="True when the count crossed a year the calendar has no data for.")
]


class Applicant(ContractModel):
    """The person the dossier is for, as declared (checked against the population registry)."""

    id_number: str = Field(pattern=r"^\d{12}$", description="12-digit personal ID number.")
    full_name: str = Field(min_length=1, max_length=200, description="Full name with diacritics.")
    phone: str = Field(pattern=r"^0\d{9}$", description="Mobile number in the citizen's own name.")
    email: str | None = Field(default=None, description="E-mail address for notices, if given.")
    date_of_birth: dt.date | None = Field(
        default=None, description="Date of birth as declared (matched against the registry)."
    )


class AttachmentRef(ContractModel):
    """A file attached to a dossier, stored by content hash."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the file content.")
    document_code: str = Field(description="Which required document this is, e.g. `CT01`.")
    media_type: str = Field(description="Media type detected from the content.")
    size: int = Field(ge=0, description="Size in bytes.")


class Submitted(EventPayload):
    """A citizen submitted a complete dossier online."""

    event_type: ClassVar[str] = "Submitted"
    topic: ClassVar[str] = INTAKE_DOSSIER.name
    personal: ClassVar[tuple[str, ...]] = ("applicant", "form_data")  # sealed on the wire (ADR 0021)

    dossier_id: UUID = Field(description="Dossier id; the key of every event of this dossier.")
    dossier_code: str = Field(description="Dossier code given to the citizen (mã hồ sơ).")
    procedure_code: str = Field(description="National procedure code, e.g. `1.004194`.")
    procedure_version: int = Field(
        ge=1, description="Catalog version of the procedure the dossier is filed under."
    )
    owner_account: str = Field(description="Account id of the citizen who filed.")
    applicant: Applicant = Field(description="Declared applicant.")
    unit_code: str | None = Field(default=None, description="Competent police unit the dossier is routed to.")
    delivery_mode: DeliveryMode = Field(description="How the citizen chose to receive the result.")
    form_data: dict[str, Any] = Field(description="The filled form, field name to value.")
    attachments: list[AttachmentRef] = Field(default_factory=list, description="Attached files.")
    submitted_at: AwareDatetime = Field(description="When the submission succeeded (UTC).")


class Received(DossierEvent):
    """Processing received the dossier: the receipt and appointment slip."""

    event_type: ClassVar[str] = "Received"
    topic: ClassVar[str] = PROCESSING_DOSSIER.name

    procedure_code: str = Field(description="National procedure code.")
    unit_code: str | None = Field(default=None, description="Receiving police unit.")
    received_at: AwareDatetime = Field(description="Time of reception (UTC).")
    due_at: AwareDatetime | None = Field(
        default=None, description="Appointment for the result, from the legal deadline (UTC)."
    )
    due_explanation: list[str] = Field(
        default_factory=list,
        description="How the due time was counted, step by step (Vietnamese), for the slip.",
    )
    procedure_version: int | None = Field(
        default=None, description="Catalog version of the procedure the dossier is filed under."
    )
    submitted_at: AwareDatetime | None = Field(
        default=None, description="When the citizen submitted it; the deadline counts from here."
    )
    calendar_version: CalendarVersion = None
    due_estimated: DueEstimated = False


class Accepted(DossierEvent):
    """An officer found the dossier complete and valid and accepted it for handling."""

    event_type: ClassVar[str] = "Accepted"
    topic: ClassVar[str] = PROCESSING_DOSSIER.name

    accepted_at: AwareDatetime = Field(description="When it was accepted (UTC).")
    due_at: AwareDatetime | None = Field(default=None, description="Due time for the result.")


class RejectedWithReason(DossierEvent):
    """The dossier was refused, with a specific reason and the legal provision it rests on."""

    event_type: ClassVar[str] = "RejectedWithReason"
    topic: ClassVar[str] = PROCESSING_DOSSIER.name

    reason_code: str = Field(min_length=1, description="Code from the maintained reason list.")
    legal_basis: str = Field(min_length=1, description="The provision cited, e.g. an article.")
    explanation: str = Field(min_length=1, description="Explanation for the citizen (Vietnamese).")
    rejected_at: AwareDatetime = Field(description="When it was refused (UTC).")


class FeePaid(EventPayload):
    """The fee assessed for a dossier was paid."""

    event_type: ClassVar[str] = "FeePaid"
    topic: ClassVar[str] = PAYMENT_FEE.name

    dossier_id: UUID = Field(description="Dossier id.")
    amount_vnd: int = Field(ge=0, description="Amount paid, in VND.")
    method: Literal["gateway", "vietqr", "counter"] = Field(description="How it was paid.")
    transaction_ref: str = Field(description="Gateway transaction or counter receipt number.")
    paid_at: AwareDatetime = Field(description="When the payment was confirmed (UTC).")


class ResultIssued(DossierEvent):
    """The competent unit issued the result of the procedure."""

    event_type: ClassVar[str] = "ResultIssued"
    topic: ClassVar[str] = PROCESSING_DOSSIER.name

    result_form: str = Field(description="Form of the result document, e.g. `CT08`.")
    summary: str = Field(description="What was decided, for the citizen (Vietnamese).")
    delivery_mode: DeliveryMode = Field(description="How the result goes to the citizen.")
    issued_at: AwareDatetime = Field(description="When the result was issued (UTC).")


class Resubmitted(DossierEvent):
    """The citizen provided what a supplement request asked for (hồ sơ bổ sung)."""

    event_type: ClassVar[str] = "Resubmitted"
    topic: ClassVar[str] = INTAKE_DOSSIER.name
    personal: ClassVar[tuple[str, ...]] = ("form_data", "note")  # sealed on the wire (ADR 0021)

    request_id: UUID = Field(description="The supplement request this answers.")
    form_data: dict[str, Any] = Field(description="The form as it stands after the supplement.")
    attachments: list[AttachmentRef] = Field(description="Files added for the supplement.")
    note: str | None = Field(default=None, description="The citizen's note to the officer.")
    resubmitted_at: AwareDatetime = Field(description="When the supplement was submitted (UTC).")


class Withdrawn(DossierEvent):
    """The citizen withdrew a dossier not yet decided (rút hồ sơ)."""

    event_type: ClassVar[str] = "Withdrawn"
    topic: ClassVar[str] = INTAKE_DOSSIER.name

    reason: str | None = Field(default=None, description="The citizen's reason, if given.")
    withdrawn_at: AwareDatetime = Field(description="When it was withdrawn (UTC).")
