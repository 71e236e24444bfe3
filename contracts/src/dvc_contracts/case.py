"""Public events of the case as processing handles it, after `Received`.

Every event carries, in its envelope, who caused it (actor id, role, unit) and when; the
payloads add the rule and the reason where the law asks for them.
"""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from .base import ContractModel, DossierEvent
from .dossier import CalendarVersion, DueEstimated
from .topics import PROCESSING_DOSSIER

TOPIC = PROCESSING_DOSSIER.name


class Assigned(DossierEvent):
    """The dossier was assigned to an officer of its unit."""

    event_type: ClassVar[str] = "Assigned"
    topic: ClassVar[str] = TOPIC

    officer_id: str = Field(description="Account id of the officer now handling it.")
    unit_code: str = Field(description="The officer's unit, the dossier's unit.")
    assigned_at: AwareDatetime = Field(description="When (UTC).")


class SupplementItem(ContractModel):
    """One thing the citizen must add or correct."""

    document_code: str | None = Field(
        default=None, description="The required document concerned (e.g. `CT01`), if any."
    )
    description: str = Field(min_length=1, description="What is missing or wrong (Vietnamese).")


class SupplementRequested(DossierEvent):
    """The officer asked for everything missing, in one go (CT05 / Mẫu 02)."""

    event_type: ClassVar[str] = "SupplementRequested"
    topic: ClassVar[str] = TOPIC

    request_id: UUID = Field(description="Id of this request; the resubmission names it.")
    items: list[SupplementItem] = Field(min_length=1, description="The complete list of what is needed.")
    clock: Literal["paused", "restarts"] = Field(
        description="What happens to the deadline until the supplement arrives (per procedure)."
    )
    requested_at: AwareDatetime = Field(description="When (UTC).")
    round: int | None = Field(default=None, ge=1, description="Which request for the dossier: 1, 2, …")
    round_reason: str | None = Field(
        default=None, description="From the second round: why, as a code of the maintained list."
    )


class ResubmissionReceived(DossierEvent):
    """Processing received the supplement; the deadline runs again."""

    event_type: ClassVar[str] = "ResubmissionReceived"
    topic: ClassVar[str] = TOPIC

    request_id: UUID = Field(description="The supplement request answered.")
    received_at: AwareDatetime = Field(description="When (UTC).")
    due_at: AwareDatetime | None = Field(description="The new appointment for the result.")
    due_explanation: list[str] = Field(description="How the new due time was counted.")
    calendar_version: CalendarVersion = None
    due_estimated: DueEstimated = False


class Approved(DossierEvent):
    """The competent officer decided to grant what the dossier asks."""

    event_type: ClassVar[str] = "Approved"
    topic: ClassVar[str] = TOPIC

    summary: str = Field(min_length=1, description="What was granted (Vietnamese).")
    approved_at: AwareDatetime = Field(description="When (UTC).")


class Refused(DossierEvent):
    """The competent officer decided not to grant it, with reasons (decision after handling)."""

    event_type: ClassVar[str] = "Refused"
    topic: ClassVar[str] = TOPIC

    reason_code: str = Field(min_length=1, description="Code from the maintained reason list.")
    legal_basis: str = Field(min_length=1, description="The provision the refusal rests on.")
    explanation: str = Field(min_length=1, description="Explanation for the citizen (Vietnamese).")
    refused_at: AwareDatetime = Field(description="When (UTC).")


class Transferred(DossierEvent):
    """The dossier was sent on to the competent unit."""

    event_type: ClassVar[str] = "Transferred"
    topic: ClassVar[str] = TOPIC

    from_unit: str = Field(description="Unit that held it.")
    to_unit: str = Field(description="Competent unit that now holds it.")
    reason: str = Field(min_length=1, description="Why it was transferred (Vietnamese).")
    transferred_at: AwareDatetime = Field(description="When (UTC).")


class WithdrawalAcknowledged(DossierEvent):
    """Processing closed the case because the citizen withdrew it."""

    event_type: ClassVar[str] = "WithdrawalAcknowledged"
    topic: ClassVar[str] = TOPIC

    withdrawn_at: AwareDatetime = Field(description="When the citizen withdrew it (UTC).")


class DeadlineDueSoon(DossierEvent):
    """One working day is left before the appointment."""

    event_type: ClassVar[str] = "DeadlineDueSoon"
    topic: ClassVar[str] = TOPIC

    unit_code: str | None = Field(description="Unit holding the dossier.")
    due_at: AwareDatetime = Field(description="The appointment (UTC).")


class DeadlineBreached(DossierEvent):
    """The appointment passed without a result: an apology with a new date is owed (Mẫu 04)."""

    event_type: ClassVar[str] = "DeadlineBreached"
    topic: ClassVar[str] = TOPIC

    unit_code: str | None = Field(description="Unit holding the dossier.")
    due_at: AwareDatetime = Field(description="The appointment that was missed (UTC).")
    breached_at: AwareDatetime = Field(description="When the breach was recorded (UTC).")


class ApologyIssued(DossierEvent):
    """The unit apologised for the delay and set a new appointment (Mẫu 04, Circular 01/2018)."""

    event_type: ClassVar[str] = "ApologyIssued"
    topic: ClassVar[str] = TOPIC

    reason: str = Field(min_length=1, description="Why the result is late (Vietnamese).")
    new_due_at: AwareDatetime = Field(description="The new appointment (UTC).")
    letter: str = Field(description="The apology letter's text, as sent to the citizen.")
    issued_at: AwareDatetime = Field(description="When (UTC).")


class DueDateRecalculated(DossierEvent):
    """The working calendar was revised (a swap announced late, a holiday confirmed) while the
    dossier was open: its appointment was counted again by the new version (ADR 0023)."""

    event_type: ClassVar[str] = "DueDateRecalculated"
    topic: ClassVar[str] = TOPIC

    old_calendar_version: int | None = Field(description="Calendar version of the previous count.")
    new_calendar_version: int = Field(description="Calendar version of this count.")
    old_due_at: AwareDatetime | None = Field(description="The previous appointment (UTC).")
    new_due_at: AwareDatetime = Field(description="The new appointment (UTC).")
    reason: str = Field(min_length=1, description="Why: the revision and its legal basis (Vietnamese).")
    due_explanation: list[str] = Field(description="How the new due time was counted.")
    due_estimated: bool = Field(default=False, description="The count crossed a year without calendar data.")
    recalculated_at: AwareDatetime = Field(description="When (UTC).")


class Noted(DossierEvent):
    """Processing took another service's event about the dossier into account (a fee assessed,
    paid or refunded; a result dispatched, delivered or collected).

    Its `causation_id` names that event, which places it in the dossier's history exactly where
    processing learned it; officer tools learn from it that the fee now allows the next step.
    """

    event_type: ClassVar[str] = "Noted"
    topic: ClassVar[str] = TOPIC

    noted_event_type: str = Field(description="Type of the event taken into account, e.g. `FeePaid`.")
    noted_at: AwareDatetime = Field(description="When processing took it into account (UTC).")
