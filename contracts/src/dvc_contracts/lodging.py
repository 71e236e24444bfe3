"""Lodging notices (thông báo lưu trú, Law on Residence 68/2020 Art. 30)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from .base import ContractModel, EventPayload
from .topics import INTAKE_LODGING, PROCESSING_LODGING


class Guest(ContractModel):
    """One person staying."""

    id_number: str = Field(pattern=r"^\d{12}$", description="12-digit personal ID number.")
    full_name: str = Field(min_length=1, max_length=200, description="Full name.")
    date_of_birth: dt.date | None = Field(
        default=None, description="Date of birth (required by Law 118/2025 from 01/07/2026)."
    )
    arrived_at: AwareDatetime = Field(description="When the guest arrived (UTC).")
    stay_from: dt.date = Field(description="First day of the stay.")
    stay_until: dt.date = Field(description="Last day of the stay.")


class LodgingNoticeFiled(EventPayload):
    """A host or accommodation establishment notified the commune police of guests."""

    event_type: ClassVar[str] = "LodgingNoticeFiled"
    topic: ClassVar[str] = INTAKE_LODGING.name
    personal: ClassVar[tuple[str, ...]] = ("address", "guests")  # sealed on the wire (ADR 0021)

    notice_id: UUID = Field(description="Notice id; the key of its events.")
    notice_code: str = Field(description="Code given to the host for the notice.")
    host_account: str = Field(description="Account id of who filed it.")
    establishment: str = Field(description="Name of the host or establishment.")
    ward_code: str = Field(description="Ward of the lodging address.")
    address: str = Field(description="Street address of the lodging.")
    unit_code: str = Field(description="Commune police unit receiving it.")
    guests: list[Guest] = Field(min_length=1, description="Everyone notified.")
    filed_at: AwareDatetime = Field(description="When the notice was made (UTC).")


class GuestAssessment(ContractModel):
    """Whether the notice for one guest was on time."""

    id_number: str = Field(description="The guest's personal ID number.")
    arrived_at: AwareDatetime = Field(description="Arrival (UTC).")
    due_at: AwareDatetime = Field(description="The notice was due strictly before this (UTC).")
    on_time: bool = Field(description="Whether it was made before the due time.")


class LodgingNoticeReceived(EventPayload):
    """Commune police received the notice at once and judged it against the 23:00/08:00 rule."""

    event_type: ClassVar[str] = "LodgingNoticeReceived"
    topic: ClassVar[str] = PROCESSING_LODGING.name
    personal: ClassVar[tuple[str, ...]] = ("guests",)  # sealed on the wire (ADR 0021)

    notice_id: UUID = Field(description="Notice id.")
    notice_code: str = Field(description="Notice code.")
    unit_code: str = Field(description="Receiving commune police unit.")
    received_at: AwareDatetime = Field(description="When it was received (UTC).")
    guests: list[GuestAssessment] = Field(description="On time or late, guest by guest.")
